//! What the pages show about people: officials in a scope, an official's key results and
//! assessments (their writes are use cases of [`crate::ssr::service`]).

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select,
};

use crate::domain::access::Scope;
use crate::domain::lifecycle::CycleState;
use crate::domain::vocab::OfficialStatus;
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, key_result, objective, official};
use crate::ssr::repo::scope;

/// An official as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub personnel_code: String,
    pub full_name: String,
    pub job_position: String,
    pub unit_name: String,
}

/// The first `limit` active officials in `scope` matching `pattern` (a folded `LIKE`
/// pattern over name, personnel code and unit; `None`: all), by unit then name, and how
/// many there are in all — filtered, sorted, counted and paged in SQL.
pub async fn officials_page(
    db: &impl ConnectionTrait,
    scope: &Scope,
    pattern: Option<&str>,
    limit: u64,
) -> Result<(Vec<Listed>, u64), AppError> {
    if scope.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let query = official::Entity::find()
        .filter(official::Column::Status.eq(OfficialStatus::Active.code()))
        .filter(scope::officials_in(scope))
        .apply_if(pattern, |q, p| q.filter(scope::officials_matching(p)));
    let total = match pattern {
        None => total_in(db, scope).await?,
        Some(_) => count(db, query.clone()).await?,
    };
    // Only the columns the list shows: a page of 300 decodes no timestamps.
    let page: Vec<(i64, String, String, String, i64)> = query
        .select_only()
        .columns([
            official::Column::Id,
            official::Column::PersonnelCode,
            official::Column::FullName,
            official::Column::JobPosition,
            official::Column::UnitId,
        ])
        .order_by_asc(official::Column::UnitId)
        .order_by_asc(official::Column::FullName)
        .order_by_asc(official::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let names = super::org_units::names_of(db, page.iter().map(|r| r.4)).await?;
    let rows = page
        .into_iter()
        .map(
            |(id, personnel_code, full_name, job_position, unit)| Listed {
                unit_name: names.get(&unit).cloned().unwrap_or_default(),
                id,
                personnel_code,
                full_name,
                job_position,
            },
        )
        .collect();
    Ok((rows, total))
}

/// The active officials in `scope`: the head counts of its subtrees, plus those in scope
/// by another grant (as reviewer, or one's own record) outside them.
async fn total_in(db: &impl ConnectionTrait, scope: &Scope) -> Result<u64, AppError> {
    if scope.exclude_me {
        let query = official::Entity::find()
            .filter(official::Column::Status.eq(OfficialStatus::Active.code()))
            .filter(scope::officials_in(scope));
        return count(db, query).await;
    }
    let whole = super::headcount::active_under(db, &scope.subtrees).await?;
    let rest = Scope {
        subtrees: Vec::new(),
        ..scope.clone()
    };
    if rest.is_empty() {
        return Ok(whole);
    }
    let query = official::Entity::find()
        .filter(official::Column::Status.eq(OfficialStatus::Active.code()))
        .filter(scope::officials_in(&rest))
        .filter(official::Column::UnitId.not_in_subquery(scope::units_under(&scope.subtrees)));
    Ok(whole + count(db, query).await?)
}

/// A plain COUNT over the covering index (a paginator's count would wrap every column in a
/// sub-select and read each row).
async fn count(
    db: &impl ConnectionTrait,
    query: Select<official::Entity>,
) -> Result<u64, AppError> {
    let total: i64 = query
        .select_only()
        .column_as(official::Column::Id.count(), "total")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0);
    Ok(u64::try_from(total).unwrap_or(0))
}

/// One official as a list row, with their unit's name in the same statement; `NotFound` if
/// none.
pub async fn official_row(db: &impl ConnectionTrait, id: i64) -> Result<Listed, AppError> {
    use crate::ssr::entity::org_unit;
    use sea_orm::JoinType;
    let (id, personnel_code, full_name, job_position, unit_name) = official::Entity::find_by_id(id)
        .select_only()
        .columns([
            official::Column::Id,
            official::Column::PersonnelCode,
            official::Column::FullName,
            official::Column::JobPosition,
        ])
        .column(org_unit::Column::Name)
        .join(
            JoinType::InnerJoin,
            official::Entity::belongs_to(org_unit::Entity)
                .from(official::Column::UnitId)
                .to(org_unit::Column::Id)
                .into(),
        )
        .into_tuple::<(i64, String, String, String, String)>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Listed {
        id,
        personnel_code,
        full_name,
        job_position,
        unit_name,
    })
}

/// A key result of an official as their page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultListed {
    pub id: i64,
    pub title: String,
    pub current_value: f64,
    pub target_value: f64,
    pub unit_of_measure: String,
    /// Whether its cycle is closed (no more check-ins).
    pub cycle_closed: bool,
}

/// The key results of an official's own objectives, newest cycle first.
pub async fn key_results(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Vec<KeyResultListed>, AppError> {
    let closed = closed_cycles(db).await?;
    let objectives: HashMap<i64, i64> = objective::Entity::find()
        .filter(objective::Column::OwnerOfficialId.eq(official_id))
        .order_by_desc(objective::Column::CycleId)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.cycle_id))
        .collect();
    Ok(key_result::Entity::find()
        .filter(key_result::Column::ObjectiveId.is_in(objectives.keys().copied()))
        .order_by_asc(key_result::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|k| KeyResultListed {
            cycle_closed: objectives
                .get(&k.objective_id)
                .is_none_or(|c| closed.contains(c)),
            id: k.id,
            title: k.title,
            current_value: k.current_value,
            target_value: k.target_value,
            unit_of_measure: k.unit_of_measure,
        })
        .collect())
}

/// The ids of the closed cycles: their check-ins and levels no longer change (every other
/// state — open, in review — still does).
pub async fn closed_cycles(db: &impl ConnectionTrait) -> Result<HashSet<i64>, AppError> {
    Ok(cycle::Entity::find()
        .filter(cycle::Column::State.eq(CycleState::Closed.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// The official who owns a key result (through its objective) and the objective's cycle;
/// `NotFound` if none.
pub async fn key_result_owner(
    db: &impl ConnectionTrait,
    key_result_id: i64,
) -> Result<(i64, i64), AppError> {
    let kr = key_result::Entity::find_by_id(key_result_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    objective::Entity::find_by_id(kr.objective_id)
        .one(db)
        .await?
        .and_then(|o| Some((o.owner_official_id?, o.cycle_id)))
        .ok_or(AppError::NotFound)
}

/// An assessment's official and cycle; `NotFound` if there is no such assessment.
pub async fn assessment_official(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<(i64, i64), AppError> {
    assessment::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|a| (a.official_id, a.cycle_id))
        .ok_or(AppError::NotFound)
}

/// The active officials of the units under `unit_id` (itself included), of one job position
/// when given, by id — chosen in SQL.
pub async fn active_under(
    db: &impl ConnectionTrait,
    unit_id: i64,
    job_position: Option<&str>,
) -> Result<Vec<i64>, AppError> {
    let mut q = official::Entity::find()
        .select_only()
        .column(official::Column::Id)
        .filter(official::Column::UnitId.in_subquery(scope::units_under(&[unit_id])))
        .filter(official::Column::Status.eq(OfficialStatus::Active.code()));
    if let Some(position) = job_position {
        q = q.filter(official::Column::JobPosition.eq(position));
    }
    Ok(q.order_by_asc(official::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
