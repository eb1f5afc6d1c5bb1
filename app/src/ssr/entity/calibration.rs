//! `calibration`: one (cycle, unit, task group) under the quota — the exception recorded for
//! an outstanding unit, the approval that locks its levels, and the board's version.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calibration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub unit_id: i64,
    pub task_group: String,
    pub exception_reference: Option<String>,
    pub exception_approver: Option<String>,
    pub exception_max_percent: Option<i32>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
