//! `official`: an official (cadre, civil servant or public employee) and their current unit.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "official")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub personnel_code: String,
    pub full_name: String,
    pub category: String,
    pub job_position: String,
    pub task_group: String,
    pub is_leader: bool,
    pub unit_id: i64,
    pub reviewer_id: Option<i64>,
    pub status: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Name and personnel code folded for searching (`domain::text::search_key`).
    pub search_key: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
