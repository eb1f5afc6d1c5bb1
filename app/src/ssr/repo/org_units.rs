//! Queries and writes on the organisation tree.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::vocab::{OrgUnit, UnitKind};
use crate::error::AppError;
use crate::ssr::entity::org_unit;

fn to_listed(model: org_unit::Model) -> Result<OrgUnit, AppError> {
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
        .map(to_listed)
        .collect()
}

/// How many units exist (current or historical).
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(org_unit::Entity::find().count(db).await?)
}

/// A unit to create (also the fields an import compares and updates).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub approved_headcount: i32,
    pub valid_from: chrono::NaiveDate,
}

/// Inserts one unit (and rebuilds what derives from the tree); returns its id.
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
    super::scope::rebuild_units(db).await?;
    Ok(model.id)
}

/// A stored unit: its id, whether it still exists (`valid_to`) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUnit {
    pub id: i64,
    pub valid_to: Option<chrono::NaiveDate>,
    pub unit: NewUnit,
}

/// Every unit, current or historical (units number in the hundreds).
pub async fn all_stored(db: &impl ConnectionTrait) -> Result<Vec<StoredUnit>, AppError> {
    org_unit::Entity::find()
        .order_by_asc(org_unit::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|model| {
            let (id, valid_to, valid_from) = (model.id, model.valid_to, model.valid_from);
            let listed = to_listed(model)?;
            Ok(StoredUnit {
                id,
                valid_to,
                unit: NewUnit {
                    code: listed.code,
                    name: listed.name,
                    kind: listed.kind,
                    parent_id: listed.parent_id,
                    approved_headcount: listed.approved_headcount,
                    valid_from,
                },
            })
        })
        .collect()
}

/// Inserts many units in multi-row statements; returns `(code, id)` of each. The caller
/// rebuilds what derives from the tree ([`super::scope::rebuild_units`]) once done.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    units: Vec<NewUnit>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(String, i64)>, AppError> {
    let mut ids = Vec::with_capacity(units.len());
    for chunk in units.chunks(1000) {
        let models = chunk.iter().cloned().map(|unit| org_unit::ActiveModel {
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
        });
        let inserted = org_unit::Entity::insert_many(models)
            .exec_with_returning(db)
            .await?;
        ids.extend(inserted.into_iter().map(|m| (m.code, m.id)));
    }
    Ok(ids)
}

/// Overwrites a unit's fields (the caller rebuilds what derives from the tree).
pub async fn update(db: &impl ConnectionTrait, id: i64, unit: NewUnit) -> Result<(), AppError> {
    org_unit::ActiveModel {
        id: sea_orm::Unchanged(id),
        code: Set(unit.code),
        name: Set(unit.name),
        kind: Set(unit.kind.code().to_owned()),
        parent_id: Set(unit.parent_id),
        approved_headcount: Set(unit.approved_headcount),
        valid_from: Set(unit.valid_from),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The id of the unit with this code, if any.
pub async fn id_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<i64>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|u| u.id))
}

/// The units under any of `roots` (each root included).
pub async fn ids_under(
    db: &impl ConnectionTrait,
    roots: &[i64],
) -> Result<std::collections::HashSet<i64>, AppError> {
    use crate::ssr::entity::org_unit_closure::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if roots.is_empty() {
        return Ok(Default::default());
    }
    let ids: Vec<i64> = Entity::find()
        .select_only()
        .column(Column::DescendantId)
        .filter(Column::AncestorId.is_in(roots.iter().copied()))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Whether any of these units is at the top of a tree (has no parent).
pub async fn any_top_level(db: &impl ConnectionTrait, ids: &[i64]) -> Result<bool, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(ids.iter().copied()))
        .filter(org_unit::Column::ParentId.is_null())
        .count(db)
        .await?
        > 0)
}

/// The units under any of `roots` (each included) with their names, by folded name.
pub async fn named_under(
    db: &impl ConnectionTrait,
    roots: &[i64],
) -> Result<Vec<(i64, String)>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Id.in_subquery(super::scope::units_under(roots)))
        .order_by_asc(org_unit::Column::SearchKey)
        .order_by_asc(org_unit::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The names of these units, by id.
pub async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// The unit with this id; `NotFound` if none.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<OrgUnit, AppError> {
    org_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
        .and_then(to_listed)
}
