//! Repositories: typed queries that take a connection and return DTOs or domain types.
//! Every write goes through here, and every write records an [`audit`] entry.

pub mod audit;
pub mod org_units;
