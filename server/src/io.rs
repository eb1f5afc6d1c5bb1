//! `server import` and `server export`: bulk import of CSV/XLSX files and the classification
//! list for the Department of Home Affairs, with messages in Vietnamese or English from the
//! same translation files as the UI.

use std::path::Path;

use anyhow::Context;
use app::api::dto::{ImportKind, ImportReport};
use app::error::AppError;
use app::ssr::export;
use app::ssr::import::{self, Options, messages};
use app::ssr::repo::audit::Actor;
use sea_orm::DatabaseConnection;

pub use app::ssr::import::messages::Lang;

/// The actor recorded in the audit log for command-line imports.
pub const IMPORT_ACTOR: &str = "cli:import";

/// Parses `vi` or `en`.
pub fn parse_lang(code: &str) -> anyhow::Result<Lang> {
    Lang::from_code(code).with_context(|| format!("unknown language {code:?}: use vi or en"))
}

/// Parses an import kind code (`units`, `officials`, `key_results`, `products`, `check_ins`).
pub fn parse_kind(code: &str) -> anyhow::Result<ImportKind> {
    ImportKind::from_code(code).with_context(|| {
        let all: Vec<&str> = ImportKind::ALL.iter().map(|k| k.code()).collect();
        format!("unknown kind {code:?}: use one of {}", all.join(", "))
    })
}

/// Imports a file (or dry-runs it) and returns the report with its lines of text; nothing is
/// written unless the report has no error.
pub async fn import(
    db: &DatabaseConnection,
    path: &Path,
    kind: Option<ImportKind>,
    dry_run: bool,
    lang: Lang,
) -> anyhow::Result<(ImportReport, Vec<String>)> {
    let mut options = Options::new(Actor::system(IMPORT_ACTOR));
    options.kind = kind;
    options.dry_run = dry_run;
    let report = import::import_file(db, path, &options)
        .await
        .map_err(|e| anyhow::anyhow!("importing {}: {e}", path.display()))?;
    let lines = messages::report(lang, &report);
    Ok((report, lines))
}

/// The formats `server export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

/// Writes the classification list of a unit in a cycle to `out`; returns how many officials
/// it lists.
pub async fn export_classification(
    db: &DatabaseConnection,
    unit: &str,
    cycle: &str,
    format: ExportFormat,
    out: &Path,
    lang: Lang,
) -> anyhow::Result<usize> {
    let list = export::classification_list(db, unit, cycle)
        .await
        .map_err(|e| match e {
            AppError::NotFound => anyhow::anyhow!("no unit {unit:?} or no cycle {cycle:?}"),
            other => anyhow::anyhow!("reading the classification list: {other}"),
        })?;
    let bytes = match format {
        ExportFormat::Xlsx => export::to_xlsx(lang, &list),
        ExportFormat::Csv => export::to_csv(lang, &list),
    }
    .map_err(|e| anyhow::anyhow!("writing the classification list: {e}"))?;
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(list.rows.len())
}
