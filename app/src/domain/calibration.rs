//! The calibration board of one (unit, task group) in a cycle that the quota applies to (the
//! year, under Decree 335): its people in one column per level, the cap against the count, how
//! many must still leave the top level, and the engine's proposed demotions — computed by
//! [`quota::calibrate`](super::quota::calibrate) on the levels as they stand now, so the board
//! proposes exactly what the batch engine decides ([`score_batch`](super::score_batch)), with
//! the same tie-break and the same explanation lines. Pure; the board page, its service and its
//! exports read it.

use serde::{Deserialize, Serialize};

use super::compare::Concentration;
use super::equalize::{Group, spread};
use super::explain::Node;
use super::level::Level;
use super::quota::{QuotaEntry, QuotaException, calibrate};
use super::scheme::QuotaRule;

/// One person on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Their assessment in the cycle, and the version the board was read at.
    pub assessment_id: i64,
    pub version: i32,
    /// Official id and personnel code (the tie-break orders by the code).
    pub official_id: i64,
    pub code: String,
    pub name: String,
    /// The cycle's score (points); `None` when nothing was scored.
    pub score: Option<f64>,
    /// The level before calibration (the engine's classification); `None`: not classified.
    pub before: Option<Level>,
    /// The level as calibrated so far (`before` until someone moves them).
    pub now: Option<Level>,
    /// The calibrator's written reason: for a move, or for keeping someone the quota would
    /// demote.
    pub reason: Option<String>,
}

impl Person {
    /// Whether calibration moved them.
    pub fn moved(&self) -> bool {
        self.now != self.before
    }
}

/// A demotion the engine proposes: the person (index in [`Board::people`]), whether their
/// score ties with the last one kept, and why (`quota.demoted`, with `quota.tie` and
/// `quota.exception` under it when they apply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub index: usize,
    pub tie: bool,
    pub why: Node,
}

/// Counts at the top level and at the level the quota is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub top: usize,
    pub relative: usize,
}

/// The board of one (unit, task group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub task_group: String,
    /// Its people, highest score first (then by code).
    pub people: Vec<Person>,
    /// The level under quota, the level it is a share of, whether the scheme sets a quota at
    /// all (Regulation 366 does not), and the cap in % (`None`: lifted by an exception, or no
    /// quota).
    pub top: Level,
    pub relative_to: Level,
    pub quota: bool,
    pub cap: Option<u32>,
    /// Counts before calibration and as the levels stand now.
    pub before: Counts,
    pub now: Counts,
    /// How many still have to leave the top level (0: within the quota).
    pub remove: usize,
    /// The engine's proposed demotions on the levels as they stand, lowest score first.
    pub proposals: Vec<Proposal>,
    /// The recorded exception for an outstanding unit, if any.
    pub exception: Option<QuotaException>,
}

impl Board {
    /// Builds the board of `people` (any order) of `unit`'s `task_group` under `rule`, with
    /// the unit's recorded exception if any. Without a rule (a scheme that sets no quota, as
    /// Regulation 366) the board still counts HTXSNV against HTTNV, proposes nothing and caps
    /// nothing: the council reviews the levels, moves people with a reason and approves.
    pub fn new(
        rule: Option<&QuotaRule>,
        unit: &str,
        task_group: &str,
        mut people: Vec<Person>,
        exception: Option<QuotaException>,
    ) -> Board {
        people.sort_by(|a, b| {
            let (sa, sb) = (a.score.unwrap_or(f64::MIN), b.score.unwrap_or(f64::MIN));
            sb.total_cmp(&sa).then_with(|| a.code.cmp(&b.code))
        });
        let (top, relative_to) =
            rule.map_or((Level::Htxsnv, Level::Httnv), |r| (r.top, r.relative_to));
        let count = |level: fn(&Person) -> Option<Level>| Counts {
            top: people.iter().filter(|p| level(p) == Some(top)).count(),
            relative: people
                .iter()
                .filter(|p| level(p) == Some(relative_to))
                .count(),
        };
        let before = count(|p| p.before);
        let now = count(|p| p.now);
        let (proposals, cap) = match rule {
            Some(rule) => proposals(rule, unit, task_group, &people, exception.as_ref()),
            None => (Vec::new(), None),
        };
        Board {
            task_group: task_group.to_owned(),
            people,
            top,
            relative_to,
            quota: rule.is_some(),
            cap,
            before,
            now,
            remove: proposals.len(),
            proposals,
            exception,
        }
    }

