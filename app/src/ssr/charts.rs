//! Charts, drawn on the server as SVG with plotters: pure functions from figures (already
//! aggregated: a few dozen marks at most) to a [`Chart`] — the picture with its title and
//! description inside (`role="img"`), and its numbers as a [`Table`] that the page shows
//! beside it (read without sight) and offers as CSV. Labels come translated from the caller;
//! plotters escapes what it draws, and the title and description are escaped here. The
//! colours are the stylesheet's (`style/main.css`, checked by a test).

use plotters::prelude::*;

use crate::domain::Level;

/// A level's colour (`--level-…` in the stylesheet).
pub fn level_colour(level: Level) -> RGBColor {
    match level {
        Level::Htxsnv => RGBColor(0x1e, 0x7b, 0x45),
        Level::Httnv => RGBColor(0x1f, 0x5f, 0xa8),
        Level::Htnv => RGBColor(0x9a, 0x62, 0x00),
        Level::Khtnv => RGBColor(0xb3, 0x26, 0x1e),
    }
}

/// The colour of a quartile tier, 1 (top) to 4 (`--tier-…` in the stylesheet).
pub fn tier_colour(tier: u8) -> RGBColor {
    match tier {
        1 => RGBColor(0x1e, 0x7b, 0x45),
        2 => RGBColor(0x7c, 0xb3, 0x42),
        3 => RGBColor(0xe0, 0xa1, 0x00),
        _ => RGBColor(0xb3, 0x26, 0x1e),
    }
}

const INK: RGBColor = RGBColor(0x1c, 0x24, 0x30);
const MUTED: RGBColor = RGBColor(0x5b, 0x66, 0x75);
const FONT: &str = "sans-serif";

/// A chart's numbers: a header row and one row per mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table under the translated `headers`.
    fn new(headers: &[&str], rows: Vec<Vec<String>>) -> Self {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        }
    }

    /// The table as CSV (RFC 4180 quoting; a cell that a spreadsheet would read as a formula
    /// is prefixed with `'`).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

fn csv_cell(cell: &str) -> String {
    let guarded = crate::domain::text::spreadsheet_text(cell);
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded.into_owned()
    }
}

/// A drawn chart: the SVG (title and description inside), and its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Unique on the page: the ids of the title and description derive from it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub svg: String,
    pub table: Table,
}

impl From<Chart> for crate::domain::compare::ChartData {
    fn from(chart: Chart) -> Self {
        Self {
            id: chart.id,
            title: chart.title,
            description: chart.description,
            svg: chart.svg,
            headers: chart.table.headers,
            rows: chart.table.rows,
        }
    }
}

/// What any chart is given besides its figures: its id, title and description (translated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    pub id: String,
    pub title: String,
    pub description: String,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Puts the accessible title and description into plotters' SVG and makes it scale with its
/// container (a `viewBox` instead of a fixed size).
fn finish(caption: Caption, svg: String, size: (u32, u32), table: Table) -> Chart {
    let id = escape(&caption.id);
    let head = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\">\n<title id=\"{id}-title\">{title}</title>\n\
         <desc id=\"{id}-desc\">{desc}</desc>\n",
        w = size.0,
        h = size.1,
        title = escape(&caption.title),
        desc = escape(&caption.description),
    );
    // plotters opens with its own `<svg …>` line: replace it.
    let body = svg.split_once('>').map_or("", |(_, rest)| rest);
    Chart {
        id: caption.id,
        title: caption.title,
        description: caption.description,
        svg: format!("{head}{}", body.trim_start_matches('\n')),
        table,
    }
}

/// A dashed line from `from` to `to` (6 drawn, 4 left out), 2 px wide.
fn dashed<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    from: (f64, f64),
    to: (f64, f64),
    colour: RGBColor,
) {
    let length = (to.0 - from.0).hypot(to.1 - from.1);
    if length <= 0.0 {
        return;
    }
    let at = |d: f64| {
        let t = (d / length).min(1.0);
        (
            (from.0 + (to.0 - from.0) * t).round() as i32,
            (from.1 + (to.1 - from.1) * t).round() as i32,
        )
    };
    let mut d = 0.0;
    while d < length {
        let _ = root.draw(&PathElement::new(
            vec![at(d), at(d + 6.0)],
            colour.stroke_width(2),
        ));
        d += 10.0;
    }
}

