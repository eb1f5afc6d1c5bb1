//! `/compare` — the leadership comparison: the units one may read, side by side in one cycle,
//! in quartile tiers with the best unit as the reference, staffing against approved posts,
//! the flags that make an equalized unit stand out, a trend per unit and the distribution of
//! unit scores (a chart with its numbers). Filters are a GET form: it works without
//! JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::compare::compare_units;
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, MetricCell};
use crate::components::unit_table::KindLabel;
use crate::domain::Level;
use crate::domain::compare::{ChartData, ComparedUnit, Comparison, Flag, ReviewerCheck};
use crate::domain::vocab::UnitKind;
use crate::i18n::{Locale, t, use_i18n};

/// The comparison page.
#[component]
pub fn ComparePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let request = move || {
        (
            param("cycle"),
            param("kind").and_then(|k| UnitKind::from_code(&k)),
            param("parent").and_then(|p| p.parse::<i64>().ok()),
            param("page").and_then(|p| p.parse::<u32>().ok()),
            i18n.get_locale() == Locale::en,
        )
    };
    let comparison = Resource::new(request, |(cycle, kind, parent, page, en)| {
        compare_units(cycle, kind, parent, page, en)
    });
    view! {
        <section class="page compare">
            <h1>{t!(i18n, compare_title)}</h1>
            <p class="intro">{t!(i18n, compare_intro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match comparison.await {
                        Ok(c) => view! { <Compared c=c /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Compared(c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = query.read_untracked().get("kind").unwrap_or_default();
    let parent = query.read_untracked().get("parent").unwrap_or_default();
    let chosen = c.cycle.clone().unwrap_or_default();
    let cycle_options = c
        .cycles
        .iter()
        .map(|cy| {
            let selected = cy.code == chosen;
            let (value, text) = (cy.code.clone(), cy.code.clone());
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    let kind_options = UnitKind::ALL
        .iter()
        .map(|k| view! { <option value=k.code() selected={kind == k.code()}><KindLabel kind=*k /></option> })
        .collect_view();
    let filters = view! {
        <form method="get" action="/compare" class="filters">
            <label>{t!(i18n, compare_cycle)}<select name="cycle">{cycle_options}</select></label>
            <label>{t!(i18n, compare_kind)}
                <select name="kind">
                    <option value="">{t!(i18n, filter_all)}</option>
                    {kind_options}
                </select>
            </label>
            {(!parent.is_empty()).then(|| view! { <input type="hidden" name="parent" value=parent.clone() /> })}
            <button type="submit">{t!(i18n, search_apply)}</button>
        </form>
    };
    if c.cycle.is_none() {
        return view! { {filters}<p class="empty">{t!(i18n, compare_no_cycle)}</p> }.into_any();
    }
    if c.total == 0 {
        return view! { {filters}<p class="empty">{t!(i18n, compare_empty)}</p> }.into_any();
    }
    let best = c.best.clone();
    let best_score = best.as_ref().map(|(_, s)| *s);
    let pages = c.total.div_ceil(u64::from(c.page_size.max(1)));
    let link = {
        let (cycle, kind, parent) = (chosen.clone(), kind.clone(), parent.clone());
        move |page: u64| format!("/compare?cycle={cycle}&kind={kind}&parent={parent}&page={page}")
    };
    let (shown, total, flagged) = (c.units.len(), c.total, c.flagged);
    view! {
        {filters}
        <p class="count" data-testid="compare-count">
            {t!(i18n, compare_count, shown = shown, total = total, flagged = flagged)}
        </p>
        {best.map(|(name, score)| view! {
            <p class="reference" data-testid="compare-best">
                {t!(i18n, compare_best, unit = name, score = format!("{score:.2}"))}
            </p>
        })}
        <div class="table-wrap">
            <table class="table compare-table" data-testid="compare">
                <thead><tr>
                    <th>{t!(i18n, compare_col_tier)}</th>
                    <th>{t!(i18n, compare_col_unit)}</th>
                    <th>{t!(i18n, compare_col_staff)}</th>
                    <th>{t!(i18n, compare_col_score)}</th>
                    {Level::ALL.map(|l| view! { <th class="level-col"><LevelLabel level=Some(l) /></th> }).collect_view()}
                    <th>{t!(i18n, compare_col_flags)}</th>
                    <th>{t!(i18n, compare_col_on_time)}</th>
                    <th>{t!(i18n, compare_col_online)}</th>
                    <th>{t!(i18n, compare_col_krs)}</th>
                    <th>{t!(i18n, compare_col_trend)}</th>
                </tr></thead>
                <tbody>
                    {c.units.into_iter().map(|u| unit_row(u, best_score)).collect_view()}
                </tbody>
            </table>
        </div>
        {(pages > 1).then(|| view! {
            <nav class="pager">
                {(c.page > 1).then(|| view! { <a href=link(u64::from(c.page) - 1)>{t!(i18n, compare_prev)}</a> })}
                <span>{t!(i18n, compare_page, page = c.page, pages = pages)}</span>
                {(u64::from(c.page) < pages).then(|| view! { <a href=link(u64::from(c.page) + 1)>{t!(i18n, compare_next)}</a> })}
            </nav>
        })}
        {reviewer_flags(c.reviewers)}
        {[c.distribution, c.multiples].into_iter().flatten().map(|chart| {
            let query = format!("cycle={chosen}&kind={kind}&parent={parent}&page={}", c.page);
            view! { <ChartFigure chart=chart query=query /> }
        }).collect_view()}
    }
    .into_any()
}

/// The reviewers the equalization detector flags, each with their unit and the evidence; or
/// how many were tested and that none is.
pub fn reviewer_flags(check: ReviewerCheck) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let (judged, min) = (check.judged, check.min_rated);
    let body = if check.flagged.is_empty() {
        view! { <p class="muted">{t!(i18n, reviewers_none, judged, min)}</p> }.into_any()
    } else {
        let count = check.flagged.len();
        let items = check
            .flagged
            .into_iter()
            .map(|r| {
                let (name, unit, rated) = (r.name, r.unit, r.rated);
                let flag = flag_views(&[Flag::Concentrated(r.evidence)]);
                view! {
                    <li data-testid="reviewer-flag">
                        <strong>{t!(i18n, reviewers_who, name, unit, rated)}</strong>" "{flag}
                    </li>
                }
            })
            .collect_view();
        view! {
            <p>{t!(i18n, reviewers_count, count, judged, min)}</p>
            <ul>{items}</ul>
        }
        .into_any()
    };
    view! {
        <section class="card" data-testid="reviewer-flags">
            <h2>{t!(i18n, reviewers_title)}</h2>
            {body}
        </section>
    }
}

/// The flags of a unit, each as a line of text.
pub fn flag_views(flags: &[Flag]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    flags
        .iter()
        .map(|f| match *f {
            Flag::Equalized => {
                view! { <span class="flag">{t!(i18n, compare_flag_equalized)}</span> }.into_any()
            }
            Flag::OverQuota(n) => {
                view! { <span class="flag">{t!(i18n, compare_flag_over_quota, n = n)}</span> }
                    .into_any()
            }
            Flag::Concentrated(e) => {
                let (top, overall) = (e.top_percent, e.overall_top_percent);
                let tenths = |t: u32| format!("{:.1}", f64::from(t) / 10.0);
                let (spread, overall_spread) =
                    (tenths(e.spread_tenths), tenths(e.overall_spread_tenths));
                let p = match e.p_millionths {
                    ..1_000 => "< 0.001".to_owned(),
                    p => format!("= {:.3}", f64::from(p) / 1e6),
                };
                view! {
                    <span class="flag">
                        {t!(i18n, compare_flag_concentrated, top, overall, spread, overall_spread, p)}
                    </span>
                }
                .into_any()
            }
        })
        .collect_view()
}

fn unit_row(u: ComparedUnit, best: Option<f64>) -> impl IntoView {
    let i18n = use_i18n();
    let tier_class = u
        .tier
        .map_or("tier".to_owned(), |t| format!("tier tier-{t}"));
    let staff = match u.gap {
        0 => t!(i18n, compare_balanced).into_any(),
        g if g > 0 => {
            view! { <span class="surplus">{t!(i18n, compare_surplus, n = g)}</span> }.into_any()
        }
        g => {
            view! { <span class="shortage">{t!(i18n, compare_shortage, n = -g)}</span> }.into_any()
        }
    };
    let width = match (u.avg_score, best) {
        (Some(s), Some(b)) if b > 0.0 => {
            format!("width: {:.1}%", (s / b * 100.0).clamp(0.0, 100.0))
        }
        _ => "width: 0".to_owned(),
    };
    let flags = flag_views(&u.flags);
    let unit_href = format!("/units/{}", u.unit_id);
    let rated: u32 = u.levels.iter().sum();
    view! {
        <tr data-unit=u.code.clone()>
            <td><span class=tier_class>{u.tier.map(|t| t.to_string()).unwrap_or_else(|| "–".into())}</span></td>
            <td>
                <a href=unit_href>{u.name}</a>
                <span class="muted"><KindLabel kind=u.kind /></span>
            </td>
            <td>
                {format!("{} / {}", u.officials, u.approved)}
                <br />{staff}
            </td>
            <td>
                {u.avg_score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "–".into())}
                <span class="bar" aria-hidden="true"><span style=width></span></span>
            </td>
            {u.levels.map(|n| view! {
                <td class="num">{n}<span class="muted">{share(n, rated)}</span></td>
            }).collect_view()}
            <td>{flags}</td>
            <td class="num"><MetricCell value=u.on_time /></td>
            <td class="num"><MetricCell value=u.online /></td>
            <td>{t!(i18n, compare_krs, at_risk = u.at_risk_key_results, stale = u.stale_key_results)}</td>
            <td inner_html=u.trend_svg></td>
        </tr>
    }
}

/// A chart with its numbers as a table and its downloads (`query`: what the export needs to
/// draw the same chart).
#[component]
pub fn ChartFigure(chart: ChartData, query: String) -> impl IntoView {
    let i18n = use_i18n();
    let en = if i18n.get_locale() == Locale::en {
        "&en=true"
    } else {
        ""
    };
    let csv = format!("/export/chart/{}.csv?{query}{en}", chart.id);
    let svg = format!("/export/chart/{}.svg?{query}{en}", chart.id);
    view! {
        <figure class="chart-figure" data-testid=format!("chart-{}", chart.id)>
            <div class="chart-svg" inner_html=chart.svg></div>
            <figcaption>{chart.title}<span class="muted">{chart.description}</span></figcaption>
            <details>
                <summary>{t!(i18n, compare_data_table)}</summary>
                <table class="table">
                    <thead><tr>{chart.headers.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {chart.rows.into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <p class="downloads">
                <a href=csv download="">{t!(i18n, compare_download_csv)}</a>
                " · "
                <a href=svg download="">{t!(i18n, compare_download_svg)}</a>
            </p>
        </figure>
    }
}

/// A level's share of the rated officials, in whole percent (empty when nobody is rated).
fn share(n: u32, rated: u32) -> String {
    if rated == 0 {
        return String::new();
    }
    format!("{}%", (f64::from(n) * 100.0 / f64::from(rated)).round())
}
