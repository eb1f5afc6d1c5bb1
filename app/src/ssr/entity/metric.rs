//! `metric`: the catalogue of unit metrics a feed may send, with how often a value is expected
//! and the range a value must lie in.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "metric")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit_of_measure: String,
    pub direction: String,
    pub frequency: String,
    pub min_value: f64,
    pub max_value: f64,
    pub owner_unit_id: Option<i64>,
    pub source_system: String,
}

impl ActiveModelBehavior for ActiveModel {}
