//! `general_score`: general-criteria points of one criterion group: self-assessed and by the reviewer.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "general_score")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub official_id: i64,
    pub cycle_id: i64,
    pub criterion_group: String,
    pub self_points: Option<f64>,
    pub reviewer_points: Option<f64>,
    pub reviewer_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub self_comment: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub reviewer_comment: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
