//! `import_run`: a file uploaded in the browser to assign work (products, key results), kept
//! with the report of its last run — a dry run first, then, when asked, the run that writes —
//! so that the report can be shown on its own page (also without JavaScript) and the checked
//! file written without uploading it again. The file's bytes are dropped once it is written.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        manager
            .create_table(
                Table::create()
                    .table("import_run")
                    .col(big_pk_auto("id"))
                    .col(big_integer("account_id"))
                    .col(string_len("file_name", 255))
                    .col(blob_null("content"))
                    .col(string_len_null("kind", 32))
                    .col(boolean("committed").default(false))
                    .col(integer("error_count").default(0))
                    .col(text("report"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("import_run", "account_id", "account", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("import_run", &["account_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("import_run").to_owned())
            .await
    }
}
