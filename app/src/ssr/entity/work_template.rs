//! `work_template`: work saved to assign again (`work`: JSON of
//! `domain::template::TemplateWork`) to the officials of a unit, of one job position when set.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "work_template")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub job_position: String,
    #[sea_orm(column_type = "Text")]
    pub work: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
