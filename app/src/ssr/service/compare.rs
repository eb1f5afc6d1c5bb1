//! The leadership comparison: the units of the reader's scope in one cycle, from the rollups
//! the write services keep current, with tiers, flags, staffing and trends.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, authorize};
use crate::domain::Level;
use crate::domain::access::{Action, Principal, scope};
use crate::domain::compare::{
    ChartData, ComparedUnit, Comparison, CycleChoice, MergedUnit, StatusRow, UnitDashboard,
    UnitRef, flags, staffing_gap, tiers, top_cap,
};
use crate::domain::explain::Lang;
use crate::domain::vocab::UnitKind;
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::ssr::auth::guard::{official_target, unit_target};
use crate::ssr::charts::{self, Caption};
use crate::ssr::repo::compare::{self, Filter};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::rollups;

/// Units on one page of the comparison.
pub const PAGE_SIZE: u32 = 100;
/// Cycles a trend spans (the cycle compared and those before it, of the same kind).
pub const TREND_CYCLES: usize = 6;

/// What the reader asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub cycle: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent: Option<i64>,
    /// From 1.
    pub page: u32,
}

/// The comparison of the units `principal` may read (the subtrees of their grants).
pub async fn units(
    db: &impl ConnectionTrait,
    principal: &Principal,
    request: Request,
    lang: Lang,
) -> Result<Comparison, AppError> {
    let roots = scope(principal, Action::Read).subtrees;
    let all_cycles = cycles::started(db).await?;
    let chosen = choose(db, &all_cycles, request.cycle.as_deref(), &roots).await?;
    let page = request.page.max(1);
    let mut comparison = Comparison {
        cycles: choices(&all_cycles),
        cycle: chosen.map(|c| c.code.clone()),
        units: Vec::new(),
        total: 0,
        page,
        page_size: PAGE_SIZE,
        best: None,
        distribution: None,
        flagged: 0,
    };
    let Some(cycle) = chosen else {
        return Ok(comparison);
    };
    if roots.is_empty() {
        return Ok(comparison);
    }
    let filter = Filter {
        kind: request.kind,
        parent: request.parent,
    };
    let all = compare::scores(db, cycle.id, &roots, filter).await?;
    let tier_of: HashMap<i64, u8> = all
        .iter()
        .zip(tiers(&all.iter().map(|s| s.avg_score).collect::<Vec<_>>()))
        .filter_map(|(s, t)| Some((s.unit_id, t?)))
        .collect();
    comparison.total = all.len() as u64;
    comparison.flagged = all.iter().filter(|s| !flags(s.levels).is_empty()).count() as u64;
    let offset = u64::from(page - 1) * u64::from(PAGE_SIZE);
    let rows = compare::page(db, cycle.id, &roots, filter, u64::from(PAGE_SIZE), offset).await?;
    let trend_cycles = trend_cycles(&all_cycles, cycle);
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let trends = compare::trends(db, &ids, &trend_cycles).await?;
    let locale = locale(lang);
    comparison.units = rows
        .into_iter()
        .map(|r| {
            let s = &r.summary;
            let levels = [s.htxsnv, s.httnv, s.htnv, s.khtnv];
            let values: Vec<Option<f64>> = trend_cycles
                .iter()
                .map(|c| trends.get(&(r.unit_id, *c)).copied().flatten())
                .collect();
            let label = format!("{}: {}", r.name, td_string!(locale, compare_trend_label));
            ComparedUnit {
                gap: staffing_gap(r.officials, r.approved),
                tier: tier_of.get(&r.unit_id).copied(),
                flags: flags(levels),
                trend_svg: charts::sparkline(&values, &label),
                unit_id: r.unit_id,
                code: r.code,
                name: r.name,
                kind: r.kind,
                officials: r.officials,
                approved: r.approved,
                assessed: s.assessed,
                avg_score: s.avg_score,
                levels,
                at_risk_key_results: s.at_risk_key_results,
                stale_key_results: s.stale_key_results,
            }
        })
        .collect();
    // The best unit is the reference on every page.
    comparison.best = all
        .first()
        .and_then(|best| Some((best.name.clone(), best.avg_score?)));
    let scored: Vec<(f64, u8)> = all
        .iter()
        .filter_map(|s| Some((s.avg_score?, *tier_of.get(&s.unit_id)?)))
        .collect();
    if !scored.is_empty() {
        let best = scored.first().map(|(s, _)| *s);
        let chart = charts::score_bands(
            Caption {
                id: "score-bands".into(),
                title: td_string!(locale, compare_chart_title).to_string(),
                description: format!(
                    "{} {}: {}.",
                    td_string!(locale, compare_chart_desc),
                    td_string!(locale, compare_chart_scored),
                    scored.len()
                ),
            },
            &scored,
            best,
            [
                td_string!(locale, compare_chart_band),
                td_string!(locale, compare_chart_units),
            ],
        );
        comparison.distribution = Some(ChartData {
            id: chart.id,
            title: chart.title,
            svg: chart.svg,
            headers: chart.table.headers,
            rows: chart.table.rows,
        });
    }
    Ok(comparison)
}

