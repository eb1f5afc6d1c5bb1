//! The state shared by every request handler and server function.

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// Everything a handler needs: the database pool, Leptos' options, the account settings and
/// the caches. (The settings live here, so that this module depends on no other part of `ssr`
/// but the caches.)
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub auth: AuthConfig,
    /// Pages of lists read at a data version (this process's own).
    pub caches: std::sync::Arc<crate::ssr::cache::Caches>,
}

/// Account and session settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthConfig {
    /// Mark the session cookie `Secure` (and name it `__Host-…`): set behind HTTPS.
    pub cookie_secure: bool,
    /// Password hashing cost ([`Cost::Owasp`] outside tests).
    pub hashing: Cost,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            cookie_secure: false,
            hashing: Cost::Owasp,
        }
    }
}

/// How expensive password hashing is (Argon2id, see `auth::password`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// OWASP's Argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane.
    Owasp,
    /// The smallest Argon2id parameters, for tests only (never chosen by configuration).
    TestOnly,
}

impl AppState {
    /// The state provided to the current server function or render.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
    }
}
