//! Dashboard figures of one unit in one cycle, from its officials' assessments and key results.
//! Pure: the repository loads the facts, this module counts and averages them.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::level::Level;
use super::num::round2;

/// A key result counts as **stale** when its last check-in is older than this many days (or it
/// has none).
pub const STALE_AFTER_DAYS: i64 = 30;

/// A key result is **at risk** when the latest confidence (0–10) is at most this value…
pub const AT_RISK_CONFIDENCE: i16 = 3;

/// …or when its attainment trails the share of the cycle elapsed by more than this (0–1).
pub const AT_RISK_LAG: f64 = 0.25;

/// Share of the span from `starts_on` to `ends_on` elapsed at `as_of` (0–1): the progress a
/// key result of that cycle is expected to have made by then (its pace line).
#[expect(clippy::cast_precision_loss, reason = "day counts are small")]
pub fn elapsed(starts_on: NaiveDate, ends_on: NaiveDate, as_of: NaiveDate) -> f64 {
    let total = (ends_on - starts_on).num_days().max(1) as f64;
    ((as_of - starts_on).num_days() as f64 / total).clamp(0.0, 1.0)
}

/// A key result as a unit's dashboard lists those needing attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KrWatch {
    pub key_result_id: i64,
    pub title: String,
    /// The official who owns it (`None`: the unit's own key result).
    pub owner: Option<(i64, String)>,
    /// Its cycle's code.
    pub cycle: String,
    /// Attainment, and the progress expected by now (0–1).
    pub attainment: f64,
    pub expected: f64,
    pub last_check_in: Option<NaiveDate>,
    pub confidence: Option<i16>,
    pub at_risk: bool,
    pub stale: bool,
}

impl KrWatch {
    /// Whether it needs attention at all.
    pub fn flagged(&self) -> bool {
        self.at_risk || self.stale
    }

    /// How far behind its pace it is (0–1; 0 when ahead).
    pub fn behind(&self) -> f64 {
        (self.expected - self.attainment).max(0.0)
    }
}

/// The order of a watch list: at risk and stale, then at risk, then stale; within each, the
/// furthest behind its pace first, then by title.
pub fn watch_order(a: &KrWatch, b: &KrWatch) -> Ordering {
    let rank = |k: &KrWatch| match (k.at_risk, k.stale) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    };
    rank(a)
        .cmp(&rank(b))
        .then(b.behind().total_cmp(&a.behind()))
        .then_with(|| a.title.cmp(&b.title))
        .then(a.key_result_id.cmp(&b.key_result_id))
}

/// What the rollup needs to know of one assessment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssessmentFact {
    /// Computed score (points), if computed.
    pub score: Option<f64>,
    /// Approved level if approved, else the proposed one.
    pub level: Option<Level>,
}

/// What the rollup needs to know of one key result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrFact {
    /// Attainment in 0–1 (see [`super::okr::kr_attainment`]).
    pub attainment: f64,
    /// Days since the last check-in; `None` if never checked in.
    pub days_since_check_in: Option<i64>,
    /// Confidence (0–10) of the last check-in.
    pub confidence: Option<i16>,
}

impl KrFact {
    /// Stale: no check-in for more than [`STALE_AFTER_DAYS`] days, or never.
    pub fn is_stale(&self) -> bool {
        self.days_since_check_in
            .is_none_or(|days| days > STALE_AFTER_DAYS)
    }

    /// At risk given the elapsed share of the cycle (0–1): low confidence, or attainment below
    /// `elapsed − AT_RISK_LAG`.
    pub fn is_at_risk(&self, elapsed: f64) -> bool {
        self.confidence.is_some_and(|c| c <= AT_RISK_CONFIDENCE)
            || self.attainment < elapsed - AT_RISK_LAG
    }
}

/// The figures kept per (unit, cycle).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// Officials in the unit.
    pub officials: u32,
    /// Officials with a computed score.
    pub assessed: u32,
    /// Mean computed score (points, 2 decimals).
    pub avg_score: Option<f64>,
    /// Standard deviation of the computed scores (points, 2 decimals; `None` for fewer than
    /// two), for the equalization detector ([`super::equalize`]).
    #[serde(default)]
    pub score_spread: Option<f64>,
    /// Officials per level: HTXSNV, HTTNV, HTNV, KHTNV.
    pub htxsnv: u32,
    pub httnv: u32,
    pub htnv: u32,
    pub khtnv: u32,
    /// Key results owned in the unit (by it or its officials).
    pub key_results: u32,
    /// Mean attainment of those key results (0–1, 4 decimals).
    pub avg_kr_progress: Option<f64>,
    /// Key results without a recent check-in.
    pub stale_key_results: u32,
    /// Key results at risk.
    pub at_risk_key_results: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
