//! `org_unit_closure`: every (ancestor, descendant, depth) pair of the unit tree; each unit is
//! its own ancestor at depth 0. Rebuilt by [`crate::ssr::repo::scope::rebuild_units`].

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_unit_closure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ancestor_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub descendant_id: i64,
    pub depth: i32,
}

impl ActiveModelBehavior for ActiveModel {}
