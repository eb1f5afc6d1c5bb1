//! Queries and writes on officials and their unit history.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::domain::text::search_key;
use crate::domain::vocab::{OfficialCategory, OfficialStatus};
use crate::error::AppError;
use crate::ssr::entity::{assessment, official, official_unit_history};

/// The fields of an official that people enter (what an import compares and writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficialFields {
    pub personnel_code: String,
    pub full_name: String,
    pub category: OfficialCategory,
    pub job_position: String,
    pub task_group: String,
    pub is_leader: bool,
    pub unit_id: i64,
    pub reviewer_id: Option<i64>,
    pub status: OfficialStatus,
}

/// A stored official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOfficial {
    pub id: i64,
    pub fields: OfficialFields,
}

fn to_stored(model: official::Model) -> Result<StoredOfficial, AppError> {
    let category = OfficialCategory::from_code(&model.category).ok_or_else(|| {
        AppError::internal(format!(
            "unknown category {:?} on official {}",
            model.category, model.id
        ))
    })?;
    let status = OfficialStatus::from_code(&model.status).ok_or_else(|| {
        AppError::internal(format!(
            "unknown status {:?} on official {}",
            model.status, model.id
        ))
    })?;
    Ok(StoredOfficial {
        id: model.id,
        fields: OfficialFields {
            personnel_code: model.personnel_code,
            full_name: model.full_name,
            category,
            job_position: model.job_position,
            task_group: model.task_group,
            is_leader: model.is_leader,
            unit_id: model.unit_id,
            reviewer_id: model.reviewer_id,
            status,
        },
    })
}

/// The officials with these personnel codes, by code (unknown codes are absent).
pub async fn find_by_codes(
    db: &impl ConnectionTrait,
    codes: &[impl AsRef<str>],
) -> Result<HashMap<String, StoredOfficial>, AppError> {
    let mut found = HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(500) {
        let chunk = chunk.iter().map(|c| c.as_ref().to_owned());
        let models = official::Entity::find()
            .filter(official::Column::PersonnelCode.is_in(chunk))
            .all(db)
            .await?;
        for model in models {
            let stored = to_stored(model)?;
            found.insert(stored.fields.personnel_code.clone(), stored);
        }
    }
    Ok(found)
}

/// Which of these officials lie in `scope` (the rows an administrator may import for).
pub async fn ids_in_scope(
    db: &impl ConnectionTrait,
    ids: &[i64],
    scope: &crate::domain::access::Scope,
) -> Result<std::collections::HashSet<i64>, AppError> {
    let mut found = std::collections::HashSet::new();
    if scope.is_empty() {
        return Ok(found);
    }
    for chunk in ids.chunks(500) {
        let ids: Vec<i64> = official::Entity::find()
            .select_only()
            .column(official::Column::Id)
            .filter(official::Column::Id.is_in(chunk.iter().copied()))
            .filter(super::scope::officials_in(scope))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids);
    }
    Ok(found)
}

/// Which of these personnel codes are stored (one column read; unknown codes are absent).
pub async fn stored_codes(
    db: &impl ConnectionTrait,
    codes: &[impl AsRef<str>],
) -> Result<Vec<String>, AppError> {
    let mut found = Vec::new();
    for chunk in codes.chunks(500) {
        let chunk = chunk.iter().map(|c| c.as_ref().to_owned());
        let codes: Vec<String> = official::Entity::find()
            .select_only()
            .column(official::Column::PersonnelCode)
            .filter(official::Column::PersonnelCode.is_in(chunk))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(codes);
    }
    Ok(found)
}

/// The officials whose current unit is `unit_id`, by id.
pub async fn in_unit(
    db: &impl ConnectionTrait,
    unit_id: i64,
) -> Result<Vec<StoredOfficial>, AppError> {
    official::Entity::find()
        .filter(official::Column::UnitId.eq(unit_id))
        .order_by_asc(official::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_stored)
        .collect()
}

