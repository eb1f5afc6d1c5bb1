//! Server-only code: application state, database connection, entities and repositories.
//! Compiled with the `ssr` feature only; nothing here reaches the browser.

pub mod auth;
pub mod cache;
pub mod charts;
pub mod db;
pub mod entity;
pub mod export;
pub mod headers;
pub mod import;
pub mod pdf;
pub mod repo;
pub mod service;
pub mod state;
