//! The leadership comparison: units of a scope side by side in one cycle, from the stored
//! rollups (never the officials' rows), with their head count and approved posts — filtered,
//! sorted and paged in SQL.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::domain::compare::ReviewerSums;
use crate::domain::rollup::UnitSummary;
use crate::domain::vocab::UnitKind;
use crate::error::AppError;
use crate::ssr::entity::{org_unit, unit_cycle_rollup, unit_headcount};

/// Which units to compare, besides the reader's scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<UnitKind>,
    /// Only the units directly under this one.
    pub parent: Option<i64>,
}

/// One unit in one cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// Active officials now.
    pub officials: u32,
    /// Approved posts.
    pub approved: u32,
    pub summary: UnitSummary,
}

/// The rollups of `cycle_id` for the current units under `roots` that pass `filter`.
fn base(cycle_id: i64, roots: &[i64], filter: Filter) -> SelectStatement {
    let r = unit_cycle_rollup::Entity;
    let u = org_unit::Entity;
    let mut q = Query::select();
    q.from(r)
        .inner_join(
            u,
            Expr::col((u, org_unit::Column::Id)).equals((r, unit_cycle_rollup::Column::UnitId)),
        )
        .and_where(Expr::col((r, unit_cycle_rollup::Column::CycleId)).eq(cycle_id))
        .and_where(Expr::col((u, org_unit::Column::ValidTo)).is_null())
        .and_where(
            Expr::col((r, unit_cycle_rollup::Column::UnitId))
                .in_subquery(super::scope::units_under(roots)),
        );
    filter.apply(&mut q);
    q
}

impl Filter {
    /// Keeps the rows whose `org_unit` (by the table's own name) passes the filter.
    fn apply(self, q: &mut SelectStatement) {
        let u = org_unit::Entity;
        if let Some(kind) = self.kind {
            q.and_where(Expr::col((u, org_unit::Column::Kind)).eq(kind.code()));
        }
        if let Some(parent) = self.parent {
            q.and_where(Expr::col((u, org_unit::Column::ParentId)).eq(parent));
        }
    }
}

/// A count read as `u32`: an INTEGER column is an `i32`, an aggregate an `i64`.
fn count<T>(row: &QueryResult, i: usize) -> Result<u32, AppError>
where
    T: sea_orm::TryGetable,
    u32: TryFrom<T>,
{
    let n: T = row.try_get_by_index(i)?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Best first: by average score (units without one last), then by name.
fn ordered(q: &mut SelectStatement) {
    let avg = Expr::col((
        unit_cycle_rollup::Entity,
        unit_cycle_rollup::Column::AvgScore,
    ));
    q.order_by_expr(avg.clone().is_null(), Order::Asc)
        .order_by_expr(avg, Order::Desc)
        .order_by((org_unit::Entity, org_unit::Column::Name), Order::Asc)
        .order_by((org_unit::Entity, org_unit::Column::Id), Order::Asc);
}

/// Every unit compared, best first: its mean score and officials per level — what the tiers,
/// the flags, the reference and the distribution chart are computed from.
pub async fn scores(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    roots: &[i64],
    filter: Filter,
) -> Result<Vec<Scored>, AppError> {
    let r = unit_cycle_rollup::Entity;
    let mut q = base(cycle_id, roots, filter);
    q.columns([
        (r, unit_cycle_rollup::Column::UnitId),
        (r, unit_cycle_rollup::Column::AvgScore),
        (r, unit_cycle_rollup::Column::CountHtxsnv),
        (r, unit_cycle_rollup::Column::CountHttnv),
        (r, unit_cycle_rollup::Column::CountHtnv),
        (r, unit_cycle_rollup::Column::CountKhtnv),
        (r, unit_cycle_rollup::Column::Assessed),
        (r, unit_cycle_rollup::Column::ScoreSpread),
    ])
    .column((org_unit::Entity, org_unit::Column::Name));
    ordered(&mut q);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let count = |i: usize| count::<i32>(row, i);
            Ok(Scored {
                unit_id: row.try_get_by_index(0)?,
                avg_score: row.try_get_by_index(1)?,
                levels: [count(2)?, count(3)?, count(4)?, count(5)?],
                assessed: count(6)?,
                score_spread: row.try_get_by_index(7)?,
                name: row.try_get_by_index(8)?,
            })
        })
        .collect()
}

