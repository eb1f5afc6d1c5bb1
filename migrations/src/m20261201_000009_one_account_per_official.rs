//! One account per official, held by the database too: the index on `account.official_id`
//! becomes unique. The services already refuse a second account for an official, but on
//! PostgreSQL two administrators creating one at the same instant could both pass that check
//! (each reads before the other writes); the index refuses the second insert. Several
//! accounts without an official (NULL) remain allowed on both databases.

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(index_named("idx_account_official_id"))
            .await?;
        manager
            .create_index(index("account", &["official_id"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(index_named("uq_account_official_id"))
            .await?;
        manager
            .create_index(index("account", &["official_id"], false))
            .await
    }
}

fn index_named(name: &'static str) -> IndexDropStatement {
    Index::drop().name(name).table("account").to_owned()
}
