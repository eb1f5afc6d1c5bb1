//! The (unit, cycle) rollup table behind the dashboards: rebuilt from assessments and key
//! results, so dashboards never scan raw check-ins per page view.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use crate::domain::level::Level;
use crate::domain::okr::{Measure, kr_attainment};
use crate::domain::rollup::{AssessmentFact, KrFact, UnitSummary, elapsed, summarize};
use crate::domain::vocab::KrKind;
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, key_result, objective, official, unit_cycle_rollup};

/// The measure a stored key result describes; `None` for an unknown kind.
pub fn measure_of(kr: &key_result::Model) -> Option<Measure> {
    measure_from(&KrColumns {
        kind: kr.kind.clone(),
        start: kr.start_value,
        target: kr.target_value,
        current: kr.current_value,
        band_low: kr.band_low,
        band_high: kr.band_high,
    })
}

/// The columns of a key result that say how it is measured.
#[derive(Debug, Clone, PartialEq)]
pub struct KrColumns {
    pub kind: String,
    pub start: f64,
    pub target: f64,
    pub current: f64,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
}

/// The measure these columns describe; `None` for an unknown kind.
pub fn measure_from(kr: &KrColumns) -> Option<Measure> {
    Some(match KrKind::from_code(&kr.kind)? {
        KrKind::IncreaseTo => Measure::IncreaseTo {
            start: kr.start,
            target: kr.target,
            current: kr.current,
        },
        KrKind::DecreaseTo => Measure::DecreaseTo {
            start: kr.start,
            target: kr.target,
            current: kr.current,
        },
        KrKind::Milestone => Measure::Milestone {
            done: kr.current >= 1.0,
        },
        KrKind::StayWithin => Measure::StayWithin {
            low: kr.band_low?,
            high: kr.band_high?,
            current: kr.current,
        },
    })
}

/// What a rollup reads of a key result: its objective, how it is measured, and its latest
/// check-in's time and confidence.
type KrRow = (
    i64,
    String,
    f64,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
    Option<DateTime<Utc>>,
    Option<i16>,
);

/// The key results of the objectives `ids` (by 500) or, with `None`, of every objective of
/// `cycle_id` (one query joined in SQL: a cycle has one objective per official).
async fn key_results_for(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    ids: Option<Vec<i64>>,
) -> Result<Vec<KrRow>, AppError> {
    let query = || {
        key_result::Entity::find().select_only().columns([
            key_result::Column::ObjectiveId,
            key_result::Column::Kind,
            key_result::Column::StartValue,
            key_result::Column::TargetValue,
            key_result::Column::CurrentValue,
            key_result::Column::BandLow,
            key_result::Column::BandHigh,
            key_result::Column::LastCheckInAt,
            key_result::Column::LastConfidence,
        ])
    };
    let Some(ids) = ids else {
        use sea_orm::sea_query::ExprTrait;
        let of_cycle = sea_orm::sea_query::Query::select()
            .column(objective::Column::Id)
            .from(objective::Entity)
            .and_where(Expr::col(objective::Column::CycleId).eq(cycle_id))
            .to_owned();
        return Ok(query()
            .filter(key_result::Column::ObjectiveId.in_subquery(of_cycle))
            .into_tuple()
            .all(db)
            .await?);
    };
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            query()
                .filter(key_result::Column::ObjectiveId.is_in(chunk.iter().copied()))
                .into_tuple::<KrRow>()
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// What a rollup reads of an assessment: its official, score, approved and proposed level.
type Fact = (i64, Option<f64>, Option<String>, Option<String>);

/// Recomputes every unit's rollup for one cycle as of `now`, replacing the previous rows.
pub async fn rebuild_cycle(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    rebuild(db, cycle_id, None, now).await
}

/// Recomputes one unit's rollup for one cycle as of `now` (after a write that touches it):
/// the same computation as [`rebuild_cycle`], restricted to the unit, so an incremental
/// refresh always equals a full rebuild.
pub async fn refresh_unit(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    rebuild(db, cycle_id, Some(unit_id), now).await.map(drop)
}

/// Makes concurrent rebuilds of the same rows wait for each other, until the transaction ends.
/// A rebuild deletes a unit's row and inserts it anew from what it reads: on PostgreSQL two
/// transactions doing that at once (two check-ins in one ward) both found no row and both
/// inserted — a duplicate key — or the later one wrote a summary read before the earlier one
/// committed. So a unit's rebuild holds an advisory lock on (cycle, unit), shared on the cycle;
/// a whole cycle's, the cycle's exclusively. Locks are always taken cycle first, then unit.
/// SQLite needs nothing: its writers already take turns ([`crate::ssr::db::write`]).
async fn serialize(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit: Option<i64>,
) -> Result<(), AppError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    // Two 32-bit keys: a namespace and the id (folded; a collision only makes one wait).
    let key = |id: i64| i32::try_from(id.rem_euclid(i64::from(i32::MAX))).unwrap_or(0);
    let sql = match unit {
        None => format!("SELECT pg_advisory_xact_lock(7101, {})", key(cycle_id)),
        Some(unit) => format!(
            "SELECT pg_advisory_xact_lock_shared(7101, {}), pg_advisory_xact_lock(7102, {})",
            key(cycle_id),
            key(unit)
        ),
    };
    db.execute_unprepared(&sql).await?;
    Ok(())
}

