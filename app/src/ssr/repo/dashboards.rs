//! What the unit and official dashboards read besides the rollups: a unit's service metrics
//! (`metric_series`) with their targets, and key results with their cycle's span, owner and
//! latest check-in. Each read is bounded by one unit or one official; ranking the latest
//! metric values happens in SQL.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Order, OverStatement, Query, WindowStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::rollups::measure_of;
use crate::domain::Measure;
use crate::domain::vocab::{DataSource, OfficialStatus};
use crate::error::AppError;
use crate::ssr::entity::{
    assessment, check_in, cycle, key_result, metric_series, objective, official,
};

/// A metric's values, newest first: (month, value).
pub type Series = Vec<(NaiveDate, f64)>;

/// The newest `n` values of each metric of each of `units` dated on or before `until`, newest
/// first, keyed by (unit, metric key): ranked per unit and metric in SQL.
pub async fn recent_metrics(
    db: &impl ConnectionTrait,
    units: &[i64],
    until: NaiveDate,
    n: u32,
) -> Result<HashMap<(i64, String), Series>, AppError> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let m = metric_series::Entity;
    let rank = Alias::new("rank_in_metric");
    let mut window = WindowStatement::partition_by((m, metric_series::Column::UnitId));
    window
        .partition_by((m, metric_series::Column::MetricKey))
        .order_by((m, metric_series::Column::PeriodDate), Order::Desc);
    let ranked = Query::select()
        .columns([
            (m, metric_series::Column::UnitId),
            (m, metric_series::Column::MetricKey),
            (m, metric_series::Column::PeriodDate),
            (m, metric_series::Column::Value),
        ])
        .expr_window_as(Expr::cust("ROW_NUMBER()"), window, rank.clone())
        .from(m)
        .and_where(Expr::col((m, metric_series::Column::UnitId)).is_in(units.iter().copied()))
        .and_where(Expr::col((m, metric_series::Column::PeriodDate)).lte(until))
        .to_owned();
    let r = Alias::new("ranked");
    let q = Query::select()
        .columns([
            (r.clone(), Alias::new("unit_id")),
            (r.clone(), Alias::new("metric_key")),
            (r.clone(), Alias::new("period_date")),
            (r.clone(), Alias::new("value")),
        ])
        .from_subquery(ranked, r.clone())
        .and_where(Expr::col((r.clone(), rank)).lte(i64::from(n)))
        .order_by((r.clone(), Alias::new("unit_id")), Order::Asc)
        .order_by((r.clone(), Alias::new("metric_key")), Order::Asc)
        .order_by((r, Alias::new("period_date")), Order::Desc)
        .to_owned();
    let backend = db.get_database_backend();
    let mut found: HashMap<(i64, String), Series> = HashMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let key = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        let point = (row.try_get_by_index(2)?, row.try_get_by_index(3)?);
        found.entry(key).or_default().push(point);
    }
    Ok(found)
}

/// The target of each metric of each of `units` in the cycles overlapping `from`–`to`: the
/// target of the unit's own key result fed by that metric, in the latest such cycle.
pub async fn metric_targets(
    db: &impl ConnectionTrait,
    units: &[i64],
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<(i64, String), f64>, AppError> {
    if units.is_empty() {
        return Ok(HashMap::new());
    }
    let (k, o, c) = (key_result::Entity, objective::Entity, cycle::Entity);
    // From the units' objectives in the overlapping cycles (the index on (cycle, owner unit)),
    // to their key results (the index on the objective): never a scan of every key result.
    let overlapping = Query::select()
        .column(cycle::Column::Id)
        .from(c)
        .and_where(Expr::col(cycle::Column::StartsOn).lte(to))
        .and_where(Expr::col(cycle::Column::EndsOn).gte(from))
        .to_owned();
    let q = Query::select()
        .column((o, objective::Column::OwnerUnitId))
        .column((k, key_result::Column::MetricKey))
        .column((k, key_result::Column::TargetValue))
        .from(o)
        .inner_join(
            k,
            Expr::col((k, key_result::Column::ObjectiveId)).equals((o, objective::Column::Id)),
        )
        .inner_join(
            c,
            Expr::col((c, cycle::Column::Id)).equals((o, objective::Column::CycleId)),
        )
        .and_where(Expr::col((o, objective::Column::CycleId)).in_subquery(overlapping))
        .and_where(Expr::col((o, objective::Column::OwnerUnitId)).is_in(units.iter().copied()))
        .and_where(Expr::col((k, key_result::Column::DataSource)).eq(DataSource::Metric.code()))
        .and_where(Expr::col((k, key_result::Column::MetricKey)).is_not_null())
        .order_by((c, cycle::Column::EndsOn), Order::Asc)
        .order_by((k, key_result::Column::Id), Order::Asc)
        .to_owned();
    let backend = db.get_database_backend();
    let mut found = HashMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        // Ordered by the cycle's end: the latest cycle's target is written last.
        found.insert(
            (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
            row.try_get_by_index(2)?,
        );
    }
    Ok(found)
}

/// A key result's check-ins, oldest first: (time, value).
pub type History = Vec<(DateTime<Utc>, f64)>;

/// A key result as a dashboard reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct KrRead {
    pub id: i64,
    pub title: String,
    pub unit_of_measure: String,
    /// `None` for a kind this version does not know.
    pub measure: Option<Measure>,
    /// Its cycle's code and span.
    pub cycle: String,
    pub span: (NaiveDate, NaiveDate),
    /// The official who owns it (`None`: a unit's own).
    pub owner: Option<(i64, String)>,
    pub last_check_in_at: Option<DateTime<Utc>>,
    pub last_confidence: Option<i16>,
}

