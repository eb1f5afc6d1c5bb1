//! What the "in – out – up – down" board reads, counted and ranked in SQL within the units
//! under the reader's roots: the officials rated HTXSNV in each of the last periods, or KHTNV
//! in each of the last years; the lowest mean yearly scores; each unit's staff by job
//! position; and the recorded personnel decisions, which it also writes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, Condition, Expr, ExprTrait, Func, JoinType, Order, Query, SimpleExpr,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::scope::units_under;
use crate::domain::vocab::OfficialStatus;
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, official, org_unit, personnel_decision};

/// The level an assessment ends with: calibrated, else approved, else proposed, else computed.
fn final_level() -> SimpleExpr {
    let a = assessment::Entity;
    Func::coalesce([
        Expr::col((a, assessment::Column::CalibratedLevel)),
        Expr::col((a, assessment::Column::ApprovedLevel)),
        Expr::col((a, assessment::Column::ProposedLevel)),
        Expr::col((a, assessment::Column::ComputedLevel)),
    ])
    .into()
}

/// The latest `n` cycles of `period_kind` started by `today` — only those ended before it
/// when `ended` (a month still running has no levels yet) — newest first.
pub async fn latest_cycles(
    db: &impl ConnectionTrait,
    period_kind: &str,
    today: NaiveDate,
    ended: bool,
    n: u64,
) -> Result<Vec<(i64, String)>, AppError> {
    let mut q = cycle::Entity::find()
        .select_only()
        .column(cycle::Column::Id)
        .column(cycle::Column::Code)
        .filter(cycle::Column::PeriodKind.eq(period_kind))
        .filter(cycle::Column::StartsOn.lte(today));
    if ended {
        q = q.filter(cycle::Column::EndsOn.lt(today));
    }
    Ok(q.order_by_desc(cycle::Column::EndsOn)
        .limit(n)
        .into_tuple()
        .all(db)
        .await?)
}

