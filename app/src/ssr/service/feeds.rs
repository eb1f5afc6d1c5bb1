//! Metric values fed by other systems: an integration's credentials checked, a batch of values
//! checked item by item and written all or nothing, the key results bound to those metrics
//! moved to their feed's newest value with their owners' assessments and units' rollups
//! recomputed, the feeds' and key results' early warnings worked out again and the write
//! audited under the sender's name — one use case for the JSON API and the browser's upload.
//! Also the integrations themselves: created by an administrator for units they administer
//! (the secret shown once, kept hashed), listed and revoked.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Actor, administering, bounded_text, invalid};
use crate::domain::feeds::{self, Bounds, Checked, Item, ItemError, UnitLookup};
use crate::error::AppError;
use crate::ssr::auth::session;
use crate::ssr::repo::api_clients::{self, Client};
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::metrics::{self, BoundKr, MetricDef};
use crate::ssr::repo::{org_units, rollups};

/// The beginning of every integration's token: `tdk_<client id>_<64 hex digits>`.
pub const TOKEN_PREFIX: &str = "tdk_";
/// The longest integration name.
pub const MAX_NAME: usize = 120;

/// Who writes a batch: the audit identity and the units under which they may write.
#[derive(Debug, Clone)]
pub struct Writer {
    pub actor: Actor,
    pub roots: Vec<i64>,
    /// The integration, when the batch came over the API.
    pub client_id: Option<i64>,
}

/// What became of a batch: with any error, nothing was written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Values written (new or replacing the value of the same metric, unit and day).
    pub accepted: usize,
    /// Bound key results whose current value moved.
    pub key_results: usize,
    pub errors: Vec<ItemError>,
}

/// The catalogue of metrics a feed may send.
pub async fn catalogue(db: &impl ConnectionTrait) -> Result<Vec<MetricDef>, AppError> {
    metrics::catalogue(db).await
}

/// The integration a bearer token belongs to, as a writer; `Unauthorized` for a missing or
/// malformed token, an unknown integration, a wrong secret and a revoked integration alike.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: Option<&str>,
    request_id: Option<String>,
) -> Result<Writer, AppError> {
    let token = token.ok_or(AppError::Unauthorized)?;
    let id = client_id_of(token).ok_or(AppError::Unauthorized)?;
    let client = api_clients::credentials(db, id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if client.revoked || session::id_of(token) != client.secret_hash {
        return Err(AppError::Unauthorized);
    }
    let mut actor = Actor::system(&format!("api:{}:{}", client.id, client.name));
    actor.audit.request_id = request_id;
    Ok(Writer {
        actor,
        roots: client.units,
        client_id: Some(client.id),
    })
}

/// The integration id a well-formed token names.
fn client_id_of(token: &str) -> Option<i64> {
    let (id, secret) = token.strip_prefix(TOKEN_PREFIX)?.split_once('_')?;
    (secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| id.parse().ok())
        .flatten()
}

/// Checks and writes a batch of values for `writer`, all or nothing (see the module).
pub async fn ingest(
    db: &DatabaseConnection,
    writer: &Writer,
    items: &[Item],
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    let checked = match check(db, writer, items, now).await? {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(Report {
                errors,
                ..Report::default()
            });
        }
    };
    let txn = crate::ssr::db::write(db).await?;
    let report = write_in(&txn, writer, &checked, now).await?;
    txn.commit().await?;
    Ok(report)
}

/// Writes a checked batch inside the caller's transaction (the demo feeds its city this way).
pub async fn write_in(
    txn: &impl ConnectionTrait,
    writer: &Writer,
    checked: &[Checked],
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    metrics::upsert(txn, checked).await?;
    let moved = follow_feeds(txn, &writer.actor, checked, now).await?;
    audit::record(txn, &writer.actor.audit, batch_change(checked, writer), now).await?;
    if let Some(id) = writer.client_id {
        api_clients::touch(txn, id, now).await?;
    }
    Ok(Report {
        accepted: checked.len(),
        key_results: moved,
        errors: Vec::new(),
    })
}

