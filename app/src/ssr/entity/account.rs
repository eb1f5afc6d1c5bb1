//! `account`: a sign-in account, linked to an official when the person is one.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// Argon2id in PHC string form; never leaves the server.
    pub password_hash: String,
    pub official_id: Option<i64>,
    pub is_active: bool,
    /// Created by `server seed demo`: for demonstrations only.
    pub is_demo: bool,
    pub version: i32,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Username and display name folded for searching (`domain::text::search_key`).
    pub search_key: Option<String>,
    /// SHA-256 of the token of a one-time link to set the password, while one is open.
    #[sea_orm(unique)]
    pub setup_token_hash: Option<String>,
    /// When that link stops working.
    pub setup_expires_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
