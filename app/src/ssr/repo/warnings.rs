//! The early-warning list (`warning`) and the facts its rules read: the key results of the
//! cycles in progress, the last value of each unit's metric feeds, the assessments still
//! waiting on their official or reviewer, and the monthly scores of officials and units.
//! The list is scoped, ordered, counted and paged in SQL.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Asterisk, Condition, Expr, ExprTrait, Func, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, Set, Statement,
};

use super::rollups::{KrColumns, measure_from};
use super::scope::units_under;
use crate::domain::access::Scope;
use crate::domain::okr::Measure;
use crate::domain::vocab::OfficialStatus;
use crate::error::AppError;
use crate::ssr::entity::{
    assessment, cycle, key_result, metric_series, objective, official, org_unit, unit_cycle_rollup,
    warning,
};

/// A key result of a cycle in progress, with what its pace and staleness depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct KrFacts {
    pub id: i64,
    pub unit_id: i64,
    /// The official who owns it (`None`: a unit's own) and their reviewer.
    pub official_id: Option<i64>,
    pub reviewer_id: Option<i64>,
    pub measure: Option<Measure>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub last_check_in_at: Option<DateTime<Utc>>,
}

/// The key results of every cycle in progress on `today`, of units and active officials
/// (only key result `only`, when given).
pub async fn key_results_in_progress(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<Vec<KrFacts>, AppError> {
    let (k, o, c, p) = (
        key_result::Entity,
        objective::Entity,
        cycle::Entity,
        official::Entity,
    );
    let mut q = Query::select();
    q.columns([
        (k, key_result::Column::Id),
        (k, key_result::Column::Kind),
        (k, key_result::Column::StartValue),
        (k, key_result::Column::TargetValue),
        (k, key_result::Column::CurrentValue),
        (k, key_result::Column::BandLow),
        (k, key_result::Column::BandHigh),
        (k, key_result::Column::LastCheckInAt),
    ])
    .columns([(c, cycle::Column::StartsOn), (c, cycle::Column::EndsOn)])
    .column((o, objective::Column::OwnerOfficialId))
    .expr(Func::coalesce([
        Expr::col((p, official::Column::UnitId)),
        Expr::col((o, objective::Column::OwnerUnitId)),
    ]))
    .column((p, official::Column::ReviewerId))
    .from(k)
    .inner_join(
        o,
        Expr::col((o, objective::Column::Id)).equals((k, key_result::Column::ObjectiveId)),
    )
    .inner_join(
        c,
        Expr::col((c, cycle::Column::Id)).equals((o, objective::Column::CycleId)),
    )
    .join(
        JoinType::LeftJoin,
        p,
        Expr::col((p, official::Column::Id)).equals((o, objective::Column::OwnerOfficialId)),
    )
    .and_where(Expr::col((c, cycle::Column::StartsOn)).lte(today))
    .and_where(Expr::col((c, cycle::Column::EndsOn)).gte(today))
    .cond_where(
        Condition::any()
            .add(Expr::col((o, objective::Column::OwnerOfficialId)).is_null())
            .add(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code())),
    );
    if let Some(id) = only {
        q.and_where(Expr::col((k, key_result::Column::Id)).eq(id));
    }
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .filter_map(|row| kr_facts(row).transpose())
        .collect()
}

fn kr_facts(row: &QueryResult) -> Result<Option<KrFacts>, AppError> {
    let unit_id: Option<i64> = row.try_get_by_index(11)?;
    let Some(unit_id) = unit_id else {
        return Ok(None);
    };
    Ok(Some(KrFacts {
        id: row.try_get_by_index(0)?,
        measure: measure_from(&KrColumns {
            kind: row.try_get_by_index(1)?,
            start: row.try_get_by_index(2)?,
            target: row.try_get_by_index(3)?,
            current: row.try_get_by_index(4)?,
            band_low: row.try_get_by_index(5)?,
            band_high: row.try_get_by_index(6)?,
        }),
        last_check_in_at: row.try_get_by_index(7)?,
        starts_on: row.try_get_by_index(8)?,
        ends_on: row.try_get_by_index(9)?,
        official_id: row.try_get_by_index(10)?,
        reviewer_id: row.try_get_by_index(12)?,
        unit_id,
    }))
}

