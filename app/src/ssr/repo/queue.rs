//! The review queue: assessments of open cycles in a scope, filtered by state, cycle and text,
//! sorted, counted and paged in SQL, with each official's self-assessed points summed in SQL
//! (for every matching row when they sort the queue, else for the page's rows only).

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement, SimpleExpr};

use crate::domain::Level;
use crate::domain::access::Scope;
use crate::domain::lifecycle::{AssessmentState, CycleState};
use crate::error::AppError;
use crate::ssr::entity::{assessment, cycle, general_score, official, org_unit};

use super::scope;

/// How the queue is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueueSort {
    /// The cycle's end first (the deadlines follow it), then the name.
    Deadline,
    /// The official's name.
    Name,
    /// The engine's score, highest first (unscored last).
    Score,
    /// The self-assessed points, highest first.
    SelfScore,
}

/// What the queue shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueueFilter {
    /// Only assessments in this state (`None`: every state).
    pub state: Option<AssessmentState>,
    /// Only this cycle (`None`: every cycle that is not closed).
    pub cycle_id: Option<i64>,
    /// A folded `LIKE` pattern over name, personnel code and unit.
    pub pattern: Option<String>,
    pub sort: QueueSort,
    pub offset: u64,
    pub limit: u64,
}

/// One assessment waiting in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub assessment_id: i64,
    pub official_id: i64,
    pub full_name: String,
    pub personnel_code: String,
    pub unit_name: String,
    pub cycle_code: String,
    pub period_kind: String,
    pub ends_on: chrono::NaiveDate,
    pub state: AssessmentState,
    /// The sum of the general criteria the official scored themselves (`None`: none yet).
    pub self_points: Option<f64>,
    pub score: Option<f64>,
    pub engine_level: Option<Level>,
}

