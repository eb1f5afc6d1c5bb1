//! The leadership comparison: the units of the reader's scope in one cycle, from the rollups
//! the write services keep current, with tiers, flags, staffing and trends.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, authorize};
use crate::domain::Level;
use crate::domain::access::{Action, Principal, Target, scope};
use crate::domain::compare::{
    ChartData, ComparedUnit, Comparison, CycleChoice, MergedUnit, OfficialCharts, ReviewerCheck,
    StatusRow, UnitDashboard, UnitRef, flagged_reviewers, flags, staffing_gap, tiers, top_cap,
};
use crate::domain::equalize::{Group, Rules};
use crate::domain::explain::Lang;
use crate::domain::kr_attainment;
use crate::domain::metrics::{MetricKey, MetricValue, UnitMetric};
use crate::domain::rollup::{KrFact, KrWatch, elapsed, watch_order};
use crate::domain::vocab::UnitKind;
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::ssr::auth::guard::{official_target, unit_target};
use crate::ssr::cache::Caches;
use crate::ssr::charts::{self, Caption};
use crate::ssr::repo::compare::{self, Filter};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::dashboards;
use crate::ssr::repo::{rollups, versions};

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
    caches: &Caches,
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
        multiples: None,
        flagged: 0,
        reviewers: ReviewerCheck::default(),
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
    // Each unit is compared with all the units compared.
    let overall = Group::whole(
        all.iter()
            .map(|s| (s.levels, s.assessed, s.avg_score, s.score_spread)),
    );
    comparison.flagged = all
        .iter()
        .filter(|s| !flags(Group::new(s.levels, s.score_spread), Some(overall)).is_empty())
        .count() as u64;
    comparison.reviewers = reviewers(db, caches, cycle.id, &roots, filter, overall).await?;
    let offset = u64::from(page - 1) * u64::from(PAGE_SIZE);
    let rows = compare::page(db, cycle.id, &roots, filter, u64::from(PAGE_SIZE), offset).await?;
    let trend_cycles = trend_cycles(&all_cycles, cycle);
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let trends = compare::trends(db, &ids, &trend_cycles).await?;
    let rates = Rates::read(db, &ids, cycle, 2).await?;
    let locale = locale(lang);
    comparison.multiples = multiples(&rows, lang);
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
                flags: flags(Group::new(levels, s.score_spread), Some(overall)),
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
                on_time: rates.latest(r.unit_id, MetricKey::OnTime),
                online: rates.latest(r.unit_id, MetricKey::Online),
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
        comparison.distribution = Some(chart.into());
    }
    Ok(comparison)
}

/// The reviewers of the officials in the units under `roots` that pass `filter` who rated
/// enough of them to be judged, tested against `overall` (the equalization detector).
///
/// Kept in `caches` while the cycle's rollups and the people's records stand (what it reads:
/// every write of a score or level refreshes its unit's rollup in its transaction).
async fn reviewers(
    db: &impl ConnectionTrait,
    caches: &Caches,
    cycle_id: i64,
    roots: &[i64],
    filter: Filter,
    overall: Group,
) -> Result<ReviewerCheck, AppError> {
    let people = versions::current(db, versions::PEOPLE).await?;
    let whole = (overall.levels.0, overall.spread.map(f64::to_bits));
    let key = (
        cycle_id,
        roots.to_vec(),
        filter.kind,
        filter.parent,
        people,
        whole,
    );
    let version = rollups::last_change_in_cycle(db, cycle_id).await?;
    if let Some(kept) = caches.reviewers.get(&key, version) {
        return Ok((*kept).clone());
    }
    let min_rated = Rules::default().min_rated;
    let sums = compare::reviewer_sums(db, cycle_id, roots, filter, min_rated).await?;
    let check = ReviewerCheck {
        judged: u32::try_from(sums.len()).unwrap_or(u32::MAX),
        min_rated,
        flagged: flagged_reviewers(sums, overall),
    };
    caches.reviewers.put(key, version, Arc::new(check.clone()));
    Ok(check)
}

/// All the units of the province of `target` in `cycle_id`, taken together: what a unit and
/// its reviewers are compared with.
pub async fn province_whole(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    target: &Target,
) -> Result<Option<Group>, AppError> {
    let Some(&province) = target.unit_path.last() else {
        return Ok(None);
    };
    let all = compare::scores(db, cycle_id, &[province], Filter::default()).await?;
    Ok(Some(Group::whole(all.iter().map(|s| {
        (s.levels, s.assessed, s.avg_score, s.score_spread)
    }))))
}

