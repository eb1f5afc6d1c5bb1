//! `login_attempt`: one sign-in attempt, counted by the login rate limiter.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub username: String,
    pub ip: String,
    pub succeeded: bool,
}

impl ActiveModelBehavior for ActiveModel {}
