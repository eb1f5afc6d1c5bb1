//! Data loaders: the demo city (`server seed demo`, loaded by `make run` on first start) and
//! national-scale synthetic data (`server seed scale`, and a month of inputs for it with
//! `server seed month`) for performance work.

pub mod accounts;
pub mod demo;
pub mod month;
pub mod names;
pub mod scale;

pub use demo::{demo, demo_if_empty, units_only};

/// After a bulk load, PostgreSQL's statistics now, not when autovacuum gets to them: until
/// then it plans over hundreds of thousands of fresh rows blind (a commune's dashboard took
/// 100 ms instead of 5 after `seed month`, the officials list seconds instead of
/// milliseconds after `seed scale`). SQLite gathers none.
pub async fn analyze(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}
