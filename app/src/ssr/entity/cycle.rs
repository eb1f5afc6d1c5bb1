//! `cycle`: an evaluation period under one scheme version (month, quarter or year).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cycle")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub scheme_id: String,
    pub scheme_version: String,
    pub period_kind: String,
    pub year: i32,
    pub period_no: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub state: String,
    pub version: i32,
    /// The cycle's own deadlines, each replacing its legal default when set.
    pub self_due_on: Option<Date>,
    pub review_due_on: Option<Date>,
    pub approval_due_on: Option<Date>,
}

impl ActiveModelBehavior for ActiveModel {}
