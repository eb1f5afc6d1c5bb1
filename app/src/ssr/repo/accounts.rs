//! Accounts for administrators: the list with grants, enabling and disabling (which ends the
//! account's sessions), and revoking a grant. Every change is audited in its transaction.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use super::audit::{self, Actor, Change};
use super::scope;
use crate::domain::access::Grant;
use crate::error::AppError;
use crate::ssr::entity::{account, official, role_grant};

/// An account as the administrators' list shows it: with its grants and its official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub account: account::Model,
    pub grants: Vec<role_grant::Model>,
    pub official: Option<official::Model>,
}

/// The first `limit` accounts administered within the subtrees of `roots` whose texts match
/// the folded `pattern` (`None`: all), by username, and how many there are in all —
/// filtered, counted and paged in SQL.
pub async fn page_in_scope(
    db: &impl ConnectionTrait,
    roots: &[i64],
    pattern: Option<&str>,
    limit: u64,
) -> Result<(Vec<Listed>, u64), AppError> {
    let query = account::Entity::find()
        .filter(scope::accounts_in(roots))
        .apply_if(pattern, |q, p| q.filter(scope::accounts_matching(p)));
    let total = query.clone().count(db).await?;
    let accounts = query
        .order_by_asc(account::Column::Username)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
    let mut grants = HashMap::<i64, Vec<role_grant::Model>>::new();
    for grant in role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.is_in(ids))
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
    {
        grants.entry(grant.account_id).or_default().push(grant);
    }
    let mut officials: HashMap<i64, official::Model> = official::Entity::find()
        .filter(official::Column::Id.is_in(accounts.iter().filter_map(|a| a.official_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let rows = accounts
        .into_iter()
        .map(|account| Listed {
            grants: grants.remove(&account.id).unwrap_or_default(),
            official: account.official_id.and_then(|id| officials.remove(&id)),
            account,
        })
        .collect();
    Ok((rows, total))
}

/// Enables or disables an account at `version` (a concurrent change gives `Conflict`). A
/// disabled account cannot sign in, and its sessions end now.
pub async fn set_active(
    db: &impl ConnectionTrait,
    before: &account::Model,
    active: bool,
    version: i32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let changes = account::ActiveModel {
        is_active: Set(active),
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, before.id, version, changes).await?;
    let ended = if active {
        0
    } else {
        crate::ssr::auth::session::delete_all(db, before.id).await?
    };
    let change = Change {
        action: if active {
            "account_enable"
        } else {
            "account_disable"
        }
        .into(),
        entity: "account".into(),
        entity_id: Some(before.username.clone()),
        before: Some(serde_json::json!({ "is_active": before.is_active, "version": version })),
        after: Some(
            serde_json::json!({ "is_active": active, "version": version + 1, "sessions_ended": ended }),
        ),
        unit_id: None,
    };
    audit::record(db, actor, change, now).await?;
    Ok(ended)
}

/// Adds a grant; `false` when the account already held it.
pub async fn grant(
    db: &impl ConnectionTrait,
    account: &account::Model,
    grant: Grant,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let added = crate::ssr::auth::guard::insert_grant(db, account.id, grant, now).await?;
    let change = role_change("grant_role", account, grant, added);
    audit::record(db, actor, change, now).await?;
    Ok(added)
}

/// Removes a grant; `false` when the account did not hold it.
pub async fn revoke(
    db: &impl ConnectionTrait,
    account: &account::Model,
    grant: Grant,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let removed = role_grant::Entity::delete_many()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .filter(role_grant::Column::Role.eq(grant.role.code()))
        .filter(role_grant::Column::UnitId.eq(grant.unit_id))
        .exec(db)
        .await?
        .rows_affected
        > 0;
    super::versions::bump(db, super::versions::ACCESS).await?;
    let change = role_change("revoke_role", account, grant, removed);
    audit::record(db, actor, change, now).await?;
    Ok(removed)
}

/// The audit entry of a grant or revocation: which role over which unit, and whether the
/// account's roles changed.
fn role_change(action: &str, account: &account::Model, grant: Grant, changed: bool) -> Change {
    Change {
        action: action.into(),
        entity: "account".into(),
        entity_id: Some(account.username.clone()),
        before: None,
        after: Some(serde_json::json!({
            "role": grant.role.code(),
            "unit_id": grant.unit_id,
            "changed": changed,
        })),
        unit_id: Some(grant.unit_id),
    }
}
