//! Changing one of the organisation's rule sets (the warning rules, the candidate rules): the
//! version read must still be the stored one (else `Conflict`, nothing written), the change is
//! audited with the rules before and after. Who may change which set, and the range checks,
//! are the callers'.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Actor, invalid};
use crate::domain::check_in::Invalid;
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::rules;

/// Stores `new` under `key` in the caller's transaction, from version `version`.
pub async fn store<T: Serialize + DeserializeOwned + Default>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    key: &str,
    new: &T,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (old, stored): (T, i32) = rules::load(db, key).await?;
    if stored != version {
        return Err(AppError::Conflict);
    }
    let json = serde_json::to_string(new).map_err(AppError::internal)?;
    rules::put(db, key, json, version, &actor.audit.name, now).await?;
    audit::record(
        db,
        &actor.audit,
        Change {
            action: "update".into(),
            entity: "rule_setting".into(),
            entity_id: Some(key.into()),
            before: serde_json::to_value(old).ok(),
            after: serde_json::to_value(new).ok(),
            unit_id: None,
        },
        now,
    )
    .await
}

/// The refusal of a rule set out of range: the first field refused.
pub fn refused(values: &[Invalid]) -> AppError {
    match values.first() {
        Some(first) => invalid(first.field, first.key),
        None => invalid("request", "invalid"),
    }
}
