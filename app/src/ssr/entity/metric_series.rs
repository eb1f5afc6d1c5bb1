//! `metric_series`: a value of a unit metric (e.g. on-time procedure rate) at a date, feeding data-driven key results.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "metric_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub metric_key: String,
    pub unit_id: i64,
    pub period_date: Date,
    pub value: f64,
}

impl ActiveModelBehavior for ActiveModel {}
