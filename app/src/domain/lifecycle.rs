//! The two state machines of an evaluation: a [`CycleState`] (the period as a whole) and an
//! [`AssessmentState`] (one official's assessment in it), each with its transition table and
//! the [`Action`] a person must be allowed (by [`access::decide`](super::access::decide)) to
//! make each move. Services ask [`AssessmentMove::apply`] and [`CycleMove::apply`]; nothing
//! else changes a state.
//!
//! Assessment moves:
//!
//! | move | from | to | who (action on the official's record) |
//! |---|---|---|---|
//! | submit self-assessment | draft, returned | self-assessed | the owner (`check_in`) |
//! | propose a level | self-assessed, reviewed, returned | reviewed | reviewer, unit leader (`score`) |
//! | return for revision | self-assessed, reviewed | returned | `score` or `approve` |
//! | approve | reviewed | approved | unit leader, organiser, leadership (`approve`) |
//!
//! An approved assessment no longer moves (only reopening its cycle, an audited act, could
//! change it), and nothing moves in a closed cycle.
//!
//! Cycle moves go forward one step at a time — planning → in progress → self-assessment →
//! review → calibration → closed — by an administrator (`admin`); reopening a closed cycle
//! (back to calibration) is a separate move that needs a written reason.

use super::access::Action;
use super::level::Level;
use crate::code_enum;

code_enum! {
    /// Where an evaluation cycle stands.
    pub enum CycleState {
        /// Objectives, key results and products are being set.
        Planning = "planning",
        /// The period is running: check-ins and products are recorded (stored as `open`).
        InProgress = "open",
        /// Officials assess themselves.
        SelfAssessment = "self_assessment",
        /// Reviewers score and propose levels.
        Review = "review",
        /// Leadership calibrates the levels under the quota.
        Calibration = "calibration",
        /// Locked: nothing in the cycle changes any more.
        Closed = "closed",
    }
}

code_enum! {
    /// Where one official's assessment in a cycle stands.
    pub enum AssessmentState {
        /// Nothing submitted yet.
        Draft = "draft",
        /// The official submitted a self-assessment.
        SelfAssessed = "self_assessed",
        /// A reviewer proposed a level.
        Reviewed = "reviewed",
        /// Sent back for revision, with a reason the official sees.
        Returned = "returned",
        /// A level was approved.
        Approved = "approved",
    }
}

code_enum! {
    /// A move of an assessment from one state to another.
    pub enum AssessmentMove {
        /// The official submits their self-assessment.
        SubmitSelf = "submit_self",
        /// A reviewer proposes a level.
        Propose = "propose",
        /// A reviewer or approver sends the assessment back, with a reason.
        Return = "return",
        /// An approver approves a level.
        Approve = "approve",
    }
}

code_enum! {
    /// A move of a cycle from one state to another.
    pub enum CycleMove {
        /// One step forward in the cycle's life.
        Advance = "advance",
        /// Back from closed to calibration, with a reason.
        Reopen = "reopen",
    }
}

/// Why a move was refused: a translation key, with the state it was tried from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// Message key (`move_not_allowed`, `cycle_closed`, `cycle_not_started`).
    pub key: &'static str,
}

impl Refused {
    /// The form field the refusal is shown on: the cycle when it is closed, else the
    /// assessment's state.
    pub fn field(self) -> &'static str {
        if self.key == "cycle_closed" {
            "cycle"
        } else {
            "state"
        }
    }
}

impl CycleState {
    /// The next state going forward, `None` when closed.
    pub fn next(self) -> Option<CycleState> {
        let all = Self::ALL;
        let at = all.iter().position(|s| *s == self)?;
        all.get(at + 1).copied()
    }

    /// Whether anything in the cycle may still change (everything but closed).
    pub fn is_open(self) -> bool {
        self != CycleState::Closed
    }

    /// Whether the period's inputs (products, key results, points) may still change: until
    /// the cycle is closed.
    pub fn accepts_inputs(self) -> Result<(), Refused> {
        match self {
            CycleState::Closed => Err(Refused {
                key: "cycle_closed",
            }),
            _ => Ok(()),
        }
    }

