//! `data_version`: a counter per kind of data, raised by every write of it (see
//! [`crate::ssr::repo::versions`]).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "data_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub topic: String,
    pub version: i64,
}

impl ActiveModelBehavior for ActiveModel {}