    /// The people at `level` now (`None`: not classified), highest score first.
    pub fn column(&self, level: Option<Level>) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(move |p| p.now == level)
    }

    /// The number at each level before and now, highest level first, then "not classified".
    pub fn before_after(&self) -> Vec<(Option<Level>, usize, usize)> {
        Level::ALL
            .into_iter()
            .map(Some)
            .chain([None])
            .map(|l| {
                let count = |f: fn(&Person) -> Option<Level>| {
                    self.people.iter().filter(|p| f(p) == l).count()
                };
                (l, count(|p| p.before), count(|p| p.now))
            })
            .collect()
    }

    /// The people calibration moved.
    pub fn moved(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.moved())
    }

    /// Whether the board may be approved: within the quota as the levels stand.
    pub fn within_quota(&self) -> bool {
        self.remove == 0
    }
}

/// The engine's proposed demotions of `people` (highest score first) under `rule`, lowest
/// score first, and the cap they apply (`None`: lifted by the exception).
fn proposals(
    rule: &QuotaRule,
    unit: &str,
    task_group: &str,
    people: &[Person],
    exception: Option<&QuotaException>,
) -> (Vec<Proposal>, Option<u32>) {
    // Only the people at the two levels the quota counts matter to it.
    let (indexes, entries): (Vec<usize>, Vec<QuotaEntry<'_>>) = people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let level = p.now.filter(|l| *l == rule.top || *l == rule.relative_to)?;
            Some((
                i,
                QuotaEntry {
                    id: &p.code,
                    unit,
                    task_group,
                    score: p.score.unwrap_or(0.0),
                    level,
                },
            ))
        })
        .unzip();
    let exceptions: Vec<QuotaException> = exception.into_iter().cloned().collect();
    let (decisions, outcomes) = calibrate(rule, &entries, &exceptions);
    let mut proposals: Vec<Proposal> = outcomes
        .into_iter()
        .filter(|o| o.demoted_to.is_some())
        .map(|o| Proposal {
            index: indexes[o.index],
            tie: o.node.children.iter().any(|c| c.key == "quota.tie"),
            why: o.node,
        })
        .collect();
    // Lowest score first, as the decision lists them.
    proposals.reverse();
    let cap = decisions.first().map_or(
        exception.map_or(Some(rule.max_percent), |e| e.max_percent),
        |d| d.max_percent,
    );
    (proposals, cap)
}

/// Who approved a group's levels, and on which day: the levels are locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub by: String,
    pub on: String,
}

/// One group's board with what its forms send back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub version: i32,
    pub approved: Option<Approval>,
    /// Whether the reader is one of its people (their superior calibrates it).
    pub yours: bool,
    pub board: Board,
}

/// A unit's boards in one cycle, as the calibration page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitBoards {
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_code: String,
    /// The cycle shown (code) and every year cycle, latest first.
    pub cycle: Option<String>,
    pub cycle_id: Option<i64>,
    pub cycles: Vec<String>,
    /// Whether the cycle is in its calibration step (levels may move), and not closed.
    pub calibrating: bool,
    pub open: bool,
    /// Whether the reader may calibrate this unit (move, record an exception, approve).
    pub may_calibrate: bool,
    /// Whether the reader may download the unit's classification list.
    pub may_export: bool,
    /// Whether the scheme allows an exception for an outstanding unit.
    pub allows_exception: bool,
    pub groups: Vec<GroupView>,
    /// The equalization detector on the unit's year: the unit, and each reviewer of its
    /// people, whose levels are rated alike beyond chance against all the units of the
    /// province, with the evidence.
    pub equalized: Vec<Equalized>,
}

/// Who is rated alike beyond chance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Equalizer {
    /// The unit (its name).
    Unit(String),
    /// A reviewer (their name) of the unit's people.
    Reviewer(String),
}

/// A unit or reviewer flagged by the equalization detector, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equalized {
    pub who: Equalizer,
    pub evidence: Concentration,
}

