//! Exports for the Department of Home Affairs: the classification list of a unit in a cycle as
//! XLSX (title row, bold header, widths, scores with 2 decimals) or CSV (UTF-8 with a
//! byte-order mark so Excel shows the diacritics), with full Vietnamese level names.

use std::collections::HashMap;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::domain::EXPLAIN_KEYS_JSON;
use crate::domain::num::round2;
use crate::domain::text::spreadsheet_text;
use crate::error::AppError;
use crate::ssr::import::fields::fold;
use crate::ssr::import::messages::{Lang, tr};
use crate::ssr::repo::{cycles, officials, org_units};

/// One official's line of the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassificationRow {
    /// Position in the list, from 1.
    pub no: u32,
    /// The official's personnel code.
    pub code: String,
    pub full_name: String,
    pub position: String,
    pub unit: String,
    /// The computed score (points, 0–100), if assessed.
    pub score: Option<f64>,
    /// Level codes (`HTXSNV` … `KHTNV`, `NOT_CLASSIFIED`), if set.
    pub proposed_level: Option<String>,
    pub approved_level: Option<String>,
    pub notes: String,
}

/// The classification list of one unit in one cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassificationList {
    pub unit_code: String,
    pub unit_name: String,
    pub cycle_code: String,
    /// `month`, `quarter` or `year`, with the year and period number, for the title.
    pub period_kind: String,
    pub year: i32,
    pub period_no: i32,
    pub rows: Vec<ClassificationRow>,
}

/// The officials whose current unit is `unit_code`, with their assessment in `cycle_code`,
/// sorted by name (accent-folded, then as written). `NotFound` when the unit or cycle is unknown.
pub async fn classification_list(
    db: &impl ConnectionTrait,
    unit_code: &str,
    cycle_code: &str,
) -> Result<ClassificationList, AppError> {
    let unit = org_units::all_stored(db)
        .await?
        .into_iter()
        .find(|u| u.unit.code == unit_code)
        .ok_or(AppError::NotFound)?;
    let cycle = cycles::find_by_code(db, cycle_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut people = officials::in_unit(db, unit.id).await?;
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let mut assessments = officials::assessments_in_cycle(db, cycle.id, &ids).await?;
    people.sort_by_cached_key(|p| (fold(&p.fields.full_name), p.fields.full_name.clone(), p.id));
    let rows = people
        .into_iter()
        .zip(1..)
        .map(|(person, no)| {
            let assessment = assessments.remove(&person.id);
            ClassificationRow {
                no,
                code: person.fields.personnel_code,
                full_name: person.fields.full_name,
                position: person.fields.job_position,
                unit: unit.unit.name.clone(),
                score: assessment.as_ref().and_then(|a| a.score),
                proposed_level: assessment.as_ref().and_then(|a| a.proposed_level.clone()),
                approved_level: assessment.as_ref().and_then(|a| a.approved_level.clone()),
                notes: assessment.map(|a| a.notes).unwrap_or_default(),
            }
        })
        .collect();
    Ok(ClassificationList {
        unit_code: unit.unit.code,
        unit_name: unit.unit.name,
        cycle_code: cycle.code,
        period_kind: cycle.period_kind,
        year: cycle.year,
        period_no: cycle.period_no,
        rows,
    })
}

/// The full name of a level code (`HTXSNV` → `Hoàn thành xuất sắc nhiệm vụ`); the code itself
/// when unknown.
pub fn level_name(lang: Lang, code: &str) -> String {
    static NAMES: std::sync::OnceLock<HashMap<String, HashMap<String, String>>> =
        std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| serde_json::from_str(EXPLAIN_KEYS_JSON).unwrap_or_default());
    let lang = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    names
        .get(&format!("level.{code}"))
        .and_then(|t| t.get(lang))
        .cloned()
        .unwrap_or_else(|| code.to_owned())
}

/// The period as words: `Tháng 10 năm 2025`, `Quý 4 năm 2025`, `Năm 2025`.
pub fn period_label(lang: Lang, list: &ClassificationList) -> String {
    crate::ssr::service::public::period_words(
        lang,
        &list.period_kind,
        list.period_no,
        list.year,
        &list.cycle_code,
    )
}

/// The column headers (`STT`, `Họ và tên`, …) and their widths in characters.
pub(crate) const COLUMNS: [(&str, f64); 8] = [
    ("export_col_no", 6.0),
    ("export_col_full_name", 28.0),
    ("export_col_position", 32.0),
    ("export_col_unit", 30.0),
    ("export_col_score", 9.0),
    ("export_col_proposed", 30.0),
    ("export_col_approved", 30.0),
    ("export_col_notes", 30.0),
];

/// The cells of one row as text (the score with 2 decimals).
pub(crate) fn text_cells(lang: Lang, row: &ClassificationRow) -> [String; 8] {
    let level = |code: &Option<String>| {
        code.as_deref()
            .map(|c| level_name(lang, c))
            .unwrap_or_default()
    };
    [
        row.no.to_string(),
        row.full_name.clone(),
        row.position.clone(),
        row.unit.clone(),
        row.score
            .map(|s| format!("{:.2}", round2(s)))
            .unwrap_or_default(),
        level(&row.proposed_level),
        level(&row.approved_level),
        row.notes.clone(),
    ]
}