/// The day of the newest value of each (metric, unit) feed (of `only`, when given).
pub async fn metric_feeds(
    db: &impl ConnectionTrait,
    only: Option<&BTreeSet<(String, i64)>>,
) -> Result<Vec<(String, i64, NaiveDate)>, AppError> {
    let mut q = metric_series::Entity::find()
        .select_only()
        .column(metric_series::Column::MetricKey)
        .column(metric_series::Column::UnitId)
        .column_as(metric_series::Column::PeriodDate.max(), "last")
        .group_by(metric_series::Column::MetricKey)
        .group_by(metric_series::Column::UnitId);
    if let Some(only) = only {
        let keys: BTreeSet<&String> = only.iter().map(|(m, _)| m).collect();
        let units: BTreeSet<i64> = only.iter().map(|(_, u)| *u).collect();
        q = q
            .filter(metric_series::Column::MetricKey.is_in(keys.into_iter().cloned()))
            .filter(metric_series::Column::UnitId.is_in(units));
    }
    let feeds: Vec<(String, i64, NaiveDate)> = q.into_tuple().all(db).await?;
    Ok(match only {
        Some(only) => feeds
            .into_iter()
            .filter(|(m, u, _)| only.contains(&(m.clone(), *u)))
            .collect(),
        None => feeds,
    })
}

/// An assessment still waiting on its official or reviewer, with its cycle's deadlines.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub id: i64,
    pub official_id: i64,
    pub unit_id: i64,
    pub reviewer_id: Option<i64>,
    pub state: String,
    pub period_kind: String,
    pub ends_on: NaiveDate,
    pub own: [Option<NaiveDate>; 3],
}

/// The assessments of active officials, in started cycles not closed, that are drafts,
/// returned or self-assessed (only assessment `only`, when given).
pub async fn waiting(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<Vec<Waiting>, AppError> {
    let (a, c, p) = (assessment::Entity, cycle::Entity, official::Entity);
    let mut q = Query::select();
    q.columns([
        (a, assessment::Column::Id),
        (a, assessment::Column::OfficialId),
    ])
    .column((p, official::Column::UnitId))
    .column((a, assessment::Column::State))
    .columns([
        (c, cycle::Column::PeriodKind),
        (c, cycle::Column::EndsOn),
        (c, cycle::Column::SelfDueOn),
        (c, cycle::Column::ReviewDueOn),
        (c, cycle::Column::ApprovalDueOn),
    ])
    .column((p, official::Column::ReviewerId))
    .from(a)
    .inner_join(
        c,
        Expr::col((c, cycle::Column::Id)).equals((a, assessment::Column::CycleId)),
    )
    .inner_join(
        p,
        Expr::col((p, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
    )
    .and_where(Expr::col((c, cycle::Column::StartsOn)).lte(today))
    .and_where(Expr::col((c, cycle::Column::State)).ne("closed"))
    .and_where(Expr::col((a, assessment::Column::State)).is_in([
        "draft",
        "returned",
        "self_assessed",
    ]))
    .and_where(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code()));
    if let Some(id) = only {
        q.and_where(Expr::col((a, assessment::Column::Id)).eq(id));
    }
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(Waiting {
                id: row.try_get_by_index(0)?,
                official_id: row.try_get_by_index(1)?,
                unit_id: row.try_get_by_index(2)?,
                state: row.try_get_by_index(3)?,
                period_kind: row.try_get_by_index(4)?,
                ends_on: row.try_get_by_index(5)?,
                own: [
                    row.try_get_by_index(6)?,
                    row.try_get_by_index(7)?,
                    row.try_get_by_index(8)?,
                ],
                reviewer_id: row.try_get_by_index(9)?,
            })
        })
        .collect()
}

