//! Sessions stored in the database, so that every app process behind a load balancer sees
//! the same ones. The browser holds a random 256-bit token in an HttpOnly, SameSite=Lax cookie;
//! the table holds only its SHA-256. A session ends after [`IDLE_MINUTES`] without a request,
//! [`ABSOLUTE_HOURS`] after sign-in, at sign-out, or when the password changes elsewhere.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::domain::access::{Grant, Principal, Role};
use crate::error::AppError;
use crate::ssr::cache::Versioned;
use crate::ssr::entity::{account, role_grant, session};
use crate::ssr::repo::versions;

/// Minutes without a request after which a session ends.
pub const IDLE_MINUTES: i64 = 30;
/// Hours after sign-in after which a session ends whatever the activity.
pub const ABSOLUTE_HOURS: i64 = 12;
/// `last_seen_at` is written at most this often (seconds), to spare the database.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// The signed-in account of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub principal: Principal,
    pub username: String,
    pub display_name: String,
    /// The session row's id (the token's hash).
    pub session_id: String,
}

/// The session cookie's name: with the `__Host-` prefix (Secure, whole site, no Domain) when
/// cookies are marked Secure.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-thuocdo_session"
    } else {
        "thuocdo_session"
    }
}

/// The `Set-Cookie` value carrying `token`; `None` clears the cookie.
pub fn cookie(token: Option<&str>, secure: bool) -> String {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// The token in a `Cookie` header, if any.
pub fn token_from_cookies(header: &str, secure: bool) -> Option<&str> {
    let name = cookie_name(secure);
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random 256-bit token, in hexadecimal (sessions, one-time links).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The stored id of a token.
pub fn id_of(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Starts a session for `account_id`; returns the token for the cookie.
pub async fn create(
    db: &impl ConnectionTrait,
    account_id: i64,
    ip: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    session::ActiveModel {
        id: Set(id_of(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        ip: Set(ip.map(|ip| ip.chars().take(64).collect())),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(255).collect())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends one session (and raises the access version, so no process keeps it).
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    versions::bump(db, versions::ACCESS).await
}

/// Ends every session of `account_id` except `keep`; returns how many ended.
pub async fn delete_others(
    db: &impl ConnectionTrait,
    account_id: i64,
    keep: &str,
) -> Result<u64, AppError> {
    let ended = session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::Id.ne(keep))
        .exec(db)
        .await?
        .rows_affected;
    versions::bump(db, versions::ACCESS).await?;
    Ok(ended)
}

/// Ends every session of `account_id` (its account was disabled); returns how many ended.
pub async fn delete_all(db: &impl ConnectionTrait, account_id: i64) -> Result<u64, AppError> {
    let ended = session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await?
        .rows_affected;
    versions::bump(db, versions::ACCESS).await?;
    Ok(ended)
}

/// The live sessions of `account_id`, the most recently used first.
pub async fn of_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<session::Model>, AppError> {
    Ok(session::Entity::find()
        .filter(session::Column::AccountId.eq(account_id))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| alive(s.created_at, s.last_seen_at, now))
        .collect())
}

/// Whether a session last seen at `last_seen` and started at `created` is still alive.
pub fn alive(created: DateTime<Utc>, last_seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen < Duration::minutes(IDLE_MINUTES)
        && now - created < Duration::hours(ABSOLUTE_HOURS)
}

/// A live session as a server process keeps it between requests: the signed-in account and
/// the session's two times. Kept under the `access` data version
/// ([`crate::ssr::repo::versions::ACCESS`]), which every sign-out, ended session, disabled
/// account and grant change raises, so that a process never honours a session another one
/// has ended.
#[derive(Debug, Clone)]
struct Kept {
    user: CurrentUser,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
}

/// The live sessions one process keeps.
#[derive(Debug)]
pub struct Sessions(Versioned<String, Kept>);

impl Default for Sessions {
    /// A few hundred bytes a session: everyone signed in at a province's busiest hour.
    fn default() -> Self {
        Sessions(Versioned::new(20_000))
    }
}

/// The signed-in account behind `token`, or `None` (unknown, expired, or account disabled).
/// An expired session is deleted; a live one is marked as seen (at most once a minute; when the
/// database is too busy to write that, the request goes on and a later one marks it).
/// Costs one read of one row while the session is kept in `kept` and no access data changed.
pub async fn load(
    db: &impl ConnectionTrait,
    kept: &Sessions,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, AppError> {
    let id = id_of(token);
    // The version is read before the rows, so what is kept was read at that version or later.
    let version = versions::current(db, versions::ACCESS).await?;
    let session = match kept.0.get(&id, version) {
        Some(session) if alive(session.created_at, session.last_seen_at, now) => session,
        _ => match read(db, &id, now).await? {
            Some(session) => Arc::new(session),
            None => return Ok(None),
        },
    };
    let due = (now - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS;
    let touched = if due {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(id.clone()))
            .exec(db)
            .await
            .inspect_err(|err| {
                // Marking the session as seen only moves its idle limit on: a database busy
                // with writes (SQLite's one writer, past its busy timeout) must not fail the
                // request. The next request tries again.
                tracing::warn!(error = %err, "session not marked as seen");
            })
            .is_ok()
    } else {
        false
    };
    let session = if touched {
        Arc::new(Kept {
            last_seen_at: now,
            ..(*session).clone()
        })
    } else {
        session
    };
    kept.0.put(id, version, Arc::clone(&session));
    Ok(Some(session.user.clone()))
}

/// The session `id` from the database, if it is alive and its account active (an expired one
/// is deleted).
async fn read(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Kept>, AppError> {
    let Some(row) = session::Entity::find_by_id(id.to_owned()).one(db).await? else {
        return Ok(None);
    };
    if !alive(row.created_at, row.last_seen_at, now) {
        // Not `delete`: no process can hold an expired session as alive, so the access
        // version need not move.
        session::Entity::delete_by_id(id.to_owned())
            .exec(db)
            .await?;
        return Ok(None);
    }
    let Some(account) = account::Entity::find_by_id(row.account_id).one(db).await? else {
        return Ok(None);
    };
    if !account.is_active {
        return Ok(None);
    }
    Ok(Some(Kept {
        user: CurrentUser {
            principal: principal(db, &account).await?,
            username: account.username,
            display_name: account.display_name,
            session_id: id.to_owned(),
        },
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
    }))
}

/// The account's grants, as the access rules see them (unknown role codes are ignored).
pub async fn principal(
    db: &impl ConnectionTrait,
    account: &account::Model,
) -> Result<Principal, AppError> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| {
            Role::from_code(&g.role).map(|role| Grant {
                role,
                unit_id: g.unit_id,
            })
        })
        .collect();
    Ok(Principal {
        account_id: account.id,
        official_id: account.official_id,
        grants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_with_the_host_prefix_when_asked() {
        assert_eq!(
            cookie(Some("ab"), false),
            "thuocdo_session=ab; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            cookie(None, true),
            "__Host-thuocdo_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        );
    }

    #[test]
    fn only_a_well_formed_token_is_read_from_the_cookie_header() {
        let token = "a".repeat(64);
        let header = format!("i18n_pref_locale=vi; thuocdo_session={token}");
        assert_eq!(token_from_cookies(&header, false), Some(token.as_str()));
        assert_eq!(token_from_cookies(&header, true), None);
        assert_eq!(token_from_cookies("thuocdo_session=../../etc", false), None);
    }

    #[test]
    fn sessions_end_after_30_idle_minutes_or_12_hours() {
        let start = DateTime::parse_from_rfc3339("2026-11-24T08:00:00Z")
            .expect("date")
            .with_timezone(&Utc);
        let at = |minutes| start + Duration::minutes(minutes);
        assert!(alive(start, at(0), at(29)));
        assert!(!alive(start, at(0), at(30)));
        assert!(alive(start, at(700), at(719)));
        assert!(!alive(start, at(715), at(720)));
    }

    #[test]
    fn the_stored_id_is_the_sha256_of_the_token() {
        assert_eq!(
            id_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