fn mean(sum: f64, n: usize) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// Summarises a unit: counts per level, mean score, key-result progress, stale and at-risk
/// key results. `elapsed` is the share of the cycle elapsed (0–1) for the at-risk rule.
pub fn summarize(
    officials: usize,
    assessments: &[AssessmentFact],
    key_results: &[KrFact],
    elapsed: f64,
) -> UnitSummary {
    let scored: Vec<f64> = assessments.iter().filter_map(|a| a.score).collect();
    let at = |level: Level| {
        count(
            assessments
                .iter()
                .filter(|a| a.level == Some(level))
                .count(),
        )
    };
    let progress: f64 = key_results.iter().map(|k| k.attainment).sum();
    UnitSummary {
        officials: count(officials),
        assessed: count(scored.len()),
        avg_score: mean(scored.iter().sum(), scored.len()).map(round2),
        score_spread: super::equalize::spread(&scored).map(round2),
        htxsnv: at(Level::Htxsnv),
        httnv: at(Level::Httnv),
        htnv: at(Level::Htnv),
        khtnv: at(Level::Khtnv),
        key_results: count(key_results.len()),
        avg_kr_progress: mean(progress, key_results.len())
            .map(|p| (p * 10_000.0).round() / 10_000.0),
        stale_key_results: count(key_results.iter().filter(|k| k.is_stale()).count()),
        at_risk_key_results: count(key_results.iter().filter(|k| k.is_at_risk(elapsed)).count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(attainment: f64, days: Option<i64>, confidence: Option<i16>) -> KrFact {
        KrFact {
            attainment,
            days_since_check_in: days,
            confidence,
        }
    }

    #[test]
    fn summary_counts_levels_and_averages_scores() {
        let assessments = [
            AssessmentFact {
                score: Some(92.0),
                level: Some(Level::Htxsnv),
            },
            AssessmentFact {
                score: Some(80.0),
                level: Some(Level::Httnv),
            },
            AssessmentFact {
                score: Some(75.5),
                level: Some(Level::Httnv),
            },
            AssessmentFact {
                score: None,
                level: None,
            },
        ];
        let s = summarize(5, &assessments, &[], 0.5);
        assert_eq!((s.officials, s.assessed), (5, 3));
        // (92 + 80 + 75.5) ÷ 3 = 82.5
        assert_eq!(s.avg_score, Some(82.5));
        assert_eq!((s.htxsnv, s.httnv, s.htnv, s.khtnv), (1, 2, 0, 0));
        assert_eq!(s.avg_kr_progress, None);
    }

    #[test]
    fn stale_and_at_risk_key_results() {
        let krs = [
            kr(0.9, Some(3), Some(8)),  // fresh, on track
            kr(0.6, Some(31), Some(7)), // stale (31 > 30 days)
            kr(0.2, Some(2), Some(9)),  // at risk: 0.2 < 0.5 − 0.25
            kr(0.8, None, None),        // stale: never checked in
            kr(0.7, Some(1), Some(3)),  // at risk: confidence 3
        ];
        let s = summarize(2, &[], &krs, 0.5);
        assert_eq!(s.key_results, 5);
        assert_eq!(s.stale_key_results, 2);
        assert_eq!(s.at_risk_key_results, 2);
        // (0.9 + 0.6 + 0.2 + 0.8 + 0.7) ÷ 5 = 0.64
        assert_eq!(s.avg_kr_progress, Some(0.64));
    }

    #[test]
    fn the_pace_is_the_share_of_the_cycle_elapsed() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        // 1 Oct – 31 Dec is 91 days; 15 Nov is 45 days in.
        assert!((elapsed(d(10, 1), d(12, 31), d(11, 15)) - 45.0 / 91.0).abs() < 1e-12);
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(9, 1)), 0.0);
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(12, 31)), 1.0);
        // A one-day cycle does not divide by zero.
        assert_eq!(elapsed(d(10, 1), d(10, 1), d(10, 2)), 1.0);
    }

    #[test]
    fn the_watch_list_puts_the_worst_first() {
        let watch = |id, at_risk, stale, attainment| KrWatch {
            key_result_id: id,
            title: format!("KR {id}"),
            owner: None,
            cycle: "2026-Q4".into(),
            attainment,
            expected: 0.6,
            last_check_in: None,
            confidence: None,
            at_risk,
            stale,
        };
        let mut list = [
            watch(1, false, true, 0.5),
            watch(2, true, false, 0.3),
            watch(3, true, false, 0.1),
            watch(4, true, true, 0.5),
            watch(5, false, false, 0.9),
        ];
        list.sort_by(watch_order);
        let ids: Vec<i64> = list.iter().map(|k| k.key_result_id).collect();
        assert_eq!(ids, [4, 3, 2, 1, 5]);
        assert!(!list[4].flagged());
        assert!((list[1].behind() - 0.5).abs() < 1e-12);
    }
}