/// The monthly cycles ended before `today`, at most `n`, oldest first.
pub async fn months_ended(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    n: u64,
) -> Result<Vec<i64>, AppError> {
    let mut ids: Vec<i64> = cycle::Entity::find()
        .select_only()
        .column(cycle::Column::Id)
        .filter(cycle::Column::PeriodKind.eq("month"))
        .filter(cycle::Column::EndsOn.lt(today))
        .order_by_desc(cycle::Column::EndsOn)
        .limit(n)
        .into_tuple()
        .all(db)
        .await?;
    ids.reverse();
    Ok(ids)
}

/// An active official's unit and reviewer, and their computed scores.
pub type Scores = ((i64, Option<i64>), Vec<f64>);

/// An official's unit and reviewer, and their scores with each one's place in the cycles.
type Placed = ((i64, Option<i64>), Vec<(usize, f64)>);

/// Each active official's unit, reviewer and computed scores in `cycles` (given oldest first),
/// in that order; cycles without a score are left out.
pub async fn official_scores(
    db: &impl ConnectionTrait,
    cycles: &[i64],
) -> Result<HashMap<i64, Scores>, AppError> {
    let order: HashMap<i64, usize> = cycles.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let (a, p) = (assessment::Entity, official::Entity);
    let q = Query::select()
        .column((a, assessment::Column::OfficialId))
        .column((p, official::Column::UnitId))
        .column((a, assessment::Column::CycleId))
        .column((a, assessment::Column::ComputedScore))
        .column((p, official::Column::ReviewerId))
        .from(a)
        .inner_join(
            p,
            Expr::col((p, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .and_where(Expr::col((a, assessment::Column::CycleId)).is_in(cycles.iter().copied()))
        .and_where(Expr::col((a, assessment::Column::ComputedScore)).is_not_null())
        .and_where(Expr::col((p, official::Column::Status)).eq(OfficialStatus::Active.code()))
        .to_owned();
    let backend = db.get_database_backend();
    let mut points: HashMap<i64, Placed> = HashMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let official: i64 = row.try_get_by_index(0)?;
        let unit: i64 = row.try_get_by_index(1)?;
        let cycle: i64 = row.try_get_by_index(2)?;
        let score: f64 = row.try_get_by_index(3)?;
        let reviewer: Option<i64> = row.try_get_by_index(4)?;
        let at = order.get(&cycle).copied().unwrap_or(0);
        points
            .entry(official)
            .or_insert(((unit, reviewer), Vec::new()))
            .1
            .push((at, score));
    }
    Ok(points
        .into_iter()
        .map(|(official, (unit, mut scores))| {
            scores.sort_by_key(|(at, _)| *at);
            (
                official,
                (unit, scores.into_iter().map(|(_, s)| s).collect()),
            )
        })
        .collect())
}

/// Each unit's mean score in `cycles` (given oldest first), in that order.
pub async fn unit_scores(
    db: &impl ConnectionTrait,
    cycles: &[i64],
) -> Result<HashMap<i64, Vec<f64>>, AppError> {
    let order: HashMap<i64, usize> = cycles.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let rows: Vec<(i64, i64, Option<f64>)> = unit_cycle_rollup::Entity::find()
        .select_only()
        .column(unit_cycle_rollup::Column::UnitId)
        .column(unit_cycle_rollup::Column::CycleId)
        .column(unit_cycle_rollup::Column::AvgScore)
        .filter(unit_cycle_rollup::Column::CycleId.is_in(cycles.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut points: HashMap<i64, Vec<(usize, f64)>> = HashMap::new();
    for (unit, cycle, score) in rows {
        if let Some(score) = score {
            let at = order.get(&cycle).copied().unwrap_or(0);
            points.entry(unit).or_default().push((at, score));
        }
    }
    Ok(points
        .into_iter()
        .map(|(unit, mut scores)| {
            scores.sort_by_key(|(at, _)| *at);
            (unit, scores.into_iter().map(|(_, s)| s).collect())
        })
        .collect())
}

/// A finding to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWarning {
    pub rule: &'static str,
    /// What it is about, unique within the rule (`kr:12`, `assessment:40`, `unit:3:on_time`).
    pub subject: String,
    pub unit_id: i64,
    pub official_id: Option<i64>,
    pub reviewer_id: Option<i64>,
    pub key_result_id: Option<i64>,
    pub assessment_id: Option<i64>,
    pub urgency: i32,
    /// JSON of the evidence.
    pub evidence: String,
}

/// What acknowledging takes off the top of the list.
pub const ACKNOWLEDGED_DROP: i32 = 1_000;

/// Takes the list for this transaction: writers of the list (the whole list worked out, one
/// key result's or assessment's items after a change, on any replica) then wait their turn
/// instead of meeting on its unique index. SQLite's writers already take turns.
async fn lock_list(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT pg_advisory_xact_lock({LIST_LOCK})"),
        ))
        .await?;
    }
    Ok(())
}

