//! OKR scoring: key-result attainment by kind, weighted within an objective, objectives
//! weighted within the period, scaled to the scheme's task maximum (100 in `okr-basic`).
//!
//! Attainment `a ∈ [0, 1]` (unitless):
//! * `increase_to` / `decrease_to`: `clamp((current − start) ÷ (target − start), 0, 1)`;
//! * `milestone`: 1 when done, else 0;
//! * `stay_within`: 1 when `low ≤ current ≤ high`, else 0.
//!
//! Period points `= max × Σ_o w_o × Σ_k w_k × a_k`, with the `w_k` of each objective and the
//! `w_o` of the period each summing to 1. [`okr_points_fast`] computes this without allocating;
//! [`score_okr`] validates and explains.

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::explain::Node;
use super::validate::{finite, not_above, unique_ids, weights_sum_to_one};

/// How a key result is measured. Values are in the KR's own unit (%, count, days, VND…).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// Raise a value from `start` to `target` (`target > start`).
    IncreaseTo {
        /// Baseline.
        start: f64,
        /// Goal.
        target: f64,
        /// Latest value.
        current: f64,
    },
    /// Lower a value from `start` to `target` (`target < start`).
    DecreaseTo {
        /// Baseline.
        start: f64,
        /// Goal.
        target: f64,
        /// Latest value.
        current: f64,
    },
    /// Done or not.
    Milestone {
        /// Whether the milestone is reached.
        done: bool,
    },
    /// Keep a value within `[low, high]`.
    StayWithin {
        /// Lowest acceptable value.
        low: f64,
        /// Highest acceptable value.
        high: f64,
        /// Latest value.
        current: f64,
    },
}

impl Measure {
    /// The same measure with `value` as its latest value (a milestone is done at 1 or more):
    /// how far a key result had come at a check-in.
    pub fn at(self, value: f64) -> Self {
        match self {
            Self::IncreaseTo { start, target, .. } => Self::IncreaseTo {
                start,
                target,
                current: value,
            },
            Self::DecreaseTo { start, target, .. } => Self::DecreaseTo {
                start,
                target,
                current: value,
            },
            Self::Milestone { .. } => Self::Milestone { done: value >= 1.0 },
            Self::StayWithin { low, high, .. } => Self::StayWithin {
                low,
                high,
                current: value,
            },
        }
    }
}

/// A key result with its weight inside its objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResult {
    /// KR id, unique within its objective.
    pub id: String,
    /// Weight within the objective (the objective's KR weights sum to 1).
    pub weight: f64,
    /// What is measured, flattened: `{"kind": "increase_to", "start": …, …}`.
    #[serde(flatten)]
    pub measure: Measure,
}

/// An objective with its weight inside the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Objective id, unique within the period.
    pub id: String,
    /// Weight within the period (the period's objective weights sum to 1).
    pub weight: f64,
    /// Its key results (at least one).
    pub key_results: Vec<KeyResult>,
}

/// Raw (unclamped) progress of a measure: `(current − start) ÷ (target − start)` for
/// increase/decrease, else 0 or 1. Unitless.
#[inline]
pub fn raw_attainment(m: &Measure) -> f64 {
    match *m {
        Measure::IncreaseTo {
            start,
            target,
            current,
        }
        | Measure::DecreaseTo {
            start,
            target,
            current,
        } => (current - start) / (target - start),
        Measure::Milestone { done } => f64::from(u8::from(done)),
        Measure::StayWithin { low, high, current } => {
            f64::from(u8::from(low <= current && current <= high))
        }
    }
}

/// Attainment of a measure, clamped to `[0, 1]` (unitless). Assumes a validated measure.
#[inline]
pub fn kr_attainment(m: &Measure) -> f64 {
    raw_attainment(m).clamp(0.0, 1.0)
}

/// Period points of validated objectives: `max × Σ_o w_o × Σ_k w_k × a_k` (points). The
/// numeric hot path: no allocation, no validation (run [`validate_objectives`] once first).
#[inline]
pub fn okr_points_fast(max: f64, objectives: &[Objective]) -> f64 {
    let mut total = 0.0;
    for o in objectives {
        let mut obj = 0.0;
        for kr in &o.key_results {
            obj += kr.weight * kr_attainment(&kr.measure);
        }
        total += o.weight * obj;
    }
    max * total
}

