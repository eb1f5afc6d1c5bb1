//! Aggregation over time: the year score from the periods actually worked (including results
//! carried across a transfer), the time-worked rules, bands and overrides.
//!
//! * year score `= round2(Σ period scores ÷ n)` over the `n` periods worked (period scores are
//!   already rounded to 2 decimals), in points;
//! * months worked (default: `n × months per period`) below the scheme minimum (6) ⇒ not
//!   classified;
//! * band of the year score, then each triggered override caps the level (KHTNV), then lawful
//!   leave within the scheme's range (3–6 months) caps it (HTNV).

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::explain::Node;
use super::level::{Classification, Discipline, Level};
use super::num::round2;
use super::scheme::{OverrideCondition, Scheme};
use super::validate::{in_range, not_above};

/// A period score ready for aggregation: scored here or carried from a previous agency.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPeriod {
    /// Period number.
    pub period: u32,
    /// Score, points rounded to 2 decimals.
    pub score: f64,
    /// Informational level of the period (none when merged into the year).
    pub level: Option<Level>,
    /// Unit the result was carried from, for a transfer.
    pub carried_from: Option<String>,
    /// Its explanation.
    pub node: Node,
}

/// Year-level facts about an official that the classification needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct YearFacts {
    /// Months worked in the year (0–12); `None` derives it from the periods.
    pub months_worked: Option<f64>,
    /// Months of lawful leave (sickness, maternity…) in the year (0–12).
    pub lawful_leave_months: f64,
    /// Most severe discipline imposed in the year.
    pub discipline: Option<Discipline>,
    /// Concluded degradation in ideology, ethics, lifestyle or example-setting.
    pub concluded_degradation: bool,
    /// Whether the official is a leader.
    pub is_leader: bool,
    /// Leaders: embezzlement, corruption or waste in a unit they directly manage.
    pub unit_corruption: bool,
}

/// The year outcome before quota: score, level and explanation lines.
#[derive(Debug, Clone, PartialEq)]
pub struct YearOutcome {
    /// Year score (points, 2 decimals), `None` with no period worked.
    pub score: Option<f64>,
    /// Level before quota calibration.
    pub level: Classification,
    /// Explanation lines after the periods: year, time worked, band, overrides, caps.
    pub nodes: Vec<Node>,
}

fn override_applies(cond: &OverrideCondition, f: &YearFacts) -> bool {
    match cond {
        OverrideCondition::DisciplineAtLeast { severity } => {
            f.discipline.is_some_and(|d| d >= *severity)
        }
        OverrideCondition::ConcludedDegradation => f.concluded_degradation,
        OverrideCondition::LeaderUnitCorruption => f.is_leader && f.unit_corruption,
    }
}

