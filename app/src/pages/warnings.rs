//! `/warnings` — early warning: what needs attention in the reader's scope, the most urgent
//! first, each item with its reason, its evidence and a link; reviewers and leaders
//! acknowledge an item with a note (it then leaves the top); administrators change the rules'
//! thresholds and windows. Filtered and paged by a GET form; every form works without
//! JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::warnings::{
    AcknowledgeWarning, SaveWarningRules, WarningItem, WarningsPage, warnings,
};
use crate::components::error_view::ErrorView;
use crate::components::rule_inputs::rule_inputs;
use crate::components::saves::{answer, confirm_from_address, saves, track};
use crate::components::typed::Typed;
use crate::domain::warning::{Evidence, Rule, WARNING_FIELDS};
use crate::i18n::{t, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Acknowledged,
    Rules,
}

#[derive(Clone, Copy)]
struct Forms {
    acknowledge: ServerAction<AcknowledgeWarning>,
    rules: ServerAction<SaveWarningRules>,
}

/// The early-warning page.
#[component]
pub fn WarningsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let rule = move || query.read().get("rule").filter(|r| !r.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u64>().ok());
    let forms = Forms {
        acknowledge: ServerAction::new(),
        rules: ServerAction::new(),
    };
    let saved = [saves(forms.acknowledge), saves(forms.rules)];
    let list = Resource::new(
        move || (rule(), page(), saved.map(|s| s.get())),
        |(rule, page, _)| warnings(rule, page),
    );
    let outcome = RwSignal::new(None);
    track(outcome, forms.acknowledge, Saved::Acknowledged);
    track(outcome, forms.rules, Saved::Rules);
    confirm_from_address(outcome, |which| match which {
        "acknowledged" => Some(Saved::Acknowledged),
        "rules" => Some(Saved::Rules),
        _ => None,
    });
    let answer = answer(outcome, move |which| match which {
        Saved::Acknowledged => t!(i18n, warnings_acknowledged).into_any(),
        Saved::Rules => t!(i18n, warnings_rules_saved).into_any(),
    });
    view! {
        <section class="page warnings">
            {answer}
            <h1>{t!(i18n, warnings_title)}</h1>
            <p class="intro">{t!(i18n, warnings_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(p) => body(p, forms).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The translated name of a rule.
pub fn rule_name(rule: Rule) -> AnyView {
    let i18n = use_i18n();
    match rule {
        Rule::Behind => t!(i18n, rule_behind).into_any(),
        Rule::NotStarted => t!(i18n, rule_not_started).into_any(),
        Rule::Stale => t!(i18n, rule_stale).into_any(),
        Rule::MetricStale => t!(i18n, rule_metric_stale).into_any(),
        Rule::SelfDue => t!(i18n, rule_self_due).into_any(),
        Rule::ReviewOverdue => t!(i18n, rule_review_overdue).into_any(),
        Rule::OfficialDown => t!(i18n, rule_official_down).into_any(),
        Rule::UnitDown => t!(i18n, rule_unit_down).into_any(),
    }
}

/// The reason of a warning, in words, from its evidence.
pub fn reason(evidence: &Evidence) -> AnyView {
    let i18n = use_i18n();
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let one = |x: f64| format!("{x:.1}");
    match evidence.clone() {
        Evidence::Behind {
            attainment,
            expected,
        } => t!(
            i18n,
            warn_behind,
            attainment = attainment,
            expected = expected
        )
        .into_any(),
        Evidence::NotStarted { started_on, days } => {
            t!(i18n, warn_not_started, days = days, date = date(started_on)).into_any()
        }
        Evidence::Stale {
            last: Some(last),
            days,
            every_days,
        } => t!(
            i18n,
            warn_stale,
            date = date(last),
            days = days,
            every = every_days
        )
        .into_any(),
        Evidence::Stale {
            last: None,
            days,
            every_days,
        } => t!(i18n, warn_stale_never, days = days, every = every_days).into_any(),
        Evidence::SelfDue { due_on, days_left } if days_left >= 0 => {
            t!(i18n, warn_self_due, date = date(due_on), days = days_left).into_any()
        }
        Evidence::SelfDue { due_on, days_left } => {
            t!(i18n, warn_self_late, date = date(due_on), days = -days_left).into_any()
        }
        Evidence::ReviewOverdue { due_on, days_late } => t!(
            i18n,
            warn_review_overdue,
            date = date(due_on),
            days = days_late
        )
        .into_any(),
        Evidence::Falling { scores } => {
            let scores = scores
                .iter()
                .map(|s| one(*s))
                .collect::<Vec<_>>()
                .join(" → ");
            t!(i18n, warn_falling, scores = scores).into_any()
        }
        Evidence::BelowMean { run, points, mean } => t!(
            i18n,
            warn_below_mean,
            run = run,
            points = points,
            mean = one(mean)
        )
        .into_any(),
        Evidence::BeyondLimit {
            score,
            mean,
            sigma,
            sigmas,
            points,
        } => t!(
            i18n,
            warn_beyond,
            score = one(score),
            mean = one(mean),
            sigma = one(sigma),
            sigmas = sigmas,
            points = points
        )
        .into_any(),
    }
}

fn body(p: WarningsPage, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let as_of = p.as_of.map(|at| {
        (at + chrono::Duration::hours(7))
            .format("%H:%M %d/%m/%Y")
            .to_string()
    });
    let as_of =
        as_of.map(|at| view! { <p class="muted small">{t!(i18n, warnings_as_of, at = at)}</p> });
    let chosen = p.rule.map(Rule::code).unwrap_or_default();
    let options = Rule::ALL
        .iter()
        .map(|r| {
            let n: u64 = p.counts.iter().filter(|c| c.0 == *r).map(|c| c.1).sum();
            view! { <option value=r.code() selected=r.code() == chosen>{rule_name(*r)}" ("{n}")"</option> }
        })
        .collect_view();
    let total: u64 = p.counts.iter().map(|c| c.1).sum();
    let filters = view! {
        <form method="get" action="/warnings" class="filters" data-testid="warnings-filters">
            <label>
                <span>{t!(i18n, field_rule)}</span>
                <select name="rule">
                    <option value="" selected=chosen.is_empty()>{t!(i18n, warnings_every_rule)}" ("{total}")"</option>
                    {options}
                </select>
            </label>
            <button type="submit">{t!(i18n, search_apply)}</button>
        </form>
    };
    let rules = p
        .may_edit_rules
        .then(|| rules_form(p.rules.values(), p.rules_version, forms));
    let list = if p.items.is_empty() {
        view! { <p class="empty" data-testid="warnings-empty">{t!(i18n, warnings_empty)}</p> }
            .into_any()
    } else {
        let may = p.may_acknowledge;
        view! {
            <ol class="warning-list" data-testid="warnings">
                {p.items.into_iter().map(|w| item(w, may, forms)).collect_view()}
            </ol>
        }
        .into_any()
    };
    let rule_q = p
        .rule
        .map(|r| format!("&rule={}", r.code()))
        .unwrap_or_default();
    let link = move |to: u64| format!("/warnings?page={to}{rule_q}");
    let prev = (p.page > 1).then(|| {
        let href = link(p.page - 1);
        view! { <a href=href rel="prev">{t!(i18n, page_prev)}</a> }
    });
    let next = (p.page < p.pages).then(|| {
        let href = link(p.page + 1);
        view! { <a href=href rel="next">{t!(i18n, page_next)}</a> }
    });
    let (page, pages) = (p.page, p.pages);
    view! {
        {as_of}
        {filters}
        {list}
        {(pages > 1).then(|| view! {
            <nav class="pager">{prev}" "<span>{t!(i18n, page_of, current = page, pages = pages)}</span>" "{next}</nav>
        })}
        {rules}
    }
}

fn item(w: WarningItem, may_acknowledge: bool, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let who = match &w.official {
        Some((_, name, code)) => format!("{name} ({code}) · {}", w.unit_name),
        None => w.unit_name.clone(),
    };
    let why = w.evidence.as_ref().map(reason);
    let key_result = w
        .key_result
        .clone()
        .map(|title| view! { <p class="muted">{title}</p> });
    let acknowledged = w.acknowledged.clone().map(|(by, at, note)| {
        let at = (at + chrono::Duration::hours(7)).format("%d/%m/%Y").to_string();
        view! { <p class="muted small" data-testid="warning-acknowledged">{t!(i18n, warnings_acknowledged_by, by = by, at = at)}" "{note}</p> }
    });
    let form = (may_acknowledge && w.acknowledged.is_none()).then(|| {
        view! {
            <ActionForm action=forms.acknowledge attr:class="inline-form" attr:data-testid="acknowledge">
                <input type="hidden" name="id" value=w.id />
                <label>{t!(i18n, field_note)}
                    <input name="note" maxlength="1000" />
                </label>
                <button type="submit" class="secondary">{t!(i18n, warnings_acknowledge)}</button>
            </ActionForm>
        }
    });
    let class = if w.acknowledged.is_some() {
        "warning acknowledged"
    } else {
        "warning"
    };
    view! {
        <li class=class data-testid="warning" data-rule=w.rule.code()>
            <p class="warning-head"><span class="tag">{rule_name(w.rule)}</span>" "<strong>{who}</strong></p>
            {key_result}
            <p>{why}" "<a href=w.link.clone()>{t!(i18n, warnings_open)}</a></p>
            {acknowledged}
            {form}
        </li>
    }
}

fn rules_form(values: [u32; 11], version: i32, forms: Forms) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let inputs = rule_inputs(Typed::of::<SaveWarningRules>(), &WARNING_FIELDS, &values);
    view! {
        <details class="rules" data-testid="warning-rules">
            <summary>{t!(i18n, warnings_rules)}</summary>
            <p class="muted small">{t!(i18n, warnings_rules_help)}</p>
            <ActionForm action=forms.rules attr:class="stacked">
                <input type="hidden" name="version" value=version />
                {inputs}
                <button type="submit">{t!(i18n, warnings_rules_save)}</button>
            </ActionForm>
        </details>
    }
}
