//! `product`: a product/work assigned to an official in a cycle (Decree 335 Art. 14).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "product")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cycle_id: i64,
    pub official_id: i64,
    pub code: String,
    pub title: String,
    pub conversion_weight: f64,
    pub assigned: i32,
    pub completed: i32,
    pub completed_on_quality: i32,
    pub completed_on_time: i32,
    pub quality_failures: i32,
    pub delays: i32,
    pub waiver_ref: Option<String>,
    /// Quality failures waived for a confirmed objective cause (under `waiver_ref`).
    pub waived_quality_failures: i32,
    /// Delays waived for a confirmed objective cause (under `waiver_ref`).
    pub waived_delays: i32,
    pub due_on: Option<Date>,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
