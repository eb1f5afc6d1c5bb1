//! One-time links to set a password (`account.setup_token_hash`, `account.setup_expires_at`):
//! an account made by an administrator gets no password the administrator knows; its owner
//! sets the first one through a link that works once, until it expires. The same link
//! replaces a forgotten password. Only the SHA-256 of the link's token is stored.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string_len_null("setup_token_hash", 64),
            timestamp_with_time_zone_null("setup_expires_at"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("account")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index("account", &["setup_token_hash"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_account_setup_token_hash")
                    .table("account")
                    .to_owned(),
            )
            .await?;
        for column in ["setup_expires_at", "setup_token_hash"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("account")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
