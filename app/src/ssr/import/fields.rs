//! The row machinery every importer shares: column specifications with English and Vietnamese
//! headers, mapping a file's headers onto them, and typed cell readers that record a
//! [`RowError`] (row, column, translation key, arguments) for every bad cell.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::table::{Row, Table, to_args};
use crate::domain::DomainError;
use crate::domain::import::RowError;

/// One column an importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The English header, also the canonical name (`unit_code`).
    pub key: &'static str,
    /// The Vietnamese header (`Mã đơn vị`).
    pub vi: &'static str,
    /// Whether the column must be present in the file (its cells may still be optional).
    pub required: bool,
    /// Longest accepted text in characters (the database column's size); 0 for no limit.
    pub max_len: usize,
}

/// The column of a domain error's field when the importer named its fields after its columns.
pub fn same_column(field: &str) -> &str {
    field
}

/// A column that must be present.
pub const fn required(key: &'static str, vi: &'static str, max_len: usize) -> Column {
    Column {
        key,
        vi,
        required: true,
        max_len,
    }
}

/// A column that may be left out of the file.
pub const fn optional(key: &'static str, vi: &'static str, max_len: usize) -> Column {
    Column {
        key,
        vi,
        required: false,
        max_len,
    }
}

/// Lower-case ASCII with runs of anything else folded to `_`: `"Mã đơn vị"` → `ma_don_vi`.
/// Used to match headers and enum values whatever their case, accents or spacing.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut folded = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            folded.push(c);
        } else if !folded.is_empty() && !folded.ends_with('_') {
            folded.push('_');
        }
    }
    while folded.ends_with('_') {
        folded.pop();
    }
    folded
}

/// How many of `columns` the headers match, or `None` when some header matches none of them
/// or a required column is missing. Used to detect a file's kind.
pub fn match_score(headers: &[String], columns: &[Column]) -> Option<usize> {
    let mut matched = vec![false; columns.len()];
    for header in headers.iter().filter(|h| !h.is_empty()) {
        let index = find_column(header, columns)?;
        matched[index] = true;
    }
    let all_required = columns.iter().zip(&matched).all(|(c, m)| *m || !c.required);
    all_required.then(|| matched.iter().filter(|m| **m).count())
}

fn find_column(header: &str, columns: &[Column]) -> Option<usize> {
    let folded = fold(header);
    columns
        .iter()
        .position(|c| fold(c.key) == folded || fold(c.vi) == folded)
}

/// A table whose headers have been mapped onto an importer's columns.
#[derive(Debug)]
pub struct Sheet<'a> {
    pub table: &'a Table,
    columns: &'static [Column],
    /// For each column: its position in the file, if present.
    positions: HashMap<&'static str, usize>,
}

impl<'a> Sheet<'a> {
    /// Maps `table`'s headers onto `columns`; every unknown, duplicated or missing column is an
    /// error on the header row.
    pub fn new(table: &'a Table, columns: &'static [Column]) -> Result<Sheet<'a>, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut positions = HashMap::new();
        let header_error = |column: &str, key: &str, args: &[(&str, String)]| RowError {
            row: table.header_row,
            column: column.to_owned(),
            key: key.to_owned(),
            args: to_args(args),
        };
        for (position, header) in table.headers.iter().enumerate() {
            if header.is_empty() {
                continue;
            }
            match find_column(header, columns) {
                None => errors.push(header_error(
                    header,
                    "import_err_unknown_column",
                    &[("header", header.clone())],
                )),
                Some(index) => {
                    if positions.insert(columns[index].key, position).is_some() {
                        errors.push(header_error(
                            header,
                            "import_err_duplicate_column",
                            &[("header", header.clone())],
                        ));
                    }
                }
            }
        }
        for column in columns {
            if column.required && !positions.contains_key(column.key) {
                errors.push(header_error(
                    column.key,
                    "import_err_missing_column",
                    &[("column", format!("{} / {}", column.key, column.vi))],
                ));
            }
        }
        if errors.is_empty() {
            Ok(Sheet {
                table,
                columns,
                positions,
            })
        } else {
            Err(errors)
        }
    }

    /// The header of a column as written in the file (its English name when absent).
    pub fn header(&self, key: &str) -> String {
        self.positions
            .get(key)
            .and_then(|p| self.table.headers.get(*p))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// Whether the file has this column.
    pub fn has(&self, key: &str) -> bool {
        self.positions.contains_key(key)
    }

    fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The trimmed text of a cell ("" when the column or cell is absent).
    pub fn raw<'r>(&self, row: &'r Row, key: &str) -> &'r str {
        self.positions
            .get(key)
            .and_then(|p| row.cell(*p))
            .unwrap_or("")
    }
}

