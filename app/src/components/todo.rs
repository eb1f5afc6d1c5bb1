//! "What is due from me": the signed-in person's to-do list on the home page, each item with
//! its deadline badge and a link to where it is done. Nothing for someone not signed in.

use leptos::prelude::*;

use crate::api::dto::{Due, ToDoItem, Turn};
use crate::api::queue::my_todo;
use crate::i18n::{t, use_i18n};

/// The to-do card.
#[component]
pub fn ToDoList() -> impl IntoView {
    let i18n = use_i18n();
    let items = Resource::new(|| (), |()| my_todo());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Not signed in, or the list failed: the public page stays as it is.
                let items = items.await.ok().flatten()?;
                Some(view! {
                    <section class="card todo" data-testid="todo">
                        <h2>{t!(i18n, todo_title)}</h2>
                        {if items.is_empty() {
                            view! { <p class="empty">{t!(i18n, todo_empty)}</p> }.into_any()
                        } else {
                            view! { <ul>{items.into_iter().map(item).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                })
            })}
        </Suspense>
    }
}

/// One item: what, by when, and the link.
fn item(item: ToDoItem) -> impl IntoView {
    let i18n = use_i18n();
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let (text, href, badge) = match item {
        ToDoItem::OwnAssessment {
            assessment_id,
            cycle,
            returned,
            due,
            nearness,
        } => {
            let due = date(due);
            let text = if returned {
                t!(i18n, todo_returned, cycle, due).into_any()
            } else {
                t!(i18n, todo_self_assessment, cycle, due).into_any()
            };
            (
                text,
                format!("/assessments/{assessment_id}"),
                badge(nearness),
            )
        }
        ToDoItem::Waiting {
            turn,
            count,
            overdue,
            nearest,
        } => {
            let nearest = date(nearest);
            let (text, href) = match turn {
                Turn::Approver => (
                    t!(i18n, todo_to_approve, count, nearest).into_any(),
                    "/review?state=reviewed",
                ),
                _ => (
                    t!(i18n, todo_to_score, count, nearest).into_any(),
                    "/review",
                ),
            };
            let late = (overdue > 0).then(|| {
                view! { <span class="due due-overdue">{t!(i18n, todo_overdue_count, overdue)}</span> }
                    .into_any()
            });
            (text, href.to_owned(), late)
        }
        ToDoItem::NotSubmitted { count } => (
            t!(i18n, todo_not_submitted, count).into_any(),
            "/review?state=draft".to_owned(),
            None,
        ),
    };
    view! {
        <li>
            <a href=href>{text}</a>
            {badge.map(|b| view! { " " {b} })}
        </li>
    }
}

/// The badge of a deadline that is near or past (none when it is further away).
pub fn badge(due: Due) -> Option<AnyView> {
    let i18n = use_i18n();
    Some(match due {
        Due::Overdue(days) => {
            view! { <span class="due due-overdue">{t!(i18n, due_overdue, days)}</span> }.into_any()
        }
        Due::Today => view! { <span class="due due-soon">{t!(i18n, due_today)}</span> }.into_any(),
        Due::Soon(days) => {
            view! { <span class="due due-soon">{t!(i18n, due_soon, days)}</span> }.into_any()
        }
        Due::Later => return None,
    })
}
