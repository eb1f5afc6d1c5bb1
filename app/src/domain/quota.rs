//! Calibration under quota (Decree 335 Art. 20): within one (unit, task group), the number
//! rated `top` (HTXSNV) may not exceed `p` % (20 %) of the number rated `relative_to` (HTTNV),
//! counted **after** demotions.
//!
//! With `n` at the top and `m` at the level below, the fewest demotions `d` such that
//! `100 × (n − d) ≤ p × (m + d)` is `d = ⌈max(0, 100n − pm) ÷ (100 + p)⌉` (integers, exact).
//! The highest scores keep the top level. Ties are broken deterministically: higher year score
//! first, then official id in ascending byte order; a tie that straddles the cut-off is flagged
//! (`tie_at_cutoff`) so the council can see it. Each demotion and each kept rating carries its
//! reason. An outstanding unit may hold an explicit exception (a decision reference and who
//! approved it) that lifts or raises the cap; it is recorded in the decision and in every
//! affected explanation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::explain::Node;
use super::level::Level;
use super::scheme::QuotaRule;

/// An explicit, audited exception for a unit with outstanding achievements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaException {
    /// Unit the exception applies to.
    pub unit: String,
    /// Task group the exception applies to.
    pub task_group: String,
    /// Reference of the decision granting it (must not be empty).
    pub reference: String,
    /// Who approved it (must not be empty).
    pub approved_by: String,
    /// New cap in %; `None` lifts the cap for this group.
    #[serde(default)]
    pub max_percent: Option<u32>,
}

/// One classified official as the quota sees them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuotaEntry<'a> {
    /// Official id.
    pub id: &'a str,
    /// Unit.
    pub unit: &'a str,
    /// Task group.
    pub task_group: &'a str,
    /// Year score (points).
    pub score: f64,
    /// Level before calibration.
    pub level: Level,
}

/// The audited calibration of one (unit, task group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaDecision {
    /// Unit.
    pub unit: String,
    /// Task group.
    pub task_group: String,
    /// Cap applied in % (`None`: lifted by an exception).
    pub max_percent: Option<u32>,
    /// Count at the top level before calibration.
    pub top_before: usize,
    /// Count at the reference level before calibration.
    pub relative_before: usize,
    /// Count at the top level after calibration.
    pub top_after: usize,
    /// Count at the reference level after calibration.
    pub relative_after: usize,
    /// Officials demoted, lowest score first.
    pub demoted: Vec<String>,
    /// Whether equal scores straddle the cut-off (decided by id order).
    pub tie_at_cutoff: bool,
    /// The exception applied, if any.
    pub exception: Option<QuotaException>,
}

/// What calibration did to one official at the top level.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaOutcome {
    /// Index of the official in the entries given to [`calibrate`].
    pub index: usize,
    /// New level when demoted.
    pub demoted_to: Option<Level>,
    /// The `quota.kept` or `quota.demoted` explanation line.
    pub node: Node,
}

/// Fewest demotions so that `100 × (top − d) ≤ p × (relative + d)`: `⌈max(0, 100·top − p·relative) ÷ (100 + p)⌉`.
pub fn demotions_needed(top: usize, relative: usize, max_percent: u32) -> usize {
    let (n, m, p) = (top as u128, relative as u128, u128::from(max_percent));
    let excess = (100 * n).saturating_sub(p * m);
    let d = excess.div_ceil(100 + p);
    usize::try_from(d).map_or(top, |d| d.min(top))
}

