//! The printable forms of the classification for the Department of Home Affairs: a unit's list
//! (A4 landscape, the header repeated on every page) and one official's form (A4 portrait), in
//! the layout of an administrative document (Decree 30/2020: the agency and the national motto
//! at the top, the date, the title, the signatures). The text is set in DejaVu Serif Condensed
//! (`app/fonts`, its licence beside it), shaped with rustybuzz and embedded as a subset by
//! krilla, so every Vietnamese diacritic prints as typed on any machine.
//!
//! The pages are first laid out as a list of drawing operations ([`Op`]), then written: the
//! layout is what the tests check, the writing is krilla's.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::error::AppError;
use crate::ssr::export::{COLUMNS, ClassificationList, ClassificationRow, level_name, text_cells};
use crate::ssr::import::messages::{Lang, tr};

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSerifCondensed.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSerifCondensed-Bold.ttf");

/// A4 in points, portrait.
const A4: (f32, f32) = (595.0, 842.0);
/// Decree 30/2020's margins: 30 mm left, 20 mm top, right and bottom.
const MARGIN_LEFT: f32 = 85.0;
const MARGIN: f32 = 57.0;
const BODY: f32 = 11.0;
const SMALL: f32 = 9.5;
const TITLE: f32 = 13.0;
const PAD: f32 = 3.0;

/// One face: the font krilla embeds and the same bytes for rustybuzz to measure with.
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Face {
        Face {
            font: Font::new(bytes.into(), 0).expect("the bundled font parses"),
            shaper: rustybuzz::Face::from_slice(bytes, 0).expect("the bundled font parses"),
        }
    }

    /// The advance of `text` at `size` points, as krilla will set it.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let glyphs = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.shaper.units_per_em() as f32
    }
}

fn face(bold: bool) -> &'static Face {
    static FACES: OnceLock<(Face, Face)> = OnceLock::new();
    let (regular, bold_face) = FACES.get_or_init(|| (Face::load(REGULAR), Face::load(BOLD)));
    if bold { bold_face } else { regular }
}

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    size: f32,
    bold: bool,
}

const NORMAL: Style = Style {
    size: BODY,
    bold: false,
};
const STRONG: Style = Style {
    size: BODY,
    bold: true,
};

impl Style {
    fn width(self, text: &str) -> f32 {
        face(self.bold).width(text, self.size)
    }

    fn leading(self) -> f32 {
        self.size * 1.3
    }