/// The assessments of `scope` matching `filter`: one page, and how many match in all.
pub async fn page(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &QueueFilter,
) -> Result<(Vec<Waiting>, u64), AppError> {
    if scope.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let backend = db.get_database_backend();
    let mut count = matching(scope, filter);
    count.expr(Func::count(Expr::col((
        assessment::Entity,
        assessment::Column::Id,
    ))));
    let total: i64 = match db.query_one_raw(backend.build(&count)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    let own = own_points();
    let mut q = matching(scope, filter);
    q.columns([
        (assessment::Entity, assessment::Column::Id),
        (assessment::Entity, assessment::Column::OfficialId),
    ])
    .columns([
        (official::Entity, official::Column::FullName),
        (official::Entity, official::Column::PersonnelCode),
    ])
    .column((org_unit::Entity, org_unit::Column::Name))
    .columns([
        (cycle::Entity, cycle::Column::Code),
        (cycle::Entity, cycle::Column::PeriodKind),
        (cycle::Entity, cycle::Column::EndsOn),
    ])
    .columns([
        (assessment::Entity, assessment::Column::State),
        (assessment::Entity, assessment::Column::ComputedScore),
        (assessment::Entity, assessment::Column::ComputedLevel),
    ]);
    // The own points sort the rows only when asked to: then they are summed for every
    // matching row; otherwise only for the page's rows, once it is chosen.
    let sorted_by_own = filter.sort == QueueSort::SelfScore;
    if sorted_by_own {
        q.expr_as(own.clone(), Alias::new("own_points"));
    }
    let name = Expr::col((official::Entity, official::Column::FullName));
    match filter.sort {
        QueueSort::Deadline => q
            .order_by((cycle::Entity, cycle::Column::EndsOn), Order::Asc)
            .order_by_expr(name, Order::Asc),
        QueueSort::Name => q.order_by_expr(name, Order::Asc),
        QueueSort::Score => q
            .order_by_expr(
                nulls_last(Expr::col((
                    assessment::Entity,
                    assessment::Column::ComputedScore,
                ))),
                Order::Asc,
            )
            .order_by(
                (assessment::Entity, assessment::Column::ComputedScore),
                Order::Desc,
            ),
        QueueSort::SelfScore => q
            .order_by_expr(nulls_last(own.clone()), Order::Asc)
            .order_by_expr(own, Order::Desc),
    };
    q.order_by((assessment::Entity, assessment::Column::Id), Order::Asc)
        .limit(filter.limit)
        .offset(filter.offset);
    let rows = db.query_all_raw(backend.build(&q)).await?;
    let mut page = Vec::with_capacity(rows.len());
    for row in rows {
        let state = state_of(row.try_get_by_index(8)?)?;
        let level: Option<String> = row.try_get_by_index(10)?;
        page.push(Waiting {
            assessment_id: row.try_get_by_index(0)?,
            official_id: row.try_get_by_index(1)?,
            full_name: row.try_get_by_index(2)?,
            personnel_code: row.try_get_by_index(3)?,
            unit_name: row.try_get_by_index(4)?,
            cycle_code: row.try_get_by_index(5)?,
            period_kind: row.try_get_by_index(6)?,
            ends_on: row.try_get_by_index(7)?,
            state,
            score: row.try_get_by_index(9)?,
            engine_level: level.as_deref().and_then(Level::from_code),
            self_points: if sorted_by_own {
                row.try_get_by_index(11)?
            } else {
                None
            },
        });
    }
    if !sorted_by_own {
        let sums = own_points_of(db, &page).await?;
        for w in &mut page {
            w.self_points = sums.get(&w.assessment_id).copied();
        }
    }
    Ok((page, u64::try_from(total).unwrap_or_default()))
}

/// The own points of each assessment of a page, by assessment id (none for those without).
async fn own_points_of(
    db: &impl ConnectionTrait,
    page: &[Waiting],
) -> Result<std::collections::HashMap<i64, f64>, AppError> {
    if page.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let (a, g) = (assessment::Entity, general_score::Entity);
    let q = Query::select()
        .column((a, assessment::Column::Id))
        .expr(Func::sum(Expr::col((g, general_score::Column::SelfPoints))))
        .from(a)
        .inner_join(
            g,
            Expr::col((g, general_score::Column::OfficialId))
                .equals((a, assessment::Column::OfficialId))
                .and(
                    Expr::col((g, general_score::Column::CycleId))
                        .equals((a, assessment::Column::CycleId)),
                ),
        )
        .and_where(
            Expr::col((a, assessment::Column::Id)).is_in(page.iter().map(|w| w.assessment_id)),
        )
        .group_by_col((a, assessment::Column::Id))
        .to_owned();
    let backend = db.get_database_backend();
    let mut sums = std::collections::HashMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let sum: Option<f64> = row.try_get_by_index(1)?;
        if let Some(sum) = sum {
            sums.insert(row.try_get_by_index(0)?, sum);
        }
    }
    Ok(sums)
}

/// A stored state, or an internal error for an unknown one.
fn state_of(code: String) -> Result<AssessmentState, AppError> {
    AssessmentState::from_code(&code)
        .ok_or_else(|| AppError::internal(format!("unknown assessment state {code:?}")))
}

/// The rows the filter selects, without columns: assessment ⋈ official ⋈ unit ⋈ cycle.
fn matching(scope: &Scope, filter: &QueueFilter) -> SelectStatement {
    let (a, o, u, c) = (
        assessment::Entity,
        official::Entity,
        org_unit::Entity,
        cycle::Entity,
    );
    let mut q = Query::select();
    q.from(a)
        .inner_join(
            o,
            Expr::col((o, official::Column::Id)).equals((a, assessment::Column::OfficialId)),
        )
        .inner_join(
            u,
            Expr::col((u, org_unit::Column::Id)).equals((o, official::Column::UnitId)),
        )
        .inner_join(
            c,
            Expr::col((c, cycle::Column::Id)).equals((a, assessment::Column::CycleId)),
        )
        .cond_where(scope::officials_in(scope))
        .and_where(Expr::col((c, cycle::Column::State)).ne(CycleState::Closed.code()))
        // The year's levels are decided on the calibration board, not one by one.
        .and_where(Expr::col((c, cycle::Column::PeriodKind)).ne("year"));
    if let Some(state) = filter.state {
        q.and_where(Expr::col((a, assessment::Column::State)).eq(state.code()));
    }
    if let Some(cycle_id) = filter.cycle_id {
        q.and_where(Expr::col((a, assessment::Column::CycleId)).eq(cycle_id));
    }
    if let Some(pattern) = &filter.pattern {
        q.cond_where(scope::officials_matching(pattern));
    }
    q
}