/// The batch checked against the catalogue and the writer's units (see
/// [`feeds::check`](crate::domain::feeds::check)).
pub async fn check(
    db: &impl ConnectionTrait,
    writer: &Writer,
    items: &[Item],
    now: DateTime<Utc>,
) -> Result<Result<Vec<Checked>, Vec<ItemError>>, AppError> {
    let bounds: HashMap<String, Bounds> = metrics::catalogue(db)
        .await?
        .into_iter()
        .map(|m| {
            let b = Bounds {
                min: m.min_value,
                max: m.max_value,
            };
            (m.key, b)
        })
        .collect();
    let codes: BTreeSet<&str> = items
        .iter()
        .map(|i| i.unit.as_str())
        .filter(|c| !c.is_empty() && c.chars().count() <= feeds::MAX_CODE)
        .collect();
    let codes: Vec<&str> = codes.into_iter().collect();
    let ids = metrics::unit_ids_by_code(db, &codes).await?;
    let allowed = org_units::ids_under(db, &writer.roots).await?;
    let today = crate::domain::deadline::local_date(now);
    Ok(feeds::check(
        items,
        |key| bounds.get(key).copied(),
        |code| match ids.get(code) {
            None => UnitLookup::Unknown,
            Some(id) if allowed.contains(id) => UnitLookup::Allowed(*id),
            Some(_) => UnitLookup::OutsideScope,
        },
        today,
    ))
}

/// The audit entry of a written batch: how many values, of which metrics, units and days.
fn batch_change(checked: &[Checked], writer: &Writer) -> Change {
    let metrics: BTreeSet<&str> = checked.iter().map(|c| c.metric.as_str()).collect();
    let units: BTreeSet<i64> = checked.iter().map(|c| c.unit_id).collect();
    let from = checked.iter().map(|c| c.date).min();
    let until = checked.iter().map(|c| c.date).max();
    Change {
        action: "feed".into(),
        entity: "metric_series".into(),
        entity_id: writer.client_id.map(|id| format!("client:{id}")),
        before: None,
        after: Some(serde_json::json!({
            "values": checked.len(),
            "metrics": metrics,
            "units": units.len(),
            "from": from,
            "until": until,
        })),
        unit_id: writer.roots.first().copied(),
    }
}

/// Moves the key results bound to the batch's metrics and units to their feed's newest value
/// in their cycle; recomputes their owners' assessments and their units' rollups; works the
/// feeds' and key results' warnings out again. Returns how many key results moved.
async fn follow_feeds(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    checked: &[Checked],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let keys: BTreeSet<String> = checked.iter().map(|c| c.metric.clone()).collect();
    let units: BTreeSet<i64> = checked.iter().map(|c| c.unit_id).collect();
    let feeds: BTreeSet<(String, i64)> = checked
        .iter()
        .map(|c| (c.metric.clone(), c.unit_id))
        .collect();
    super::warnings::refresh_feeds(txn, &feeds, now).await?;
    let bound = metrics::bound_key_results(txn, &keys, &units).await?;
    let (Some(from), Some(until)) = (
        bound.iter().map(|k| k.starts_on).min(),
        bound.iter().map(|k| k.ends_on).max(),
    ) else {
        return Ok(0);
    };
    let values = metrics::values_between(txn, &keys, &units, (from, until)).await?;
    let mut moved: Vec<(&BoundKr, f64)> = Vec::new();
    for kr in &bound {
        let feed = values.get(&(kr.metric.clone(), kr.unit_id));
        let value = feed.and_then(|v| feeds::bound_value(v, kr.starts_on, kr.ends_on));
        if let Some(value) = value.filter(|v| (*v - kr.current).abs() > f64::EPSILON) {
            moved.push((kr, value));
        }
    }
    let mut by_cycle: BTreeMap<i64, (Vec<i64>, BTreeSet<i64>)> = BTreeMap::new();
    let mut changes = Vec::with_capacity(moved.len());
    for (kr, value) in &moved {
        metrics::follow(txn, kr.id, *value, now).await?;
        let (owners, unit_ids) = by_cycle.entry(kr.cycle_id).or_default();
        match kr.owner {
            Some(owner) => owners.push(owner),
            None => {
                unit_ids.insert(kr.unit_id);
            }
        }
        changes.push(Change {
            action: "feed_update".into(),
            entity: "key_result".into(),
            entity_id: Some(kr.id.to_string()),
            before: Some(serde_json::json!({ "current_value": kr.current })),
            after: Some(serde_json::json!({ "current_value": value, "metric": kr.metric })),
            unit_id: Some(kr.unit_id),
        });
    }
    for (cycle_id, (owners, mut unit_ids)) in by_cycle {
        if !owners.is_empty()
            && super::assessments::recompute(txn, cycle_id, Some(&owners), now).await? == 0
        {
            unit_ids.extend(
                moved
                    .iter()
                    .filter(|(k, _)| k.owner.is_some() && k.cycle_id == cycle_id)
                    .map(|(k, _)| k.unit_id),
            );
        }
        for unit in unit_ids {
            rollups::refresh_unit(txn, cycle_id, unit, now).await?;
        }
    }
    for (kr, _) in &moved {
        super::warnings::refresh_subject(txn, super::warnings::Subject::KeyResult(kr.id), now)
            .await?;
    }
    audit::record_many(txn, &actor.audit, changes, now).await?;
    Ok(moved.len())
}

