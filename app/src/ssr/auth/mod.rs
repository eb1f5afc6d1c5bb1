//! Accounts, sessions and authorization on the server.
//!
//! * [`password`]: Argon2id hashes and password rules;
//! * [`session`]: database-backed sessions and the session cookie;
//! * [`setup`]: one-time links with which an account's owner sets its password;
//! * [`login`], [`logout`], [`change_password`]: the account flows, each audited;
//! * [`guard`]: the one place server functions and routes ask "may this account do this
//!   action on this record" — it loads the record's [`Target`] and applies
//!   [`crate::domain::access::decide`].

pub mod guard;
pub mod password;
pub mod session;
pub mod setup;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::throttle::{self, Failures};
use crate::error::AppError;
use crate::ssr::entity::{account, login_attempt};
use crate::ssr::repo::audit::{self, Actor, Change};
pub use session::CurrentUser;

pub use crate::ssr::state::AuthConfig;

/// Where a request comes from, for the rate limiter and the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// What a sign-in attempt led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in: the new session's token for the cookie.
    SignedIn { token: String },
    /// Wrong username or password, or a disabled account (one message for all).
    Invalid,
    /// Too many failures: try again after this many seconds.
    Throttled { retry_after: i64 },
}

/// Usernames are compared trimmed and in lower case.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Signs in: checks the rate limits, verifies the password, records the attempt and audits
/// it, ends `previous` (the session id the browser had, so the id changes at sign-in) and
/// starts a new session.
pub async fn login(
    db: &sea_orm::DatabaseConnection,
    config: AuthConfig,
    username: &str,
    password: &str,
    previous: Option<&str>,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<LoginOutcome, AppError> {
    let username: String = normalize_username(username).chars().take(64).collect();
    let failures = recent_failures(db, &username, &client.ip, now).await?;
    let system = Actor {
        name: "anonymous".into(),
        request_id: client.request_id.clone(),
    };
    if let Some(retry_after) = throttle::retry_after(&failures, now.timestamp()) {
        audit::record(
            db,
            &system,
            attempt_change("login_throttled", &username, client, None),
            now,
        )
        .await?;
        return Ok(LoginOutcome::Throttled { retry_after });
    }
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username.clone()))
        .one(db)
        .await?;
    let verified = match &found {
        Some(account) => password::verify(password, &account.password_hash) && account.is_active,
        None => {
            password::verify_nothing(password, config.hashing);
            false
        }
    };
    let txn = crate::ssr::db::write(db).await?;
    login_attempt::ActiveModel {
        at: Set(now),
        username: Set(username.clone()),
        ip: Set(client.ip.clone()),
        succeeded: Set(verified),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let outcome = match found.filter(|_| verified) {
        Some(account) => {
            if let Some(previous) = previous {
                session::delete(&txn, previous).await?;
            }
            let token = session::create(
                &txn,
                account.id,
                Some(client.ip.clone()),
                client.user_agent.clone(),
                now,
            )
            .await?;
            let actor = Actor {
                name: account.username.clone(),
                request_id: client.request_id.clone(),
            };
            let change = attempt_change("login", &username, client, None);
            audit::record(&txn, &actor, change, now).await?;
            LoginOutcome::SignedIn { token }
        }
        None => {
            let change = attempt_change("login_failed", &username, client, None);
            audit::record(&txn, &system, change, now).await?;
            LoginOutcome::Invalid
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

fn attempt_change(action: &str, username: &str, client: &Client, unit: Option<i64>) -> Change {
    Change {
        action: action.into(),
        entity: "account".into(),
        entity_id: Some(username.to_owned()),
        before: None,
        after: Some(serde_json::json!({ "ip": client.ip })),
        unit_id: unit,
    }
}

/// Failed attempts inside the rate limiter's windows (see [`crate::domain::throttle`]).
async fn recent_failures(
    db: &impl ConnectionTrait,
    username: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Failures, AppError> {
    let since = |seconds: i64| now - Duration::seconds(seconds);
    let times = |rows: Vec<login_attempt::Model>| -> Vec<i64> {
        rows.iter()
            .filter(|r| !r.succeeded)
            .map(|r| r.at.timestamp())
            .collect()
    };
    // One username from one address: failures since its last success.
    let pair = login_attempt::Entity::find()
        .filter(login_attempt::Column::Username.eq(username))
        .filter(login_attempt::Column::Ip.eq(ip))
        .filter(login_attempt::Column::At.gt(since(throttle::PAIR_WINDOW)))
        .order_by_desc(login_attempt::Column::At)
        .limit(200)
        .all(db)
        .await?;
    let pair: Vec<login_attempt::Model> = pair.into_iter().take_while(|r| !r.succeeded).collect();
    let ip_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Ip.eq(ip))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gt(since(throttle::IP_WINDOW)))
        .limit(200)
        .all(db)
        .await?;
    let account_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Username.eq(username))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gt(since(throttle::ACCOUNT_WINDOW)))
        .limit(200)
        .all(db)
        .await?;
    Ok(Failures {
        pair: times(pair),
        ip: times(ip_failures),
        account: times(account_failures),
    })
}

/// Signs out: ends the session and audits it.
pub async fn logout(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    session::delete(db, &user.session_id).await?;
    let actor = actor(user, client);
    let change = attempt_change("logout", &user.username, client, None);
    audit::record(db, &actor, change, now).await
}

