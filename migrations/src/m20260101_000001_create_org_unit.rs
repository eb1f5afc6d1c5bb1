//! Creates `org_unit`: the organisation tree with validity dates and merger history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("org_unit")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("code", 64))
                    .col(string_len("name", 255))
                    .col(string_len("kind", 16))
                    .col(big_integer_null("parent_id"))
                    .col(integer("approved_headcount").default(0))
                    .col(date("valid_from"))
                    .col(date_null("valid_to"))
                    .col(big_integer_null("merged_into_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_parent")
                            .from("org_unit", "parent_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_merged_into")
                            .from("org_unit", "merged_into_id")
                            .to("org_unit", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_org_unit_parent")
                    .table("org_unit")
                    .col("parent_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_org_unit_kind")
                    .table("org_unit")
                    .col("kind")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("org_unit").to_owned())
            .await
    }
}
