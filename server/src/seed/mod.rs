//! Data loaders: the demo city (`server seed demo`, loaded by `make run` on first start) and
//! national-scale synthetic data (`server seed scale`) for performance work.

pub mod accounts;
pub mod demo;
pub mod names;
pub mod scale;

pub use demo::{demo, demo_if_empty, units_only};
