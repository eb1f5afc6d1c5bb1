//! Queries and writes on the organisation tree.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::api::dto::{OrgUnit, UnitKind};
use crate::error::AppError;
use crate::ssr::entity::org_unit;

fn to_dto(model: org_unit::Model) -> Result<OrgUnit, AppError> {
    let kind = UnitKind::from_code(&model.kind).ok_or_else(|| {
        AppError::internal(format!(
            "unknown unit kind {:?} on unit {}",
            model.kind, model.id
        ))
    })?;
    Ok(OrgUnit {
        id: model.id,
        code: model.code,
        name: model.name,
        kind,
        parent_id: model.parent_id,
        approved_headcount: model.approved_headcount,
    })
}

/// Current units (not merged away), optionally of one kind: the upper level first, then by code.
pub async fn list(
    db: &impl ConnectionTrait,
    kind: Option<UnitKind>,
) -> Result<Vec<OrgUnit>, AppError> {
    let mut query = org_unit::Entity::find().filter(org_unit::Column::ValidTo.is_null());
    if let Some(kind) = kind {
        query = query.filter(org_unit::Column::Kind.eq(kind.code()));
    }
    query
        .order_by_asc(org_unit::Column::ParentId)
        .order_by_asc(org_unit::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect()
}

/// How many units exist (current or historical).
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(org_unit::Entity::find().count(db).await?)
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub approved_headcount: i32,
    pub valid_from: chrono::NaiveDate,
}

/// Inserts one unit and returns its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    unit: NewUnit,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, AppError> {
    let model = org_unit::ActiveModel {
        code: Set(unit.code),
        name: Set(unit.name),
        kind: Set(unit.kind.code().to_owned()),
        parent_id: Set(unit.parent_id),
        approved_headcount: Set(unit.approved_headcount),
        valid_from: Set(unit.valid_from),
        valid_to: Set(None),
        merged_into_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}
