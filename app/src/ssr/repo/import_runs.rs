//! Files uploaded in the browser (`import_run`) and the report of their last run.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QuerySelect};

use crate::domain::import::ImportReport;
use crate::error::AppError;
use crate::ssr::entity::import_run;

/// At most this many of a report's errors are kept (the count says how many there were).
pub const KEPT_ERRORS: usize = 1_000;

/// An upload as the pages and services read it (without the file's bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    pub id: i64,
    pub account_id: i64,
    pub file_name: String,
    pub committed: bool,
    /// The file is still kept (it can be written).
    pub has_content: bool,
    /// How many errors the last run found (the report keeps the first [`KEPT_ERRORS`]).
    pub error_count: u32,
    pub report: ImportReport,
    pub version: i32,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct Row {
    id: i64,
    account_id: i64,
    file_name: String,
    committed: bool,
    has_content: bool,
    error_count: i32,
    report: String,
    version: i32,
}

/// A report as stored: its errors cut to [`KEPT_ERRORS`], and their full count.
fn stored_report(report: &ImportReport) -> Result<(String, i32, Option<String>), AppError> {
    let count = i32::try_from(report.errors.len()).map_err(AppError::internal)?;
    let mut kept = report.clone();
    kept.errors.truncate(KEPT_ERRORS);
    let json = serde_json::to_string(&kept).map_err(AppError::internal)?;
    Ok((json, count, report.kind.map(|k| k.code().to_owned())))
}

/// Stores an uploaded file with the report of its dry run; `content` is kept only when given
/// (a file that can be written). Returns the new id.
pub async fn insert(
    db: &impl ConnectionTrait,
    account_id: i64,
    file_name: &str,
    content: Option<Vec<u8>>,
    report: &ImportReport,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let (json, error_count, kind) = stored_report(report)?;
    let model = import_run::ActiveModel {
        account_id: Set(account_id),
        file_name: Set(file_name.to_owned()),
        content: Set(content),
        kind: Set(kind),
        committed: Set(report.committed),
        error_count: Set(error_count),
        report: Set(json),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let done = import_run::Entity::insert(model).exec(db).await?;
    Ok(done.last_insert_id)
}

/// The upload `id`, without its bytes.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<StoredRun>, AppError> {
    use import_run::Column as C;
    let row = import_run::Entity::find_by_id(id)
        .select_only()
        .columns([
            C::Id,
            C::AccountId,
            C::FileName,
            C::Committed,
            C::ErrorCount,
            C::Report,
            C::Version,
        ])
        .expr_as(Expr::col(C::Content).is_not_null(), "has_content")
        .into_model::<Row>()
        .one(db)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let report: ImportReport = serde_json::from_str(&row.report).map_err(AppError::internal)?;
    Ok(Some(StoredRun {
        id: row.id,
        account_id: row.account_id,
        file_name: row.file_name,
        committed: row.committed,
        has_content: row.has_content,
        error_count: u32::try_from(row.error_count).map_err(AppError::internal)?,
        report,
        version: row.version,
    }))
}

/// The bytes of upload `id`, if still kept.
pub async fn content(db: &impl ConnectionTrait, id: i64) -> Result<Option<Vec<u8>>, AppError> {
    let bytes: Option<Option<Vec<u8>>> = import_run::Entity::find_by_id(id)
        .select_only()
        .column(import_run::Column::Content)
        .into_tuple()
        .one(db)
        .await?;
    Ok(bytes.flatten())
}

/// Takes upload `id` read at `version` to be written: its version moves on, so that a second
/// press of the button, or another tab, answers "changed by someone else" (`Conflict`).
pub async fn claim(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let changes = import_run::ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// Replaces the report of upload `id` read at `version` (else `Conflict`); a written file's
/// bytes are dropped.
pub async fn record_run(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    report: &ImportReport,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (json, error_count, kind) = stored_report(report)?;
    let mut changes = import_run::ActiveModel {
        kind: Set(kind),
        committed: Set(report.committed),
        error_count: Set(error_count),
        report: Set(json),
        updated_at: Set(now),
        ..Default::default()
    };
    if report.committed {
        changes.content = Set(None);
    }
    super::versioned::update_if_version(db, id, version, changes).await
}