/// The official's own points on the general criteria of the assessment's cycle.
fn own_points() -> SimpleExpr {
    let g = general_score::Entity;
    let sum = Query::select()
        .expr(Func::sum(Expr::col((g, general_score::Column::SelfPoints))))
        .from(g)
        .and_where(
            Expr::col((g, general_score::Column::OfficialId))
                .equals((assessment::Entity, assessment::Column::OfficialId)),
        )
        .and_where(
            Expr::col((g, general_score::Column::CycleId))
                .equals((assessment::Entity, assessment::Column::CycleId)),
        )
        .to_owned();
    SimpleExpr::SubQuery(None, Box::new(sum.into()))
}

/// 1 for a missing value, 0 otherwise: sorted ascending first, it puts missing values last on
/// both databases (which otherwise disagree on where NULL sorts).
fn nulls_last(value: impl Into<SimpleExpr>) -> SimpleExpr {
    Expr::case(value.into().is_null(), 1).finally(0).into()
}

/// A cycle as the to-do list needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleHead {
    pub id: i64,
    pub code: String,
    pub period_kind: String,
    pub ends_on: chrono::NaiveDate,
}

/// The assessments of one cycle in one state, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub cycle: CycleHead,
    pub state: AssessmentState,
    pub count: u64,
    /// The lowest assessment id of the group (the one, for a person's own).
    pub first: i64,
}

/// How many assessments of `scope` in open cycles are in each state, by cycle — counted in
/// SQL, for the to-do list.
pub async fn counts(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Group>, AppError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let everything = QueueFilter {
        state: None,
        cycle_id: None,
        pattern: None,
        sort: QueueSort::Deadline,
        offset: 0,
        limit: 0,
    };
    let (a, c) = (assessment::Entity, cycle::Entity);
    let mut q = matching(scope, &everything);
    q.columns([
        (c, cycle::Column::Id),
        (c, cycle::Column::Code),
        (c, cycle::Column::PeriodKind),
        (c, cycle::Column::EndsOn),
    ])
    .column((a, assessment::Column::State))
    .expr(Func::count(Expr::col((a, assessment::Column::Id))))
    .expr(Func::min(Expr::col((a, assessment::Column::Id))))
    .group_by_columns([
        (c, cycle::Column::Id),
        (c, cycle::Column::Code),
        (c, cycle::Column::PeriodKind),
        (c, cycle::Column::EndsOn),
    ])
    .group_by_col((a, assessment::Column::State))
    .order_by((c, cycle::Column::EndsOn), Order::Asc)
    .order_by((c, cycle::Column::Id), Order::Asc);
    let backend = db.get_database_backend();
    let mut counted = Vec::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let state = state_of(row.try_get_by_index(4)?)?;
        let count: i64 = row.try_get_by_index(5)?;
        counted.push(Group {
            cycle: CycleHead {
                id: row.try_get_by_index(0)?,
                code: row.try_get_by_index(1)?,
                period_kind: row.try_get_by_index(2)?,
                ends_on: row.try_get_by_index(3)?,
            },
            state,
            count: u64::try_from(count).unwrap_or_default(),
            first: row.try_get_by_index(6)?,
        });
    }
    Ok(counted)
}
