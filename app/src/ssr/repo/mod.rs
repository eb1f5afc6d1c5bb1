//! Repositories: typed queries that take a connection and return DTOs or domain types.
//! Every write goes through here, and every write records an [`audit`] entry.

pub mod accounts;
pub mod api_clients;
pub mod assessments;
pub mod audit;
pub mod bulk;
pub mod calibration;
pub mod compare;
pub mod cycles;
pub mod dashboards;
pub mod headcount;
pub mod import_runs;
pub mod inputs;
pub mod loader;
pub mod metrics;
pub mod officials;
pub mod okrs;
pub mod org_units;
pub mod people;
pub mod personnel;
pub mod products;
pub mod public;
pub mod queue;
pub mod rollups;
pub mod rules;
pub mod scope;
pub mod templates;
pub mod versioned;
pub mod versions;
pub mod warnings;
