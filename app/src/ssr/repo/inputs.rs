//! The stored inputs of officials' periods, read as the engine's own types: general-criteria
//! points, products with their waivers, objectives and key results (OKR schemes), and the
//! period's other facts (late report, a leader's unit result, discipline, degradation …).
//! Whole cycles are read in a few queries, so a province's month is recomputed in one pass.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use crate::domain::batch::LeaderInput;
use crate::domain::scheme::TaskResultsRule;
use crate::domain::{
    Discipline, KeyResult, Objective, OfficialInput, PeriodInput, Product, Scheme, Waiver,
    WaiverKind,
};
use crate::error::AppError;
use crate::ssr::entity::{
    assessment, general_score, key_result, objective, official, org_unit, product,
};
use crate::ssr::repo::cycles::Cycle;
use crate::ssr::repo::rollups::measure_of;

/// One assessment's inputs: the official's unit and what the engine scores.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentInput {
    pub assessment_id: i64,
    pub unit_id: i64,
    pub input: OfficialInput,
}

/// The inputs of the assessments of `cycle` — all of them, or those of `only` these
/// officials — scored under `scheme`.
pub async fn of_cycle(
    db: &impl ConnectionTrait,
    cycle: &Cycle,
    scheme: &Scheme,
    only: Option<&[i64]>,
) -> Result<Vec<AssessmentInput>, AppError> {
    let only = only.map(<[i64]>::to_vec);
    // Every column but the stored explanation (kilobytes each, and about to be replaced).
    let assessments = assessment::Entity::find()
        .select_only()
        .columns(
            assessment::Column::iter().filter(|c| !matches!(c, assessment::Column::Explanation)),
        )
        .filter(assessment::Column::CycleId.eq(cycle.id))
        .apply_if(only.clone(), |q, ids| {
            q.filter(assessment::Column::OfficialId.is_in(ids))
        })
        .order_by_asc(assessment::Column::OfficialId)
        .all(db)
        .await?;
    let official_ids: Vec<i64> = assessments.iter().map(|a| a.official_id).collect();
    let mut officials: HashMap<i64, official::Model> = HashMap::new();
    let mut general: HashMap<i64, BTreeMap<String, f64>> = HashMap::new();
    let mut products: HashMap<i64, Vec<Product>> = HashMap::new();
    let mut objectives: HashMap<i64, Vec<Objective>> = HashMap::new();
    let okr = matches!(scheme.task_results, TaskResultsRule::Okr { .. });
    // Whole cycles are read without an id list; a few officials by theirs.
    for chunk in chunks(&official_ids, only.is_some()) {
        // The whole cycle's officials are those it assesses (a sub-select, not every row).
        let assessed = Query::select()
            .column(assessment::Column::OfficialId)
            .from(assessment::Entity)
            .and_where(Expr::col(assessment::Column::CycleId).eq(cycle.id))
            .to_owned();
        for o in official::Entity::find()
            .filter(match chunk.clone() {
                Some(ids) => official::Column::Id.is_in(ids),
                None => official::Column::Id.in_subquery(assessed),
            })
            .all(db)
            .await?
        {
            officials.insert(o.id, o);
        }
        for g in general_score::Entity::find()
            .filter(general_score::Column::CycleId.eq(cycle.id))
            .apply_if(chunk.clone(), |q, ids| {
                q.filter(general_score::Column::OfficialId.is_in(ids))
            })
            .all(db)
            .await?
        {
            if let Some(points) = g.reviewer_points.or(g.self_points) {
                general
                    .entry(g.official_id)
                    .or_default()
                    .insert(g.criterion_group, points);
            }
        }
        for p in product::Entity::find()
            .filter(product::Column::CycleId.eq(cycle.id))
            .apply_if(chunk.clone(), |q, ids| {
                q.filter(product::Column::OfficialId.is_in(ids))
            })
            .order_by_asc(product::Column::Id)
            .all(db)
            .await?
        {
            products
                .entry(p.official_id)
                .or_default()
                .push(to_product(p));
        }
        if okr {
            for (official_id, o) in okrs_of(db, cycle.id, chunk).await? {
                objectives.entry(official_id).or_default().push(o);
            }
        }
    }
    // The explanation names the official by personnel code and the unit by name.
    let units: std::collections::BTreeSet<i64> = officials.values().map(|o| o.unit_id).collect();
    let unit_names: HashMap<i64, String> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(units))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    assessments
        .into_iter()
        .filter_map(|a| {
            let o = officials.get(&a.official_id)?;
            Some((a, o))
        })
        .map(|(a, o)| {
            let discipline = match a.discipline.as_deref() {
                None => None,
                Some(code) => Some(Discipline::from_code(code).ok_or_else(|| {
                    AppError::internal(format!("assessment {} has discipline {code:?}", a.id))
                })?),
            };
            let period = PeriodInput {
                period: u32::try_from(cycle.period_no).unwrap_or_default(),
                general: general.remove(&a.official_id).unwrap_or_default(),
                products: products.remove(&a.official_id).unwrap_or_default(),
                objectives: objectives.remove(&a.official_id).unwrap_or_default(),
                report_late: a.report_late,
                unit_result_percent: a.unit_result_percent,
            };
            let input = OfficialInput {
                id: o.personnel_code.clone(),
                unit: unit_names
                    .get(&o.unit_id)
                    .cloned()
                    .unwrap_or_else(|| o.unit_id.to_string()),
                task_group: o.task_group.clone(),
                periods: vec![period],
                carried_periods: Vec::new(),
                // A period is scored alone: its time rules belong to the year's
                // classification, so the period counts as a whole year's work here.
                months_worked: Some(a.months_worked.unwrap_or(12.0)),
                lawful_leave_months: a.lawful_leave_months,
                discipline,
                concluded_degradation: a.concluded_degradation,
                unit_corruption: a.unit_corruption,
                // The leader rule needs the unit's result for the period; until it is
                // recorded, a leader's period is scored on their own work.
                leader: (o.is_leader && a.unit_result_percent.is_some()).then(LeaderInput::default),
            };
            Ok(AssessmentInput {
                assessment_id: a.id,
                unit_id: o.unit_id,
                input,
            })
        })
        .collect()
}

