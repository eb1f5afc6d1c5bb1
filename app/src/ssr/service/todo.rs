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
use crate::domain::deadline::{Deadlines, Due, Turn, local_date, tally};
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
        let step = Deadlines::legal(&cycle.period_kind, cycle.ends_on)
            .and_then(|d| d.next_step(state, today));
        if let Some(step) = step.filter(|s| s.turn == Turn::Official) {
            items.push(ToDo::OwnAssessment {
                cycle: cycle.code,
                returned: state == AssessmentState::Returned,
                due: step.due,
                nearness: step.nearness,
            });
        }
    }
    for (action, turn) in [
        (Action::Score, Turn::Reviewer),
        (Action::Approve, Turn::Approver),
    ] {
        let counted = queue::counts(db, &scope(principal, action)).await?;
        let sum = tally(groups(counted), turn, today);
        if let Some(nearest) = sum.nearest {
            items.push(ToDo::Waiting {
                turn,
                count: sum.count,
                overdue: sum.overdue,
                nearest,
            });
        }
    }
    let counted = queue::counts(db, &super::lists::reviewing(principal)).await?;
    let late = tally(groups(counted), Turn::Official, today).overdue;
    if late > 0 {
        items.push(ToDo::NotSubmitted { count: late });
    }
    Ok(items)
}

/// The counted groups with their cycles' deadlines.
fn groups(
    counted: Vec<(CycleHead, AssessmentState, u64)>,
) -> impl Iterator<Item = (Option<Deadlines>, AssessmentState, u64)> {
    counted.into_iter().map(|(cycle, state, n)| {
        (
            Deadlines::legal(&cycle.period_kind, cycle.ends_on),
            state,
            n,
        )
    })
}
