//! Reads and writes of assessments as read models: levels and states as domain values, never
//! bare strings past this module.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::Level;
use crate::domain::lifecycle::{AssessmentState, CycleState};
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, general_score};
use crate::ssr::repo::cycles::Cycle;

/// One stored assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub id: i64,
    pub official_id: i64,
    pub cycle_id: i64,
    pub computed_score: Option<f64>,
    /// The engine's level for the period, when it was stored.
    pub computed_level: Option<Level>,
    pub proposed_level: Option<Level>,
    pub approved_level: Option<Level>,
    pub state: AssessmentState,
    pub level_reason: Option<String>,
    pub return_reason: Option<String>,
    /// The explanation tree as stored (JSON of `domain::Node`).
    pub explanation: Option<String>,
    pub version: i32,
}

fn level(code: Option<&str>) -> Option<Level> {
    code.and_then(Level::from_code)
}

/// The read model of a row; an unknown stored state is an internal error.
pub fn to_stored(m: assessment::Model) -> Result<Stored, AppError> {
    let state = AssessmentState::from_code(&m.state).ok_or_else(|| {
        AppError::internal(format!(
            "assessment {} has unknown state {:?}",
            m.id, m.state
        ))
    })?;
    Ok(Stored {
        id: m.id,
        official_id: m.official_id,
        cycle_id: m.cycle_id,
        computed_score: m.computed_score,
        computed_level: level(m.computed_level.as_deref()),
        proposed_level: level(m.proposed_level.as_deref()),
        approved_level: level(m.approved_level.as_deref()),
        state,
        level_reason: m.level_reason,
        return_reason: m.return_reason,
        explanation: m.explanation,
        version: m.version,
    })
}

/// The assessment with this id; `NotFound` if none.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Stored, AppError> {
    let model = assessment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    to_stored(model)
}