/// `None` once (no id filter: the whole cycle), or the ids in chunks of 500.
fn chunks(ids: &[i64], filtered: bool) -> Vec<Option<Vec<i64>>> {
    if filtered {
        ids.chunks(500).map(|c| Some(c.to_vec())).collect()
    } else {
        vec![None]
    }
}

/// A stored product as the engine reads it (waivers under its reference).
pub fn to_product(p: product::Model) -> Product {
    let mut waivers = Vec::new();
    if let Some(reference) = p.waiver_ref.filter(|r| !r.trim().is_empty()) {
        for (kind, count) in [
            (WaiverKind::Quality, p.waived_quality_failures),
            (WaiverKind::Progress, p.waived_delays),
        ] {
            if count > 0 {
                waivers.push(Waiver {
                    kind,
                    count: i64::from(count),
                    reference: reference.clone(),
                });
            }
        }
    }
    Product {
        id: p.code,
        weight: p.conversion_weight,
        assigned: i64::from(p.assigned),
        completed: i64::from(p.completed),
        completed_on_quality: Some(i64::from(p.completed_on_quality)),
        completed_on_time: Some(i64::from(p.completed_on_time)),
        quality_failures: i64::from(p.quality_failures),
        delays: i64::from(p.delays),
        waivers,
    }
}

/// The objectives of officials in a cycle with their key results, by official.
async fn okrs_of(
    db: &impl ConnectionTrait,
    cycle_id: i64,
    officials: Option<Vec<i64>>,
) -> Result<Vec<(i64, Objective)>, AppError> {
    let objectives = objective::Entity::find()
        .filter(objective::Column::CycleId.eq(cycle_id))
        .filter(objective::Column::OwnerOfficialId.is_not_null())
        .apply_if(officials, |q, ids| {
            q.filter(objective::Column::OwnerOfficialId.is_in(ids))
        })
        .order_by_asc(objective::Column::Id)
        .all(db)
        .await?;
    let mut krs: HashMap<i64, Vec<KeyResult>> = HashMap::new();
    for ids in objectives
        .iter()
        .map(|o| o.id)
        .collect::<Vec<_>>()
        .chunks(500)
    {
        for kr in key_result::Entity::find()
            .filter(key_result::Column::ObjectiveId.is_in(ids.iter().copied()))
            .order_by_asc(key_result::Column::Id)
            .all(db)
            .await?
        {
            if let Some(measure) = measure_of(&kr) {
                krs.entry(kr.objective_id).or_default().push(KeyResult {
                    id: kr.code.clone(),
                    weight: kr.weight,
                    measure,
                });
            }
        }
    }
    Ok(objectives
        .into_iter()
        .filter_map(|o| {
            let owner = o.owner_official_id?;
            let key_results = krs.remove(&o.id).unwrap_or_default();
            Some((
                owner,
                Objective {
                    id: o.id.to_string(),
                    weight: o.weight,
                    key_results,
                },
            ))
        })
        .collect())
}
