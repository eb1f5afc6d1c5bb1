//! The organisation's configurable rule sets (`rule_setting`): one JSON document a key, with
//! its version so that two people editing the rules at once cannot overwrite each other.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::error::AppError;
use crate::ssr::entity::rule_setting;

/// The stored document of `key` and its version (`None`: never set, the defaults apply).
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<(String, i32)>, AppError> {
    Ok(rule_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|m| (m.value, m.version)))
}

/// The rule set stored under `key` and its version, or the defaults and version 0 when it was
/// never set.
pub async fn load<T: serde::de::DeserializeOwned + Default>(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<(T, i32), AppError> {
    Ok(match get(db, key).await? {
        Some((json, version)) => (
            serde_json::from_str(&json).map_err(AppError::internal)?,
            version,
        ),
        None => (T::default(), 0),
    })
}

/// Stores `value` under `key` if its version is still `version` (0: never set); else
/// `Conflict`.
pub async fn put(
    db: &impl ConnectionTrait,
    key: &str,
    value: String,
    version: i32,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if version == 0 {
        rule_setting::Entity::insert(rule_setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
            version: Set(1),
            updated_by: Set(by.to_owned()),
            updated_at: Set(now),
        })
        .exec(db)
        .await?;
        return Ok(());
    }
    let done = rule_setting::Entity::update_many()
        .col_expr(rule_setting::Column::Value, Expr::value(value))
        .col_expr(
            rule_setting::Column::Version,
            Expr::col(rule_setting::Column::Version).add(1),
        )
        .col_expr(rule_setting::Column::UpdatedBy, Expr::value(by))
        .col_expr(rule_setting::Column::UpdatedAt, Expr::value(now))
        .filter(rule_setting::Column::Key.eq(key))
        .filter(rule_setting::Column::Version.eq(version))
        .exec(db)
        .await?;
    match done.rows_affected {
        1 => Ok(()),
        _ => Err(AppError::Conflict),
    }
}
