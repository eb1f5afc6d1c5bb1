//! `unit_cycle_rollup`: dashboard figures per (unit, cycle), kept current on writes and rebuildable.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_cycle_rollup")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cycle_id: i64,
    pub officials: i32,
    pub assessed: i32,
    pub avg_score: Option<f64>,
    /// Standard deviation of the scores (points), for the equalization detector.
    pub score_spread: Option<f64>,
    pub count_htxsnv: i32,
    pub count_httnv: i32,
    pub count_htnv: i32,
    pub count_khtnv: i32,
    pub key_results: i32,
    pub avg_kr_progress: Option<f64>,
    pub stale_key_results: i32,
    pub at_risk_key_results: i32,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
