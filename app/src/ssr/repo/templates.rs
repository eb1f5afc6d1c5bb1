//! Saved templates of work (`work_template`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::template::TemplateWork;
use crate::error::AppError;
use crate::ssr::entity::{org_unit, work_template};

/// A saved template with its unit's code and name.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTemplate {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    /// Empty: every job position.
    pub job_position: String,
    pub work: TemplateWork,
    pub version: i32,
}

/// Saves a template; returns its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    unit_id: i64,
    job_position: &str,
    work: &TemplateWork,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let model = work_template::ActiveModel {
        unit_id: Set(unit_id),
        job_position: Set(job_position.to_owned()),
        work: Set(serde_json::to_string(work).map_err(AppError::internal)?),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(work_template::Entity::insert(model)
        .exec(db)
        .await?
        .last_insert_id)
}

/// The template `id`, if any.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<StoredTemplate>, AppError> {
    let found = work_template::Entity::find_by_id(id).all(db).await?;
    Ok(with_units(db, found).await?.into_iter().next())
}

/// The latest `limit` templates of the units under any of `roots`, newest first.
pub async fn under(
    db: &impl ConnectionTrait,
    roots: &[i64],
    limit: u64,
) -> Result<Vec<StoredTemplate>, AppError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let found = work_template::Entity::find()
        .filter(work_template::Column::UnitId.in_subquery(super::scope::units_under(roots)))
        .order_by_desc(work_template::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_units(db, found).await
}

/// Deletes the template `id` read at `version` (else `Conflict`: changed or deleted since).
pub async fn delete(db: &impl ConnectionTrait, id: i64, version: i32) -> Result<(), AppError> {
    let done = work_template::Entity::delete_many()
        .filter(work_template::Column::Id.eq(id))
        .filter(work_template::Column::Version.eq(version))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// The rows as read models, each with its unit's code and name.
async fn with_units(
    db: &impl ConnectionTrait,
    rows: Vec<work_template::Model>,
) -> Result<Vec<StoredTemplate>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let units: HashMap<i64, (String, String)> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.code, u.name)))
        .collect();
    rows.into_iter()
        .map(|row| {
            let (unit_code, unit_name) = units.get(&row.unit_id).cloned().unwrap_or_default();
            Ok(StoredTemplate {
                id: row.id,
                unit_code,
                unit_name,
                job_position: row.job_position,
                work: serde_json::from_str(&row.work).map_err(AppError::internal)?,
                version: row.version,
            })
        })
        .collect()
}
