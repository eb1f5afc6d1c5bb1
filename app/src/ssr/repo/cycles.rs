//! Queries and writes on evaluation cycles (periods under one scheme version).

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use crate::domain::deadline::{Deadlines, Overrides};
use crate::domain::lifecycle::CycleState;
use crate::error::AppError;
use crate::ssr::entity::cycle;

/// A cycle as the rest of the application sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle {
    pub id: i64,
    pub code: String,
    pub scheme_id: String,
    pub scheme_version: String,
    /// `month`, `quarter` or `year`.
    pub period_kind: String,
    pub year: i32,
    pub period_no: i32,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    /// `open`, `review`, `approved`, `closed` …
    pub state: String,
    /// The cycle's own deadlines, each replacing its legal default when set.
    pub own_deadlines: Overrides,
}

/// The read model of a row.
pub fn to_cycle(model: cycle::Model) -> Cycle {
    Cycle {
        id: model.id,
        code: model.code,
        scheme_id: model.scheme_id,
        scheme_version: model.scheme_version,
        period_kind: model.period_kind,
        year: model.year,
        period_no: model.period_no,
        starts_on: model.starts_on,
        ends_on: model.ends_on,
        state: model.state,
        own_deadlines: Overrides {
            self_assessment: model.self_due_on,
            review: model.review_due_on,
            approval: model.approval_due_on,
        },
    }
}

/// The cycle with this id; `NotFound` if none.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Cycle, AppError> {
    cycle::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_cycle)
        .ok_or(AppError::NotFound)
}

impl Cycle {
    /// The cycle's deadlines: the legal defaults of its period with its own in their place
    /// (`None` for a period of unknown kind).
    pub fn deadlines(&self) -> Option<Deadlines> {
        Deadlines::of_cycle(&self.period_kind, self.ends_on, self.own_deadlines)
    }

    /// The cycle's place in its life; an unknown stored code is an internal error.
    pub fn lifecycle(&self) -> Result<CycleState, AppError> {
        CycleState::from_code(&self.state).ok_or_else(|| {
            AppError::internal(format!(
                "cycle {} has unknown state {:?}",
                self.id, self.state
            ))
        })
    }
}

/// The cycle with this code, if any.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<Cycle>, AppError> {
    Ok(cycle::Entity::find()
        .filter(cycle::Column::Code.eq(code))
        .one(db)
        .await?
        .map(to_cycle))
}

/// The cycles with these codes, by code (unknown codes are simply absent).
pub async fn find_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, Cycle>, AppError> {
    let mut found = HashMap::new();
    for chunk in codes.chunks(500) {
        let models = cycle::Entity::find()
            .filter(cycle::Column::Code.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        found.extend(models.into_iter().map(|m| (m.code.clone(), to_cycle(m))));
    }
    Ok(found)
}

/// Creates a cycle (`id` is ignored) and returns its id; `Conflict` when a cycle with its code
/// was written meanwhile (the code is unique).
pub async fn insert(db: &impl ConnectionTrait, cycle: Cycle) -> Result<i64, AppError> {
    let model = cycle::ActiveModel {
        code: Set(cycle.code),
        scheme_id: Set(cycle.scheme_id),
        scheme_version: Set(cycle.scheme_version),
        period_kind: Set(cycle.period_kind),
        year: Set(cycle.year),
        period_no: Set(cycle.period_no),
        starts_on: Set(cycle.starts_on),
        ends_on: Set(cycle.ends_on),
        state: Set(cycle.state),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict,
        _ => err.into(),
    })?;
    Ok(model.id)
}

/// The version of a cycle's row (for a change made from a page read at that version).
pub async fn version_of(db: &impl ConnectionTrait, id: i64) -> Result<i32, AppError> {
    cycle::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|c| c.version)
        .ok_or(AppError::NotFound)
}

/// Writes a cycle's state if it is still at `version` (else `Conflict`).
pub async fn write_state(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    state: CycleState,
) -> Result<(), AppError> {
    let changes = cycle::ActiveModel {
        state: Set(state.code().to_owned()),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// Writes a cycle's own deadlines if it is still at `version` (else `Conflict`).
pub async fn write_deadlines(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    own: Overrides,
) -> Result<(), AppError> {
    let changes = cycle::ActiveModel {
        self_due_on: Set(own.self_assessment),
        review_due_on: Set(own.review),
        approval_due_on: Set(own.approval),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// The deadlines of these cycles, by id (the legal defaults with each cycle's own).
pub async fn deadlines_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Deadlines>, AppError> {
    let models = cycle::Entity::find()
        .filter(cycle::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(models
        .into_iter()
        .map(to_cycle)
        .filter_map(|c| c.deadlines().map(|d| (c.id, d)))
        .collect())
}

/// Every cycle past planning, the latest first (cycles number in the dozens a year).
pub async fn started(db: &impl ConnectionTrait) -> Result<Vec<Cycle>, AppError> {
    use sea_orm::QueryOrder;
    Ok(cycle::Entity::find()
        .filter(cycle::Column::State.ne(crate::domain::CycleState::Planning.code()))
        .order_by_desc(cycle::Column::EndsOn)
        .order_by_desc(cycle::Column::StartsOn)
        .order_by_asc(cycle::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(to_cycle)
        .collect())
}

/// The latest `limit` cycles (by end, then start, then code) with their row versions — the
/// cycles page; cycles number in the dozens a year.
pub async fn latest(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<(Cycle, i32)>, AppError> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(cycle::Entity::find()
        .order_by_desc(cycle::Column::EndsOn)
        .order_by_desc(cycle::Column::StartsOn)
        .order_by_asc(cycle::Column::Code)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let version = m.version;
            (to_cycle(m), version)
        })
        .collect())
}