/// Classifies a year from its periods (sorted by period number) and facts. See the module doc
/// for the formula and the order of the rules.
pub fn classify_year(
    scheme: &Scheme,
    periods: &[ScoredPeriod],
    facts: &YearFacts,
    item: &str,
) -> Result<YearOutcome, DomainError> {
    #[expect(clippy::cast_precision_loss, reason = "at most 12 periods")]
    let n = periods.len() as f64;
    let months = match facts.months_worked {
        Some(m) => in_range(item, "months_worked", m, 0.0, 12.0)?,
        None => (n * scheme.period_kind.months()).min(12.0),
    };
    let leave = in_range(
        item,
        "lawful_leave_months",
        facts.lawful_leave_months,
        0.0,
        12.0,
    )?;
    not_above(
        item,
        "months_worked + lawful_leave_months",
        months + leave,
        "months_in_year",
        12.0,
    )?;
    if !facts.is_leader && facts.unit_corruption {
        return Err(DomainError::LeaderOnly {
            item: item.to_owned(),
            field: "unit_corruption".into(),
        });
    }
    let mut nodes = Vec::new();
    if periods.is_empty() {
        nodes.push(Node::new("year.no_periods"));
        return Ok(YearOutcome {
            score: None,
            level: Classification::NotClassified,
            nodes,
        });
    }
    let sum: f64 = periods.iter().map(|p| p.score).sum();
    let score = round2(sum / n);
    nodes.push(
        Node::new("year")
            .num("periods", n)
            .num("sum", sum)
            .points(score),
    );
    nodes.push(
        Node::new("time.worked")
            .num("months_worked", months)
            .num("leave_months", leave),
    );
    if let Some(min) = scheme.time_worked.min_months_for_classification
        && months < min
    {
        nodes.push(
            Node::new("time.below_minimum")
                .num("months_worked", months)
                .num("min_months", min),
        );
        return Ok(YearOutcome {
            score: Some(score),
            level: Classification::NotClassified,
            nodes,
        });
    }
    let mut level = match scheme.bands.band_for(score) {
        Some(b) => {
            nodes.push(
                Node::new("band")
                    .text("level", b.level.code())
                    .num("min", b.min)
                    .text("op", if b.inclusive { "≥" } else { ">" }),
            );
            b.level
        }
        None => {
            let lowest = scheme.bands.bands.last().map_or(0.0, |b| b.min);
            nodes.push(
                Node::new("band.below_all")
                    .text("level", scheme.bands.below_all.code())
                    .num("min", lowest),
            );
            scheme.bands.below_all
        }
    };
    for rule in &scheme.overrides {
        if override_applies(&rule.when, facts) {
            level = level.min(rule.level);
            nodes.push(
                Node::new("override")
                    .text("rule", &rule.id)
                    .text("level", rule.level.code())
                    .text("source", &rule.source),
            );
        }
    }
    if let Some(cap) = &scheme.time_worked.leave_cap
        && leave >= cap.min_leave_months
        && leave <= cap.max_leave_months
    {
        level = level.min(cap.max_level);
        nodes.push(
            Node::new("time.leave_cap")
                .num("leave_months", leave)
                .num("min", cap.min_leave_months)
                .num("max", cap.max_leave_months)
                .text("level", cap.max_level.code())
                .text("source", &cap.source),
        );
    }
    Ok(YearOutcome {
        score: Some(score),
        level: Classification::Level(level),
        nodes,
    })
}

/// A period's score as stored by the period's own assessment, with the facts recorded there.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPeriod {
    pub period: u32,
    pub score: f64,
    pub lawful_leave_months: f64,
    pub discipline: Option<Discipline>,
    pub concluded_degradation: bool,
    pub unit_corruption: bool,
}

/// Classifies a year from the scores its periods were given (each already explained in its
/// own assessment): the year's facts are the most severe of the periods' — the longest lawful
/// leave (a year figure recorded with each period), the heaviest discipline, any concluded
/// degradation, any corruption in a leader's unit — and the months worked are the periods'
/// months, less the leave.
pub fn classify_stored_year(
    scheme: &Scheme,
    periods: &[StoredPeriod],
    is_leader: bool,
    item: &str,
) -> Result<YearOutcome, DomainError> {
    let leave = periods
        .iter()
        .map(|p| p.lawful_leave_months)
        .fold(0.0, f64::max);
    #[expect(clippy::cast_precision_loss, reason = "at most 12 periods")]
    let months = (periods.len() as f64 * scheme.period_kind.months()).min(12.0 - leave.min(12.0));
    let facts = YearFacts {
        months_worked: Some(months.max(0.0)),
        lawful_leave_months: leave,
        discipline: periods.iter().filter_map(|p| p.discipline).max(),
        concluded_degradation: periods.iter().any(|p| p.concluded_degradation),
        is_leader,
        unit_corruption: is_leader && periods.iter().any(|p| p.unit_corruption),
    };
    let last = scheme.period_kind.periods_per_year();
    let scored: Vec<ScoredPeriod> = periods
        .iter()
        .map(|p| {
            let mut node = Node::new("period")
                .num("period", f64::from(p.period))
                .text("period_kind", scheme.period_kind.code())
                .points(p.score);
            // Regulation 366: the fourth quarter has no level of its own; its score counts in
            // the year's mean.
            if scheme.aggregation.last_period_merged_into_year && p.period == last {
                node.push(Node::new("period.merged_into_year").num("period", f64::from(p.period)));
            }
            ScoredPeriod {
                period: p.period,
                score: p.score,
                level: None,
                carried_from: None,
                node,
            }
        })
        .collect();
    let mut outcome = classify_year(scheme, &scored, &facts, item)?;
    let lines = scored.into_iter().map(|p| p.node);
    outcome.nodes.splice(0..0, lines);
    Ok(outcome)
}