/// How many officials are at each level, one bar per level (named by `level_names`), and the
/// most the top level may hold under the quota (`top_cap`) as a dashed line across its bar.
pub fn level_distribution(
    caption: Caption,
    counts: [u32; 4],
    top_cap: Option<u32>,
    level_names: [&str; 4],
    headers: [&str; 2],
) -> Chart {
    const SIZE: (u32, u32) = (640, 280);
    let mut svg = String::new();
    let top = counts
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(top_cap.unwrap_or(0))
        .max(1);
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let (width, height) = (f64::from(SIZE.0), f64::from(SIZE.1));
        let (left, bottom, top_margin) = (12.0, 44.0, 24.0);
        let plot_h = height - bottom - top_margin;
        let slot = (width - 2.0 * left) / 4.0;
        let y_of = |n: u32| top_margin + plot_h * (1.0 - f64::from(n) / f64::from(top));
        let px = |v: f64| v.round() as i32;
        let label = TextStyle::from((FONT, 13).into_font()).color(&INK);
        let small = TextStyle::from((FONT, 10).into_font()).color(&MUTED);
        let _ = root.draw(&PathElement::new(
            vec![
                (px(left), px(height - bottom)),
                (px(width - left), px(height - bottom)),
            ],
            MUTED.stroke_width(1),
        ));
        for (i, (level, count)) in Level::ALL.iter().zip(counts).enumerate() {
            let x0 = left + slot * i as f64 + slot * 0.2;
            let x1 = left + slot * (i + 1) as f64 - slot * 0.2;
            let y = y_of(count);
            let _ = root.draw(&Rectangle::new(
                [(px(x0), px(y)), (px(x1), px(height - bottom))],
                level_colour(*level).filled(),
            ));
            let _ = root.draw(&Text::new(
                count.to_string(),
                (px(x0), px(y - 16.0)),
                label.clone(),
            ));
            let _ = root.draw(&Text::new(
                level.code().to_owned(),
                (px(x0), px(height - bottom + 6.0)),
                label.clone(),
            ));
            let name: String = level_names[i].chars().take(30).collect();
            let _ = root.draw(&Text::new(
                name,
                (px(left + slot * i as f64 + 4.0), px(height - bottom + 24.0)),
                small.clone(),
            ));
        }
        if let Some(cap) = top_cap {
            let y = y_of(cap);
            dashed(&root, (left + 2.0, y), (left + slot - 2.0, y), INK);
        }
        let _ = root.present();
    }
    let rows = Level::ALL
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (level, n))| {
            vec![
                format!("{} — {}", level.code(), level_names[i]),
                n.to_string(),
            ]
        })
        .collect();
    let table = Table::new(&headers, rows);
    finish(caption, svg, SIZE, table)
}

/// How many units have an average score in each 5-point band from `low` to 100, each bar in
/// the colour of the tier most of its units are in; the best unit's score is marked.
pub fn score_bands(
    caption: Caption,
    scores: &[(f64, u8)],
    best: Option<f64>,
    headers: [&str; 2],
) -> Chart {
    const SIZE: (u32, u32) = (480, 240);
    const WIDTH: f64 = 5.0;
    let low = scores
        .iter()
        .map(|(s, _)| (s / WIDTH).floor() * WIDTH)
        .fold(100.0_f64, f64::min)
        .clamp(0.0, 95.0);
    let bands = (((100.0 - low) / WIDTH).round() as usize).max(1);
    let mut counts = vec![0_u32; bands];
    let mut tiers = vec![[0_u32; 4]; bands];
    for (score, tier) in scores {
        let i = (((score.clamp(low, 100.0) - low) / WIDTH).floor() as usize).min(bands - 1);
        counts[i] += 1;
        tiers[i][usize::from(tier.clamp(&1, &4) - 1)] += 1;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let top = counts.iter().copied().max().unwrap_or(0).max(1);
        let (width, height) = (f64::from(SIZE.0), f64::from(SIZE.1));
        let (left, bottom, top_margin) = (12.0, 30.0, 22.0);
        let plot_h = height - bottom - top_margin;
        let slot = (width - 2.0 * left) / bands as f64;
        let px = |v: f64| v.round() as i32;
        let label = TextStyle::from((FONT, 12).into_font()).color(&INK);
        for (i, count) in counts.iter().enumerate() {
            let x0 = left + slot * i as f64 + 2.0;
            let x1 = left + slot * (i + 1) as f64 - 2.0;
            let y = top_margin + plot_h * (1.0 - f64::from(*count) / f64::from(top));
            let tier = tiers[i]
                .iter()
                .enumerate()
                .max_by_key(|(_, n)| **n)
                .map_or(4, |(t, _)| u8::try_from(t + 1).unwrap_or(4));
            let _ = root.draw(&Rectangle::new(
                [(px(x0), px(y)), (px(x1), px(height - bottom))],
                tier_colour(tier).filled(),
            ));
            if *count > 0 {
                let _ = root.draw(&Text::new(
                    count.to_string(),
                    (px(x0), px(y - 14.0)),
                    label.clone(),
                ));
            }
            let _ = root.draw(&Text::new(
                format!("{}", (low + WIDTH * i as f64) as i64),
                (px(x0), px(height - bottom + 6.0)),
                label.clone(),
            ));
        }
        if let Some(best) = best {
            let x = left + slot * ((best.clamp(low, 100.0) - low) / WIDTH);
            let _ = root.draw(&PathElement::new(
                vec![(px(x), px(top_margin - 6.0)), (px(x), px(height - bottom))],
                INK.stroke_width(2),
            ));
        }
        let _ = root.present();
    }
    let rows = counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let from = low + WIDTH * i as f64;
            vec![format!("{from:.0}–{:.0}", from + WIDTH), n.to_string()]
        })
        .collect();
    let table = Table::new(&headers, rows);
    finish(caption, svg, SIZE, table)
}