    /// Whether check-ins are accepted: after planning and before the cycle is closed.
    pub fn accepts_check_ins(self) -> Result<(), Refused> {
        match self {
            CycleState::Planning => Err(Refused {
                key: "cycle_not_started",
            }),
            CycleState::Closed => Err(Refused {
                key: "cycle_closed",
            }),
            _ => Ok(()),
        }
    }
}

impl CycleMove {
    /// The action a person needs to make this move.
    pub fn action(self) -> Action {
        Action::Admin
    }

    /// Whether the move needs a written reason.
    pub fn needs_reason(self) -> bool {
        self == CycleMove::Reopen
    }

    /// The state a cycle in `from` reaches by this move, or why it cannot.
    pub fn apply(self, from: CycleState) -> Result<CycleState, Refused> {
        let refused = Refused {
            key: "move_not_allowed",
        };
        match self {
            CycleMove::Advance => from.next().ok_or(refused),
            CycleMove::Reopen if from == CycleState::Closed => Ok(CycleState::Calibration),
            CycleMove::Reopen => Err(refused),
        }
    }
}

impl AssessmentMove {
    /// The actions any one of which lets a person make this move (checked on the official's
    /// record by `access::decide`, which also keeps people from judging themselves).
    pub fn actions(self) -> &'static [Action] {
        match self {
            AssessmentMove::SubmitSelf => &[Action::CheckIn],
            AssessmentMove::Propose => &[Action::Score],
            AssessmentMove::Return => &[Action::Score, Action::Approve],
            AssessmentMove::Approve => &[Action::Approve],
        }
    }

    /// The state an assessment in `from`, in a cycle in `cycle`, reaches by this move, or why
    /// it cannot.
    pub fn apply(
        self,
        cycle: CycleState,
        from: AssessmentState,
    ) -> Result<AssessmentState, Refused> {
        use AssessmentState::{Approved, Draft, Returned, Reviewed, SelfAssessed};
        if !cycle.is_open() {
            return Err(Refused {
                key: "cycle_closed",
            });
        }
        let to = match (self, from) {
            (AssessmentMove::SubmitSelf, Draft | Returned) => SelfAssessed,
            (AssessmentMove::Propose, SelfAssessed | Reviewed | Returned) => Reviewed,
            (AssessmentMove::Return, SelfAssessed | Reviewed) => Returned,
            (AssessmentMove::Approve, Reviewed) => Approved,
            _ => {
                return Err(Refused {
                    key: "move_not_allowed",
                });
            }
        };
        Ok(to)
    }
}

/// The move whose rules let a person enter an assessment's inputs (general-criteria points,
/// product counts and waivers): the official themselves while they may still submit their
/// self-assessment (draft or returned), anyone else (their reviewer) while a level may be
/// proposed. Nobody enters anything once it is approved or its cycle is closed.
pub fn entry_move(by_owner: bool) -> AssessmentMove {
    if by_owner {
        AssessmentMove::SubmitSelf
    } else {
        AssessmentMove::Propose
    }
}

/// Which forms of an assessment's sheet a person may use now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SheetRights {
    /// The official: their own points and counts, and submitting the self-assessment.
    pub self_assess: bool,
    /// A reviewer: their points and counts, and proposing a level.
    pub score: bool,
    pub approve: bool,
    /// Sending it back for revision.
    pub give_back: bool,
    /// The official: recording progress on their key results (after planning, before the
    /// cycle closes, whatever the assessment's state).
    pub check_in: bool,
}

/// What `principal` may do now on the assessment of `target`'s official, in state `state` of
/// a cycle in `cycle`: each move their grant allows (never judging themselves) and the state
/// allows.
pub fn sheet_rights(
    principal: &super::access::Principal,
    target: &super::access::Target,
    cycle: CycleState,
    state: AssessmentState,
) -> SheetRights {
    let may = |m: AssessmentMove| {
        m.apply(cycle, state).is_ok()
            && m.actions()
                .iter()
                .any(|action| super::access::decide(principal, *action, target).is_some())
    };
    let owner = principal.official_id.is_some() && principal.official_id == target.owner;
    SheetRights {
        self_assess: owner && may(entry_move(true)),
        score: !owner && may(entry_move(false)),
        approve: may(AssessmentMove::Approve),
        give_back: may(AssessmentMove::Return),
        check_in: owner
            && cycle.accepts_check_ins().is_ok()
            && super::access::decide(principal, super::access::Action::CheckIn, target).is_some(),
    }
}

