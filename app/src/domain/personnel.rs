//! The "in – out – up – down" board: who the rules put forward for promotion ("up"), for
//! streamlining ("out", Decree 154/2025) or as the weakest ("down"); the staffing balance of
//! each unit against its approved headcount and the transfers that would rebalance a
//! province; and the checks of a recorded decision. Rules are data ([`PersonnelRules`], with
//! documented defaults); nothing here decides for a person — it only proposes, with evidence.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::{Principal, Role};
use super::check_in::Invalid;
use super::level::Level;
use super::warning::out_of_range;
use crate::code_enum;

/// The organisation's candidate rules. Defaults (documented in `docs/personnel.md`): **up**
/// after Excellent (HTXSNV) in each of the last 6 monthly periods and in the top 10 % of the
/// task group in the latest; **out** after Did not complete (KHTNV) in each of the last 1
/// year (a streamlining candidate under Decree 154/2025); **down** the bottom 5 % of the scope
/// by their mean yearly score over the last 3 years (as Hà Nội's restructuring instructions
/// rank bottom-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonnelRules {
    /// Monthly periods in a row with HTXSNV for "up".
    pub up_periods: u32,
    /// The top share of the task group (percent) the latest score must fall in for "up".
    pub up_top_percent: u32,
    /// Years in a row with KHTNV for "out".
    pub out_years: u32,
    /// Years averaged for the bottom-up ranking.
    pub down_years: u32,
    /// The bottom share (percent) of the ranking put forward for "down".
    pub down_bottom_percent: u32,
}

impl Default for PersonnelRules {
    fn default() -> Self {
        PersonnelRules {
            up_periods: 6,
            up_top_percent: 10,
            out_years: 1,
            down_years: 3,
            down_bottom_percent: 5,
        }
    }
}

/// Each field of [`PersonnelRules`] with the range it accepts, in the order of the form.
pub const PERSONNEL_FIELDS: [(&str, u32, u32); 5] = [
    ("up_periods", 1, 24),
    ("up_top_percent", 1, 100),
    ("out_years", 1, 5),
    ("down_years", 1, 5),
    ("down_bottom_percent", 1, 50),
];

impl PersonnelRules {
    /// The values in the order of [`PERSONNEL_FIELDS`].
    pub fn values(&self) -> [u32; 5] {
        [
            self.up_periods,
            self.up_top_percent,
            self.out_years,
            self.down_years,
            self.down_bottom_percent,
        ]
    }

    /// Rules from values in the order of [`PERSONNEL_FIELDS`], each checked against its range.
    pub fn from_values(v: [u32; 5]) -> Result<PersonnelRules, Vec<Invalid>> {
        let refused = out_of_range(&PERSONNEL_FIELDS, &v);
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok(PersonnelRules {
            up_periods: v[0],
            up_top_percent: v[1],
            out_years: v[2],
            down_years: v[3],
            down_bottom_percent: v[4],
        })
    }
}

/// The roots of the units whose people `principal` decides on: those of their organising
/// committee and leadership grants (the board is theirs; a unit leader proposes, the
/// competent level decides).
pub fn deciding_roots(principal: &Principal) -> Vec<i64> {
    principal
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Organiser | Role::Leadership))
        .map(|g| g.unit_id)
        .collect()
}

/// The units whose organising committee the principal sits on (their organiser grants): the
/// candidate rules are theirs to set, when one of these is a province or city (a top-level
/// unit) — the rules hold for the whole organisation.
pub fn rule_setting_units(principal: &Principal) -> Vec<i64> {
    principal
        .grants
        .iter()
        .filter(|g| g.role == Role::Organiser)
        .map(|g| g.unit_id)
        .collect()
}

/// How many of `n` make the top (or bottom) `percent` %: ⌈n × percent ÷ 100⌉, at least one of
/// a non-empty group.
pub fn share_count(n: u64, percent: u32) -> u64 {
    if n == 0 {
        return 0;
    }
    (n * u64::from(percent)).div_ceil(100).max(1)
}

/// The "up" rule on one official: `levels` the final levels of the last
/// [`PersonnelRules::up_periods`] periods (newest first; `None` where not classified), and
/// `rank` the place (1 = best) of their latest score among the `group` members of their unit's
/// task group. Up when there are that many periods, all HTXSNV, and the rank is within the top
/// [`PersonnelRules::up_top_percent`] % ([`share_count`]).
pub fn is_up(levels: &[Option<Level>], rank: u64, group: u64, rules: &PersonnelRules) -> bool {
    levels.len() == rules.up_periods as usize
        && levels.iter().all(|l| *l == Some(Level::Htxsnv))
        && rank >= 1
        && rank <= share_count(group, rules.up_top_percent)
}

