//! Thước đo's database migrations. Append-only: a released migration is never edited; each has
//! a real `down` so that `server migrate down` restores the previous schema.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20260101_000001_create_org_unit;
mod m20260101_000002_create_core_tables;
mod m20261124_000003_create_accounts;
mod m20261130_000004_assessment_inputs;
mod m20261130_000005_unit_closure_and_search;
mod m20261130_000006_headcount_and_versions;
mod m20261130_000007_key_result_confidence;
mod m20261130_000008_account_setup_link;
mod m20261201_000009_one_account_per_official;
mod m20261201_000010_assessment_state_index;
mod m20261201_000011_cycle_deadlines;
mod m20261202_000012_import_run;
mod m20261202_000013_work_template;
mod m20261203_000014_rollup_score_spread;
mod m20261204_000015_calibration;
mod m20261207_000016_warnings_and_personnel;
mod m20261207_000017_warning_scope;
mod m20261207_000018_metric_feeds;

/// All migrations, in order.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_create_org_unit::Migration),
            Box::new(m20260101_000002_create_core_tables::Migration),
            Box::new(m20261124_000003_create_accounts::Migration),
            Box::new(m20261130_000004_assessment_inputs::Migration),
            Box::new(m20261130_000005_unit_closure_and_search::Migration),
            Box::new(m20261130_000006_headcount_and_versions::Migration),
            Box::new(m20261130_000007_key_result_confidence::Migration),
            Box::new(m20261130_000008_account_setup_link::Migration),
            Box::new(m20261201_000009_one_account_per_official::Migration),
            Box::new(m20261201_000010_assessment_state_index::Migration),
            Box::new(m20261201_000011_cycle_deadlines::Migration),
            Box::new(m20261202_000012_import_run::Migration),
            Box::new(m20261202_000013_work_template::Migration),
            Box::new(m20261203_000014_rollup_score_spread::Migration),
            Box::new(m20261204_000015_calibration::Migration),
            Box::new(m20261207_000016_warnings_and_personnel::Migration),
            Box::new(m20261207_000017_warning_scope::Migration),
            Box::new(m20261207_000018_metric_feeds::Migration),
        ]
    }
}
