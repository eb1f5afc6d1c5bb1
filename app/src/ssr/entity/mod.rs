//! sea-orm entities. They never leave the server: repositories map them to DTOs.

pub mod org_unit;