/// The rollup rows of `cycle_id` for one unit (`Some`) or all units (`None`).
async fn rebuild(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    serialize(db, cycle_id, unit).await?;
    let cycle = cycle::Entity::find_by_id(cycle_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only (id, unit) of each official: a national rebuild reads two integers a row.
    let officials: Vec<(i64, i64)> = official::Entity::find()
        .select_only()
        .columns([official::Column::Id, official::Column::UnitId])
        .apply_if(unit, |q, u| q.filter(official::Column::UnitId.eq(u)))
        .into_tuple()
        .all(db)
        .await?;
    let unit_of: HashMap<i64, i64> = officials.iter().copied().collect();
    let mut per_unit: HashMap<i64, (usize, Vec<AssessmentFact>, Vec<KrFact>)> = HashMap::new();
    for (_, unit_id) in &officials {
        per_unit.entry(*unit_id).or_default().0 += 1;
    }
    // A unit's officials as a subquery, not a list of ids: a unit may hold more officials than
    // a statement takes parameters (65,535 on PostgreSQL).
    let in_unit = unit.map(|u| {
        use sea_orm::sea_query::{ExprTrait, Query};
        Query::select()
            .column(official::Column::Id)
            .from(official::Entity)
            .and_where(Expr::col(official::Column::UnitId).eq(u))
            .to_owned()
    });
    // The facts a rollup needs, not the stored explanations.
    let facts: Vec<Fact> = assessment::Entity::find()
        .select_only()
        .columns([
            assessment::Column::OfficialId,
            assessment::Column::ComputedScore,
            assessment::Column::ApprovedLevel,
            assessment::Column::ProposedLevel,
        ])
        .filter(assessment::Column::CycleId.eq(cycle_id))
        .apply_if(in_unit.clone(), |q, officials| {
            q.filter(assessment::Column::OfficialId.in_subquery(officials))
        })
        .into_tuple()
        .all(db)
        .await?;
    for (official_id, score, approved, proposed) in facts {
        if let Some(unit) = unit_of.get(&official_id) {
            let level = approved
                .as_deref()
                .or(proposed.as_deref())
                .and_then(Level::from_code);
            per_unit
                .entry(*unit)
                .or_default()
                .1
                .push(AssessmentFact { score, level });
        }
    }
    // Only (id, owners) of each objective: a whole cycle has one per official.
    let objectives: Vec<(i64, Option<i64>, Option<i64>)> = objective::Entity::find()
        .select_only()
        .columns([
            objective::Column::Id,
            objective::Column::OwnerUnitId,
            objective::Column::OwnerOfficialId,
        ])
        .filter(objective::Column::CycleId.eq(cycle_id))
        .apply_if(unit.zip(in_unit), |q, (u, officials)| {
            q.filter(
                Condition::any()
                    .add(objective::Column::OwnerUnitId.eq(u))
                    .add(objective::Column::OwnerOfficialId.in_subquery(officials)),
            )
        })
        .into_tuple()
        .all(db)
        .await?;
    let owner_unit: HashMap<i64, i64> = objectives
        .iter()
        .filter_map(|&(id, owner_unit, owner_official)| {
            owner_unit
                .or_else(|| owner_official.and_then(|o| unit_of.get(&o).copied()))
                .map(|u| (id, u))
        })
        .collect();
    let ids = unit.map(|_| owner_unit.keys().copied().collect());
    for (objective_id, kind, start, target, current, band_low, band_high, at, confidence) in
        key_results_for(db, cycle_id, ids).await?
    {
        let columns = KrColumns {
            kind,
            start,
            target,
            current,
            band_low,
            band_high,
        };
        let (Some(unit), Some(measure)) = (owner_unit.get(&objective_id), measure_from(&columns))
        else {
            continue;
        };
        per_unit.entry(*unit).or_default().2.push(KrFact {
            attainment: kr_attainment(&measure),
            days_since_check_in: at.map(|at| (now - at).num_days()),
            confidence,
        });
    }
    let share = elapsed(cycle.starts_on, cycle.ends_on, now.date_naive());
    let rows: Vec<unit_cycle_rollup::ActiveModel> = per_unit
        .into_iter()
        .map(|(unit_id, (count, assessments, krs))| {
            to_row(
                unit_id,
                cycle_id,
                &summarize(count, &assessments, &krs, share),
                now,
            )
        })
        .collect();
    let written = rows.len();
    unit_cycle_rollup::Entity::delete_many()
        .filter(unit_cycle_rollup::Column::CycleId.eq(cycle_id))
        .apply_if(unit, |q, u| {
            q.filter(unit_cycle_rollup::Column::UnitId.eq(u))
        })
        .exec(db)
        .await?;
    super::bulk::insert_all(db, rows).await?;
    Ok(written)
}

fn to_row(
    unit_id: i64,
    cycle_id: i64,
    s: &UnitSummary,
    now: DateTime<Utc>,
) -> unit_cycle_rollup::ActiveModel {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    unit_cycle_rollup::ActiveModel {
        unit_id: Set(unit_id),
        cycle_id: Set(cycle_id),
        officials: Set(int(s.officials)),
        assessed: Set(int(s.assessed)),
        avg_score: Set(s.avg_score),
        score_spread: Set(s.score_spread),
        count_htxsnv: Set(int(s.htxsnv)),
        count_httnv: Set(int(s.httnv)),
        count_htnv: Set(int(s.htnv)),
        count_khtnv: Set(int(s.khtnv)),
        key_results: Set(int(s.key_results)),
        avg_kr_progress: Set(s.avg_kr_progress),
        stale_key_results: Set(int(s.stale_key_results)),
        at_risk_key_results: Set(int(s.at_risk_key_results)),
        updated_at: Set(now),
    }
}

/// Rebuilds the rollups of every cycle not yet closed (called after writes that change
/// officials, key results, check-ins or assessments); returns how many cycles were rebuilt.
pub async fn rebuild_open_cycles(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let open = cycle::Entity::find()
        .filter(cycle::Column::State.ne("closed"))
        .all(db)
        .await?;
    for c in &open {
        rebuild_cycle(db, c.id, now).await?;
    }
    Ok(open.len())
}

/// The stored rollup of every unit in a cycle.
pub async fn for_cycle(
    db: &impl ConnectionTrait,
    cycle_id: i64,
) -> Result<Vec<(i64, UnitSummary)>, AppError> {
    Ok(unit_cycle_rollup::Entity::find()
        .filter(unit_cycle_rollup::Column::CycleId.eq(cycle_id))
        .order_by_asc(unit_cycle_rollup::Column::UnitId)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.unit_id, summary_of(r)))
        .collect())
}

