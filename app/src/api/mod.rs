//! Server functions, one module per resource. Each is a public URL: it checks the caller,
//! loads through `ssr::repo`, applies `domain` rules and returns DTOs from [`dto`].

pub mod admin;
pub mod assessments;
pub mod compare;
pub mod dto;
pub mod org;
pub mod people;
pub mod queue;