/// Validates exceptions against the rule and the groups present: allowed by the scheme,
/// reference and approver given, one per group, each naming a group that exists.
pub fn validate_exceptions(
    rule: Option<&QuotaRule>,
    scheme_id: &str,
    exceptions: &[QuotaException],
    groups: &BTreeSet<(&str, &str)>,
) -> Result<(), DomainError> {
    if exceptions.is_empty() {
        return Ok(());
    }
    if !rule.is_some_and(|r| r.allow_outstanding_exception) {
        return Err(DomainError::NotInScheme {
            item: "input".into(),
            field: "quota_exceptions".into(),
            scheme: scheme_id.to_owned(),
        });
    }
    let mut seen = BTreeSet::new();
    for e in exceptions {
        let item = format!("quota_exception[{}/{}]", e.unit, e.task_group);
        for (field, v) in [("reference", &e.reference), ("approved_by", &e.approved_by)] {
            if v.trim().is_empty() {
                return Err(DomainError::Empty {
                    item,
                    field: field.into(),
                });
            }
        }
        if !seen.insert((e.unit.as_str(), e.task_group.as_str())) {
            return Err(DomainError::DuplicateId {
                item: "input".into(),
                kind: "quota_exception".into(),
                id: format!("{}/{}", e.unit, e.task_group),
            });
        }
        if !groups.contains(&(e.unit.as_str(), e.task_group.as_str())) {
            return Err(DomainError::UnknownId {
                item: "quota_exceptions".into(),
                kind: "unit/task_group".into(),
                id: format!("{}/{}", e.unit, e.task_group),
            });
        }
    }
    Ok(())
}

/// Calibrates every (unit, task group): returns one decision per group (sorted by unit, then
/// task group) and one outcome per official at the top level.
pub fn calibrate(
    rule: &QuotaRule,
    entries: &[QuotaEntry<'_>],
    exceptions: &[QuotaException],
) -> (Vec<QuotaDecision>, Vec<QuotaOutcome>) {
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        groups.entry((e.unit, e.task_group)).or_default().push(i);
    }
    let mut decisions = Vec::new();
    let mut outcomes = Vec::new();
    for ((unit, group), members) in groups {
        let exception = exceptions
            .iter()
            .find(|e| e.unit == unit && e.task_group == group);
        let cap = match exception {
            Some(e) => e.max_percent,
            None => Some(rule.max_percent),
        };
        let mut top: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| entries[i].level == rule.top)
            .collect();
        top.sort_by(|&a, &b| {
            entries[b]
                .score
                .total_cmp(&entries[a].score)
                .then_with(|| entries[a].id.cmp(entries[b].id))
        });
        let relative = members
            .iter()
            .filter(|&&i| entries[i].level == rule.relative_to)
            .count();
        let d = cap.map_or(0, |p| demotions_needed(top.len(), relative, p));
        let allowed = top.len() - d;
        let tie =
            d > 0 && allowed > 0 && entries[top[allowed - 1]].score == entries[top[allowed]].score;
        let cutoff = allowed.checked_sub(1).map(|i| entries[top[i]].score);
        let pct_arg = |n: Node| match cap {
            Some(p) => n.num("max_percent", f64::from(p)),
            None => n.text("max_percent", "none"),
        };
        for (rank, &i) in top.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "group sizes are far below 2^53")]
            let (rank_f, allowed_f, relative_after) =
                ((rank + 1) as f64, allowed as f64, (relative + d) as f64);
            let demoted = rank >= allowed;
            let mut node = Node::new(if demoted {
                "quota.demoted"
            } else {
                "quota.kept"
            })
            .text("unit", unit)
            .text("task_group", group)
            .num("rank", rank_f)
            .num("allowed", allowed_f)
            .num("relative_after", relative_after)
            .text("from", rule.top.code())
            .text("to", rule.relative_to.code())
            .text("source", &rule.source);
            node = pct_arg(node);
            if tie && cutoff == Some(entries[i].score) {
                node.push(Node::new("quota.tie").num("score", entries[i].score));
            }
            if let Some(e) = exception {
                node.push(
                    Node::new("quota.exception")
                        .text("unit", unit)
                        .text("task_group", group)
                        .text("reference", &e.reference)
                        .text("approved_by", &e.approved_by),
                );
            }
            outcomes.push(QuotaOutcome {
                index: i,
                demoted_to: demoted.then_some(rule.relative_to),
                node,
            });
        }
        decisions.push(QuotaDecision {
            unit: unit.to_owned(),
            task_group: group.to_owned(),
            max_percent: cap,
            top_before: top.len(),
            relative_before: relative,
            top_after: allowed,
            relative_after: relative + d,
            demoted: top[allowed..]
                .iter()
                .rev()
                .map(|&i| entries[i].id.to_owned())
                .collect(),
            tie_at_cutoff: tie,
            exception: exception.cloned(),
        });
    }
    (decisions, outcomes)
}
