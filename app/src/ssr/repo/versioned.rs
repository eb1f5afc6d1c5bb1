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
    let column = |name: &str| {
        <A::Entity as EntityTrait>::Column::from_str(name)
            .map_err(|_| AppError::internal(format!("versioned update: no column {name}")))
    };
    let (id_column, version) = (column("id")?, column("version")?);
    <A::Entity as EntityTrait>::update_many()
        .set(changes)
        .col_expr(version, Expr::col(version).add(1))
        .filter(id_column.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
