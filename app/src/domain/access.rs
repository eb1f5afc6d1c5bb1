//! Who may do what to which record — the one decision every server function and route asks.
//!
//! A person holds any number of [`Grant`]s: a [`Role`] over a unit and its whole subtree (the
//! scope). A record is described by a [`Target`]: the unit it belongs to with that unit's
//! ancestors, and, for personal records, the official who owns it and their assigned
//! reviewer. [`decide`] answers with the grant that allows the action, or `None`.
//!
//! The rules, per role (each only inside the grant's scope):
//!
//! | role | may |
//! |---|---|
//! | official | read and check in on **their own** records |
//! | reviewer | read and score the officials **assigned to them** |
//! | unit leader | read, score, approve and export anything in the unit |
//! | organiser (organising committee / Home Affairs) | read, approve (calibrate under quota), export, read the audit trail |
//! | leadership | read, approve, export, read the audit trail |
//! | admin | administer accounts, schemes and cycles; read the audit trail |
//!
//! Nobody scores, approves or administers their own record: those need someone else.

use serde::{Deserialize, Serialize};

/// A role an account holds over a unit subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Every official: their own objectives, key results, check-ins and assessments.
    Official,
    /// A direct leader scoring the officials assigned to them.
    Reviewer,
    /// The head of a unit.
    UnitLeader,
    /// Organising committee / Department of Home Affairs staff: calibration, decisions.
    Organiser,
    /// Party committee or People's Committee leadership: read and approve.
    Leadership,
    /// Accounts, schemes and cycles.
    Admin,
}

impl Role {
    /// Every role, in the order of the table above.
    pub const ALL: [Role; 6] = [
        Role::Official,
        Role::Reviewer,
        Role::UnitLeader,
        Role::Organiser,
        Role::Leadership,
        Role::Admin,
    ];

    /// The code stored in `role_grant.role`.
    pub fn code(self) -> &'static str {
        match self {
            Role::Official => "official",
            Role::Reviewer => "reviewer",
            Role::UnitLeader => "unit_leader",
            Role::Organiser => "organiser",
            Role::Leadership => "leadership",
            Role::Admin => "admin",
        }
    }

    /// The role with this code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the role allows on a record in its scope (before the ownership rules).
    fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Official => matches!(action, Read | CheckIn),
            Role::Reviewer => matches!(action, Read | Score),
            Role::UnitLeader => matches!(action, Read | Score | Approve | Export | Audit),
            Role::Organiser | Role::Leadership => matches!(action, Read | Approve | Export | Audit),
            Role::Admin => matches!(action, Admin | Audit),
        }
    }
}

/// Something a person does to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the record.
    Read,
    /// Record progress on a key result.
    CheckIn,
    /// Score an assessment and propose a level.
    Score,
    /// Approve a level (under the quota).
    Approve,
    /// Export a unit's list.
    Export,
    /// Administer accounts, roles, schemes and cycles.
    Admin,
    /// Read the audit trail.
    Audit,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::Read,
        Action::CheckIn,
        Action::Score,
        Action::Approve,
        Action::Export,
        Action::Admin,
        Action::Audit,
    ];

    /// The code used in the permission matrix and the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::CheckIn => "check_in",
            Action::Score => "score",
            Action::Approve => "approve",
            Action::Export => "export",
            Action::Admin => "admin",
            Action::Audit => "audit",
        }
    }

    /// The action with this code.
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Actions that need a second person when the record is one's own.
    fn needs_someone_else(self) -> bool {
        matches!(self, Action::Score | Action::Approve | Action::Admin)
    }
}

/// One role over one unit and its subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    /// The root of the scope.
    pub unit_id: i64,
}

/// The signed-in person, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: i64,
    /// The official the account belongs to, if any.
    pub official_id: Option<i64>,
    pub grants: Vec<Grant>,
}

/// The record an action touches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The record's unit first, then its parent, … up to the root.
    pub unit_path: Vec<i64>,
    /// The official a personal record belongs to (`None` for a unit's own records).
    pub owner: Option<i64>,
    /// The owner's assigned reviewer.
    pub reviewer: Option<i64>,
}

