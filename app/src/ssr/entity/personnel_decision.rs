//! `personnel_decision`: a recorded personnel decision: in, out, up, down, transfer.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "personnel_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub official_id: i64,
    pub kind: String,
    pub from_unit_id: Option<i64>,
    pub to_unit_id: Option<i64>,
    pub effective_on: Date,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub reference: String,
    pub decided_by: String,
    pub created_at: DateTimeUtc,
    /// When the decision was applied to the person; empty while its effective date is ahead.
    pub applied_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