/// The advisory lock key of the warning list (PostgreSQL).
const LIST_LOCK: i64 = 0x7468_7563_6f64_6f01;

/// Replaces the items about `subjects` (all of them when `None`) by `found`: an acknowledged
/// item that is found again keeps its acknowledgement (with its evidence brought up to date);
/// the rest are written anew. Returns how many items were found.
pub async fn replace(
    db: &impl ConnectionTrait,
    subjects: Option<&[String]>,
    found: Vec<NewWarning>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    lock_list(db).await?;
    let about = |mut c: Condition| {
        if let Some(subjects) = subjects {
            c = c.add(warning::Column::Subject.is_in(subjects.iter().cloned()));
        }
        c
    };
    let acknowledged: Vec<(i64, String, String)> = warning::Entity::find()
        .select_only()
        .columns([
            warning::Column::Id,
            warning::Column::Rule,
            warning::Column::Subject,
        ])
        .filter(about(
            Condition::all().add(warning::Column::AcknowledgedAt.is_not_null()),
        ))
        .into_tuple()
        .all(db)
        .await?;
    let kept: HashMap<(String, String), i64> = acknowledged
        .into_iter()
        .map(|(id, rule, subject)| ((rule, subject), id))
        .collect();
    warning::Entity::delete_many()
        .filter(about(
            Condition::all().add(warning::Column::AcknowledgedAt.is_null()),
        ))
        .exec(db)
        .await?;
    let total = found.len();
    let mut still: BTreeSet<i64> = BTreeSet::new();
    let mut rows = Vec::with_capacity(found.len());
    for w in found {
        if let Some(id) = kept.get(&(w.rule.to_owned(), w.subject.clone())) {
            still.insert(*id);
            warning::Entity::update_many()
                .col_expr(warning::Column::Urgency, Expr::value(w.urgency))
                .col_expr(
                    warning::Column::Rank,
                    Expr::value(w.urgency - ACKNOWLEDGED_DROP),
                )
                .col_expr(warning::Column::Evidence, Expr::value(w.evidence))
                .col_expr(warning::Column::UnitId, Expr::value(w.unit_id))
                .col_expr(warning::Column::ReviewerId, Expr::value(w.reviewer_id))
                .filter(warning::Column::Id.eq(*id))
                .exec(db)
                .await?;
            continue;
        }
        rows.push(warning::ActiveModel {
            rule: Set(w.rule.to_owned()),
            subject: Set(w.subject),
            unit_id: Set(w.unit_id),
            official_id: Set(w.official_id),
            reviewer_id: Set(w.reviewer_id),
            key_result_id: Set(w.key_result_id),
            assessment_id: Set(w.assessment_id),
            urgency: Set(w.urgency),
            rank: Set(w.urgency),
            evidence: Set(w.evidence),
            detected_at: Set(now),
            ..Default::default()
        });
    }
    let gone: Vec<i64> = kept
        .values()
        .filter(|id| !still.contains(id))
        .copied()
        .collect();
    for chunk in gone.chunks(500) {
        warning::Entity::delete_many()
            .filter(warning::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    super::bulk::insert_all(db, rows).await?;
    Ok(total)
}

/// Keeps an official's warnings with their record after it changed between two workings-out:
/// their unit (`unit_id`) and, when given, their reviewer — so that the scope of the list,
/// which reads these columns, follows a transfer or a new reviewer at once.
pub async fn follow_official(
    db: &impl ConnectionTrait,
    official_id: i64,
    unit_id: Option<i64>,
    reviewer_id: Option<Option<i64>>,
) -> Result<(), AppError> {
    let mut update =
        warning::Entity::update_many().filter(warning::Column::OfficialId.eq(official_id));
    if let Some(unit_id) = unit_id {
        update = update.col_expr(warning::Column::UnitId, Expr::value(unit_id));
    }
    if let Some(reviewer_id) = reviewer_id {
        update = update.col_expr(warning::Column::ReviewerId, Expr::value(reviewer_id));
    }
    if unit_id.is_some() || reviewer_id.is_some() {
        update.exec(db).await?;
    }
    Ok(())
}

/// The warnings a scope reaches, on the warning's own columns (an official's warning carries
/// the official's unit and reviewer): those of the units in the scope's subtrees, of the
/// officials the person reviews in theirs, and their own in theirs.
fn in_scope(scope: &Scope) -> Condition {
    let w = warning::Entity;
    let unit_in =
        |roots: &[i64]| Expr::col((w, warning::Column::UnitId)).in_subquery(units_under(roots));
    let mut any = Condition::any();
    if !scope.subtrees.is_empty() {
        any = any.add(unit_in(&scope.subtrees));
    }
    if let Some(me) = scope.me {
        if !scope.reviewed_in.is_empty() {
            any = any.add(
                Condition::all()
                    .add(Expr::col((w, warning::Column::ReviewerId)).eq(me))
                    .add(unit_in(&scope.reviewed_in)),
            );
        }
        if !scope.own_in.is_empty() {
            any = any.add(
                Condition::all()
                    .add(Expr::col((w, warning::Column::OfficialId)).eq(me))
                    .add(unit_in(&scope.own_in)),
            );
        }
    }
    let mut all = Condition::all().add(any);
    if let (true, Some(me)) = (scope.exclude_me, scope.me) {
        all = all.add(
            Condition::any()
                .add(Expr::col((w, warning::Column::OfficialId)).is_null())
                .add(Expr::col((w, warning::Column::OfficialId)).ne(me)),
        );
    }
    all
}

/// A warning as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: i64,
    pub rule: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The official's id, name and personnel code.
    pub official: Option<(i64, String, String)>,
    pub key_result_id: Option<i64>,
    /// The key result's title, for a key result's warning.
    pub key_result: Option<String>,
    pub assessment_id: Option<i64>,
    pub urgency: i32,
    pub evidence: String,
    pub detected_at: DateTime<Utc>,
    /// Who acknowledged it, when, with what note.
    pub acknowledged: Option<(String, DateTime<Utc>, String)>,
}

/// One page of the warnings in `scope` (of `rule` only, when given), the most urgent first and
/// acknowledged ones after the rest; with `id`, that one warning if in scope.
pub async fn page(
    db: &impl ConnectionTrait,
    scope: &Scope,
    rule: Option<&str>,
    id: Option<i64>,
    (offset, limit): (u64, u64),
) -> Result<Vec<Listed>, AppError> {
    let (w, p, u) = (warning::Entity, official::Entity, org_unit::Entity);
    let mut q = Query::select();
    q.columns([
        (w, warning::Column::Id),
        (w, warning::Column::Rule),
        (w, warning::Column::UnitId),
    ])
    .column((u, org_unit::Column::Name))
    .columns([
        (w, warning::Column::OfficialId),
        (w, warning::Column::KeyResultId),
        (w, warning::Column::AssessmentId),
        (w, warning::Column::Urgency),
        (w, warning::Column::Evidence),
        (w, warning::Column::DetectedAt),
        (w, warning::Column::AcknowledgedBy),
        (w, warning::Column::AcknowledgedAt),
        (w, warning::Column::AcknowledgedNote),
    ])
    .columns([
        (p, official::Column::FullName),
        (p, official::Column::PersonnelCode),
    ])
    .column((key_result::Entity, key_result::Column::Title))
    .from(w)
    .inner_join(
        u,
        Expr::col((u, org_unit::Column::Id)).equals((w, warning::Column::UnitId)),
    )
    .join(
        JoinType::LeftJoin,
        p,
        Expr::col((p, official::Column::Id)).equals((w, warning::Column::OfficialId)),
    )
    .join(
        JoinType::LeftJoin,
        key_result::Entity,
        Expr::col((key_result::Entity, key_result::Column::Id))
            .equals((w, warning::Column::KeyResultId)),
    )
    .cond_where(in_scope(scope))
    .order_by((w, warning::Column::Rank), Order::Desc)
    .order_by((w, warning::Column::Id), Order::Desc)
    .offset(offset)
    .limit(limit);
    if let Some(rule) = rule {
        q.and_where(Expr::col((w, warning::Column::Rule)).eq(rule));
    }
    if let Some(id) = id {
        q.and_where(Expr::col((w, warning::Column::Id)).eq(id));
    }
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let official: Option<i64> = row.try_get_by_index(4)?;
            let name: Option<String> = row.try_get_by_index(13)?;
            let code: Option<String> = row.try_get_by_index(14)?;
            let by: Option<String> = row.try_get_by_index(10)?;
            let at: Option<DateTime<Utc>> = row.try_get_by_index(11)?;
            let note: Option<String> = row.try_get_by_index(12)?;
            Ok(Listed {
                id: row.try_get_by_index(0)?,
                rule: row.try_get_by_index(1)?,
                unit_id: row.try_get_by_index(2)?,
                unit_name: row.try_get_by_index(3)?,
                official: official
                    .map(|id| (id, name.unwrap_or_default(), code.unwrap_or_default())),
                key_result_id: row.try_get_by_index(5)?,
                key_result: row.try_get_by_index(15)?,
                assessment_id: row.try_get_by_index(6)?,
                urgency: row.try_get_by_index(7)?,
                evidence: row.try_get_by_index(8)?,
                detected_at: row.try_get_by_index(9)?,
                acknowledged: by
                    .zip(at)
                    .map(|(by, at)| (by, at, note.unwrap_or_default())),
            })
        })
        .collect()
}

