//! Reads and writes of the year's classification and its calibration under the quota: the
//! period scores a year is classified from, the year's assessments of a unit as board members,
//! and the `calibration` row of each (cycle, unit, task group).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::aggregate::StoredPeriod;
use crate::domain::level::{Discipline, Level};
use crate::domain::lifecycle::AssessmentState;
use crate::error::AppError;
use crate::ssr::entity::{assessment, calibration, cycle, official};

/// One period's stored score of an official now in the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodScore {
    pub official_id: i64,
    pub code: String,
    pub task_group: String,
    pub is_leader: bool,
    pub period: StoredPeriod,
}

/// The scored periods of `year` under `scheme_id` (cycles of `period_kind`) of every official
/// now in `unit_id` — wherever they were assessed, so a transferred official's earlier periods
/// come with them — by official, then period.
pub async fn period_scores(
    db: &impl ConnectionTrait,
    year: i32,
    scheme_id: &str,
    period_kind: &str,
    unit_id: i64,
) -> Result<Vec<PeriodScore>, AppError> {
    let (a, c, o) = (assessment::Entity, cycle::Entity, official::Entity);
    let q = Query::select()
        .columns([
            (o, official::Column::Id),
            (o, official::Column::PersonnelCode),
            (o, official::Column::TaskGroup),
            (o, official::Column::IsLeader),
        ])
        .column((c, cycle::Column::PeriodNo))
        .columns([
            (a, assessment::Column::ComputedScore),
            (a, assessment::Column::LawfulLeaveMonths),
            (a, assessment::Column::Discipline),
            (a, assessment::Column::ConcludedDegradation),
            (a, assessment::Column::UnitCorruption),
        ])
        .from(a)
        .inner_join(
            c,
            Expr::col((c, cycle::Column::Id)).equals((a, assessment::Column::CycleId)),
        )
        .inner_join(
            o,
            Expr::col((o, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .and_where(Expr::col((o, official::Column::UnitId)).eq(unit_id))
        .and_where(Expr::col((c, cycle::Column::Year)).eq(year))
        .and_where(Expr::col((c, cycle::Column::SchemeId)).eq(scheme_id))
        .and_where(Expr::col((c, cycle::Column::PeriodKind)).eq(period_kind))
        .and_where(Expr::col((a, assessment::Column::ComputedScore)).is_not_null())
        .order_by((o, official::Column::Id), Order::Asc)
        .order_by((c, cycle::Column::PeriodNo), Order::Asc)
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let period: i32 = row.try_get_by_index(4)?;
            let discipline: Option<String> = row.try_get_by_index(7)?;
            Ok(PeriodScore {
                official_id: row.try_get_by_index(0)?,
                code: row.try_get_by_index(1)?,
                task_group: row.try_get_by_index(2)?,
                is_leader: row.try_get_by_index(3)?,
                period: StoredPeriod {
                    period: u32::try_from(period).map_err(AppError::internal)?,
                    score: row.try_get_by_index(5)?,
                    lawful_leave_months: row.try_get_by_index(6)?,
                    discipline: discipline.as_deref().and_then(Discipline::from_code),
                    concluded_degradation: row.try_get_by_index(8)?,
                    unit_corruption: row.try_get_by_index(9)?,
                },
            })
        })
        .collect()
}

/// The year's classification of one official, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct YearResult {
    pub official_id: i64,
    pub score: Option<f64>,
    /// `None`: not classified.
    pub level: Option<Level>,
    /// The explanation tree as JSON.
    pub explanation: String,
}

/// Writes each official's year result into their assessment of `cycle_id`, creating it if
/// needed: the engine's level becomes the level proposed for calibration (state `reviewed`).
/// Levels already moved by a calibrator are kept; approved assessments are left alone.
pub async fn write_year(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    results: Vec<YearResult>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let ids: Vec<i64> = results.iter().map(|r| r.official_id).collect();
    let existing: std::collections::HashMap<i64, (i64, String)> = assessment::Entity::find()
        .filter(assessment::Column::CycleId.eq(cycle_id))
        .filter(assessment::Column::OfficialId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.official_id, (a.id, a.state)))
        .collect();
    let mut written = 0;
    for r in results {
        let level = r.level.map(|l| l.code().to_owned());
        let mut row = assessment::ActiveModel {
            computed_score: Set(r.score),
            computed_level: Set(level.clone()),
            proposed_level: Set(level),
            explanation: Set(Some(r.explanation)),
            state: Set(AssessmentState::Reviewed.code().to_owned()),
            updated_at: Set(now),
            ..Default::default()
        };
        match existing.get(&r.official_id) {
            Some((_, state)) if state == AssessmentState::Approved.code() => continue,
            Some((id, _)) => super::versioned::update(db, *id, row).await?,
            None => {
                row.official_id = Set(r.official_id);
                row.cycle_id = Set(cycle_id);
                row.report_late = Set(false);
                row.lawful_leave_months = Set(0.0);
                row.concluded_degradation = Set(false);
                row.unit_corruption = Set(false);
                row.notes = Set(String::new());
                row.version = Set(1);
                assessment::Entity::insert(row).exec(db).await?;
            }
        }
        written += 1;
    }
    Ok(written)
}