/// Units drawn as small multiples (the first of the page, best first).
pub const MULTIPLES: usize = 24;

/// The page's first [`MULTIPLES`] units, each one's share of officials per level, as small
/// multiples on one scale.
fn multiples(rows: &[compare::UnitRow], lang: Lang) -> Option<ChartData> {
    let units: Vec<(String, [u32; 4])> = rows
        .iter()
        .take(MULTIPLES)
        .map(|r| {
            let s = &r.summary;
            (r.name.clone(), [s.htxsnv, s.httnv, s.htnv, s.khtnv])
        })
        .collect();
    if units.is_empty() {
        return None;
    }
    let locale = locale(lang);
    let names = level_names(lang);
    let headers = [
        td_string!(locale, compare_multiples_unit).to_string(),
        names[0].clone(),
        names[1].clone(),
        names[2].clone(),
        names[3].clone(),
    ];
    let drawn = charts::level_multiples(
        Caption {
            id: "multiples".into(),
            title: td_string!(locale, compare_multiples_title).to_string(),
            description: td_string!(locale, compare_multiples_desc).to_string(),
        },
        &units,
        headers.each_ref().map(String::as_str),
    );
    Some(drawn.into())
}

/// Each level's code with its name, in `lang`.
fn level_names(lang: Lang) -> [String; 4] {
    Level::ALL.map(|l| crate::domain::explain::level_with_name(l.code(), lang))
}

/// Unit metrics of some units in one cycle: their newest values up to the cycle's end and
/// their targets in the cycles overlapping it.
struct Rates {
    values: HashMap<(i64, String), dashboards::Series>,
    targets: HashMap<(i64, String), f64>,
}

impl Rates {
    async fn read(
        db: &impl ConnectionTrait,
        units: &[i64],
        cycle: &Cycle,
        newest: u32,
    ) -> Result<Self, AppError> {
        let span = (cycle.starts_on, cycle.ends_on);
        Ok(Self {
            values: dashboards::recent_metrics(db, units, cycle.ends_on, newest).await?,
            targets: dashboards::metric_targets(db, units, span).await?,
        })
    }

    fn series(&self, unit: i64, key: MetricKey) -> &[(chrono::NaiveDate, f64)] {
        self.values
            .get(&(unit, key.code().to_owned()))
            .map_or(&[], Vec::as_slice)
    }

    fn target(&self, unit: i64, key: MetricKey) -> Option<f64> {
        self.targets.get(&(unit, key.code().to_owned())).copied()
    }

    fn latest(&self, unit: i64, key: MetricKey) -> Option<MetricValue> {
        let values: Vec<f64> = self.series(unit, key).iter().map(|(_, v)| *v).collect();
        MetricValue::of(&values, self.target(unit, key))
    }
}

/// Periods an official's trend shows at most.
pub const TREND_PERIODS: usize = 12;

/// Key results an official's dashboard draws against their pace.
pub const PACE_CHARTS: u64 = 6;

