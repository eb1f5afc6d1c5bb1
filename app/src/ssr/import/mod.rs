//! Bulk import of units, officials, key results, products and check-ins from CSV or XLSX.
//!
//! A file is read into rows ([`table`]), its headers (English or Vietnamese) mapped onto one
//! importer's columns ([`fields`]), every row validated — all errors are collected, each with
//! its spreadsheet row, column and a translation key — and, only when there is none, applied
//! in one transaction: records are matched by natural key and created, updated or left alone,
//! each write with an audit entry. A dry run takes the same path and rolls back. Column
//! layouts are documented in `docs/import.md`.

pub mod fields;
pub mod messages;
pub mod table;

mod check_ins;
mod key_results;
mod officials;
mod products;
mod refs;
mod units;

use std::collections::BTreeSet;

use sea_orm::{DatabaseConnection, DatabaseTransaction};
use serde::Serialize;

use self::fields::{Column, Errors, Sheet, match_score};
use self::table::file_error;
use self::table::{Format, Table};
use crate::domain::import::{ImportCounts, ImportKind, ImportReport, RowError};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Actor, Change};

/// Rows are written, and their audit entries flushed, this many at a time: what an import
/// holds beyond the file's text and one small record per row is bounded by it, whatever the
/// file's size (a million officials import in a few hundred megabytes).
const CHUNK: usize = 5_000;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The file's kind; detected from the headers when `None`.
    pub kind: Option<ImportKind>,
    /// Validate and count, then roll back.
    pub dry_run: bool,
    /// Who imports (`cli:import`, later the signed-in account).
    pub actor: Actor,
    /// The date used where a file gives none (a unit's `valid_from`, unit history).
    pub today: chrono::NaiveDate,
    /// The time stamped on created and updated records.
    pub now: chrono::DateTime<chrono::Utc>,
    /// For a signed-in administrator: the kinds they may import and the officials and units
    /// they may write for (a row naming anyone else is an error on that row). `None` for the
    /// operator's command line, which acts on the whole database.
    pub limits: Option<Limits>,
}

/// What a signed-in administrator may import (see [`Options::limits`]).
#[derive(Debug, Clone)]
pub struct Limits {
    pub kinds: &'static [ImportKind],
    pub scope: crate::domain::access::Scope,
}

impl Options {
    /// Options for an actor, now, detecting the kind, writing for real.
    pub fn new(actor: Actor) -> Self {
        let now = chrono::Utc::now();
        Options {
            kind: None,
            dry_run: false,
            actor,
            // The date in Vietnam (UTC+7).
            today: (now + chrono::Duration::hours(7)).date_naive(),
            now,
            limits: None,
        }
    }
}

/// The columns of each kind, English header first.
pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Units => units::COLUMNS,
        ImportKind::Officials => officials::COLUMNS,
        ImportKind::KeyResults => key_results::COLUMNS,
        ImportKind::Products => products::COLUMNS,
        ImportKind::CheckIns => check_ins::COLUMNS,
    }
}

/// The kind whose columns the headers match best: every header must be one of its columns and
/// every required column present; `None` when no kind or several equally fit.
pub fn detect_kind(headers: &[String]) -> Option<ImportKind> {
    let mut scored: Vec<(usize, ImportKind)> = ImportKind::ALL
        .iter()
        .filter_map(|kind| match_score(headers, columns(*kind)).map(|s| (s, *kind)))
        .collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    match scored.as_slice() {
        [(best, kind), rest @ ..] if rest.first().is_none_or(|(next, _)| next < best) => {
            Some(*kind)
        }
        _ => None,
    }
}

/// Imports a file from disk (the format is chosen by its extension).
pub async fn import_file(
    db: &DatabaseConnection,
    path: &std::path::Path,
    options: &Options,
) -> Result<ImportReport, AppError> {
    let name = path.to_string_lossy();
    let unreadable = |error: std::io::Error| {
        let detail = [("detail", error.to_string())];
        Ok(failed(
            options,
            None,
            0,
            vec![file_error("import_err_unreadable", &detail)],
        ))
    };
    // A CSV file is parsed as it is read; a workbook is read whole (it is a zip archive).
    if Format::of_name(&name) == Some(Format::Csv) {
        let table = match std::fs::File::open(path) {
            Ok(file) => table::read_csv_from(file),
            Err(error) => return unreadable(error),
        };
        return match table {
            Ok(table) => import_table(db, &table, options).await,
            Err(error) => Ok(failed(options, options.kind, 0, vec![error])),
        };
    }
    match std::fs::read(path) {
        Ok(bytes) => import_bytes(db, &name, &bytes, options).await,
        Err(error) => unreadable(error),
    }
}