/// An official's score period by period (a gap where a period has none) over the scheme's
/// level bands, each band tinted in its level's colour: `bands` are (level, lowest score),
/// highest first, as the scheme lists them.
pub fn score_trend(
    caption: Caption,
    points: &[(String, Option<f64>)],
    bands: &[(Level, f64)],
    headers: [&str; 2],
) -> Chart {
    const SIZE: (u32, u32) = (640, 260);
    let (width, height) = (f64::from(SIZE.0), f64::from(SIZE.1));
    let (left, right, top_margin, bottom) = (36.0, 16.0, 12.0, 40.0);
    let plot_h = height - top_margin - bottom;
    let y_of = |v: f64| top_margin + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let n = points.len().max(2) - 1;
    let x_of = |i: usize| left + (width - left - right) * i as f64 / n as f64;
    let px = |v: f64| v.round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let small = TextStyle::from((FONT, 11).into_font()).color(&MUTED);
        let mut upper = 100.0;
        for (level, min) in bands {
            let c = level_colour(*level);
            let _ = root.draw(&Rectangle::new(
                [
                    (px(left), px(y_of(upper))),
                    (px(width - right), px(y_of(*min))),
                ],
                c.mix(0.12).filled(),
            ));
            let _ = root.draw(&Text::new(
                format!("{min:.0}"),
                (4, px(y_of(*min)) - 7),
                small.clone(),
            ));
            let _ = root.draw(&Text::new(
                level.code().to_owned(),
                (px(width - right) - 52, px(y_of(upper)) + 2),
                TextStyle::from((FONT, 10).into_font()).color(&c),
            ));
            upper = *min;
        }
        let colour = INK;
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (i, (label, value)) in points.iter().enumerate() {
            let x = px(x_of(i));
            if i % 2 == 0 || points.len() <= 8 {
                let _ = root.draw(&Text::new(
                    label.chars().take(10).collect::<String>(),
                    (x - 18, px(height - bottom) + 8),
                    small.clone(),
                ));
            }
            match value {
                Some(v) => {
                    let p = (x, px(y_of(*v)));
                    let _ = root.draw(&Circle::new(p, 3, colour.filled()));
                    run.push(p);
                }
                None => {
                    let _ = root.draw(&PathElement::new(
                        std::mem::take(&mut run),
                        colour.stroke_width(2),
                    ));
                }
            }
        }
        let _ = root.draw(&PathElement::new(run, colour.stroke_width(2)));
        let _ = root.present();
    }
    let table = Table::new(
        &headers,
        points
            .iter()
            .map(|(label, v)| {
                vec![
                    label.clone(),
                    v.map(|v| format!("{v:.2}")).unwrap_or_default(),
                ]
            })
            .collect(),
    );
    finish(caption, svg, SIZE, table)
}

/// The blue of the lines drawn for a value over time.
const LINE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);