/// The active officials under `roots` whose final level is `level` in every one of `cycles`:
/// at most `limit`, by id.
pub async fn at_level_in_every(
    db: &impl ConnectionTrait,
    roots: &[i64],
    cycles: &[i64],
    level: &str,
    limit: u64,
) -> Result<Vec<i64>, AppError> {
    if cycles.is_empty() || roots.is_empty() {
        return Ok(Vec::new());
    }
    let (a, p) = (assessment::Entity, official::Entity);
    let n = i64::try_from(cycles.len()).unwrap_or(i64::MAX);
    let q = Query::select()
        .column((a, assessment::Column::OfficialId))
        .from(a)
        .inner_join(
            p,
            Expr::col((p, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .and_where(Expr::col((a, assessment::Column::CycleId)).is_in(cycles.iter().copied()))
        .and_where(final_level().eq(level))
        .and_where(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code()))
        .and_where(Expr::col((p, official::Column::UnitId)).in_subquery(units_under(roots)))
        .group_by_col((a, assessment::Column::OfficialId))
        .and_having(Expr::col((a, assessment::Column::Id)).count().eq(n))
        .order_by((a, assessment::Column::OfficialId), Order::Asc)
        .limit(limit)
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| Ok(row.try_get_by_index(0)?))
        .collect()
}

/// The active officials under `roots` with a score in any of `cycles`: how many, and the
/// `k` with the lowest mean score over them (lowest first, then by id).
pub async fn lowest_means(
    db: &impl ConnectionTrait,
    roots: &[i64],
    cycles: &[i64],
    share: impl Fn(u64) -> u64,
) -> Result<(u64, Vec<(i64, f64)>), AppError> {
    if cycles.is_empty() || roots.is_empty() {
        return Ok((0, Vec::new()));
    }
    let (a, p) = (assessment::Entity, official::Entity);
    let base = || {
        Query::select()
            .from(a)
            .inner_join(
                p,
                Expr::col((p, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
            )
            .and_where(Expr::col((a, assessment::Column::CycleId)).is_in(cycles.iter().copied()))
            .and_where(Expr::col((a, assessment::Column::ComputedScore)).is_not_null())
            .and_where(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code()))
            .and_where(Expr::col((p, official::Column::UnitId)).in_subquery(units_under(roots)))
            .to_owned()
    };
    let backend = db.get_database_backend();
    let count = base()
        .expr(Expr::col((a, assessment::Column::OfficialId)).count_distinct())
        .to_owned();
    let n: i64 = match db.query_one_raw(backend.build(&count)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    let n = u64::try_from(n).unwrap_or(0);
    let k = share(n);
    if k == 0 {
        return Ok((n, Vec::new()));
    }
    let mean = Expr::col((a, assessment::Column::ComputedScore)).avg();
    let q = base()
        .column((a, assessment::Column::OfficialId))
        .expr(mean.clone())
        .group_by_col((a, assessment::Column::OfficialId))
        .order_by_expr(mean, Order::Asc)
        .order_by((a, assessment::Column::OfficialId), Order::Asc)
        .limit(k)
        .to_owned();
    let rows = db
        .query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((n, rows))
}

/// One official on the board with their results in the cycles read.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub official_id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub task_group: String,
    pub job_position: String,
    /// (cycle id, assessment id, score, final level code) in the cycles asked, as stored.
    pub results: Vec<(i64, i64, Option<f64>, Option<String>)>,
}

/// The officials `ids` with their results in `cycles`, by id.
pub async fn standings(
    db: &impl ConnectionTrait,
    ids: &[i64],
    cycles: &[i64],
) -> Result<Vec<Standing>, AppError> {
    let mut out: Vec<Standing> = Vec::new();
    for chunk in ids.chunks(500) {
        let (p, u) = (official::Entity, org_unit::Entity);
        let q = Query::select()
            .columns([
                (p, official::Column::Id),
                (p, official::Column::PersonnelCode),
                (p, official::Column::FullName),
                (p, official::Column::UnitId),
            ])
            .column((u, org_unit::Column::Name))
            .columns([
                (p, official::Column::TaskGroup),
                (p, official::Column::JobPosition),
            ])
            .from(p)
            .inner_join(
                u,
                Expr::col((u, org_unit::Column::Id)).equals((p, official::Column::UnitId)),
            )
            .and_where(Expr::col((p, official::Column::Id)).is_in(chunk.iter().copied()))
            .order_by((p, official::Column::Id), Order::Asc)
            .to_owned();
        let backend = db.get_database_backend();
        for row in db.query_all_raw(backend.build(&q)).await? {
            out.push(Standing {
                official_id: row.try_get_by_index(0)?,
                code: row.try_get_by_index(1)?,
                name: row.try_get_by_index(2)?,
                unit_id: row.try_get_by_index(3)?,
                unit_name: row.try_get_by_index(4)?,
                task_group: row.try_get_by_index(5)?,
                job_position: row.try_get_by_index(6)?,
                results: Vec::new(),
            });
        }
        let a = assessment::Entity;
        let q = Query::select()
            .columns([
                (a, assessment::Column::OfficialId),
                (a, assessment::Column::CycleId),
                (a, assessment::Column::Id),
                (a, assessment::Column::ComputedScore),
            ])
            .expr(final_level())
            .from(a)
            .and_where(Expr::col((a, assessment::Column::OfficialId)).is_in(chunk.iter().copied()))
            .and_where(Expr::col((a, assessment::Column::CycleId)).is_in(cycles.iter().copied()))
            .to_owned();
        for row in db.query_all_raw(backend.build(&q)).await? {
            let official: i64 = row.try_get_by_index(0)?;
            if let Some(s) = out.iter_mut().find(|s| s.official_id == official) {
                s.results.push((
                    row.try_get_by_index(1)?,
                    row.try_get_by_index(2)?,
                    row.try_get_by_index(3)?,
                    row.try_get_by_index(4)?,
                ));
            }
        }
    }
    Ok(out)
}

/// For each of `officials` scored in `cycle`: the place (1 = best) of their score among the
/// officials of their unit and task group scored in it, and the group's size — counted in one
/// query (the candidate joined to their group's scores).
pub async fn ranks_in_groups(
    db: &impl ConnectionTrait,
    officials: &[i64],
    cycle: i64,
) -> Result<HashMap<i64, (u64, u64)>, AppError> {
    let (c, ca, p, pa) = (
        Alias::new("c"),
        Alias::new("ca"),
        Alias::new("p"),
        Alias::new("pa"),
    );
    let mut ranks = HashMap::new();
    for chunk in officials.chunks(500) {
        let higher = Expr::col((pa.clone(), assessment::Column::ComputedScore))
            .gt(Expr::col((ca.clone(), assessment::Column::ComputedScore)));
        let q = Query::select()
            .column((c.clone(), official::Column::Id))
            .expr(Expr::col(Asterisk).count())
            .expr(Func::sum(Expr::case(higher, 1).finally(0)))
            .from_as(official::Entity, c.clone())
            .join_as(
                JoinType::InnerJoin,
                assessment::Entity,
                ca.clone(),
                Condition::all()
                    .add(
                        Expr::col((ca.clone(), assessment::Column::OfficialId))
                            .equals((c.clone(), official::Column::Id)),
                    )
                    .add(Expr::col((ca.clone(), assessment::Column::CycleId)).eq(cycle)),
            )
            .join_as(
                JoinType::InnerJoin,
                official::Entity,
                p.clone(),
                Condition::all()
                    .add(
                        Expr::col((p.clone(), official::Column::UnitId))
                            .equals((c.clone(), official::Column::UnitId)),
                    )
                    .add(
                        Expr::col((p.clone(), official::Column::TaskGroup))
                            .equals((c.clone(), official::Column::TaskGroup)),
                    ),
            )
            .join_as(
                JoinType::InnerJoin,
                assessment::Entity,
                pa.clone(),
                Condition::all()
                    .add(
                        Expr::col((pa.clone(), assessment::Column::OfficialId))
                            .equals((p.clone(), official::Column::Id)),
                    )
                    .add(Expr::col((pa.clone(), assessment::Column::CycleId)).eq(cycle)),
            )
            .and_where(Expr::col((c.clone(), official::Column::Id)).is_in(chunk.iter().copied()))
            .and_where(Expr::col((ca.clone(), assessment::Column::ComputedScore)).is_not_null())
            .and_where(Expr::col((pa.clone(), assessment::Column::ComputedScore)).is_not_null())
            .group_by_col((c.clone(), official::Column::Id))
            .to_owned();
        let backend = db.get_database_backend();
        for row in db.query_all_raw(backend.build(&q)).await? {
            let id: i64 = row.try_get_by_index(0)?;
            let size: i64 = row.try_get_by_index(1)?;
            let above: i64 = row.try_get_by_index(2)?;
            let n = |v: i64| u64::try_from(v).unwrap_or(0);
            ranks.insert(id, (n(above) + 1, n(size)));
        }
    }
    Ok(ranks)
}

/// A unit under the roots with its province, approved headcount and active staff by job
/// position: (unit id, name, province id, approved, [(position, officials)]).
pub type UnitPositions = (i64, String, i64, u32, Vec<(String, u32)>);

/// Every unit under `roots` with an approved headcount, its province (its ancestor of kind
/// `province`, else itself) and its active officials by job position (counted in SQL).
pub async fn staff_by_position(
    db: &impl ConnectionTrait,
    roots: &[i64],
) -> Result<Vec<UnitPositions>, AppError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let units: Vec<(i64, String, i32, Option<i64>)> = org_unit::Entity::find()
        .select_only()
        .columns([
            org_unit::Column::Id,
            org_unit::Column::Name,
            org_unit::Column::ApprovedHeadcount,
            org_unit::Column::ParentId,
        ])
        .filter(org_unit::Column::Id.in_subquery(units_under(roots)))
        .filter(org_unit::Column::ApprovedHeadcount.gt(0))
        .filter(org_unit::Column::ValidTo.is_null())
        .order_by_asc(org_unit::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let provinces: Vec<(i64,)> = org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Id)
        .filter(org_unit::Column::Kind.eq("province"))
        .into_tuple()
        .all(db)
        .await?;
    let is_province = |id: i64| provinces.iter().any(|(p,)| *p == id);
    let p = official::Entity;
    let q = Query::select()
        .column((p, official::Column::UnitId))
        .column((p, official::Column::JobPosition))
        .expr(Expr::col((p, official::Column::Id)).count())
        .from(p)
        .and_where(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code()))
        .and_where(Expr::col((p, official::Column::UnitId)).in_subquery(units_under(roots)))
        .group_by_col((p, official::Column::UnitId))
        .group_by_col((p, official::Column::JobPosition))
        .to_owned();
    let backend = db.get_database_backend();
    let mut positions: std::collections::HashMap<i64, Vec<(String, u32)>> = Default::default();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let unit: i64 = row.try_get_by_index(0)?;
        let n: i64 = row.try_get_by_index(2)?;
        positions
            .entry(unit)
            .or_default()
            .push((row.try_get_by_index(1)?, u32::try_from(n).unwrap_or(0)));
    }
    Ok(units
        .into_iter()
        .map(|(id, name, approved, parent)| {
            let province = match (is_province(id), parent) {
                (false, Some(parent)) if is_province(parent) => parent,
                _ => id,
            };
            (
                id,
                name,
                province,
                u32::try_from(approved).unwrap_or(0),
                positions.remove(&id).unwrap_or_default(),
            )
        })
        .collect())
}

