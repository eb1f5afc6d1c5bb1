//! Task results from products/works (Decree 335 Art. 14) and the leader rule.
//!
//! For product `i` with conversion weight `wᵢ`, in a scheme whose task part is worth `T`
//! points with component weights `c_n + c_q + c_p = 1`:
//!
//! * product maximum `Pᵢ = T × wᵢ ÷ Σw` (points);
//! * quantity points `= Pᵢ × c_n × completed ÷ assigned`;
//! * quality points `= max(0, Pᵢ × c_q × on_quality ÷ assigned − f × r_q × Pᵢ × c_q)`, where
//!   `f` = failed quality checks not waived and `r_q` the deduction rate (0.25);
//! * progress points `= max(0, Pᵢ × c_p × on_time ÷ assigned − d × r_p × Pᵢ × c_p)`, where
//!   `d` = delays not waived and `r_p` the deduction rate (0.25).
//!
//! The task points are the sum over products, at most `T`.

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::explain::Node;
use super::level::Level;
use super::scheme::{LeaderRule, Scheme, TaskResultsRule};
use super::validate::{count, in_range, positive, unique_ids};

/// Which deduction a waiver cancels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverKind {
    /// Cancels failed quality checks.
    Quality,
    /// Cancels delays.
    Progress,
}

/// A waiver: `count` failed checks or delays caused by an objective cause confirmed by the
/// competent authority (`reference`, e.g. the decision number), so not deducted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// What is waived.
    pub kind: WaiverKind,
    /// How many failures/delays are waived (≥ 0).
    pub count: i64,
    /// The confirming document (must not be empty).
    pub reference: String,
}

/// One product/work assigned in a period, with its conversion weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product id, unique within the period.
    pub id: String,
    /// Conversion weight (hệ số quy đổi), `> 0`; default 1.
    #[serde(default = "one")]
    pub weight: f64,
    /// Units assigned, `> 0`.
    pub assigned: i64,
    /// Units completed, `0 ≤ completed ≤ assigned`.
    pub completed: i64,
    /// Units completed meeting quality, `≤ completed`; default `completed`.
    #[serde(default)]
    pub completed_on_quality: Option<i64>,
    /// Units completed on time or early, `≤ completed`; default `completed`.
    #[serde(default)]
    pub completed_on_time: Option<i64>,
    /// Failed quality checks (each deducts 25 % of the product's quality points).
    #[serde(default)]
    pub quality_failures: i64,
    /// Delays (each deducts 25 % of the product's progress points).
    #[serde(default)]
    pub delays: i64,
    /// Waivers for confirmed objective causes.
    #[serde(default)]
    pub waivers: Vec<Waiver>,
}

fn one() -> f64 {
    1.0
}

struct Component<'a> {
    key: &'static str,
    count_arg: &'static str,
    count: f64,
    weight: f64,
    deduction: Option<Deduction<'a>>,
}

struct Deduction<'a> {
    key: &'static str,
    waiver_key: &'static str,
    events_arg: &'static str,
    events: f64,
    rate: f64,
    waivers: Vec<&'a Waiver>,
    waived: f64,
}

/// The counts of a product that its owner and reviewer record as the period goes (what was
/// assigned, and its weight, are set when it is assigned). Sent by forms as
/// `counts[completed]=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub completed: i32,
    pub completed_on_quality: i32,
    pub completed_on_time: i32,
    pub quality_failures: i32,
    pub delays: i32,
    #[serde(default)]
    pub waived_quality_failures: i32,
    #[serde(default)]
    pub waived_delays: i32,
}

/// A product's counts, checked: `0 < assigned`, `completed ≤ assigned`, on quality and on
/// time `≤ completed`, failures and delays `≥ 0`, waivers with a reference and no more than
/// the failures or delays they waive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    pub assigned: f64,
    pub completed: f64,
    pub on_quality: f64,
    pub on_time: f64,
    pub failures: f64,
    pub delays: f64,
    /// Waived quality failures and delays.
    pub waived: [f64; 2],
}