fn active_model(
    fields: OfficialFields,
    now: chrono::DateTime<chrono::Utc>,
) -> official::ActiveModel {
    official::ActiveModel {
        search_key: Set(Some(search_key(&[
            &fields.full_name,
            &fields.personnel_code,
        ]))),
        personnel_code: Set(fields.personnel_code),
        full_name: Set(fields.full_name),
        category: Set(fields.category.code().to_owned()),
        job_position: Set(fields.job_position),
        task_group: Set(fields.task_group),
        is_leader: Set(fields.is_leader),
        unit_id: Set(fields.unit_id),
        reviewer_id: Set(fields.reviewer_id),
        status: Set(fields.status.code().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Inserts officials in multi-row statements; returns `(personnel code, id)` of each.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    officials: Vec<OfficialFields>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(String, i64)>, AppError> {
    let mut ids = Vec::with_capacity(officials.len());
    for chunk in officials.chunks(1000) {
        let models = chunk.iter().cloned().map(|fields| {
            let mut model = active_model(fields, now);
            model.version = Set(1);
            model.created_at = Set(now);
            model
        });
        let inserted = official::Entity::insert_many(models)
            .exec_with_returning(db)
            .await?;
        ids.extend(inserted.into_iter().map(|m| (m.personnel_code, m.id)));
    }
    Ok(ids)
}

/// Overwrites an official's fields and bumps its version (their warnings follow their unit and
/// reviewer).
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    fields: OfficialFields,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let (unit, reviewer) = (fields.unit_id, fields.reviewer_id);
    super::versioned::update(db, id, active_model(fields, now)).await?;
    super::warnings::follow_official(db, id, Some(unit), Some(reviewer)).await
}

/// Opens a unit-history period from `from` for each `(official id, unit id)`.
pub async fn open_history(
    db: &impl ConnectionTrait,
    entries: &[(i64, i64)],
    from: chrono::NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    let rows = entries
        .iter()
        .map(
            |(official_id, unit_id)| official_unit_history::ActiveModel {
                official_id: Set(*official_id),
                unit_id: Set(*unit_id),
                from_date: Set(from),
                to_date: Set(None),
                reason: Set(reason.to_owned()),
                ..Default::default()
            },
        )
        .collect();
    super::bulk::insert_all(db, rows).await?;
    Ok(())
}

/// Ends an official's open unit-history periods on `on` and opens one in `unit_id`.
pub async fn move_history(
    db: &impl ConnectionTrait,
    official_id: i64,
    unit_id: i64,
    on: chrono::NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    official_unit_history::Entity::update_many()
        .col_expr(official_unit_history::Column::ToDate, Expr::value(on))
        .filter(official_unit_history::Column::OfficialId.eq(official_id))
        .filter(official_unit_history::Column::ToDate.is_null())
        .exec(db)
        .await?;
    open_history(db, &[(official_id, unit_id)], on, reason).await
}

/// An official's assessment in one cycle, as a classification list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentSummary {
    pub score: Option<f64>,
    /// A level code (`HTXSNV` … `KHTNV`, `NOT_CLASSIFIED`).
    pub proposed_level: Option<String>,
    pub approved_level: Option<String>,
    pub notes: String,
}

/// The assessments of these officials in one cycle, by official id.
pub async fn assessments_in_cycle(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    official_ids: &[i64],
) -> Result<HashMap<i64, AssessmentSummary>, AppError> {
    let mut found = HashMap::new();
    for chunk in official_ids.chunks(500) {
        let models = assessment::Entity::find()
            .filter(assessment::Column::CycleId.eq(cycle_id))
            .filter(assessment::Column::OfficialId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        found.extend(models.into_iter().map(|m| {
            (
                m.official_id,
                AssessmentSummary {
                    score: m.computed_score,
                    proposed_level: m.proposed_level,
                    approved_level: m.approved_level,
                    // The calibrator's reason for a move under the quota comes with the notes.
                    notes: [Some(m.notes), m.calibration_reason]
                        .into_iter()
                        .flatten()
                        .filter(|n| !n.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join("; "),
                },
            )
        }));
    }
    Ok(found)
}

/// Moves an official to `unit_id` and/or sets their status (a personnel decision applied),
/// bumping their version.
pub async fn set_unit_and_status(
    db: &impl ConnectionTrait,
    id: i64,
    unit_id: Option<i64>,
    status: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let mut update = official::Entity::update_many()
        .col_expr(
            official::Column::Version,
            Expr::col(official::Column::Version).add(1),
        )
        .col_expr(official::Column::UpdatedAt, Expr::value(now))
        .filter(official::Column::Id.eq(id));
    if let Some(unit_id) = unit_id {
        update = update.col_expr(official::Column::UnitId, Expr::value(unit_id));
    }
    if let Some(status) = status {
        update = update.col_expr(official::Column::Status, Expr::value(status));
    }
    update.exec(db).await?;
    super::warnings::follow_official(db, id, unit_id, None).await
}