/// A decision as the board lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRow {
    pub id: i64,
    pub official_id: i64,
    pub official_name: String,
    pub kind: String,
    pub from_unit_id: Option<i64>,
    pub to_unit_id: Option<i64>,
    pub effective_on: NaiveDate,
    pub reference: String,
    pub reason: String,
    pub decided_by: String,
    pub applied_at: Option<DateTime<Utc>>,
}

/// The latest `limit` decisions about officials now under `roots`, or moved from there.
pub async fn decisions(
    db: &impl ConnectionTrait,
    roots: &[i64],
    limit: u64,
) -> Result<Vec<DecisionRow>, AppError> {
    let (d, p) = (personnel_decision::Entity, official::Entity);
    let q = Query::select()
        .columns([
            (d, personnel_decision::Column::Id),
            (d, personnel_decision::Column::OfficialId),
        ])
        .column((p, official::Column::FullName))
        .columns([
            (d, personnel_decision::Column::Kind),
            (d, personnel_decision::Column::FromUnitId),
            (d, personnel_decision::Column::ToUnitId),
            (d, personnel_decision::Column::EffectiveOn),
            (d, personnel_decision::Column::Reference),
            (d, personnel_decision::Column::Reason),
            (d, personnel_decision::Column::DecidedBy),
            (d, personnel_decision::Column::AppliedAt),
        ])
        .from(d)
        .inner_join(
            p,
            Expr::col((p, official::Column::Id))
                .equals((d, personnel_decision::Column::OfficialId)),
        )
        .cond_where(
            sea_orm::sea_query::Condition::any()
                .add(Expr::col((p, official::Column::UnitId)).in_subquery(units_under(roots)))
                .add(
                    Expr::col((d, personnel_decision::Column::FromUnitId))
                        .in_subquery(units_under(roots)),
                ),
        )
        .order_by((d, personnel_decision::Column::EffectiveOn), Order::Desc)
        .order_by((d, personnel_decision::Column::Id), Order::Desc)
        .limit(limit)
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(DecisionRow {
                id: row.try_get_by_index(0)?,
                official_id: row.try_get_by_index(1)?,
                official_name: row.try_get_by_index(2)?,
                kind: row.try_get_by_index(3)?,
                from_unit_id: row.try_get_by_index(4)?,
                to_unit_id: row.try_get_by_index(5)?,
                effective_on: row.try_get_by_index(6)?,
                reference: row.try_get_by_index(7)?,
                reason: row.try_get_by_index(8)?,
                decided_by: row.try_get_by_index(9)?,
                applied_at: row.try_get_by_index(10)?,
            })
        })
        .collect()
}