/// The "out" rule: KHTNV in each of the last [`PersonnelRules::out_years`] years (newest first).
pub fn is_out(years: &[Option<Level>], rules: &PersonnelRules) -> bool {
    years.len() == rules.out_years as usize && years.iter().all(|l| *l == Some(Level::Khtnv))
}

code_enum! {
    /// Why a person is on the board.
    pub enum Candidacy {
        /// Put forward for promotion or planning.
        Up = "up",
        /// A streamlining candidate (Decree 154/2025).
        Out = "out",
        /// Among the lowest of the bottom-up ranking.
        Down = "down",
    }
}

code_enum! {
    /// A recorded personnel decision.
    pub enum DecisionKind {
        /// Recruited or returned to work in a unit.
        In = "in",
        /// Left the service (streamlining, resignation, retirement).
        Out = "out",
        /// Promoted or appointed.
        Promote = "promote",
        /// Demoted or relieved of a post.
        Demote = "demote",
        /// Moved to another unit.
        Transfer = "transfer",
    }
}

/// The longest rationale, in characters.
pub const RATIONALE_MAX_CHARS: usize = 2_000;

/// The longest decision reference ("125/QĐ-UBND"), in characters.
pub const REFERENCE_MAX_CHARS: usize = 100;

/// A decision as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionDraft {
    pub kind: String,
    /// The unit moved to (a transfer) or joined (in).
    pub to_unit: Option<i64>,
    /// The official's unit now.
    pub from_unit: i64,
    pub effective_on: Option<NaiveDate>,
    pub reference: String,
    pub rationale: String,
}

/// A decision that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub kind: DecisionKind,
    pub to_unit: Option<i64>,
    pub effective_on: NaiveDate,
    pub reference: String,
    pub rationale: String,
}

/// Checks a decision: a known kind (`kind`: `unknown_kind`); a transfer names a unit other
/// than the official's (`to_unit`: `required_value`, `same_unit`), the other kinds name none
/// but "in", which may; a date (`effective_on`: `not_a_date`); a reference and a rationale,
/// both required and within their limits (`required_value`, `too_long`).
pub fn check_decision(draft: DecisionDraft) -> Result<Decision, Vec<Invalid>> {
    let mut refused = Vec::new();
    let mut refuse = |field, key| refused.push(Invalid { field, key });
    let kind = DecisionKind::from_code(&draft.kind);
    match kind {
        None => refuse("kind", "unknown_kind"),
        Some(DecisionKind::Transfer) => match draft.to_unit {
            None => refuse("to_unit", "required_value"),
            Some(u) if u == draft.from_unit => refuse("to_unit", "same_unit"),
            Some(_) => {}
        },
        Some(_) => {}
    }
    if draft.effective_on.is_none() {
        refuse("effective_on", "not_a_date");
    }
    let reference = draft.reference.trim().to_owned();
    if reference.is_empty() {
        refuse("reference", "required_value");
    } else if reference.chars().count() > REFERENCE_MAX_CHARS {
        refuse("reference", "too_long");
    }
    let rationale = draft.rationale.trim().to_owned();
    if rationale.is_empty() {
        refuse("rationale", "required_value");
    } else if rationale.chars().count() > RATIONALE_MAX_CHARS {
        refuse("rationale", "too_long");
    }
    match (kind, draft.effective_on, refused.is_empty()) {
        (Some(kind), Some(effective_on), true) => Ok(Decision {
            to_unit: match kind {
                DecisionKind::Transfer | DecisionKind::In => draft.to_unit,
                _ => None,
            },
            kind,
            effective_on,
            reference,
            rationale,
        }),
        _ => Err(refused),
    }
}

/// A unit's staff as the balance sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStaff {
    pub unit_id: i64,
    /// The province (the root of its tree) it belongs to.
    pub province_id: i64,
    /// Active officials now.
    pub active: u32,
    /// Approved headcount (0: none set — the unit is left out of the balance).
    pub approved: u32,
    /// Active officials by job position.
    pub positions: BTreeMap<String, u32>,
}

impl UnitStaff {
    /// Officials above (positive) or below (negative) the approved headcount.
    pub fn gap(&self) -> i64 {
        i64::from(self.active) - i64::from(self.approved)
    }
}

/// A suggested move of `count` officials holding `job_position` from a surplus unit to a
/// shortage unit of the same province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub from_unit: i64,
    pub to_unit: i64,
    pub job_position: String,
    pub count: u32,
}

