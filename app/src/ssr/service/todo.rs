//! What is due from the signed-in person, for their home page: their own self-assessments
//! (drafts and returned ones) with the deadline; the assessments waiting for their score or
//! their approval; and, in the units they review or lead, the self-assessments not submitted
//! past their deadline. Counted in SQL by cycle and state; deadlines from
//! [`domain::deadline`](crate::domain::deadline).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use super::Actor;
use crate::domain::AssessmentState;
use crate::domain::access::{Action, Scope, scope};
use crate::domain::deadline::{Deadlines, Due, Turn, local_date};
use crate::error::AppError;
use crate::ssr::repo::queue::{self, CycleHead};

/// One thing due.
#[derive(Debug, Clone, PartialEq)]
pub enum ToDo {
    /// The person's own self-assessment of a cycle, due on a date (`returned`: sent back for
    /// revision).
    OwnAssessment {
        cycle: String,
        returned: bool,
        due: NaiveDate,
        nearness: Due,
    },
    /// Assessments waiting for the person's score (`Turn::Reviewer`) or approval
    /// (`Turn::Approver`): how many, how many past their deadline, the nearest deadline.
    Waiting {
        turn: Turn,
        count: u64,
        overdue: u64,
        nearest: NaiveDate,
    },
    /// Officials of the person's units whose self-assessment is past its deadline.
    NotSubmitted { count: u64 },
}

/// The person's to-do list (empty for the command line), most urgent kinds first.
pub async fn todo(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<ToDo>, AppError> {
    let Some(principal) = &actor.principal else {
        return Ok(Vec::new());
    };
    let today = local_date(now);
    let mut items = Vec::new();
    let own = Scope {
        me: principal.official_id,
        own_in: scope(principal, Action::CheckIn).own_in,
        ..Scope::default()
    };
    for (cycle, state, _) in queue::counts(db, &own).await? {
        if let Some((Turn::Official, due)) = next(&cycle, state) {
            items.push(ToDo::OwnAssessment {
                cycle: cycle.code,
                returned: state == AssessmentState::Returned,
                due,
                nearness: Due::of(due, today),
            });
        }
    }
    for (action, turn) in [
        (Action::Score, Turn::Reviewer),
        (Action::Approve, Turn::Approver),
    ] {
        let counted = queue::counts(db, &scope(principal, action)).await?;
        if let Some(waiting) = waiting(&counted, turn, today) {
            items.push(waiting);
        }
    }
    let mut late = 0;
    for (cycle, state, count) in queue::counts(db, &super::lists::reviewing(principal)).await? {
        if let Some((Turn::Official, due)) = next(&cycle, state)
            && matches!(Due::of(due, today), Due::Overdue(_))
        {
            late += count;
        }
    }
    if late > 0 {
        items.push(ToDo::NotSubmitted { count: late });
    }
    Ok(items)
}

/// Whose turn it is on an assessment of `cycle` in `state`, and by when.
fn next(cycle: &CycleHead, state: AssessmentState) -> Option<(Turn, NaiveDate)> {
    Deadlines::legal(&cycle.period_kind, cycle.ends_on).and_then(|d| d.next(state))
}

/// The assessments whose turn is `turn`, summed over cycles; `None` when there are none.
fn waiting(
    counted: &[(CycleHead, AssessmentState, u64)],
    turn: Turn,
    today: NaiveDate,
) -> Option<ToDo> {
    let (mut count, mut overdue, mut nearest) = (0, 0, None::<NaiveDate>);
    for (cycle, state, n) in counted {
        let Some((whose, due)) = next(cycle, *state) else {
            continue;
        };
        if whose != turn {
            continue;
        }
        count += n;
        if matches!(Due::of(due, today), Due::Overdue(_)) {
            overdue += n;
        }
        nearest = Some(nearest.map_or(due, |d| d.min(due)));
    }
    Some(ToDo::Waiting {
        turn,
        count,
        overdue,
        nearest: nearest?,
    })
}