fn day_label(d: chrono::NaiveDate) -> String {
    d.format("%d/%m").to_string()
}

/// A line through `points` with a dot on each, in the blue of values over time.
fn dotted_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    points: Vec<(i32, i32)>,
) {
    for p in &points {
        let _ = root.draw(&Circle::new(*p, 3, LINE.filled()));
    }
    let _ = root.draw(&PathElement::new(points, LINE.stroke_width(2)));
}

/// A faint horizontal line across the plot at `y`, labelled at the left edge.
fn gridline<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x0, x1): (f64, f64),
    y: f64,
    label: String,
    style: &TextStyle,
) {
    let y = y.round() as i32;
    let _ = root.draw(&PathElement::new(
        vec![(x0.round() as i32, y), (x1.round() as i32, y)],
        MUTED.mix(0.3).stroke_width(1),
    ));
    let _ = root.draw(&Text::new(label, (4, y - 7), style.clone()));
}

/// A key result's progress against its pace: each check-in's attainment (0–1) on its day,
/// over the dashed line from 0 at the cycle's start to 100 % at its end (the progress expected
/// by each day), with today marked. The table gives each check-in's progress beside the pace.
pub fn kr_pace(
    caption: Caption,
    (start, end): (chrono::NaiveDate, chrono::NaiveDate),
    today: chrono::NaiveDate,
    points: &[(chrono::NaiveDate, f64)],
    headers: [&str; 3],
) -> Chart {
    use crate::domain::rollup::elapsed;
    const SIZE: (u32, u32) = (480, 200);
    let (width, height) = (f64::from(SIZE.0), f64::from(SIZE.1));
    let (left, right, top_margin, bottom) = (40.0, 16.0, 12.0, 28.0);
    let plot_w = width - left - right;
    let plot_h = height - top_margin - bottom;
    let x_of = |d: chrono::NaiveDate| left + plot_w * elapsed(start, end, d);
    let y_of = |share: f64| top_margin + plot_h * (1.0 - share.clamp(0.0, 1.0));
    let px = |v: f64| v.round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let small = TextStyle::from((FONT, 11).into_font()).color(&MUTED);
        for share in [0.0, 0.5, 1.0] {
            let label = format!("{:.0}%", share * 100.0);
            gridline(&root, (left, width - right), y_of(share), label, &small);
        }
        let _ = root.draw(&Text::new(
            day_label(start),
            (px(left), px(height - bottom) + 8),
            small.clone(),
        ));
        let _ = root.draw(&Text::new(
            day_label(end),
            (px(width - right) - 34, px(height - bottom) + 8),
            small.clone(),
        ));
        dashed(&root, (left, y_of(0.0)), (width - right, y_of(1.0)), MUTED);
        if (start..=end).contains(&today) {
            let x = px(x_of(today));
            let _ = root.draw(&PathElement::new(
                vec![(x, px(top_margin)), (x, px(height - bottom))],
                INK.mix(0.5).stroke_width(1),
            ));
        }
        let path: Vec<(i32, i32)> = points
            .iter()
            .map(|(d, a)| (px(x_of(*d)), px(y_of(*a))))
            .collect();
        dotted_line(&root, path);
        let _ = root.present();
    }
    let percent = |share: f64| format!("{:.0}", share * 100.0);
    let table = Table::new(
        &headers,
        points
            .iter()
            .map(|(d, a)| {
                vec![
                    d.format("%d/%m/%Y").to_string(),
                    percent(*a),
                    percent(elapsed(start, end, *d)),
                ]
            })
            .collect(),
    );
    finish(caption, svg, SIZE, table)
}

