//! Queries and writes on objectives, key results and check-ins.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::domain::vocab::{DataSource, KrKind};
use crate::error::AppError;
use crate::ssr::entity::{check_in, key_result, objective};

/// Who owns an objective: an official or a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Official(i64),
    Unit(i64),
}

/// The fields of an objective that people enter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveFields {
    pub cycle_id: i64,
    pub owner: Owner,
    pub title: String,
    pub weight: f64,
}

/// A stored objective.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObjective {
    pub id: i64,
    pub version: i32,
    pub fields: ObjectiveFields,
}

fn to_objective(m: objective::Model) -> Result<StoredObjective, AppError> {
    let owner = match (m.owner_official_id, m.owner_unit_id) {
        (Some(official), None) => Owner::Official(official),
        (None, Some(unit)) => Owner::Unit(unit),
        _ => {
            return Err(AppError::internal(format!(
                "objective {} has no single owner",
                m.id
            )));
        }
    };
    Ok(StoredObjective {
        id: m.id,
        version: m.version,
        fields: ObjectiveFields {
            cycle_id: m.cycle_id,
            owner,
            title: m.title,
            weight: m.weight,
        },
    })
}

/// The objectives of these owners in these cycles.
pub async fn objectives_of(
    db: &impl ConnectionTrait,
    cycle_ids: &[i64],
    owners: &[Owner],
) -> Result<Vec<StoredObjective>, AppError> {
    objectives_where(db, cycle_ids, owners, Condition::all()).await
}

/// The objectives of these owners in a cycle that bear this title (as stored, trimmed).
pub async fn objectives_titled(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    owners: &[Owner],
    title: &str,
) -> Result<Vec<StoredObjective>, AppError> {
    let titled = Condition::all().add(objective::Column::Title.eq(title));
    objectives_where(db, &[cycle_id], owners, titled).await
}

/// The objectives of these owners in these cycles that also meet `also`.
async fn objectives_where(
    db: &impl ConnectionTrait,
    cycle_ids: &[i64],
    owners: &[Owner],
    also: Condition,
) -> Result<Vec<StoredObjective>, AppError> {
    let mut found = Vec::new();
    for chunk in owners.chunks(500) {
        let officials: Vec<i64> = chunk
            .iter()
            .filter_map(|o| match o {
                Owner::Official(id) => Some(*id),
                Owner::Unit(_) => None,
            })
            .collect();
        let units: Vec<i64> = chunk
            .iter()
            .filter_map(|o| match o {
                Owner::Unit(id) => Some(*id),
                Owner::Official(_) => None,
            })
            .collect();
        // Only the kinds of owner asked for: an empty list in the OR made SQLite scan every
        // objective of the cycle (docs/PERFORMANCE.md, the sheet's read).
        let owned = Condition::any()
            .add_option(
                (!officials.is_empty())
                    .then(|| objective::Column::OwnerOfficialId.is_in(officials)),
            )
            .add_option((!units.is_empty()).then(|| objective::Column::OwnerUnitId.is_in(units)));
        let models = objective::Entity::find()
            .filter(objective::Column::CycleId.is_in(cycle_ids.iter().copied()))
            .filter(owned)
            .filter(also.clone())
            .order_by_asc(objective::Column::Id)
            .all(db)
            .await?;
        for model in models {
            found.push(to_objective(model)?);
        }
    }
    Ok(found)
}

fn objective_model(f: ObjectiveFields) -> objective::ActiveModel {
    let (official, unit) = match f.owner {
        Owner::Official(id) => (Some(id), None),
        Owner::Unit(id) => (None, Some(id)),
    };
    objective::ActiveModel {
        cycle_id: Set(f.cycle_id),
        owner_official_id: Set(official),
        owner_unit_id: Set(unit),
        title: Set(f.title),
        weight: Set(f.weight),
        ..Default::default()
    }
}

