//! The assessment sheet: what an official and the people who judge them see and enter on one
//! assessment — the scheme's general criteria with the official's own points and the
//! reviewer's side by side, the products with their counts and waivers, and which forms the
//! reader may use now (each only when their grant and the assessment's state allow it).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize};
use crate::domain::access::{Action, Target, decide};
use crate::domain::builtin_scheme;
use crate::domain::lifecycle::{AssessmentMove, AssessmentState, CycleState, entry_move};
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::assessments::{self, Given, Stored};
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::{people, products};

/// One scored criterion of the scheme (a group without sub-criteria is one) and the points
/// given on it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionLine {
    /// The criterion id (the input key of its points).
    pub id: String,
    /// The group it belongs to (its own id for a group without sub-criteria).
    pub group: String,
    pub max_points: f64,
    pub given: Given,
}

/// Which forms of the sheet the reader may use now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rights {
    /// Enter their own points and counts, and submit the self-assessment (the official).
    pub self_assess: bool,
    /// Enter the reviewer's points and counts, and propose a level.
    pub score: bool,
    pub approve: bool,
    /// Send it back for revision.
    pub give_back: bool,
}

/// One assessment as its sheet shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub assessment: Stored,
    pub cycle: Cycle,
    pub official: people::Listed,
    pub criteria: Vec<CriterionLine>,
    pub products: Vec<products::Listed>,
    pub may: Rights,
}

/// The sheet of assessment `id`, if the actor may read the official's records.
pub async fn sheet(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Sheet, AppError> {
    let assessment = assessments::find(db, id).await?;
    let target = official_target(db, assessment.official_id).await?;
    authorize(db, actor, &[Action::Read], &target, ("assessment", id), now).await?;
    let cycle = cycles::find(db, assessment.cycle_id).await?;
    let scheme = builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)?;
    let key = (assessment.official_id, assessment.cycle_id);
    let mut given: HashMap<String, Given> = assessments::points_given(db, key)
        .await?
        .into_iter()
        .map(|g| (g.criterion.clone(), g))
        .collect();
    let criteria = scheme
        .general
        .iter()
        .flat_map(|g| g.scored_criteria().into_iter().map(|c| (g.id.clone(), c)))
        .map(|(group, c)| CriterionLine {
            given: given.remove(&c.id).unwrap_or_else(|| Given {
                criterion: c.id.clone(),
                ..Given::default()
            }),
            id: c.id,
            group,
            max_points: c.max_points,
        })
        .collect();
    let may = rights(actor, &target, &assessment, cycle.lifecycle()?);
    Ok(Sheet {
        official: people::official_row(db, assessment.official_id).await?,
        products: products::of_official_in(db, key).await?,
        criteria,
        cycle,
        assessment,
        may,
    })
}

/// What the actor may do on the assessment now: their grant on the official (which never lets
/// anyone judge themselves) and the move its state allows.
fn rights(actor: &Actor, target: &Target, a: &Stored, cycle: CycleState) -> Rights {
    let Some(principal) = &actor.principal else {
        return Rights::default();
    };
    let allowed = |m: AssessmentMove, state: AssessmentState| m.apply(cycle, state).is_ok();
    let granted = |m: AssessmentMove| {
        m.actions()
            .iter()
            .any(|action| decide(principal, *action, target).is_some())
    };
    let may = |m: AssessmentMove| granted(m) && allowed(m, a.state);
    let owner = principal.official_id == Some(a.official_id);
    Rights {
        self_assess: owner && may(entry_move(true)),
        score: !owner && may(entry_move(false)),
        approve: may(AssessmentMove::Approve),
        give_back: may(AssessmentMove::Return),
    }
}