/// A decision to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDecision {
    pub official_id: i64,
    pub kind: &'static str,
    pub from_unit_id: Option<i64>,
    pub to_unit_id: Option<i64>,
    pub effective_on: NaiveDate,
    pub reference: String,
    pub reason: String,
    pub decided_by: String,
}

/// Records a decision; returns its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    d: NewDecision,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let done = personnel_decision::Entity::insert(personnel_decision::ActiveModel {
        official_id: Set(d.official_id),
        kind: Set(d.kind.to_owned()),
        from_unit_id: Set(d.from_unit_id),
        to_unit_id: Set(d.to_unit_id),
        effective_on: Set(d.effective_on),
        reason: Set(d.reason),
        reference: Set(d.reference),
        decided_by: Set(d.decided_by),
        created_at: Set(now),
        applied_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(done.last_insert_id)
}

/// The decisions not applied yet whose effective date has come by `today`, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<personnel_decision::Model>, AppError> {
    Ok(personnel_decision::Entity::find()
        .filter(personnel_decision::Column::AppliedAt.is_null())
        .filter(personnel_decision::Column::EffectiveOn.lte(today))
        .order_by_asc(personnel_decision::Column::EffectiveOn)
        .order_by_asc(personnel_decision::Column::Id)
        .all(db)
        .await?)
}

/// Marks decision `id` applied at `now`.
pub async fn mark_applied(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    personnel_decision::Entity::update_many()
        .col_expr(personnel_decision::Column::AppliedAt, Expr::value(now))
        .filter(personnel_decision::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