#[cfg(test)]
mod stored_tests {
    use super::*;
    use crate::domain::builtin_scheme;

    fn period(period: u32, score: f64) -> StoredPeriod {
        StoredPeriod {
            period,
            score,
            lawful_leave_months: 0.0,
            discipline: None,
            concluded_degradation: false,
            unit_corruption: false,
        }
    }

    #[test]
    fn the_year_is_the_mean_of_the_stored_periods_with_the_worst_facts() {
        let scheme = builtin_scheme("decree-335-2025").expect("built in");
        let periods: Vec<StoredPeriod> = (1..=10).map(|m| period(m, 91.0)).collect();
        let year = classify_stored_year(&scheme, &periods, false, "o").expect("valid");
        assert_eq!(year.score, Some(91.0));
        assert_eq!(year.level, Classification::Level(Level::Htxsnv));
        // Ten period lines, then the year's.
        assert_eq!(year.nodes[0].key, "period");
        assert_eq!(year.nodes[10].key, "year");

        let mut worse = periods.clone();
        worse[3].concluded_degradation = true;
        let year = classify_stored_year(&scheme, &worse, false, "o").expect("valid");
        assert_eq!(year.level, Classification::Level(Level::Khtnv));

        // Four months worked: not classified (fewer than six).
        let year = classify_stored_year(&scheme, &periods[..4], false, "o").expect("valid");
        assert_eq!(year.level, Classification::NotClassified);

        // Corruption in the unit counts only for a leader.
        let mut corrupt = periods;
        corrupt[0].unit_corruption = true;
        let year = classify_stored_year(&scheme, &corrupt, false, "o").expect("valid");
        assert_eq!(year.level, Classification::Level(Level::Htxsnv));
        let year = classify_stored_year(&scheme, &corrupt, true, "o").expect("valid");
        assert_eq!(year.level, Classification::Level(Level::Khtnv));
    }

    #[test]
    fn regulation_366_counts_the_fourth_quarter_in_the_year_without_a_level_of_its_own() {
        let scheme = builtin_scheme("party-366-2025").expect("built in");
        // Q1–Q3 at 88 (HTTNV each), Q4 at 96: the year's mean is 90, HTXSNV.
        let periods = [
            period(1, 88.0),
            period(2, 88.0),
            period(3, 88.0),
            period(4, 96.0),
        ];
        let year = classify_stored_year(&scheme, &periods, false, "o").expect("valid");
        assert_eq!(year.score, Some(90.0));
        assert_eq!(year.level, Classification::Level(Level::Htxsnv));
        let merged: Vec<bool> = year.nodes[..4]
            .iter()
            .map(|n| {
                n.children
                    .iter()
                    .any(|c| c.key == "period.merged_into_year")
            })
            .collect();
        assert_eq!(merged, [false, false, false, true]);
        // Without the fourth quarter the year is the three quarters' mean.
        let year = classify_stored_year(&scheme, &periods[..3], false, "o").expect("valid");
        assert_eq!(year.score, Some(88.0));
        // Decree 335 merges nothing.
        let decree = builtin_scheme("decree-335-2025").expect("built in");
        let months: Vec<StoredPeriod> = (1..=12).map(|m| period(m, 80.0)).collect();
        let year = classify_stored_year(&decree, &months, false, "o").expect("valid");
        assert!(year.nodes.iter().all(|n| {
            n.children
                .iter()
                .all(|c| c.key != "period.merged_into_year")
        }));
    }
}
