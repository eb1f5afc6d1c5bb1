//! Accounts as administrators make them. An account made for an official gets no password:
//! the administrator receives a one-time link ([`crate::ssr::auth::setup`]) to hand to the
//! official, who sets the password themselves, so no administrator ever knows it. One account
//! per official.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Actor, authorize, authorize_account, bounded_text, invalid};
use crate::domain::access::{Action, Grant, Role};
use crate::error::AppError;
use crate::ssr::auth::{self, AuthConfig, NewAccount, guard, setup};
use crate::ssr::entity::{account, official};

/// The longest display name (the column's size).
pub const DISPLAY_NAME_MAX: usize = 255;

/// An account to make for an official.
#[derive(Debug, Clone, Copy)]
pub struct NewOfficialAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    /// The official's personnel code.
    pub personnel_code: &'a str,
}

/// Makes the account of the official with the given personnel code (the actor administers
/// the official), holding the official role over the official's unit, without a password;
/// returns its username and the token of the link that sets it.
pub async fn create_for_official(
    db: &DatabaseConnection,
    actor: &Actor,
    config: AuthConfig,
    new: NewOfficialAccount<'_>,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let found = official::Entity::find()
        .filter(official::Column::PersonnelCode.eq(new.personnel_code.trim()))
        .one(db)
        .await?
        .ok_or_else(|| invalid("personnel_code", "unknown_official"))?;
    let target = guard::official_target(db, found.id).await?;
    authorize(
        db,
        actor,
        &[Action::Admin],
        &target,
        ("official", found.id),
        now,
    )
    .await?;
    let display_name = bounded_text("display_name", new.display_name, DISPLAY_NAME_MAX)?;
    if display_name.is_empty() {
        return Err(invalid("display_name", "missing"));
    }
    let grants = [Grant {
        role: Role::Official,
        unit_id: found.unit_id,
    }];
    let txn = crate::ssr::db::write(db).await?;
    let new_account = NewAccount {
        username: new.username,
        display_name: &display_name,
        password: None,
        official_id: Some(found.id),
        is_demo: false,
        grants: &grants,
    };
    let id = auth::create_account(&txn, new_account, config, &actor.audit, now).await?;
    let made = account::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = setup::issue(&txn, &made, &actor.audit, Some(found.unit_id), now).await?;
    txn.commit().await?;
    Ok((made.username, token))
}

/// A new one-time link to set the password of account `account_id` (the actor administers
/// the account, never their own); returns its username and the link's token. The password
/// stays as it is until the link is used.
pub async fn setup_link(
    db: &DatabaseConnection,
    actor: &Actor,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(String, String), AppError> {
    let found = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    authorize_account(db, actor, Action::Admin, &found, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let token = setup::issue(&txn, &found, &actor.audit, None, now).await?;
    txn.commit().await?;
    Ok((found.username, token))
}
