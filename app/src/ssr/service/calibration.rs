//! The year's classification and its calibration under the quota (Decree 335 Art. 20–21):
//!
//! * **classify**: each official now in the unit gets the year's score and level from the
//!   scores of the year's periods ([`classify_stored_year`]: the mean of the periods worked,
//!   time-worked rules, leave cap, overrides), wherever those periods were assessed — a
//!   transferred official is classified by the new unit with the old unit's periods;
//! * **the board** of each task group ([`Board`]): columns per level, cap against count, the
//!   engine's proposed demotions;
//! * **moves** between levels with a written reason, **accepting** the engine's proposals (their
//!   reason is the quota rule's line, added to each explanation), an **exception** for an
//!   outstanding unit (decision reference and approver), and **approval**, which needs the
//!   group within the quota and locks its levels.
//!
//! A scheme that sets no quota (Regulation 366: quarters, the fourth merged into the year) goes
//! through the same board: nothing is proposed or capped, moves still need a reason, and
//! approval locks.
//!
//! Each write checks that the actor may approve in the unit, that the cycle is a year cycle in
//! its calibration step and the group not yet approved, and the group's version (a concurrent
//! edit of the board gives `Conflict`); it is audited in the same transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, authorize, bounded_text, invalid};
use crate::domain::access::{self, Action, Target};
use crate::domain::aggregate::{StoredPeriod, classify_stored_year};
use crate::domain::calibration::{
    Approval, Board, Equalized, Equalizer, GroupView, Person, UnitBoards, group_of,
};
use crate::domain::compare::concentration;
use crate::domain::equalize;
use crate::domain::explain::Node;
use crate::domain::lifecycle::{AssessmentMove, CycleState};
use crate::domain::quota::QuotaException;
use crate::domain::scheme::QuotaRule;
use crate::domain::{Level, Scheme, builtin_scheme};
use crate::error::AppError;
use crate::ssr::auth::guard::unit_target;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::calibration::{self as repo, Group, GroupChange, Member, YearResult};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::{assessments, org_units, rollups};

/// The longest reason for a move, and the longest decision reference or approver name.
pub const REASON_MAX_CHARS: usize = 2_000;
pub const REFERENCE_MAX_CHARS: usize = 255;

/// The cycle kind the quota applies to.
const YEAR: &str = "year";

fn scheme_of(cycle: &Cycle) -> Result<Scheme, AppError> {
    builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)
}

/// A year cycle, else `Invalid` on `cycle`.
async fn year_cycle(db: &impl ConnectionTrait, cycle_id: i64) -> Result<Cycle, AppError> {
    let cycle = cycles::find(db, cycle_id).await?;
    if cycle.period_kind != YEAR {
        return Err(invalid("cycle", "not_a_year_cycle"));
    }
    Ok(cycle)
}

/// Classifies the year for every official now in `unit_id` from the scores of the year's
/// periods under the cycle's scheme; creates the unit's groups. Refused in a closed cycle and
/// for a group already approved. Returns how many officials were classified.
pub async fn classify(
    db: &DatabaseConnection,
    actor: &Actor,
    cycle_id: i64,
    unit_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let target = unit_target(db, unit_id).await?;
    authorize(
        db,
        actor,
        &[Action::Approve],
        &target,
        ("unit", unit_id),
        now,
    )
    .await?;
    let txn = crate::ssr::db::write(db).await?;
    let count = classify_in(&txn, actor, cycle_id, unit_id, now).await?;
    txn.commit().await?;
    Ok(count)
}