impl Target {
    /// Whether `unit_id` is the record's unit or one of its ancestors.
    pub fn within(&self, unit_id: i64) -> bool {
        self.unit_path.contains(&unit_id)
    }
}

/// The grant that allows `principal` to perform `action` on `target`, or `None`.
///
/// A grant allows when its scope contains the record, its role allows the action, and:
/// an official grant only reaches the official's own records; a reviewer grant only the
/// officials assigned to them; and no grant lets a person score, approve or administer
/// their own record.
pub fn decide(principal: &Principal, action: Action, target: &Target) -> Option<Grant> {
    let me = principal.official_id;
    let own = me.is_some() && target.owner == me;
    if own && action.needs_someone_else() {
        return None;
    }
    principal.grants.iter().copied().find(|grant| {
        target.within(grant.unit_id)
            && grant.role.allows(action)
            && match grant.role {
                Role::Official => own,
                Role::Reviewer => me.is_some() && target.owner.is_some() && target.reviewer == me,
                _ => true,
            }
    })
}

/// Whether `principal` holds any grant that allows `action` somewhere (to show or hide a
/// page's link; the record itself is still checked with [`decide`]).
pub fn may_somewhere(principal: &Principal, action: Action) -> bool {
    principal.grants.iter().any(|g| g.role.allows(action))
}

/// The records on which a principal may perform an action, as data a query filters by (the
/// same answer as [`decide`], for every record at once): an official's record is in scope
/// when its unit lies in one of `subtrees`; or the official is assigned to this principal
/// (`me`) and the unit lies in one of `reviewed_in`; or it is the principal's own record and
/// the unit lies in one of `own_in` — never their own record when `exclude_me` (actions that
/// need someone else). A unit's own records (lists, exports) are in scope in `subtrees` only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Scope {
    pub me: Option<i64>,
    /// Roots of the subtrees where every official's record is in scope.
    pub subtrees: Vec<i64>,
    /// Roots of the subtrees where the officials assigned to `me` are in scope.
    pub reviewed_in: Vec<i64>,
    /// Roots of the subtrees where `me`'s own record is in scope.
    pub own_in: Vec<i64>,
    /// Whether `me`'s own record is out of scope whatever the grants.
    pub exclude_me: bool,
}

impl Scope {
    /// Whether nothing at all is in scope (no query needed).
    pub fn is_empty(&self) -> bool {
        self.subtrees.is_empty() && self.reviewed_in.is_empty() && self.own_in.is_empty()
    }

    /// Whether a record is in scope — the evaluation a query performs, written out.
    pub fn contains(&self, target: &Target) -> bool {
        let within = |roots: &[i64]| roots.iter().any(|r| target.within(*r));
        let own = self.me.is_some() && target.owner == self.me;
        if own && self.exclude_me {
            return false;
        }
        within(&self.subtrees)
            || (target.owner.is_some()
                && target.reviewer == self.me
                && self.me.is_some()
                && within(&self.reviewed_in))
            || (own && within(&self.own_in))
    }
}

/// The scope of `action` for `principal` (see [`Scope`]).
pub fn scope(principal: &Principal, action: Action) -> Scope {
    let me = principal.official_id;
    let mut scope = Scope {
        me,
        exclude_me: me.is_some() && action.needs_someone_else(),
        ..Scope::default()
    };
    for grant in principal.grants.iter().filter(|g| g.role.allows(action)) {
        let roots = match grant.role {
            Role::Official if me.is_some() => &mut scope.own_in,
            Role::Reviewer if me.is_some() => &mut scope.reviewed_in,
            Role::Official | Role::Reviewer => continue,
            _ => &mut scope.subtrees,
        };
        if !roots.contains(&grant.unit_id) {
            roots.push(grant.unit_id);
        }
    }
    scope
}

/// The records on which a principal may perform any of `actions`: the union of their scopes
/// (their own record excluded only when every one of them excludes it).
pub fn scope_of_any(principal: &Principal, actions: &[Action]) -> Scope {
    let mut union = Scope {
        me: principal.official_id,
        exclude_me: true,
        ..Scope::default()
    };
    for action in actions {
        let one = scope(principal, *action);
        union.exclude_me &= one.exclude_me;
        for (into, from) in [
            (&mut union.subtrees, one.subtrees),
            (&mut union.reviewed_in, one.reviewed_in),
            (&mut union.own_in, one.own_in),
        ] {
            for root in from {
                if !into.contains(&root) {
                    into.push(root);
                }
            }
        }
    }
    union
}

