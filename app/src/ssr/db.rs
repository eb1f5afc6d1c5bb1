//! Opening the database: SQLite (embedded default) or PostgreSQL, chosen by the URL scheme.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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

/// Bytes of a SQLite file read through memory mapping: pages are read from the operating
/// system's cache in place instead of being copied into each connection's own small page
/// cache by a system call (a dashboard's first read of an official: about a sixth faster at
/// 100 at once, docs/PERFORMANCE.md). Address space, not memory: the pages are the kernel's
/// cache, shared by the connections.
pub const SQLITE_MMAP_SIZE: u64 = 1 << 30;

/// Connects with the settings Thước đo relies on. For SQLite: the file is created if missing
/// (with [`SQLITE_PAGE_SIZE`]), WAL journal, foreign keys enforced, a 5-second busy timeout,
/// read through memory mapping ([`SQLITE_MMAP_SIZE`]).
/// For Postgres: a pool of `max_connections`. Both: a connection idle for 30 s or more is
/// checked before it is handed out.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // A connection is checked with a round trip before use only when it has been idle:
        // checking every one doubled the round trips of each statement under load.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .page_size(SQLITE_PAGE_SIZE)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("mmap_size", SQLITE_MMAP_SIZE.to_string())
        });
    Database::connect(options).await
}

/// A transaction for reads whose best plan depends on the values asked (a state, a scope, a
/// search): PostgreSQL plans its statements for their values each time. By default, after
/// five runs of a prepared statement PostgreSQL may switch to one generic plan for any
/// values; for the review queue and the to-do list at national scale that plan took 2.5–5.6 s
/// where a plan for the values takes 0.2–0.3 s. Not for every statement: planning each time
/// halved the throughput of the officials' dashboards (docs/PERFORMANCE.md). SQLite plans
/// for the values anyway.
pub async fn read_planned_for_values(
    db: &DatabaseConnection,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    Ok(txn)
}

/// Gives SQLite's query planner the shape of the data (`ANALYZE`, reading at most 1,000 rows
/// of each index): without statistics it joined the review queue from the units in scope
/// through every one of their officials instead of from the open cycles' assessments
/// (docs/PERFORMANCE.md). Run at each start of the server; PostgreSQL keeps its own
/// statistics (autovacuum).
pub async fn refresh_statistics(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE;")
            .await?;
    }
    Ok(())
}

/// How long a write waits for its turn on a SQLite file before it fails.
const WRITE_TURN_WAIT: Duration = Duration::from_secs(60);

/// Starts a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a transaction that reads and then writes would otherwise fail with "database is
/// locked" (`SQLITE_BUSY_SNAPSHOT`) whenever another connection wrote in between — a wait cannot
/// cure that. PostgreSQL ignores the mode.
///
/// On SQLite the writers of one process also wait their turn in a first-come, first-served
/// queue per database file before they begin: SQLite's own busy handler polls, and a writer
/// that has waited long polls rarely, so under a burst of writes newcomers kept overtaking it
/// until its 5-second busy timeout failed the request (32 clients checking in at once did
/// that, `server/tests/crash.rs`). Other processes (a command-line import) still meet the busy
/// timeout.
pub async fn write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = match db.get_database_backend() {
        DbBackend::Sqlite => Some(write_turn(db).await?),
        _ => None,
    };
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}

/// This process's turn to write to a SQLite database's file.
async fn write_turn(db: &DatabaseConnection) -> Result<OwnedSemaphorePermit, DbErr> {
    static QUEUES: LazyLock<Mutex<HashMap<PathBuf, Arc<Semaphore>>>> =
        LazyLock::new(Mutex::default);
    let options = db.get_sqlite_connection_pool().connect_options();
    let file = options.get_filename().to_path_buf();
    let queue = {
        let mut queues = QUEUES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(
            queues
                .entry(file)
                .or_insert_with(|| Arc::new(Semaphore::new(1))),
        )
    };
    match tokio::time::timeout(WRITE_TURN_WAIT, queue.acquire_owned()).await {
        Ok(Ok(turn)) => Ok(turn),
        Ok(Err(closed)) => Err(DbErr::Custom(closed.to_string())),
        Err(_) => Err(DbErr::Custom("no turn to write within a minute".into())),
    }
}

/// A transaction that writes ([`write`]); on SQLite it holds the process's turn to write until
/// it is committed, rolled back or dropped.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<OwnedSemaphorePermit>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// Answers whether the database responds to a trivial query (used by `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
