//! `work_template`: a product or a key result an administrator saved to assign again, period
//! after period, to the officials of a unit (of one job position when given); `work` holds
//! what is assigned (JSON of `domain::template::TemplateWork`).

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
                    .table("work_template")
                    .col(big_pk_auto("id"))
                    .col(big_integer("unit_id"))
                    .col(string_len("job_position", 255))
                    .col(text("work"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("work_template", "unit_id", "org_unit", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("work_template", &["unit_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("work_template").to_owned())
            .await
    }
}