/// Imports an uploaded file: `file_name` chooses the format (`.csv`, `.xlsx`).
pub async fn import_bytes(
    db: &DatabaseConnection,
    file_name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<ImportReport, AppError> {
    let Some(format) = Format::of_name(file_name) else {
        let extension = file_name.rsplit_once('.').map_or("", |(_, e)| e).to_owned();
        let error = file_error("import_err_unsupported_format", &[("extension", extension)]);
        return Ok(failed(options, options.kind, 0, vec![error]));
    };
    let table = match table::read(format, bytes) {
        Ok(table) => table,
        Err(error) => return Ok(failed(options, options.kind, 0, vec![error])),
    };
    import_table(db, &table, options).await
}

/// Imports rows already read from a file.
pub async fn import_table(
    db: &DatabaseConnection,
    table: &Table,
    options: &Options,
) -> Result<ImportReport, AppError> {
    let rows = u32::try_from(table.rows.len()).map_err(AppError::internal)?;
    let Some(kind) = options.kind.or_else(|| detect_kind(&table.headers)) else {
        let headers = table.headers.join(", ");
        // The command line can be told the kind; a page shows the columns it takes.
        let key = match options.limits {
            None => "import_err_kind_unknown",
            Some(_) => "import_err_columns_unknown",
        };
        let error = file_error(key, &[("headers", headers)]);
        return Ok(failed(options, None, rows, vec![error]));
    };
    if let Some(limits) = &options.limits
        && !limits.kinds.contains(&kind)
    {
        let error = file_error("import_err_kind_not_allowed", &[]);
        return Ok(failed(options, Some(kind), rows, vec![error]));
    }
    let sheet = match Sheet::new(table, columns(kind)) {
        Ok(sheet) => sheet,
        Err(errors) => return Ok(failed(options, Some(kind), rows, errors)),
    };
    let txn = crate::ssr::db::write(db).await?;
    let context = Context { txn: &txn, options };
    let outcome = match kind {
        ImportKind::Units => units::run(&context, &sheet).await,
        ImportKind::Officials => officials::run(&context, &sheet).await,
        ImportKind::KeyResults => key_results::run(&context, &sheet).await,
        ImportKind::Products => products::run(&context, &sheet).await,
        ImportKind::CheckIns => check_ins::run(&context, &sheet).await,
    };
    // Any error — a bad row or a failing statement — leaves the database as it was.
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => {
            txn.rollback().await?;
            return Err(error);
        }
    };
    let mut outcome = outcome;
    // Errors in spreadsheet order (cell checks and reference checks are found in two passes).
    outcome.errors.sort_by_key(|e| e.row);
    let committed = outcome.errors.is_empty() && !options.dry_run;
    if committed {
        rescore(&txn, &outcome.rescore, options.now).await?;
        // Dashboards read the rollups: keep those of the cycles still in progress current.
        if kind != ImportKind::Units {
            crate::ssr::repo::rollups::rebuild_open_cycles(&txn, chrono::Utc::now()).await?;
        }
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(ImportReport {
        kind: Some(kind),
        dry_run: options.dry_run,
        committed,
        rows,
        counts: outcome.counts,
        errors: outcome.errors,
    })
}

fn failed(
    options: &Options,
    kind: Option<ImportKind>,
    rows: u32,
    errors: Vec<RowError>,
) -> ImportReport {
    ImportReport {
        kind,
        dry_run: options.dry_run,
        committed: false,
        rows,
        counts: Vec::new(),
        errors,
    }
}

/// What an importer works with: the open transaction and the options.
struct Context<'a> {
    txn: &'a DatabaseTransaction,
    options: &'a Options,
}

/// What an importer found: counts per entity when applied, or the errors (then nothing is
/// written).
#[derive(Debug, Default)]
struct Outcome {
    counts: Vec<(String, ImportCounts)>,
    errors: Vec<RowError>,
    /// The assessments whose inputs changed, as (cycle id, official id): rescored before the
    /// import commits, as after any other change of an input.
    rescore: BTreeSet<(i64, i64)>,
}

impl Outcome {
    fn rejected(errors: Errors) -> Self {
        Outcome {
            errors: errors.list,
            ..Outcome::default()
        }
    }

