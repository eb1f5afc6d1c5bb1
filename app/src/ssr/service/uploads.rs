//! Assigning work from a file in the browser: an administrator uploads a list of products or
//! of key results (CSV or XLSX, the importers' columns); it is checked by a dry run of the
//! importer, only for the officials and units they administer, and kept with its report
//! (`import_run`); once the report shows no error, the same file is written, all or nothing,
//! by the importer (each row audited under the administrator's name). Only the administrator
//! who uploaded a file sees it.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, administering, bounded_text, invalid};
use crate::domain::import::{ImportKind, ImportReport};
use crate::error::AppError;
use crate::ssr::import::{self, Limits, Options};
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::import_runs::{self, StoredRun};

/// What a file uploaded in the browser may hold: work assigned to officials (units, officials
/// and check-ins are imported by the operator's command line).
pub const KINDS: &[ImportKind] = &[ImportKind::Products, ImportKind::KeyResults];

/// The largest file taken (about 50,000 rows of CSV).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The longest file name kept.
pub const MAX_FILE_NAME: usize = 255;

/// A file as the browser sent it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Checks an uploaded file by a dry run and keeps it with its report; returns its id. A file
/// without error is kept to be written by [`write`].
pub async fn upload(
    db: &DatabaseConnection,
    actor: &Actor,
    upload: Upload,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let (account_id, limits) = administrator(db, actor, now).await?;
    let file_name = bounded_text("file", &upload.file_name, MAX_FILE_NAME)?;
    if file_name.is_empty() || upload.bytes.is_empty() {
        return Err(invalid("file", "file_missing"));
    }
    if upload.bytes.len() > MAX_BYTES {
        return Err(invalid("file", "file_too_large"));
    }
    let options = options(actor, limits, true, now);
    let report = import::import_bytes(db, &file_name, &upload.bytes, &options).await?;
    let keep = report.errors.is_empty().then_some(upload.bytes);
    let txn = crate::ssr::db::write(db).await?;
    let id = import_runs::insert(&txn, account_id, &file_name, keep, &report, now).await?;
    audit::record(
        &txn,
        &actor.audit,
        change("import_upload", id, &report),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Writes a checked file (read at `version`): the importer runs again for real, all or
/// nothing, and the report replaces the dry run's. A file whose check found errors, or already
/// written, is refused on `run`.
pub async fn write(
    db: &DatabaseConnection,
    actor: &Actor,
    run_id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (account_id, limits) = administrator(db, actor, now).await?;
    let run = owned(db, account_id, run_id).await?;
    if run.version != version {
        return Err(AppError::Conflict);
    }
    if run.committed {
        return Err(invalid("run", "import_already_written"));
    }
    let bytes = match import_runs::content(db, run_id).await? {
        Some(bytes) if run.error_count == 0 => bytes,
        _ => return Err(invalid("run", "import_not_writable")),
    };
    // Claimed before writing: a second press of the button finds the version moved on.
    import_runs::claim(db, run_id, version, now).await?;
    let options = options(actor, limits, false, now);
    let report = import::import_bytes(db, &run.file_name, &bytes, &options).await?;
    let txn = crate::ssr::db::write(db).await?;
    import_runs::record_run(&txn, run_id, version + 1, &report, now).await?;
    audit::record(
        &txn,
        &actor.audit,
        change("import_write", run_id, &report),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Upload `run_id`, for the administrator who uploaded it (`NotFound` for anyone else).
pub async fn run(
    db: &DatabaseConnection,
    actor: &Actor,
    run_id: i64,
    now: DateTime<Utc>,
) -> Result<StoredRun, AppError> {
    let (account_id, _) = administrator(db, actor, now).await?;
    owned(db, account_id, run_id).await
}

/// Upload `run_id` if `account_id` uploaded it (`NotFound` otherwise: nobody learns of others').
async fn owned(
    db: &DatabaseConnection,
    account_id: i64,
    run_id: i64,
) -> Result<StoredRun, AppError> {
    import_runs::find(db, run_id)
        .await?
        .filter(|run| run.account_id == account_id)
        .ok_or(AppError::NotFound)
}

/// The signed-in administrator's account and what they may import: refused (and audited)
/// for anyone who administers no unit.
pub async fn administrator(
    db: &DatabaseConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(i64, Limits), AppError> {
    // Files are uploaded by accounts; the operator imports with `server import`.
    let (account_id, scope) = administering(db, actor, "import_run", now).await?;
    Ok((
        account_id,
        Limits {
            kinds: KINDS,
            scope,
        },
    ))
}

fn options(actor: &Actor, limits: Limits, dry_run: bool, now: DateTime<Utc>) -> Options {
    Options {
        dry_run,
        now,
        limits: Some(limits),
        ..Options::new(actor.audit.clone())
    }
}

/// The audit entry of an upload or a write: the file's kind, rows and errors.
fn change(action: &str, run_id: i64, report: &ImportReport) -> Change {
    Change {
        action: action.into(),
        entity: "import_run".into(),
        entity_id: Some(run_id.to_string()),
        before: None,
        after: Some(serde_json::json!({
            "kind": report.kind.map(|k| k.code()),
            "rows": report.rows,
            "errors": report.errors.len(),
            "committed": report.committed,
        })),
        unit_id: None,
    }
}
