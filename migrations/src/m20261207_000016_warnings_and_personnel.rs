//! Early warning and the personnel board: `rule_setting` (the organisation's configurable rules
//! as one JSON document a key — `warnings`, `personnel` — with a version so a concurrent edit is
//! refused), `warning` (each finding of the warning rules, unique by rule and subject, with
//! the unit and official it concerns for scoping, its urgency and evidence, and who
//! acknowledged it, when and why; `rank` orders the list: the urgency, less 1,000 once
//! acknowledged, so acknowledged items leave the top), and on `personnel_decision` the moment a decision was
//! applied to the person (`applied_at`; empty while its effective date is still ahead).

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
                    .table("rule_setting")
                    .col(string_len("key", 32).primary_key())
                    .col(text("value"))
                    .col(integer("version").default(1))
                    .col(string_len("updated_by", 255))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("warning")
                    .col(big_pk_auto("id"))
                    .col(string_len("rule", 32))
                    .col(string_len("subject", 64))
                    .col(big_integer("unit_id"))
                    .col(big_integer_null("official_id"))
                    .col(big_integer_null("key_result_id"))
                    .col(big_integer_null("assessment_id"))
                    .col(integer("urgency"))
                    .col(integer("rank"))
                    .col(text("evidence"))
                    .col(timestamp_with_time_zone("detected_at"))
                    .col(string_len_null("acknowledged_by", 255))
                    .col(timestamp_with_time_zone_null("acknowledged_at"))
                    .col(text_null("acknowledged_note"))
                    .foreign_key(&mut fk("warning", "unit_id", "org_unit", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("warning", &["rule", "subject"], true))
            .await?;
        manager
            .create_index(index("warning", &["rank", "id"], false))
            .await?;
        manager
            .create_index(index("warning", &["official_id"], false))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("personnel_decision")
                    .add_column(timestamp_with_time_zone_null("applied_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("personnel_decision")
                    .drop_column("applied_at")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("warning").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("rule_setting").to_owned())
            .await
    }
}