/// Inserts objectives (no parent) in multi-row statements; returns them with their ids.
pub async fn insert_objectives(
    db: &impl ConnectionTrait,
    objectives: Vec<ObjectiveFields>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<StoredObjective>, AppError> {
    let mut stored = Vec::with_capacity(objectives.len());
    for chunk in objectives.chunks(1000) {
        let models = chunk.iter().cloned().map(|f| {
            let mut model = objective_model(f);
            model.parent_id = Set(None);
            model.version = Set(1);
            model.created_at = Set(now);
            model
        });
        for model in objective::Entity::insert_many(models)
            .exec_with_returning(db)
            .await?
        {
            stored.push(to_objective(model)?);
        }
    }
    Ok(stored)
}

/// Overwrites an objective's fields and bumps its version.
pub async fn update_objective(
    db: &impl ConnectionTrait,
    id: i64,
    fields: ObjectiveFields,
) -> Result<(), AppError> {
    super::versioned::update(db, id, objective_model(fields)).await
}

/// Objective `id`; `NotFound` if none.
pub async fn find_objective(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<StoredObjective, AppError> {
    let model = objective::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    to_objective(model)
}

/// Overwrites an objective's fields if it is still at version `expected` (else `Conflict`).
pub async fn revise_objective(
    db: &impl ConnectionTrait,
    id: i64,
    expected: i32,
    fields: ObjectiveFields,
) -> Result<(), AppError> {
    super::versioned::update_if_version(db, id, expected, objective_model(fields)).await
}

/// The fields of a key result that people enter (`current` also moves with check-ins).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyResultFields {
    pub objective_id: i64,
    pub code: String,
    pub title: String,
    pub kind: KrKind,
    pub start: f64,
    pub target: f64,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
    pub current: f64,
    pub weight: f64,
    pub unit_of_measure: String,
    pub data_source: DataSource,
    pub metric_key: Option<String>,
}

/// A stored key result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredKeyResult {
    pub id: i64,
    pub version: i32,
    pub fields: KeyResultFields,
    pub last_check_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_confidence: Option<i16>,
}

fn to_key_result(m: key_result::Model) -> Result<StoredKeyResult, AppError> {
    let kind = KrKind::from_code(&m.kind).ok_or_else(|| {
        AppError::internal(format!("unknown kind {:?} on key result {}", m.kind, m.id))
    })?;
    let data_source = DataSource::from_code(&m.data_source).ok_or_else(|| {
        AppError::internal(format!(
            "unknown data source {:?} on key result {}",
            m.data_source, m.id
        ))
    })?;
    Ok(StoredKeyResult {
        id: m.id,
        version: m.version,
        last_check_in_at: m.last_check_in_at,
        last_confidence: m.last_confidence,
        fields: KeyResultFields {
            objective_id: m.objective_id,
            code: m.code,
            title: m.title,
            kind,
            start: m.start_value,
            target: m.target_value,
            band_low: m.band_low,
            band_high: m.band_high,
            current: m.current_value,
            weight: m.weight,
            unit_of_measure: m.unit_of_measure,
            data_source,
            metric_key: m.metric_key,
        },
    })
}

/// The key results of these objectives.
pub async fn key_results_of(
    db: &impl ConnectionTrait,
    objective_ids: &[i64],
) -> Result<Vec<StoredKeyResult>, AppError> {
    let mut found = Vec::new();
    for chunk in objective_ids.chunks(500) {
        let models = key_result::Entity::find()
            .filter(key_result::Column::ObjectiveId.is_in(chunk.iter().copied()))
            .order_by_asc(key_result::Column::Id)
            .all(db)
            .await?;
        for model in models {
            found.push(to_key_result(model)?);
        }
    }
    Ok(found)
}

/// The key results of these objectives (by id), each with its check-ins oldest first, read
/// with a join: one statement instead of two on every sheet.
pub async fn key_results_with_check_ins(
    db: &impl ConnectionTrait,
    objective_ids: &[i64],
) -> Result<Vec<(StoredKeyResult, Vec<StoredCheckIn>)>, AppError> {
    let mut found: Vec<(StoredKeyResult, Vec<StoredCheckIn>)> = Vec::new();
    for chunk in objective_ids.chunks(500) {
        let rows = key_result::Entity::find()
            .select_also(check_in::Entity)
            .join(
                sea_orm::JoinType::LeftJoin,
                sea_orm::RelationDef::from(
                    check_in::Entity::belongs_to(key_result::Entity)
                        .from(check_in::Column::KeyResultId)
                        .to(key_result::Column::Id),
                )
                .rev(),
            )
            .filter(key_result::Column::ObjectiveId.is_in(chunk.iter().copied()))
            .order_by_asc(key_result::Column::Id)
            .order_by_asc(check_in::Column::CreatedAt)
            .order_by_asc(check_in::Column::Id)
            .all(db)
            .await?;
        for (model, check_in) in rows {
            if found.last().is_none_or(|(k, _)| k.id != model.id) {
                found.push((to_key_result(model)?, Vec::new()));
            }
            if let (Some(check_in), Some((_, check_ins))) = (check_in, found.last_mut()) {
                check_ins.push(to_check_in(check_in));
            }
        }
    }
    Ok(found)
}