/// A unit's name, mean score and officials per level (HTXSNV, HTTNV, HTNV, KHTNV), with how
/// many have a score and their spread (the equalization detector's evidence).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub unit_id: i64,
    pub name: String,
    pub avg_score: Option<f64>,
    pub levels: [u32; 4],
    pub assessed: u32,
    pub score_spread: Option<f64>,
}

/// What each reviewer of the officials now in the units under `roots` that pass `filter` gave
/// in `cycle_id` (levels approved, else proposed; the scores' count, sum and sum of squares),
/// for those who rated at least `min_rated`, by name — summed in SQL, one row a reviewer.
pub async fn reviewer_sums(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    roots: &[i64],
    filter: Filter,
    min_rated: u32,
) -> Result<Vec<ReviewerSums>, AppError> {
    use crate::ssr::entity::{assessment, official};
    use sea_orm::sea_query::{Func, SimpleExpr};
    let (a, o, u) = (assessment::Entity, official::Entity, org_unit::Entity);
    let (reviewer, their_unit) = (Alias::new("reviewer"), Alias::new("reviewer_unit"));
    let level = || -> SimpleExpr {
        Func::coalesce([
            Expr::col((a, assessment::Column::ApprovedLevel)),
            Expr::col((a, assessment::Column::ProposedLevel)),
        ])
        .into()
    };
    let at = |code: &str| Func::sum(Expr::case(level().eq(code), 1).finally(0));
    let score = || Expr::col((a, assessment::Column::ComputedScore));
    let mut q = Query::select();
    q.column((o, official::Column::ReviewerId))
        .column((reviewer.clone(), official::Column::FullName))
        .column((their_unit.clone(), org_unit::Column::Name))
        .exprs(crate::domain::Level::ALL.map(|l| at(l.code())))
        .expr(Func::count(score()))
        .expr(Func::sum(score()))
        .expr(Func::sum(score().mul(score())))
        .from(a)
        .inner_join(
            o,
            Expr::col((o, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .inner_join(
            u,
            Expr::col((u, org_unit::Column::Id)).equals((o, official::Column::UnitId)),
        )
        .join_as(
            sea_orm::JoinType::InnerJoin,
            o,
            reviewer.clone(),
            Expr::col((reviewer.clone(), official::Column::Id))
                .equals((o, official::Column::ReviewerId)),
        )
        .join_as(
            sea_orm::JoinType::InnerJoin,
            u,
            their_unit.clone(),
            Expr::col((their_unit.clone(), org_unit::Column::Id))
                .equals((reviewer.clone(), official::Column::UnitId)),
        )
        .and_where(Expr::col((a, assessment::Column::CycleId)).eq(cycle_id))
        .and_where(
            Expr::col((o, official::Column::UnitId)).in_subquery(super::scope::units_under(roots)),
        )
        .and_where(level().is_not_null())
        .group_by_columns([(o, official::Column::ReviewerId)])
        .group_by_col((reviewer.clone(), official::Column::FullName))
        .group_by_col((their_unit.clone(), org_unit::Column::Name))
        .and_having(Func::count(Expr::col((a, assessment::Column::Id))).gte(i64::from(min_rated)))
        .order_by((reviewer.clone(), official::Column::FullName), Order::Asc)
        .order_by((o, official::Column::ReviewerId), Order::Asc);
    filter.apply(&mut q);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let count = |i: usize| count::<i64>(row, i);
            let sum = |i: usize| -> Result<f64, AppError> {
                let s: Option<f64> = row.try_get_by_index(i)?;
                Ok(s.unwrap_or(0.0))
            };
            Ok(ReviewerSums {
                reviewer_id: row.try_get_by_index(0)?,
                name: row.try_get_by_index(1)?,
                unit: row.try_get_by_index(2)?,
                levels: [count(3)?, count(4)?, count(5)?, count(6)?],
                scored: count(7)?,
                sum: sum(8)?,
                squares: sum(9)?,
            })
        })
        .collect()
}

/// A page of the units compared, best first.
pub async fn page(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    roots: &[i64],
    filter: Filter,
    limit: u64,
    offset: u64,
) -> Result<Vec<UnitRow>, AppError> {
    let (r, u, h) = (
        unit_cycle_rollup::Entity,
        org_unit::Entity,
        unit_headcount::Entity,
    );
    let mut q = base(cycle_id, roots, filter);
    q.left_join(
        h,
        Expr::col((h, unit_headcount::Column::UnitId))
            .equals((r, unit_cycle_rollup::Column::UnitId)),
    )
    .column((r, unit_cycle_rollup::Column::UnitId))
    .column((u, org_unit::Column::Code))
    .column((u, org_unit::Column::Name))
    .column((u, org_unit::Column::Kind))
    .expr_as(
        Expr::col((h, unit_headcount::Column::Active)).if_null(0),
        Alias::new("active"),
    )
    .column((u, org_unit::Column::ApprovedHeadcount))
    .columns([
        (r, unit_cycle_rollup::Column::Officials),
        (r, unit_cycle_rollup::Column::Assessed),
        (r, unit_cycle_rollup::Column::AvgScore),
        (r, unit_cycle_rollup::Column::CountHtxsnv),
        (r, unit_cycle_rollup::Column::CountHttnv),
        (r, unit_cycle_rollup::Column::CountHtnv),
        (r, unit_cycle_rollup::Column::CountKhtnv),
        (r, unit_cycle_rollup::Column::KeyResults),
        (r, unit_cycle_rollup::Column::AvgKrProgress),
        (r, unit_cycle_rollup::Column::StaleKeyResults),
        (r, unit_cycle_rollup::Column::AtRiskKeyResults),
        (r, unit_cycle_rollup::Column::ScoreSpread),
    ])
    .limit(limit)
    .offset(offset);
    ordered(&mut q);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(unit_row)
        .collect()
}

fn unit_row(row: &QueryResult) -> Result<UnitRow, AppError> {
    // Counts are INTEGER columns; the head count a BIGINT.
    let count = |i: usize| count::<i32>(row, i);
    let active: i64 = row.try_get_by_index(4)?;
    let kind: String = row.try_get_by_index(3)?;
    Ok(UnitRow {
        unit_id: row.try_get_by_index(0)?,
        code: row.try_get_by_index(1)?,
        name: row.try_get_by_index(2)?,
        kind: UnitKind::from_code(&kind)
            .ok_or_else(|| AppError::internal(format!("unknown unit kind {kind:?}")))?,
        officials: u32::try_from(active).unwrap_or(0),
        approved: count(5)?,
        summary: UnitSummary {
            officials: count(6)?,
            assessed: count(7)?,
            avg_score: row.try_get_by_index(8)?,
            htxsnv: count(9)?,
            httnv: count(10)?,
            htnv: count(11)?,
            khtnv: count(12)?,
            key_results: count(13)?,
            avg_kr_progress: row.try_get_by_index(14)?,
            stale_key_results: count(15)?,
            at_risk_key_results: count(16)?,
            score_spread: row.try_get_by_index(17)?,
        },
    })
}

/// The average score of each of `units` in each of `cycles` (absent: no rollup).
pub async fn trends(
    db: &impl ConnectionTrait,
    units: &[i64],
    cycles: &[i64],
) -> Result<HashMap<(i64, i64), Option<f64>>, AppError> {
    let r = unit_cycle_rollup::Entity;
    let q = Query::select()
        .columns([
            (r, unit_cycle_rollup::Column::UnitId),
            (r, unit_cycle_rollup::Column::CycleId),
            (r, unit_cycle_rollup::Column::AvgScore),
        ])
        .from(r)
        .and_where(Expr::col((r, unit_cycle_rollup::Column::UnitId)).is_in(units.iter().copied()))
        .and_where(Expr::col((r, unit_cycle_rollup::Column::CycleId)).is_in(cycles.iter().copied()))
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok((
                (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
                row.try_get_by_index(2)?,
            ))
        })
        .collect()
}