/// A unit metric month by month (a rate in %), oldest first, with its target as a dashed
/// line; the scale starts a little below the lowest value or target.
pub fn metric_trend(
    caption: Caption,
    points: &[(chrono::NaiveDate, f64)],
    target: Option<f64>,
    headers: [&str; 3],
) -> Chart {
    const SIZE: (u32, u32) = (480, 200);
    let (width, height) = (f64::from(SIZE.0), f64::from(SIZE.1));
    let (left, right, top_margin, bottom) = (36.0, 40.0, 12.0, 28.0);
    let lowest = points
        .iter()
        .map(|(_, v)| *v)
        .chain(target)
        .fold(100.0_f64, f64::min);
    let low = (((lowest - 2.0) / 5.0).floor() * 5.0).clamp(0.0, 95.0);
    let top = points
        .iter()
        .map(|(_, v)| *v)
        .chain(target)
        .fold(100.0_f64, f64::max);
    let plot_h = height - top_margin - bottom;
    let y_of = |v: f64| top_margin + plot_h * (1.0 - (v.clamp(low, top) - low) / (top - low));
    let n = points.len().max(2) - 1;
    let x_of = |i: usize| left + (width - left - right) * i as f64 / n as f64;
    let px = |v: f64| v.round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let small = TextStyle::from((FONT, 11).into_font()).color(&MUTED);
        for v in [low, top] {
            gridline(
                &root,
                (left, width - right),
                y_of(v),
                format!("{v:.0}"),
                &small,
            );
        }
        if let Some(t) = target {
            let y = y_of(t);
            dashed(&root, (left, y), (width - right, y), INK);
            let _ = root.draw(&Text::new(
                format!("{t:.0}"),
                (px(width - right) + 6, px(y) - 7),
                TextStyle::from((FONT, 11).into_font()).color(&INK),
            ));
        }
        for (i, (month, _)) in points.iter().enumerate() {
            if i % 2 == 0 || points.len() <= 8 {
                let _ = root.draw(&Text::new(
                    month.format("%m/%y").to_string(),
                    (px(x_of(i)) - 14, px(height - bottom) + 8),
                    small.clone(),
                ));
            }
        }
        let path: Vec<(i32, i32)> = points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (px(x_of(i)), px(y_of(*v))))
            .collect();
        dotted_line(&root, path);
        let _ = root.present();
    }
    let table = Table::new(
        &headers,
        points
            .iter()
            .map(|(month, v)| {
                vec![
                    month.format("%m/%Y").to_string(),
                    format!("{v:.1}"),
                    target.map(|t| format!("{t:.1}")).unwrap_or_default(),
                ]
            })
            .collect(),
    );
    finish(caption, svg, SIZE, table)
}

/// Small multiples: one panel per unit (four to a row), each with the share of its rated
/// officials at each level on one common 0–100 % scale, so that units of any size compare at a
/// glance. `headers` name the unit column and the four levels; the table gives the counts.
pub fn level_multiples(
    caption: Caption,
    units: &[(String, [u32; 4])],
    headers: [&str; 5],
) -> Chart {
    const COLUMNS: usize = 4;
    const PANEL: (f64, f64) = (160.0, 96.0);
    let rows = units.len().div_ceil(COLUMNS).max(1);
    let size = (
        (PANEL.0 * COLUMNS as f64) as u32,
        (PANEL.1 * rows as f64) as u32,
    );
    let px = |v: f64| v.round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let name_style = TextStyle::from((FONT, 11).into_font()).color(&INK);
        for (i, (name, counts)) in units.iter().enumerate() {
            let x0 = PANEL.0 * (i % COLUMNS) as f64;
            let y0 = PANEL.1 * (i / COLUMNS) as f64;
            let label: String = name.chars().take(24).collect();
            let _ = root.draw(&Text::new(
                label,
                (px(x0 + 6.0), px(y0 + 4.0)),
                name_style.clone(),
            ));
            let rated = counts.iter().sum::<u32>().max(1);
            let (base, plot_h) = (y0 + PANEL.1 - 10.0, PANEL.1 - 34.0);
            let _ = root.draw(&PathElement::new(
                vec![
                    (px(x0 + 6.0), px(base)),
                    (px(x0 + PANEL.0 - 10.0), px(base)),
                ],
                MUTED.stroke_width(1),
            ));
            let slot = (PANEL.0 - 16.0) / 4.0;
            for (j, (level, n)) in Level::ALL.iter().zip(counts).enumerate() {
                let share = f64::from(*n) / f64::from(rated);
                let bx = x0 + 6.0 + slot * j as f64;
                let _ = root.draw(&Rectangle::new(
                    [
                        (px(bx + 3.0), px(base - plot_h * share)),
                        (px(bx + slot - 3.0), px(base)),
                    ],
                    level_colour(*level).filled(),
                ));
            }
        }
        let _ = root.present();
    }
    let table = Table::new(
        &headers,
        units
            .iter()
            .map(|(name, counts)| {
                std::iter::once(name.clone())
                    .chain(counts.iter().map(u32::to_string))
                    .collect()
            })
            .collect(),
    );
    finish(caption, svg, size, table)
}

