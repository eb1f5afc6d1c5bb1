//! Moving an assessment through its life: a reviewer proposes a level, anyone allowed to score
//! or approve may return it for revision, an approver approves. Each move follows the state
//! machine of [`domain::lifecycle`](crate::domain::lifecycle); a level that departs from the
//! one it should follow (the engine's, for a proposal; the proposed one, for an approval)
//! needs a written reason, stored and audited with the decision.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, authorize, bounded_text, invalid};
use crate::domain::Level;
use crate::domain::explain::incomplete;
use crate::domain::lifecycle::{AssessmentMove, level_needs_reason};
use crate::domain::{builtin_scheme, score_official};
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::assessments::{self, Decided, Stored};
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::{inputs, people, rollups};

/// The longest reason, in characters.
pub const REASON_MAX_CHARS: usize = 2_000;

/// A decision on an assessment as submitted from a form, a file or the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub assessment_id: i64,
    /// The version the decider saw; a later change by someone else gives `Conflict`.
    pub version: i32,
    pub step: AssessmentMove,
    /// The level code, for a proposal or an approval.
    pub level: Option<String>,
    /// Why: required to return, and to depart from the level the decision should follow.
    pub reason: String,
}

/// The level the engine gives the assessment: the stored one, else the band of its score
/// under the cycle's scheme; `None` when nothing was scored.
pub fn engine_level(a: &Stored, cycle: &Cycle) -> Result<Option<Level>, AppError> {
    if a.computed_level.is_some() {
        return Ok(a.computed_level);
    }
    let Some(score) = a.computed_score else {
        return Ok(None);
    };
    let scheme = builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)?;
    Ok(Some(scheme.bands.classify(score)))
}

/// Whether a cycle's assessments are decided one by one: every cycle but a year, whose levels
/// the engine classifies and the calibration board decides under the quota.
pub fn decided_one_by_one(cycle: &Cycle) -> bool {
    cycle.period_kind != "year"
}

/// Makes the decision, or refuses it changing nothing: a bad field (`Invalid` naming
/// `level` or `reason`), someone not allowed (`Forbidden`, audited), a move the state machine
/// does not allow (`Invalid` on `state`, or on `cycle` when the cycle is closed), an edit from
/// an old version (`Conflict`).
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    input: Decision,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = bounded_text("reason", &input.reason, REASON_MAX_CHARS)?;
    let level = match input.step {
        AssessmentMove::Propose | AssessmentMove::Approve => Some(
            input
                .level
                .as_deref()
                .and_then(Level::from_code)
                .ok_or_else(|| invalid("level", "unknown_level"))?,
        ),
        AssessmentMove::SubmitSelf | AssessmentMove::Return => None,
    };
    if input.step == AssessmentMove::Return && reason.is_empty() {
        return Err(invalid("reason", "reason_required"));
    }
    let id = input.assessment_id;
    let (official, _) = people::assessment_official(db, id).await?;
    let target = official_target(db, official).await?;
    authorize(
        db,
        actor,
        input.step.actions(),
        &target,
        ("assessment", id),
        now,
    )
    .await?;
    let unit = target.unit_path.first().copied().unwrap_or_default();
    let txn = crate::ssr::db::write(db).await?;
    let before = assessments::find(&txn, id).await?;
    let cycle = cycles::find(&txn, before.cycle_id).await?;
    if !decided_one_by_one(&cycle) {
        return Err(invalid("state", "decided_on_board"));
    }
    let to = input
        .step
        .apply(cycle.lifecycle()?, before.state)
        .map_err(|refused| invalid(refused.field(), refused.key))?;
    if before.version != input.version {
        return Err(AppError::Conflict);
    }
    let expected = match input.step {
        AssessmentMove::Propose => engine_level(&before, &cycle)?,
        AssessmentMove::Approve => before.proposed_level,
        AssessmentMove::SubmitSelf | AssessmentMove::Return => None,
    };
    let departs = level.is_some_and(|l| level_needs_reason(expected, l));
    if departs && reason.is_empty() {
        return Err(invalid("reason", "reason_required"));
    }
    let written = (!reason.is_empty()).then(|| reason.clone());
    let decided = match input.step {
        AssessmentMove::Propose => Decided {
            state: to,
            proposed_level: level,
            approved_level: before.approved_level,
            level_reason: written,
            return_reason: None,
        },
        AssessmentMove::Approve => Decided {
            state: to,
            proposed_level: before.proposed_level,
            approved_level: level,
            level_reason: written.or_else(|| before.level_reason.clone()),
            return_reason: None,
        },
        AssessmentMove::Return => Decided {
            state: to,
            proposed_level: before.proposed_level,
            approved_level: before.approved_level,
            level_reason: before.level_reason.clone(),
            return_reason: written,
        },
        AssessmentMove::SubmitSelf => Decided {
            state: to,
            proposed_level: before.proposed_level,
            approved_level: before.approved_level,
            level_reason: before.level_reason.clone(),
            return_reason: before.return_reason.clone(),
        },
    };
    assessments::write_decision(&txn, id, input.version, decided, now).await?;
    rollups::refresh_unit(&txn, before.cycle_id, unit, now).await?;
    let change = audit_entry(&input, &before, level, expected, &reason, unit);
    audit::record(&txn, &actor.audit, change, now).await?;
    super::warnings::refresh_subject(&txn, super::warnings::Subject::Assessment(id), now).await?;
    txn.commit().await?;
    Ok(())
}

