//! The public results of units, for citizens (no sign-in): for each commune, ward and agency
//! its service metrics as the feeds sent them (the Decision 766 service index, the on-time and
//! online rates …), with their trend over the last months, and the shares of levels of its
//! officials in its last closed cycles — unit aggregates only, never a person's name or score,
//! and no shares where few were rated ([`crate::domain::publish`]).

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use sea_orm::ConnectionTrait;

use crate::domain::level::Level;
use crate::domain::publish::{Trend, level_shares};
use crate::error::AppError;
use crate::ssr::charts::{self, Caption, Chart};
use crate::ssr::import::messages::{Lang, tr};
use crate::ssr::repo::compare;
use crate::ssr::repo::metrics::{self, MetricDef};
use crate::ssr::repo::public::{self, ClosedCycle, Listed};

/// The metrics a list of units shows side by side, and each unit's page draws.
pub const HEADLINE: [&str; 3] = ["service_index", "procedures_on_time_rate", "online_rate"];
/// Closed cycles a unit's page shows.
pub const CYCLES: u64 = 6;
/// Units a page lists.
pub const PAGE: u64 = 50;
/// How far back a page reads metric values.
const WINDOW_DAYS: u64 = 400;
/// Months a metric's chart draws.
const CHART_POINTS: usize = 12;

/// A metric's values for one unit, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricResult {
    pub key: String,
    /// In the reader's language, from the catalogue.
    pub name: String,
    pub unit_of_measure: String,
    /// The highest value the metric takes (a score is shown out of it).
    pub max_value: f64,
    pub source_system: String,
    pub latest: Option<(NaiveDate, f64)>,
    pub trend: Option<Trend>,
    /// The last months drawn, for the headline metrics with two values or more.
    pub chart: Option<Chart>,
}

/// A closed cycle of a unit as published.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleResult {
    /// `Tháng 10 năm 2026` …
    pub label: String,
    pub officials: u32,
    pub rated: u32,
    /// The shares of the rated at each level, highest first; `None` where few were rated.
    pub shares: Option<[f64; 4]>,
}

/// A unit listed with its headline metrics' newest values (in [`HEADLINE`] order).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLine {
    pub unit: Listed,
    pub values: Vec<Option<(f64, Option<Trend>)>>,
}

/// The units listed under a unit, one page of them.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitList {
    /// The headline metrics' names, the columns.
    pub columns: Vec<String>,
    pub lines: Vec<UnitLine>,
    pub total: u64,
    /// 1-based.
    pub page: u64,
    pub pages: u64,
}

/// The public page of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResults {
    pub unit: Listed,
    /// (code, name) of the unit above, if any.
    pub parent: Option<(String, String)>,
    /// Active officials now, in the unit and the units under it.
    pub officials: u64,
    pub metrics: Vec<MetricResult>,
    pub cycles: Vec<CycleResult>,
    /// The published cycles' shares drawn side by side, oldest first.
    pub levels_chart: Option<Chart>,
    /// The communes, wards and agencies under the unit, when it has any.
    pub units: Option<UnitList>,
}

/// The provinces and cities, where a citizen starts.
pub async fn roots(db: &impl ConnectionTrait) -> Result<Vec<Listed>, AppError> {
    public::roots(db).await
}

