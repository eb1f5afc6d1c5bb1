//! Data versions: one counter per kind of data, raised in the transaction of each write of
//! it, so that what was read under one value can be served again while it holds
//! ([`crate::ssr::cache`]).

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::error::AppError;
use crate::ssr::entity::data_version;

/// Officials and units as lists show them (names, codes, positions, units, status, the tree).
pub const PEOPLE: &str = "people";

/// Who may do what: sessions ended, accounts disabled, grants added or removed
/// ([`crate::ssr::auth::session::load`] keeps sessions under it).
pub const ACCESS: &str = "access";

/// Raises the counter of `topic` (creating it at 1).
pub async fn bump(db: &impl ConnectionTrait, topic: &str) -> Result<(), AppError> {
    let upsert = Query::insert()
        .into_table(data_version::Entity)
        .columns([data_version::Column::Topic, data_version::Column::Version])
        .values_panic([topic.into(), 1_i64.into()])
        .on_conflict(
            OnConflict::column(data_version::Column::Topic)
                .value(
                    data_version::Column::Version,
                    Expr::col((data_version::Entity, data_version::Column::Version)).add(1),
                )
                .to_owned(),
        )
        .to_owned();
    let backend = db.get_database_backend();
    db.execute_raw(backend.build(&upsert)).await?;
    Ok(())
}

/// The counter of `topic` (0 before its first write).
pub async fn current(db: &impl ConnectionTrait, topic: &str) -> Result<i64, AppError> {
    Ok(data_version::Entity::find_by_id(topic.to_owned())
        .one(db)
        .await?
        .map_or(0, |v| v.version))
}