/// The stored rollup of one unit in one cycle, if any.
pub async fn of_unit(
    db: &impl ConnectionTrait,
    unit_id: i64,
    cycle_id: i64,
) -> Result<Option<UnitSummary>, AppError> {
    Ok(unit_cycle_rollup::Entity::find_by_id((unit_id, cycle_id))
        .one(db)
        .await?
        .map(summary_of))
}

fn summary_of(r: unit_cycle_rollup::Model) -> UnitSummary {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    UnitSummary {
        officials: count(r.officials),
        assessed: count(r.assessed),
        avg_score: r.avg_score,
        score_spread: r.score_spread,
        htxsnv: count(r.count_htxsnv),
        httnv: count(r.count_httnv),
        htnv: count(r.count_htnv),
        khtnv: count(r.count_khtnv),
        key_results: count(r.key_results),
        avg_kr_progress: r.avg_kr_progress,
        stale_key_results: count(r.stale_key_results),
        at_risk_key_results: count(r.at_risk_key_results),
    }
}

/// When any rollup of `unit_id` last changed (microseconds since 1970; 0 without any): the
/// version under which what is drawn from the unit's data may be kept.
pub async fn last_change(db: &impl ConnectionTrait, unit_id: i64) -> Result<i64, AppError> {
    last_change_where(db, unit_cycle_rollup::Column::UnitId.eq(unit_id)).await
}

/// When a rollup of `cycle_id` last changed (µs since the epoch, 0 for none).
pub async fn last_change_in_cycle(
    db: &impl ConnectionTrait,
    cycle_id: i64,
) -> Result<i64, AppError> {
    last_change_where(db, unit_cycle_rollup::Column::CycleId.eq(cycle_id)).await
}

async fn last_change_where(
    db: &impl ConnectionTrait,
    condition: sea_orm::sea_query::SimpleExpr,
) -> Result<i64, AppError> {
    let latest: Option<Option<DateTime<Utc>>> = unit_cycle_rollup::Entity::find()
        .select_only()
        .expr(Func::max(Expr::col(unit_cycle_rollup::Column::UpdatedAt)))
        .filter(condition)
        .into_tuple()
        .one(db)
        .await?;
    Ok(latest.flatten().map_or(0, |at| at.timestamp_micros()))
}
