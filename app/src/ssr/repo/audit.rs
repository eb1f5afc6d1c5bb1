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
    /// The unit the record belongs to, which decides who may read the entry.
    pub unit_id: Option<i64>,
}

use crate::domain::audit::copied;

/// Appends one entry to the audit log.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    change: Change,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    row(actor, change, now).insert(db).await?;
    Ok(())
}

/// Appends many entries by one actor at one time, in multi-row statements (bulk imports).
pub async fn record_many(
    db: &impl ConnectionTrait,
    actor: &Actor,
    changes: Vec<Change>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    // A thousand rows at a time: a large import's entries are never all built at once.
    let mut changes = changes.into_iter();
    loop {
        let rows: Vec<_> = changes
            .by_ref()
            .take(1_000)
            .map(|change| row(actor, change, now))
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        super::bulk::insert_all(db, rows).await?;
    }
}

fn row(
    actor: &Actor,
    change: Change,
    now: chrono::DateTime<chrono::Utc>,
) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        at: Set(now),
        actor: Set(actor.name.clone()),
        action: Set(change.action),
        entity: Set(change.entity),
        entity_id: Set(change.entity_id),
        before: Set(change.before.map(|v| copied(v.to_string()))),
        after: Set(change.after.map(|v| copied(v.to_string()))),
        request_id: Set(actor.request_id.clone()),
        unit_id: Set(change.unit_id),
        ..Default::default()
    }
}

/// Which entries to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Entries about records of the units under these (each included).
    pub under: Vec<i64>,
    /// Also entries without a unit (sign-ins, system jobs).
    pub include_unscoped: bool,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub actor: Option<String>,
    pub limit: u64,
}

/// The newest entries matching `filter`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
) -> Result<Vec<crate::domain::audit::AuditEntry>, AppError> {
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut scope = Condition::any()
        .add(audit_log::Column::UnitId.in_subquery(super::scope::units_under(&filter.under)));
    if filter.include_unscoped {
        scope = scope.add(audit_log::Column::UnitId.is_null());
    }
    let mut query = audit_log::Entity::find().filter(scope);
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_log::Column::Entity.eq(entity.as_str()));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_log::Column::Actor.eq(actor.as_str()));
    }
    Ok(query
        .order_by_desc(audit_log::Column::Id)
        .limit(filter.limit)
        .all(db)
        .await?
        .into_iter()
        .map(|e| crate::domain::audit::AuditEntry {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            request_id: e.request_id,
        })
        .collect())
}
