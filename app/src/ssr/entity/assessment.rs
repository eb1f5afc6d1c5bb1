//! `assessment`: an official's assessment in a cycle: computed score with explanation, proposed and approved levels.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub official_id: i64,
    pub cycle_id: i64,
    pub computed_score: Option<f64>,
    #[sea_orm(column_type = "Text")]
    pub explanation: Option<String>,
    pub proposed_level: Option<String>,
    pub approved_level: Option<String>,
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
