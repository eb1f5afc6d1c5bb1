//! Data loaders: the demo city (`server seed demo`, loaded by `make run` on first start) and
//! national-scale synthetic data (`server seed scale`, and a month of inputs for it with
//! `server seed month`) for performance work.

pub mod accounts;
pub mod demo;
pub mod month;
pub mod names;
pub mod scale;

pub use demo::{demo, demo_if_empty, units_only};
