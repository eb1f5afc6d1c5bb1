//! Updates of versioned records: every write to a table with a `version` column bumps it, so
//! a concurrent edit made from an older version can be detected.

use std::str::FromStr;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppError;

/// Writes the set fields of `changes` to row `id` of their table and adds 1 to its `version`.
pub async fn update<A>(db: &impl ConnectionTrait, id: i64, changes: A) -> Result<(), AppError>
where
    A: ActiveModelTrait + Send,
{
    let (id_column, version) = columns::<A>()?;
    <A::Entity as EntityTrait>::update_many()
        .set(changes)
        .col_expr(version, Expr::col(version).add(1))
        .filter(id_column.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Like [`update`], but only when the row is still at `expected` version: a concurrent edit
/// made since the caller read the row gives `Conflict`, never a silent overwrite.
pub async fn update_if_version<A>(
    db: &impl ConnectionTrait,
    id: i64,
    expected: i32,
    changes: A,
) -> Result<(), AppError>
where
    A: ActiveModelTrait + Send,
{
    let (id_column, version) = columns::<A>()?;
    let result = <A::Entity as EntityTrait>::update_many()
        .set(changes)
        .col_expr(version, Expr::col(version).add(1))
        .filter(id_column.eq(id))
        .filter(version.eq(expected))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// A column of `A`'s table.
type ColumnOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Column;

/// The `id` and `version` columns of `A`'s table.
fn columns<A: ActiveModelTrait>() -> Result<(ColumnOf<A>, ColumnOf<A>), AppError> {
    let column = |name: &str| {
        <A::Entity as EntityTrait>::Column::from_str(name)
            .map_err(|_| AppError::internal(format!("versioned update: no column {name}")))
    };
    Ok((column("id")?, column("version")?))
}
