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
