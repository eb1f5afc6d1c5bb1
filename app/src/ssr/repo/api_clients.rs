//! The integrations that feed metric values: created with their units, found by id to check a
//! secret against its stored hash, listed for the administrators of their units, marked used
//! and revoked.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use crate::error::AppError;
use crate::ssr::entity::{api_client, api_client_unit, org_unit};

/// An integration as its administrators see it (never its secret or hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// The units it writes for: (id, code, name).
    pub units: Vec<(i64, String, String)>,
}

/// An integration with what its secret is checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub id: i64,
    pub name: String,
    pub secret_hash: String,
    pub revoked: bool,
    pub units: Vec<i64>,
}

/// Creates an integration writing for `units`; returns its id.
pub async fn insert(
    db: &impl ConnectionTrait,
    name: &str,
    secret_hash: &str,
    created_by: &str,
    units: &[i64],
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let client = api_client::ActiveModel {
        name: Set(name.to_owned()),
        secret_hash: Set(secret_hash.to_owned()),
        created_by: Set(created_by.to_owned()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let rows: Vec<api_client_unit::ActiveModel> = units
        .iter()
        .map(|unit| api_client_unit::ActiveModel {
            client_id: Set(client.id),
            unit_id: Set(*unit),
        })
        .collect();
    api_client_unit::Entity::insert_many(rows).exec(db).await?;
    Ok(client.id)
}

/// The integration `id` with its secret's hash and units, if it exists.
pub async fn credentials(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<Credentials>, AppError> {
    let Some(client) = api_client::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let units = api_client_unit::Entity::find()
        .filter(api_client_unit::Column::ClientId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.unit_id)
        .collect();
    Ok(Some(Credentials {
        id,
        name: client.name,
        secret_hash: client.secret_hash,
        revoked: client.revoked_at.is_some(),
        units,
    }))
}

/// The integrations writing for any unit under `roots`, newest first.
pub async fn under(db: &impl ConnectionTrait, roots: &[i64]) -> Result<Vec<Client>, AppError> {
    listed(db, roots, None).await
}

/// The integration `id`, if it writes for a unit under `roots`.
pub async fn one_under(
    db: &impl ConnectionTrait,
    roots: &[i64],
    id: i64,
) -> Result<Option<Client>, AppError> {
    Ok(listed(db, roots, Some(id)).await?.pop())
}

async fn listed(
    db: &impl ConnectionTrait,
    roots: &[i64],
    only: Option<i64>,
) -> Result<Vec<Client>, AppError> {
    use sea_orm::QueryTrait;
    let ids = Query::select()
        .column(api_client_unit::Column::ClientId)
        .from(api_client_unit::Entity)
        .and_where(
            Expr::col((api_client_unit::Entity, api_client_unit::Column::UnitId))
                .in_subquery(super::scope::units_under(roots)),
        )
        .to_owned();
    let clients = api_client::Entity::find()
        .filter(api_client::Column::Id.in_subquery(ids))
        .apply_if(only, |q, id| q.filter(api_client::Column::Id.eq(id)))
        .order_by_desc(api_client::Column::Id)
        .all(db)
        .await?;
    let links = api_client_unit::Entity::find()
        .filter(api_client_unit::Column::ClientId.is_in(clients.iter().map(|c| c.id)))
        .all(db)
        .await?;
    let names: std::collections::HashMap<i64, (String, String)> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(links.iter().map(|l| l.unit_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.code, u.name)))
        .collect();
    Ok(clients
        .into_iter()
        .map(|c| Client {
            units: links
                .iter()
                .filter(|l| l.client_id == c.id)
                .filter_map(|l| {
                    let (code, name) = names.get(&l.unit_id)?.clone();
                    Some((l.unit_id, code, name))
                })
                .collect(),
            id: c.id,
            name: c.name,
            created_by: c.created_by,
            created_at: c.created_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
            version: c.version,
        })
        .collect())
}

/// Stores the hash of the integration's secret.
pub async fn set_secret(db: &impl ConnectionTrait, id: i64, hash: &str) -> Result<(), AppError> {
    api_client::Entity::update_many()
        .col_expr(api_client::Column::SecretHash, Expr::value(hash))
        .filter(api_client::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks the integration used at `now`.
pub async fn touch(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    api_client::Entity::update_many()
        .col_expr(api_client::Column::LastUsedAt, Expr::value(now))
        .filter(api_client::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes the integration read at `version`: `Conflict` when it changed since.
pub async fn revoke(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let changes = api_client::ActiveModel {
        revoked_at: Set(Some(now)),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}