    fn applied(counts: Vec<(String, ImportCounts)>, rescore: BTreeSet<(i64, i64)>) -> Self {
        Outcome {
            counts,
            errors: Vec::new(),
            rescore,
        }
    }
}

/// Rescores the assessments an import changed the inputs of, cycle by cycle; work recorded
/// for an official in a period opens their sheet for it (a draft assessment), as when work is
/// assigned from the cycles page.
async fn rescore(
    txn: &DatabaseTransaction,
    changed: &BTreeSet<(i64, i64)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let mut by_cycle: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for (cycle, official) in changed {
        by_cycle.entry(*cycle).or_default().push(*official);
    }
    for (cycle, officials) in by_cycle {
        crate::ssr::repo::assessments::open_drafts(txn, cycle, &officials, now).await?;
        crate::ssr::service::assessments::recompute(txn, cycle, Some(&officials), now).await?;
    }
    Ok(())
}

/// Whether a row creates a record, changes one (`id`, state before) or matches it exactly.
#[derive(Debug)]
enum Plan<T> {
    Create,
    Update { id: i64, before: T },
    Same,
}

/// Compares the stored record (if any) with the file's version of it.
fn plan<T: PartialEq + Clone>(stored: Option<(i64, &T)>, new: &T) -> Plan<T> {
    match stored {
        None => Plan::Create,
        Some((_, before)) if before == new => Plan::Same,
        Some((id, before)) => Plan::Update {
            id,
            before: before.clone(),
        },
    }
}

/// Counts one entity's writes and collects their audit entries.
#[derive(Debug)]
struct Tally {
    entity: &'static str,
    counts: ImportCounts,
    changes: Vec<Change>,
}

impl Tally {
    fn new(entity: &'static str) -> Self {
        Tally {
            entity,
            counts: ImportCounts::default(),
            changes: Vec::new(),
        }
    }

