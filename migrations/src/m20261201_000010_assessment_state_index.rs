//! The assessments by state and cycle. The review queue and the to-do list ask for the
//! assessments of a state (or of any state) in the cycles not yet closed; without this index
//! SQLite drove those joins from the units in scope through every one of their officials
//! (a million at national scale) instead of from the assessments of the open cycles
//! (docs/PERFORMANCE.md, "the review queue and the to-do list at national scale").

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("assessment", &["state", "cycle_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_assessment_state_cycle_id")
                    .table("assessment")
                    .to_owned(),
            )
            .await
    }
}
