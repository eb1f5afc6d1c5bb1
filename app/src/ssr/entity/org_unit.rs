//! `org_unit`: a node of the organisation tree (province/city, agency, commune/ward, Party body).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub approved_headcount: i32,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub merged_into_id: Option<i64>,
    pub created_at: DateTimeUtc,
    /// Name and code folded for searching (`domain::text::search_key`).
    pub search_key: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