/// The audit actor for a signed-in user's request.
pub fn actor(user: &CurrentUser, client: &Client) -> Actor {
    Actor {
        name: user.username.clone(),
        request_id: client.request_id.clone(),
    }
}

/// Changes the signed-in user's password after checking the current one, and ends every
/// other session of the account. Returns how many other sessions ended.
#[expect(
    clippy::too_many_arguments,
    reason = "one audited write with its request context"
)]
pub async fn change_password(
    db: &sea_orm::DatabaseConnection,
    config: AuthConfig,
    user: &CurrentUser,
    current: &str,
    new: &str,
    confirm: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let account = reauthenticated(db, user, current).await?;
    password::check_new(new, confirm, Some(current), &account.username)?;
    let hash = password::hash(new, config.hashing)?;
    let txn = crate::ssr::db::write(db).await?;
    let version = account.version;
    let mut active: account::ActiveModel = account.into();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(now);
    active.updated_at = Set(now);
    active.version = Set(version + 1);
    active.update(&txn).await?;
    let ended = end_others_audited(&txn, user, client, "password_change", now).await?;
    txn.commit().await?;
    Ok(ended)
}

/// Ends every other session of the signed-in user, after checking their password again.
/// Returns how many ended.
pub async fn end_other_sessions(
    db: &sea_orm::DatabaseConnection,
    user: &CurrentUser,
    password: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    reauthenticated(db, user, password).await?;
    let txn = crate::ssr::db::write(db).await?;
    let ended = end_others_audited(&txn, user, client, "sessions_end", now).await?;
    txn.commit().await?;
    Ok(ended)
}

/// The signed-in user's account, once `password` proves it is them; a wrong password is an
/// invalid `current_password`.
async fn reauthenticated(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    password: &str,
) -> Result<account::Model, AppError> {
    let account = account::Entity::find_by_id(user.principal.account_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !password::verify(password, &account.password_hash) {
        return Err(AppError::Invalid {
            field: "current_password".into(),
            message: "password_wrong".into(),
        });
    }
    Ok(account)
}

/// Ends the user's other sessions and audits it as `action`; returns how many ended.
async fn end_others_audited(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    client: &Client,
    action: &str,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let ended = session::delete_others(txn, user.principal.account_id, &user.session_id).await?;
    let change = Change {
        action: action.into(),
        entity: "account".into(),
        entity_id: Some(user.username.clone()),
        before: None,
        after: Some(serde_json::json!({ "other_sessions_ended": ended })),
        unit_id: None,
    };
    audit::record(txn, &actor(user, client), change, now).await?;
    Ok(ended)
}

/// Creates an account (with its grants): with a password (`server user create`, the demo
/// seeder) or without one, to be set by its owner through a [`setup`] link (`/accounts`).
pub async fn create_account(
    db: &impl ConnectionTrait,
    new: NewAccount<'_>,
    config: AuthConfig,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let username = normalize_username(new.username);
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(AppError::Invalid {
            field: "username".into(),
            message: "username_format".into(),
        });
    }
    if account::Entity::find()
        .filter(account::Column::Username.eq(username.clone()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::Invalid {
            field: "username".into(),
            message: "username_taken".into(),
        });
    }
    // One account per official: a second one would let whoever set its password act as them.
    if let Some(official) = new.official_id
        && account::Entity::find()
            .filter(account::Column::OfficialId.eq(official))
            .one(db)
            .await?
            .is_some()
    {
        return Err(AppError::Invalid {
            field: "personnel_code".into(),
            message: "official_has_account".into(),
        });
    }
    let password_hash = match new.password {
        Some(password) => {
            password::check_new(password, password, None, &username)?;
            password::hash(password, config.hashing)?
        }
        None => password::NONE.to_owned(),
    };
    let created = account::ActiveModel {
        search_key: Set(Some(crate::domain::text::search_key(&[
            &username,
            new.display_name,
        ]))),
        username: Set(username.clone()),
        display_name: Set(new.display_name.to_owned()),
        password_hash: Set(password_hash),
        official_id: Set(new.official_id),
        is_active: Set(true),
        is_demo: Set(new.is_demo),
        version: Set(1),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(already_taken)?;
    for grant in new.grants {
        guard::insert_grant(db, created.id, *grant, now).await?;
    }
    let change = Change {
        action: "account_create".into(),
        entity: "account".into(),
        entity_id: Some(username),
        before: None,
        after: Some(serde_json::json!({
            "official_id": new.official_id,
            "grants": new.grants.iter().map(|g| (g.role.code(), g.unit_id)).collect::<Vec<_>>(),
        })),
        unit_id: new.grants.first().map(|g| g.unit_id),
    };
    audit::record(db, actor, change, now).await?;
    Ok(created.id)
}

/// The refusal of an account the unique indexes stopped: the username or the official taken
/// by another account created at the same instant (the checks before the insert let both
/// through on PostgreSQL); any other error as it is.
fn already_taken(err: sea_orm::DbErr) -> AppError {
    let Some(sea_orm::SqlErr::UniqueConstraintViolation(what)) = err.sql_err() else {
        return err.into();
    };
    let (field, message) = if what.contains("official_id") {
        ("personnel_code", "official_has_account")
    } else if what.contains("username") {
        ("username", "username_taken")
    } else {
        return err.into();
    };
    AppError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// A new account.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    /// `None`: no password yet (nobody can sign in until the owner sets one).
    pub password: Option<&'a str>,
    pub official_id: Option<i64>,
    pub is_demo: bool,
    pub grants: &'a [crate::domain::access::Grant],
}
