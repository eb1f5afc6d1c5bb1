//! The one error type that crosses the wire between server functions and the UI.
//!
//! Internal causes (database, IO) are logged on the server with a reference id and reach the
//! user only as "internal error (ref …)"; nothing about the cause leaks.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// An error a user can act on, or an internal error identified by a reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The caller is not signed in.
    #[error("unauthorized")]
    Unauthorized,
    /// The caller may not perform this action on this record.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist (or is outside the caller's scope).
    #[error("not found")]
    NotFound,
    /// A field's value was rejected; `field` names it, `message` is a translation key.
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    /// Someone else changed the record since it was read.
    #[error("conflict")]
    Conflict,
    /// Something failed on the server; `reference` lets an operator find the log line.
    #[error("internal error (ref {reference})")]
    Internal { reference: String },
}

impl AppError {
    /// Logs an internal failure with a fresh reference id and returns the user-facing error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
        tracing::error!(%reference, %cause, "internal error");
        AppError::Internal { reference }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    /// A unique key taken between a read and a write (two people creating the same record at
    /// once: the second, say, coding a key result KR3 too) is someone else's change, not a fault.
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict,
            _ => AppError::internal(err),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                AppError::Invalid {
                    field: "request".into(),
                    message,
                }
            }
            ServerFnErrorErr::MissingArg(field) => AppError::Invalid {
                field,
                message: "missing".into(),
            },
            other => AppError::Internal {
                reference: format!("transport: {other}"),
            },
        }
    }
}