/// The transfers that would rebalance each province step by step. Within a province, the
/// unit with the largest surplus gives to the unit with the largest shortage (ties by id),
/// as many as the smaller of the two — so no source falls below its approved headcount and
/// no target rises above it — and never across provinces. The people moved are taken one at
/// a time from the source's job position that the target holds least of relative to the
/// source (the position the source has most to spare), ties by name. Units without an
/// approved headcount are left out.
pub fn suggest_transfers(units: &[UnitStaff]) -> Vec<Transfer> {
    let mut by_province: BTreeMap<i64, Vec<&UnitStaff>> = BTreeMap::new();
    for u in units.iter().filter(|u| u.approved > 0) {
        by_province.entry(u.province_id).or_default().push(u);
    }
    let mut out = Vec::new();
    for members in by_province.values() {
        let mut surplus: Vec<(i64, &UnitStaff)> = members
            .iter()
            .filter(|u| u.gap() > 0)
            .map(|u| (u.gap(), *u))
            .collect();
        let mut shortage: Vec<(i64, &UnitStaff)> = members
            .iter()
            .filter(|u| u.gap() < 0)
            .map(|u| (-u.gap(), *u))
            .collect();
        let order = |a: &(i64, &UnitStaff), b: &(i64, &UnitStaff)| {
            b.0.cmp(&a.0).then(a.1.unit_id.cmp(&b.1.unit_id))
        };
        surplus.sort_by(order);
        shortage.sort_by(order);
        let mut spare: BTreeMap<i64, BTreeMap<String, u32>> = surplus
            .iter()
            .map(|(_, u)| (u.unit_id, u.positions.clone()))
            .collect();
        let (mut s, mut t) = (0, 0);
        while s < surplus.len() && t < shortage.len() {
            let (source, target) = (surplus[s].1, shortage[t].1);
            let k = surplus[s].0.min(shortage[t].0);
            let positions = spare.entry(source.unit_id).or_default();
            let mut moved: BTreeMap<String, u32> = BTreeMap::new();
            for _ in 0..k {
                let held = |p: &str| {
                    target.positions.get(p).copied().unwrap_or(0)
                        + moved.get(p).copied().unwrap_or(0)
                };
                let pick = positions
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .max_by(|a, b| {
                        let room = |(p, n): (&String, &u32)| i64::from(*n) - i64::from(held(p));
                        room(*a).cmp(&room(*b)).then(b.0.cmp(a.0))
                    })
                    .map(|(p, _)| p.clone());
                let Some(pick) = pick else { break };
                if let Some(n) = positions.get_mut(&pick) {
                    *n -= 1;
                }
                *moved.entry(pick).or_default() += 1;
            }
            let given: i64 = moved.values().map(|n| i64::from(*n)).sum();
            out.extend(moved.into_iter().map(|(job_position, count)| Transfer {
                from_unit: source.unit_id,
                to_unit: target.unit_id,
                job_position,
                count,
            }));
            surplus[s].0 -= given;
            shortage[t].0 -= given;
            if given < k {
                // The source has no one left to give (its positions are all taken).
                surplus[s].0 = 0;
            }
            if surplus[s].0 <= 0 {
                s += 1;
            }
            if shortage[t].0 <= 0 {
                t += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn staff(
        unit_id: i64,
        province_id: i64,
        approved: u32,
        positions: &[(&str, u32)],
    ) -> UnitStaff {
        UnitStaff {
            unit_id,
            province_id,
            active: positions.iter().map(|(_, n)| n).sum(),
            approved,
            positions: positions
                .iter()
                .map(|(p, n)| ((*p).to_owned(), *n))
                .collect(),
        }
    }

    #[test]
    fn the_surplus_goes_to_the_shortage_of_the_same_province_by_position() {
        let units = [
            // Province 1: unit 1 has 3 too many, unit 2 lacks 2, unit 3 is balanced.
            staff(1, 1, 10, &[("Tư pháp", 6), ("Địa chính", 7)]),
            staff(2, 1, 12, &[("Tư pháp", 6), ("Địa chính", 4)]),
            staff(3, 1, 5, &[("Tư pháp", 5)]),
            // Province 2 lacks people but nobody there has to spare.
            staff(4, 2, 9, &[("Tư pháp", 1)]),
        ];
        let moves = suggest_transfers(&units);
        assert_eq!(
            moves,
            [Transfer {
                from_unit: 1,
                to_unit: 2,
                job_position: "Địa chính".into(),
                count: 2
            }]
        );
    }

    #[test]
    fn a_surplus_is_shared_between_shortages_largest_first() {
        let units = [
            staff(1, 1, 2, &[("A", 3), ("B", 2)]), // +3
            staff(2, 1, 3, &[("A", 1)]),           // −2
            staff(3, 1, 4, &[("A", 3)]),           // −1
            staff(4, 1, 0, &[("A", 9)]),           // no approved headcount: left out
        ];
        let moves = suggest_transfers(&units);
        let to = |u| {
            moves
                .iter()
                .filter(|m| m.to_unit == u)
                .map(|m| m.count)
                .sum::<u32>()
        };
        assert_eq!((to(2), to(3)), (2, 1));
        assert!(moves.iter().all(|m| m.from_unit == 1));
    }

    #[test]
    fn candidate_rules_on_a_table() {
        let rules = PersonnelRules::default();
        let x = Some(Level::Htxsnv);
        let six = [x; 6];
        // 40 in the task group: the top 10 % is 4 people.
        assert!(is_up(&six, 4, 40, &rules));
        assert!(!is_up(&six, 5, 40, &rules));
        assert!(!is_up(&six[..5], 1, 40, &rules), "five periods are not six");
        let mut one_good = six;
        one_good[2] = Some(Level::Httnv);
        assert!(!is_up(&one_good, 1, 40, &rules));
        // A group of 3: the top 10 % is still its best.
        assert!(is_up(&six, 1, 3, &rules));
        assert!(is_out(&[Some(Level::Khtnv)], &rules));
        assert!(!is_out(&[Some(Level::Htnv)], &rules));
        assert!(!is_out(&[], &rules));
        assert_eq!(share_count(200, 5), 10);
        assert_eq!(share_count(7, 5), 1);
        assert_eq!(share_count(0, 5), 0);
    }

    #[test]
    fn a_decision_is_checked_field_by_field() {
        let draft = DecisionDraft {
            kind: "transfer".into(),
            to_unit: Some(2),
            from_unit: 1,
            effective_on: NaiveDate::from_ymd_opt(2026, 12, 1),
            reference: "125/QĐ-UBND".into(),
            rationale: "Cân đối biên chế".into(),
        };
        let ok = check_decision(draft.clone()).expect("valid");
        assert_eq!((ok.kind, ok.to_unit), (DecisionKind::Transfer, Some(2)));
        let bad = DecisionDraft {
            to_unit: Some(1),
            effective_on: None,
            reference: "x".repeat(101),
            rationale: " ".into(),
            ..draft.clone()
        };
        let fields: Vec<(&str, &str)> = check_decision(bad)
            .expect_err("four fields")
            .iter()
            .map(|i| (i.field, i.key))
            .collect();
        assert_eq!(
            fields,
            [
                ("to_unit", "same_unit"),
                ("effective_on", "not_a_date"),
                ("reference", "too_long"),
                ("rationale", "required_value"),
            ]
        );
        let promote = check_decision(DecisionDraft {
            kind: "promote".into(),
            ..draft.clone()
        })
        .expect("promotion");
        assert_eq!(
            promote.to_unit, None,
            "only a transfer or an entry moves someone"
        );
        let unknown = check_decision(DecisionDraft {
            kind: "fire".into(),
            ..draft
        });
        assert_eq!(unknown.expect_err("kind")[0].field, "kind");
    }

    fn units() -> impl Strategy<Value = Vec<UnitStaff>> {
        prop::collection::vec(
            (1i64..4, 0u32..15, prop::collection::vec(0u32..6, 3)),
            1..12,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (province, approved, counts))| {
                    let names = ["A", "B", "C"];
                    let positions: Vec<(&str, u32)> = names.iter().copied().zip(counts).collect();
                    staff(
                        i64::try_from(i).unwrap_or(0) + 1,
                        province,
                        approved,
                        &positions,
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn transfers_stay_in_the_province_and_keep_sources_at_their_headcount(units in units()) {
            let moves = suggest_transfers(&units);
            let unit = |id: i64| units.iter().find(|u| u.unit_id == id).expect("unit");
            let mut out: BTreeMap<i64, i64> = BTreeMap::new();
            let mut inn: BTreeMap<i64, i64> = BTreeMap::new();
            let mut taken: BTreeMap<(i64, String), u32> = BTreeMap::new();
            for m in &moves {
                prop_assert_eq!(unit(m.from_unit).province_id, unit(m.to_unit).province_id);
                prop_assert!(m.count > 0);
                *out.entry(m.from_unit).or_default() += i64::from(m.count);
                *inn.entry(m.to_unit).or_default() += i64::from(m.count);
                *taken.entry((m.from_unit, m.job_position.clone())).or_default() += m.count;
            }
            for (id, n) in out {
                prop_assert!(unit(id).gap() - n >= 0, "unit {} left below its headcount", id);
            }
            for (id, n) in inn {
                prop_assert!(unit(id).gap() + n <= 0, "unit {} pushed above its headcount", id);
            }
            for ((id, position), n) in taken {
                prop_assert!(n <= unit(id).positions.get(&position).copied().unwrap_or(0));
            }
        }
    }
}
