//! The review queue: the assessments waiting on a reviewer or an approver.

use leptos::prelude::*;

use super::dto::{QueueQuery, ReviewQueue};
use crate::error::AppError;

/// The assessments of open cycles the caller may score or approve, filtered, sorted and paged
/// in SQL; refused for someone who may do neither anywhere.
#[server(name = QueuePage, prefix = "/api", endpoint = "queue")]
pub async fn review_queue(#[server(default)] query: QueueQuery) -> Result<ReviewQueue, AppError> {
    use crate::ssr::service::lists;
    let caller = crate::ssr::auth::guard::caller()?;
    let filter = lists::queue_filter(lists::QueueAsked {
        state: query.state.as_deref(),
        cycle: query.cycle,
        text: query.q.as_deref(),
        sort: query.sort.as_deref(),
        page: query.page,
    })?;
    let queue = lists::review_queue(
        &caller.state.db,
        &caller.service_actor(),
        &filter,
        chrono::Utc::now(),
    )
    .await?;
    Ok(wire(queue, &filter))
}

/// The wire page of the service's queue.
#[cfg(feature = "ssr")]
fn wire(
    queue: crate::ssr::service::lists::ReviewQueue,
    filter: &crate::ssr::repo::queue::QueueFilter,
) -> ReviewQueue {
    use super::dto::{CycleOption, QueueRow};
    let rows = queue
        .rows
        .into_iter()
        .map(|(w, next)| QueueRow {
            assessment_id: w.assessment_id,
            official_id: w.official_id,
            full_name: w.full_name,
            personnel_code: w.personnel_code,
            unit_name: w.unit_name,
            cycle_code: w.cycle_code,
            state: w.state,
            next,
            self_points: w.self_points,
            score: w.score,
            engine_level: w.engine_level,
        })
        .collect();
    ReviewQueue {
        rows,
        total: queue.total,
        page: filter.offset / filter.limit.max(1) + 1,
        pages: queue.total.div_ceil(filter.limit.max(1)).max(1),
        cycles: queue
            .cycles
            .into_iter()
            .map(|c| CycleOption {
                id: c.id,
                code: c.code,
            })
            .collect(),
    }
}

/// What is due from the signed-in person (`None` for someone not signed in).
#[server(name = MyToDo, prefix = "/api", endpoint = "todo")]
pub async fn my_todo() -> Result<Option<Vec<super::dto::ToDoItem>>, AppError> {
    use crate::ssr::auth::guard;
    if guard::current_user().is_none() {
        return Ok(None);
    }
    let caller = guard::caller()?;
    let items = crate::ssr::service::todo::todo(
        &caller.state.db,
        &caller.service_actor(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Some(items.into_iter().map(to_do).collect()))
}

/// The wire item of the service's to-do.
#[cfg(feature = "ssr")]
fn to_do(item: crate::ssr::service::todo::ToDo) -> super::dto::ToDoItem {
    use super::dto::ToDoItem;
    use crate::ssr::service::todo::ToDo;
    match item {
        ToDo::OwnAssessment {
            assessment_id,
            cycle,
            returned,
            due,
            nearness,
        } => ToDoItem::OwnAssessment {
            assessment_id,
            cycle,
            returned,
            due,
            nearness,
        },
        ToDo::Waiting {
            turn,
            count,
            overdue,
            nearest,
        } => ToDoItem::Waiting {
            turn,
            count,
            overdue,
            nearest,
        },
        ToDo::NotSubmitted { count } => ToDoItem::NotSubmitted { count },
    }
}
