//! The core schema: officials and their unit history, cycles, objectives and key results,
//! products/works, check-ins, general-criteria scores, assessments, metric series, personnel
//! decisions, the append-only audit log and the (unit, cycle) rollups for dashboards.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order (dropped in reverse).
const TABLES: [&str; 13] = [
    "official",
    "official_unit_history",
    "cycle",
    "objective",
    "key_result",
    "check_in",
    "product",
    "general_score",
    "assessment",
    "metric_series",
    "personnel_decision",
    "audit_log",
    "unit_cycle_rollup",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = [
            Table::create()
                .table("official")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("personnel_code", 64))
                .col(string_len("full_name", 255))
                .col(string_len("category", 24))
                .col(string_len("job_position", 255))
                .col(string_len("task_group", 64))
                .col(boolean("is_leader").default(false))
                .col(big_integer("unit_id"))
                .col(big_integer_null("reviewer_id"))
                .col(string_len("status", 16))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("official", "unit_id", "org_unit", Restrict))
                .foreign_key(&mut fk("official", "reviewer_id", "official", SetNull))
                .to_owned(),
            Table::create()
                .table("official_unit_history")
                .col(big_pk_auto("id"))
                .col(big_integer("official_id"))
                .col(big_integer("unit_id"))
                .col(date("from_date"))
                .col(date_null("to_date"))
                .col(string_len("reason", 32))
                .foreign_key(&mut fk(
                    "official_unit_history",
                    "official_id",
                    "official",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "official_unit_history",
                    "unit_id",
                    "org_unit",
                    Restrict,
                ))
                .to_owned(),
            Table::create()
                .table("cycle")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 32))
                .col(string_len("scheme_id", 64))
                .col(string_len("scheme_version", 32))
                .col(string_len("period_kind", 8))
                .col(integer("year"))
                .col(integer("period_no"))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(string_len("state", 16))
                .col(integer("version").default(1))
                .to_owned(),
            Table::create()
                .table("objective")
                .col(big_pk_auto("id"))
                .col(big_integer("cycle_id"))
                .col(big_integer_null("owner_official_id"))
                .col(big_integer_null("owner_unit_id"))
                .col(big_integer_null("parent_id"))
                .col(string_len("title", 500))
                .col(double("weight"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("created_at"))
                .check(Expr::cust(
                    "(owner_official_id IS NULL) <> (owner_unit_id IS NULL)",
                ))
                .foreign_key(&mut fk("objective", "cycle_id", "cycle", Cascade))
                .foreign_key(&mut fk(
                    "objective",
                    "owner_official_id",
                    "official",
                    Cascade,
                ))
                .foreign_key(&mut fk("objective", "owner_unit_id", "org_unit", Cascade))
                .foreign_key(&mut fk("objective", "parent_id", "objective", SetNull))
                .to_owned(),
            Table::create()
                .table("key_result")
                .col(big_pk_auto("id"))
                .col(big_integer("objective_id"))
                .col(string_len("code", 64))
                .col(string_len("title", 500))
                .col(string_len("kind", 16))
                .col(double("start_value"))
                .col(double("target_value"))
                .col(double_null("band_low"))
                .col(double_null("band_high"))
                .col(double("current_value"))
                .col(double("weight"))
                .col(string_len("unit_of_measure", 32))
                .col(string_len("data_source", 16))
                .col(string_len_null("metric_key", 64))
                .col(timestamp_with_time_zone_null("last_check_in_at"))
                .col(integer("version").default(1))
                .foreign_key(&mut fk("key_result", "objective_id", "objective", Cascade))
                .to_owned(),
            Table::create()
                .table("check_in")
                .col(big_pk_auto("id"))
                .col(big_integer("key_result_id"))
                .col(double("value"))
                .col(text("note"))
                .col(string_len_null("evidence_url", 1000))
                .col(small_integer("confidence"))
                .col(big_integer("author_official_id"))
                .col(timestamp_with_time_zone("created_at"))
                .check(Expr::cust("confidence BETWEEN 0 AND 10"))
                .foreign_key(&mut fk("check_in", "key_result_id", "key_result", Cascade))
                .foreign_key(&mut fk(
                    "check_in",
                    "author_official_id",
                    "official",
                    Restrict,
                ))
                .to_owned(),
            Table::create()
                .table("product")
                .col(big_pk_auto("id"))
                .col(big_integer("cycle_id"))
                .col(big_integer("official_id"))
                .col(string_len("code", 64))
                .col(string_len("title", 500))
                .col(double("conversion_weight"))
                .col(integer("assigned"))
                .col(integer("completed"))
                .col(integer("completed_on_quality"))
                .col(integer("completed_on_time"))
                .col(integer("quality_failures"))
                .col(integer("delays"))
                .col(string_len_null("waiver_ref", 255))
                .col(date_null("due_on"))
                .col(integer("version").default(1))
                .check(Expr::cust(
                    "assigned >= 0 AND completed >= 0 AND completed <= assigned",
                ))
                .foreign_key(&mut fk("product", "cycle_id", "cycle", Cascade))
                .foreign_key(&mut fk("product", "official_id", "official", Cascade))
                .to_owned(),
            Table::create()
                .table("general_score")
                .col(big_pk_auto("id"))
                .col(big_integer("official_id"))
                .col(big_integer("cycle_id"))
                .col(string_len("criterion_group", 64))
                .col(double_null("self_points"))
                .col(double_null("reviewer_points"))
                .col(big_integer_null("reviewer_id"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("general_score", "official_id", "official", Cascade))
                .foreign_key(&mut fk("general_score", "cycle_id", "cycle", Cascade))
                .foreign_key(&mut fk("general_score", "reviewer_id", "official", SetNull))
                .to_owned(),
            Table::create()
                .table("assessment")
                .col(big_pk_auto("id"))
                .col(big_integer("official_id"))
                .col(big_integer("cycle_id"))
                .col(double_null("computed_score"))
                .col(text_null("explanation"))
                .col(string_len_null("proposed_level", 16))
                .col(string_len_null("approved_level", 16))
                .col(string_len("state", 16))
                .col(text("notes").default(""))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("assessment", "official_id", "official", Cascade))
                .foreign_key(&mut fk("assessment", "cycle_id", "cycle", Cascade))
                .to_owned(),
            Table::create()
                .table("metric_series")
                .col(big_pk_auto("id"))
                .col(string_len("metric_key", 64))
                .col(big_integer("unit_id"))
                .col(date("period_date"))
                .col(double("value"))
                .foreign_key(&mut fk("metric_series", "unit_id", "org_unit", Cascade))
                .to_owned(),
            Table::create()
                .table("personnel_decision")
                .col(big_pk_auto("id"))
                .col(big_integer("official_id"))
                .col(string_len("kind", 16))
                .col(big_integer_null("from_unit_id"))
                .col(big_integer_null("to_unit_id"))
                .col(date("effective_on"))
                .col(text("reason"))
                .col(string_len("reference", 255))
                .col(string_len("decided_by", 255))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "personnel_decision",
                    "official_id",
                    "official",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "personnel_decision",
                    "from_unit_id",
                    "org_unit",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "personnel_decision",
                    "to_unit_id",
                    "org_unit",
                    Restrict,
                ))
                .to_owned(),
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len("actor", 255))
                .col(string_len("action", 64))
                .col(string_len("entity", 64))
                .col(string_len_null("entity_id", 64))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(string_len_null("request_id", 64))
                .to_owned(),
            Table::create()
                .table("unit_cycle_rollup")
                .col(big_integer("unit_id"))
                .col(big_integer("cycle_id"))
                .col(integer("officials"))
                .col(integer("assessed"))
                .col(double_null("avg_score"))
                .col(integer("count_htxsnv"))
                .col(integer("count_httnv"))
                .col(integer("count_htnv"))
                .col(integer("count_khtnv"))
                .col(integer("key_results"))
                .col(double_null("avg_kr_progress"))
                .col(integer("stale_key_results"))
                .col(integer("at_risk_key_results"))
                .col(timestamp_with_time_zone("updated_at"))
                .primary_key(Index::create().col("unit_id").col("cycle_id"))
                .foreign_key(&mut fk("unit_cycle_rollup", "unit_id", "org_unit", Cascade))
                .foreign_key(&mut fk("unit_cycle_rollup", "cycle_id", "cycle", Cascade))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let indexes = [
            index("official", &["unit_id"], false),
            index("official", &["reviewer_id"], false),
            index(
                "official_unit_history",
                &["official_id", "from_date"],
                false,
            ),
            index("cycle", &["year", "period_kind", "period_no"], false),
            index("objective", &["cycle_id", "owner_official_id"], false),
            index("objective", &["cycle_id", "owner_unit_id"], false),
            index("key_result", &["objective_id", "code"], true),
            index("key_result", &["metric_key"], false),
            index("check_in", &["key_result_id", "created_at"], false),
            index("product", &["cycle_id", "official_id", "code"], true),
            index(
                "general_score",
                &["official_id", "cycle_id", "criterion_group"],
                true,
            ),
            index("assessment", &["official_id", "cycle_id"], true),
            index("assessment", &["cycle_id", "approved_level"], false),
            index(
                "metric_series",
                &["metric_key", "unit_id", "period_date"],
                true,
            ),
            index(
                "personnel_decision",
                &["official_id", "effective_on"],
                false,
            ),
            index("audit_log", &["entity", "entity_id"], false),
            index("audit_log", &["at"], false),
            index("unit_cycle_rollup", &["cycle_id"], false),
        ];
        for statement in indexes {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).to_owned())
                .await?;
        }
        Ok(())
    }
}
