//! Planning a period on the sheet: an official's objectives and key results, created and
//! edited by the official while the sheet is theirs to fill (the rule of
//! [`entry_move`]: a draft or returned assessment, in a cycle not yet closed). Each change is
//! checked by [`domain::plan`](crate::domain::plan), written only over the version the
//! official saw, rescored (the key results are an input under an OKR scheme), and audited —
//! in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, authorize, invalid, refuse};
use crate::domain::access::{Action, Target};
use crate::domain::check_in::Invalid;
use crate::domain::lifecycle::entry_move;
use crate::domain::plan::{
    KeyResultDraft, ObjectiveDraft, ValidKeyResult, WeightSum, check_key_result, check_objective,
    next_kr_code, weight_sum,
};
use crate::domain::vocab::DataSource;
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::okrs::{
    self, KeyResultFields, ObjectiveFields, Owner, StoredCheckIn, StoredKeyResult, StoredObjective,
};
use crate::ssr::repo::{assessments, cycles};

/// A record being edited: its id and the version the editor saw.
pub type Edited = Option<(i64, i32)>;

/// An objective as submitted on the sheet of assessment `assessment_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveInput {
    pub assessment_id: i64,
    /// `None` for a new one.
    pub objective: Edited,
    pub draft: ObjectiveDraft,
}

/// A key result as submitted, of objective `objective_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultInput {
    pub objective_id: i64,
    /// `None` for a new one.
    pub key_result: Edited,
    pub draft: KeyResultDraft,
}

/// A key result with its check-ins, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    pub key_result: StoredKeyResult,
    pub check_ins: Vec<StoredCheckIn>,
}

/// An objective with its key results and what their weights add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub objective: StoredObjective,
    pub key_results: Vec<Tracked>,
    pub weights: WeightSum,
}

/// An official's plan for a period: their objectives, and what their weights add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub objectives: Vec<Planned>,
    pub weights: WeightSum,
}

/// The plan of official `official_id` in cycle `cycle_id` (the caller has checked who reads).
pub async fn of_official(
    db: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
) -> Result<Plan, AppError> {
    let objectives = okrs::objectives_of(db, &[cycle_id], &[Owner::Official(official_id)]).await?;
    let ids: Vec<i64> = objectives.iter().map(|o| o.id).collect();
    let mut tracked: HashMap<i64, Vec<Tracked>> = HashMap::new();
    for (key_result, check_ins) in okrs::key_results_with_check_ins(db, &ids).await? {
        tracked
            .entry(key_result.fields.objective_id)
            .or_default()
            .push(Tracked {
                key_result,
                check_ins,
            });
    }
    let weights = weight_sum(objectives.iter().map(|o| o.fields.weight));
    let objectives = objectives
        .into_iter()
        .map(|objective| {
            let key_results = tracked.remove(&objective.id).unwrap_or_default();
            Planned {
                weights: weight_sum(key_results.iter().map(|k| k.key_result.fields.weight)),
                key_results,
                objective,
            }
        })
        .collect();
    Ok(Plan {
        objectives,
        weights,
    })
}

/// A new key result of objective `objective_id` from what passed the rules: started at its
/// start value, entered by hand.
pub(super) fn key_result_fields(
    valid: ValidKeyResult,
    objective_id: i64,
    code: String,
) -> KeyResultFields {
    KeyResultFields {
        objective_id,
        code,
        title: valid.title,
        kind: valid.kind,
        current: valid.start,
        start: valid.start,
        target: valid.target,
        band_low: valid.band_low,
        band_high: valid.band_high,
        weight: valid.weight,
        unit_of_measure: valid.unit_of_measure,
        data_source: DataSource::Manual,
        metric_key: None,
    }
}

/// The first refusal of a form, on its field.
pub(super) fn first(refused: &[Invalid]) -> AppError {
    refused.first().map_or_else(
        || invalid("request", "invalid"),
        |first| invalid(first.field, first.key),
    )
}

/// Allows the official themselves; refuses anyone else (`Forbidden`, audited).
async fn owner_only(
    db: &DatabaseConnection,
    actor: &Actor,
    target: &Target,
    official_id: i64,
    what: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(db, actor, &[Action::CheckIn], target, what, now).await?;
    if actor.principal.is_some() && actor.official_id() != Some(official_id) {
        return refuse(db, &actor.audit, Action::CheckIn, target, what, now).await;
    }
    Ok(())
}

/// Whether the official's sheet of the cycle is still theirs to fill (else `Invalid` on the
/// state or the cycle). Runs inside the caller's transaction.
async fn still_planning(
    txn: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
) -> Result<(), AppError> {
    let cycle = cycles::find(txn, cycle_id).await?.lifecycle()?;
    let state = assessments::state_of(txn, (official_id, cycle_id)).await?;
    entry_move(true)
        .apply(cycle, state)
        .map(|_| ())
        .map_err(|r| invalid(r.field(), r.key))
}

