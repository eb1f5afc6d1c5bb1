//! sea-orm entities. They never leave the server: repositories map them to DTOs or domain types.

pub mod account;
pub mod assessment;
pub mod audit_log;
pub mod calibration;
pub mod check_in;
pub mod cycle;
pub mod data_version;
pub mod general_score;
pub mod import_run;
pub mod key_result;
pub mod login_attempt;
pub mod metric_series;
pub mod objective;
pub mod official;
pub mod official_unit_history;
pub mod org_unit;
pub mod org_unit_closure;
pub mod personnel_decision;
pub mod product;
pub mod role_grant;
pub mod rule_setting;
pub mod session;
pub mod unit_cycle_rollup;
pub mod unit_headcount;
pub mod warning;
pub mod work_template;
