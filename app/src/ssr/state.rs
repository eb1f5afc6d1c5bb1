//! The state shared by every request handler and server function.

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// Everything a handler needs: the database pool, Leptos' options and the account settings.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    pub auth: crate::ssr::auth::AuthConfig,
}

impl AppState {
    /// The state provided to the current server function or render.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
    }
}