/// The latest cycle (by its end) in which a unit under `roots` has a mean score: what the
/// comparison opens on.
pub async fn latest_scored(
    db: &impl ConnectionTrait,
    roots: &[i64],
) -> Result<Option<i64>, AppError> {
    let (r, c) = (unit_cycle_rollup::Entity, crate::ssr::entity::cycle::Entity);
    use crate::ssr::entity::cycle;
    let q = Query::select()
        .column((r, unit_cycle_rollup::Column::CycleId))
        .from(r)
        .inner_join(
            c,
            Expr::col((c, cycle::Column::Id)).equals((r, unit_cycle_rollup::Column::CycleId)),
        )
        .and_where(Expr::col((r, unit_cycle_rollup::Column::AvgScore)).is_not_null())
        .and_where(
            Expr::col((r, unit_cycle_rollup::Column::UnitId))
                .in_subquery(super::scope::units_under(roots)),
        )
        // A period before a year's classification, which ends on the same day as its last
        // period: the year is chosen when asked for.
        .order_by_expr(
            Expr::col((c, cycle::Column::PeriodKind)).eq("year"),
            Order::Asc,
        )
        .order_by((c, cycle::Column::EndsOn), Order::Desc)
        .order_by((c, cycle::Column::Id), Order::Desc)
        .limit(1)
        .to_owned();
    let backend = db.get_database_backend();
    match db.query_one_raw(backend.build(&q)).await? {
        Some(row) => Ok(Some(row.try_get_by_index(0)?)),
        None => Ok(None),
    }
}

