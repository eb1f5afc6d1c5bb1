//! Scope as data: `org_unit_closure` holds every (ancestor, descendant, depth) pair of the
//! unit tree (each unit is its own ancestor at depth 0), so "the officials under these units"
//! is a join that filters, sorts, counts and pages in SQL. The application fills it (at start,
//! and again after every write to the tree: `repo::scope::rebuild_units`).
//!
//! `search_key` on officials, units and accounts holds their searchable texts folded (lower case,
//! without diacritics) for `LIKE` searches; the application fills it on every write (and for
//! rows written before this migration, at start).

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
                    .table("org_unit_closure")
                    .col(big_integer("ancestor_id"))
                    .col(big_integer("descendant_id"))
                    .col(integer("depth"))
                    .primary_key(Index::create().col("ancestor_id").col("descendant_id"))
                    .foreign_key(&mut fk(
                        "org_unit_closure",
                        "ancestor_id",
                        "org_unit",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "org_unit_closure",
                        "descendant_id",
                        "org_unit",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("org_unit_closure", &["descendant_id"], false))
            .await?;
        for table in ["official", "org_unit", "account"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null("search_key", 600))
                        .to_owned(),
                )
                .await?;
        }
        // Lists filter active officials by unit: (unit_id, status) serves them and every
        // lookup by unit, so it replaces the index on unit_id alone (one index to maintain
        // on bulk loads, not two; adding the name to it, for pages already in order, cost
        // the bulk seed a third of its speed).
        manager
            .drop_index(
                Index::drop()
                    .name("idx_official_unit_id")
                    .table("official")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("official", &["unit_id", "status"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_official_unit_id_status")
                    .table("official")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("official", &["unit_id"], false))
            .await?;
        for table in ["account", "org_unit", "official"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("search_key")
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("org_unit_closure").to_owned())
            .await
    }
}