/// Periods an official's trend shows at most.
pub const TREND_PERIODS: usize = 12;

/// An official's score over the periods of the scheme of their latest scored assessment (at
/// most the last [`TREND_PERIODS`]), drawn over the scheme's level bands; for whoever may
/// read the official's records (a refusal is audited). `None` before any score.
pub async fn official_trend(
    db: &DatabaseConnection,
    actor: &Actor,
    official_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<ChartData>, AppError> {
    let target = official_target(db, official_id).await?;
    let what = ("official", official_id);
    authorize(db, actor, &[Action::Read], &target, what, now).await?;
    let rows = crate::ssr::repo::assessments::of_official(db, official_id).await?;
    let latest = rows
        .iter()
        .filter(|(a, _)| a.computed_score.is_some())
        .max_by_key(|(_, c)| c.ends_on);
    let Some((_, latest)) = latest else {
        return Ok(None);
    };
    let scheme = crate::domain::builtin_scheme(&latest.scheme_id).map_err(AppError::internal)?;
    let mut periods: Vec<(&Cycle, Option<f64>)> = rows
        .iter()
        .filter(|(_, c)| c.scheme_id == latest.scheme_id && c.period_kind == latest.period_kind)
        .map(|(a, c)| (c, a.computed_score))
        .collect();
    periods.sort_by_key(|(c, _)| c.starts_on);
    let skip = periods.len().saturating_sub(TREND_PERIODS);
    let points: Vec<(String, Option<f64>)> = periods
        .into_iter()
        .skip(skip)
        .map(|(c, s)| (c.code.clone(), s))
        .collect();
    let bands: Vec<(Level, f64)> = scheme
        .bands
        .bands
        .iter()
        .map(|b| (b.level, b.min))
        .chain(std::iter::once((scheme.bands.below_all, 0.0)))
        .collect();
    let locale = locale(lang);
    let drawn = charts::score_trend(
        Caption {
            id: "trend".into(),
            title: td_string!(locale, official_trend_title).to_string(),
            description: td_string!(locale, official_trend_desc).to_string(),
        },
        &points,
        &bands,
        [
            td_string!(locale, official_trend_period),
            td_string!(locale, official_trend_score),
        ],
    );
    Ok(Some(ChartData {
        id: drawn.id,
        title: drawn.title,
        svg: drawn.svg,
        headers: drawn.table.headers,
        rows: drawn.table.rows,
    }))
}

/// Officials in a unit's status matrix (units of this level number dozens).
pub const MATRIX_OFFICIALS: u64 = 200;

/// A unit's dashboard for `actor`, who must be able to read the unit's records (a refusal is
/// audited): staffing, merger history, the cycle's figures and flags, levels against the
/// quota as a chart, and each official's level over the recent cycles.
pub async fn unit(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_id: i64,
    cycle: Option<String>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<UnitDashboard, AppError> {
    let target = unit_target(db, unit_id).await?;
    authorize(
        db,
        actor,
        &[Action::Read],
        &target,
        ("org_unit", unit_id),
        now,
    )
    .await?;
    let info = compare::unit_info(db, unit_id).await?;
    let all_cycles = cycles::started(db).await?;
    let chosen = choose(db, &all_cycles, cycle.as_deref(), &[unit_id]).await?;
    let summary = match chosen {
        Some(c) => rollups::of_unit(db, unit_id, c.id).await?,
        None => None,
    };
    let levels = summary
        .as_ref()
        .map_or([0; 4], |s| [s.htxsnv, s.httnv, s.htnv, s.khtnv]);
    let locale = locale(lang);
    let names = Level::ALL.map(|l| {
        let key = format!("level.{}", l.code());
        crate::domain::explain::template(&key, lang)
            .unwrap_or(l.code())
            .to_owned()
    });
    let chart = summary.as_ref().map(|_| {
        let drawn = charts::level_distribution(
            Caption {
                id: "levels".into(),
                title: td_string!(locale, unit_chart_title).to_string(),
                description: td_string!(locale, unit_chart_desc).to_string(),
            },
            levels,
            Some(top_cap(levels[1])),
            names.each_ref().map(String::as_str),
            [
                td_string!(locale, unit_chart_level),
                td_string!(locale, unit_chart_count),
            ],
        );
        ChartData {
            id: drawn.id,
            title: drawn.title,
            svg: drawn.svg,
            headers: drawn.table.headers,
            rows: drawn.table.rows,
        }
    });
    let matrix_cycles: Vec<&Cycle> = match chosen {
        Some(c) => {
            let ids = trend_cycles(&all_cycles, c);
            ids.iter()
                .filter_map(|id| all_cycles.iter().find(|c| c.id == *id))
                .collect()
        }
        None => Vec::new(),
    };
    let ids: Vec<i64> = matrix_cycles.iter().map(|c| c.id).collect();
    let matrix = compare::levels_in_unit(db, unit_id, &ids, MATRIX_OFFICIALS)
        .await?
        .into_iter()
        .map(|(official_id, full_name, by_cycle)| StatusRow {
            official_id,
            full_name,
            levels: ids
                .iter()
                .map(|c| by_cycle.get(c).and_then(|code| Level::from_code(code)))
                .collect(),
        })
        .collect();
    Ok(UnitDashboard {
        gap: staffing_gap(info.officials, info.approved),
        unit: UnitRef {
            id: info.id,
            code: info.code,
            name: info.name,
        },
        kind: info.kind,
        parent: info
            .parent
            .map(|(id, code, name)| UnitRef { id, code, name }),
        officials: info.officials,
        approved: info.approved,
        merged_from: info
            .merged_from
            .into_iter()
            .map(|(code, name, until)| MergedUnit { code, name, until })
            .collect(),
        cycles: choices(&all_cycles),
        cycle: chosen.map(|c| c.code.clone()),
        avg_score: summary.as_ref().and_then(|s| s.avg_score),
        assessed: summary.as_ref().map_or(0, |s| s.assessed),
        flags: flags(levels),
        levels,
        key_results: summary.as_ref().map_or(0, |s| s.key_results),
        at_risk_key_results: summary.as_ref().map_or(0, |s| s.at_risk_key_results),
        stale_key_results: summary.as_ref().map_or(0, |s| s.stale_key_results),
        chart,
        matrix_cycles: matrix_cycles.iter().map(|c| c.code.clone()).collect(),
        matrix,
    })
}

/// The cycle asked for (by code), else the latest in which a unit under `roots` has scores,
/// else the latest started.
async fn choose<'a>(
    db: &impl ConnectionTrait,
    all: &'a [Cycle],
    asked: Option<&str>,
    roots: &[i64],
) -> Result<Option<&'a Cycle>, AppError> {
    if let Some(code) = asked {
        return Ok(all.iter().find(|c| c.code == code));
    }
    let latest = match roots.is_empty() {
        true => None,
        false => compare::latest_scored(db, roots).await?,
    };
    Ok(latest
        .and_then(|id| all.iter().find(|c| c.id == id))
        .or(all.first()))
}

fn choices(all: &[Cycle]) -> Vec<CycleChoice> {
    all.iter()
        .map(|c| CycleChoice {
            code: c.code.clone(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
        })
        .collect()
}

/// The cycle and up to [`TREND_CYCLES`] − 1 before it of the same scheme and period kind,
/// oldest first.
fn trend_cycles(all: &[Cycle], cycle: &Cycle) -> Vec<i64> {
    let mut ids: Vec<i64> = all
        .iter()
        .filter(|c| {
            c.scheme_id == cycle.scheme_id
                && c.period_kind == cycle.period_kind
                && c.ends_on <= cycle.ends_on
        })
        .take(TREND_CYCLES)
        .map(|c| c.id)
        .collect();
    ids.reverse();
    ids
}

fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Vi => Locale::vi,
        Lang::En => Locale::en,
    }
}
