//! The warning list read by scope without a join: each official's warning carries the
//! official's reviewer (`reviewer_id`, kept with their unit when either changes), and the list
//! is counted by `(unit_id, rule)` and read by when it was worked out (`detected_at`) from
//! indexes, so a province's leadership reads its page without touching `official`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("warning")
                    .add_column(big_integer_null("reviewer_id"))
                    .to_owned(),
            )
            .await?;
        for columns in [
            &["unit_id", "rule", "acknowledged_at"][..],
            &["reviewer_id"],
            &["detected_at"],
        ] {
            manager
                .create_index(index("warning", columns, false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_warning_unit_id_rule_acknowledged_at",
            "idx_warning_reviewer_id",
            "idx_warning_detected_at",
        ] {
            manager
                .drop_index(Index::drop().name(name).table("warning").to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("warning")
                    .drop_column("reviewer_id")
                    .to_owned(),
            )
            .await
    }
}