/// The levels before calibration (HTXSNV, HTTNV, HTNV, KHTNV) and the score spread of some
/// of a unit's people, as the equalization detector reads them.
pub fn group_of(people: impl IntoIterator<Item = (Option<Level>, Option<f64>)>) -> Group {
    let mut levels = [0u32; 4];
    let mut scores = Vec::new();
    for (level, score) in people {
        if let Some(at) = level.and_then(|l| Level::ALL.iter().position(|x| *x == l)) {
            levels[at] += 1;
        }
        scores.extend(score);
    }
    Group::new(levels, spread(&scores))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::builtin_scheme;

    fn rule() -> QuotaRule {
        builtin_scheme("decree-335-2025")
            .ok()
            .and_then(|s| s.quota)
            .expect("Decree 335 has a quota")
    }

    fn person(i: i64, score: f64, level: Level) -> Person {
        Person {
            assessment_id: i,
            version: 1,
            official_id: i,
            code: format!("CB{i:03}"),
            name: format!("Người {i}"),
            score: Some(score),
            before: Some(level),
            now: Some(level),
            reason: None,
        }
    }

    #[test]
    fn four_excellent_over_five_good_must_lose_three_lowest_first() {
        // 4 HTXSNV, 5 HTTNV, cap 20 %: d = ⌈(400 − 100) ÷ 120⌉ = 3; 1 ≤ 0.2 × 8.
        let mut people: Vec<Person> = (1..=4)
            .map(|i| person(i, 90.0 + i as f64, Level::Htxsnv))
            .collect();
        people.extend((5..=9).map(|i| person(i, 80.0, Level::Httnv)));
        let board = Board::new(Some(&rule()), "Phường A", "B", people, None);
        assert_eq!(board.remove, 3);
        assert_eq!(board.cap, Some(20));
        assert_eq!(
            board.before,
            Counts {
                top: 4,
                relative: 5
            }
        );
        let demoted: Vec<&str> = board
            .proposals
            .iter()
            .map(|p| board.people[p.index].code.as_str())
            .collect();
        assert_eq!(demoted, ["CB001", "CB002", "CB003"]);
        assert!(board.proposals.iter().all(|p| !p.tie));
        assert_eq!(board.proposals[0].why.key, "quota.demoted");
        assert!(!board.within_quota());
    }

    #[test]
    fn without_a_quota_nothing_is_proposed_and_the_board_may_be_approved() {
        // Regulation 366 sets no cap: 4 HTXSNV over 5 HTTNV stay as they are.
        let mut people: Vec<Person> = (1..=4)
            .map(|i| person(i, 90.0 + i as f64, Level::Htxsnv))
            .collect();
        people.extend((5..=9).map(|i| person(i, 80.0, Level::Httnv)));
        let board = Board::new(None, "Chi bộ A", "B", people, None);
        assert!(!board.quota);
        assert_eq!((board.cap, board.remove), (None, 0));
        assert!(board.proposals.is_empty() && board.within_quota());
        assert_eq!(
            board.now,
            Counts {
                top: 4,
                relative: 5
            }
        );
        assert!(Board::new(Some(&rule()), "U", "B", board.people, None).quota);
    }

    #[test]
    fn a_tie_at_the_cut_off_is_flagged_and_decided_by_code() {
        let mut people = vec![
            person(2, 95.0, Level::Htxsnv),
            person(1, 95.0, Level::Htxsnv),
        ];
        people.extend((3..=7).map(|i| person(i, 80.0, Level::Httnv)));
        let board = Board::new(Some(&rule()), "U", "B", people, None);
        assert_eq!(board.remove, 1);
        let p = &board.proposals[0];
        assert!(p.tie);
        // Equal scores: the lower code keeps the level.
        assert_eq!(board.people[p.index].code, "CB002");
    }

    #[test]
    fn moves_count_and_an_exception_lifts_the_cap() {
        let mut people: Vec<Person> = (1..=3).map(|i| person(i, 92.0, Level::Htxsnv)).collect();
        people.extend((4..=6).map(|i| person(i, 80.0, Level::Httnv)));
        people[0].now = Some(Level::Httnv);
        people[0].reason = Some("Hội đồng xem xét".into());
        let board = Board::new(Some(&rule()), "U", "B", people.clone(), None);
        assert_eq!(
            board.now,
            Counts {
                top: 2,
                relative: 4
            }
        );
        assert_eq!(board.remove, 1, "2 of 4: one must go, leaving 1 of 5");
        assert_eq!(board.moved().count(), 1);
        let counts = board.before_after();
        assert_eq!(counts[0], (Some(Level::Htxsnv), 3, 2));
        assert_eq!(counts[1], (Some(Level::Httnv), 3, 4));
        let exception = QuotaException {
            unit: "U".into(),
            task_group: "B".into(),
            reference: "QĐ 12/QĐ-UBND".into(),
            approved_by: "Chủ tịch UBND".into(),
            max_percent: None,
        };
        let board = Board::new(Some(&rule()), "U", "B", people, Some(exception));
        assert_eq!(board.cap, None);
        assert!(board.within_quota());
    }

    #[test]
    fn the_detector_reads_levels_before_calibration_and_the_spread_of_scores() {
        let group = group_of([
            (Some(Level::Htxsnv), Some(95.0)),
            (Some(Level::Htxsnv), Some(97.0)),
            (Some(Level::Httnv), Some(80.0)),
            (None, None),
        ]);
        assert_eq!(group.levels.0, [2, 1, 0, 0]);
        let spread = group.spread.expect("three scores");
        assert!((spread - 7.586_537).abs() < 1e-5, "{spread}");
        assert_eq!(group_of([(Some(Level::Khtnv), Some(40.0))]).spread, None);
    }

    #[test]
    fn people_not_classified_stay_in_their_own_column() {
        let mut people = vec![person(1, 40.0, Level::Htxsnv)];
        people[0].before = None;
        people[0].now = None;
        people[0].score = None;
        let board = Board::new(Some(&rule()), "U", "B", people, None);
        assert_eq!(board.column(None).count(), 1);
        assert_eq!(
            board.now,
            Counts {
                top: 0,
                relative: 0
            }
        );
        assert!(board.within_quota());
    }
}
