//! The fast path for loading millions of generated rows (`server seed scale`): rows are plain
//! [`Cell`]s written straight through sqlx, without sea-orm's `ActiveModel` → `Value` round
//! trip. On SQLite each chunk is one multi-row `INSERT` with its values bound in place (text
//! that repeats across rows — constants, timestamps — is shared, not copied); on PostgreSQL
//! each chunk is streamed with `COPY … FROM STDIN` in text format. Everything happens in one
//! transaction: [`Loader::commit`] keeps it all, dropping the loader keeps nothing.
//!
//! Values are written in the encodings sea-orm itself uses, so the rows read back through the
//! entities like any other: timestamps as RFC 3339 with automatic sub-second digits (what sqlx
//! binds for `DateTime<Utc>`), dates as `YYYY-MM-DD`, booleans as 0/1 on SQLite.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::sqlx::{self, Postgres, Sqlite};
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::error::AppError;

/// Bind parameters per SQLite statement (its limit is 32 766).
const MAX_SQLITE_PARAMS: usize = 32_000;
/// SQLite's page cache during a load, in KiB (negative in the pragma): large enough that
/// the indexes being filled stay in memory instead of spilling pages to the WAL again and
/// again. The connection's default (2 MiB) is restored at commit.
const LOAD_CACHE_KIB: i64 = 256 * 1024;
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// One value of a row to load.
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    /// Text of this row only (a name, a code).
    Text(String),
    /// Text repeated across many rows: bound by reference count, never copied.
    Shared(Arc<str>),
}

/// Cells are equal when they are the same value in the database: text equals shared text of
/// the same content.
impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Int(a), Cell::Int(b)) => a == b,
            (Cell::Bool(a), Cell::Bool(b)) => a == b,
            _ => self.text().is_some() && self.text() == other.text(),
        }
    }
}

impl Cell {
    /// The text of a text cell.
    fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(v) => Some(v),
            Cell::Shared(v) => Some(v),
            _ => None,
        }
    }

    /// An optional integer (a nullable foreign key).
    pub fn opt_int(value: Option<i64>) -> Self {
        value.map_or(Cell::Null, Cell::Int)
    }
}

/// A timestamp in the text form sea-orm stores and reads (format it once, share it).
pub fn timestamp(at: DateTime<Utc>) -> Arc<str> {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false).into()
}

/// A date in the text form sea-orm stores and reads.
pub fn date(day: NaiveDate) -> Arc<str> {
    day.format("%F").to_string().into()
}

/// Row loading inside one open transaction of the SQLite or PostgreSQL pool.
pub struct Loader {
    tx: Tx,
    /// Tables given explicit ids, whose PostgreSQL sequences move past them at commit.
    tables: BTreeSet<String>,
}

enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("tables", &self.tables)
            .finish()
    }
}

fn sqlx_error(err: sqlx::Error) -> AppError {
    AppError::internal(format!("bulk load: {err}"))
}

