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
        plan: plan_view(s.plan),
        may: s.may,
    })
}

/// The wire form of an official's plan for a period.
#[cfg(feature = "ssr")]
fn plan_view(plan: crate::ssr::service::plan::Plan) -> super::dto::PlanView {
    use super::dto::{CheckInView, KeyResultView, ObjectiveView, PlanView};
    let key_result = |t: crate::ssr::service::plan::Tracked| {
        let k = t.key_result;
        let f = k.fields;
        KeyResultView {
            id: k.id,
            version: k.version,
            code: f.code,
            title: f.title,
            kind: f.kind,
            start: f.start,
            target: f.target,
            band_low: f.band_low,
            band_high: f.band_high,
            current: f.current,
            weight: f.weight,
            unit_of_measure: f.unit_of_measure,
            from_metric: f.data_source == crate::domain::vocab::DataSource::Metric,
            check_ins: t
                .check_ins
                .into_iter()
                .map(|c| CheckInView {
                    at: c.fields.at,
                    value: c.fields.value,
                    confidence: c.fields.confidence,
                    note: c.fields.note,
                    evidence_url: c.fields.evidence_url,
                })
                .collect(),
        }
    };
    PlanView {
        objectives: plan
            .objectives
            .into_iter()
            .map(|p| ObjectiveView {
                id: p.objective.id,
                version: p.objective.version,
                title: p.objective.fields.title,
                weight: p.objective.fields.weight,
                key_results: p.key_results.into_iter().map(key_result).collect(),
                weights: p.weights,
            })
            .collect(),
        weights: plan.weights,
    }
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
    let one_by_one = crate::ssr::service::assessments::decided_one_by_one(cycle);
    let moves = AssessmentMove::ALL
        .iter()
        .copied()
        .filter(|m| one_by_one && m.apply(state, a.state).is_ok())
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
    let saved = save_product(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed("product", saved)
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
    let saved = save_criteria(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed("points", saved)
}

/// Creates (no `objective_id`) or edits an objective of the official's own sheet, while the
/// sheet is theirs to fill; the assessment is rescored. Returns the objective's id.
#[server(name = SaveObjective, prefix = "/api", endpoint = "plan/objective")]
pub async fn save_objective(
    assessment_id: i64,
    #[server(default)] objective_id: Option<i64>,
    #[server(default)] version: Option<i32>,
    objective: super::dto::ObjectiveDraft,
) -> Result<i64, AppError> {
    use crate::ssr::service::plan::{ObjectiveInput, save_objective};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = ObjectiveInput {
        assessment_id,
        objective: objective_id.zip(version),
        draft: objective,
    };
    let actor = caller.service_actor();
    let saved = save_objective(&caller.state.db, &actor, input, chrono::Utc::now()).await;
    super::confirmed("objective", saved)
}

/// Creates (no `key_result_id`) or edits a key result of one of the official's own
/// objectives, while the sheet is theirs to fill; the assessment is rescored. Returns the key
/// result's id.
#[server(name = SaveKeyResult, prefix = "/api", endpoint = "plan/key-result")]
pub async fn save_key_result(
    objective_id: i64,
    #[server(default)] key_result_id: Option<i64>,
    #[server(default)] version: Option<i32>,
    kr: super::dto::KeyResultDraft,
) -> Result<i64, AppError> {
    use crate::ssr::service::plan::{KeyResultInput, save_key_result};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = KeyResultInput {
        objective_id,
        key_result: key_result_id.zip(version),
        draft: kr,
    };
    let actor = caller.service_actor();
    let saved = save_key_result(&caller.state.db, &actor, input, chrono::Utc::now()).await;
    super::confirmed("key_result", saved)
}