/// Whether a level decision needs a written reason: when it departs from the level it should
/// follow (`expected`: the engine's level for a proposal, the proposed level for an
/// approval). With nothing to follow, no reason is asked.
pub fn level_needs_reason(expected: Option<Level>, chosen: Level) -> bool {
    expected.is_some_and(|e| e != chosen)
}

#[cfg(test)]
mod tests {
    use super::AssessmentMove as M;
    use super::AssessmentState as A;
    use super::CycleState as C;
    use super::*;

    /// Every (move, from) pair that is allowed in an open cycle, with its target state.
    const ALLOWED: &[(M, A, A)] = &[
        (M::SubmitSelf, A::Draft, A::SelfAssessed),
        (M::SubmitSelf, A::Returned, A::SelfAssessed),
        (M::Propose, A::SelfAssessed, A::Reviewed),
        (M::Propose, A::Reviewed, A::Reviewed),
        (M::Propose, A::Returned, A::Reviewed),
        (M::Return, A::SelfAssessed, A::Returned),
        (M::Return, A::Reviewed, A::Returned),
        (M::Approve, A::Reviewed, A::Approved),
    ];

    #[test]
    fn every_assessment_move_from_every_state_follows_the_table() {
        for cycle in C::ALL.iter().copied().filter(|c| c.is_open()) {
            for m in M::ALL {
                for from in A::ALL {
                    let expected = ALLOWED
                        .iter()
                        .find(|(am, af, _)| am == m && af == from)
                        .map(|(_, _, to)| *to);
                    let got = m.apply(cycle, *from).ok();
                    assert_eq!(got, expected, "{m:?} from {from:?} in {cycle:?}");
                }
            }
        }
    }

    #[test]
    fn inputs_are_entered_by_the_official_before_submitting_and_by_the_reviewer_after() {
        // (state, the official may enter, their reviewer may enter)
        let table = [
            (A::Draft, true, false),
            (A::SelfAssessed, false, true),
            (A::Reviewed, false, true),
            (A::Returned, true, true),
            (A::Approved, false, false),
        ];
        for (state, owner, reviewer) in table {
            for (by_owner, expected) in [(true, owner), (false, reviewer)] {
                let allowed = entry_move(by_owner).apply(C::Review, state).is_ok();
                assert_eq!(allowed, expected, "{state:?}, by the owner: {by_owner}");
                assert!(entry_move(by_owner).apply(C::Closed, state).is_err());
            }
        }
    }

    #[test]
    fn the_sheet_offers_each_person_the_forms_of_their_turn() {
        use crate::domain::access::{Grant, Principal, Role, Target};
        // Official 1 of unit 10, reviewed by official 2; official 3 leads unit 10.
        let target = Target {
            unit_path: vec![10],
            owner: Some(1),
            reviewer: Some(2),
        };
        let person = |id, role| Principal {
            account_id: id,
            official_id: Some(id),
            grants: vec![Grant { role, unit_id: 10 }],
        };
        let (own, reviewer, leader) = (
            person(1, Role::Official),
            person(2, Role::Reviewer),
            person(3, Role::UnitLeader),
        );
        let rights = |p: &Principal, state| {
            let r = sheet_rights(p, &target, C::Review, state);
            [r.self_assess, r.score, r.approve, r.give_back]
        };
        assert_eq!(rights(&own, A::Draft), [true, false, false, false]);
        assert_eq!(rights(&reviewer, A::Draft), [false; 4]);
        assert_eq!(rights(&own, A::SelfAssessed), [false; 4]);
        assert_eq!(
            rights(&reviewer, A::SelfAssessed),
            [false, true, false, true]
        );
        assert_eq!(rights(&leader, A::Reviewed), [false, true, true, true]);
        assert_eq!(rights(&leader, A::Approved), [false; 4]);
        // A reviewer who is the official never judges their own sheet.
        let self_reviewing = Principal {
            grants: vec![Grant {
                role: Role::Reviewer,
                unit_id: 10,
            }],
            ..own.clone()
        };
        assert_eq!(rights(&self_reviewing, A::SelfAssessed), [false; 4]);
        // Check-ins: the official's own, after planning and until the cycle closes.
        let check_in =
            |p: &Principal, cycle| sheet_rights(p, &target, cycle, A::SelfAssessed).check_in;
        assert!(check_in(&own, C::InProgress) && check_in(&own, C::Review));
        assert!(!check_in(&own, C::Planning) && !check_in(&reviewer, C::InProgress));
        // Nothing in a closed cycle.
        let closed = sheet_rights(&leader, &target, C::Closed, A::Reviewed);
        assert_eq!(closed, SheetRights::default());
        assert_eq!(
            sheet_rights(&own, &target, C::Closed, A::Draft),
            SheetRights::default()
        );
    }

