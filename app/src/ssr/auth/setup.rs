//! One-time links to set a password. An administrator who makes an account, or whose user has
//! forgotten their password, gets a link to hand to that person — never a password of their
//! choosing, so nobody but the owner ever knows it. The link carries a random 256-bit token;
//! only its SHA-256 is stored, it works once, for [`VALID_HOURS`], and a newer link replaces
//! an older one. Setting the password ends every session of the account.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{Client, password, session};
use crate::error::AppError;
use crate::ssr::entity::account;
use crate::ssr::repo::audit::{self, Actor, Change};

/// Hours a link works.
pub const VALID_HOURS: i64 = 72;

/// The path of the link carrying `token`.
pub fn path(token: &str) -> String {
    format!("/setup/{token}")
}

/// Opens a new link for `account` (closing any earlier one), audited as `actor`'s; returns
/// the token, shown once to the administrator and never stored.
pub async fn issue(
    db: &impl ConnectionTrait,
    account: &account::Model,
    actor: &Actor,
    unit_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = session::new_token();
    let expires = now + Duration::hours(VALID_HOURS);
    account::Entity::update_many()
        .set(account::ActiveModel {
            setup_token_hash: Set(Some(session::id_of(&token))),
            setup_expires_at: Set(Some(expires)),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(account::Column::Id.eq(account.id))
        .exec(db)
        .await?;
    let change = Change {
        action: "setup_link_issued".into(),
        entity: "account".into(),
        entity_id: Some(account.username.clone()),
        before: None,
        after: Some(serde_json::json!({ "expires_at": expires })),
        unit_id,
    };
    audit::record(db, actor, change, now).await?;
    Ok(token)
}

/// Sets the password of the account whose open link carries `token` (checked by the password
/// rules, `confirm` the same), closes the link, ends the account's sessions and audits it, in
/// one transaction. Returns the username. An unknown, used or expired link, or a disabled
/// account, is an invalid `token`.
pub async fn complete(
    db: &DatabaseConnection,
    hashing: password::Cost,
    token: &str,
    new: &str,
    confirm: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let link = session::id_of(token);
    let invalid_link = || AppError::Invalid {
        field: "token".into(),
        message: "setup_link_invalid".into(),
    };
    let found = account::Entity::find()
        .filter(account::Column::SetupTokenHash.eq(link.clone()))
        .one(db)
        .await?
        .filter(|a| a.is_active && a.setup_expires_at.is_some_and(|at| now < at))
        .ok_or_else(invalid_link)?;
    password::check_new(new, confirm, None, &found.username)?;
    // Hashing takes a while: done before the write transaction starts.
    let hash = password::hash(new, hashing)?;
    let txn = crate::ssr::db::write(db).await?;
    let updated = account::Entity::update_many()
        .set(account::ActiveModel {
            password_hash: Set(hash),
            password_changed_at: Set(now),
            setup_token_hash: Set(None),
            setup_expires_at: Set(None),
            updated_at: Set(now),
            version: Set(found.version + 1),
            ..Default::default()
        })
        .filter(account::Column::Id.eq(found.id))
        // Used meanwhile by another request: that one won.
        .filter(account::Column::SetupTokenHash.eq(link))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(invalid_link());
    }
    let ended = session::delete_all(&txn, found.id).await?;
    let actor = Actor {
        name: found.username.clone(),
        request_id: client.request_id.clone(),
    };
    let change = Change {
        action: "password_setup".into(),
        entity: "account".into(),
        entity_id: Some(found.username.clone()),
        before: None,
        after: Some(serde_json::json!({ "ip": client.ip, "sessions_ended": ended })),
        unit_id: None,
    };
    audit::record(&txn, &actor, change, now).await?;
    txn.commit().await?;
    Ok(found.username)
}
