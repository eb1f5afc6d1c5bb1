//! Repositories: typed queries that take a connection and return DTOs or domain types.

pub mod org_units;
