//! `/review` — the review queue: the assessments of open cycles waiting on the signed-in
//! reviewer or approver, with whose turn it is, the deadline and how near it is, the
//! official's own points and the engine's score and level. Filtered, sorted and paged by a
//! GET form, so it works the same without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::dto::{NextStep, QueueQuery, QueueRow, ReviewQueue, Turn};
use crate::api::queue::review_queue;
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, StateLabel};
use crate::i18n::{t, t_string, use_i18n};

/// The state filter's choices (the empty code is the default: waiting for a score).
const STATES: [&str; 6] = ["", "reviewed", "returned", "draft", "approved", "all"];
/// The sort choices.
const SORTS: [&str; 4] = ["deadline", "name", "score", "self"];

/// The review queue page.
#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        QueueQuery {
            state: q.get("state").filter(|s| !s.is_empty()),
            cycle: q.get("cycle").and_then(|c| c.parse().ok()),
            q: q.get("q"),
            sort: q.get("sort").filter(|s| !s.is_empty()),
            page: q.get("page").and_then(|p| p.parse().ok()),
        }
    };
    let queue = Resource::new(asked, review_queue);
    view! {
        <section class="page queue">
            <h1>{t!(i18n, queue_title)}</h1>
            <p class="intro">{t!(i18n, queue_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let asked = asked();
                    match queue.await {
                        Ok(page) => view! { {filters(&page, &asked)} {table(page, &asked)} }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The filter form (GET): state, cycle, text and sort.
fn filters(page: &ReviewQueue, asked: &QueueQuery) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let state = asked.state.clone().unwrap_or_default();
    let sort = asked.sort.clone().unwrap_or_else(|| "deadline".into());
    let cycle = asked.cycle;
    let text = asked.q.clone().unwrap_or_default();
    let cycles = page.cycles.clone();
    view! {
        <form method="get" action="/review" class="filters" data-testid="queue-filters">
            <label>
                <span>{t!(i18n, field_state)}</span>
                {choices("state", &STATES, &state, state_choice)}
            </label>
            <label>
                <span>{t!(i18n, field_cycle)}</span>
                <select name="cycle">
                    <option value="" selected=cycle.is_none()>{t!(i18n, queue_every_cycle)}</option>
                    {cycles.into_iter().map(|c| view! {
                        <option value=c.id.to_string() selected=cycle == Some(c.id)>{c.code}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, field_q)}</span>
                <input type="search" name="q" value=text maxlength="200" />
            </label>
            <label>
                <span>{t!(i18n, field_sort)}</span>
                {choices("sort", &SORTS, &sort, sort_choice)}
            </label>
            <button type="submit">{t!(i18n, search_apply)}</button>
        </form>
    }
}

/// A select of fixed `codes`, `current` selected, each named by `name_of`.
fn choices(
    name: &'static str,
    codes: &[&'static str],
    current: &str,
    name_of: fn(&str) -> AnyView,
) -> impl IntoView + use<> {
    let options = codes
        .iter()
        .map(|code| {
            let selected = *code == current;
            view! { <option value=*code selected=selected>{name_of(code)}</option> }
        })
        .collect_view();
    view! { <select name=name>{options}</select> }
}

/// The rows, or what to do when there are none; the pages' links.
fn table(page: ReviewQueue, asked: &QueueQuery) -> AnyView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p class="empty" data-testid="queue-empty">{t!(i18n, queue_empty)}</p> }
            .into_any();
    }
    let (shown, total) = (page.rows.len(), page.total);
    let (current, pages) = (page.page, page.pages);
    let link = |to: u64| page_link(asked, to);
    let prev = (current > 1).then(|| link(current - 1));
    let next = (current < pages).then(|| link(current + 1));
    view! {
        <p class="count" data-testid="queue-count">{t!(i18n, queue_count, shown, total)}</p>
        <div class="table-wrap">
            <table class="table cards" data-testid="queue">
                <thead><tr>
                    <th>{t!(i18n, col_full_name)}</th>
                    <th>{t!(i18n, col_unit)}</th>
                    <th>{t!(i18n, col_cycle)}</th>
                    <th>{t!(i18n, col_state)}</th>
                    <th>{t!(i18n, col_deadline)}</th>
                    <th class="num">{t!(i18n, col_self_points)}</th>
                    <th class="num">{t!(i18n, col_score)}</th>
                    <th>{t!(i18n, col_engine_level)}</th>
                    <th>{t!(i18n, col_explanation)}</th>
                </tr></thead>
                <tbody>{page.rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, queue_pages)>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, page_prev)}</a> })}
            <span>{t!(i18n, page_of, current, pages)}</span>
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, page_next)}</a> })}
        </nav>
    }
    .into_any()
}