    /// `text` broken into lines no wider than `max` (at spaces; a word wider than a line is
    /// broken between letters); a line per paragraph at least.
    fn wrap(self, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for ch in word.chars() {
                    line.push(ch);
                    if self.width(&line) > max && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, ch.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

/// A drawing operation on a page; `y` grows downwards from the top edge, text at its baseline.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
    },
    /// A light fill behind a header row.
    Shade {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Pages being laid out, with a cursor going down the current one.
struct Layout {
    size: (f32, f32),
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new(size: (f32, f32)) -> Layout {
        Layout {
            size,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn left(&self) -> f32 {
        MARGIN_LEFT
    }

    fn right(&self) -> f32 {
        self.size.0 - MARGIN
    }

    /// Room left above the footer.
    fn room(&self) -> f32 {
        self.size.1 - MARGIN - SMALL * 2.0 - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    fn text(&mut self, x: f32, baseline: f32, style: Style, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y: baseline,
                style,
                text,
            });
        }
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.push(Op::Line { from, to });
    }

    /// `text` wrapped and centred between `left` and `right` from the top `y`; returns the
    /// bottom.
    fn centred(&mut self, (left, right): (f32, f32), y: f32, style: Style, text: &str) -> f32 {
        let mut y = y;
        for line in style.wrap(text, right - left) {
            y += style.leading();
            let x = left + (right - left - style.width(&line)) / 2.0;
            self.text(x, y - style.size * 0.3, style, line);
        }
        y
    }

    /// The agency on the left, the national motto on the right, the date under the motto.
    fn letterhead(&mut self, lang: Lang, unit: &str, today: NaiveDate) {
        let (left, right) = (self.left(), self.right());
        let split = left + (right - left) * 0.42;
        let agency = self.centred((left, split), self.y, STRONG, &unit.to_uppercase());
        let rule = |layout: &mut Layout, bounds: (f32, f32), y: f32| {
            let middle = (bounds.0 + bounds.1) / 2.0;
            layout.line((middle - 40.0, y + 3.0), (middle + 40.0, y + 3.0));
        };
        rule(self, (left, split), agency);
        let nation = self.centred((split, right), self.y, STRONG, &tr(lang, "pdf_nation", &[]));
        let motto = self.centred((split, right), nation, STRONG, &tr(lang, "pdf_motto", &[]));
        let motto_width = STRONG.width(&tr(lang, "pdf_motto", &[]));
        let middle = (split + right) / 2.0;
        self.line(
            (middle - motto_width / 2.0, motto + 3.0),
            (middle + motto_width / 2.0, motto + 3.0),
        );
        let date = tr(
            lang,
            "pdf_date",
            &[
                ("day", format!("{:02}", today.day())),
                ("month", format!("{:02}", today.month())),
                ("year", today.year().to_string()),
            ],
        );
        let dated = self.centred((split, right), motto + 8.0, NORMAL, &date);
        self.y = agency.max(dated) + 18.0;
    }

    /// The document's title and its period, centred.
    fn title(&mut self, title: &str, period: &str) {
        let bounds = (self.left(), self.right());
        let style = Style {
            size: TITLE,
            bold: true,
        };
        let bottom = self.centred(bounds, self.y, style, title);
        self.y = self.centred(bounds, bottom, STRONG, period) + 12.0;
    }

    /// Two signature blocks side by side, on a new page when they do not fit.
    fn signatures(&mut self, lang: Lang, who: [&str; 2]) {
        let height = STRONG.leading() * 2.0 + 70.0;
        if self.room() < height {
            self.new_page();
        }
        let (left, right) = (self.left(), self.right());
        let middle = (left + right) / 2.0;
        let hint = Style {
            size: SMALL,
            bold: false,
        };
        let mut bottom = self.y;
        for (bounds, key) in [((left, middle), who[0]), ((middle, right), who[1])] {
            let title = self.centred(bounds, self.y + 10.0, STRONG, &tr(lang, key, &[]));
            bottom = bottom.max(self.centred(bounds, title, hint, &tr(lang, "pdf_sign", &[])));
        }
        self.y = bottom + 70.0;
    }

    /// A table: the header row shaded and repeated on each page, cells wrapped in their
    /// column, a row never split across pages (a cell taller than a page is cut with `…`).
    fn table(&mut self, widths: &[f32], header: &[String], rows: &[Vec<String>]) {
        let header_lines = self.cells(widths, header, STRONG);
        self.header_row(widths, &header_lines);
        let page_room = self.size.1 - 2.0 * MARGIN - SMALL * 2.0 - self.row_height(&header_lines);
        let most = ((page_room - 2.0 * PAD) / NORMAL.leading())
            .floor()
            .max(1.0) as usize;
        for row in rows {
            let mut lines = self.cells(widths, row, NORMAL);
            for cell in &mut lines {
                if cell.len() > most {
                    cell.truncate(most);
                    if let Some(last) = cell.last_mut() {
                        last.push('…');
                    }
                }
            }
            if self.room() < self.row_height(&lines) {
                self.new_page();
                self.header_row(widths, &header_lines);
            }
            self.row(widths, &lines, NORMAL);
        }
    }

    fn cells(&self, widths: &[f32], cells: &[String], style: Style) -> Vec<Vec<String>> {
        widths
            .iter()
            .zip(cells)
            .map(|(width, text)| style.wrap(text, width - 2.0 * PAD))
            .collect()
    }

    fn row_height(&self, lines: &[Vec<String>]) -> f32 {
        let most = lines.iter().map(Vec::len).max().unwrap_or(1);
        most as f32 * NORMAL.leading() + 2.0 * PAD
    }

    fn header_row(&mut self, widths: &[f32], lines: &[Vec<String>]) {
        let (x, y, w) = (self.left(), self.y, widths.iter().sum());
        let h = self.row_height(lines);
        self.push(Op::Shade { x, y, w, h });
        self.row(widths, lines, STRONG);
    }

    /// One row of cells with its borders; moves the cursor under it.
    fn row(&mut self, widths: &[f32], lines: &[Vec<String>], style: Style) {
        let (top, height) = (self.y, self.row_height(lines));
        let bottom = top + height;
        let mut x = self.left();
        self.line((x, top), (x, bottom));
        for (width, cell) in widths.iter().zip(lines) {
            for (i, line) in cell.iter().enumerate() {
                let baseline = top + PAD + (i as f32 + 1.0) * style.leading() - style.size * 0.3;
                self.text(x + PAD, baseline, style, line.clone());
            }
            x += width;
            self.line((x, top), (x, bottom));
        }
        self.line((self.left(), top), (x, top));
        self.line((self.left(), bottom), (x, bottom));
        self.y = bottom;
    }

    /// "Page i/n" at the bottom of each page, then the document.
    fn finish(mut self, lang: Lang, title: &str) -> Result<Vec<u8>, AppError> {
        let count = self.pages.len();
        let style = Style {
            size: SMALL,
            bold: false,
        };
        let baseline = self.size.1 - MARGIN + SMALL;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let label = tr(
                lang,
                "pdf_page",
                &[("page", (i + 1).to_string()), ("pages", count.to_string())],
            );
            let x = (self.size.0 - style.width(&label)) / 2.0;
            page.push(Op::Text {
                x,
                y: baseline,
                style,
                text: label,
            });
        }
        write(self.size, &self.pages, lang, title)
    }
}

/// The pages as a PDF document.
fn write(
    size: (f32, f32),
    pages: &[Vec<Op>],
    lang: Lang,
    title: &str,
) -> Result<Vec<u8>, AppError> {
    let mut document = Document::new();
    let language = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned())
            .creator("Thước đo".to_owned()),
    );
    let settings =
        PageSettings::from_wh(size.0, size.1).ok_or_else(|| AppError::internal("page size"))?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| AppError::internal(format!("writing the PDF: {e:?}")))
}

