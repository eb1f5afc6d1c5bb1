//! `audit_log`: an append-only record of a write: who, what, before/after, request id.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub before: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub after: Option<String>,
    pub request_id: Option<String>,
    /// The unit the record belongs to: who may read this entry (scope), when known.
    pub unit_id: Option<i64>,
}

impl ActiveModelBehavior for ActiveModel {}