/// How many warnings of each rule `scope` reaches, and how many of them are acknowledged.
pub async fn counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<(String, u64, u64)>, AppError> {
    let w = warning::Entity;
    let q = Query::select()
        .column((w, warning::Column::Rule))
        .expr(Expr::col(Asterisk).count())
        .expr(Expr::col((w, warning::Column::AcknowledgedAt)).count())
        .from(w)
        .cond_where(in_scope(scope))
        .group_by_col((w, warning::Column::Rule))
        .to_owned();
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            let all: i64 = row.try_get_by_index(1)?;
            let acknowledged: i64 = row.try_get_by_index(2)?;
            Ok((
                row.try_get_by_index(0)?,
                u64::try_from(all).unwrap_or(0),
                u64::try_from(acknowledged).unwrap_or(0),
            ))
        })
        .collect()
}

/// When the list was last worked out (the newest detection), if ever.
pub async fn detected_at(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, AppError> {
    let newest: Option<Option<DateTime<Utc>>> = warning::Entity::find()
        .select_only()
        .column_as(warning::Column::DetectedAt.max(), "newest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.flatten())
}

/// Records who acknowledged warning `id`, when and why, and moves it down the list.
pub async fn acknowledge(
    db: &impl ConnectionTrait,
    id: i64,
    by: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    warning::Entity::update_many()
        .col_expr(warning::Column::AcknowledgedBy, Expr::value(by))
        .col_expr(warning::Column::AcknowledgedAt, Expr::value(now))
        .col_expr(warning::Column::AcknowledgedNote, Expr::value(note))
        .col_expr(
            warning::Column::Rank,
            Expr::col(warning::Column::Urgency).sub(ACKNOWLEDGED_DROP),
        )
        .filter(warning::Column::Id.eq(id))
        .filter(warning::Column::AcknowledgedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
