//! Recording what the engine scores: a product's counts (completed, on quality, on time,
//! failures, delays, waivers) and the general-criteria points of the official's
//! self-assessment or of the reviewer. Each change is checked by the domain's rules, written
//! with the assessment recomputed (score, engine level, explanation) and the unit's rollup
//! refreshed, and audited — in one transaction.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize, bounded_text, invalid};
use crate::domain::access::Action;
use crate::domain::lifecycle::entry_move;
use crate::domain::task_results::check_product;
use crate::domain::validate::in_range;
use crate::domain::{DomainError, Waiver, WaiverKind, builtin_scheme};
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::assessments::{self, Points, Scorer};
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::cycles;
use crate::ssr::repo::products::{self, Progress};

/// The longest comment on a criterion, and the longest waiver reference, in characters.
pub const COMMENT_MAX_CHARS: usize = 2_000;
/// The longest waiver reference (the column's size).
pub const WAIVER_REF_MAX_CHARS: usize = 255;

/// A product's counts as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductProgress {
    pub product_id: i64,
    pub version: i32,
    pub progress: Progress,
    /// The document confirming an objective cause, required when anything is waived.
    pub waiver_ref: Option<String>,
}

/// The refusal of a domain rule, on the form's field and with a translated message key.
pub(super) fn refused(error: &DomainError) -> AppError {
    let (field, key) = match error {
        DomainError::Negative { field, .. } => (field.as_str(), "negative"),
        DomainError::NotPositive { field, .. } => (field.as_str(), "not_positive"),
        DomainError::Exceeds { field, .. } => (field.as_str(), "exceeds_limit"),
        DomainError::Empty { field, .. } => (field.as_str(), "required_value"),
        DomainError::OutOfRange { field, .. } => (field.as_str(), "out_of_range"),
        DomainError::NotFinite { field, .. } => (field.as_str(), "not_a_number"),
        other => return AppError::internal(other),
    };
    let field = match field {
        "waivers.quality" => "waived_quality_failures",
        "waivers.progress" => "waived_delays",
        "waivers.reference" => "waiver_ref",
        other => other,
    };
    invalid(field, key)
}

/// Records a product's counts (its owner, or their reviewer); refused, changing nothing, for
/// counts the rules refuse (`Invalid` naming the field), someone else (`Forbidden`), a closed
/// cycle, or an edit from an old version (`Conflict`).
pub async fn save_product(
    db: &DatabaseConnection,
    actor: &Actor,
    input: ProductProgress,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let stored = products::find(db, input.product_id).await?;
    let waiver_ref = input
        .waiver_ref
        .as_deref()
        .map(|r| bounded_text("waiver_ref", r, WAIVER_REF_MAX_CHARS))
        .transpose()?
        .filter(|r| !r.is_empty());
    let p = input.progress;
    let mut product = stored.product.clone();
    product.completed = i64::from(p.completed);
    product.completed_on_quality = Some(i64::from(p.completed_on_quality));
    product.completed_on_time = Some(i64::from(p.completed_on_time));
    product.quality_failures = i64::from(p.quality_failures);
    product.delays = i64::from(p.delays);
    product.waivers = [
        (WaiverKind::Quality, p.waived_quality_failures),
        (WaiverKind::Progress, p.waived_delays),
    ]
    .into_iter()
    .filter(|(_, count)| *count != 0)
    .map(|(kind, count)| Waiver {
        kind,
        count: i64::from(count),
        reference: waiver_ref.clone().unwrap_or_default(),
    })
    .collect();
    check_product(&product, "product").map_err(|e| refused(&e))?;
    let target = official_target(db, stored.official_id).await?;
    let what = ("product", stored.id);
    authorize(
        db,
        actor,
        &[Action::CheckIn, Action::Score],
        &target,
        what,
        now,
    )
    .await?;
    let txn = crate::ssr::db::write(db).await?;
    let cycle = cycles::find(&txn, stored.cycle_id).await?.lifecycle()?;
    let state = assessments::state_of(&txn, (stored.official_id, stored.cycle_id)).await?;
    let by_owner = actor.official_id() == Some(stored.official_id);
    entry_move(by_owner)
        .apply(cycle, state)
        .map_err(|r| invalid(r.field(), r.key))?;
    products::write_progress(&txn, stored.id, input.version, p, waiver_ref.clone()).await?;
    super::assessments::recompute(&txn, stored.cycle_id, Some(&[stored.official_id]), now).await?;
    let change = Change {
        action: "product_update".into(),
        entity: "product".into(),
        entity_id: Some(stored.id.to_string()),
        before: serde_json::to_value(&stored.product).ok(),
        after: Some(serde_json::json!({ "progress": p, "waiver_ref": waiver_ref })),
        unit_id: target.unit_path.first().copied(),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}

/// General-criteria points as submitted: the official's own (self-assessment) or the
/// reviewer's, one per criterion group of the cycle's scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct CriteriaPoints {
    pub assessment_id: i64,
    pub version: i32,
    pub scorer: Scorer,
    pub points: Vec<Points>,
}

