//! What the public page of unit results reads: the current units a citizen can look up, and a
//! unit's officials per level in its last closed cycles summed over its subtree — counts
//! only, never a person's row. Filtered, counted, ordered and paged in SQL.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::domain::publish::LevelCounts;
use crate::domain::vocab::UnitKind;
use crate::error::AppError;
use crate::ssr::entity::{cycle, org_unit, org_unit_closure, unit_cycle_rollup};

/// A unit as the public pages list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
}

/// The kinds of units with a public page of their own under a province: the communes and
/// wards, and the agencies.
pub const PUBLISHED_KINDS: [UnitKind; 2] = [UnitKind::Commune, UnitKind::Agency];

fn listed(row: &QueryResult) -> Result<Listed, AppError> {
    let kind: String = row.try_get_by_index(3)?;
    Ok(Listed {
        id: row.try_get_by_index(0)?,
        code: row.try_get_by_index(1)?,
        name: row.try_get_by_index(2)?,
        kind: UnitKind::from_code(&kind)
            .ok_or_else(|| AppError::internal(format!("unknown unit kind {kind:?}")))?,
    })
}

fn unit_columns(q: &mut SelectStatement) {
    let u = org_unit::Entity;
    q.column((u, org_unit::Column::Id))
        .column((u, org_unit::Column::Code))
        .column((u, org_unit::Column::Name))
        .column((u, org_unit::Column::Kind));
}

/// The current top units (provinces and cities), by name.
pub async fn roots(db: &impl ConnectionTrait) -> Result<Vec<Listed>, AppError> {
    let u = org_unit::Entity;
    let mut q = Query::select();
    q.from(u)
        .and_where(Expr::col((u, org_unit::Column::ParentId)).is_null())
        .and_where(Expr::col((u, org_unit::Column::ValidTo)).is_null())
        .order_by((u, org_unit::Column::Name), Order::Asc);
    unit_columns(&mut q);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(listed)
        .collect()
}

/// The current unit with this code.
pub async fn current_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<Listed>, AppError> {
    let u = org_unit::Entity;
    let mut q = Query::select();
    q.from(u)
        .and_where(Expr::col((u, org_unit::Column::Code)).eq(code))
        .and_where(Expr::col((u, org_unit::Column::ValidTo)).is_null());
    unit_columns(&mut q);
    let backend = db.get_database_backend();
    db.query_one_raw(backend.build(&q))
        .await?
        .as_ref()
        .map(listed)
        .transpose()
}

/// The current communes, wards and agencies under `root` (not itself): agencies first, then
/// communes, each by name; one page of them and how many there are in all.
pub async fn published_under(
    db: &impl ConnectionTrait,
    root: i64,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Listed>, u64), AppError> {
    let (u, c) = (org_unit::Entity, org_unit_closure::Entity);
    let mut base = Query::select();
    base.from(u)
        .inner_join(
            c,
            Expr::col((c, org_unit_closure::Column::DescendantId))
                .equals((u, org_unit::Column::Id)),
        )
        .and_where(Expr::col((c, org_unit_closure::Column::AncestorId)).eq(root))
        .and_where(Expr::col((c, org_unit_closure::Column::Depth)).gt(0))
        .and_where(Expr::col((u, org_unit::Column::ValidTo)).is_null())
        .and_where(Expr::col((u, org_unit::Column::Kind)).is_in(PUBLISHED_KINDS.map(|k| k.code())));
    let mut count = base.clone();
    count.expr_as(
        Func::count(Expr::col((u, org_unit::Column::Id))),
        Alias::new("n"),
    );
    let mut page = base;
    unit_columns(&mut page);
    page.order_by((u, org_unit::Column::Kind), Order::Asc)
        .order_by((u, org_unit::Column::Name), Order::Asc)
        .order_by((u, org_unit::Column::Id), Order::Asc)
        .limit(limit)
        .offset(offset);
    let backend = db.get_database_backend();
    let total: i64 = match db.query_one_raw(backend.build(&count)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    let rows = db
        .query_all_raw(backend.build(&page))
        .await?
        .iter()
        .map(listed)
        .collect::<Result<_, _>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// A closed cycle as the public page names it, and a unit's counts in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCycle {
    pub code: String,
    pub period_kind: String,
    pub year: i32,
    pub period_no: i32,
    /// Officials of the unit and the units under it in the cycle.
    pub officials: u32,
    /// Of them, at each level (highest first).
    pub levels: LevelCounts,
}

/// The last `limit` closed cycles in which `unit` or a unit under it has a rollup, newest
/// first, with the officials and their levels summed over the subtree.
pub async fn closed_levels(
    db: &impl ConnectionTrait,
    unit: i64,
    limit: u64,
) -> Result<Vec<ClosedCycle>, AppError> {
    let (r, c, k) = (
        unit_cycle_rollup::Entity,
        org_unit_closure::Entity,
        cycle::Entity,
    );
    let sum = |col: unit_cycle_rollup::Column| Func::sum(Expr::col((r, col)));
    let mut q = Query::select();
    q.from(r)
        .inner_join(
            c,
            Expr::col((c, org_unit_closure::Column::DescendantId))
                .equals((r, unit_cycle_rollup::Column::UnitId)),
        )
        .inner_join(
            k,
            Expr::col((k, cycle::Column::Id)).equals((r, unit_cycle_rollup::Column::CycleId)),
        )
        .and_where(Expr::col((c, org_unit_closure::Column::AncestorId)).eq(unit))
        .and_where(Expr::col((k, cycle::Column::State)).eq("closed"))
        .columns([
            (k, cycle::Column::Code),
            (k, cycle::Column::PeriodKind),
            (k, cycle::Column::Year),
            (k, cycle::Column::PeriodNo),
        ])
        .expr(sum(unit_cycle_rollup::Column::Officials))
        .expr(sum(unit_cycle_rollup::Column::CountHtxsnv))
        .expr(sum(unit_cycle_rollup::Column::CountHttnv))
        .expr(sum(unit_cycle_rollup::Column::CountHtnv))
        .expr(sum(unit_cycle_rollup::Column::CountKhtnv))
        .group_by_columns([
            (k, cycle::Column::Id),
            (k, cycle::Column::Code),
            (k, cycle::Column::PeriodKind),
            (k, cycle::Column::Year),
            (k, cycle::Column::PeriodNo),
            (k, cycle::Column::EndsOn),
        ])
        .order_by((k, cycle::Column::EndsOn), Order::Desc)
        .order_by((k, cycle::Column::Id), Order::Desc)
        .limit(limit);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            // A SUM of INTEGER columns is a BIGINT on PostgreSQL, an INTEGER on SQLite.
            let n = |i: usize| -> Result<u32, AppError> {
                let value: i64 = row.try_get_by_index(i)?;
                Ok(u32::try_from(value).unwrap_or(0))
            };
            Ok(ClosedCycle {
                code: row.try_get_by_index(0)?,
                period_kind: row.try_get_by_index(1)?,
                year: row.try_get_by_index(2)?,
                period_no: row.try_get_by_index(3)?,
                officials: n(4)?,
                levels: [n(5)?, n(6)?, n(7)?, n(8)?],
            })
        })
        .collect()
}