/// An official's charts, for whoever may read the official's records (a refusal is audited):
/// their score over the periods of the scheme of their latest scored assessment (at most the
/// last [`TREND_PERIODS`]) drawn over the scheme's level bands (`None` before any score), and
/// each key result of their latest cycle (at most [`PACE_CHARTS`]) against its pace.
///
/// The charts are kept in `caches` under the time the official's unit's rollups last changed,
/// which every write of their scores, levels, key results or check-ins moves.
pub async fn official(
    db: &DatabaseConnection,
    caches: &Caches,
    actor: &Actor,
    official_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Arc<OfficialCharts>, AppError> {
    let target = official_target(db, official_id).await?;
    let what = ("official", official_id);
    authorize(db, actor, &[Action::Read], &target, what, now).await?;
    let unit = target.unit_path.first().copied().unwrap_or_default();
    let key = (official_id, unit, lang == Lang::En, now.date_naive());
    let version = rollups::last_change(db, unit).await?;
    if let Some(kept) = caches.official_charts.get(&key, version) {
        return Ok(kept);
    }
    let charts = Arc::new(OfficialCharts {
        trend: score_trend(db, official_id, lang).await?,
        pace: pace_charts(db, official_id, lang, now).await?,
    });
    caches
        .official_charts
        .put(key, version, Arc::clone(&charts));
    Ok(charts)
}

async fn score_trend(
    db: &DatabaseConnection,
    official_id: i64,
    lang: Lang,
) -> Result<Option<ChartData>, AppError> {
    let rows = dashboards::scored_periods(db, official_id).await?;
    let latest = rows
        .iter()
        // The periods' trend: a year's classification is not one of its points.
        .filter(|p| p.score.is_some() && p.period_kind != "year")
        .max_by_key(|p| p.ends_on);
    let Some(latest) = latest else {
        return Ok(None);
    };
    let scheme = crate::domain::builtin_scheme(&latest.scheme_id).map_err(AppError::internal)?;
    let mut periods: Vec<&dashboards::ScoredPeriod> = rows
        .iter()
        .filter(|p| p.scheme_id == latest.scheme_id && p.period_kind == latest.period_kind)
        .collect();
    periods.sort_by_key(|p| p.starts_on);
    let skip = periods.len().saturating_sub(TREND_PERIODS);
    let points: Vec<(String, Option<f64>)> = periods
        .into_iter()
        .skip(skip)
        .map(|p| (p.cycle.clone(), p.score))
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
    Ok(Some(drawn.into()))
}

/// Each key result of the official's latest cycle: its check-ins' attainment against the
/// pace from the cycle's start to its end, with today marked.
async fn pace_charts(
    db: &DatabaseConnection,
    official_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<ChartData>, AppError> {
    let locale = locale(lang);
    let today = now.date_naive();
    Ok(
        dashboards::official_key_results(db, official_id, PACE_CHARTS)
            .await?
            .into_iter()
            .filter_map(|(kr, history)| {
                let measure = kr.measure?;
                let points: Vec<(chrono::NaiveDate, f64)> = history
                    .iter()
                    .map(|(at, value)| (at.date_naive(), kr_attainment(&measure.at(*value))))
                    .collect();
                let reached = kr_attainment(&measure);
                let expected = elapsed(kr.span.0, kr.span.1, today);
                let description = format!(
                    "{} {} {:.0}%, {} {:.0}%.",
                    td_string!(locale, official_pace_desc),
                    td_string!(locale, official_pace_reached),
                    reached * 100.0,
                    td_string!(locale, official_pace_by_today),
                    expected * 100.0,
                );
                let drawn = charts::kr_pace(
                    Caption {
                        id: format!("pace-{}", kr.id),
                        title: format!("{} ({})", kr.title, kr.cycle),
                        description,
                    },
                    kr.span,
                    today,
                    &points,
                    [
                        td_string!(locale, official_pace_date),
                        td_string!(locale, official_pace_progress),
                        td_string!(locale, official_pace_expected),
                    ],
                );
                Some(drawn.into())
            })
            .collect(),
    )
}

/// Officials in a unit's status matrix (units of this level number dozens).
pub const MATRIX_OFFICIALS: u64 = 200;

/// A unit's dashboard for `actor`, who must be able to read the unit's records (a refusal is
/// audited): staffing, merger history, the cycle's figures and flags, levels against the
/// quota as a chart, and each official's level over the recent cycles.
pub async fn unit(
    db: &DatabaseConnection,
    caches: &Caches,
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
    let (whole, reviewers) = match chosen {
        Some(c) => match province_whole(db, c.id, &target).await? {
            Some(whole) => (
                Some(whole),
                reviewers(db, caches, c.id, &[unit_id], Filter::default(), whole).await?,
            ),
            None => (None, ReviewerCheck::default()),
        },
        None => (None, ReviewerCheck::default()),
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
        ChartData::from(drawn)
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
    let (metrics, watch) = match chosen {
        Some(c) => (
            unit_metrics(db, unit_id, c, lang).await?,
            watch_list(db, unit_id, (c.starts_on, c.ends_on), now).await?,
        ),
        None => (Vec::new(), Watch::default()),
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
        flags: flags(
            Group::new(levels, summary.as_ref().and_then(|s| s.score_spread)),
            whole,
        ),
        reviewers,
        levels,
        key_results: watch.total,
        at_risk_key_results: watch.at_risk,
        stale_key_results: watch.stale,
        watch: watch.shown,
        watch_flagged: watch.flagged,
        chart,
        metrics,
        matrix_cycles: matrix_cycles.iter().map(|c| c.code.clone()).collect(),
        matrix,
    })
}

/// Months of a unit metric its dashboard draws.
pub const METRIC_MONTHS: u32 = 12;

/// A unit's metrics in `cycle`: each one's newest value up to the cycle's end against the
/// target of the unit's key result fed by it, and its last [`METRIC_MONTHS`] months drawn.
async fn unit_metrics(
    db: &impl ConnectionTrait,
    unit_id: i64,
    cycle: &Cycle,
    lang: Lang,
) -> Result<Vec<UnitMetric>, AppError> {
    let rates = Rates::read(db, &[unit_id], cycle, METRIC_MONTHS).await?;
    let locale = locale(lang);
    Ok(MetricKey::ALL
        .iter()
        .map(|&key| {
            let series = rates.series(unit_id, key);
            let target = rates.target(unit_id, key);
            let oldest_first: Vec<(chrono::NaiveDate, f64)> =
                series.iter().rev().copied().collect();
            let name = match key {
                MetricKey::OnTime => td_string!(locale, metric_on_time),
                MetricKey::Online => td_string!(locale, metric_online),
            };
            let chart = (!series.is_empty()).then(|| {
                charts::metric_trend(
                    Caption {
                        id: format!("metric-{}", key.code()),
                        title: name.to_string(),
                        description: td_string!(locale, unit_metric_chart_desc).to_string(),
                    },
                    &oldest_first,
                    target,
                    [
                        td_string!(locale, unit_metric_month),
                        td_string!(locale, unit_metric_value),
                        td_string!(locale, unit_metric_target),
                    ],
                )
                .into()
            });
            UnitMetric {
                key,
                latest: rates.latest(unit_id, key),
                as_of: series.first().map(|(d, _)| *d),
                chart,
            }
        })
        .collect())
}

/// Key results of a unit a dashboard reads at most (a ward's officials hold a few hundred).
pub const WATCH_READ: u64 = 5_000;
/// Key results needing attention a dashboard lists.
pub const WATCH_SHOWN: usize = 50;

/// A unit's key results needing attention now, and the counts they come from.
#[derive(Debug, Default)]
struct Watch {
    total: u32,
    at_risk: u32,
    stale: u32,
    flagged: u32,
    shown: Vec<KrWatch>,
}

/// The key results of a unit in the cycles overlapping `span`, told at risk or stale as of
/// `now` by the rollup's rules, the worst first.
async fn watch_list(
    db: &impl ConnectionTrait,
    unit_id: i64,
    span: (chrono::NaiveDate, chrono::NaiveDate),
    now: DateTime<Utc>,
) -> Result<Watch, AppError> {
    let today = now.date_naive();
    let mut all: Vec<KrWatch> = dashboards::unit_key_results(db, unit_id, span, WATCH_READ)
        .await?
        .into_iter()
        .filter_map(|k| {
            let attainment = kr_attainment(&k.measure?);
            let expected = elapsed(k.span.0, k.span.1, today);
            let fact = KrFact {
                attainment,
                days_since_check_in: k.last_check_in_at.map(|at| (now - at).num_days()),
                confidence: k.last_confidence,
            };
            Some(KrWatch {
                at_risk: fact.is_at_risk(expected),
                stale: fact.is_stale(),
                key_result_id: k.id,
                title: k.title,
                owner: k.owner,
                cycle: k.cycle,
                attainment,
                expected,
                last_check_in: k.last_check_in_at.map(|at| at.date_naive()),
                confidence: k.last_confidence,
            })
        })
        .collect();
    let count = |f: fn(&KrWatch) -> bool| all.iter().filter(|k| f(k)).count();
    let counts = (all.len(), count(|k| k.at_risk), count(|k| k.stale));
    all.retain(KrWatch::flagged);
    let flagged = all.len();
    all.sort_by(watch_order);
    all.truncate(WATCH_SHOWN);
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Watch {
        total: to_u32(counts.0),
        at_risk: to_u32(counts.1),
        stale: to_u32(counts.2),
        flagged: to_u32(flagged),
        shown: all,
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
