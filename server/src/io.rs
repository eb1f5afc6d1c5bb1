//! `server import` and `server export`: bulk import of CSV/XLSX files and the classification
//! list for the Department of Home Affairs, with messages in Vietnamese or English from the
//! same translation files as the UI.

use std::path::Path;

use anyhow::Context;
use app::api::dto::{ImportKind, ImportReport};
use app::error::AppError;
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
    /// The printable form (with `--official`, that official's form).
    Pdf,
}

/// Writes the classification list of a unit in a cycle (or one official's line, in PDF their
/// form) to `out`; returns how many officials it lists.
pub async fn export_classification(
    db: &DatabaseConnection,
    (unit, cycle, official): (&str, &str, Option<&str>),
    format: ExportFormat,
    out: &Path,
    lang: Lang,
) -> anyhow::Result<usize> {
    use app::ssr::service::{self, exports};
    let format = match format {
        ExportFormat::Xlsx => exports::Format::Xlsx,
        ExportFormat::Csv => exports::Format::Csv,
        ExportFormat::Pdf => exports::Format::Pdf,
    };
    let selection = exports::Selection {
        unit,
        cycle,
        official,
    };
    let exported = exports::classification(
        db,
        &service::Actor::system("cli:export"),
        selection,
        format,
        lang,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| match e {
        AppError::NotFound => match official {
            Some(code) => {
                anyhow::anyhow!("no official {code:?} in unit {unit:?}, or no cycle {cycle:?}")
            }
            None => anyhow::anyhow!("no unit {unit:?} or no cycle {cycle:?}"),
        },
        other => anyhow::anyhow!("exporting the classification list: {other}"),
    })?;
    std::fs::write(out, exported.bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(exported.rows)
}

/// Recomputes the assessments of the cycle with this code (`server recompute`); returns how
/// many.
pub async fn recompute(db: &DatabaseConnection, cycle_code: &str) -> anyhow::Result<usize> {
    use app::ssr::repo::cycles;
    use app::ssr::service::{self, assessments};
    let cycle = cycles::find_by_code(db, cycle_code)
        .await?
        .with_context(|| format!("no cycle {cycle_code:?}"))?;
    let actor = service::Actor::system("cli:recompute");
    assessments::recompute_cycle(db, &actor, cycle.id, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("recomputing {cycle_code}: {e}"))
}

/// Rebuilds the rollups of the cycle with this code, or of every started cycle (`server rollup
/// rebuild`); returns how many cycles.
pub async fn rebuild_rollups(
    db: &DatabaseConnection,
    cycle_code: Option<&str>,
) -> anyhow::Result<usize> {
    use app::ssr::repo::cycles;
    use app::ssr::service::{self, rollups};
    let cycle = match cycle_code {
        Some(code) => Some(
            cycles::find_by_code(db, code)
                .await?
                .with_context(|| format!("no cycle {code:?}"))?
                .id,
        ),
        None => None,
    };
    let actor = service::Actor::system("cli:rollup");
    rollups::rebuild(db, &actor, cycle, chrono::Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("rebuilding the rollups: {e}"))
}

/// Audits a whole-database operation of the command line (`backup`, `restore`) with its file.
pub async fn audit_operation(
    db: &DatabaseConnection,
    action: &str,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    use app::ssr::repo::audit::{self, Actor, Change};
    let change = Change {
        action: action.into(),
        entity: "database".into(),
        entity_id: None,
        before: None,
        after: Some(serde_json::json!({ "file": file.display().to_string() })),
        unit_id: None,
    };
    audit::record(
        db,
        &Actor::system(&format!("cli:{action}")),
        change,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("auditing the {action}: {e}"))
}
