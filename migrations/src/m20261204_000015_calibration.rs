//! Calibration under the quota (Decree 335 Art. 20): one `calibration` row per (cycle, unit,
//! task group) — the exception recorded for an outstanding unit (decision reference, who
//! approved it, the new cap or none), the approval that locks the levels, and a version so a
//! concurrent edit of the board is refused — and, on each assessment, the level the
//! calibrator moved it to with the written reason (`calibrated_level`, `calibration_reason`;
//! empty while it keeps the level it was classified at).

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
                    .table("calibration")
                    .col(big_pk_auto("id"))
                    .col(big_integer("cycle_id"))
                    .col(big_integer("unit_id"))
                    .col(string_len("task_group", 64))
                    .col(string_len_null("exception_reference", 255))
                    .col(string_len_null("exception_approver", 255))
                    .col(integer_null("exception_max_percent"))
                    .col(string_len_null("approved_by", 255))
                    .col(timestamp_with_time_zone_null("approved_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("calibration", "cycle_id", "cycle", Cascade))
                    .foreign_key(&mut fk("calibration", "unit_id", "org_unit", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "calibration",
                &["cycle_id", "unit_id", "task_group"],
                true,
            ))
            .await?;
        // SQLite adds one column per statement.
        for column in [
            string_len_null("calibrated_level", 16),
            text_null("calibration_reason"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("assessment")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["calibrated_level", "calibration_reason"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("assessment")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("calibration").to_owned())
            .await
    }
}
