//! Server functions about one assessment: its page with the engine's explanation, and the
//! inputs it is scored from (a product's counts, general-criteria points). The decisions on
//! it (propose, return, approve) are in [`super::people`], beside the page that makes them.

use leptos::prelude::*;

use super::dto::AssessmentDetail;
use crate::error::AppError;

/// An assessment's sheet — its criteria, products, explanation and the forms the caller may
/// use — if the caller may read the official's records.
#[server(name = GetAssessment, prefix = "/api", endpoint = "assessment")]
pub async fn get_assessment(id: i64) -> Result<AssessmentDetail, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let actor = caller.service_actor();
    let sheet =
        crate::ssr::service::sheet::sheet(&caller.state.db, &actor, id, chrono::Utc::now()).await?;
    detail(sheet)
}

/// The wire form of an assessment's sheet.
#[cfg(feature = "ssr")]
fn detail(s: crate::ssr::service::sheet::Sheet) -> Result<AssessmentDetail, AppError> {
    use super::dto::{CriterionPoints, ProductCounts};
    let explanation = s
        .assessment
        .explanation
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    let criteria = s
        .criteria
        .into_iter()
        .map(|c| CriterionPoints {
            id: c.id,
            group: c.group,
            max_points: c.max_points,
            self_points: c.given.self_points,
            self_comment: c.given.self_comment,
            reviewer_points: c.given.reviewer_points,
            reviewer_comment: c.given.reviewer_comment,
        })
        .collect();
    let products = s
        .products
        .into_iter()
        .map(|p| ProductCounts {
            id: p.id,
            version: p.version,
            code: p.code,
            title: p.title,
            assigned: p.assigned,
            counts: p.progress,
            waiver_ref: p.waiver_ref,
            due_on: p.due_on,
        })
        .collect();
    Ok(AssessmentDetail {
        official_id: s.official.id,
        official_name: s.official.full_name,
        unit_name: s.official.unit_name,
        row: row(s.assessment, &s.cycle)?,
        scheme_id: s.cycle.scheme_id.clone(),
        explanation,
        criteria,
        products,
        may: s.may,
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

/// Records the general-criteria points of an assessment, one form for all its criteria
/// (`points[criterion]`, `comments[criterion]`): the official's own while they may still
/// submit their self-assessment, or the reviewer's (`as_reviewer`) while a level may be
/// proposed; the assessment is rescored.
#[server(name = SavePoints, prefix = "/api", endpoint = "assessment/points")]
pub async fn save_points(
    assessment_id: i64,
    version: i32,
    #[server(default)] as_reviewer: bool,
    points: std::collections::BTreeMap<String, f64>,
    #[server(default)] comments: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::ssr::service::inputs::{CriteriaPoints, save_criteria};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = CriteriaPoints::from_form(assessment_id, version, as_reviewer, points, comments);
    save_criteria(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await
}
