//! The metric catalogue and the values fed for units: the catalogue as its read model, the
//! values upserted by (metric, unit, day) in multi-row statements, and the key results bound
//! to the metrics of a batch with the values they follow.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

use crate::domain::feeds::{Checked, Direction, Frequency};
use crate::domain::lifecycle::CycleState;
use crate::domain::vocab::DataSource;
use crate::error::AppError;
use crate::ssr::entity::{cycle, key_result, metric, metric_series, objective, official, org_unit};

/// A metric of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDef {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit_of_measure: String,
    pub direction: Direction,
    pub frequency: Frequency,
    pub min_value: f64,
    pub max_value: f64,
    pub owner_unit_id: Option<i64>,
    pub source_system: String,
}

fn to_def(m: metric::Model) -> Result<MetricDef, AppError> {
    let bad = |what: &str| AppError::internal(format!("metric {}: unknown {what}", m.key));
    Ok(MetricDef {
        direction: Direction::from_code(&m.direction).ok_or_else(|| bad("direction"))?,
        frequency: Frequency::from_code(&m.frequency).ok_or_else(|| bad("frequency"))?,
        key: m.key,
        name_vi: m.name_vi,
        name_en: m.name_en,
        unit_of_measure: m.unit_of_measure,
        min_value: m.min_value,
        max_value: m.max_value,
        owner_unit_id: m.owner_unit_id,
        source_system: m.source_system,
    })
}

/// The whole catalogue, by key.
pub async fn catalogue(db: &impl ConnectionTrait) -> Result<Vec<MetricDef>, AppError> {
    metric::Entity::find()
        .order_by_asc(metric::Column::Key)
        .all(db)
        .await?
        .into_iter()
        .map(to_def)
        .collect()
}

/// The ids of the units with these codes.
pub async fn unit_ids_by_code(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashMap<String, i64>, AppError> {
    let mut found = HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(1_000) {
        let rows: Vec<(i64, String)> = org_unit::Entity::find()
            .select_only()
            .column(org_unit::Column::Id)
            .column(org_unit::Column::Code)
            .filter(org_unit::Column::Code.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().map(|(id, code)| (code, id)));
    }
    Ok(found)
}

/// Rows per upsert statement (4 parameters a row, under both databases' limits).
const UPSERT_ROWS: usize = 5_000;

/// Writes the values, a value already stored for the same metric, unit and day replaced;
/// returns how many rows were written.
pub async fn upsert(db: &impl ConnectionTrait, values: &[Checked]) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let mut written = 0;
    for chunk in values.chunks(UPSERT_ROWS) {
        let mut insert = Query::insert();
        insert
            .into_table(metric_series::Entity)
            .columns([
                metric_series::Column::MetricKey,
                metric_series::Column::UnitId,
                metric_series::Column::PeriodDate,
                metric_series::Column::Value,
            ])
            .on_conflict(
                OnConflict::columns([
                    metric_series::Column::MetricKey,
                    metric_series::Column::UnitId,
                    metric_series::Column::PeriodDate,
                ])
                .update_column(metric_series::Column::Value)
                .to_owned(),
            );
        for v in chunk {
            insert.values_panic([
                v.metric.clone().into(),
                v.unit_id.into(),
                v.date.into(),
                v.value.into(),
            ]);
        }
        written += db
            .execute_raw(backend.build(&insert))
            .await?
            .rows_affected();
    }
    Ok(written)
}

/// A key result bound to a metric of a unit, in a cycle that takes check-ins.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundKr {
    pub id: i64,
    pub metric: String,
    pub unit_id: i64,
    /// The official who owns it (`None` for a unit's own objective).
    pub owner: Option<i64>,
    pub cycle_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub current: f64,
}

type BoundRow = (
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
    NaiveDate,
    NaiveDate,
    f64,
);