/// Validates one key result: finite values, target ≠ start and on the right side of it for
/// increase/decrease, `low ≤ high` for stay-within. Weights are checked by
/// [`validate_objectives`].
pub fn validate_kr(kr: &KeyResult, item: &str) -> Result<(), DomainError> {
    finite(item, "weight", kr.weight)?;
    match kr.measure {
        Measure::IncreaseTo {
            start,
            target,
            current,
        }
        | Measure::DecreaseTo {
            start,
            target,
            current,
        } => {
            finite(item, "start", start)?;
            finite(item, "target", target)?;
            finite(item, "current", current)?;
            if target == start {
                return Err(DomainError::TargetEqualsStart {
                    item: item.to_owned(),
                    value: start,
                });
            }
            let increase = matches!(kr.measure, Measure::IncreaseTo { .. });
            if increase != (target > start) {
                return Err(DomainError::WrongDirection {
                    item: item.to_owned(),
                    kind: (if increase {
                        "increase_to"
                    } else {
                        "decrease_to"
                    })
                    .into(),
                    direction: (if increase { "above" } else { "below" }).into(),
                });
            }
        }
        Measure::Milestone { .. } => {}
        Measure::StayWithin { low, high, current } => {
            finite(item, "low", low)?;
            finite(item, "high", high)?;
            finite(item, "current", current)?;
            not_above(item, "low", low, "high", high)?;
        }
    }
    Ok(())
}

/// Validates objectives: unique non-empty ids, at least one objective and one KR per
/// objective, finite values, weights summing to 1 at both levels, no target equal to its start,
/// increase/decrease targets on the right side, `low ≤ high`.
pub fn validate_objectives(objectives: &[Objective], item: &str) -> Result<(), DomainError> {
    if objectives.is_empty() {
        return Err(DomainError::Empty {
            item: item.to_owned(),
            field: "objectives".into(),
        });
    }
    unique_ids(item, "objective", objectives.iter().map(|o| o.id.as_str()))?;
    weights_sum_to_one(
        item,
        "objectives.weight",
        objectives.iter().map(|o| o.weight),
    )?;
    for o in objectives {
        let o_item = format!("{item}.objective[{}]", o.id);
        if o.key_results.is_empty() {
            return Err(DomainError::Empty {
                item: o_item,
                field: "key_results".into(),
            });
        }
        unique_ids(&o_item, "kr", o.key_results.iter().map(|k| k.id.as_str()))?;
        for kr in &o.key_results {
            validate_kr(kr, &format!("{o_item}.kr[{}]", kr.id))?;
        }
        weights_sum_to_one(
            &o_item,
            "key_results.weight",
            o.key_results.iter().map(|k| k.weight),
        )?;
    }
    Ok(())
}

fn kr_node(kr: &KeyResult, weight_in_period: f64, max: f64) -> Node {
    let a = kr_attainment(&kr.measure);
    let raw = raw_attainment(&kr.measure);
    let node = match kr.measure {
        Measure::IncreaseTo {
            start,
            target,
            current,
        } => Node::new("okr.kr.increase_to")
            .num("start", start)
            .num("target", target)
            .num("current", current),
        Measure::DecreaseTo {
            start,
            target,
            current,
        } => Node::new("okr.kr.decrease_to")
            .num("start", start)
            .num("target", target)
            .num("current", current),
        Measure::Milestone { .. } => Node::new("okr.kr.milestone"),
        Measure::StayWithin { low, high, current } => Node::new("okr.kr.stay_within")
            .num("low", low)
            .num("high", high)
            .num("current", current),
    };
    let mut node = node
        .text("kr", &kr.id)
        .num("weight", kr.weight)
        .num("attainment", a)
        .points(max * weight_in_period * a);
    if raw != a {
        node.push(
            Node::new("okr.kr.clamped")
                .num("raw", raw)
                .num("attainment", a),
        );
    }
    node
}

/// Validates and scores objectives: `(points, okr node)`. Objectives and KRs are explained in
/// id order; the points equal [`okr_points_fast`] on the same data up to summation order.
pub fn score_okr(
    max: f64,
    objectives: &[Objective],
    item: &str,
) -> Result<(f64, Node), DomainError> {
    validate_objectives(objectives, item)?;
    let mut sorted: Vec<&Objective> = objectives.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut total = 0.0;
    let mut node = Node::new("okr").num("max", max);
    for o in sorted {
        let mut krs: Vec<&KeyResult> = o.key_results.iter().collect();
        krs.sort_by(|a, b| a.id.cmp(&b.id));
        let mut obj = 0.0;
        let mut o_node = Node::new("okr.objective")
            .text("objective", &o.id)
            .num("weight", o.weight);
        for kr in krs {
            obj += kr.weight * kr_attainment(&kr.measure);
            o_node.push(kr_node(kr, o.weight * kr.weight, max));
        }
        let points = max * o.weight * obj;
        total += points;
        node.push(o_node.num("attainment", obj).points(points));
    }
    Ok((total, node.points(total)))
}
