//! Recording progress on a key result: the owner's check-in, under the rules of
//! [`domain::check_in`](crate::domain::check_in) and the cycle's state, with the key result's
//! current value, the owner's recomputed assessment, the unit's rollup, the key result's early
//! warnings and the audit entry written in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize, invalid};
use crate::domain::access::Action;
use crate::domain::check_in::{Draft, validate};
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::{cycles, okrs, people, rollups};

/// A check-in as submitted: the key result and what was typed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCheckIn {
    pub key_result_id: i64,
    pub draft: Draft,
}

/// Records a check-in by the key result's owner; returns the key result's id.
///
/// Refuses, changing nothing: a bad field (`Invalid` naming it), someone other than the owner
/// (`Forbidden`, audited), a cycle not started or closed (`Invalid` on `cycle`).
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewCheckIn,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let valid = validate(input.draft).map_err(|refused| match refused.first() {
        Some(first) => invalid(first.field, first.key),
        None => invalid("request", "invalid"),
    })?;
    let kr = input.key_result_id;
    let (owner, cycle_id) = people::key_result_owner(db, kr).await?;
    let target = official_target(db, owner).await?;
    authorize(
        db,
        actor,
        &[Action::CheckIn],
        &target,
        ("key_result", kr),
        now,
    )
    .await?;
    let unit = target.unit_path.first().copied().unwrap_or_default();
    let txn = crate::ssr::db::write(db).await?;
    let cycle = cycles::find(&txn, cycle_id).await?;
    cycle
        .lifecycle()?
        .accepts_check_ins()
        .map_err(|refused| invalid("cycle", refused.key))?;
    let fields = okrs::CheckInFields {
        key_result_id: kr,
        at: now,
        value: valid.value,
        note: valid.note,
        evidence_url: valid.evidence_url,
        confidence: valid.confidence,
        author_official_id: owner,
    };
    okrs::insert_check_ins(&txn, vec![fields.clone()]).await?;
    okrs::set_current(&txn, kr, &fields).await?;
    // The key result is an input of the owner's assessment under an OKR scheme; rescoring
    // refreshes the unit's rollup (its key results' figures too), which is refreshed here only
    // when the owner has no assessment in the cycle to rescore.
    if super::assessments::recompute(&txn, cycle_id, Some(&[owner]), now).await? == 0 {
        rollups::refresh_unit(&txn, cycle_id, unit, now).await?;
    }
    let change = Change {
        action: "check_in".into(),
        entity: "key_result".into(),
        entity_id: Some(kr.to_string()),
        before: None,
        after: serde_json::to_value(&fields).ok(),
        unit_id: Some(unit),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    super::warnings::refresh_subject(&txn, super::warnings::Subject::KeyResult(kr), now).await?;
    txn.commit().await?;
    Ok(kr)
}
