//! Accounts for administrators: the list with grants, enabling and disabling (which ends the
//! account's sessions), and revoking a grant. Every change is audited in its transaction.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::audit::{self, Actor, Change};
use crate::domain::access::Grant;
use crate::error::AppError;
use crate::ssr::entity::{account, role_grant, session};

/// Every account, by username, with its grants.
pub async fn all_with_grants(
    db: &impl ConnectionTrait,
) -> Result<Vec<(account::Model, Vec<role_grant::Model>)>, AppError> {
    let accounts = account::Entity::find()
        .order_by_asc(account::Column::Username)
        .all(db)
        .await?;
    let mut grants = std::collections::HashMap::<i64, Vec<role_grant::Model>>::new();
    for grant in role_grant::Entity::find()
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?
    {
        grants.entry(grant.account_id).or_default().push(grant);
    }
    Ok(accounts
        .into_iter()
        .map(|a| {
            let held = grants.remove(&a.id).unwrap_or_default();
            (a, held)
        })
        .collect())
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
        session::Entity::delete_many()
            .filter(session::Column::AccountId.eq(before.id))
            .exec(db)
            .await?
            .rows_affected
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
