//! Server functions about one assessment: its page with the engine's explanation, and the
//! inputs it is scored from (a product's counts, general-criteria points). The decisions on
//! it (propose, return, approve) are in [`super::people`], beside the page that makes them.

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

/// Records a product's counts (its owner or their reviewer); the assessment is rescored.
#[server(name = SaveProductProgress, prefix = "/api", endpoint = "product/progress")]
pub async fn save_product_progress(
    product_id: i64,
    version: i32,
    counts: super::dto::Progress,
    waiver_ref: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::service::inputs::{ProductProgress, save_product};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = ProductProgress {
        product_id,
        version,
        progress: counts,
        waiver_ref,
    };
    save_product(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await
}

/// Records the points (and comment) of one general-criteria group: the official's own while
/// they may still submit, or the reviewer's (`as_reviewer`); the assessment is rescored.
#[server(name = SaveCriterion, prefix = "/api", endpoint = "assessment/criterion")]
pub async fn save_criterion(
    assessment_id: i64,
    version: i32,
    #[server(default)] as_reviewer: bool,
    group: String,
    points: f64,
    comment: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::repo::assessments::{Points, Scorer};
    use crate::ssr::service::inputs::{CriteriaPoints, save_criteria};
    let caller = crate::ssr::auth::guard::caller()?;
    let scorer = if as_reviewer {
        Scorer::Reviewer
    } else {
        Scorer::Official
    };
    let input = CriteriaPoints {
        assessment_id,
        version,
        scorer,
        points: vec![Points {
            group,
            points,
            comment,
        }],
    };
    save_criteria(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await
}
