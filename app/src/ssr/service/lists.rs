//! Reading lists: officials (a page read at the current data version is kept and served again
//! until a write raises the version, [`crate::ssr::cache`]) and the review queue.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::Actor;
use crate::domain::CycleState;
use crate::domain::access::{Action, Principal, Scope, scope_of_any};
use crate::domain::deadline::{Deadlines, NextStep, local_date};
use crate::error::AppError;
use crate::ssr::cache::{Caches, OfficialsPage};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::queue::{self, QueueFilter, Waiting};
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

/// The review queue of a reviewer or approver: the assessments of open cycles they may score
/// or approve, matching `filter` (one page, and how many in all), each with whose turn it is
/// and its deadline seen on `now`'s local date; and the open cycles to filter by. Refused
/// (`Forbidden`, audited) for someone who may score or approve nowhere.
pub async fn review_queue(
    db: &impl ConnectionTrait,
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
        let what = ("queue", 0);
        super::refuse(
            db,
            &actor.audit,
            Action::Score,
            &Default::default(),
            what,
            now,
        )
        .await?;
    }
    let (rows, total) = queue::page(db, &scope, filter).await?;
    let today = local_date(now);
    let rows = rows
        .into_iter()
        .map(|waiting| {
            let next = Deadlines::legal(&waiting.period_kind, waiting.ends_on)
                .and_then(|d| d.next_step(waiting.state, today));
            (waiting, next)
        })
        .collect();
    let cycles = cycles::started(db)
        .await?
        .into_iter()
        .filter(|c| c.state != CycleState::Closed.code())
        .collect();
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewQueue {
    /// Each assessment with whose turn it is, by when, and how near that is.
    pub rows: Vec<(Waiting, Option<NextStep>)>,
    pub total: u64,
    /// The cycles that are not closed, the latest first.
    pub cycles: Vec<Cycle>,
}