/// A unit with its parent, head count and the units merged into it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitInfo {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub approved: u32,
    pub officials: u32,
    pub parent: Option<(i64, String, String)>,
    /// (code, name, until) of each unit merged into this one.
    pub merged_from: Vec<(String, String, Option<chrono::NaiveDate>)>,
}

/// The unit `id` as its dashboard shows it; `NotFound` when there is none.
pub async fn unit_info(db: &impl ConnectionTrait, id: i64) -> Result<UnitInfo, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let unit = org_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let parent = match unit.parent_id {
        Some(p) => org_unit::Entity::find_by_id(p)
            .one(db)
            .await?
            .map(|p| (p.id, p.code, p.name)),
        None => None,
    };
    let merged_from = org_unit::Entity::find()
        .filter(org_unit::Column::MergedIntoId.eq(id))
        .order_by_asc(org_unit::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name, m.valid_to))
        .collect();
    let officials = unit_headcount::Entity::find_by_id(id)
        .one(db)
        .await?
        .map_or(0, |h| u32::try_from(h.active).unwrap_or(0));
    Ok(UnitInfo {
        kind: UnitKind::from_code(&unit.kind)
            .ok_or_else(|| AppError::internal(format!("unknown unit kind {:?}", unit.kind)))?,
        id: unit.id,
        code: unit.code,
        name: unit.name,
        approved: u32::try_from(unit.approved_headcount).unwrap_or(0),
        officials,
        parent,
        merged_from,
    })
}

/// The first `limit` active officials of a unit by name, and the level code (approved, else
/// proposed) of each one's assessment in each of `cycles`.
pub async fn levels_in_unit(
    db: &impl ConnectionTrait,
    unit_id: i64,
    cycles: &[i64],
    limit: u64,
) -> Result<Vec<(i64, String, HashMap<i64, String>)>, AppError> {
    use crate::ssr::entity::{assessment, official};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let people: Vec<(i64, String)> = official::Entity::find()
        .select_only()
        .columns([official::Column::Id, official::Column::FullName])
        .filter(official::Column::UnitId.eq(unit_id))
        .filter(official::Column::Status.eq(crate::domain::vocab::OfficialStatus::Active.code()))
        .order_by_asc(official::Column::FullName)
        .order_by_asc(official::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let levels: Vec<(i64, i64, Option<String>, Option<String>)> = assessment::Entity::find()
        .select_only()
        .columns([
            assessment::Column::OfficialId,
            assessment::Column::CycleId,
            assessment::Column::ApprovedLevel,
            assessment::Column::ProposedLevel,
        ])
        .filter(assessment::Column::OfficialId.is_in(ids))
        .filter(assessment::Column::CycleId.is_in(cycles.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_official: HashMap<i64, HashMap<i64, String>> = HashMap::new();
    for (official, cycle, approved, proposed) in levels {
        if let Some(level) = approved.or(proposed) {
            by_official
                .entry(official)
                .or_default()
                .insert(cycle, level);
        }
    }
    Ok(people
        .into_iter()
        .map(|(id, name)| {
            let levels = by_official.remove(&id).unwrap_or_default();
            (id, name, levels)
        })
        .collect())
}