/// [`classify`] inside the caller's transaction, once the actor is allowed (the demo seeder
/// classifies every unit in one).
pub async fn classify_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cycle_id: i64,
    unit_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let cycle = year_cycle(db, cycle_id).await?;
    if !cycle.lifecycle()?.is_open() {
        return Err(invalid("cycle", "cycle_closed"));
    }
    if repo::groups(db, cycle_id, unit_id)
        .await?
        .iter()
        .any(|g| g.approved.is_some())
    {
        return Err(invalid("state", "calibration_locked"));
    }
    let scheme = scheme_of(&cycle)?;
    let unit_name = org_units::find(db, unit_id).await?.name;
    let kind = scheme.period_kind.code();
    let rows = repo::period_scores(db, cycle.year, &cycle.scheme_id, kind, unit_id).await?;
    let mut results = Vec::new();
    let mut groups = std::collections::BTreeSet::new();
    for official in rows.chunk_by(|a, b| a.official_id == b.official_id) {
        let first = &official[0];
        let periods: Vec<StoredPeriod> = official.iter().map(|p| p.period.clone()).collect();
        let item = format!("official[{}]", first.code);
        let year = classify_stored_year(&scheme, &periods, first.is_leader, &item)
            .map_err(|e| super::inputs::refused(&e))?;
        let mut explanation = Node::new("official")
            .text("id", &first.code)
            .text("unit", &unit_name)
            .text("task_group", &first.task_group)
            .text("scheme", &scheme.id)
            .text("version", &scheme.version);
        if let Some(score) = year.score {
            explanation = explanation.points(score);
        }
        explanation.children.extend(year.nodes);
        explanation.push(Node::new("result").text("level", year.level.code()));
        groups.insert(first.task_group.clone());
        results.push(YearResult {
            official_id: first.official_id,
            score: year.score,
            level: year.level.level(),
            explanation: serde_json::to_string(&explanation).map_err(AppError::internal)?,
        });
    }
    let count = repo::write_year(db, cycle_id, results, now).await?;
    for group in &groups {
        repo::ensure_group(db, cycle_id, unit_id, group, now).await?;
    }
    rollups::refresh_unit(db, cycle_id, unit_id, now).await?;
    let change = Change {
        action: "year_classify".into(),
        entity: "cycle".into(),
        entity_id: Some(cycle.code.clone()),
        before: None,
        after: Some(serde_json::json!({ "officials": count, "scheme": cycle.scheme_id })),
        unit_id: Some(unit_id),
    };
    audit::record(db, &actor.audit, change, now).await?;
    Ok(count)
}

/// The board of one group from its members (those of its task group), under the scheme's
/// quota if it sets one.
fn board_of(rule: Option<&QuotaRule>, unit: &str, group: &Group, members: &[Member]) -> Board {
    let people = members
        .iter()
        .filter(|m| m.task_group == group.task_group)
        .map(|m| Person {
            assessment_id: m.assessment_id,
            version: m.version,
            official_id: m.official_id,
            code: m.code.clone(),
            name: m.name.clone(),
            score: m.score,
            before: m.computed_level,
            now: m.calibrated_level.or(m.computed_level),
            reason: m.calibration_reason.clone(),
        })
        .collect();
    let exception = group
        .exception
        .clone()
        .map(|(reference, approved_by, max_percent)| QuotaException {
            unit: unit.to_owned(),
            task_group: group.task_group.clone(),
            reference,
            approved_by,
            max_percent,
        });
    Board::new(rule, unit, &group.task_group, people, exception)
}

/// Whether the actor is one of the board's people.
fn is_member(actor: &Actor, board: &Board) -> bool {
    actor
        .official_id()
        .is_some_and(|me| board.people.iter().any(|p| p.official_id == me))
}

fn may(actor: &Actor, action: Action, target: &Target) -> bool {
    actor
        .principal
        .as_ref()
        .is_none_or(|p| access::decide(p, action, target).is_some())
}

