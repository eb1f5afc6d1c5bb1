//! The spread (standard deviation) of a unit's scores in a cycle, kept in its rollup for the
//! equalization detector (`domain::equalize`). Empty for rollups written before it: the next
//! write in the unit, or `server rollup rebuild`, fills it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("unit_cycle_rollup")
                    .add_column(double_null("score_spread"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("unit_cycle_rollup")
                    .drop_column("score_spread")
                    .to_owned(),
            )
            .await
    }
}