fn key_result_model(f: KeyResultFields) -> key_result::ActiveModel {
    key_result::ActiveModel {
        objective_id: Set(f.objective_id),
        code: Set(f.code),
        title: Set(f.title),
        kind: Set(f.kind.code().to_owned()),
        start_value: Set(f.start),
        target_value: Set(f.target),
        band_low: Set(f.band_low),
        band_high: Set(f.band_high),
        current_value: Set(f.current),
        weight: Set(f.weight),
        unit_of_measure: Set(f.unit_of_measure),
        data_source: Set(f.data_source.code().to_owned()),
        metric_key: Set(f.metric_key),
        ..Default::default()
    }
}

/// Inserts key results in multi-row statements.
pub async fn insert_key_results(
    db: &impl ConnectionTrait,
    key_results: Vec<KeyResultFields>,
) -> Result<(), AppError> {
    let rows = key_results
        .into_iter()
        .map(|f| {
            let mut model = key_result_model(f);
            model.last_check_in_at = Set(None);
            model.last_confidence = Set(None);
            model.version = Set(1);
            model
        })
        .collect();
    super::bulk::insert_all(db, rows).await?;
    Ok(())
}

/// Overwrites a key result's fields and bumps its version.
pub async fn update_key_result(
    db: &impl ConnectionTrait,
    id: i64,
    fields: KeyResultFields,
) -> Result<(), AppError> {
    super::versioned::update(db, id, key_result_model(fields)).await
}

/// Key result `id`; `NotFound` if none.
pub async fn find_key_result(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<StoredKeyResult, AppError> {
    let model = key_result::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    to_key_result(model)
}

/// Overwrites a key result's fields if it is still at version `expected` (else `Conflict`).
pub async fn revise_key_result(
    db: &impl ConnectionTrait,
    id: i64,
    expected: i32,
    fields: KeyResultFields,
) -> Result<(), AppError> {
    super::versioned::update_if_version(db, id, expected, key_result_model(fields)).await
}

/// Sets a key result's current value, time and confidence from its latest check-in and bumps
/// its version.
pub async fn set_current(
    db: &impl ConnectionTrait,
    id: i64,
    latest: &CheckInFields,
) -> Result<(), AppError> {
    let changes = key_result::ActiveModel {
        current_value: Set(latest.value),
        last_check_in_at: Set(Some(latest.at)),
        last_confidence: Set(Some(latest.confidence)),
        ..Default::default()
    };
    super::versioned::update(db, id, changes).await
}

/// The fields of a check-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckInFields {
    pub key_result_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub value: f64,
    pub note: String,
    pub evidence_url: Option<String>,
    pub confidence: i16,
    pub author_official_id: i64,
}

/// A stored check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckIn {
    pub id: i64,
    pub fields: CheckInFields,
}

fn to_check_in(m: check_in::Model) -> StoredCheckIn {
    StoredCheckIn {
        id: m.id,
        fields: CheckInFields {
            key_result_id: m.key_result_id,
            at: m.created_at,
            value: m.value,
            note: m.note,
            evidence_url: m.evidence_url,
            confidence: m.confidence,
            author_official_id: m.author_official_id,
        },
    }
}

/// The check-ins of these key results, oldest first.
pub async fn check_ins_of(
    db: &impl ConnectionTrait,
    key_result_ids: &[i64],
) -> Result<Vec<StoredCheckIn>, AppError> {
    let mut found = Vec::new();
    for chunk in key_result_ids.chunks(500) {
        let models = check_in::Entity::find()
            .filter(check_in::Column::KeyResultId.is_in(chunk.iter().copied()))
            .order_by_asc(check_in::Column::CreatedAt)
            .order_by_asc(check_in::Column::Id)
            .all(db)
            .await?;
        found.extend(models.into_iter().map(to_check_in));
    }
    Ok(found)
}

fn check_in_model(f: CheckInFields) -> check_in::ActiveModel {
    check_in::ActiveModel {
        key_result_id: Set(f.key_result_id),
        value: Set(f.value),
        note: Set(f.note),
        evidence_url: Set(f.evidence_url),
        confidence: Set(f.confidence),
        author_official_id: Set(f.author_official_id),
        created_at: Set(f.at),
        ..Default::default()
    }
}

/// Inserts check-ins in multi-row statements.
pub async fn insert_check_ins(
    db: &impl ConnectionTrait,
    check_ins: Vec<CheckInFields>,
) -> Result<(), AppError> {
    super::bulk::insert_all(db, check_ins.into_iter().map(check_in_model).collect()).await?;
    Ok(())
}

/// Overwrites a check-in.
pub async fn update_check_in(
    db: &impl ConnectionTrait,
    id: i64,
    fields: CheckInFields,
) -> Result<(), AppError> {
    check_in::Entity::update_many()
        .set(check_in_model(fields))
        .filter(check_in::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