/// What a save wrote, for the audit: the record, the act, its fields before and after.
struct Written {
    entity: &'static str,
    id: i64,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// Rescores the official and audits what was written (in the official's unit), then commits.
async fn finish(
    txn: crate::ssr::db::WriteTxn,
    actor: &Actor,
    (target, (official_id, cycle_id)): (&Target, (i64, i64)),
    written: Written,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    super::assessments::recompute(&txn, cycle_id, Some(&[official_id]), now).await?;
    let change = Change {
        action: written.action.into(),
        entity: written.entity.into(),
        entity_id: Some(written.id.to_string()),
        before: written.before,
        after: written.after,
        unit_id: target.unit_path.first().copied(),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Creates or edits an objective of the sheet's official in the sheet's cycle; returns its id.
/// Refused, changing nothing: a field the rules refuse (`Invalid` naming it), someone other
/// than the official (`Forbidden`), a sheet no longer theirs to fill, an objective of another
/// sheet (`NotFound`), an edit from an old version (`Conflict`).
pub async fn save_objective(
    db: &DatabaseConnection,
    actor: &Actor,
    input: ObjectiveInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let valid = check_objective(&input.draft).map_err(|r| first(&r))?;
    let sheet = assessments::find(db, input.assessment_id).await?;
    let key = (sheet.official_id, sheet.cycle_id);
    let target = official_target(db, sheet.official_id).await?;
    owner_only(
        db,
        actor,
        &target,
        sheet.official_id,
        ("assessment", sheet.id),
        now,
    )
    .await?;
    let txn = crate::ssr::db::write(db).await?;
    still_planning(&txn, key).await?;
    let fields = ObjectiveFields {
        cycle_id: sheet.cycle_id,
        owner: Owner::Official(sheet.official_id),
        title: valid.title,
        weight: valid.weight,
    };
    let (id, action, before) = match input.objective {
        None => {
            let stored = okrs::insert_objectives(&txn, vec![fields.clone()], now).await?;
            let id = stored.first().map(|o| o.id).ok_or(AppError::NotFound)?;
            (id, "objective_create", None)
        }
        Some((id, version)) => {
            let stored = okrs::find_objective(&txn, id).await?;
            if stored.fields.owner != fields.owner || stored.fields.cycle_id != fields.cycle_id {
                return Err(AppError::NotFound);
            }
            okrs::revise_objective(&txn, id, version, fields.clone()).await?;
            (
                id,
                "objective_update",
                serde_json::to_value(&stored.fields).ok(),
            )
        }
    };
    let after = serde_json::to_value(&fields).ok();
    let written = Written {
        entity: "objective",
        id,
        action,
        before,
        after,
    };
    finish(txn, actor, (&target, key), written, now).await?;
    Ok(id)
}

/// Creates or edits a key result of an objective of the official's own; returns its id. A new
/// one starts at its start value, coded `KR1`, `KR2`… within its objective; an edited one keeps
/// its code and its current value. Refused as [`save_objective`] is.
pub async fn save_key_result(
    db: &DatabaseConnection,
    actor: &Actor,
    input: KeyResultInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let valid = check_key_result(&input.draft).map_err(|r| first(&r))?;
    let objective = okrs::find_objective(db, input.objective_id).await?;
    let Owner::Official(official_id) = objective.fields.owner else {
        return Err(AppError::NotFound);
    };
    let key = (official_id, objective.fields.cycle_id);
    let target = official_target(db, official_id).await?;
    owner_only(
        db,
        actor,
        &target,
        official_id,
        ("objective", objective.id),
        now,
    )
    .await?;
    let txn = crate::ssr::db::write(db).await?;
    still_planning(&txn, key).await?;
    let siblings = okrs::key_results_of(&txn, &[objective.id]).await?;
    let edited = match input.key_result {
        None => None,
        Some((id, version)) => {
            let stored = siblings
                .iter()
                .find(|k| k.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?;
            Some((stored, version))
        }
    };
    let code = match &edited {
        Some((stored, _)) => stored.fields.code.clone(),
        None => {
            let taken: Vec<&str> = siblings.iter().map(|k| k.fields.code.as_str()).collect();
            next_kr_code(&taken)
        }
    };
    let mut fields = key_result_fields(valid, objective.id, code);
    if let Some((stored, _)) = &edited {
        // An edit keeps the progress made — unless it changes how the result is measured (a
        // value of 57 read as a milestone would count as done) — and a key result fed by a
        // metric keeps its source.
        if stored.fields.kind == fields.kind {
            fields.current = stored.fields.current;
        }
        fields.data_source = stored.fields.data_source;
        fields.metric_key = stored.fields.metric_key.clone();
    }
    let (id, action, before) = match edited {
        None => {
            okrs::insert_key_results(&txn, vec![fields.clone()]).await?;
            let id = okrs::key_results_of(&txn, &[objective.id])
                .await?
                .into_iter()
                .find(|k| k.fields.code == fields.code)
                .map(|k| k.id)
                .ok_or(AppError::NotFound)?;
            (id, "key_result_create", None)
        }
        Some((stored, version)) => {
            okrs::revise_key_result(&txn, stored.id, version, fields.clone()).await?;
            (
                stored.id,
                "key_result_update",
                serde_json::to_value(&stored.fields).ok(),
            )
        }
    };
    let after = serde_json::to_value(&fields).ok();
    let written = Written {
        entity: "key_result",
        id,
        action,
        before,
        after,
    };
    finish(txn, actor, (&target, key), written, now).await?;
    Ok(id)
}