/// One person of a unit's boards: their assessment in the cycle and their official record.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub assessment_id: i64,
    pub version: i32,
    pub official_id: i64,
    pub code: String,
    pub name: String,
    pub task_group: String,
    pub score: Option<f64>,
    pub computed_level: Option<Level>,
    pub calibrated_level: Option<Level>,
    pub calibration_reason: Option<String>,
    pub state: AssessmentState,
    /// Who reviews them: official id and name.
    pub reviewer: Option<(i64, String)>,
}

/// The assessments of `cycle_id` of the officials now in `unit_id`, by task group, best score
/// first.
pub async fn members(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit_id: i64,
) -> Result<Vec<Member>, AppError> {
    let (a, o) = (assessment::Entity, official::Entity);
    let reviewer = Alias::new("reviewer");
    let q = Query::select()
        .columns([
            (a, assessment::Column::Id),
            (a, assessment::Column::Version),
        ])
        .columns([
            (o, official::Column::Id),
            (o, official::Column::PersonnelCode),
            (o, official::Column::FullName),
            (o, official::Column::TaskGroup),
        ])
        .columns([
            (a, assessment::Column::ComputedScore),
            (a, assessment::Column::ComputedLevel),
            (a, assessment::Column::CalibratedLevel),
            (a, assessment::Column::CalibrationReason),
            (a, assessment::Column::State),
        ])
        .column((o, official::Column::ReviewerId))
        .column((reviewer.clone(), official::Column::FullName))
        .from(a)
        .inner_join(
            o,
            Expr::col((o, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .join_as(
            JoinType::LeftJoin,
            o,
            reviewer.clone(),
            Expr::col((reviewer.clone(), official::Column::Id))
                .equals((o, official::Column::ReviewerId)),
        )
        .and_where(Expr::col((a, assessment::Column::CycleId)).eq(cycle_id))
        .and_where(Expr::col((o, official::Column::UnitId)).eq(unit_id))
        .order_by((o, official::Column::TaskGroup), Order::Asc)
        .order_by((a, assessment::Column::ComputedScore), Order::Desc)
        .order_by((o, official::Column::PersonnelCode), Order::Asc)
        .to_owned();
    let backend = db.get_database_backend();
    let level = |code: Option<String>| code.as_deref().and_then(Level::from_code);
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let state: String = row.try_get_by_index(10)?;
            let reviewer_id: Option<i64> = row.try_get_by_index(11)?;
            let reviewer_name: Option<String> = row.try_get_by_index(12)?;
            Ok(Member {
                assessment_id: row.try_get_by_index(0)?,
                version: row.try_get_by_index(1)?,
                official_id: row.try_get_by_index(2)?,
                code: row.try_get_by_index(3)?,
                name: row.try_get_by_index(4)?,
                task_group: row.try_get_by_index(5)?,
                score: row.try_get_by_index(6)?,
                computed_level: level(row.try_get_by_index(7)?),
                calibrated_level: level(row.try_get_by_index(8)?),
                calibration_reason: row.try_get_by_index(9)?,
                state: AssessmentState::from_code(&state)
                    .ok_or_else(|| AppError::internal(format!("assessment state {state:?}")))?,
                reviewer: reviewer_id.zip(reviewer_name),
            })
        })
        .collect()
}

/// One (cycle, unit, task group) under calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: i64,
    pub cycle_id: i64,
    pub unit_id: i64,
    pub task_group: String,
    /// Reference, approver and cap (`None`: lifted) of the recorded exception.
    pub exception: Option<(String, String, Option<u32>)>,
    /// Who approved the levels, and when: the levels are locked.
    pub approved: Option<(String, DateTime<Utc>)>,
    pub version: i32,
}

