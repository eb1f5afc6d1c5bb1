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
    "incomplete",
    "incomplete.criterion",
    "level.HTXSNV",
    "level.HTTNV",
    "level.HTNV",
    "level.KHTNV",
    "level.NOT_CLASSIFIED",
    "period_kind.month",
    "period_kind.quarter",
    // The names of the built-in schemes' criteria (groups and criteria by id).
    "criterion.politics_ethics_discipline",
    "criterion.competence_responsibility",
    "criterion.innovation",
    "criterion.general_criteria",
    "criterion.politics_ideology",
    "criterion.ethics_lifestyle",
    "criterion.working_style",
    "criterion.discipline_order",
    "criterion.admin_reform_it",
    "criterion.organisation_discipline",
];

/// The explanation of a period that cannot be scored yet: why — a criterion not yet scored by
/// its name (the usual case of a sheet being filled), else the engine's error.
pub fn incomplete(error: &super::DomainError) -> Node {
    if let super::DomainError::Missing { kind, id, .. } = error
        && kind == "criterion"
    {
        let cause = Node::new("incomplete.criterion").text("criterion", id);
        return Node::new("incomplete").child(cause);
    }
    let message = error.message();
    let mut cause = Node::new("incomplete");
    cause.key = Cow::Owned(message.key);
    cause.args = message
        .args
        .into_iter()
        .map(|(name, value)| (Cow::Owned(name), Arg::Text(value)))
        .collect();
    Node::new("incomplete").child(cause)
}

/// A language of the explanation templates in `explain_keys.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// The templates of every key, parsed once: `key → (vi, en)`.
fn templates() -> &'static BTreeMap<String, (String, String)> {
    static TEMPLATES: std::sync::OnceLock<BTreeMap<String, (String, String)>> =
        std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        #[derive(Deserialize)]
        struct Pair {
            vi: String,
            en: String,
        }
        serde_json::from_str::<BTreeMap<String, Pair>>(super::EXPLAIN_KEYS_JSON)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, p)| (k, (p.vi, p.en)))
            .collect()
    })
}

/// The template of `key` in `lang`, if the file has it.
pub fn template(key: &str, lang: Lang) -> Option<&'static str> {
    templates().get(key).map(|(vi, en)| match lang {
        Lang::Vi => vi.as_str(),
        Lang::En => en.as_str(),
    })
}

/// A level code with its full name, e.g. `HTXSNV (Hoàn thành xuất sắc nhiệm vụ)`; any other
/// text unchanged.
pub fn level_with_name(code: &str, lang: Lang) -> String {
    match template(&format!("level.{code}"), lang) {
        Some(name) => format!("{code} ({name})"),
        None => code.to_owned(),
    }
}

/// The display name of a built-in scheme, e.g. `Nghị định 335/2025/NĐ-CP — …`.
pub fn scheme_name(id: &str, lang: Lang) -> Option<String> {
    static SCHEMES: std::sync::OnceLock<Vec<super::Scheme>> = std::sync::OnceLock::new();
    let schemes = SCHEMES.get_or_init(|| super::builtin_schemes().unwrap_or_default());
    let scheme = schemes.iter().find(|s| s.id == id)?;
    Some(match lang {
        Lang::Vi => scheme.name.vi.clone(),
        Lang::En => scheme.name.en.clone(),
    })
}

/// One argument as shown: numbers without needless zeros, level codes with their names,
/// period kinds, criteria and schemes by their names.
fn show_arg(name: &str, arg: &Arg, lang: Lang) -> String {
    match arg {
        Arg::Num(n) => {
            let text = format!("{n:.4}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            if text == "-0" {
                "0".to_owned()
            } else {
                text.to_owned()
            }
        }
        Arg::Text(t) if name == "period_kind" => {
            template(&format!("period_kind.{t}"), lang).map_or_else(|| t.clone(), str::to_owned)
        }
        Arg::Text(t) if name == "group" || name == "criterion" => {
            template(&format!("criterion.{t}"), lang).map_or_else(|| t.clone(), str::to_owned)
        }
        Arg::Text(t) if name == "scheme" => scheme_name(t, lang).unwrap_or_else(|| t.clone()),
        Arg::Text(t) => level_with_name(t, lang),
    }
}

/// One line of an explanation in `lang`: the node's template with its `{arg}` placeholders
/// filled; the key itself when the file lacks it.
pub fn render_line(node: &Node, lang: Lang) -> String {
    let Some(template) = template(&node.key, lang) else {
        return node.key.to_string();
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match node.args.get(name) {
                    Some(arg) => out.push_str(&show_arg(name, arg, lang)),
                    None => out.push_str(name),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod render_tests {
    use super::*;

    #[test]
    fn a_line_fills_its_template_with_names_for_levels() {
        let node = Node::new("band")
            .text("op", "≥")
            .num("min", 90.0)
            .text("level", "HTXSNV");
        assert_eq!(
            render_line(&node, Lang::Vi),
            "Khung điểm: ≥ 90 điểm → HTXSNV (Hoàn thành xuất sắc nhiệm vụ)"
        );
        assert_eq!(
            render_line(&node, Lang::En),
            "Band: ≥ 90 points → HTXSNV (Excellently completed tasks)"
        );
    }

    #[test]
    fn numbers_lose_trailing_zeros_and_kinds_are_translated() {
        let node = Node::new("period")
            .text("period_kind", "month")
            .num("period", 11.0);
        let vi = render_line(&node, Lang::Vi);
        assert!(vi.ends_with(" 11"), "{vi}");
        assert!(!vi.contains("month"), "{vi}");
        let share = Node::new("task.product")
            .text("product", "SP01")
            .num("weight", 1.5)
            .num("share", 0.3333)
            .num("max", 23.3333);
        assert!(render_line(&share, Lang::En).contains("share 0.3333, at most 23.3333"));
    }

    #[test]
    fn criteria_and_schemes_are_named_not_coded() {
        let group = Node::new("general.group")
            .text("group", "politics_ethics_discipline")
            .num("max", 10.0);
        assert_eq!(
            render_line(&group, Lang::Vi),
            "Nhóm tiêu chí chính trị, đạo đức, văn hóa công vụ, kỷ luật (tối đa 10 điểm)"
        );
        let official = Node::new("official")
            .text("id", "CB000001")
            .text("unit", "Phường An Cựu")
            .text("task_group", "C")
            .text("scheme", "decree-335-2025")
            .text("version", "1.0.0");
        let en = render_line(&official, Lang::En);
        assert!(en.contains("scheme Decree 335/2025/ND-CP"), "{en}");
        assert!(!en.contains("decree-335-2025"), "{en}");
    }

    #[test]
    fn an_unknown_key_shows_itself() {
        assert_eq!(
            render_line(&Node::new("no.such.key"), Lang::En),
            "no.such.key"
        );
    }
}
