//! Reading lists: officials (a page read at the current data version is kept and served again
//! until a write raises the version, [`crate::ssr::cache`]) and the review queue.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, bounded_text, invalid};
use crate::domain::access::{Action, Principal, Scope, scope_of_any};
use crate::domain::deadline::{NextStep, local_date};
use crate::domain::text::contains_pattern;
use crate::domain::{AssessmentState, CycleState};
use crate::error::AppError;
use crate::ssr::cache::{Caches, OfficialsPage};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::queue::{self, QueueFilter, QueueSort, Waiting};
use crate::ssr::repo::{people, versions};

/// The first `limit` active officials in `scope` matching the folded `pattern`, and how many
/// match in all ([`people::officials_page`]).
pub async fn officials(
    db: &impl ConnectionTrait,
    caches: &Caches,
    scope: &Scope,
    pattern: Option<&str>,
    limit: u64,
) -> Result<Arc<OfficialsPage>, AppError> {
    // The version first: a write committed after it only makes the page newer than its key.
    let version = versions::current(db, versions::PEOPLE).await?;
    let key = (scope.clone(), pattern.map(str::to_owned), limit);
    if let Some(page) = caches.officials.get(&key, version) {
        return Ok(page);
    }
    let page = Arc::new(people::officials_page(db, scope, pattern, limit).await?);
    caches.officials.put(key, version, Arc::clone(&page));
    Ok(page)
}

/// Rows on one page of the review queue.
pub const QUEUE_PAGE_ROWS: u64 = 50;

/// The longest search text of the review queue, in characters.
pub const QUEUE_QUERY_MAX_CHARS: usize = 200;

/// The review queue as asked for, every part optional (a GET form's fields).
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueAsked<'a> {
    /// A state code, `all`, or nothing: self-assessed (waiting for a score).
    pub state: Option<&'a str>,
    pub cycle: Option<i64>,
    pub text: Option<&'a str>,
    /// `deadline` (the default), `name`, `score` or `self`.
    pub sort: Option<&'a str>,
    /// 1-based.
    pub page: Option<u64>,
}

/// The queue's filter, or `Invalid` naming the bad field (`state`, `sort`, `q`).
pub fn queue_filter(asked: QueueAsked<'_>) -> Result<QueueFilter, AppError> {
    let state = match asked.state.unwrap_or_default() {
        "" => Some(AssessmentState::SelfAssessed),
        "all" => None,
        code => Some(
            AssessmentState::from_code(code).ok_or_else(|| invalid("state", "unknown_state"))?,
        ),
    };
    let sort = match asked.sort.unwrap_or_default() {
        "" | "deadline" => QueueSort::Deadline,
        "name" => QueueSort::Name,
        "score" => QueueSort::Score,
        "self" => QueueSort::SelfScore,
        _ => return Err(invalid("sort", "unknown_sort")),
    };
    let text = bounded_text("q", asked.text.unwrap_or_default(), QUEUE_QUERY_MAX_CHARS)?;
    let page = asked.page.unwrap_or(1).max(1);
    Ok(QueueFilter {
        state,
        cycle_id: asked.cycle,
        pattern: contains_pattern(&text),
        sort,
        offset: (page - 1).saturating_mul(QUEUE_PAGE_ROWS),
        limit: QUEUE_PAGE_ROWS,
    })
}

/// The review queue of a reviewer or approver: the assessments of open cycles they may score
/// or approve, matching `filter` (one page, and how many in all), each with whose turn it is
/// and its deadline seen on `now`'s local date; and the open cycles to filter by. Refused
/// (`Forbidden`, audited) for someone who may score or approve nowhere.
pub async fn review_queue(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<ReviewQueue, AppError> {
    // The queue is a person's: the command line has none.
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    let scope = reviewing(principal);
    if scope.is_empty() {
        super::refuse_anywhere(db, actor, Action::Score, ("queue", 0), now).await?;
    }
    let read = crate::ssr::db::read_planned_for_values(db).await?;
    let (rows, total) = queue::page(&read, &scope, filter).await?;
    let today = local_date(now);
    let mut codes: Vec<String> = rows.iter().map(|w| w.cycle_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let of_rows = cycles::find_by_codes(&read, &codes).await?;
    let rows = rows
        .into_iter()
        .map(|waiting| {
            let next = of_rows
                .get(&waiting.cycle_code)
                .and_then(cycles::Cycle::deadlines)
                .and_then(|d| d.next_step(waiting.state, today));
            (waiting, next)
        })
        .collect();
    let cycles = cycles::started(&read)
        .await?
        .into_iter()
        .filter(|c| c.state != CycleState::Closed.code())
        .collect();
    read.commit().await?;
    Ok(ReviewQueue {
        rows,
        total,
        cycles,
    })
}

/// Whom a principal reviews or approves: their scopes to score and to approve together.
pub fn reviewing(principal: &Principal) -> Scope {
    scope_of_any(principal, &[Action::Score, Action::Approve])
}

/// A page of the review queue ([`review_queue`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewQueue {
    /// Each assessment with whose turn it is, by when, and how near that is.
    pub rows: Vec<(Waiting, Option<NextStep>)>,
    pub total: u64,
    /// The cycles that are not closed, the latest first.
    pub cycles: Vec<Cycle>,
}