/// Checks a product's weight (`> 0`) and counts (the rules every entry point applies, and
/// scoring too); the error names `item.product[id]` and the field.
pub fn check_product(p: &Product, item: &str) -> Result<Counts, DomainError> {
    let p_item = format!("{item}.product[{}]", p.id);
    positive(&p_item, "weight", p.weight)?;
    let assigned = count(&p_item, "assigned", p.assigned)?;
    if p.assigned == 0 {
        return Err(DomainError::NotPositive {
            item: p_item,
            field: "assigned".into(),
            value: 0.0,
        });
    }
    let completed = count(&p_item, "completed", p.completed)?;
    super::validate::not_above(&p_item, "completed", completed, "assigned", assigned)?;
    // Units on quality and on time: each at most the units completed (default: all of them).
    let part_of_completed = |field: &str, value: Option<i64>| {
        let part = count(&p_item, field, value.unwrap_or(p.completed))?;
        super::validate::not_above(&p_item, field, part, "completed", completed).map(|()| part)
    };
    let on_quality = part_of_completed("completed_on_quality", p.completed_on_quality)?;
    let on_time = part_of_completed("completed_on_time", p.completed_on_time)?;
    let failures = count(&p_item, "quality_failures", p.quality_failures)?;
    let delays = count(&p_item, "delays", p.delays)?;
    let mut waived = [0.0, 0.0];
    for w in &p.waivers {
        let c = count(&p_item, "waivers.count", w.count)?;
        if w.reference.trim().is_empty() {
            return Err(DomainError::Empty {
                item: p_item,
                field: "waivers.reference".into(),
            });
        }
        waived[usize::from(w.kind == WaiverKind::Progress)] += c;
    }
    super::validate::not_above(
        &p_item,
        "waivers.quality",
        waived[0],
        "quality_failures",
        failures,
    )?;
    super::validate::not_above(&p_item, "waivers.progress", waived[1], "delays", delays)?;
    Ok(Counts {
        assigned,
        completed,
        on_quality,
        on_time,
        failures,
        delays,
        waived,
    })
}

/// Scores the products of one period: `(Σ product points, explanation)`, points in `[0, T]`.
///
/// With `report_late` and a scheme whose `late_report_counts_as_not_done` is set, every
/// product counts as not done (0 points) after validation. An empty list scores 0.
pub fn score_products(
    scheme: &Scheme,
    products: &[Product],
    report_late: bool,
    item: &str,
) -> Result<(f64, Node), DomainError> {
    let TaskResultsRule::Products {
        max_points,
        weights,
        quality_deduction_per_failure,
        progress_deduction_per_delay,
        late_report_counts_as_not_done,
    } = &scheme.task_results
    else {
        return Err(DomainError::NotInScheme {
            item: item.to_owned(),
            field: "products".into(),
            scheme: scheme.id.clone(),
        });
    };
    unique_ids(item, "product", products.iter().map(|p| p.id.as_str()))?;
    let mut sorted: Vec<&Product> = products.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut total_weight = 0.0;
    for p in &sorted {
        total_weight += positive(&format!("{item}.product[{}]", p.id), "weight", p.weight)?;
    }
    let mut node = Node::new("task").num("max", *max_points);
    if sorted.is_empty() {
        return Ok((
            0.0,
            node.child(Node::new("task.no_products").points(0.0))
                .points(0.0),
        ));
    }
    let late = report_late && *late_report_counts_as_not_done;
    let mut total = 0.0;
    for p in sorted {
        let Counts {
            assigned,
            completed,
            on_quality,
            on_time,
            failures,
            delays,
            waived,
        } = check_product(p, item)?;

        let share = p.weight / total_weight;
        let p_max = max_points * share;
        let components = [
            Component {
                key: "task.quantity",
                count_arg: "completed",
                count: completed,
                weight: weights.quantity,
                deduction: None,
            },
            Component {
                key: "task.quality",
                count_arg: "on_quality",
                count: on_quality,
                weight: weights.quality,
                deduction: Some(Deduction {
                    key: "task.quality.deduction",
                    waiver_key: "task.quality.waiver",
                    events_arg: "failures",
                    events: failures,
                    rate: *quality_deduction_per_failure,
                    waivers: p
                        .waivers
                        .iter()
                        .filter(|w| w.kind == WaiverKind::Quality)
                        .collect(),
                    waived: waived[0],
                }),
            },
            Component {
                key: "task.progress",
                count_arg: "on_time",
                count: on_time,
                weight: weights.progress,
                deduction: Some(Deduction {
                    key: "task.progress.deduction",
                    waiver_key: "task.progress.waiver",
                    events_arg: "delays",
                    events: delays,
                    rate: *progress_deduction_per_delay,
                    waivers: p
                        .waivers
                        .iter()
                        .filter(|w| w.kind == WaiverKind::Progress)
                        .collect(),
                    waived: waived[1],
                }),
            },
        ];
        let mut product_points = 0.0;
        let mut product_node = Node::new("task.product")
            .text("product", &p.id)
            .num("weight", p.weight)
            .num("share", share)
            .num("max", p_max);
        if late {
            product_node.push(Node::new("task.late_report").points(0.0));
            node.push(product_node.points(0.0));
            continue;
        }
        for c in components {
            let c_max = p_max * c.weight;
            let ratio = c.count / assigned;
            let base = c_max * ratio;
            let mut c_node = Node::new(c.key)
                .num(c.count_arg, c.count)
                .num("assigned", assigned)
                .num("ratio", ratio)
                .num("component_weight", c.weight)
                .num("max", c_max);
            let mut points = base;
            if let Some(d) = c.deduction
                && d.events > 0.0
            {
                let counted = d.events - d.waived;
                let per_event = d.rate * c_max;
                let deduction = (counted * per_event).min(base);
                points = base - deduction;
                let mut d_node = Node::new(d.key)
                    .num(d.events_arg, d.events)
                    .num("waived", d.waived)
                    .num("counted", counted)
                    .num("rate", d.rate)
                    .num("per_event", per_event)
                    .points(-deduction);
                for w in d.waivers {
                    #[expect(
                        clippy::cast_precision_loss,
                        reason = "validated count, far below 2^53"
                    )]
                    let n = w.count as f64;
                    d_node.push(
                        Node::new(d.waiver_key)
                            .num("count", n)
                            .text("reference", &w.reference),
                    );
                }
                c_node.push(d_node);
            }
            product_points += points;
            product_node.push(c_node.points(points));
        }
        total += product_points;
        node.push(product_node.points(product_points));
    }
    Ok((total, node.points(total)))
}

