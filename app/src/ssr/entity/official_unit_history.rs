//! `official_unit_history`: where an official worked, and when (transfers, mergers).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "official_unit_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub official_id: i64,
    pub unit_id: i64,
    pub from_date: Date,
    pub to_date: Option<Date>,
    pub reason: String,
}

impl ActiveModelBehavior for ActiveModel {}
