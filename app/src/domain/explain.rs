//! Explanation trees: every score carries a serialisable tree of [`Node`]s — inputs, each
//! deduction, each weight, subtotals, band, overrides and quota decisions.
//!
//! A node holds no prose: only a stable `key` (e.g. `task.quality.deduction`), named `args`
//! and optional `points`. The UI renders it line by line from the Vietnamese/English templates
//! in `explain_keys.json` (`{arg}` placeholders). Displayed numbers are rounded: `points` to
//! 2 decimals and numeric `args` to 4 decimals (see [`super::num`]); totals are computed from
//! unrounded values and then rounded, so a displayed sum may differ from its parts by 0.01.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::num::{round2, round4};

/// A named argument of an explanation node: a number (rounded to 4 decimals) or a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A number: a count, a ratio (0–1), a weight, points or months.
    Num(f64),
    /// A text: an id, a level code, a legal citation, a reference number.
    Text(String),
}

/// One line of an explanation: `key` + `args`, the `points` it contributes (if any) and the
/// lines it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Stable message key, looked up in `explain_keys.json`.
    pub key: Cow<'static, str>,
    /// Named arguments for the message template, sorted by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<Cow<'static, str>, Arg>,
    /// Points this line contributes (negative for a deduction), rounded to 2 decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Sub-lines, in a meaningful, deterministic order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

impl Node {
    /// A node with this key and nothing else.
    pub fn new(key: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            args: BTreeMap::new(),
            points: None,
            children: Vec::new(),
        }
    }

    /// Adds a numeric argument (rounded to 4 decimals).
    #[must_use]
    pub fn num(mut self, name: &'static str, value: f64) -> Self {
        self.args
            .insert(Cow::Borrowed(name), Arg::Num(round4(value)));
        self
    }

    /// Adds a text argument.
    #[must_use]
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args
            .insert(Cow::Borrowed(name), Arg::Text(value.into()));
        self
    }

    /// Sets the points of this line (rounded to 2 decimals).
    #[must_use]
    pub fn points(mut self, points: f64) -> Self {
        self.points = Some(round2(points));
        self
    }

    /// Appends a child line.
    #[must_use]
    pub fn child(mut self, child: Node) -> Self {
        self.children.push(child);
        self
    }

    /// Appends a child line in place.
    pub fn push(&mut self, child: Node) {
        self.children.push(child);
    }

    /// Calls `f` on this node and every descendant, depth first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Node)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }
}

/// Every explanation key the engine can emit (the i18n completeness test checks each against
/// `explain_keys.json`).
pub const EXPLAIN_KEYS: &[&str] = &[
    "official",
    "period",
    "period.band",
    "period.merged_into_year",
    "general",
    "general.group",
    "general.criterion",
    "task",
    "task.product",
    "task.quantity",
    "task.quality",
    "task.quality.deduction",
    "task.quality.waiver",
    "task.progress",
    "task.progress.deduction",
    "task.progress.waiver",
    "task.late_report",
    "task.no_products",
    "task.leader",
    "task.leader.own",
    "task.leader.unit",
    "okr",
    "okr.objective",
    "okr.kr.increase_to",
    "okr.kr.decrease_to",
    "okr.kr.milestone",
    "okr.kr.stay_within",
    "okr.kr.clamped",
    "transfer.carried",
    "year",
    "year.no_periods",
    "time.worked",
    "time.below_minimum",
    "time.leave_cap",
    "band",
    "band.below_all",
    "override",
    "quota.kept",
    "quota.demoted",
    "quota.exception",
    "quota.tie",
    "result",
    "level.HTXSNV",
    "level.HTTNV",
    "level.HTNV",
    "level.KHTNV",
    "level.NOT_CLASSIFIED",
    "period_kind.month",
    "period_kind.quarter",
];