/// The unit's boards in a year cycle (`cycle`: a code, default the latest year cycle), if the
/// reader may read the unit.
pub async fn boards(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_id: i64,
    cycle: Option<&str>,
    now: DateTime<Utc>,
) -> Result<UnitBoards, AppError> {
    let target = unit_target(db, unit_id).await?;
    authorize(db, actor, &[Action::Read], &target, ("unit", unit_id), now).await?;
    let unit = org_units::find(db, unit_id).await?;
    let unit_name = unit.name.clone();
    let years: Vec<Cycle> = cycles::started(db)
        .await?
        .into_iter()
        .filter(|c| c.period_kind == YEAR)
        .collect();
    let chosen = match cycle {
        Some(code) => Some(
            years
                .iter()
                .find(|c| c.code == code)
                .ok_or(AppError::NotFound)?,
        ),
        None => years.first(),
    };
    let may_calibrate = may(actor, Action::Approve, &target);
    let mut out = UnitBoards {
        unit_id,
        unit_name: unit_name.clone(),
        unit_code: unit.code,
        cycle: chosen.map(|c| c.code.clone()),
        cycle_id: chosen.map(|c| c.id),
        cycles: years.iter().map(|c| c.code.clone()).collect(),
        calibrating: false,
        open: false,
        may_calibrate,
        may_export: may(actor, Action::Export, &target),
        allows_exception: false,
        groups: Vec::new(),
        equalized: Vec::new(),
    };
    let Some(cycle) = chosen else {
        return Ok(out);
    };
    let state = cycle.lifecycle()?;
    let scheme = scheme_of(cycle)?;
    let rule = scheme.quota.as_ref();
    out.calibrating = state == CycleState::Calibration;
    out.open = state.is_open();
    out.allows_exception = rule.is_some_and(|r| r.allow_outstanding_exception);
    let members = repo::members(db, cycle.id, unit_id).await?;
    out.equalized = equalized(db, cycle.id, &target, &unit_name, &members).await?;
    out.groups = repo::groups(db, cycle.id, unit_id)
        .await?
        .into_iter()
        .map(|g| {
            let board = board_of(rule, &unit_name, &g, &members);
            GroupView {
                id: g.id,
                version: g.version,
                approved: g.approved.clone().map(|(by, at)| Approval {
                    by,
                    on: at.format("%d/%m/%Y").to_string(),
                }),
                yours: is_member(actor, &board),
                board,
            }
        })
        .collect();
    Ok(out)
}

/// The equalization detector on the unit's year: the unit, then each reviewer of its people
/// (by name), whose levels before calibration are rated alike beyond chance against all the
/// units of the province in the cycle (from their rollups).
async fn equalized(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    target: &Target,
    unit_name: &str,
    members: &[Member],
) -> Result<Vec<Equalized>, AppError> {
    let Some(whole) = super::compare::province_whole(db, cycle_id, target).await? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    if let Some(evidence) = concentration(levels_of(members), whole) {
        found.push(Equalized {
            who: Equalizer::Unit(unit_name.to_owned()),
            evidence,
        });
    }
    let mut reviewers: BTreeMap<&(i64, String), Vec<&Member>> = BTreeMap::new();
    for m in members {
        if let Some(reviewer) = &m.reviewer {
            reviewers.entry(reviewer).or_default().push(m);
        }
    }
    for ((_, name), people) in reviewers {
        if let Some(evidence) = concentration(levels_of(people), whole) {
            found.push(Equalized {
                who: Equalizer::Reviewer(name.clone()),
                evidence,
            });
        }
    }
    Ok(found)
}

/// The levels before calibration and the scores of some members, as the detector reads them.
fn levels_of<'a>(people: impl IntoIterator<Item = &'a Member>) -> equalize::Group {
    group_of(people.into_iter().map(|m| (m.computed_level, m.score)))
}

/// A group being changed, read inside the write transaction with its board, once the actor is
/// allowed, the cycle is calibrating, the group is not approved and still at `version`.
struct Open {
    group: Group,
    board: Board,
    /// The scheme's quota; `None` when it sets none (Regulation 366).
    rule: Option<QuotaRule>,
    unit: i64,
}

