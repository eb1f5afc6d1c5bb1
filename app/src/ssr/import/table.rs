//! Reading an import file (CSV or the first sheet of an XLSX workbook) into rows of text, each
//! with the row number a person sees in a spreadsheet (the header is row 1).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::domain::import::RowError;

/// The file formats an import accepts, chosen by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format of a file name (`.csv`, `.xlsx`, any case); `None` for anything else.
    pub fn of_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// One data row: its spreadsheet row number and its cells, trimmed (missing cells are empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

/// A file's header (as written) and its non-empty data rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Row number of the header (1 unless the sheet starts with empty rows).
    pub header_row: u32,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Builds a table from raw rows `(row number, cells)`: the first non-empty row is the
    /// header, wholly empty rows are skipped, cells are trimmed.
    fn from_rows(raw: impl IntoIterator<Item = (u32, Vec<String>)>) -> Result<Table, RowError> {
        let mut rows = raw
            .into_iter()
            .map(|(number, cells)| Row {
                number,
                cells: cells.into_iter().map(|c| c.trim().to_owned()).collect(),
            })
            .filter(|row| row.cells.iter().any(|c| !c.is_empty()));
        let header = rows
            .next()
            .ok_or_else(|| file_error("import_err_empty", &[]))?;
        let mut headers = header.cells;
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        Ok(Table {
            header_row: header.number,
            headers,
            rows: rows.collect(),
        })
    }
}

/// Reads a file's bytes in the given format.
pub fn read(format: Format, bytes: &[u8]) -> Result<Table, RowError> {
    match format {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }
}

/// Reads UTF-8 CSV (with or without a byte-order mark); the delimiter is `,`, `;` or a tab,
/// whichever the header line uses most.
pub fn read_csv(bytes: &[u8]) -> Result<Table, RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut raw = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let number = u32::try_from(line).map_err(|e| unreadable(&e))?;
        raw.push((number, record.iter().map(str::to_owned).collect()));
    }
    Table::from_rows(raw)
}

/// Reads the first sheet of an XLSX workbook. Dates become `YYYY-MM-DD`, whole numbers lose
/// their `.0`, booleans become `true`/`false`.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, RowError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| file_error("import_err_empty", &[]))?
        .map_err(|e| unreadable(&e))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let raw = range.rows().enumerate().map(|(index, cells)| {
        let number = first_row
            .saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
            .saturating_add(1);
        (number, cells.iter().map(cell_text).collect::<Vec<_>>())
    });
    // Cells left of the range's first column are absent, not empty: pad so headers line up.
    let (_, first_column) = range.start().unwrap_or((0, 0));
    let pad = usize::try_from(first_column).unwrap_or(0);
    Table::from_rows(raw.map(|(number, cells)| {
        let mut padded = vec![String::new(); pad];
        padded.extend(cells);
        (number, padded)
    }))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
    }
}

fn unreadable(error: &dyn std::fmt::Display) -> RowError {
    file_error("import_err_unreadable", &[("detail", error.to_string())])
}

/// An error about the file as a whole (row 0).
pub fn file_error(key: &str, args: &[(&str, String)]) -> RowError {
    RowError {
        row: 0,
        column: String::new(),
        key: key.to_owned(),
        args: to_args(args),
    }
}

pub(super) fn to_args(args: &[(&str, String)]) -> BTreeMap<String, String> {
    args.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_semicolons_and_blank_lines_keeps_spreadsheet_row_numbers() {
        let table = read_csv("\u{feff}a;b\n 1 ;2\n\n;\n3;4\n".as_bytes()).expect("csv");
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.header_row, 1);
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 5]);
        assert_eq!(table.rows[0].cells, ["1", "2"]);
    }

    #[test]
    fn quoted_csv_cells_keep_commas_and_newlines() {
        let table = read_csv(b"a,b\n\"x, y\",\"line\nbreak\"\nz,w\n").expect("csv");
        assert_eq!(table.rows[0].cells, ["x, y", "line\nbreak"]);
        assert_eq!(table.rows[1].number, 4);
    }

    #[test]
    fn an_empty_file_is_reported() {
        let error = read_csv(b"\n\n").expect_err("empty");
        assert_eq!((error.row, error.key.as_str()), (0, "import_err_empty"));
    }

    #[test]
    fn format_is_chosen_by_extension() {
        assert_eq!(Format::of_name("a/b.CSV"), Some(Format::Csv));
        assert_eq!(Format::of_name("x.xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::of_name("x.xls"), None);
        assert_eq!(Format::of_name("noext"), None);
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        let error = read_xlsx(b"not a zip").expect_err("garbage");
        assert_eq!(error.key, "import_err_unreadable");
    }
}