/// Every error found in a file, in the order found.
#[derive(Debug, Default)]
pub struct Errors {
    pub list: Vec<RowError>,
}

#[cfg(test)]
impl Errors {
    /// `(row, column, key)` of every error, for assertions.
    pub fn found(&self) -> Vec<(u32, &str, &str)> {
        self.list
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.key.as_str()))
            .collect()
    }
}

impl Errors {
    /// Records an error on `row`, column `column` (the header as written).
    pub fn push(&mut self, row: u32, column: String, key: &str, args: &[(&str, String)]) {
        self.list.push(RowError {
            row,
            column,
            key: key.to_owned(),
            args: to_args(args),
        });
    }

    /// How many errors so far.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when no error was found.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Reads the cells of one row; each reader records an error and returns `None` for a bad cell.
/// A row is usable when [`Cells::ok`] is true after reading all its fields.
#[derive(Debug)]
pub struct Cells<'s, 'e> {
    sheet: &'s Sheet<'s>,
    pub row: &'s Row,
    errors: &'e mut Errors,
    errors_before: usize,
}

impl<'s, 'e> Cells<'s, 'e> {
    pub fn new(sheet: &'s Sheet<'s>, row: &'s Row, errors: &'e mut Errors) -> Self {
        let errors_before = errors.len();
        Cells {
            sheet,
            row,
            errors,
            errors_before,
        }
    }

    /// True when no cell of this row was rejected.
    pub fn ok(&self) -> bool {
        self.errors.len() == self.errors_before
    }

    /// Records an error on this row, in column `key`.
    pub fn error(&mut self, key: &str, message: &str, args: &[(&str, String)]) {
        let column = self.sheet.header(key);
        self.errors.push(self.row.number, column, message, args);
    }

    /// Records a domain validation error on this row, in the column `column_of` names for
    /// the error's field (the target column for target/start errors).
    pub fn domain_error(&mut self, error: &DomainError, column_of: fn(&str) -> &str) {
        let (field, message, args): (&str, &str, Vec<(&str, String)>) = match error {
            DomainError::Negative { field, value, .. } => (
                field,
                "import_err_negative",
                vec![("value", value.to_string())],
            ),
            DomainError::NotPositive { field, value, .. } => (
                field,
                "import_err_not_positive",
                vec![("value", value.to_string())],
            ),
            DomainError::OutOfRange {
                field,
                value,
                min,
                max,
                ..
            } => (
                field,
                "import_err_out_of_range",
                vec![
                    ("value", value.to_string()),
                    ("min", min.to_string()),
                    ("max", max.to_string()),
                ],
            ),
            DomainError::Exceeds {
                field,
                value,
                limit_field,
                limit,
                ..
            } => (
                field,
                "import_err_exceeds",
                vec![
                    ("value", value.to_string()),
                    ("limit_column", self.sheet.header(column_of(limit_field))),
                    ("limit", limit.to_string()),
                ],
            ),
            DomainError::TargetEqualsStart { value, .. } => (
                "target",
                "import_err_target_equals_start",
                vec![("value", value.to_string())],
            ),
            DomainError::WrongDirection { direction, .. } if direction == "above" => {
                ("target", "import_err_target_not_above_start", Vec::new())
            }
            DomainError::WrongDirection { .. } => {
                ("target", "import_err_target_not_below_start", Vec::new())
            }
            DomainError::NotFinite { field, .. } => (
                field,
                "import_err_invalid",
                vec![("detail", error.to_string())],
            ),
            other => (
                "",
                "import_err_invalid",
                vec![("detail", other.to_string())],
            ),
        };
        self.error(column_of(field), message, &args);
    }