impl Loader {
    /// Opens a transaction on one connection of `db`'s pool.
    pub async fn begin(db: &DatabaseConnection) -> Result<Self, AppError> {
        let tx = match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                // Take the write lock at once (see `db::write`).
                let mut tx = db
                    .get_sqlite_connection_pool()
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(sqlx_error)?;
                set_cache(&mut tx, LOAD_CACHE_KIB).await?;
                Tx::Sqlite(tx)
            }
            DatabaseBackend::Postgres => Tx::Postgres(
                db.get_postgres_connection_pool()
                    .begin()
                    .await
                    .map_err(sqlx_error)?,
            ),
            other => return Err(AppError::internal(format!("bulk load on {other:?}"))),
        };
        Ok(Loader {
            tx,
            tables: BTreeSet::new(),
        })
    }

    /// The largest id in `table` (0 when empty): new rows are numbered after it.
    pub async fn max_id(&mut self, table: &str) -> Result<i64, AppError> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM \"{table}\"");
        let max = match &mut self.tx {
            Tx::Sqlite(tx) => {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&mut **tx)
                    .await
            }
            Tx::Postgres(tx) => {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&mut **tx)
                    .await
            }
        };
        max.map_err(sqlx_error)
    }

    /// Writes `cells` (row after row, `columns.len()` cells each) into `table`; returns the
    /// number of rows written. The first column must be `id` when ids are given explicitly.
    pub async fn insert(
        &mut self,
        table: &str,
        columns: &[&str],
        cells: Vec<Cell>,
    ) -> Result<u64, AppError> {
        let width = columns.len();
        if width == 0 || !cells.len().is_multiple_of(width) {
            return Err(AppError::internal(format!(
                "bulk load into {table}: {} cells for {width} columns",
                cells.len()
            )));
        }
        if columns.first() == Some(&"id") {
            self.tables.insert(table.to_owned());
        }
        let names = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        match &mut self.tx {
            Tx::Sqlite(tx) => {
                // Columns with one value in every row are written into the SQL as literals:
                // fewer values to bind, copy and check.
                let constants = constant_columns(&cells, width);
                let bound = constants.iter().filter(|c| c.is_none()).count().max(1);
                let row = sqlite_row(&constants);
                let per_statement = (MAX_SQLITE_PARAMS / bound).max(1);
                let mut written = 0;
                let mut remaining = cells.len() / width;
                let mut cells = cells.iter().enumerate();
                while remaining > 0 {
                    let rows = remaining.min(per_statement);
                    let sql = sqlite_insert(table, &names, &row, rows);
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (i, cell) in cells.by_ref().take(rows * width) {
                        if constants[i % width].is_some() {
                            continue;
                        }
                        query = match cell {
                            Cell::Null => query.bind(None::<i64>),
                            Cell::Int(v) => query.bind(*v),
                            Cell::Bool(v) => query.bind(*v),
                            Cell::Text(v) => query.bind(v.clone()),
                            Cell::Shared(v) => query.bind(v.clone()),
                        };
                    }
                    written += query
                        .execute(&mut **tx)
                        .await
                        .map_err(sqlx_error)?
                        .rows_affected();
                    remaining -= rows;
                }
                Ok(written)
            }
            Tx::Postgres(tx) => {
                let mut data = String::with_capacity(cells.len() * 12);
                for (i, cell) in cells.iter().enumerate() {
                    copy_text(&mut data, cell);
                    data.push(if (i + 1) % width == 0 { '\n' } else { '\t' });
                }
                let statement = format!("COPY \"{table}\" ({names}) FROM STDIN");
                let mut copy = tx.copy_in_raw(&statement).await.map_err(sqlx_error)?;
                if let Err(err) = copy.send(data.into_bytes()).await {
                    // The transaction is rolled back when the loader is dropped.
                    let _ = copy.abort(err.to_string()).await;
                    return Err(sqlx_error(err));
                }
                copy.finish().await.map_err(sqlx_error)
            }
        }
    }

    /// Moves the id sequences of the tables loaded with explicit ids past their largest id
    /// (PostgreSQL), then commits.
    pub async fn commit(self) -> Result<(), AppError> {
        match self.tx {
            Tx::Sqlite(mut tx) => {
                set_cache(&mut tx, DEFAULT_CACHE_KIB).await?;
                tx.commit().await.map_err(sqlx_error)
            }
            Tx::Postgres(mut tx) => {
                for table in &self.tables {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut *tx)
                        .await
                        .map_err(sqlx_error)?;
                }
                tx.commit().await.map_err(sqlx_error)
            }
        }
    }
}

/// Sets the SQLite page cache of the loader's connection (KiB).
async fn set_cache(tx: &mut sqlx::Transaction<'static, Sqlite>, kib: i64) -> Result<(), AppError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}")))
        .execute(&mut **tx)
        .await
        .map_err(sqlx_error)?;
    Ok(())
}

