//! `key_result.last_confidence`: the confidence (0–10) of a key result's latest check-in, kept
//! beside `last_check_in_at` by every write of a check-in, so that dashboards and rollups tell
//! a key result at risk without reading its check-ins. This migration fills it from the
//! check-ins already stored.
//!
//! Two indexes for the dashboards: `metric_series (unit_id, period_date)` (a page's units'
//! latest metric values; the unique index leads with the metric key) and
//! `objective (owner_official_id)` (an official's latest cycle with objectives; the existing
//! index leads with the cycle).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

/// (table, columns) of the indexes this migration adds.
const INDEXES: [(&str, &[&str]); 2] = [
    ("metric_series", &["unit_id", "period_date"]),
    ("objective", &["owner_official_id"]),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("key_result")
                    .add_column(small_integer_null("last_confidence"))
                    .to_owned(),
            )
            .await?;
        for (table, columns) in INDEXES {
            manager.create_index(index(table, columns, false)).await?;
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE key_result SET last_confidence = (\
                 SELECT c.confidence FROM check_in c WHERE c.key_result_id = key_result.id \
                 ORDER BY c.created_at DESC, c.id DESC LIMIT 1)",
            )
            .await
            .map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{}", columns.join("_")))
                        .table(table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("key_result")
                    .drop_column("last_confidence")
                    .to_owned(),
            )
            .await
    }
}
