//! `objective`: an objective owned by an official or a unit; `parent_id` cascades goals down the tree.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "objective")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub owner_official_id: Option<i64>,
    pub owner_unit_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub title: String,
    pub weight: f64,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
