//! What the pages show about people: officials in a scope, an official's key results and
//! assessments, and the writes made from those pages (check-ins, proposed and approved
//! levels), each audited with the record's unit.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::api::dto::{AssessmentRow, KeyResultRow, OfficialRow};
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, key_result, objective, official, org_unit};
use crate::ssr::repo::audit::{self, Actor, Change};

/// Every unit's parent, to compute unit paths in memory (a few thousand rows nationally).
pub async fn parents(db: &impl ConnectionTrait) -> Result<HashMap<i64, Option<i64>>, AppError> {
    Ok(org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect())
}

/// `unit` and its ancestors, from a [`parents`] map.
pub fn path_in(parents: &HashMap<i64, Option<i64>>, unit: i64) -> Vec<i64> {
    let mut path = vec![unit];
    let mut current = unit;
    while let Some(Some(parent)) = parents.get(&current) {
        if path.contains(parent) || path.len() > 32 {
            break;
        }
        path.push(*parent);
        current = *parent;
    }
    path
}

fn row(m: official::Model, units: &HashMap<i64, String>) -> OfficialRow {
    OfficialRow {
        id: m.id,
        personnel_code: m.personnel_code,
        full_name: m.full_name,
        job_position: m.job_position,
        unit_name: units.get(&m.unit_id).cloned().unwrap_or_default(),
    }
}

/// Every unit's name by id.
pub async fn unit_names(db: &impl ConnectionTrait) -> Result<HashMap<i64, String>, AppError> {
    Ok(org_unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Active officials in `unit_ids` (ordered by unit, then name), with their unit paths'
/// inputs: the caller filters them through the access rules.
pub async fn officials_in(
    db: &impl ConnectionTrait,
    unit_ids: &[i64],
    limit: u64,
) -> Result<Vec<(official::Model, OfficialRow)>, AppError> {
    let names = unit_names(db).await?;
    let mut found = Vec::new();
    for chunk in unit_ids.chunks(500) {
        let models = official::Entity::find()
            .filter(official::Column::UnitId.is_in(chunk.iter().copied()))
            .filter(official::Column::Status.eq("active"))
            .order_by_asc(official::Column::UnitId)
            .order_by_asc(official::Column::FullName)
            .limit(limit)
            .all(db)
            .await?;
        found.extend(models.into_iter().map(|m| (m.clone(), row(m, &names))));
    }
    Ok(found)
}

/// One official as a list row.
pub async fn official_row(db: &impl ConnectionTrait, id: i64) -> Result<OfficialRow, AppError> {
    let model = official::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row(model, &unit_names(db).await?))
}

/// The key results of an official's own objectives, newest cycle first.
pub async fn key_results(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Vec<KeyResultRow>, AppError> {
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
        .map(|k| KeyResultRow {
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
        .filter(cycle::Column::State.eq("closed"))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// `Invalid` (field `cycle`, `cycle_closed`) when `cycle_id` is closed (or missing): a closed
/// period's check-ins and levels no longer change.
pub async fn ensure_not_closed(db: &impl ConnectionTrait, cycle_id: i64) -> Result<(), AppError> {
    let changeable = cycle::Entity::find_by_id(cycle_id)
        .one(db)
        .await?
        .is_some_and(|c| c.state != "closed");
    if changeable {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: "cycle".into(),
            message: "cycle_closed".into(),
        })
    }
}

/// An official's assessments, newest cycle first.
pub async fn assessments(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Vec<AssessmentRow>, AppError> {
    let cycles: HashMap<i64, cycle::Model> = cycle::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(assessment::Entity::find()
        .filter(assessment::Column::OfficialId.eq(official_id))
        .order_by_desc(assessment::Column::CycleId)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AssessmentRow {
            id: a.id,
            cycle_code: cycles
                .get(&a.cycle_id)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            cycle_closed: cycles.get(&a.cycle_id).is_none_or(|c| c.state == "closed"),
            score: a.computed_score,
            proposed_level: a.proposed_level,
            approved_level: a.approved_level,
            state: a.state,
            version: a.version,
        })
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

/// Which level field a decision writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelDecision {
    /// The reviewer's proposal (state `reviewed`).
    Proposed,
    /// The approval (state `approved`).
    Approved,
}

/// Writes a proposed or approved level if the assessment is still at `version`; audited with
/// the level before and after. `unit_id` is the official's unit (the entry's scope).
#[expect(
    clippy::too_many_arguments,
    reason = "one audited write with its context"
)]
pub async fn decide_level(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    decision: LevelDecision,
    level: &str,
    actor: &Actor,
    unit_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let before = assessment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut changes = assessment::ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    let (action, old) = match decision {
        LevelDecision::Proposed => {
            changes.proposed_level = Set(Some(level.to_owned()));
            changes.state = Set("reviewed".into());
            ("assessment_score", before.proposed_level.clone())
        }
        LevelDecision::Approved => {
            changes.approved_level = Set(Some(level.to_owned()));
            changes.state = Set("approved".into());
            ("assessment_approve", before.approved_level.clone())
        }
    };
    super::versioned::update_if_version(db, id, version, changes).await?;
    let change = Change {
        action: action.into(),
        entity: "assessment".into(),
        entity_id: Some(id.to_string()),
        before: Some(
            serde_json::json!({ "level": old, "state": before.state, "version": version }),
        ),
        after: Some(serde_json::json!({ "level": level, "version": version + 1 })),
        unit_id: Some(unit_id),
    };
    audit::record(db, actor, change, now).await
}
