//! What is due from the signed-in person, for their home page: their own self-assessments
//! (drafts and returned ones) with the deadline; the assessments waiting for their score or
//! their approval; and, in the units they review or lead, the self-assessments not submitted
//! past their deadline. Counted in SQL by cycle and state; deadlines from
//! [`domain::deadline`](crate::domain::deadline).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::Actor;
use crate::domain::AssessmentState;
use crate::domain::access::{Action, Scope, scope};
use crate::domain::deadline::{Deadlines, Due, Turn, local_date, tally};
use crate::error::AppError;
use crate::ssr::repo::cycles;
use crate::ssr::repo::queue::{self, Group};

/// One thing due.
#[derive(Debug, Clone, PartialEq)]
pub enum ToDo {
    /// The person's own self-assessment of a cycle, due on a date (`returned`: sent back for
    /// revision).
    OwnAssessment {
        assessment_id: i64,
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
    db: &DatabaseConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<ToDo>, AppError> {
    let Some(principal) = &actor.principal else {
        return Ok(Vec::new());
    };
    let read = crate::ssr::db::read_planned_for_values(db).await?;
    let db = &read;
    let today = local_date(now);
    let mut items = Vec::new();
    let own = Scope {
        me: principal.official_id,
        own_in: scope(principal, Action::CheckIn).own_in,
        ..Scope::default()
    };
    let mine = queue::counts(db, &own).await?;
    let due = deadlines(db, &mine).await?;
    for g in mine {
        let step = due
            .get(&g.cycle.id)
            .and_then(|d| d.next_step(g.state, today));
        if let Some(step) = step.filter(|s| s.turn == Turn::Official) {
            items.push(ToDo::OwnAssessment {
                assessment_id: g.first,
                cycle: g.cycle.code,
                returned: g.state == AssessmentState::Returned,
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
        let due = deadlines(db, &counted).await?;
        let sum = tally(groups(counted, &due), turn, today);
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
    let due = deadlines(db, &counted).await?;
    let late = tally(groups(counted, &due), Turn::Official, today).overdue;
    if late > 0 {
        items.push(ToDo::NotSubmitted { count: late });
    }
    read.commit().await?;
    Ok(items)
}

/// The deadlines of the counted groups' cycles, by cycle id.
async fn deadlines(
    db: &impl sea_orm::ConnectionTrait,
    counted: &[Group],
) -> Result<HashMap<i64, Deadlines>, AppError> {
    let mut ids: Vec<i64> = counted.iter().map(|g| g.cycle.id).collect();
    ids.dedup();
    cycles::deadlines_of(db, &ids).await
}

/// The counted groups with their cycles' deadlines.
fn groups(
    counted: Vec<Group>,
    due: &HashMap<i64, Deadlines>,
) -> impl Iterator<Item = (Option<Deadlines>, AssessmentState, u64)> + '_ {
    counted
        .into_iter()
        .map(|g| (due.get(&g.cycle.id).copied(), g.state, g.count))
}