fn draw(surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text { x, y, style, text } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
            surface.draw_text(
                Point::from_xy(*x, *y),
                face(style.bold).font.clone(),
                style.size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Line { from, to } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Shade { x, y, w, h } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: rgb::Color::new(0xD9, 0xE1, 0xF2).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

/// The columns of the printed list: those of the spreadsheet but the unit (the list is one
/// unit's), with their shares of the page's width.
const LIST_COLUMNS: [(usize, f32); 7] = [
    (0, 0.045),
    (1, 0.175),
    (2, 0.175),
    (4, 0.065),
    (5, 0.18),
    (6, 0.18),
    (7, 0.18),
];

/// The level a row ends with: approved, else proposed.
fn final_level(row: &ClassificationRow) -> Option<&str> {
    row.approved_level
        .as_deref()
        .or(row.proposed_level.as_deref())
}

/// The unit's list: letterhead, title, the table, the count at each level, signatures.
pub fn unit_list(
    lang: Lang,
    list: &ClassificationList,
    today: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let (layout, title) = list_layout(lang, list, today);
    layout.finish(lang, &title)
}

/// The pages of the unit's list, and the document's title.
fn list_layout(lang: Lang, list: &ClassificationList, today: NaiveDate) -> (Layout, String) {
    let mut layout = Layout::new((A4.1, A4.0));
    layout.letterhead(lang, &list.unit_name, today);
    let title = tr(lang, "pdf_list_title", &[]);
    let period = format!(
        "{} — {}",
        list.unit_name,
        crate::ssr::export::period_label(lang, list)
    );
    layout.title(&title, &period);
    let total = layout.right() - layout.left();
    let widths: Vec<f32> = LIST_COLUMNS
        .iter()
        .map(|(_, share)| share * total)
        .collect();
    let header: Vec<String> = LIST_COLUMNS
        .iter()
        .map(|(i, _)| tr(lang, COLUMNS[*i].0, &[]))
        .collect();
    let rows: Vec<Vec<String>> = list
        .rows
        .iter()
        .map(|row| {
            let cells = text_cells(lang, row);
            LIST_COLUMNS
                .iter()
                .map(|(i, _)| cells[*i].clone())
                .collect()
        })
        .collect();
    layout.table(&widths, &header, &rows);
    let mut summary = vec![tr(
        lang,
        "pdf_total",
        &[("count", list.rows.len().to_string())],
    )];
    for code in ["HTXSNV", "HTTNV", "HTNV", "KHTNV"] {
        let count = list
            .rows
            .iter()
            .filter(|r| final_level(r) == Some(code))
            .count();
        summary.push(format!("{}: {count}", level_name(lang, code)));
    }
    let summary = summary.join("; ");
    let lines = NORMAL.wrap(&summary, total);
    if layout.room() < lines.len() as f32 * NORMAL.leading() + 8.0 {
        layout.new_page();
    }
    layout.y += 8.0;
    for line in lines {
        layout.y += NORMAL.leading();
        let (x, y) = (layout.left(), layout.y);
        layout.text(x, y, NORMAL, line);
    }
    layout.signatures(lang, ["pdf_sign_prepared", "pdf_sign_head"]);
    (layout, format!("{title} — {period}"))
}

/// One official's form: letterhead, title, the official's lines, signatures.
pub fn official_form(
    lang: Lang,
    list: &ClassificationList,
    row: &ClassificationRow,
    today: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let (layout, title) = form_layout(lang, list, row, today);
    layout.finish(lang, &title)
}

/// The pages of one official's form, and the document's title.
fn form_layout(
    lang: Lang,
    list: &ClassificationList,
    row: &ClassificationRow,
    today: NaiveDate,
) -> (Layout, String) {
    let mut layout = Layout::new(A4);
    layout.letterhead(lang, &list.unit_name, today);
    let title = tr(lang, "pdf_form_title", &[]);
    let period = crate::ssr::export::period_label(lang, list);
    layout.title(&title, &period);
    let cells = text_cells(lang, row);
    let label_width = 150.0;
    let value_left = layout.left() + label_width;
    let value_width = layout.right() - value_left;
    for i in [1usize, 2, 3, 4, 5, 6, 7] {
        let label = format!("{}:", tr(lang, COLUMNS[i].0, &[]));
        let value = if cells[i].is_empty() {
            "—".to_owned()
        } else {
            cells[i].clone()
        };
        let lines = NORMAL.wrap(&value, value_width);
        if layout.room() < lines.len() as f32 * NORMAL.leading() + 6.0 {
            layout.new_page();
        }
        layout.y += 6.0;
        let first = layout.y + NORMAL.leading();
        let x = layout.left();
        layout.text(x, first, STRONG, label);
        for line in lines {
            layout.y += NORMAL.leading();
            let y = layout.y;
            layout.text(value_left, y, NORMAL, line);
        }
    }
    layout.y += 12.0;
    layout.signatures(lang, ["pdf_sign_official", "pdf_sign_head"]);
    (layout, format!("{title} — {} — {period}", row.full_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(no: u32, name: &str, notes: &str) -> ClassificationRow {
        ClassificationRow {
            no,
            code: format!("CC{no:04}"),
            full_name: name.into(),
            position: "Chuyên viên một cửa".into(),
            unit: "Phường An Cựu".into(),
            score: Some(91.5),
            proposed_level: Some("HTXSNV".into()),
            approved_level: Some("HTTNV".into()),
            notes: notes.into(),
        }
    }

    fn list(rows: usize) -> ClassificationList {
        ClassificationList {
            unit_code: "HUE-P01".into(),
            unit_name: "Phường An Cựu".into(),
            cycle_code: "2026".into(),
            period_kind: "year".into(),
            year: 2026,
            period_no: 1,
            rows: (1..=rows as u32)
                .map(|i| row(i, &format!("Nguyễn Thị Ngọc Ánh {i}"), ""))
                .collect(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
    }

    fn texts(pages: &[Vec<Op>]) -> Vec<String> {
        pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn wrapping_keeps_every_word_and_each_line_fits() {
        let text = "Hoàn thành xuất sắc nhiệm vụ, được giao thêm nhiệm vụ đột xuất của Ủy ban nhân dân phường";
        let lines = NORMAL.wrap(text, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| NORMAL.width(l) <= 120.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        // A word wider than the line is broken between letters.
        let long = NORMAL.wrap("ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ", 50.0);
        assert!(long.len() > 1 && long.iter().all(|l| NORMAL.width(l) <= 50.0));
        assert_eq!(long.concat(), "ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ");
    }

    #[test]
    fn vietnamese_is_measured_by_the_embedded_font() {
        // Diacritics have their own glyphs: "Ánh" is not measured as zero or as "Anh" plus
        // nothing, and bold is wider than regular.
        assert!(NORMAL.width("Ánh") > 0.0);
        assert!(STRONG.width("Nguyễn Thị Ánh") > NORMAL.width("Nguyễn Thị Ánh"));
    }

    #[test]
    fn a_long_list_runs_over_pages_with_the_header_on_each() {
        let (layout, _) = list_layout(Lang::Vi, &list(60), today());
        assert!(layout.pages.len() >= 3, "{} pages", layout.pages.len());
        for page in &layout.pages {
            let texts = texts(std::slice::from_ref(page));
            assert!(texts.iter().any(|t| t == "Họ và tên"), "header missing");
            // Nothing drawn below the footer's line.
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= A4.0 - MARGIN, "text at {y}");
                }
            }
        }
        let all = texts(&layout.pages);
        // Every row drawn once: its number in the first column, its name (wrapped) beside it.
        let first_column: Vec<String> = layout
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { x, text, .. } if *x == MARGIN_LEFT + PAD => Some(text.clone()),
                _ => None,
            })
            .collect();
        for i in 1..=60 {
            let number = first_column.iter().filter(|t| **t == i.to_string()).count();
            assert_eq!(number, 1, "row {i}");
        }
        let names = all.iter().filter(|t| t.starts_with("Nguyễn Thị")).count();
        assert_eq!(names, 60);
    }

    #[test]
    fn a_cell_taller_than_a_page_is_cut_not_lost_off_the_page() {
        let mut list = list(1);
        list.rows[0].notes = "Ghi chú dài ".repeat(400);
        let mut layout = Layout::new((A4.1, A4.0));
        let cells = text_cells(Lang::Vi, &list.rows[0]);
        let widths = [200.0, 200.0];
        layout.table(
            &widths,
            &["A".into(), "B".into()],
            &[vec![cells[1].clone(), cells[7].clone()]],
        );
        for op in layout.pages.iter().flatten() {
            if let Op::Text { y, .. } = op {
                assert!(*y <= A4.0 - MARGIN, "text at {y}");
            }
        }
        assert!(texts(&layout.pages).iter().any(|t| t.ends_with('…')));
    }

    #[test]
    fn the_documents_are_pdf_with_the_fonts_embedded() {
        for bytes in [
            unit_list(Lang::Vi, &list(3), today()).expect("list"),
            official_form(Lang::En, &list(1), &list(1).rows[0], today()).expect("form"),
        ] {
            assert!(bytes.starts_with(b"%PDF-"));
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("/FontFile2"), "no embedded font");
            assert!(
                text.contains("DejaVuSerifCondensed"),
                "not the bundled font"
            );
            assert!(!text.contains("/Helvetica"), "a base font instead of ours");
        }
    }

    #[test]
    fn the_list_counts_each_level_as_it_ends() {
        let mut list = list(3);
        list.rows[1].approved_level = None; // proposed HTXSNV stands
        list.rows[2].proposed_level = None;
        list.rows[2].approved_level = None; // not classified
        let (layout, title) = list_layout(Lang::Vi, &list, today());
        assert!(
            title.contains("Phường An Cựu") && title.contains("Năm 2026"),
            "{title}"
        );
        let all = texts(&layout.pages).join(" ");
        assert!(all.contains("Tổng số: 3"), "{all}");
        assert!(all.contains("Hoàn thành xuất sắc nhiệm vụ: 1"), "{all}");
        assert!(all.contains("Hoàn thành tốt nhiệm vụ: 1"), "{all}");
        assert!(all.contains("PHƯỜNG AN CỰU"), "{all}");
        assert!(all.contains("Ngày 07 tháng 12 năm 2026"), "{all}");
        assert!(all.contains("THỦ TRƯỞNG ĐƠN VỊ"), "{all}");
    }

    #[test]
    fn the_form_names_the_official_both_levels_and_the_reason() {
        let list = list(1);
        let mut row = list.rows[0].clone();
        row.notes = "Hạ một mức theo tỷ lệ".into();
        let (layout, title) = form_layout(Lang::Vi, &list, &row, today());
        assert!(title.contains("Nguyễn Thị Ngọc Ánh 1"), "{title}");
        let all = texts(&layout.pages);
        for expected in [
            "Họ và tên:",
            "Nguyễn Thị Ngọc Ánh 1",
            "91.50",
            "Hoàn thành xuất sắc nhiệm vụ",
            "Hoàn thành tốt nhiệm vụ",
            "Hạ một mức theo tỷ lệ",
            "NGƯỜI ĐƯỢC ĐÁNH GIÁ",
        ] {
            assert!(
                all.iter().any(|t| t == expected),
                "{expected} not in {all:?}"
            );
        }
        let (english, _) = form_layout(Lang::En, &list, &row, today());
        let all = texts(&english.pages);
        assert!(all.iter().any(|t| t == "Full name:"), "{all:?}");
        assert!(
            all.iter().any(|t| t == "Excellently completed tasks"),
            "{all:?}"
        );
    }
}