/// The key results bound to any of `metrics` whose unit (the objective's unit, or its owner's)
/// is one of `units`, in cycles started and not closed.
pub async fn bound_key_results(
    db: &impl ConnectionTrait,
    metrics: &BTreeSet<String>,
    units: &BTreeSet<i64>,
) -> Result<Vec<BoundKr>, AppError> {
    let (k, o, c, p) = (
        key_result::Entity,
        objective::Entity,
        cycle::Entity,
        official::Entity,
    );
    let units: Vec<i64> = units.iter().copied().collect();
    let mut q = Query::select();
    q.columns([
        (k, key_result::Column::Id),
        (k, key_result::Column::MetricKey),
    ])
    .column((o, objective::Column::OwnerUnitId))
    .column((o, objective::Column::OwnerOfficialId))
    .column((p, official::Column::UnitId))
    .columns([
        (c, cycle::Column::Id),
        (c, cycle::Column::StartsOn),
        (c, cycle::Column::EndsOn),
    ])
    .column((k, key_result::Column::CurrentValue))
    .from(k)
    .inner_join(
        o,
        Expr::col((o, objective::Column::Id)).equals((k, key_result::Column::ObjectiveId)),
    )
    .inner_join(
        c,
        Expr::col((c, cycle::Column::Id)).equals((o, objective::Column::CycleId)),
    )
    .left_join(
        p,
        Expr::col((p, official::Column::Id)).equals((o, objective::Column::OwnerOfficialId)),
    )
    .and_where(Expr::col((k, key_result::Column::DataSource)).eq(DataSource::Metric.code()))
    .and_where(Expr::col((k, key_result::Column::MetricKey)).is_in(metrics.iter().cloned()))
    .and_where(
        Expr::col((c, cycle::Column::State))
            .is_not_in([CycleState::Planning.code(), CycleState::Closed.code()]),
    )
    .and_where(
        Expr::col((o, objective::Column::OwnerUnitId))
            .is_in(units.clone())
            .or(Expr::col((p, official::Column::UnitId)).is_in(units)),
    );
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(backend.build(&q)).await?;
    let mut bound = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, metric, unit, owner, owner_unit, cycle_id, starts_on, ends_on, current): BoundRow =
            row.try_get_many_by_index()?;
        let (Some(metric), Some(unit_id)) = (metric, unit.or(owner_unit)) else {
            continue;
        };
        bound.push(BoundKr {
            id,
            metric,
            unit_id,
            owner,
            cycle_id,
            starts_on,
            ends_on,
            current,
        });
    }
    Ok(bound)
}

/// The values of `metrics` for `units` dated from `from` to `until`, by (metric, unit).
pub async fn values_between(
    db: &impl ConnectionTrait,
    metrics: &BTreeSet<String>,
    units: &BTreeSet<i64>,
    (from, until): (NaiveDate, NaiveDate),
) -> Result<HashMap<(String, i64), Vec<(NaiveDate, f64)>>, AppError> {
    let rows: Vec<(String, i64, NaiveDate, f64)> = metric_series::Entity::find()
        .select_only()
        .columns([
            metric_series::Column::MetricKey,
            metric_series::Column::UnitId,
            metric_series::Column::PeriodDate,
            metric_series::Column::Value,
        ])
        .filter(metric_series::Column::MetricKey.is_in(metrics.iter().cloned()))
        .filter(metric_series::Column::UnitId.is_in(units.iter().copied()))
        .filter(metric_series::Column::PeriodDate.between(from, until))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_feed: HashMap<(String, i64), Vec<(NaiveDate, f64)>> = HashMap::new();
    for (metric, unit, day, value) in rows {
        by_feed
            .entry((metric, unit))
            .or_default()
            .push((day, value));
    }
    Ok(by_feed)
}

/// Sets a bound key result's current value from its feed (its version raised, so an edit made
/// from before is refused as someone else's change).
pub async fn follow(
    db: &impl ConnectionTrait,
    kr: i64,
    value: f64,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let changes = key_result::ActiveModel {
        current_value: sea_orm::Set(value),
        last_check_in_at: sea_orm::Set(Some(at)),
        ..Default::default()
    };
    super::versioned::update(db, kr, changes).await
}

/// The number of values stored (tests and the benchmark count with it).
pub async fn count_values(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(metric_series::Entity::find().count(db).await?)
}