/// The list as an XLSX workbook: a merged title row, a blank row, the bold header row (frozen)
/// and one row per official.
pub fn to_xlsx(lang: Lang, list: &ClassificationList) -> Result<Vec<u8>, AppError> {
    write_xlsx(lang, list).map_err(AppError::internal)
}

fn write_xlsx(lang: Lang, list: &ClassificationList) -> Result<Vec<u8>, XlsxError> {
    const HEADER_ROW: u32 = 2;
    let title = tr(
        lang,
        "export_title",
        &[
            ("unit", list.unit_name.clone()),
            ("period", period_label(lang, list)),
        ],
    );
    let title_format = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0x00D9_E1F2));
    let cell_format = Format::new().set_border(FormatBorder::Thin);
    let score_format = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.00");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(
        list.cycle_code
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect::<String>(),
    )?;
    sheet.merge_range(0, 0, 0, 7, &title, &title_format)?;
    sheet.set_row_height(0, 24)?;
    for (col, (key, width)) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(HEADER_ROW, col, tr(lang, key, &[]), &header_format)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    for (row_number, row) in (HEADER_ROW + 1..).zip(&list.rows) {
        let cells = text_cells(lang, row);
        sheet.write_number_with_format(row_number, 0, row.no, &cell_format)?;
        for (col, text) in (1u16..).zip(&cells[1..4]) {
            sheet.write_string_with_format(row_number, col, text, &cell_format)?;
        }
        match row.score {
            Some(score) => {
                sheet.write_number_with_format(row_number, 4, round2(score), &score_format)?
            }
            None => sheet.write_blank(row_number, 4, &score_format)?,
        };
        for (col, text) in (5u16..).zip(&cells[5..]) {
            sheet.write_string_with_format(row_number, col, text, &cell_format)?;
        }
    }
    workbook.save_to_buffer()
}

/// The list as CSV: UTF-8 with a byte-order mark, the header row, one row per official.
pub fn to_csv(lang: Lang, list: &ClassificationList) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer
        .write_record(COLUMNS.iter().map(|(key, _)| tr(lang, key, &[])))
        .map_err(AppError::internal)?;
    for row in &list.rows {
        let cells = text_cells(lang, row);
        writer
            .write_record(cells.iter().map(|c| spreadsheet_text(c).into_owned()))
            .map_err(AppError::internal)?;
    }
    writer.into_inner().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> ClassificationList {
        ClassificationList {
            unit_code: "HUE-S02".into(),
            unit_name: "Sở Nội vụ".into(),
            cycle_code: "2025-10".into(),
            period_kind: "month".into(),
            year: 2025,
            period_no: 10,
            rows: vec![ClassificationRow {
                no: 1,
                code: "CC0001".into(),
                full_name: "Đặng Thị Ánh".into(),
                position: "Chuyên viên".into(),
                unit: "Sở Nội vụ".into(),
                score: Some(91.256),
                proposed_level: Some("HTXSNV".into()),
                approved_level: None,
                notes: String::new(),
            }],
        }
    }

    #[test]
    fn levels_have_their_full_vietnamese_names() {
        assert_eq!(
            level_name(Lang::Vi, "HTXSNV"),
            "Hoàn thành xuất sắc nhiệm vụ"
        );
        assert_eq!(level_name(Lang::Vi, "KHTNV"), "Không hoàn thành nhiệm vụ");
        assert_eq!(level_name(Lang::Vi, "??"), "??");
    }

    #[test]
    fn csv_cells_that_would_start_a_formula_are_disarmed() {
        let mut list = list();
        list.rows[0].full_name = "=HYPERLINK(\"http://x\")".into();
        list.rows[0].notes = "@SUM(1)".into();
        let text = String::from_utf8(to_csv(Lang::En, &list).expect("csv")).expect("utf-8");
        let row = text.lines().nth(1).expect("row");
        assert!(row.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{row}");
        assert!(row.ends_with(",'@SUM(1)"), "{row}");
    }

    #[test]
    fn csv_starts_with_a_bom_and_keeps_diacritics() {
        let bytes = to_csv(Lang::Vi, &list()).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes).expect("utf-8");
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some(
                "STT,Họ và tên,Chức vụ/vị trí việc làm,Đơn vị,Điểm,Mức đề xuất,Mức được duyệt,Ghi chú"
            )
        );
        assert_eq!(
            lines.next(),
            Some("1,Đặng Thị Ánh,Chuyên viên,Sở Nội vụ,91.26,Hoàn thành xuất sắc nhiệm vụ,,")
        );
    }

    #[test]
    fn the_period_reads_as_words() {
        assert_eq!(period_label(Lang::Vi, &list()), "Tháng 10 năm 2025");
        assert_eq!(period_label(Lang::En, &list()), "Month 10 of 2025");
    }
}
