//! `import_run`: a file uploaded in the browser with the report of its last run (JSON of
//! `domain::import::ImportReport`); `content` is kept until the file is written.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub file_name: String,
    pub content: Option<Vec<u8>>,
    pub kind: Option<String>,
    pub committed: bool,
    pub error_count: i32,
    #[sea_orm(column_type = "Text")]
    pub report: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