/// The key results of a unit — its own and its active officials' — in the cycles overlapping
/// `from`–`to`: at most `limit`, the oldest first.
pub async fn unit_key_results(
    db: &impl ConnectionTrait,
    unit_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    limit: u64,
) -> Result<Vec<KrRead>, AppError> {
    let cycles = cycle::Entity::find()
        .filter(cycle::Column::StartsOn.lte(to))
        .filter(cycle::Column::EndsOn.gte(from))
        .all(db)
        .await?;
    let officials = Query::select()
        .column(official::Column::Id)
        .from(official::Entity)
        .and_where(Expr::col(official::Column::UnitId).eq(unit_id))
        .and_where(Expr::col(official::Column::Status).eq(OfficialStatus::Active.code()))
        .to_owned();
    // The unit's own, then its officials': each by its index on (cycle, owner), where one
    // query with OR would read every objective of the cycles.
    let in_cycles = || objective::Column::CycleId.is_in(cycles.iter().map(|c| c.id));
    let mut objectives = objective::Entity::find()
        .filter(in_cycles())
        .filter(objective::Column::OwnerUnitId.eq(unit_id))
        .all(db)
        .await?;
    objectives.extend(
        objective::Entity::find()
            .filter(in_cycles())
            .filter(objective::Column::OwnerOfficialId.in_subquery(officials))
            .all(db)
            .await?,
    );
    reads(db, &objectives, &cycles, limit).await
}

/// An official's period on their score trend.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPeriod {
    pub cycle: String,
    pub scheme_id: String,
    pub period_kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub score: Option<f64>,
}

/// Every period an official was assessed in, with its score (`None` before scoring): one
/// query, the assessment joined to its cycle, no explanation read.
pub async fn scored_periods(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Vec<ScoredPeriod>, AppError> {
    let (a, c) = (assessment::Entity, cycle::Entity);
    let q = Query::select()
        .columns([
            (c, cycle::Column::Code),
            (c, cycle::Column::SchemeId),
            (c, cycle::Column::PeriodKind),
            (c, cycle::Column::StartsOn),
            (c, cycle::Column::EndsOn),
        ])
        .column((a, assessment::Column::ComputedScore))
        .from(a)
        .inner_join(
            c,
            Expr::col((c, cycle::Column::Id)).equals((a, assessment::Column::CycleId)),
        )
        .and_where(Expr::col((a, assessment::Column::OfficialId)).eq(official_id))
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(ScoredPeriod {
                cycle: row.try_get_by_index(0)?,
                scheme_id: row.try_get_by_index(1)?,
                period_kind: row.try_get_by_index(2)?,
                starts_on: row.try_get_by_index(3)?,
                ends_on: row.try_get_by_index(4)?,
                score: row.try_get_by_index(5)?,
            })
        })
        .collect()
}

