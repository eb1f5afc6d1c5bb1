//! `check_in`: a progress check-in on a key result, with evidence and confidence.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "check_in")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key_result_id: i64,
    pub value: f64,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub evidence_url: Option<String>,
    pub confidence: i16,
    pub author_official_id: i64,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