    /// Runs a domain check, recording its error (see [`Cells::domain_error`]).
    pub fn check<T>(
        &mut self,
        result: Result<T, DomainError>,
        column_of: fn(&str) -> &str,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.domain_error(&error, column_of);
                None
            }
        }
    }

    fn text_of(&mut self, key: &str, required: bool) -> Option<&'s str> {
        let raw = self.sheet.raw(self.row, key);
        if raw.is_empty() {
            if required {
                self.error(key, "import_err_required", &[]);
            }
            return None;
        }
        let max_len = self.sheet.column(key).map_or(0, |c| c.max_len);
        if max_len > 0 && raw.chars().count() > max_len {
            self.error(key, "import_err_too_long", &[("max", max_len.to_string())]);
            return None;
        }
        Some(raw)
    }

    /// A required text.
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.text_of(key, true).map(str::to_owned)
    }

    /// An optional text (`None` when empty).
    pub fn opt_text(&mut self, key: &str) -> Option<String> {
        self.text_of(key, false).map(str::to_owned)
    }

    /// A required text, borrowed from the file (for rows kept until the import ends).
    pub fn text_ref(&mut self, key: &str) -> Option<&'s str> {
        self.text_of(key, true)
    }

    /// An optional text borrowed from the file (`None` when empty).
    pub fn opt_text_ref(&mut self, key: &str) -> Option<&'s str> {
        self.text_of(key, false)
    }

    /// Parses an optional cell with `parse`; an unparsable cell is recorded as `message`.
    fn parsed<T>(&mut self, key: &str, message: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let raw = self.sheet.raw(self.row, key);
        if raw.is_empty() {
            return None;
        }
        let value = parse(raw);
        if value.is_none() {
            let raw = raw.to_owned();
            self.error(key, message, &[("value", raw)]);
        }
        value
    }

    fn present(&mut self, key: &str) -> bool {
        if self.sheet.raw(self.row, key).is_empty() {
            self.error(key, "import_err_required", &[]);
            false
        } else {
            true
        }
    }

    /// An optional number (`1.5`, `1,5`).
    pub fn opt_number(&mut self, key: &str) -> Option<f64> {
        self.parsed(key, "import_err_not_number", parse_number)
    }

    /// A required number.
    pub fn number(&mut self, key: &str) -> Option<f64> {
        self.present(key).then(|| self.opt_number(key)).flatten()
    }

    /// An optional whole number (`12`, `12.0`).
    pub fn opt_int(&mut self, key: &str) -> Option<i64> {
        self.parsed(key, "import_err_not_integer", parse_int)
    }

    /// A required whole number.
    pub fn int(&mut self, key: &str) -> Option<i64> {
        self.present(key).then(|| self.opt_int(key)).flatten()
    }

    /// An optional count: a whole number in `0..=2147483647`.
    pub fn opt_count(&mut self, key: &str) -> Option<i32> {
        let n = self.opt_int(key)?;
        match i32::try_from(n) {
            Ok(count) if count >= 0 => Some(count),
            _ if n < 0 => {
                self.error(key, "import_err_negative", &[("value", n.to_string())]);
                None
            }
            _ => {
                let args = [
                    ("value", n.to_string()),
                    ("min", "0".to_owned()),
                    ("max", i32::MAX.to_string()),
                ];
                self.error(key, "import_err_out_of_range", &args);
                None
            }
        }
    }

    /// A required count.
    pub fn count(&mut self, key: &str) -> Option<i32> {
        self.present(key).then(|| self.opt_count(key)).flatten()
    }

    /// An optional yes/no (`true`/`false`, `1`/`0`, `x`, `có`/`không`, `yes`/`no`).
    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        self.parsed(key, "import_err_not_boolean", parse_bool)
    }

    /// An optional date (`2025-07-01` or `01/07/2025`).
    pub fn opt_date(&mut self, key: &str) -> Option<NaiveDate> {
        self.parsed(key, "import_err_not_date", parse_date)
    }

    /// A required date.
    pub fn date(&mut self, key: &str) -> Option<NaiveDate> {
        self.present(key).then(|| self.opt_date(key)).flatten()
    }

    /// An optional choice among `options`: each value has its code first, then aliases
    /// (compared folded, so `Cán bộ` matches `can_bo`).
    pub fn opt_choice<T: Copy>(&mut self, key: &str, options: &[(T, &[&str])]) -> Option<T> {
        let raw = self.sheet.raw(self.row, key);
        if raw.is_empty() {
            return None;
        }
        let folded = fold(raw);
        let found = options
            .iter()
            .find(|(_, names)| names.iter().any(|n| fold(n) == folded))
            .map(|(value, _)| *value);
        if found.is_none() {
            let allowed = options
                .iter()
                .filter_map(|(_, names)| names.first().copied())
                .collect::<Vec<_>>()
                .join(", ");
            let raw = raw.to_owned();
            self.error(
                key,
                "import_err_not_one_of",
                &[("value", raw), ("allowed", allowed)],
            );
        }
        found
    }

    /// A required choice (see [`Cells::opt_choice`]).
    pub fn choice<T: Copy>(&mut self, key: &str, options: &[(T, &[&str])]) -> Option<T> {
        self.present(key)
            .then(|| self.opt_choice(key, options))
            .flatten()
    }
}