/// For each column, its value when every row has the same one (and there are two rows or
/// more), else `None`.
fn constant_columns(cells: &[Cell], width: usize) -> Vec<Option<Cell>> {
    (0..width)
        .map(|column| {
            let first = cells.get(column)?;
            let mut values = cells.iter().skip(column).step_by(width);
            (cells.len() >= 2 * width && values.all(|v| v == first)).then(|| first.clone())
        })
        .collect()
}

/// One row of an SQLite `VALUES` list: `?` for a bound value, the literal of a constant.
fn sqlite_row(constants: &[Option<Cell>]) -> String {
    let values: Vec<String> = constants
        .iter()
        .map(|constant| match constant {
            None => "?".into(),
            Some(Cell::Null) => "NULL".into(),
            Some(Cell::Int(v)) => v.to_string(),
            Some(Cell::Bool(v)) => u8::from(*v).to_string(),
            Some(text) => format!("'{}'", text.text().unwrap_or_default().replace('\'', "''")),
        })
        .collect();
    format!("({})", values.join(", "))
}

/// `INSERT INTO "t" (…) VALUES row, row, …` for `rows` copies of `row`.
fn sqlite_insert(table: &str, names: &str, row: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(64 + names.len() + rows * (row.len() + 2));
    let _ = write!(sql, "INSERT INTO \"{table}\" ({names}) VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(row);
    }
    sql
}

/// Appends `cell` in PostgreSQL's COPY text format (`\N` for NULL, backslash escapes).
fn copy_text(out: &mut String, cell: &Cell) {
    let text = match cell {
        Cell::Null => return out.push_str("\\N"),
        Cell::Int(v) => {
            let _ = write!(out, "{v}");
            return;
        }
        Cell::Bool(v) => return out.push(if *v { 't' } else { 'f' }),
        Cell::Text(v) => v.as_str(),
        Cell::Shared(v) => v,
    };
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_insert_repeats_one_row() {
        assert_eq!(
            sqlite_insert("t", "\"a\", \"b\"", "(?, 1)", 3),
            r#"INSERT INTO "t" ("a", "b") VALUES (?, 1), (?, 1), (?, 1)"#
        );
    }

    #[test]
    fn columns_equal_in_every_row_become_literals() {
        let shared: Arc<str> = "it's".into();
        let rows = [
            [
                Cell::Int(1),
                Cell::Shared(shared.clone()),
                Cell::Null,
                Cell::Bool(true),
            ],
            [
                Cell::Int(2),
                Cell::Shared(shared.clone()),
                Cell::Null,
                Cell::Bool(true),
            ],
            [
                Cell::Int(3),
                Cell::Text("it's".into()),
                Cell::Null,
                Cell::Bool(true),
            ],
        ];
        let constants = constant_columns(&rows.concat(), 4);
        assert_eq!(constants[0], None);
        // Text and shared text of the same content are one value; quotes are doubled.
        assert_eq!(sqlite_row(&constants), "(?, 'it''s', NULL, 1)");
        assert_ne!(Cell::Int(0), Cell::Bool(false));
        assert_ne!(Cell::Null, Cell::Text(String::new()));
        // A single row is bound as it is.
        assert_eq!(sqlite_row(&constant_columns(&rows[0], 4)), "(?, ?, ?, ?)");
    }

    #[test]
    fn copy_text_escapes_separators_and_writes_null_and_booleans() {
        let mut out = String::new();
        for cell in [
            Cell::Text("a\tb\nc\\d".into()),
            Cell::Null,
            Cell::Bool(true),
            Cell::Int(-7),
            Cell::Shared("Phường Thuận Hóa".into()),
        ] {
            copy_text(&mut out, &cell);
            out.push('|');
        }
        assert_eq!(out, "a\\tb\\nc\\\\d|\\N|t|-7|Phường Thuận Hóa|");
    }

    #[test]
    fn timestamps_use_the_text_form_sqlx_binds() {
        let at = DateTime::parse_from_rfc3339("2026-11-20T08:30:00.250Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(&*timestamp(at), "2026-11-20T08:30:00.250+00:00");
        let day = NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid");
        assert_eq!(&*date(day), "2025-07-01");
    }
}
