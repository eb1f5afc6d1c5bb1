//! Queries and writes on products/works assigned to officials in a cycle.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use crate::error::AppError;
use crate::ssr::entity::product;

/// The fields of a product that people enter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductFields {
    pub cycle_id: i64,
    pub official_id: i64,
    pub code: String,
    pub title: String,
    pub conversion_weight: f64,
    pub assigned: i32,
    pub completed: i32,
    pub completed_on_quality: i32,
    pub completed_on_time: i32,
    pub quality_failures: i32,
    pub delays: i32,
    pub waiver_ref: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
}

/// A stored product.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProduct {
    pub id: i64,
    pub fields: ProductFields,
}

/// A product's natural key: (cycle id, official id, product code).
pub type ProductKey = (i64, i64, String);

/// The products of these officials in these cycles, by natural key.
pub async fn find_for(
    db: &impl ConnectionTrait,
    cycle_ids: &[i64],
    official_ids: &[i64],
) -> Result<HashMap<ProductKey, StoredProduct>, AppError> {
    let mut found = HashMap::new();
    for chunk in official_ids.chunks(500) {
        let models = product::Entity::find()
            .filter(product::Column::CycleId.is_in(cycle_ids.iter().copied()))
            .filter(product::Column::OfficialId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for m in models {
            let key = (m.cycle_id, m.official_id, m.code.clone());
            let fields = ProductFields {
                cycle_id: m.cycle_id,
                official_id: m.official_id,
                code: m.code,
                title: m.title,
                conversion_weight: m.conversion_weight,
                assigned: m.assigned,
                completed: m.completed,
                completed_on_quality: m.completed_on_quality,
                completed_on_time: m.completed_on_time,
                quality_failures: m.quality_failures,
                delays: m.delays,
                waiver_ref: m.waiver_ref,
                due_on: m.due_on,
            };
            found.insert(key, StoredProduct { id: m.id, fields });
        }
    }
    Ok(found)
}

fn active_model(f: ProductFields) -> product::ActiveModel {
    product::ActiveModel {
        cycle_id: Set(f.cycle_id),
        official_id: Set(f.official_id),
        code: Set(f.code),
        title: Set(f.title),
        conversion_weight: Set(f.conversion_weight),
        assigned: Set(f.assigned),
        completed: Set(f.completed),
        completed_on_quality: Set(f.completed_on_quality),
        completed_on_time: Set(f.completed_on_time),
        quality_failures: Set(f.quality_failures),
        delays: Set(f.delays),
        waiver_ref: Set(f.waiver_ref),
        due_on: Set(f.due_on),
        ..Default::default()
    }
}

/// Inserts products in multi-row statements.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    products: Vec<ProductFields>,
) -> Result<(), AppError> {
    let rows = products
        .into_iter()
        .map(|f| {
            let mut model = active_model(f);
            model.version = Set(1);
            model
        })
        .collect();
    super::bulk::insert_all(db, rows).await?;
    Ok(())
}

/// Overwrites a product's fields and bumps its version.
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    fields: ProductFields,
) -> Result<(), AppError> {
    super::versioned::update(db, id, active_model(fields)).await
}

/// One stored product as the engine reads it, with its owner, cycle and version.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub id: i64,
    pub official_id: i64,
    pub cycle_id: i64,
    pub version: i32,
    pub product: crate::domain::Product,
    pub waived_quality_failures: i32,
    pub waived_delays: i32,
    pub waiver_ref: Option<String>,
}

/// The product with this id; `NotFound` if none.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Counted, AppError> {
    let m = product::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Counted {
        id: m.id,
        official_id: m.official_id,
        cycle_id: m.cycle_id,
        version: m.version,
        waived_quality_failures: m.waived_quality_failures,
        waived_delays: m.waived_delays,
        waiver_ref: m.waiver_ref.clone(),
        product: super::inputs::to_product(m),
    })
}

pub use crate::domain::task_results::Progress;

/// Writes a product's counts and waiver if it is still at `version` (else `Conflict`).
pub async fn write_progress(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    p: Progress,
    waiver_ref: Option<String>,
) -> Result<(), AppError> {
    let changes = product::ActiveModel {
        completed: Set(p.completed),
        completed_on_quality: Set(p.completed_on_quality),
        completed_on_time: Set(p.completed_on_time),
        quality_failures: Set(p.quality_failures),
        delays: Set(p.delays),
        waived_quality_failures: Set(p.waived_quality_failures),
        waived_delays: Set(p.waived_delays),
        waiver_ref: Set(waiver_ref),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// A product as its official's assessment sheet lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: i64,
    pub version: i32,
    pub code: String,
    pub title: String,
    pub assigned: i32,
    pub progress: Progress,
    pub waiver_ref: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
}

/// The products of one official in one cycle, by code.
pub async fn of_official_in(
    db: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
) -> Result<Vec<Listed>, AppError> {
    Ok(product::Entity::find()
        .filter(product::Column::OfficialId.eq(official_id))
        .filter(product::Column::CycleId.eq(cycle_id))
        .order_by_asc(product::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|m| Listed {
            id: m.id,
            version: m.version,
            code: m.code,
            title: m.title,
            assigned: m.assigned,
            progress: Progress {
                completed: m.completed,
                completed_on_quality: m.completed_on_quality,
                completed_on_time: m.completed_on_time,
                quality_failures: m.quality_failures,
                delays: m.delays,
                waived_quality_failures: m.waived_quality_failures,
                waived_delays: m.waived_delays,
            },
            waiver_ref: m.waiver_ref,
            due_on: m.due_on,
        })
        .collect())
}

/// Of `officials`, those who have a product `code` in `cycle_id` already.
pub async fn holders_of(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    code: &str,
    officials: &[i64],
) -> Result<std::collections::HashSet<i64>, AppError> {
    use sea_orm::QuerySelect;
    let mut found = std::collections::HashSet::new();
    for chunk in officials.chunks(500) {
        let ids: Vec<i64> = product::Entity::find()
            .select_only()
            .column(product::Column::OfficialId)
            .filter(product::Column::CycleId.eq(cycle_id))
            .filter(product::Column::Code.eq(code))
            .filter(product::Column::OfficialId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(ids);
    }
    Ok(found)
}
