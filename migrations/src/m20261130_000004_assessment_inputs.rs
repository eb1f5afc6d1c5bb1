//! Everything the engine needs to score an official's period is stored, and what a decision
//! rests on:
//!
//! * `assessment`: the engine's level (`computed_level`), the written reason of a decision
//!   that departs from the level it should follow (`level_reason`), the reason it was
//!   returned for revision (`return_reason`); and the period's inputs beyond products and
//!   criteria — a late report, a leader's unit result, months worked, lawful leave, the most
//!   severe discipline, concluded degradation, corruption in a directly managed unit;
//! * `general_score`: the official's and the reviewer's comments on each criterion group;
//! * `product`: how many quality failures and delays a confirmed objective cause waives.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, column)` added, each with one `ALTER TABLE` (SQLite adds one column at a time).
fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        (
            "assessment",
            "computed_level",
            string_len_null("computed_level", 16),
        ),
        ("assessment", "level_reason", text_null("level_reason")),
        ("assessment", "return_reason", text_null("return_reason")),
        (
            "assessment",
            "report_late",
            boolean("report_late").default(false).to_owned(),
        ),
        (
            "assessment",
            "unit_result_percent",
            double_null("unit_result_percent"),
        ),
        ("assessment", "months_worked", double_null("months_worked")),
        (
            "assessment",
            "lawful_leave_months",
            double("lawful_leave_months").default(0.0).to_owned(),
        ),
        (
            "assessment",
            "discipline",
            string_len_null("discipline", 24),
        ),
        (
            "assessment",
            "concluded_degradation",
            boolean("concluded_degradation").default(false).to_owned(),
        ),
        (
            "assessment",
            "unit_corruption",
            boolean("unit_corruption").default(false).to_owned(),
        ),
        ("general_score", "self_comment", text_null("self_comment")),
        (
            "general_score",
            "reviewer_comment",
            text_null("reviewer_comment"),
        ),
        (
            "product",
            "waived_quality_failures",
            integer("waived_quality_failures").default(0).to_owned(),
        ),
        (
            "product",
            "waived_delays",
            integer("waived_delays").default(0).to_owned(),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, column) in columns() {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in columns().into_iter().rev() {
            manager
                .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
