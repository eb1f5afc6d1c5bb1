//! Reusable views shared by pages.

pub mod check_in;
pub mod decisions;
pub mod error_view;
pub mod labels;
pub mod lang_switch;
pub mod layout;
pub mod message;
pub mod role_label;
pub mod rule_inputs;
pub mod saves;
pub mod todo;
pub mod typed;
pub mod unit_table;
