//! Moving a cycle through its life: one step forward at a time, or reopening a closed cycle
//! with a written reason — by an administrator, on the rules of
//! [`domain::lifecycle::CycleMove`](crate::domain::lifecycle::CycleMove), audited.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, bounded_text, invalid, refuse};
use crate::domain::access::{Target, may_somewhere};
use crate::domain::lifecycle::{CycleMove, CycleState};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::cycles;

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
    if let Some(principal) = &actor.principal
        && !may_somewhere(principal, input.step.action())
    {
        let what = ("cycle", input.cycle_id);
        refuse(
            db,
            &actor.audit,
            input.step.action(),
            &Target::default(),
            what,
            now,
        )
        .await?;
    }
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