    fn change(
        &self,
        action: &str,
        key: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Change {
        Change {
            action: action.to_owned(),
            entity: self.entity.to_owned(),
            // The audit column holds 64 characters; long natural keys are cut.
            entity_id: Some(key.chars().take(64).collect()),
            before,
            after,
            unit_id: None,
        }
    }

    /// A record created under natural key `key`.
    fn created(&mut self, key: &str, after: &impl Serialize) {
        self.counts.created += 1;
        let change = self.change("import_create", key, None, serde_json::to_value(after).ok());
        self.changes.push(change);
    }

    /// A record changed from `before` to `after`.
    fn updated(&mut self, key: &str, before: &impl Serialize, after: &impl Serialize) {
        self.counts.updated += 1;
        let change = self.change(
            "import_update",
            key,
            serde_json::to_value(before).ok(),
            serde_json::to_value(after).ok(),
        );
        self.changes.push(change);
    }

    fn unchanged(&mut self) {
        self.counts.unchanged += 1;
    }

    /// Writes the audit entries collected so far once there are [`CHUNK`] of them (they are in
    /// the import's transaction: a later failure still rolls them back).
    async fn spill(&mut self, context: &Context<'_>) -> Result<(), AppError> {
        if self.changes.len() < CHUNK {
            return Ok(());
        }
        let changes = std::mem::take(&mut self.changes);
        let options = context.options;
        audit::record_many(context.txn, &options.actor, changes, options.now).await
    }

    /// Writes the audit entries; returns the counts for the report.
    async fn finish(self, context: &Context<'_>) -> Result<(String, ImportCounts), AppError> {
        audit::record_many(
            context.txn,
            &context.options.actor,
            self.changes,
            context.options.now,
        )
        .await?;
        Ok((self.entity.to_owned(), self.counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cells a spreadsheet could hold: right ones, wrong ones, and hostile ones.
    fn cell() -> impl Strategy<Value = String> {
        const FIXED: &[&str] = &[
            "",
            "  ",
            "0",
            "-0",
            "1",
            "12.5",
            "1,5",
            "1e309",
            "-1e300",
            "NaN",
            "inf",
            "٣",
            "99999999999999999999",
            "2026-11-30",
            "30/11/2026",
            "2026-02-30",
            "có",
            "không",
            "true",
            "false",
            "Công chức",
            "civil_servant",
            "active",
            "Đang công tác",
            "HUE",
            "HUE-S01",
            "2026-11",
            "CB000104",
            "=1+1",
            "@SUM(A1)",
            "\u{0}",
            "\u{feff}x",
            "Nguyễn Văn An",
            "percent",
            "count",
            "increase",
            "<script>",
        ];
        prop_oneof![
            4 => prop::sample::select(FIXED).prop_map(str::to_owned),
            2 => "\\PC{0,12}",
            1 => (0usize..400).prop_map(|n| "á".repeat(n)),
        ]
    }

    /// A table with some kind's headers (each in English or Vietnamese, some left out) and
    /// rows of arbitrary cells.
    fn table() -> impl Strategy<Value = (ImportKind, Table)> {
        prop::sample::select(ImportKind::ALL).prop_flat_map(|kind| {
            let columns = columns(kind);
            let headers = prop::collection::vec((any::<bool>(), 0u8..10), columns.len());
            let rows =
                prop::collection::vec(prop::collection::vec(cell(), 0..=columns.len() + 1), 1..12);
            (Just(kind), headers, rows).prop_map(move |(kind, choice, rows)| {
                let headers = columns
                    .iter()
                    .zip(choice)
                    // A column is left out one time in ten.
                    .filter(|(_, (_, keep))| *keep > 0)
                    .map(|(c, (vi, _))| if vi { c.vi } else { c.key }.to_owned())
                    .collect();
                let rows = rows
                    .iter()
                    .zip(2..)
                    .map(|(cells, n)| table::Row::new(n, cells.iter().map(String::as_str)))
                    .collect();
                (
                    kind,
                    Table {
                        header_row: 1,
                        headers,
                        rows,
                    },
                )
            })
        })
    }

    /// How many rows each importer accepts.
    fn parse(kind: ImportKind, sheet: &Sheet<'_>, errors: &mut Errors) -> usize {
        match kind {
            ImportKind::Units => units::parse(sheet, errors).len(),
            ImportKind::Officials => officials::parse(sheet, errors).len(),
            ImportKind::KeyResults => key_results::parse(sheet, errors).len(),
            ImportKind::Products => products::parse(sheet, errors).len(),
            ImportKind::CheckIns => check_ins::parse(sheet, errors).len(),
        }
    }

    proptest! {
        /// Every row is either read or reported, with its spreadsheet row and a column of the
        /// kind; nothing panics, whatever the cells hold.
        #[test]
        fn every_row_is_read_or_reported((kind, table) in table()) {
            let Ok(sheet) = Sheet::new(&table, columns(kind)) else {
                return Ok(());
            };
            let mut errors = Errors::default();
            let accepted = parse(kind, &sheet, &mut errors);
            let numbers: BTreeSet<u32> = table.rows.iter().map(|r| r.number).collect();
            let mut reported = BTreeSet::new();
            for error in &errors.list {
                prop_assert!(numbers.contains(&error.row), "{error:?}");
                // A header of the file, or the name of a column it lacks.
                let named = table.headers.contains(&error.column)
                    || columns(kind).iter().any(|c| c.key == error.column || c.vi == error.column);
                prop_assert!(named, "{error:?}");
                prop_assert!(messages::KEYS.contains(&error.key.as_str()), "{error:?}");
                reported.insert(error.row);
            }
            prop_assert_eq!(accepted + reported.len(), table.rows.len());
        }
    }

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn kinds_are_detected_from_english_or_vietnamese_headers() {
        assert_eq!(
            detect_kind(&headers(&["code", "name", "kind", "parent_code"])),
            Some(ImportKind::Units)
        );
        assert_eq!(
            detect_kind(&headers(&[
                "Mã cán bộ",
                "Họ và tên",
                "Đối tượng",
                "Chức vụ/vị trí việc làm",
                "Nhóm nhiệm vụ",
                "Mã đơn vị"
            ])),
            Some(ImportKind::Officials)
        );
        assert_eq!(
            detect_kind(&headers(&[
                "cycle_code",
                "personnel_code",
                "kr_code",
                "date",
                "value"
            ])),
            Some(ImportKind::CheckIns)
        );
        assert_eq!(detect_kind(&headers(&["code", "colour"])), None);
    }

    #[test]
    fn every_kind_has_distinct_headers_in_both_languages() {
        for kind in ImportKind::ALL {
            let mut seen = std::collections::BTreeSet::new();
            for column in columns(*kind) {
                assert!(seen.insert(fields::fold(column.key)), "{column:?}");
                assert!(seen.insert(fields::fold(column.vi)), "{column:?}");
            }
        }
    }
}
