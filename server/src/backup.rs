//! Backups and restores of the whole database, from the operator's command line
//! (`server backup --to FILE`, `server restore --from FILE`; docs/RELIABILITY.md):
//!
//! * SQLite: `VACUUM INTO` writes a consistent copy while the server keeps running; a restore
//!   checks the copy (`PRAGMA integrity_check`) and puts it in place of the database file,
//!   with the server stopped.
//! * PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction`
//!   (PostgreSQL's own client programs, which must be installed).
//!
//! [`fingerprint`] gives each table's row count and a hash of its rows, so that a restore can
//! be compared with what was backed up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::ssr::db::Engine;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sha2::{Digest, Sha256};

/// The file of a `sqlite:` URL (`sqlite:///tmp/a.db?mode=rwc` → `/tmp/a.db`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty()).then(|| PathBuf::from(path))
}

fn engine(url: &str) -> anyhow::Result<Engine> {
    Engine::of_url(url).context("DATABASE_URL is neither sqlite: nor postgres:")
}

/// Writes a backup of the database at `url` to `to` (which must not exist yet).
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} exists already: choose a new file", to.display());
    }
    match engine(url)? {
        Engine::Sqlite => {
            let db = app::ssr::db::connect(url, 1).await?;
            let target = to.to_str().context("the backup's path is not UTF-8")?;
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await
            .context("VACUUM INTO")?;
            db.close().await.ok();
            Ok(())
        }
        Engine::Postgres => run(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--file",
                path_str(to)?,
                "--dbname",
                url,
            ],
        ),
    }
}

/// Replaces the database at `url` with the backup `from`. SQLite: the server must be stopped;
/// the backup is checked first and nothing changes if it is damaged. PostgreSQL: in one
/// transaction, so a failed restore leaves the database as it was.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    match engine(url)? {
        Engine::Sqlite => {
            let target = sqlite_path(url).context("no file in the sqlite: URL")?;
            let staged = target.with_extension("restoring");
            std::fs::copy(from, &staged)
                .with_context(|| format!("copying {} to {}", from.display(), staged.display()))?;
            let check =
                app::ssr::db::connect(&format!("sqlite://{}", path_str(&staged)?), 1).await?;
            let verdict = check
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA integrity_check",
                ))
                .await?
                .map(|row| row.try_get_by_index::<String>(0))
                .transpose()?;
            check.close().await.ok();
            if verdict.as_deref() != Some("ok") {
                std::fs::remove_file(&staged).ok();
                bail!(
                    "{} is damaged ({verdict:?}): nothing was restored",
                    from.display()
                );
            }
            for suffix in ["-wal", "-shm"] {
                let mut side = target.clone().into_os_string();
                side.push(suffix);
                std::fs::remove_file(PathBuf::from(side)).ok();
            }
            std::fs::rename(&staged, &target)
                .with_context(|| format!("putting the backup in place of {}", target.display()))?;
            Ok(())
        }
        Engine::Postgres => run(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                url,
                path_str(from)?,
            ],
        ),
    }
}

fn path_str(path: &Path) -> anyhow::Result<&str> {
    path.to_str().context("the path is not UTF-8")
}

/// Runs one of PostgreSQL's client programs; its own message when it fails.
fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .with_context(|| {
            format!("{program} could not be started: is PostgreSQL's client installed?")
        })?;
    if !output.status.success() {
        bail!(
            "{program} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Each table's row count and a SHA-256 of its rows (as text, in a fixed order).
pub async fn fingerprint(
    db: &DatabaseConnection,
) -> anyhow::Result<BTreeMap<String, (i64, String)>> {
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<Result<_, _>>()?;
    let mut out = BTreeMap::new();
    for table in tables {
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT COUNT(*) AS n, COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '') AS rows \
                 FROM \"{table}\" t"
            ),
            _ => {
                let columns: Vec<String> = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{table}')"),
                    ))
                    .await?
                    .iter()
                    .map(|row| row.try_get::<String>("", "name"))
                    .collect::<Result<_, _>>()?;
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                format!(
                    "SELECT COUNT(*) AS n, COALESCE(group_concat(r, char(10)), '') AS rows \
                     FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY 1)"
                )
            }
        };
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
            .context("a count")?;
        let count: i64 = row.try_get("", "n")?;
        let rows: String = row.try_get("", "rows")?;
        out.insert(
            table,
            (count, format!("{:x}", Sha256::digest(rows.as_bytes()))),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db?mode=rwc"),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://data/thuocdo.db?mode=rwc"),
            Some(PathBuf::from("data/thuocdo.db"))
        );
        assert_eq!(sqlite_path("sqlite:x.db"), Some(PathBuf::from("x.db")));
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }
}
