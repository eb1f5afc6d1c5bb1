//! Moving a cycle through its life: one step forward at a time, or reopening a closed cycle
//! with a written reason — by an administrator, on the rules of
//! [`domain::lifecycle::CycleMove`](crate::domain::lifecycle::CycleMove), audited.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, bounded_text, invalid};
use crate::domain::access::{Action, may_somewhere};
use crate::domain::deadline::{Deadlines, Overrides, check_overrides};
use crate::domain::lifecycle::{CycleMove, CycleState};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::cycles;

/// Allows someone who may `action` cycles somewhere (and the command line); refuses anyone
/// else with `Forbidden`, audited against cycle `id` (0: none in particular).
async fn manager_only(
    db: &DatabaseConnection,
    actor: &Actor,
    action: Action,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match &actor.principal {
        Some(principal) if !may_somewhere(principal, action) => {
            super::refuse_anywhere(db, actor, action, ("cycle", id), now).await
        }
        _ => Ok(()),
    }
}

/// A move of a cycle as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleChange {
    pub cycle_id: i64,
    /// The version the administrator saw.
    pub version: i32,
    pub step: CycleMove,
    /// Required to reopen.
    pub reason: String,
}

/// Makes the move and returns the cycle's new state; refused, changing nothing, without a
/// reason to reopen (`Invalid` on `reason`), for someone who administers nothing
/// (`Forbidden`, audited), for a move the state machine does not allow (`Invalid` on `state`),
/// or from an old version (`Conflict`).
pub async fn change(
    db: &DatabaseConnection,
    actor: &Actor,
    input: CycleChange,
    now: DateTime<Utc>,
) -> Result<CycleState, AppError> {
    let reason = bounded_text(
        "reason",
        &input.reason,
        super::assessments::REASON_MAX_CHARS,
    )?;
    if input.step.needs_reason() && reason.is_empty() {
        return Err(invalid("reason", "reason_required"));
    }
    manager_only(db, actor, input.step.action(), input.cycle_id, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let cycle = cycles::find(&txn, input.cycle_id).await?;
    let from = cycle.lifecycle()?;
    let to = input
        .step
        .apply(from)
        .map_err(|refused| invalid("state", refused.key))?;
    if cycles::version_of(&txn, cycle.id).await? != input.version {
        return Err(AppError::Conflict);
    }
    cycles::write_state(&txn, cycle.id, input.version, to).await?;
    let change = Change {
        action: format!("cycle_{}", input.step.code()),
        entity: "cycle".into(),
        entity_id: Some(cycle.code.clone()),
        before: Some(serde_json::json!({ "state": from.code(), "version": input.version })),
        after: Some(serde_json::json!({
            "state": to.code(),
            "version": input.version + 1,
            "reason": reason,
        })),
        unit_id: None,
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(to)
}

/// A cycle's own deadlines as typed (`YYYY-MM-DD`; empty keeps the legal default).
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineChange {
    pub cycle_id: i64,
    /// The version the administrator saw.
    pub version: i32,
    /// The self-assessment's, the review's and the approval's, in that order.
    pub typed: [String; 3],
}

/// Sets a cycle's own deadlines (checked by
/// [`check_overrides`](crate::domain::deadline::check_overrides)) and returns them; refused,
/// changing nothing, for a date refused by the rules (`Invalid` naming its field), a closed
/// cycle (`Invalid` on `cycle`), someone who administers nothing (`Forbidden`, audited), or
/// from an old version (`Conflict`). Audited with the dates before and after.
pub async fn set_deadlines(
    db: &DatabaseConnection,
    actor: &Actor,
    input: DeadlineChange,
    now: DateTime<Utc>,
) -> Result<Deadlines, AppError> {
    manager_only(db, actor, CycleMove::Advance.action(), input.cycle_id, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let cycle = cycles::find(&txn, input.cycle_id).await?;
    cycle
        .lifecycle()?
        .accepts_inputs()
        .map_err(|r| invalid("cycle", r.key))?;
    let [own, review, approval] = &input.typed;
    let span = (cycle.starts_on, cycle.ends_on);
    let set: Overrides = check_overrides(
        &cycle.period_kind,
        span,
        [own.as_str(), review.as_str(), approval.as_str()],
    )
    .map_err(|refused| invalid(refused.field, refused.key))?;
    cycles::write_deadlines(&txn, cycle.id, input.version, set).await?;
    let deadlines = Deadlines::of_cycle(&cycle.period_kind, cycle.ends_on, set)
        .ok_or_else(|| AppError::internal("a cycle of unknown period"))?;
    let change = Change {
        action: "cycle_deadlines".into(),
        entity: "cycle".into(),
        entity_id: Some(cycle.code.clone()),
        before: serde_json::to_value(cycle.deadlines()).ok(),
        after: serde_json::to_value(deadlines).ok(),
        unit_id: None,
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(deadlines)
}

/// The cycles an administrator manages, the latest first (at most `limit`), each with its row
/// version, its state and its deadlines (the legal defaults of its period). Refused
/// (`Forbidden`, audited) for someone who administers nothing.
pub async fn overview(
    db: &DatabaseConnection,
    actor: &Actor,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<Managed>, AppError> {
    manager_only(db, actor, CycleMove::Advance.action(), 0, now).await?;
    cycles::latest(db, limit)
        .await?
        .into_iter()
        .map(|(cycle, version)| {
            Ok(Managed {
                state: cycle.lifecycle()?,
                deadlines: cycle.deadlines(),
                version,
                cycle,
            })
        })
        .collect()
}

/// A cycle as its administrator sees it (its own deadlines in `cycle.own_deadlines`).
#[derive(Debug, Clone, PartialEq)]
pub struct Managed {
    pub cycle: cycles::Cycle,
    pub version: i32,
    pub state: CycleState,
    pub deadlines: Option<Deadlines>,
}

/// A cycle to create: its scheme and which period of which year.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCycle {
    pub scheme_id: String,
    /// `month` or `quarter` (the scheme's own period), or `year` (the year's classification).
    pub period_kind: String,
    pub year: i32,
    pub period_no: u32,
}

/// Creates a cycle in planning, its code and dates from its period
/// ([`domain::deadline::period`](crate::domain::deadline::period)), audited; returns its code.
/// Refused, changing nothing, for an unknown scheme (`Invalid` on `scheme`), a kind of period
/// the scheme does not score (`period_kind`), a year or number out of range (`year`,
/// `period_no`), a cycle that already exists (`period_no`), or someone who administers
/// nothing (`Forbidden`, audited).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewCycle,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let scheme = crate::domain::builtin_scheme(&input.scheme_id)
        .map_err(|_| invalid("scheme", "unknown_scheme"))?;
    if input.period_kind != "year" && input.period_kind != scheme.period_kind.code() {
        return Err(invalid("period_kind", "kind_not_in_scheme"));
    }
    if !(2000..=2100).contains(&input.year) {
        return Err(invalid("year", "out_of_range"));
    }
    let (code, starts_on, ends_on) =
        crate::domain::deadline::period(&input.period_kind, input.year, input.period_no)
            .ok_or_else(|| invalid("period_no", "out_of_range"))?;
    manager_only(db, actor, CycleMove::Advance.action(), 0, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    if cycles::find_by_code(&txn, &code).await?.is_some() {
        return Err(invalid("period_no", "cycle_exists"));
    }
    let cycle = cycles::Cycle {
        id: 0,
        code: code.clone(),
        scheme_id: scheme.id.clone(),
        scheme_version: scheme.version.clone(),
        period_kind: input.period_kind,
        year: input.year,
        period_no: i32::try_from(input.period_no).map_err(AppError::internal)?,
        starts_on,
        ends_on,
        state: CycleState::Planning.code().to_owned(),
        own_deadlines: Overrides::default(),
    };
    cycles::insert(&txn, cycle).await?;
    let change = Change {
        action: "cycle_create".into(),
        entity: "cycle".into(),
        entity_id: Some(code.clone()),
        before: None,
        after: Some(serde_json::json!({
            "scheme": scheme.id,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "state": CycleState::Planning.code(),
        })),
        unit_id: None,
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(code)
}