/// The key results of an official's objectives in the latest cycle they have any (at most
/// `limit`, oldest first), each with its check-ins oldest first: (time, value). One query:
/// the latest cycle and the first key results chosen in SQL, each key result joined to its
/// cycle and to its check-ins (a row per check-in).
pub async fn official_key_results(
    db: &impl ConnectionTrait,
    official_id: i64,
    limit: u64,
) -> Result<Vec<(KrRead, History)>, AppError> {
    let (k, o, c, ci) = (
        key_result::Entity,
        objective::Entity,
        cycle::Entity,
        check_in::Entity,
    );
    let theirs = Query::select()
        .column(objective::Column::CycleId)
        .from(o)
        .and_where(Expr::col(objective::Column::OwnerOfficialId).eq(official_id))
        .to_owned();
    let latest = Query::select()
        .column(cycle::Column::Id)
        .from(c)
        .and_where(Expr::col(cycle::Column::Id).in_subquery(theirs))
        .order_by(cycle::Column::EndsOn, Order::Desc)
        .order_by(cycle::Column::Id, Order::Desc)
        .limit(1)
        .to_owned();
    let objectives = Query::select()
        .column(objective::Column::Id)
        .from(o)
        .and_where(Expr::col(objective::Column::OwnerOfficialId).eq(official_id))
        .and_where(Expr::col(objective::Column::CycleId).in_subquery(latest))
        .to_owned();
    let first = Query::select()
        .column(key_result::Column::Id)
        .from(k)
        .and_where(Expr::col(key_result::Column::ObjectiveId).in_subquery(objectives))
        .order_by(key_result::Column::Id, Order::Asc)
        .limit(limit)
        .to_owned();
    let q = Query::select()
        .column((k, Asterisk))
        .expr_as(
            Expr::col((c, cycle::Column::Code)),
            Alias::new("cycle_code"),
        )
        .expr_as(
            Expr::col((c, cycle::Column::StartsOn)),
            Alias::new("cycle_starts_on"),
        )
        .expr_as(
            Expr::col((c, cycle::Column::EndsOn)),
            Alias::new("cycle_ends_on"),
        )
        .expr_as(
            Expr::col((ci, check_in::Column::CreatedAt)),
            Alias::new("check_in_at"),
        )
        .expr_as(
            Expr::col((ci, check_in::Column::Value)),
            Alias::new("check_in_value"),
        )
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
            ci,
            Expr::col((ci, check_in::Column::KeyResultId)).equals((k, key_result::Column::Id)),
        )
        .and_where(Expr::col((k, key_result::Column::Id)).in_subquery(first))
        .order_by((k, key_result::Column::Id), Order::Asc)
        .order_by((ci, check_in::Column::CreatedAt), Order::Asc)
        .order_by((ci, check_in::Column::Id), Order::Asc)
        .to_owned();
    let backend = db.get_database_backend();
    let mut found: Vec<(KrRead, History)> = Vec::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let id: i64 = row.try_get("", "id")?;
        if found.last().is_none_or(|(kr, _)| kr.id != id) {
            let model = key_result::Model::from_query_result(&row, "")?;
            let cycle = (
                row.try_get::<String>("", "cycle_code")?,
                (
                    row.try_get("", "cycle_starts_on")?,
                    row.try_get("", "cycle_ends_on")?,
                ),
            );
            found.push((kr_read(model, cycle, None), Vec::new()));
        }
        let at: Option<DateTime<Utc>> = row.try_get("", "check_in_at")?;
        let value: Option<f64> = row.try_get("", "check_in_value")?;
        if let (Some(at), Some(value), Some((_, history))) = (at, value, found.last_mut()) {
            history.push((at, value));
        }
    }
    Ok(found)
}

/// A stored key result as a dashboard reads it, in `cycle`, owned by `owner`.
fn kr_read(
    k: key_result::Model,
    (cycle, span): (String, (NaiveDate, NaiveDate)),
    owner: Option<(i64, String)>,
) -> KrRead {
    KrRead {
        measure: measure_of(&k),
        id: k.id,
        title: k.title,
        unit_of_measure: k.unit_of_measure,
        cycle,
        span,
        owner,
        last_check_in_at: k.last_check_in_at,
        last_confidence: k.last_confidence,
    }
}

/// The key results of `objectives` (at most `limit`, oldest first) with their cycle and owner.
async fn reads(
    db: &impl ConnectionTrait,
    objectives: &[objective::Model],
    cycles: &[cycle::Model],
    limit: u64,
) -> Result<Vec<KrRead>, AppError> {
    let cycle_of: HashMap<i64, &cycle::Model> = cycles.iter().map(|c| (c.id, c)).collect();
    let objective_of: HashMap<i64, &objective::Model> =
        objectives.iter().map(|o| (o.id, o)).collect();
    let owners: Vec<i64> = objectives
        .iter()
        .filter_map(|o| o.owner_official_id)
        .collect();
    let names: HashMap<i64, String> = official::Entity::find()
        .select_only()
        .columns([official::Column::Id, official::Column::FullName])
        .filter(official::Column::Id.is_in(owners))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let models = key_result::Entity::find()
        .filter(key_result::Column::ObjectiveId.is_in(objective_of.keys().copied()))
        .order_by_asc(key_result::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(models
        .into_iter()
        .filter_map(|k| {
            let o = objective_of.get(&k.objective_id)?;
            let c = cycle_of.get(&o.cycle_id)?;
            let owner = o
                .owner_official_id
                .map(|id| (id, names.get(&id).cloned().unwrap_or_default()));
            Some(kr_read(
                k,
                (c.code.clone(), (c.starts_on, c.ends_on)),
                owner,
            ))
        })
        .collect())
}
