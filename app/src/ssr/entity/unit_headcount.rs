//! `unit_headcount`: the active officials of each unit (no row: none). Derived from `official`
//! and kept by [`crate::ssr::repo::headcount`].

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_headcount")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
    pub active: i64,
}

impl ActiveModelBehavior for ActiveModel {}
