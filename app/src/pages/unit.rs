//! `/units/:id` — a unit's dashboard: where it sits (a breadcrumb back to the comparison),
//! staffing against approved posts, the units merged into it, the cycle's results with their
//! flags, levels against the quota as a chart with its numbers, and each official's level
//! over the recent cycles (a status matrix), its service metrics against their targets, and
//! its key results at risk or stale. A GET form chooses the cycle.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::compare::{ChartFigure, flag_views, reviewer_flags};
use crate::api::compare::unit_dashboard;
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, MetricName, MetricStatusLabel};
use crate::components::lang_switch::encode_component;
use crate::components::unit_table::KindLabel;
use crate::domain::Level;
use crate::domain::compare::UnitDashboard;
use crate::domain::metrics::UnitMetric;
use crate::domain::rollup::KrWatch;
use crate::i18n::{Locale, t, use_i18n};

/// The unit dashboard.
#[component]
pub fn UnitPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let request = move || {
        (
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok()),
            query.read().get("cycle").filter(|c| !c.is_empty()),
            i18n.get_locale() == Locale::en,
        )
    };
    let dashboard = Resource::new(request, |(id, cycle, en)| async move {
        match id {
            Some(id) => unit_dashboard(id, cycle, en).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <section class="page unit">
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(d) => view! { <Dashboard d=d /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(d: UnitDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = d.cycle.clone().unwrap_or_default();
    let options = d
        .cycles
        .iter()
        .map(|c| {
            let (value, text) = (c.code.clone(), c.code.clone());
            view! { <option value=value selected={c.code == chosen}>{text}</option> }
        })
        .collect_view();
    let staff = match d.gap {
        0 => t!(i18n, compare_balanced).into_any(),
        g if g > 0 => {
            view! { <span class="surplus">{t!(i18n, compare_surplus, n = g)}</span> }.into_any()
        }
        g => {
            view! { <span class="shortage">{t!(i18n, compare_shortage, n = -g)}</span> }.into_any()
        }
    };
    let parent = d.parent.clone().map(|p| {
        let href = format!("/compare?parent={}", p.id);
        view! { " › "<a href=href>{p.name}</a> }
    });
    let officials_href = format!("/officials?q={}", d.unit.code);
    let (officials, approved) = (d.officials, d.approved);
    let merged = (!d.merged_from.is_empty()).then(|| {
        let items = d
            .merged_from
            .into_iter()
            .map(|m| {
                let until = m.until.map(|u| u.format("%d/%m/%Y").to_string()).unwrap_or_default();
                view! { <li>{t!(i18n, unit_merged, name = m.name, code = m.code, until = until)}</li> }
            })
            .collect_view();
        view! {
            <section class="card" data-testid="unit-history">
                <h2>{t!(i18n, unit_history)}</h2>
                <ul>{items}</ul>
            </section>
        }
    });
    let figures = match (d.avg_score, d.cycle.is_some()) {
        (Some(score), _) => {
            let (assessed, total, at_risk, stale) = (
                d.assessed,
                d.key_results,
                d.at_risk_key_results,
                d.stale_key_results,
            );
            view! {
                <p>{t!(i18n, unit_avg, score = format!("{score:.2}"), assessed = assessed)}</p>
                <p>{t!(i18n, unit_krs, total = total, at_risk = at_risk, stale = stale)}</p>
                <div class="flags">{flag_views(&d.flags)}</div>
            }
            .into_any()
        }
        _ => view! { <p class="empty">{t!(i18n, unit_no_figures)}</p> }.into_any(),
    };
    let header = d
        .matrix_cycles
        .iter()
        .map(|c| view! { <th>{c.clone()}</th> })
        .collect_view();
    let matrix = if d.matrix.is_empty() {
        view! { <p class="empty">{t!(i18n, unit_matrix_empty)}</p> }.into_any()
    } else {
        let rows = d
            .matrix
            .into_iter()
            .map(|r| {
                let href = format!("/officials/{}", r.official_id);
                let cells = r.levels.into_iter().map(level_cell).collect_view();
                view! { <tr><td><a href=href>{r.full_name}</a></td>{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="table status-matrix" data-testid="status-matrix">
                    <thead><tr><th>{t!(i18n, unit_col_official)}</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p class="legend">
                {Level::ALL.map(|l| view! {
                    <span class=format!("cell level-{}", l.code().to_lowercase())>" "</span>
                    <LevelLabel level=Some(l) />
                }).collect_view()}
            </p>
        }
        .into_any()
    };
    let query = format!("unit={}&cycle={chosen}", d.unit.id);
    let metrics = metrics_section(d.metrics, &query);
    let watch = watch_section(d.watch, d.watch_flagged);
    let reviewers = d.cycle.is_some().then(|| reviewer_flags(d.reviewers));
    view! {
        <nav class="breadcrumb">
            <a href="/compare">{t!(i18n, unit_compare_link)}</a>
            {parent}
            " › "<span>{d.unit.name.clone()}</span>
        </nav>
        <h1>{d.unit.name.clone()}</h1>
        <p class="muted"><KindLabel kind=d.kind /></p>
        <p>
            <a href=format!("/units/{}/calibration", d.unit.id) data-testid="calibration-link">{t!(i18n, calibration_link)}</a>
            " · "
            <a href=format!("/public/units/{}", encode_component(&d.unit.code)) rel="external" data-testid="public-link">
                {t!(i18n, public_link)}
            </a>
        </p>
        <form method="get" action=format!("/units/{}", d.unit.id) class="filters">
            <label>{t!(i18n, compare_cycle)}<select name="cycle">{options}</select></label>
            <button type="submit">{t!(i18n, search_apply)}</button>
        </form>
        <section class="card" data-testid="unit-staff">
            <h2>{t!(i18n, unit_title_staff)}</h2>
            <p>{t!(i18n, unit_staff, officials = officials, approved = approved)}" — "{staff}</p>
            <p><a href=officials_href>{t!(i18n, unit_officials_link)}</a></p>
        </section>
        {merged}
        <section class="card">
            <h2>{t!(i18n, unit_figures)}</h2>
            {figures}
        </section>
        {reviewers}
        {d.chart.map(|chart| view! { <ChartFigure chart=chart query=query.clone() /> })}
        {metrics}
        {watch}
        <section>
            <h2>{t!(i18n, unit_matrix)}</h2>
            {matrix}
        </section>
    }
}

fn level_cell(level: Option<Level>) -> impl IntoView {
    let i18n = use_i18n();
    match level {
        Some(l) => view! {
            <td class=format!("cell level-{}", l.code().to_lowercase()) title=l.code()>{l.code()}</td>
        }
        .into_any(),
        None => view! { <td class="cell">{t!(i18n, unit_no_level)}</td> }.into_any(),
    }
}

/// Each service metric: its latest value and month, its target and status, and its months
/// drawn against the target; an empty state when none has figures yet.
fn metrics_section(metrics: Vec<UnitMetric>, query: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let any = metrics.iter().any(|m| m.latest.is_some());
    let body = if any {
        metrics
            .into_iter()
            .map(|m| {
                let latest = m.latest.map(|v| {
                    let month = m.as_of.map(|d| d.format("%m/%Y").to_string()).unwrap_or_default();
                    let target = match v.target {
                        Some(t) => t!(i18n, unit_metric_target_is, target = format!("{t:.0}")).into_any(),
                        None => t!(i18n, unit_metric_no_target).into_any(),
                    };
                    view! {
                        <p>
                            <span class="metric-value">{t!(i18n, unit_metric_latest, value = format!("{:.1}", v.value), month = month)}</span>
                            " — "{target}" "<MetricStatusLabel status=v.status />
                        </p>
                    }
                });
                let query = query.to_owned();
                view! {
                    <div data-testid=format!("metric-{}", m.key.code())>
                        <h3><MetricName key=m.key /></h3>
                        {latest}
                        {m.chart.map(|chart| view! { <ChartFigure chart=chart query=query /> })}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    } else {
        view! { <p class="empty">{t!(i18n, unit_metrics_empty)}</p> }.into_any()
    };
    view! {
        <section class="card" data-testid="unit-metrics">
            <h2>{t!(i18n, unit_metrics)}</h2>
            <p class="muted">{t!(i18n, unit_metrics_intro)}</p>
            <div class="chart-grid">{body}</div>
        </section>
    }
}

/// The key results at risk or stale, the worst first, each with its owner, progress against
/// its pace, last check-in and confidence; the rules in a sentence above.
fn watch_section(watch: Vec<KrWatch>, flagged: u32) -> impl IntoView + use<> {
    use crate::domain::rollup::{AT_RISK_CONFIDENCE, AT_RISK_LAG, STALE_AFTER_DAYS};
    let i18n = use_i18n();
    let lag = format!("{:.0}", AT_RISK_LAG * 100.0);
    let shown = watch.len();
    let body = if watch.is_empty() {
        view! { <p class="empty">{t!(i18n, unit_watch_empty)}</p> }.into_any()
    } else {
        let rows = watch.into_iter().map(watch_row).collect_view();
        view! {
            {(flagged as usize > shown).then(|| view! {
                <p class="count">{t!(i18n, unit_watch_more, shown = shown, flagged = flagged)}</p>
            })}
            <div class="table-wrap">
                <table class="table watch-table" data-testid="watch-list">
                    <thead><tr>
                        <th>{t!(i18n, col_kr)}</th>
                        <th>{t!(i18n, unit_watch_owner)}</th>
                        <th>{t!(i18n, unit_watch_progress)}</th>
                        <th>{t!(i18n, unit_watch_last)}</th>
                        <th>{t!(i18n, unit_watch_confidence)}</th>
                        <th>{t!(i18n, unit_watch_status)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section data-testid="unit-watch">
            <h2>{t!(i18n, unit_watch)}</h2>
            <p class="muted">
                {t!(i18n, unit_watch_intro, lag = lag, confidence = AT_RISK_CONFIDENCE, days = STALE_AFTER_DAYS)}
            </p>
            {body}
        </section>
    }
}

fn watch_row(k: KrWatch) -> impl IntoView {
    let i18n = use_i18n();
    let owner = match k.owner {
        Some((id, name)) => {
            let href = format!("/officials/{id}");
            view! { <a href=href>{name}</a> }.into_any()
        }
        None => t!(i18n, unit_watch_own).into_any(),
    };
    let width = format!("width: {:.0}%", k.attainment * 100.0);
    let last = match k.last_check_in {
        Some(d) => d.format("%d/%m/%Y").to_string().into_any(),
        None => t!(i18n, unit_watch_never).into_any(),
    };
    view! {
        <tr>
            <td>{k.title}<span class="muted">{k.cycle}</span></td>
            <td>{owner}</td>
            <td class="num">
                {format!("{:.0}% / {:.0}%", k.attainment * 100.0, k.expected * 100.0)}
                <span class="bar" aria-hidden="true"><span style=width></span></span>
            </td>
            <td>{last}</td>
            <td class="num">{k.confidence.map_or_else(|| "–".to_owned(), |c| format!("{c}/10"))}</td>
            <td>
                {k.at_risk.then(|| view! { <span class="status status-at_risk">{t!(i18n, watch_at_risk)}</span>" " })}
                {k.stale.then(|| view! { <span class="status status-stale">{t!(i18n, watch_stale)}</span> })}
            </td>
        </tr>
    }
}