/// A new integration as created: its id and the token, shown this once.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub id: i64,
    pub token: String,
}

/// Creates an integration named `name` writing for `units` (each a unit the administrator
/// administers); the token is returned once and only its hash is kept.
pub async fn create_client(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    units: &[i64],
    now: DateTime<Utc>,
) -> Result<Created, AppError> {
    let roots = match actor.principal {
        Some(_) => Some(
            administering(db, actor, "api_client", now)
                .await?
                .1
                .subtrees,
        ),
        None => None,
    };
    let name = bounded_text("name", name, MAX_NAME)?;
    if name.is_empty() {
        return Err(invalid("name", "required_value"));
    }
    let units: Vec<i64> = units
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if units.is_empty() {
        return Err(invalid("units", "required_value"));
    }
    if let Some(roots) = roots {
        let mine = org_units::ids_under(db, &roots).await?;
        if units.iter().any(|u| !mine.contains(u)) {
            return Err(invalid("units", "feed_outside_scope"));
        }
    }
    let txn = crate::ssr::db::write(db).await?;
    let created = create_in(&txn, actor, &name, &units, now).await?;
    txn.commit().await?;
    Ok(created)
}

/// Creates a checked integration inside the caller's transaction, audited.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    name: &str,
    units: &[i64],
    now: DateTime<Utc>,
) -> Result<Created, AppError> {
    let placeholder = session::new_token();
    let id = api_clients::insert(txn, name, &placeholder, &actor.audit.name, units, now).await?;
    let token = format!("{TOKEN_PREFIX}{id}_{}", session::new_token());
    api_clients::set_secret(txn, id, &session::id_of(&token)).await?;
    let change = Change {
        action: "create".into(),
        entity: "api_client".into(),
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "name": name, "units": units })),
        unit_id: units.first().copied(),
    };
    audit::record(txn, &actor.audit, change, now).await?;
    Ok(Created { id, token })
}

/// The integrations writing for units the administrator administers.
pub async fn clients(
    db: &DatabaseConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Client>, AppError> {
    let (_, scope) = administering(db, actor, "api_client", now).await?;
    api_clients::under(db, &scope.subtrees).await
}

/// Revokes an integration read at `version` (its token stops working at once).
pub async fn revoke_client(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (_, scope) = administering(db, actor, "api_client", now).await?;
    let client = api_clients::one_under(db, &scope.subtrees, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if client.revoked_at.is_some() {
        return Err(invalid("client", "client_revoked"));
    }
    let txn = crate::ssr::db::write(db).await?;
    api_clients::revoke(&txn, id, version, now).await?;
    let change = Change {
        action: "revoke".into(),
        entity: "api_client".into(),
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "name": client.name })),
        unit_id: client.units.first().map(|u| u.0),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_token_names_a_client() {
        let secret = "a".repeat(64);
        assert_eq!(client_id_of(&format!("tdk_12_{secret}")), Some(12));
        assert_eq!(client_id_of(&format!("tdk_x_{secret}")), None);
        assert_eq!(client_id_of(&format!("tdk_12_{}", "a".repeat(63))), None);
        assert_eq!(client_id_of(&format!("tdk_12_{}", "g".repeat(64))), None);
        assert_eq!(client_id_of(&format!("xyz_12_{secret}")), None);
        assert_eq!(client_id_of(""), None);
    }
}