#[cfg(test)]
mod tests {
    use super::*;

    // The tree: 1 city → 2 agency → 3 department; 1 → 4 other agency; 9 another province.
    const CITY: i64 = 1;
    const AGENCY: i64 = 2;
    const DEPARTMENT: i64 = 3;
    const OTHER: i64 = 4;
    const PROVINCE_B: i64 = 9;

    fn path(unit: i64) -> Vec<i64> {
        match unit {
            AGENCY => vec![AGENCY, CITY],
            DEPARTMENT => vec![DEPARTMENT, AGENCY, CITY],
            OTHER => vec![OTHER, CITY],
            other => vec![other],
        }
    }

    fn person(official: i64, grants: &[(Role, i64)]) -> Principal {
        Principal {
            account_id: official * 10,
            official_id: Some(official),
            grants: grants
                .iter()
                .map(|&(role, unit_id)| Grant { role, unit_id })
                .collect(),
        }
    }

    fn record(unit: i64, owner: i64, reviewer: Option<i64>) -> Target {
        Target {
            unit_path: path(unit),
            owner: Some(owner),
            reviewer,
        }
    }

    #[test]
    fn the_scope_of_several_actions_holds_what_any_of_them_allows() {
        let people = [
            person(200, &[(Role::Reviewer, AGENCY), (Role::Official, AGENCY)]),
            person(300, &[(Role::UnitLeader, AGENCY)]),
            person(400, &[(Role::Organiser, CITY), (Role::Reviewer, OTHER)]),
            person(500, &[(Role::Official, OTHER)]),
        ];
        let mut records = Vec::new();
        for unit in [CITY, AGENCY, DEPARTMENT, OTHER, PROVINCE_B] {
            for owner in [200, 300, 400, 500, 101] {
                for reviewer in [None, Some(200), Some(400)] {
                    records.push(record(unit, owner, reviewer));
                }
            }
        }
        let actions = [Action::Score, Action::Approve];
        for p in &people {
            let union = scope_of_any(p, &actions);
            for r in &records {
                let any = actions.iter().any(|a| decide(p, *a, r).is_some());
                assert_eq!(union.contains(r), any, "{p:?} on {r:?}");
            }
        }
    }

    #[test]
    fn an_official_reads_and_checks_in_on_their_own_records_only() {
        let me = person(100, &[(Role::Official, AGENCY)]);
        let mine = record(AGENCY, 100, None);
        assert!(decide(&me, Action::Read, &mine).is_some());
        assert!(decide(&me, Action::CheckIn, &mine).is_some());
        assert!(decide(&me, Action::Score, &mine).is_none());
        let colleague = record(AGENCY, 101, None);
        assert!(decide(&me, Action::Read, &colleague).is_none());
        assert!(decide(&me, Action::CheckIn, &colleague).is_none());
    }

    #[test]
    fn a_reviewer_scores_assigned_officials_inside_the_scope_only() {
        let reviewer = person(200, &[(Role::Reviewer, AGENCY)]);
        let assigned = record(DEPARTMENT, 101, Some(200));
        assert!(decide(&reviewer, Action::Score, &assigned).is_some());
        assert!(decide(&reviewer, Action::Approve, &assigned).is_none());
        let unassigned = record(AGENCY, 102, Some(201));
        assert!(decide(&reviewer, Action::Read, &unassigned).is_none());
        // Assigned, but in a unit outside the grant: the scope wins.
        let elsewhere = record(OTHER, 103, Some(200));
        assert!(decide(&reviewer, Action::Score, &elsewhere).is_none());
    }