/// The audit entry of a decision: the state and levels before and after, the engine's or the
/// proposed level it should follow, and the reason.
fn audit_entry(
    input: &Decision,
    before: &Stored,
    level: Option<Level>,
    expected: Option<Level>,
    reason: &str,
    unit: i64,
) -> Change {
    let code = |l: Option<Level>| l.map(Level::code);
    let (action, old) = match input.step {
        AssessmentMove::Propose => ("assessment_score", before.proposed_level),
        AssessmentMove::Approve => ("assessment_approve", before.approved_level),
        AssessmentMove::Return => ("assessment_return", None),
        AssessmentMove::SubmitSelf => ("assessment_submit", None),
    };
    Change {
        action: action.into(),
        entity: "assessment".into(),
        entity_id: Some(before.id.to_string()),
        before: Some(serde_json::json!({
            "level": code(old),
            "state": before.state.code(),
            "version": input.version,
        })),
        after: Some(serde_json::json!({
            "level": code(level),
            "expected_level": code(expected),
            "reason": reason,
            "version": input.version + 1,
        })),
        unit_id: Some(unit),
    }
}

/// Up to this many units, a recomputation refreshes their rollups one by one.
const REFRESH_UNITS_ONE_BY_ONE: usize = 20;

/// Recomputes assessments of a cycle from their stored inputs under the cycle's scheme —
/// all of them, or those of `only` these officials — storing each score, the engine's level
/// and the explanation, and refreshing the rollups of the units concerned. Runs inside the
/// caller's transaction (every use case that changes an input calls it); returns how many
/// assessments were recomputed.
pub async fn recompute(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    only: Option<&[i64]>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let cycle = cycles::find(db, cycle_id).await?;
    let scheme = builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)?;
    let inputs = inputs::of_cycle(db, &cycle, &scheme, only).await?;
    let mut units = std::collections::BTreeSet::new();
    let mut scored = Vec::with_capacity(inputs.len());
    for one in inputs {
        // Inputs not yet complete (a criterion not scored, say) leave no score, and the
        // explanation says why.
        let (score, level, explanation) = match score_official(&scheme, &one.input) {
            Ok(result) => (result.score, result.level.level(), result.explanation),
            Err(error) => (None, None, incomplete(&error)),
        };
        units.insert(one.unit_id);
        scored.push(assessments::Scored {
            id: one.assessment_id,
            score,
            level,
            explanation: serde_json::to_string(&explanation).map_err(AppError::internal)?,
        });
    }
    let count = scored.len();
    assessments::write_scores(db, scored).await?;
    // A few units are refreshed one by one; beyond that one pass over the cycle is cheaper
    // (both give the same rows).
    if units.len() <= REFRESH_UNITS_ONE_BY_ONE {
        for unit in units {
            rollups::refresh_unit(db, cycle_id, unit, now).await?;
        }
    } else {
        rollups::rebuild_cycle(db, cycle_id, now).await?;
    }
    Ok(count)
}

/// Recomputes a whole cycle (after a change of rules or a bulk correction): refused for a
/// closed cycle; one transaction, audited. Returns how many assessments were recomputed.
pub async fn recompute_cycle(
    db: &DatabaseConnection,
    actor: &Actor,
    cycle_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    // Only the operator's command line recomputes whole cycles for now.
    super::operator_only(db, actor, ("cycle", cycle_id), now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let cycle = cycles::find(&txn, cycle_id).await?;
    if !cycle.lifecycle()?.is_open() {
        return Err(invalid("cycle", "cycle_closed"));
    }
    let count = recompute(&txn, cycle_id, None, now).await?;
    let change = Change {
        action: "recompute".into(),
        entity: "cycle".into(),
        entity_id: Some(cycle.code.clone()),
        before: None,
        after: Some(serde_json::json!({ "assessments": count, "scheme": cycle.scheme_id })),
        unit_id: None,
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(count)
}
