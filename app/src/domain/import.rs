//! What an import of a spreadsheet reports: the kind of file, the counts per entity, and every
//! rejected cell with a translation key — the same shapes for the web page, the command line
//! and the tests.

use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// What a bulk import file holds.
    pub enum ImportKind {
        Units = "units",
        Officials = "officials",
        KeyResults = "key_results",
        Products = "products",
        CheckIns = "check_ins",
    }
}

/// One rejected cell of an import file. `row` is the spreadsheet row number (the header is
/// row 1; 0 means the file as a whole), `column` the header as written in the file (or the
/// canonical column name when the column is missing), `key` a translation key (`import_err_*`
/// in `app/locales/*.json`) and `args` its named arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub key: String,
    pub args: std::collections::BTreeMap<String, String>,
}

/// How many records of one entity an import created, changed or left as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// The outcome of an import (or of its dry run): per-entity counts when the file is valid, or
/// every error found. `committed` is true only when changes were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub kind: Option<ImportKind>,
    pub dry_run: bool,
    pub committed: bool,
    /// Data rows read (the header excluded).
    pub rows: u32,
    /// Per entity (`org_unit`, `official`, `objective`, `key_result`, `product`, `check_in`),
    /// in the order they were written.
    pub counts: Vec<(String, ImportCounts)>,
    pub errors: Vec<RowError>,
}