    #[test]
    fn a_unit_leader_covers_the_subtree_but_not_siblings_or_other_provinces() {
        let leader = person(300, &[(Role::UnitLeader, AGENCY)]);
        for (unit, allowed) in [
            (AGENCY, true),
            (DEPARTMENT, true),
            (OTHER, false),
            (PROVINCE_B, false),
        ] {
            let target = record(unit, 101, None);
            for action in [Action::Read, Action::Score, Action::Approve, Action::Export] {
                assert_eq!(
                    decide(&leader, action, &target).is_some(),
                    allowed,
                    "{action:?} in unit {unit}"
                );
            }
            assert!(decide(&leader, Action::CheckIn, &target).is_none());
            assert!(decide(&leader, Action::Admin, &target).is_none());
        }
    }

    #[test]
    fn nobody_scores_approves_or_administers_their_own_record() {
        let everything = person(
            400,
            &[
                (Role::UnitLeader, CITY),
                (Role::Leadership, CITY),
                (Role::Admin, CITY),
                (Role::Official, CITY),
            ],
        );
        let mine = record(AGENCY, 400, Some(400));
        for action in [Action::Score, Action::Approve, Action::Admin] {
            assert!(decide(&everything, action, &mine).is_none(), "{action:?}");
        }
        assert!(decide(&everything, Action::Read, &mine).is_some());
        assert!(decide(&everything, Action::CheckIn, &mine).is_some());
    }

    #[test]
    fn several_grants_combine_and_the_allowing_one_is_returned() {
        let person = person(500, &[(Role::Official, AGENCY), (Role::Leadership, OTHER)]);
        let there = record(OTHER, 101, None);
        assert_eq!(
            decide(&person, Action::Approve, &there),
            Some(Grant {
                role: Role::Leadership,
                unit_id: OTHER
            })
        );
        assert!(decide(&person, Action::Approve, &record(AGENCY, 101, None)).is_none());
    }

    #[test]
    fn unit_records_have_no_owner_and_follow_the_scope() {
        let organiser = person(600, &[(Role::Organiser, CITY)]);
        let unit_list = Target {
            unit_path: path(DEPARTMENT),
            owner: None,
            reviewer: None,
        };
        assert!(decide(&organiser, Action::Export, &unit_list).is_some());
        let official = person(601, &[(Role::Official, CITY)]);
        assert!(decide(&official, Action::Read, &unit_list).is_none());
    }

    #[test]
    fn an_account_without_an_official_owns_nothing() {
        let admin = Principal {
            account_id: 1,
            official_id: None,
            grants: vec![Grant {
                role: Role::Admin,
                unit_id: CITY,
            }],
        };
        let ownerless = Target {
            unit_path: path(AGENCY),
            owner: None,
            reviewer: None,
        };
        assert!(decide(&admin, Action::Admin, &ownerless).is_some());
        assert!(decide(&admin, Action::Read, &ownerless).is_none());
    }

    /// Every target of the sample tree, personal (several owners and reviewers) and not.
    fn targets() -> Vec<Target> {
        let mut all = Vec::new();
        for unit in [CITY, AGENCY, DEPARTMENT, OTHER, PROVINCE_B] {
            all.push(Target {
                unit_path: path(unit),
                owner: None,
                reviewer: None,
            });
            for owner in [100, 200, 300] {
                for reviewer in [None, Some(100), Some(200)] {
                    all.push(record(unit, owner, reviewer));
                }
            }
        }
        all
    }

    #[test]
    fn the_scope_holds_exactly_the_records_decide_allows() {
        let principals = [
            person(100, &[(Role::Official, AGENCY)]),
            person(200, &[(Role::Reviewer, AGENCY), (Role::Official, AGENCY)]),
            person(300, &[(Role::UnitLeader, AGENCY), (Role::Official, AGENCY)]),
            person(100, &[(Role::Organiser, CITY), (Role::Reviewer, OTHER)]),
            person(200, &[(Role::Leadership, PROVINCE_B), (Role::Admin, CITY)]),
            Principal {
                account_id: 1,
                official_id: None,
                grants: vec![Grant {
                    role: Role::Reviewer,
                    unit_id: CITY,
                }],
            },
        ];
        for principal in &principals {
            for action in Action::ALL {
                let s = scope(principal, action);
                for target in targets() {
                    assert_eq!(
                        s.contains(&target),
                        decide(principal, action, &target).is_some(),
                        "{principal:?} {action:?} {target:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
        assert_eq!(Role::from_code("root"), None);
    }
}
