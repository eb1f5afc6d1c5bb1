//! Head counts per unit (`unit_headcount`): the active officials of each unit, recounted from
//! `official` for the units a write touched, in the writer's transaction. The total of a scope
//! is then a sum over its units ([`active_under`]) instead of a count over its officials.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::vocab::OfficialStatus;
use crate::error::AppError;
use crate::ssr::entity::{official, unit_headcount};

/// Recounts the units in `units` (those whose officials were added, moved in or out, or
/// changed status).
pub async fn refresh(
    db: &impl ConnectionTrait,
    units: impl IntoIterator<Item = i64>,
) -> Result<(), AppError> {
    let units: Vec<i64> = units
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in units.chunks(500) {
        recount(db, Some(chunk)).await?;
    }
    Ok(())
}

/// Recounts every unit, after bulk loads that bypass the per-row writes (and marks the lists
/// read before as stale).
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), AppError> {
    super::versions::bump(db, super::versions::PEOPLE).await?;
    recount(db, None).await
}

async fn recount(db: &impl ConnectionTrait, units: Option<&[i64]>) -> Result<(), AppError> {
    let mut delete = unit_headcount::Entity::delete_many();
    let mut counted = Query::select();
    counted
        .column(official::Column::UnitId)
        .expr(Expr::col(official::Column::Id).count())
        .from(official::Entity)
        .and_where(Expr::col(official::Column::Status).eq(OfficialStatus::Active.code()))
        .group_by_col(official::Column::UnitId);
    if let Some(units) = units {
        delete = delete.filter(unit_headcount::Column::UnitId.is_in(units.iter().copied()));
        counted.and_where(Expr::col(official::Column::UnitId).is_in(units.iter().copied()));
    }
    delete.exec(db).await?;
    let insert = Query::insert()
        .into_table(unit_headcount::Entity)
        .columns([
            unit_headcount::Column::UnitId,
            unit_headcount::Column::Active,
        ])
        .select_from(counted)
        .map_err(AppError::internal)?
        .to_owned();
    let backend = db.get_database_backend();
    db.execute_raw(backend.build(&insert)).await?;
    Ok(())
}

/// The active officials of every unit under any of `roots` (each root included).
pub async fn active_under(db: &impl ConnectionTrait, roots: &[i64]) -> Result<u64, AppError> {
    // SUM is NULL over no rows, and a NUMERIC in PostgreSQL: hence the cast.
    let sum = Query::select()
        .expr(Func::cast_as(
            Func::coalesce([
                Expr::col(unit_headcount::Column::Active).sum(),
                Expr::val(0),
            ]),
            "BIGINT",
        ))
        .from(unit_headcount::Entity)
        .and_where(
            Expr::col(unit_headcount::Column::UnitId).in_subquery(super::scope::units_under(roots)),
        )
        .to_owned();
    let backend = db.get_database_backend();
    let row = db.query_one_raw(backend.build(&sum)).await?;
    let total: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(total).unwrap_or(0))
}