/// A sparkline: the values left to right (a gap where one is missing), scaled between 50 and
/// 100 points, as a small inline SVG with its own text for screen readers.
pub fn sparkline(values: &[Option<f64>], label: &str) -> String {
    const SIZE: (u32, u32) = (96, 24);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let n = values.len().max(2) - 1;
        let x_of = |i: usize| (2.0 + 92.0 * i as f64 / n as f64).round() as i32;
        let y_of = |v: f64| (22.0 - 20.0 * ((v.clamp(50.0, 100.0) - 50.0) / 50.0)).round() as i32;
        let mut run: Vec<(i32, i32)> = Vec::new();
        let colour = LINE;
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push((x_of(i), y_of(*v))),
                None => {
                    let _ = root.draw(&PathElement::new(
                        std::mem::take(&mut run),
                        colour.stroke_width(2),
                    ));
                }
            }
        }
        if let Some(last) = run.last().copied() {
            let _ = root.draw(&Circle::new(last, 2, colour.filled()));
        }
        let _ = root.draw(&PathElement::new(run, colour.stroke_width(2)));
        let _ = root.present();
    }
    let body = svg.split_once('>').map_or("", |(_, rest)| rest);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
         aria-label=\"{}\" class=\"sparkline\">{}",
        SIZE.0,
        SIZE.1,
        escape(label),
        body.trim_start_matches('\n')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caption(title: &str) -> Caption {
        Caption {
            id: "c1".into(),
            title: title.into(),
            description: "Mô tả".into(),
        }
    }

    const NAMES: [&str; 4] = [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ];

    #[test]
    fn the_level_distribution_is_drawn_the_same_for_the_same_figures() {
        let chart = level_distribution(
            caption("Phân bố mức xếp loại"),
            [22, 10, 3, 0],
            Some(6),
            NAMES,
            ["Mức", "Số người"],
        );
        insta::assert_snapshot!(chart.svg);
        assert_eq!(
            chart.table.rows[0],
            ["HTXSNV — Hoàn thành xuất sắc nhiệm vụ", "22"]
        );
        // Four bars (one per level) and the quota's dashes: a few dozen marks.
        assert_eq!(chart.svg.matches("<rect").count(), 4);
    }

    #[test]
    fn score_bands_count_units_per_band_and_mark_the_best() {
        let chart = score_bands(
            caption("Điểm bình quân các đơn vị"),
            &[(91.2, 1), (88.0, 1), (84.9, 2), (80.1, 3), (72.0, 4)],
            Some(91.2),
            ["Khoảng điểm", "Số đơn vị"],
        );
        insta::assert_snapshot!(chart.svg);
        let rows: Vec<(&str, &str)> = chart
            .table
            .rows
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("70–75", "1"),
                ("75–80", "0"),
                ("80–85", "2"),
                ("85–90", "1"),
                ("90–95", "1"),
                ("95–100", "0"),
            ]
        );
    }

    #[test]
    fn names_are_escaped_in_the_picture_and_its_caption() {
        let chart = level_distribution(
            Caption {
                id: "x\"y".into(),
                title: "Phường <A&B> \"C\"".into(),
                description: "<script>".into(),
            },
            [1, 0, 0, 0],
            None,
            ["<b>", "&", "\"", "'"],
            ["<h>", "n"],
        );
        for raw in ["<A&B>", "<script>", "<b>", "x\"y"] {
            assert!(!chart.svg.contains(raw), "{raw} escaped");
        }
        assert!(chart.svg.contains("Phường &lt;A&amp;B&gt; &quot;C&quot;"));
        let spark = sparkline(&[Some(80.0), None, Some(90.0)], "<Thuận Hóa>");
        assert!(spark.contains("aria-label=\"&lt;Thuận Hóa&gt;\""));
    }

    #[test]
    fn a_sparkline_breaks_where_a_value_is_missing() {
        let spark = sparkline(&[Some(80.0), Some(85.0), None, Some(90.0), Some(95.0)], "x");
        assert_eq!(spark.matches("<polyline").count(), 2);
        assert!(spark.starts_with("<svg"));
    }

    #[test]
    fn a_score_trend_draws_the_bands_behind_the_scores() {
        let bands = [
            (Level::Htxsnv, 90.0),
            (Level::Httnv, 70.0),
            (Level::Htnv, 50.0),
            (Level::Khtnv, 0.0),
        ];
        let points = [
            ("2026-09".to_owned(), Some(84.5)),
            ("2026-10".to_owned(), None),
            ("2026-11".to_owned(), Some(91.25)),
        ];
        let chart = score_trend(caption("Điểm qua các kỳ"), &points, &bands, ["Kỳ", "Điểm"]);
        insta::assert_snapshot!(chart.svg);
        // One tinted band per level, one dot per score.
        assert_eq!(chart.svg.matches("<rect").count(), 4);
        assert_eq!(chart.svg.matches("<circle").count(), 2);
        assert_eq!(chart.table.rows[1], ["2026-10", ""]);
        assert_eq!(chart.table.rows[2], ["2026-11", "91.25"]);
    }

    #[test]
    fn a_key_results_pace_is_a_dashed_line_from_start_to_target() {
        let d = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let chart = kr_pace(
            caption("Tiến độ: Số hồ sơ được giải quyết"),
            (d(10, 1), d(12, 31)),
            d(11, 30),
            &[(d(10, 26), 0.2), (d(11, 7), 0.35), (d(11, 19), 0.5)],
            ["Ngày", "Tiến độ (%)", "Theo kế hoạch (%)"],
        );
        insta::assert_snapshot!(chart.svg);
        assert_eq!(chart.svg.matches("<circle").count(), 3);
        // 19 Nov is 49 of 91 days in: 54 % expected, 50 % reached.
        assert_eq!(chart.table.rows[2], ["19/11/2026", "50", "54"]);
    }

    #[test]
    fn a_metric_is_drawn_against_its_target() {
        let d = |m| chrono::NaiveDate::from_ymd_opt(2026, m, 28).unwrap_or_default();
        let points = [(d(9), 94.2), (d(10), 95.0), (d(11), 96.4)];
        let chart = metric_trend(
            caption("Tỷ lệ hồ sơ đúng hạn"),
            &points,
            Some(99.0),
            ["Tháng", "Giá trị (%)", "Chỉ tiêu (%)"],
        );
        insta::assert_snapshot!(chart.svg);
        assert_eq!(chart.table.rows[2], ["11/2026", "96.4", "99.0"]);
        let untargeted = metric_trend(caption("x"), &points, None, ["a", "b", "c"]);
        assert_eq!(untargeted.table.rows[0][2], "");
    }

    #[test]
    fn small_multiples_draw_each_units_shares_on_one_scale() {
        let units = [
            ("Phường An Cựu".to_owned(), [8, 20, 3, 1]),
            ("Phường <Thuận Hóa>".to_owned(), [0, 30, 10, 1]),
            ("Xã Phú Vang".to_owned(), [0, 0, 0, 0]),
        ];
        let chart = level_multiples(
            caption("Phân bố mức theo đơn vị"),
            &units,
            ["Đơn vị", "HTXSNV", "HTTNV", "HTNV", "KHTNV"],
        );
        insta::assert_snapshot!(chart.svg);
        assert_eq!(chart.svg.matches("<rect").count(), 12);
        assert!(chart.svg.contains("Phường &lt;Thuận Hóa&gt;"));
        assert_eq!(chart.table.rows[0], ["Phường An Cựu", "8", "20", "3", "1"]);
        // One row of panels for three units.
        assert!(chart.svg.contains("viewBox=\"0 0 640 96\""));
    }

    #[test]
    fn csv_quotes_and_disarms_formulas() {
        let table = Table {
            headers: vec!["Đơn vị".into(), "Điểm".into()],
            rows: vec![
                vec!["=HYPERLINK(\"x\")".into(), "-3.5".into()],
                vec!["Phường A, B".into(), "90".into()],
            ],
        };
        assert_eq!(
            table.to_csv(),
            "Đơn vị,Điểm\r\n\"'=HYPERLINK(\"\"x\"\")\",-3.5\r\n\"Phường A, B\",90\r\n"
        );
    }

    #[test]
    fn the_palette_is_the_stylesheets() {
        let css = include_str!("../../../style/main.css");
        let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        for level in Level::ALL {
            let var = format!(
                "--level-{}: {};",
                level.code().to_lowercase(),
                hex(level_colour(level))
            );
            assert!(css.contains(&var), "{var} in style/main.css");
        }
        for tier in 1..=4 {
            let var = format!("--tier-{tier}: {};", hex(tier_colour(tier)));
            assert!(css.contains(&var), "{var} in style/main.css");
        }
    }
}