    #[test]
    fn nothing_moves_in_a_closed_cycle() {
        for m in M::ALL {
            for from in A::ALL {
                assert_eq!(
                    m.apply(C::Closed, *from),
                    Err(Refused {
                        key: "cycle_closed"
                    })
                );
            }
        }
    }

    #[test]
    fn an_approved_assessment_is_not_rescored_nor_approved_without_a_review() {
        assert!(M::Propose.apply(C::Review, A::Approved).is_err());
        assert!(M::Approve.apply(C::Review, A::SelfAssessed).is_err());
        assert!(M::Approve.apply(C::Review, A::Draft).is_err());
    }

    #[test]
    fn moves_name_the_actions_that_allow_them() {
        assert_eq!(M::SubmitSelf.actions(), &[Action::CheckIn]);
        assert_eq!(M::Propose.actions(), &[Action::Score]);
        assert_eq!(M::Return.actions(), &[Action::Score, Action::Approve]);
        assert_eq!(M::Approve.actions(), &[Action::Approve]);
    }

    #[test]
    fn cycles_advance_one_step_at_a_time_and_reopen_only_when_closed() {
        let mut state = C::Planning;
        let mut seen = vec![state];
        while let Ok(next) = CycleMove::Advance.apply(state) {
            state = next;
            seen.push(state);
        }
        assert_eq!(seen, C::ALL.to_vec());
        assert_eq!(CycleMove::Reopen.apply(C::Closed), Ok(C::Calibration));
        for s in C::ALL.iter().copied().filter(|s| s.is_open()) {
            assert!(CycleMove::Reopen.apply(s).is_err(), "{s:?}");
        }
        assert!(CycleMove::Reopen.needs_reason());
        assert!(!CycleMove::Advance.needs_reason());
    }

    #[test]
    fn check_ins_wait_for_the_start_and_stop_at_the_close() {
        assert_eq!(
            C::Planning.accepts_check_ins().map_err(|r| r.key),
            Err("cycle_not_started")
        );
        assert_eq!(
            C::Closed.accepts_check_ins().map_err(|r| r.key),
            Err("cycle_closed")
        );
        assert!(C::InProgress.accepts_check_ins().is_ok());
        assert!(C::Review.accepts_check_ins().is_ok());
    }

    #[test]
    fn codes_round_trip_and_keep_the_stored_values() {
        for s in C::ALL {
            assert_eq!(C::from_code(s.code()), Some(*s));
        }
        for s in A::ALL {
            assert_eq!(A::from_code(s.code()), Some(*s));
        }
        assert_eq!(C::InProgress.code(), "open");
        assert_eq!(C::from_code("bogus"), None);
        let json = serde_json::to_string(&A::SelfAssessed).ok();
        assert_eq!(json.as_deref(), Some("\"self_assessed\""));
    }

    #[test]
    fn a_departure_from_the_expected_level_needs_a_reason() {
        assert!(level_needs_reason(Some(Level::Httnv), Level::Htxsnv));
        assert!(!level_needs_reason(Some(Level::Httnv), Level::Httnv));
        assert!(!level_needs_reason(None, Level::Htxsnv));
    }
}