fn parse_number(raw: &str) -> Option<f64> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let normal =
        if compact.contains(',') && !compact.contains('.') && compact.matches(',').count() == 1 {
            compact.replace(',', ".")
        } else {
            compact
        };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn parse_int(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().or_else(|| {
        let value = parse_number(raw)?;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "only whole numbers well inside the i64 range are converted"
        )]
        let whole = (value.fract() == 0.0 && value.abs() < 9e15).then_some(value as i64);
        whole
    })
}

fn parse_bool(raw: &str) -> Option<bool> {
    match fold(raw).as_str() {
        "true" | "1" | "x" | "yes" | "y" | "co" | "c" => Some(true),
        "false" | "0" | "no" | "n" | "khong" | "k" => Some(false),
        _ => None,
    }
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    let day = raw.split([' ', 'T']).next().unwrap_or(raw);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%d/%m/%Y"))
        .ok()
}

/// Finds duplicate natural keys within a file: the first row of each key is kept, later rows
/// are reported with the row number of the first.
#[derive(Debug)]
pub struct Seen<K> {
    first: HashMap<K, u32>,
}

impl<K: std::hash::Hash + Eq> Default for Seen<K> {
    fn default() -> Self {
        Seen {
            first: HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq> Seen<K> {
    /// Records `key` on this row; a repeat is an error in `column` naming `shown` and the
    /// first row. Returns true when the key is new.
    pub fn first(&mut self, cells: &mut Cells<'_, '_>, column: &str, key: K, shown: &str) -> bool {
        match self.first.get(&key) {
            Some(first_row) => {
                let first_row = first_row.to_string();
                cells.error(
                    column,
                    "import_err_duplicate_in_file",
                    &[("value", shown.to_owned()), ("first_row", first_row)],
                );
                false
            }
            None => {
                self.first.insert(key, cells.row.number);
                true
            }
        }
    }
}

/// Dependency levels for rows that may reference other rows of the same file (a unit's
/// parent, an official's reviewer): a row's level is one more than that of the row it needs,
/// so rows can be written level by level. Returns the levels, or the rows on a cycle.
pub fn levels(depends_on: &[Option<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    const UNKNOWN: usize = usize::MAX;
    let mut level = vec![UNKNOWN; depends_on.len()];
    let mut on_cycle = Vec::new();
    for start in 0..depends_on.len() {
        let mut path = Vec::new();
        let mut at = start;
        // Walk up until a row with a known level, a row without dependency, or a repeat.
        loop {
            if level[at] != UNKNOWN {
                break;
            }
            if path.contains(&at) {
                for row in path.drain(..) {
                    if !on_cycle.contains(&row) {
                        on_cycle.push(row);
                    }
                }
                break;
            }
            path.push(at);
            match depends_on[at] {
                Some(next) if next < depends_on.len() => at = next,
                _ => break,
            }
        }
        for row in path.into_iter().rev() {
            level[row] = match depends_on[row] {
                Some(next) if next < depends_on.len() && level[next] != UNKNOWN => level[next] + 1,
                Some(next) if next < depends_on.len() => UNKNOWN,
                _ => 0,
            };
        }
    }
    // Rows depending on a cycle are reported with it.
    for (row, found) in level.iter().enumerate() {
        if *found == UNKNOWN && !on_cycle.contains(&row) {
            on_cycle.push(row);
        }
    }
    if on_cycle.is_empty() {
        Ok(level)
    } else {
        on_cycle.sort_unstable();
        Err(on_cycle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        required("unit_code", "Mã đơn vị", 8),
        optional("is_leader", "Lãnh đạo, quản lý", 0),
        optional("weight", "Trọng số", 0),
    ];

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            header_row: 1,
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: rows
                .iter()
                .zip(2..)
                .map(|(cells, number)| Row::new(number, cells.iter().copied()))
                .collect(),
        }
    }

    #[test]
    fn folding_ignores_accents_case_and_punctuation() {
        assert_eq!(fold("Mã đơn vị"), "ma_don_vi");
        assert_eq!(fold("  Lãnh đạo, quản lý "), "lanh_dao_quan_ly");
        assert_eq!(fold("unit_code"), "unit_code");
    }

    #[test]
    fn vietnamese_and_english_headers_map_to_the_same_columns() {
        let t = table(&["MÃ ĐƠN VỊ", "weight"], &[]);
        let sheet = Sheet::new(&t, COLUMNS).expect("mapped");
        assert_eq!(sheet.header("unit_code"), "MÃ ĐƠN VỊ");
        assert!(sheet.has("weight"));
        assert!(!sheet.has("is_leader"));
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_all_reported() {
        let t = table(&["weight", "Trọng số", "colour"], &[]);
        let errors = Sheet::new(&t, COLUMNS).expect_err("bad headers");
        let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "import_err_duplicate_column",
                "import_err_unknown_column",
                "import_err_missing_column"
            ]
        );
        assert!(errors.iter().all(|e| e.row == 1));
    }

    #[test]
    fn cell_readers_record_every_bad_cell_with_row_and_header() {
        let t = table(
            &["Mã đơn vị", "is_leader", "weight"],
            &[
                &["HUE-S01", "có", "0,25"],
                &["", "maybe", "abc"],
                &["TOO-LONG-CODE", "", "1"],
            ],
        );
        let sheet = Sheet::new(&t, COLUMNS).expect("mapped");
        let mut errors = Errors::default();
        let mut read = |row: &Row| {
            let mut cells = Cells::new(&sheet, row, &mut errors);
            let values = (
                cells.text("unit_code"),
                cells.opt_bool("is_leader"),
                cells.opt_number("weight"),
            );
            (cells.ok(), values)
        };
        assert_eq!(
            read(&t.rows[0]),
            (true, (Some("HUE-S01".into()), Some(true), Some(0.25)))
        );
        assert!(!read(&t.rows[1]).0);
        assert!(!read(&t.rows[2]).0);
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "Mã đơn vị", "import_err_required"),
                (3, "is_leader", "import_err_not_boolean"),
                (3, "weight", "import_err_not_number"),
                (4, "Mã đơn vị", "import_err_too_long"),
            ]
        );
    }

    #[test]
    fn numbers_dates_and_integers_accept_spreadsheet_spellings() {
        assert_eq!(parse_number("1 234.5"), Some(1234.5));
        assert_eq!(parse_number("1,5"), Some(1.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_int("12.0"), Some(12));
        assert_eq!(parse_int("12.5"), None);
        assert_eq!(
            parse_date("01/07/2025"),
            NaiveDate::from_ymd_opt(2025, 7, 1)
        );
        assert_eq!(
            parse_date("2025-07-01 00:00:00"),
            NaiveDate::from_ymd_opt(2025, 7, 1)
        );
        assert_eq!(parse_date("2025-13-01"), None);
    }

    #[test]
    fn levels_order_rows_after_the_rows_they_need() {
        assert_eq!(
            levels(&[None, Some(0), Some(1), Some(0)]),
            Ok(vec![0, 1, 2, 1])
        );
        assert_eq!(levels(&[Some(2), None, Some(1)]), Ok(vec![2, 0, 1]));
    }

    #[test]
    fn levels_report_cycles_and_rows_hanging_from_them() {
        assert_eq!(
            levels(&[Some(1), Some(0), None, Some(0)]),
            Err(vec![0, 1, 3])
        );
        assert_eq!(levels(&[Some(0)]), Err(vec![0]));
    }
}
