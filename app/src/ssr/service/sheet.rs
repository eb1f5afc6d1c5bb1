//! The assessment sheet: what an official and the people who judge them see and enter on one
//! assessment — the scheme's general criteria with the official's own points and the
//! reviewer's side by side, the products with their counts and waivers, and which forms the
//! reader may use now (each only when their grant and the assessment's state allow it).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize};
use crate::domain::access::Action;
use crate::domain::builtin_scheme;
use crate::domain::lifecycle::{SheetRights, sheet_rights};
use crate::error::AppError;
use crate::ssr::auth::guard::official_target;
use crate::ssr::repo::assessments::{self, Given, Stored};
use crate::ssr::repo::cycles::Cycle;
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

/// One assessment as its sheet shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub assessment: Stored,
    pub cycle: Cycle,
    pub official: people::Listed,
    pub criteria: Vec<CriterionLine>,
    pub products: Vec<products::Listed>,
    /// The official's objectives and key results in the period, with their check-ins.
    pub plan: super::plan::Plan,
    pub may: SheetRights,
}

/// The sheet of assessment `id`, if the actor may read the official's records.
pub async fn sheet(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Sheet, AppError> {
    let (assessment, cycle) = assessments::find_with_cycle(db, id).await?;
    let target = official_target(db, assessment.official_id).await?;
    authorize(db, actor, &[Action::Read], &target, ("assessment", id), now).await?;
    let scheme = builtin_scheme(&cycle.scheme_id).map_err(AppError::internal)?;
    let key = (assessment.official_id, assessment.cycle_id);
    let mut given: HashMap<String, Given> = assessments::points_given(db, key)
        .await?
        .into_iter()
        .map(|g| (g.criterion.clone(), g))
        .collect();
    let criteria = scheme
        .scored_criteria()
        .into_iter()
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
    // The reader's rights; none for the command line, which has no sheet to fill.
    let may = match &actor.principal {
        Some(p) => sheet_rights(p, &target, cycle.lifecycle()?, assessment.state),
        None => SheetRights::default(),
    };
    Ok(Sheet {
        official: people::official_row(db, assessment.official_id).await?,
        products: products::of_official_in(db, key).await?,
        plan: super::plan::of_official(db, key).await?,
        criteria,
        cycle,
        assessment,
        may,
    })
}
