//! Opening the database: SQLite (embedded default) or PostgreSQL, chosen by the URL scheme.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine for a `sqlite:` or `postgres:`/`postgresql:` URL; `None` for anything else.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

/// SQLite page size of a new database file. 16 KiB instead of SQLite's 4 KiB: fewer, fuller
/// B-tree pages for tables of a million officials, which bulk loads, imports and the
/// dashboards' scans all read and write (a 1 M-official seed runs about 40 % faster, see
/// docs/PERFORMANCE.md). An existing file keeps the size it was created with.
pub const SQLITE_PAGE_SIZE: u32 = 16_384;

/// Connects with the settings Thước đo relies on. For SQLite: the file is created if missing
/// (with [`SQLITE_PAGE_SIZE`]), WAL journal, foreign keys enforced, a 5-second busy timeout.
/// For Postgres: a pool of `max_connections`.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .page_size(SQLITE_PAGE_SIZE)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    Database::connect(options).await
}

/// Starts a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`, waiting up to the busy timeout for another writer): a transaction that reads and
/// then writes would otherwise fail with "database is locked" (`SQLITE_BUSY_SNAPSHOT`) whenever
/// another connection wrote in between — a wait cannot cure that. PostgreSQL ignores the mode.
pub async fn write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Answers whether the database responds to a trivial query (used by `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
