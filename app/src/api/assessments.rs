//! Server functions about one assessment: its page with the engine's explanation. The
//! decisions on it (propose, return, approve) are in [`super::people`], beside the official's
//! page that makes them.

use leptos::prelude::*;

use super::dto::AssessmentDetail;
use crate::error::AppError;

/// An assessment with its explanation, if the caller may read the official's records.
#[server(name = GetAssessment, prefix = "/api", endpoint = "assessment")]
pub async fn get_assessment(id: i64) -> Result<AssessmentDetail, AppError> {
    use crate::domain::access::Action;
    use crate::ssr::auth::guard;
    use crate::ssr::repo::{assessments, cycles, people};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let stored = assessments::find(db, id).await?;
    let target = guard::official_target(db, stored.official_id).await?;
    caller
        .authorize(Action::Read, &target, ("assessment", id))
        .await?;
    let cycle = cycles::find(db, stored.cycle_id).await?;
    let official = people::official_row(db, stored.official_id).await?;
    let explanation = stored
        .explanation
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    Ok(AssessmentDetail {
        official_id: stored.official_id,
        official_name: official.full_name,
        unit_name: official.unit_name,
        row: row(stored, &cycle)?,
        explanation,
    })
}

/// The wire row of a stored assessment in its cycle.
#[cfg(feature = "ssr")]
pub fn row(
    a: crate::ssr::repo::assessments::Stored,
    cycle: &crate::ssr::repo::cycles::Cycle,
) -> Result<super::dto::AssessmentRow, AppError> {
    use crate::domain::AssessmentMove;
    let engine_level = crate::ssr::service::assessments::engine_level(&a, cycle)?;
    let state = cycle.lifecycle()?;
    let moves = AssessmentMove::ALL
        .iter()
        .copied()
        .filter(|m| m.apply(state, a.state).is_ok())
        .collect();
    Ok(super::dto::AssessmentRow {
        id: a.id,
        cycle_code: cycle.code.clone(),
        score: a.computed_score,
        engine_level,
        proposed_level: a.proposed_level,
        approved_level: a.approved_level,
        state: a.state,
        level_reason: a.level_reason,
        return_reason: a.return_reason,
        has_explanation: a.explanation.is_some(),
        version: a.version,
        cycle_closed: !state.is_open(),
        moves,
    })
}
