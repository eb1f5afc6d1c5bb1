//! The append-only audit trail: every write records who did what to which record, the state
//! before and after, and the request it came from. Nothing updates or deletes these rows.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::error::AppError;
use crate::ssr::entity::audit_log;

/// Who performed a write, and through which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Account or process name (`cli:import`, `seed:demo`, later the signed-in account).
    pub name: String,
    /// The request id (`x-request-id`) when the write came over HTTP.
    pub request_id: Option<String>,
}

impl Actor {
    /// A command-line or background actor.
    pub fn system(name: &str) -> Self {
        Actor {
            name: name.to_owned(),
            request_id: None,
        }
    }
}

/// One write: what was done to which record, with its state before and after (JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `create`, `update`, `delete`, `import`, …
    pub action: String,
    /// The table or resource, e.g. `official`.
    pub entity: String,
    /// The record's id or natural key.
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends one entry to the audit log.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    change: Change,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        at: Set(now),
        actor: Set(actor.name.clone()),
        action: Set(change.action),
        entity: Set(change.entity),
        entity_id: Set(change.entity_id),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
        request_id: Set(actor.request_id.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Appends many entries by one actor at one time, in multi-row statements (bulk imports).
pub async fn record_many(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: Vec<Change>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let rows = changes
        .into_iter()
        .map(|change| audit_log::ActiveModel {
            at: Set(now),
            actor: Set(actor.name.clone()),
            action: Set(change.action),
            entity: Set(change.entity),
            entity_id: Set(change.entity_id),
            before: Set(change.before.map(|v| v.to_string())),
            after: Set(change.after.map(|v| v.to_string())),
            request_id: Set(actor.request_id.clone()),
            ..Default::default()
        })
        .collect();
    super::bulk::insert_all(db, rows).await?;
    Ok(())
}
