//! `key_result`: a measurable key result of an objective.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "key_result")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub objective_id: i64,
    pub code: String,
    pub title: String,
    pub kind: String,
    pub start_value: f64,
    pub target_value: f64,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
    pub current_value: f64,
    pub weight: f64,
    pub unit_of_measure: String,
    pub data_source: String,
    pub metric_key: Option<String>,
    pub last_check_in_at: Option<DateTimeUtc>,
    /// Confidence (0–10) of the latest check-in.
    pub last_confidence: Option<i16>,
    pub version: i32,
}

impl ActiveModelBehavior for ActiveModel {}