/// The public page of the current unit `code` (`NotFound` for none), `page` of the units
/// under it (1-based), as of `today`, in `lang`.
pub async fn unit(
    db: &impl ConnectionTrait,
    code: &str,
    page: u64,
    today: NaiveDate,
    lang: Lang,
) -> Result<UnitResults, AppError> {
    let unit = public::current_by_code(db, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let info = compare::unit_info(db, unit.id).await?;
    let catalogue = metrics::catalogue(db).await?;
    let from = today
        .checked_sub_days(Days::new(WINDOW_DAYS))
        .unwrap_or(today);
    let keys: BTreeSet<String> = catalogue.iter().map(|m| m.key.clone()).collect();
    let values =
        metrics::values_between(db, &keys, &BTreeSet::from([unit.id]), (from, today)).await?;
    let mut ordered: Vec<&MetricDef> = catalogue.iter().collect();
    ordered.sort_by_key(|m| {
        (
            HEADLINE
                .iter()
                .position(|h| *h == m.key)
                .unwrap_or(HEADLINE.len()),
            m.key.clone(),
        )
    });
    let metrics = ordered
        .into_iter()
        .filter_map(|m| {
            let mut series = values.get(&(m.key.clone(), unit.id))?.clone();
            series.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
            Some(metric_result(m, &series, lang))
        })
        .collect();
    let closed = public::closed_levels(db, unit.id, CYCLES).await?;
    let cycles: Vec<CycleResult> = closed.iter().map(|c| cycle_result(c, lang)).collect();
    let levels_chart = levels_chart(&cycles, &closed, lang);
    let (listed, total) =
        public::published_under(db, unit.id, PAGE, page.saturating_sub(1) * PAGE).await?;
    let units = if total == 0 {
        None
    } else {
        Some(unit_list(db, &catalogue, listed, total, page, (from, today), lang).await?)
    };
    let officials = crate::ssr::repo::headcount::active_under(db, &[unit.id]).await?;
    Ok(UnitResults {
        unit,
        parent: info.parent.map(|(_, code, name)| (code, name)),
        officials,
        metrics,
        cycles,
        levels_chart,
        units,
    })
}

fn name_of(m: &MetricDef, lang: Lang) -> String {
    match lang {
        Lang::Vi => m.name_vi.clone(),
        Lang::En => m.name_en.clone(),
    }
}

/// One metric of a unit from its values, newest first.
fn metric_result(m: &MetricDef, newest_first: &[(NaiveDate, f64)], lang: Lang) -> MetricResult {
    let latest = newest_first.first().copied();
    let span = m.max_value - m.min_value;
    let trend = latest.and_then(|(_, v)| Trend::of(v, newest_first.get(1).map(|(_, b)| *b), span));
    let name = name_of(m, lang);
    let chart = (HEADLINE.contains(&m.key.as_str()) && newest_first.len() >= 2).then(|| {
        let oldest_first: Vec<(NaiveDate, f64)> = newest_first
            .iter()
            .take(CHART_POINTS)
            .rev()
            .copied()
            .collect();
        charts::metric_trend(
            Caption {
                id: format!("public-{}", m.key),
                title: name.clone(),
                description: tr(lang, "public_metric_chart_desc", &[]),
            },
            &oldest_first,
            None,
            [
                &tr(lang, "unit_metric_month", &[]),
                &tr(lang, "unit_metric_value", &[]),
                &tr(lang, "unit_metric_target", &[]),
            ],
        )
    });
    MetricResult {
        key: m.key.clone(),
        name,
        unit_of_measure: m.unit_of_measure.clone(),
        max_value: m.max_value,
        source_system: m.source_system.clone(),
        latest,
        trend,
        chart,
    }
}

/// The period of a cycle in words: `Tháng 10 năm 2026`, `Quý 4 năm 2026`, `Năm 2026`.
pub fn period_words(lang: Lang, kind: &str, number: i32, year: i32, code: &str) -> String {
    let args = [("number", number.to_string()), ("year", year.to_string())];
    match kind {
        "month" => tr(lang, "export_period_month", &args),
        "quarter" => tr(lang, "export_period_quarter", &args),
        "year" => tr(lang, "export_period_year", &args),
        _ => code.to_owned(),
    }
}

fn cycle_result(c: &ClosedCycle, lang: Lang) -> CycleResult {
    CycleResult {
        label: period_words(lang, &c.period_kind, c.period_no, c.year, &c.code),
        officials: c.officials,
        rated: c.levels.iter().sum(),
        shares: level_shares(c.officials, c.levels),
    }
}

/// The level names, highest first (`Hoàn thành xuất sắc nhiệm vụ (HTXSNV)` …).
pub fn level_names(lang: Lang) -> [String; 4] {
    use crate::domain::explain::{self, Lang as Words};
    let words = match lang {
        Lang::Vi => Words::Vi,
        Lang::En => Words::En,
    };
    Level::ALL.map(|l| explain::level_with_name(l.code(), words))
}

/// The published cycles' counts as small multiples, oldest first; none when no cycle is.
fn levels_chart(cycles: &[CycleResult], closed: &[ClosedCycle], lang: Lang) -> Option<Chart> {
    let panels: Vec<(String, [u32; 4])> = cycles
        .iter()
        .zip(closed)
        .filter(|(c, _)| c.shares.is_some())
        .map(|(c, raw)| (c.label.clone(), raw.levels))
        .rev()
        .collect();
    if panels.is_empty() {
        return None;
    }
    let names = level_names(lang);
    let cycle = tr(lang, "public_cycle", &[]);
    Some(charts::level_multiples(
        Caption {
            id: "public-levels".into(),
            title: tr(lang, "public_levels_title", &[]),
            description: tr(lang, "public_levels_chart_desc", &[]),
        },
        &panels,
        [&cycle, &names[0], &names[1], &names[2], &names[3]],
    ))
}

/// A page of the units under a unit, each with its headline metrics' newest values.
async fn unit_list(
    db: &impl ConnectionTrait,
    catalogue: &[MetricDef],
    listed: Vec<Listed>,
    total: u64,
    page: u64,
    window: (NaiveDate, NaiveDate),
    lang: Lang,
) -> Result<UnitList, AppError> {
    let keys: BTreeSet<String> = HEADLINE.iter().map(|k| (*k).to_owned()).collect();
    let ids: BTreeSet<i64> = listed.iter().map(|u| u.id).collect();
    let values = metrics::values_between(db, &keys, &ids, window).await?;
    let span = |key: &str| {
        catalogue
            .iter()
            .find(|m| m.key == key)
            .map_or(100.0, |m| m.max_value - m.min_value)
    };
    let lines = listed
        .into_iter()
        .map(|unit| {
            let values = HEADLINE
                .iter()
                .map(|key| {
                    let mut series = values.get(&((*key).to_owned(), unit.id))?.clone();
                    series.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
                    let (_, newest) = *series.first()?;
                    let before = series.get(1).map(|(_, v)| *v);
                    Some((newest, Trend::of(newest, before, span(key))))
                })
                .collect();
            UnitLine { unit, values }
        })
        .collect();
    let columns = HEADLINE
        .iter()
        .map(|key| {
            catalogue
                .iter()
                .find(|m| m.key == *key)
                .map_or_else(|| (*key).to_owned(), |m| name_of(m, lang))
        })
        .collect();
    Ok(UnitList {
        columns,
        lines,
        total,
        page,
        pages: total.div_ceil(PAGE),
    })
}
