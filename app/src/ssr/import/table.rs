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
///
/// The cells are kept as one text and where each ends: two allocations a row instead of one a
/// cell, so that a file of a million rows fits in a few hundred megabytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u32,
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Row {
    /// A row of `cells`, each trimmed.
    pub fn new<'c>(number: u32, cells: impl IntoIterator<Item = &'c str>) -> Row {
        let mut text = String::new();
        let mut ends = Vec::new();
        for cell in cells {
            text.push_str(cell.trim());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Row {
            number,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// The cell at `index`, `None` past the row's last cell.
    pub fn cell(&self, index: usize) -> Option<&str> {
        let end = usize::try_from(*self.ends.get(index)?).ok()?;
        let start = match index.checked_sub(1) {
            Some(previous) => usize::try_from(self.ends[previous]).ok()?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Every cell, in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).filter_map(|i| self.cell(i))
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
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
    /// Builds a table from rows as they are read: the first non-empty row is the header,
    /// wholly empty rows are skipped. Rows are taken one at a time (a reading error stops).
    fn from_rows(raw: impl IntoIterator<Item = Result<Row, RowError>>) -> Result<Table, RowError> {
        let mut table = Table::default();
        let mut header = None;
        for row in raw {
            let row = row?;
            if row.is_empty() {
                continue;
            }
            if header.is_none() {
                header = Some(row);
            } else {
                table.rows.push(row);
            }
        }
        let header = header.ok_or_else(|| file_error("import_err_empty", &[]))?;
        table.header_row = header.number;
        table.headers = header.cells().map(str::to_owned).collect();
        while table.headers.last().is_some_and(String::is_empty) {
            table.headers.pop();
        }
        table.rows.shrink_to_fit();
        Ok(table)
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
    read_csv_from(bytes)
}

/// Reads CSV as [`read_csv`] does, from a reader (a file is read as it is parsed, never held
/// whole in memory).
pub fn read_csv_from(reader: impl std::io::Read) -> Result<Table, RowError> {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let start = reader.fill_buf().map_err(|e| unreadable(&e))?;
    let bom = usize::from(start.starts_with(b"\xEF\xBB\xBF")) * 3;
    let first_line = start[bom..]
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    reader.consume(bom);
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(reader);
    Table::from_rows(reader.into_records().map(|record| {
        let record = record.map_err(|e| unreadable(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let number = u32::try_from(line).map_err(|e| unreadable(&e))?;
        Ok(Row::new(number, record.iter()))
    }))
}

/// The widest sheet read: the import layouts have under twenty columns; a cell further right
/// refuses the file.
const MAX_COLUMNS: u32 = 256;

/// Reads the first sheet of an XLSX workbook. Dates become `YYYY-MM-DD`, whole numbers lose
/// their `.0`, booleans become `true`/`false`. Cells are read one by one and kept by row, never
/// as the rectangle they span: a crafted file with one cell at A1 and one at XFD1048576 would
/// otherwise ask for seventeen billion cells.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, RowError> {
    // calamine can panic on a damaged workbook (an arithmetic overflow in its XML reader,
    // found by the damaged-workbook property test): such a file is refused like any other
    // unreadable one instead of ending the request.
    std::panic::catch_unwind(|| read_xlsx_unguarded(bytes))
        .unwrap_or_else(|_| Err(unreadable(&"damaged workbook")))
}

fn read_xlsx_unguarded(bytes: &[u8]) -> Result<Table, RowError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| file_error("import_err_empty", &[]))?;
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(&e))?;
    let mut rows: BTreeMap<u32, Vec<(usize, String)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            let max = [("max", MAX_COLUMNS.to_string())];
            return Err(file_error("import_err_too_wide", &max));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !text.is_empty() {
            let column = usize::try_from(column).map_err(|e| unreadable(&e))?;
            rows.entry(row).or_default().push((column, text));
        }
    }
    Table::from_rows(rows.into_iter().map(|(row, cells)| {
        let width = cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        let mut line = vec![String::new(); width];
        for (column, text) in cells {
            line[column] = text;
        }
        Ok(Row::new(
            row.saturating_add(1),
            line.iter().map(String::as_str),
        ))
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
    use proptest::prelude::*;

    /// A crafted workbook: a header at A1 and one cell far away. Read cell by cell, it costs
    /// what its cells cost, not the rectangle they span (which aborted the process).
    #[test]
    fn a_cell_far_away_costs_nothing_and_one_too_far_right_is_refused() {
        let sheet_with = |row: u32, column: u16| {
            let mut workbook = rust_xlsxwriter::Workbook::new();
            let sheet = workbook.add_worksheet();
            sheet.write_string(0, 0, "code").expect("header");
            sheet.write_string(row, column, "x").expect("cell");
            workbook.save_to_buffer().expect("xlsx")
        };
        let table = read_xlsx(&sheet_with(1_048_575, 0)).expect("table");
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].number, 1_048_576);
        let error = read_xlsx(&sheet_with(1_048_575, 16_383)).expect_err("too wide");
        assert_eq!(error.key, "import_err_too_wide");
    }

    /// A small valid workbook: a header and three rows, dates and numbers among them.
    fn workbook() -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let rows: [[&str; 3]; 4] = [
            ["personnel_code", "full_name", "unit_code"],
            ["CB1", "Nguyễn Văn An", "HUE"],
            ["CB2", "Trần Thị Bình", "HUE-S01"],
            ["CB3", "Lê Văn Cường", "HUE-X01"],
        ];
        for (r, row) in (0u32..).zip(rows) {
            for (c, text) in (0u16..).zip(row) {
                sheet.write_string(r, c, text).expect("cell");
            }
        }
        sheet.write_number(4, 0, 12.5).expect("number");
        workbook.save_to_buffer().expect("workbook")
    }

    /// What a reader may answer: a table whose rows follow its header, or a file error.
    fn well_formed(read: Result<Table, RowError>) -> Result<(), TestCaseError> {
        match read {
            Ok(table) => {
                for row in &table.rows {
                    prop_assert!(row.number > table.header_row);
                    prop_assert!(row.cells().any(|c| !c.is_empty()));
                }
            }
            Err(error) => {
                prop_assert_eq!(error.row, 0);
                prop_assert!(
                    ["import_err_unreadable", "import_err_empty"].contains(&error.key.as_str()),
                    "{error:?}"
                );
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_bytes_read_as_csv_give_a_table_or_a_file_error(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            well_formed(read_csv(&bytes))?;
        }

        #[test]
        fn any_bytes_read_as_xlsx_give_a_table_or_a_file_error(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            well_formed(read_xlsx(&bytes))?;
        }

        /// A workbook damaged in a few bytes, or cut short: read or refused, never a panic.
        #[test]
        fn a_damaged_workbook_is_read_or_refused(
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            cut in prop::option::of(any::<prop::sample::Index>()),
        ) {
            let mut bytes = workbook();
            for (at, byte) in flips {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            well_formed(read_xlsx(&bytes))?;
        }

        /// Cells written by a CSV writer — commas, quotes, line breaks, accents — come back
        /// trimmed, and rows left wholly empty are skipped.
        #[test]
        fn csv_cells_come_back_as_written(
            rows in prop::collection::vec(prop::collection::vec("[ a-zA-Z0-9,;\"\n\tàđươ]{0,8}", 3), 0..12),
        ) {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["a", "b", "c"]).expect("header");
            for row in &rows {
                writer.write_record(row).expect("row");
            }
            let bytes = writer.into_inner().expect("csv");
            let table = read_csv(&bytes).expect("a written file reads");
            let expected: Vec<Vec<&str>> = rows
                .iter()
                .map(|row| row.iter().map(|c| c.trim()).collect::<Vec<_>>())
                .filter(|row| row.iter().any(|c| !c.is_empty()))
                .collect();
            let read: Vec<Vec<&str>> = table.rows.iter().map(|r| r.cells().collect()).collect();
            prop_assert_eq!(table.headers, ["a", "b", "c"]);
            prop_assert_eq!(read, expected);
        }
    }

    #[test]
    fn csv_with_bom_semicolons_and_blank_lines_keeps_spreadsheet_row_numbers() {
        let table = read_csv("\u{feff}a;b\n 1 ;2\n\n;\n3;4\n".as_bytes()).expect("csv");
        assert_eq!(table.headers, ["a", "b"]);
        assert_eq!(table.header_row, 1);
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 5]);
        assert_eq!(table.rows[0].cells().collect::<Vec<_>>(), ["1", "2"]);
    }

    #[test]
    fn quoted_csv_cells_keep_commas_and_newlines() {
        let table = read_csv(b"a,b\n\"x, y\",\"line\nbreak\"\nz,w\n").expect("csv");
        assert_eq!(
            table.rows[0].cells().collect::<Vec<_>>(),
            ["x, y", "line\nbreak"]
        );
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