/// Assessment `id` and its cycle, read in one statement (the sheet's first read).
pub async fn find_with_cycle(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<(Stored, Cycle), AppError> {
    let (model, cycle) = assessment::Entity::find_by_id(id)
        .select_also(cycle::Entity)
        .join(
            sea_orm::JoinType::InnerJoin,
            assessment::Entity::belongs_to(cycle::Entity)
                .from(assessment::Column::CycleId)
                .to(cycle::Column::Id)
                .into(),
        )
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let cycle = cycle.ok_or(AppError::NotFound)?;
    Ok((to_stored(model)?, crate::ssr::repo::cycles::to_cycle(cycle)))
}

/// The state of the assessment of `(official, cycle)`: a draft while none is stored yet.
pub async fn state_of(
    db: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
) -> Result<AssessmentState, AppError> {
    match assessment::Entity::find()
        .filter(assessment::Column::OfficialId.eq(official_id))
        .filter(assessment::Column::CycleId.eq(cycle_id))
        .one(db)
        .await?
    {
        Some(m) => Ok(to_stored(m)?.state),
        None => Ok(AssessmentState::Draft),
    }
}

/// Opens a draft assessment in `cycle_id` for each of `officials` who has none yet (their
/// sheet for the period).
pub async fn open_drafts(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    officials: &[i64],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::QuerySelect;
    for chunk in officials.chunks(500) {
        let have: std::collections::HashSet<i64> = assessment::Entity::find()
            .select_only()
            .column(assessment::Column::OfficialId)
            .filter(assessment::Column::CycleId.eq(cycle_id))
            .filter(assessment::Column::OfficialId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let rows: Vec<assessment::ActiveModel> = chunk
            .iter()
            .filter(|id| !have.contains(id))
            .map(|id| assessment::ActiveModel {
                official_id: Set(*id),
                cycle_id: Set(cycle_id),
                state: Set(AssessmentState::Draft.code().to_owned()),
                notes: Set(String::new()),
                version: Set(1),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        super::bulk::insert_all(db, rows).await?;
    }
    Ok(())
}

/// An official's assessments with their cycles, newest cycle first.
pub async fn of_official(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Vec<(Stored, Cycle)>, AppError> {
    let rows = assessment::Entity::find()
        .filter(assessment::Column::OfficialId.eq(official_id))
        .order_by_desc(assessment::Column::CycleId)
        .all(db)
        .await?;
    let cycles: std::collections::HashMap<i64, Cycle> = cycle::Entity::find()
        .filter(cycle::Column::Id.is_in(rows.iter().map(|a| a.cycle_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, super::cycles::to_cycle(c)))
        .collect();
    rows.into_iter()
        .map(|a| {
            let c = cycles
                .get(&a.cycle_id)
                .cloned()
                .ok_or_else(|| AppError::internal(format!("assessment {} has no cycle", a.id)))?;
            Ok((to_stored(a)?, c))
        })
        .collect()
}

/// What a decision writes: the new state, the levels and the reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub state: AssessmentState,
    pub proposed_level: Option<Level>,
    pub approved_level: Option<Level>,
    pub level_reason: Option<String>,
    pub return_reason: Option<String>,
}

/// Writes a decision if the assessment is still at `version` (else `Conflict`); the version
/// goes up by one.
pub async fn write_decision(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    d: Decided,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let code = |l: Option<Level>| l.map(|l| l.code().to_owned());
    let changes = assessment::ActiveModel {
        state: Set(d.state.code().to_owned()),
        proposed_level: Set(code(d.proposed_level)),
        approved_level: Set(code(d.approved_level)),
        level_reason: Set(d.level_reason),
        return_reason: Set(d.return_reason),
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// The engine's result for one assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub id: i64,
    pub score: Option<f64>,
    /// `None` when not classified.
    pub level: Option<Level>,
    /// The explanation tree as JSON.
    pub explanation: String,
}

/// Stores the engine's results (score, level, explanation); the decisions and the version
/// are left as they are (a recomputation is not someone's edit).
pub async fn write_scores(db: &impl ConnectionTrait, scored: Vec<Scored>) -> Result<(), AppError> {
    let rows = scored
        .into_iter()
        .map(|s| {
            let level: Option<String> = s.level.map(|l| l.code().to_owned());
            (
                s.id,
                vec![s.score.into(), level.into(), Some(s.explanation).into()],
            )
        })
        .collect();
    let columns = [
        ("computed_score", "DOUBLE PRECISION"),
        ("computed_level", "TEXT"),
        ("explanation", "TEXT"),
    ];
    super::bulk::update_by_id(db, "assessment", &columns, rows).await?;
    Ok(())
}

/// Records the engine's level of every scored assessment of a cycle as the proposed level,
/// and, when `approve`, as the approved one (the demo city's history).
pub async fn accept_engine_levels(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    approve: bool,
) -> Result<u64, AppError> {
    let mut update = assessment::Entity::update_many()
        .col_expr(
            assessment::Column::ProposedLevel,
            Expr::col(assessment::Column::ComputedLevel),
        )
        .filter(assessment::Column::CycleId.eq(cycle_id))
        .filter(assessment::Column::ComputedLevel.is_not_null());
    if approve {
        update = update.col_expr(
            assessment::Column::ApprovedLevel,
            Expr::col(assessment::Column::ComputedLevel),
        );
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Who gave general-criteria points: the official (self-assessment) or the reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scorer {
    Official,
    Reviewer,
}

/// One criterion group's points and comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    pub group: String,
    pub points: f64,
    pub comment: Option<String>,
}

/// Writes an official's or a reviewer's points on the criterion groups of `(official, cycle)`
/// (the reviewer's id kept with theirs).
pub async fn write_points(
    db: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
    scorer: Scorer,
    reviewer_id: Option<i64>,
    points: &[Points],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for p in points {
        let existing = general_score::Entity::find()
            .filter(general_score::Column::OfficialId.eq(official_id))
            .filter(general_score::Column::CycleId.eq(cycle_id))
            .filter(general_score::Column::CriterionGroup.eq(p.group.as_str()))
            .one(db)
            .await?;
        let mut row = general_score::ActiveModel {
            updated_at: Set(now),
            ..Default::default()
        };
        match scorer {
            Scorer::Official => {
                row.self_points = Set(Some(p.points));
                row.self_comment = Set(p.comment.clone());
            }
            Scorer::Reviewer => {
                row.reviewer_points = Set(Some(p.points));
                row.reviewer_comment = Set(p.comment.clone());
                row.reviewer_id = Set(reviewer_id);
            }
        }
        match existing {
            Some(e) => super::versioned::update(db, e.id, row).await?,
            None => {
                row.official_id = Set(official_id);
                row.cycle_id = Set(cycle_id);
                row.criterion_group = Set(p.group.clone());
                row.version = Set(1);
                general_score::Entity::insert(row).exec(db).await?;
            }
        }
    }
    Ok(())
}

/// One criterion's points as given: the official's own and the reviewer's, with comments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Given {
    pub criterion: String,
    pub self_points: Option<f64>,
    pub self_comment: Option<String>,
    pub reviewer_points: Option<f64>,
    pub reviewer_comment: Option<String>,
}

/// The general-criteria points given on `(official, cycle)`, by criterion id.
pub async fn points_given(
    db: &impl ConnectionTrait,
    (official_id, cycle_id): (i64, i64),
) -> Result<Vec<Given>, AppError> {
    Ok(general_score::Entity::find()
        .filter(general_score::Column::OfficialId.eq(official_id))
        .filter(general_score::Column::CycleId.eq(cycle_id))
        .order_by_asc(general_score::Column::CriterionGroup)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Given {
            criterion: g.criterion_group,
            self_points: g.self_points,
            self_comment: g.self_comment,
            reviewer_points: g.reviewer_points,
            reviewer_comment: g.reviewer_comment,
        })
        .collect())
}

/// Marks an assessment changed (its inputs were edited) if it is still at `version` (else
/// `Conflict`).
pub async fn touch(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let changes = assessment::ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    super::versioned::update_if_version(db, id, version, changes).await
}

/// The assessments of these officials in cycles not closed, as (cycle id, official id): what
/// a change to the officials themselves (unit, leadership) rescores.
pub async fn open_of(
    db: &impl ConnectionTrait,
    official_ids: &[i64],
) -> Result<std::collections::BTreeSet<(i64, i64)>, AppError> {
    use sea_orm::QuerySelect;
    let open_cycles = sea_orm::sea_query::Query::select()
        .column(cycle::Column::Id)
        .from(cycle::Entity)
        .and_where(Expr::col(cycle::Column::State).ne(CycleState::Closed.code()))
        .to_owned();
    let mut found = std::collections::BTreeSet::new();
    for chunk in official_ids.chunks(500) {
        let pairs: Vec<(i64, i64)> = assessment::Entity::find()
            .select_only()
            .columns([assessment::Column::CycleId, assessment::Column::OfficialId])
            .filter(assessment::Column::OfficialId.is_in(chunk.iter().copied()))
            .filter(assessment::Column::CycleId.in_subquery(open_cycles.clone()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(pairs);
    }
    Ok(found)
}