async fn open_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    group_id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<Open, AppError> {
    let group = repo::group(db, group_id).await?;
    let target = unit_target(db, group.unit_id).await?;
    authorize(
        db,
        actor,
        &[Action::Approve],
        &target,
        ("calibration", group_id),
        now,
    )
    .await?;
    let cycle = year_cycle(db, group.cycle_id).await?;
    match cycle.lifecycle()? {
        CycleState::Calibration => {}
        CycleState::Closed => return Err(invalid("cycle", "cycle_closed")),
        _ => return Err(invalid("cycle", "cycle_not_calibrating")),
    }
    if group.approved.is_some() {
        return Err(invalid("state", "calibration_locked"));
    }
    if group.version != version {
        return Err(AppError::Conflict);
    }
    let rule = scheme_of(&cycle)?.quota;
    let unit_name = org_units::names_of(db, [group.unit_id])
        .await?
        .remove(&group.unit_id)
        .unwrap_or_default();
    let members = repo::members(db, group.cycle_id, group.unit_id).await?;
    let board = board_of(rule.as_ref(), &unit_name, &group, &members);
    // Nobody calibrates a group they are in: their superior does.
    if is_member(actor, &board) {
        super::refuse(
            db,
            &actor.audit,
            Action::Approve,
            &target,
            ("calibration", group_id),
            now,
        )
        .await?;
    }
    Ok(Open {
        unit: group.unit_id,
        group,
        board,
        rule,
    })
}

/// Bumps the group's version (refusing a concurrent edit) and audits `change` in its unit.
async fn finish(
    db: &impl ConnectionTrait,
    actor: &Actor,
    open: &Open,
    write: GroupChange,
    action: &str,
    after: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    repo::write_group(db, open.group.id, open.group.version, write, now).await?;
    let change = Change {
        action: action.into(),
        entity: "calibration".into(),
        entity_id: Some(open.group.id.to_string()),
        before: Some(serde_json::json!({ "version": open.group.version })),
        after: Some(after),
        unit_id: Some(open.unit),
    };
    audit::record(db, &actor.audit, change, now).await
}

/// A move of one person on a board, as submitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub group_id: i64,
    pub group_version: i32,
    pub assessment_id: i64,
    /// The level code to move to.
    pub level: String,
    pub reason: String,
}