fn to_group(m: calibration::Model) -> Group {
    let exception = match (m.exception_reference, m.exception_approver) {
        (Some(reference), Some(approver)) => Some((
            reference,
            approver,
            m.exception_max_percent.and_then(|p| u32::try_from(p).ok()),
        )),
        _ => None,
    };
    Group {
        id: m.id,
        cycle_id: m.cycle_id,
        unit_id: m.unit_id,
        task_group: m.task_group,
        exception,
        approved: m.approved_by.zip(m.approved_at),
        version: m.version,
    }
}

/// The groups of `unit_id` under calibration in `cycle_id`, by task group.
pub async fn groups(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit_id: i64,
) -> Result<Vec<Group>, AppError> {
    Ok(calibration::Entity::find()
        .filter(calibration::Column::CycleId.eq(cycle_id))
        .filter(calibration::Column::UnitId.eq(unit_id))
        .order_by_asc(calibration::Column::TaskGroup)
        .all(db)
        .await?
        .into_iter()
        .map(to_group)
        .collect())
}

/// The group with this id; `NotFound` if none.
pub async fn group(db: &impl ConnectionTrait, id: i64) -> Result<Group, AppError> {
    calibration::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_group)
        .ok_or(AppError::NotFound)
}

/// The group of (cycle, unit, task group), created (version 1) if it does not exist yet.
pub async fn ensure_group(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    unit_id: i64,
    task_group: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let exists = calibration::Entity::find()
        .filter(calibration::Column::CycleId.eq(cycle_id))
        .filter(calibration::Column::UnitId.eq(unit_id))
        .filter(calibration::Column::TaskGroup.eq(task_group))
        .one(db)
        .await?
        .is_some();
    if !exists {
        calibration::Entity::insert(calibration::ActiveModel {
            cycle_id: Set(cycle_id),
            unit_id: Set(unit_id),
            task_group: Set(task_group.to_owned()),
            version: Set(1),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// What a write does to a group besides bumping its version.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupChange {
    /// Only the version: one of its people moved.
    Touch,
    /// Records (`Some`) or clears (`None`) the exception.
    Exception(Option<(String, String, Option<u32>)>),
    /// Locks the levels.
    Approve(String),
}

/// Writes `change` if the group is still at `version` (else `Conflict`); the version goes up.
pub async fn write_group(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    change: GroupChange,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut row = calibration::ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    match change {
        GroupChange::Touch => {}
        GroupChange::Exception(e) => {
            let (reference, approver, cap) = match e {
                Some((r, a, c)) => (Some(r), Some(a), c.and_then(|c| i32::try_from(c).ok())),
                None => (None, None, None),
            };
            row.exception_reference = Set(reference);
            row.exception_approver = Set(approver);
            row.exception_max_percent = Set(cap);
        }
        GroupChange::Approve(by) => {
            row.approved_by = Set(Some(by));
            row.approved_at = Set(Some(now));
        }
    }
    super::versioned::update_if_version(db, id, version, row).await
}

/// Moves one person to `level` with `reason`, or back to the level they were classified at
/// (`None`, `None`), if their assessment is still at `version`.
pub async fn write_move(
    db: &impl ConnectionTrait,
    assessment_id: i64,
    version: i32,
    level: Option<Level>,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = assessment::ActiveModel {
        calibrated_level: Set(level.map(|l| l.code().to_owned())),
        calibration_reason: Set(reason),
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, assessment_id, version, row).await
}

/// Approves one person's calibrated level: state `approved`, the level it stands at.
pub async fn write_approval(
    db: &impl ConnectionTrait,
    assessment_id: i64,
    version: i32,
    level: Option<Level>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = assessment::ActiveModel {
        state: Set(AssessmentState::Approved.code().to_owned()),
        approved_level: Set(level.map(|l| l.code().to_owned())),
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, assessment_id, version, row).await
}

/// Adds `line` at the end of an assessment's explanation (the reason of a calibration the
/// quota rule made); the version was already moved by the write it explains.
pub async fn append_explanation(
    db: &impl ConnectionTrait,
    assessment_id: i64,
    line: &crate::domain::explain::Node,
) -> Result<(), AppError> {
    let stored = assessment::Entity::find_by_id(assessment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tree: crate::domain::explain::Node = match stored.explanation.as_deref() {
        Some(json) => serde_json::from_str(json).map_err(AppError::internal)?,
        None => crate::domain::explain::Node::new("official"),
    };
    tree.push(line.clone());
    let json = serde_json::to_string(&tree).map_err(AppError::internal)?;
    assessment::Entity::update_many()
        .col_expr(assessment::Column::Explanation, Expr::value(json))
        .filter(assessment::Column::Id.eq(assessment_id))
        .exec(db)
        .await?;
    Ok(())
}