/// Applies the leader rule to a leader's own task points (`own`, out of `max` points):
///
/// `points = (1 − s) × own + s × max × unit% ÷ 100 × factor`, where `s` is the scheme's
/// `unit_result_share`, `unit%` the unit's operating result (0–100 %) and `factor` is
/// `factor_all_ok` (1.0) when every classified subordinate is at least `subordinate_min_level`
/// (HTNV), else `factor_any_below` (0.5). Returns the points and the `task.leader` node
/// wrapping `own_node`.
pub fn apply_leader_rule(
    rule: &LeaderRule,
    max: f64,
    own: f64,
    own_node: Node,
    unit_percent: f64,
    subordinate_levels: &[Level],
    item: &str,
) -> Result<(f64, Node), DomainError> {
    let unit_percent = in_range(item, "unit_result_percent", unit_percent, 0.0, 100.0)?;
    let below = subordinate_levels
        .iter()
        .filter(|l| **l < rule.subordinate_min_level)
        .count();
    let factor = if below == 0 {
        rule.factor_all_ok
    } else {
        rule.factor_any_below
    };
    let s = rule.unit_result_share;
    let own_part = (1.0 - s) * own;
    let unit_part = s * max * unit_percent / 100.0 * factor;
    let points = own_part + unit_part;
    #[expect(
        clippy::cast_precision_loss,
        reason = "subordinate counts are far below 2^53"
    )]
    let (n_subs, n_below) = (subordinate_levels.len() as f64, below as f64);
    let node = Node::new("task.leader")
        .num("max", max)
        .child(
            Node::new("task.leader.own")
                .num("share", 1.0 - s)
                .num("own_points", own)
                .points(own_part)
                .child(own_node),
        )
        .child(
            Node::new("task.leader.unit")
                .num("unit_percent", unit_percent)
                .num("share", s)
                .num("factor", factor)
                .num("subordinates", n_subs)
                .num("below_min", n_below)
                .text("min_level", rule.subordinate_min_level.code())
                .points(unit_part),
        )
        .points(points);
    Ok((points, node))
}
