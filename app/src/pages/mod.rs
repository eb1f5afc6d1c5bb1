//! One module per route; route components end in `Page`.

pub mod account;
pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod calibration;
pub mod compare;
pub mod cycles;
pub mod home;
pub mod login;
pub mod not_found;
pub mod official;
pub mod officials;
pub mod personnel;
pub mod plan;
pub mod queue;
pub mod setup;
pub mod unit;
pub mod upload;
pub mod warnings;