/// One waiting assessment; each cell names its column (read out on a phone, where the rows
/// become cards).
fn row(r: QueueRow) -> impl IntoView {
    let i18n = use_i18n();
    let points = |p: Option<f64>| p.map(|p| format!("{p:.2}")).unwrap_or_else(|| "—".into());
    view! {
        <tr data-testid="queue-row">
            <td class="card-title">
                <a href=format!("/officials/{}", r.official_id)>{r.full_name}</a>
                <br /><small>{r.personnel_code}</small>
            </td>
            <td data-label=move || t_string!(i18n, col_unit)>{r.unit_name}</td>
            <td data-label=move || t_string!(i18n, col_cycle)>{r.cycle_code}</td>
            <td data-label=move || t_string!(i18n, col_state)><StateLabel code=r.state.code().to_owned() /></td>
            <td data-label=move || t_string!(i18n, col_deadline)>{deadline(r.next)}</td>
            <td class="num" data-label=move || t_string!(i18n, col_self_points)>{points(r.self_points)}</td>
            <td class="num" data-label=move || t_string!(i18n, col_score)>{points(r.score)}</td>
            <td data-label=move || t_string!(i18n, col_engine_level)><LevelLabel level=r.engine_level /></td>
            <td><a href=format!("/assessments/{}", r.assessment_id)>{t!(i18n, queue_explain)}</a></td>
        </tr>
    }
}

/// Whose turn, the date, and a badge when it is near or past.
fn deadline(next: Option<NextStep>) -> AnyView {
    let i18n = use_i18n();
    let Some(NextStep {
        turn,
        due,
        nearness,
    }) = next
    else {
        return view! { "—" }.into_any();
    };
    let whose = match turn {
        Turn::Official => t!(i18n, turn_official).into_any(),
        Turn::Reviewer => t!(i18n, turn_reviewer).into_any(),
        Turn::Approver => t!(i18n, turn_approver).into_any(),
    };
    let badge = crate::components::todo::badge(nearness);
    view! {
        <span class="deadline">{due.format("%d/%m/%Y").to_string()}</span>
        <br /><small>{whose}</small>
        {badge.map(|b| view! { <br />{b} })}
    }
    .into_any()
}

/// The translated name of a state choice.
fn state_choice(code: &str) -> AnyView {
    let i18n = use_i18n();
    match code {
        "" => t!(i18n, queue_state_waiting).into_any(),
        "reviewed" => t!(i18n, queue_state_reviewed).into_any(),
        "returned" => t!(i18n, queue_state_returned).into_any(),
        "draft" => t!(i18n, queue_state_draft).into_any(),
        "approved" => t!(i18n, queue_state_approved).into_any(),
        _ => t!(i18n, queue_state_all).into_any(),
    }
}

/// The translated name of a sort choice.
fn sort_choice(code: &str) -> AnyView {
    let i18n = use_i18n();
    match code {
        "name" => t!(i18n, queue_sort_name).into_any(),
        "score" => t!(i18n, queue_sort_score).into_any(),
        "self" => t!(i18n, queue_sort_self).into_any(),
        _ => t!(i18n, queue_sort_deadline).into_any(),
    }
}

/// The address of page `to` with the same filters (empty ones left out).
fn page_link(asked: &QueueQuery, to: u64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let pairs = [
        ("state", asked.state.clone()),
        ("cycle", asked.cycle.map(|c| c.to_string())),
        ("q", asked.q.clone()),
        ("sort", asked.sort.clone()),
        ("page", Some(to.to_string())),
    ];
    for (key, value) in pairs {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            query.append_pair(key, &value);
        }
    }
    format!("/review?{}", query.finish())
}