impl CriteriaPoints {
    /// The points of one form: by criterion id, each with its comment if one was typed.
    pub fn from_form(
        assessment_id: i64,
        version: i32,
        as_reviewer: bool,
        points: std::collections::BTreeMap<String, f64>,
        mut comments: std::collections::BTreeMap<String, String>,
    ) -> Self {
        CriteriaPoints {
            assessment_id,
            version,
            scorer: if as_reviewer {
                Scorer::Reviewer
            } else {
                Scorer::Official
            },
            points: points
                .into_iter()
                .map(|(group, points)| Points {
                    comment: comments.remove(&group),
                    group,
                    points,
                })
                .collect(),
        }
    }
}

/// Records general-criteria points: the official's while they may still submit their
/// self-assessment, the reviewer's while a level may be proposed. Each group must be one of
/// the scheme's and its points within 0 and its maximum.
pub async fn save_criteria(
    db: &DatabaseConnection,
    actor: &Actor,
    input: CriteriaPoints,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = input.assessment_id;
    let stored = assessments::find(db, id).await?;
    let cycle = cycles::find(db, stored.cycle_id).await?;
    let scheme = builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)?;
    let criteria = scheme.scored_criteria();
    if input.points.is_empty() {
        return Err(invalid("points", "required_value"));
    }
    let mut points = Vec::with_capacity(input.points.len());
    for p in input.points {
        let criterion = criteria
            .iter()
            .find(|(_, c)| c.id == p.group)
            .map(|(_, c)| c)
            .ok_or_else(|| invalid("group", "unknown_criterion"))?;
        // Refused on the criterion's own field: the form names it by its translated name.
        let field = format!("criterion.{}", criterion.id);
        in_range("criteria", &field, p.points, 0.0, criterion.max_points)
            .map_err(|e| refused(&e))?;
        let comment = p
            .comment
            .as_deref()
            .map(|c| bounded_text("comment", c, COMMENT_MAX_CHARS))
            .transpose()?
            .filter(|c| !c.is_empty());
        points.push(Points { comment, ..p });
    }
    let by_owner = input.scorer == Scorer::Official;
    let action = if by_owner {
        Action::CheckIn
    } else {
        Action::Score
    };
    let step = entry_move(by_owner);
    let target = official_target(db, stored.official_id).await?;
    authorize(db, actor, &[action], &target, ("assessment", id), now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let current = assessments::find(&txn, id).await?;
    step.apply(
        cycles::find(&txn, stored.cycle_id).await?.lifecycle()?,
        current.state,
    )
    .map_err(|r| invalid(r.field(), r.key))?;
    assessments::touch(&txn, id, input.version, now).await?;
    let key = (stored.official_id, stored.cycle_id);
    assessments::write_points(&txn, key, input.scorer, actor.official_id(), &points, now).await?;
    super::assessments::recompute(&txn, stored.cycle_id, Some(&[stored.official_id]), now).await?;
    let change = Change {
        action: "criteria_update".into(),
        entity: "assessment".into(),
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(serde_json::json!({
            "scorer": if input.scorer == Scorer::Official { "official" } else { "reviewer" },
            "points": points.iter().map(|p| (p.group.clone(), p.points)).collect::<Vec<_>>(),
        })),
        unit_id: target.unit_path.first().copied(),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}
