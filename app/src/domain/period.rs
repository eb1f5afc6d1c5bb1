//! One period's score: general criteria + task results (products or OKRs, with the leader rule
//! for leaders), rounded to 2 decimals, with its band for information.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::explain::Node;
use super::general::score_general;
use super::level::Level;
use super::num::round2;
use super::okr::{Objective, score_okr};
use super::scheme::{Scheme, TaskResultsRule};
use super::task_results::{Product, apply_leader_rule, score_products};
use super::validate::{in_range, non_negative};

/// The input of one month or quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodInput {
    /// Period number within the year: 1–12 for monthly schemes, 1–4 for quarterly ones.
    pub period: u32,
    /// General-criteria points by criterion id (or group id).
    #[serde(default)]
    pub general: BTreeMap<String, f64>,
    /// Products/works (schemes whose task results are `products`).
    #[serde(default)]
    pub products: Vec<Product>,
    /// Objectives and key results (schemes whose task results are `okr`).
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// The period's report was late (Khánh Hòa: due before the 25th; late = not done).
    #[serde(default)]
    pub report_late: bool,
    /// Leaders only: the unit's operating result this period, in % (0–100).
    #[serde(default)]
    pub unit_result_percent: Option<f64>,
}

/// Whom the period belongs to, as far as period scoring needs to know.
#[derive(Debug, Clone, Copy)]
pub struct PeriodContext<'a> {
    /// Whether the official is a leader.
    pub is_leader: bool,
    /// Levels of the leader's classified subordinates (empty for non-leaders).
    pub subordinate_levels: &'a [Level],
}

/// Scores one period: `round2(general points + task points)` (points, 0–100) and its `period`
/// node (general, task, band or "merged into year").
pub fn score_period(
    scheme: &Scheme,
    p: &PeriodInput,
    ctx: PeriodContext<'_>,
    item: &str,
) -> Result<(f64, Option<Level>, Node), DomainError> {
    let item = format!("{item}.period[{}]", p.period);
    let max_task = scheme.task_results.max_points();
    let (general, general_node) = score_general(scheme, &p.general, &item)?;
    let (own, own_node) = match &scheme.task_results {
        TaskResultsRule::Products { .. } => {
            if !p.objectives.is_empty() {
                return Err(not_in_scheme(scheme, &item, "objectives"));
            }
            score_products(scheme, &p.products, p.report_late, &item)?
        }
        TaskResultsRule::Okr { max_points } => {
            if !p.products.is_empty() {
                return Err(not_in_scheme(scheme, &item, "products"));
            }
            score_okr(*max_points, &p.objectives, &item)?
        }
    };
    let (task, task_node) = match (&scheme.leader_rule, ctx.is_leader, p.unit_result_percent) {
        (Some(rule), true, Some(unit)) => apply_leader_rule(
            rule,
            max_task,
            own,
            own_node,
            unit,
            ctx.subordinate_levels,
            &item,
        )?,
        (Some(_), true, None) => {
            return Err(DomainError::Missing {
                item,
                kind: "field".into(),
                id: "unit_result_percent".into(),
            });
        }
        (None, _, Some(_)) => return Err(not_in_scheme(scheme, &item, "unit_result_percent")),
        (Some(_), false, Some(_)) => {
            return Err(DomainError::LeaderOnly {
                item,
                field: "unit_result_percent".into(),
            });
        }
        (_, _, None) => (own, own_node),
    };
    let score = round2(general + task);
    let mut node = Node::new("period")
        .num("period", f64::from(p.period))
        .text("period_kind", scheme.period_kind.code());
    if let Some(g) = general_node {
        node.push(g);
    }
    node.push(task_node);
    let level = period_level(scheme, p.period, score, &mut node);
    Ok((score, level, node.points(score)))
}

/// The informational level of a period score, pushed onto `node`: its band, or none for the
/// last period when the scheme merges it into the year (Regulation 366: Q4).
pub fn period_level(scheme: &Scheme, period: u32, score: f64, node: &mut Node) -> Option<Level> {
    if scheme.aggregation.last_period_merged_into_year
        && period == scheme.period_kind.periods_per_year()
    {
        node.push(Node::new("period.merged_into_year").num("period", f64::from(period)));
        return None;
    }
    let level = scheme.bands.classify(score);
    node.push(Node::new("period.band").text("level", level.code()));
    Some(level)
}

/// Checks a period number lies in `1..=periods_per_year`.
pub fn check_period_number(scheme: &Scheme, period: u32, item: &str) -> Result<(), DomainError> {
    in_range(
        item,
        "period",
        f64::from(period),
        1.0,
        f64::from(scheme.period_kind.periods_per_year()),
    )?;
    Ok(())
}

/// Checks a carried score lies in 0–100 points.
pub fn check_carried_score(score: f64, item: &str) -> Result<f64, DomainError> {
    non_negative(item, "score", score)?;
    in_range(item, "score", score, 0.0, 100.0)
}

fn not_in_scheme(scheme: &Scheme, item: &str, field: &str) -> DomainError {
    DomainError::NotInScheme {
        item: item.to_owned(),
        field: field.to_owned(),
        scheme: scheme.id.clone(),
    }
}