/// Moves one person to another level with a written reason (required), or back to the level
/// they were classified at (a reason optional, and shown on the board when given).
pub async fn move_person(
    db: &DatabaseConnection,
    actor: &Actor,
    input: Move,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let level = Level::from_code(&input.level).ok_or_else(|| invalid("level", "unknown_level"))?;
    let reason = bounded_text("reason", &input.reason, REASON_MAX_CHARS)?;
    let txn = crate::ssr::db::write(db).await?;
    let open = open_group(&txn, actor, input.group_id, input.group_version, now).await?;
    let person = open
        .board
        .people
        .iter()
        .find(|p| p.assessment_id == input.assessment_id)
        .ok_or(AppError::NotFound)?;
    let back = person.before == Some(level);
    if !back && reason.is_empty() {
        return Err(invalid("reason", "reason_required"));
    }
    // Back where the engine put them without a word: as if never moved. With a reason (the
    // council keeps someone the quota would demote), the reason stays on the board.
    let (to, why) = if back && reason.is_empty() {
        (None, None)
    } else {
        (Some(level), Some(reason.clone()))
    };
    repo::write_move(&txn, person.assessment_id, person.version, to, why, now).await?;
    let after = serde_json::json!({
        "assessment": person.assessment_id,
        "official": person.code,
        "from": person.now.map(Level::code),
        "to": level.code(),
        "reason": reason,
    });
    finish(
        &txn,
        actor,
        &open,
        GroupChange::Touch,
        "calibration_move",
        after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Accepts every demotion the engine proposes on the board as it stands: each person moves to
/// the level the quota is a share of, the quota rule's line (with its tie and exception notes)
/// added to their explanation as the reason.
pub async fn accept_proposals(
    db: &DatabaseConnection,
    actor: &Actor,
    group_id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let txn = crate::ssr::db::write(db).await?;
    let open = open_group(&txn, actor, group_id, version, now).await?;
    let Some(rule) = open
        .rule
        .as_ref()
        .filter(|_| !open.board.proposals.is_empty())
    else {
        return Err(invalid("board", "nothing_to_remove"));
    };
    let mut moved = Vec::new();
    for p in &open.board.proposals {
        let person = &open.board.people[p.index];
        repo::write_move(
            &txn,
            person.assessment_id,
            person.version,
            Some(rule.relative_to),
            None,
            now,
        )
        .await?;
        repo::append_explanation(&txn, person.assessment_id, &p.why).await?;
        moved.push(person.code.clone());
    }
    let after = serde_json::json!({ "demoted": moved, "to": rule.relative_to.code() });
    finish(
        &txn,
        actor,
        &open,
        GroupChange::Touch,
        "calibration_accept",
        after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(moved.len())
}

/// An exception for an outstanding unit, as submitted: both texts empty clears it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionInput {
    pub group_id: i64,
    pub version: i32,
    pub reference: String,
    pub approved_by: String,
    /// The new cap in %; `None` lifts it.
    pub max_percent: Option<u32>,
}

/// Records (or clears) the exception for an outstanding unit: the decision's reference and
/// who approved it are required, the cap at most 100 %; only where the scheme allows one.
pub async fn record_exception(
    db: &DatabaseConnection,
    actor: &Actor,
    input: ExceptionInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let reference = bounded_text("reference", &input.reference, REFERENCE_MAX_CHARS)?;
    let approver = bounded_text("approved_by", &input.approved_by, REFERENCE_MAX_CHARS)?;
    if input.max_percent.is_some_and(|p| p > 100) {
        return Err(invalid("max_percent", "out_of_range"));
    }
    let clear = reference.is_empty() && approver.is_empty();
    if !clear && reference.is_empty() {
        return Err(invalid("reference", "required_value"));
    }
    if !clear && approver.is_empty() {
        return Err(invalid("approved_by", "required_value"));
    }
    let txn = crate::ssr::db::write(db).await?;
    let open = open_group(&txn, actor, input.group_id, input.version, now).await?;
    if !open
        .rule
        .as_ref()
        .is_some_and(|r| r.allow_outstanding_exception)
    {
        return Err(invalid("reference", "exception_not_allowed"));
    }
    let exception = (!clear).then(|| (reference.clone(), approver.clone(), input.max_percent));
    let after = serde_json::json!({
        "reference": reference, "approved_by": approver, "max_percent": input.max_percent,
    });
    let change = GroupChange::Exception(exception);
    finish(
        &txn,
        actor,
        &open,
        change,
        "calibration_exception",
        after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Approves the group's levels as they stand — refused while people still have to leave the
/// top level — and locks them: every member's assessment is approved at its calibrated level.
pub async fn approve(
    db: &DatabaseConnection,
    actor: &Actor,
    group_id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::ssr::db::write(db).await?;
    let open = open_group(&txn, actor, group_id, version, now).await?;
    if !open.board.within_quota() {
        return Err(invalid("board", "over_quota"));
    }
    let cycle = CycleState::Calibration;
    for person in &open.board.people {
        let state = assessments::state_of(&txn, (person.official_id, open.group.cycle_id)).await?;
        AssessmentMove::Approve
            .apply(cycle, state)
            .map_err(|r| invalid(r.field(), r.key))?;
        repo::write_approval(&txn, person.assessment_id, person.version, person.now, now).await?;
    }
    rollups::refresh_unit(&txn, open.group.cycle_id, open.unit, now).await?;
    let after = serde_json::json!({
        "approved": open.board.people.len(),
        "moved": open.board.moved().map(|p| &p.code).collect::<Vec<_>>(),
        "top": open.board.now.top,
        "relative": open.board.now.relative,
    });
    let by = actor.audit.name.clone();
    finish(
        &txn,
        actor,
        &open,
        GroupChange::Approve(by),
        "calibration_approve",
        after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
