//! Saved templates of work: a product or a key result an administrator assigned from the
//! cycles page with "save as a template" (`assign`), listed for the administrators of its unit,
//! used again in any cycle not yet closed — assigned exactly as the forms assign it, to the
//! unit's officials of its job position, a product due on the cycle's last day — and deleted
//! when no longer wanted (audited).

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::assign::{self, Assigned, Assignment, KeyResultAssignment};
use super::{Actor, administering};
use crate::domain::template::TemplateWork;
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::cycles;
use crate::ssr::repo::templates::{self, StoredTemplate};

/// How many templates the cycles page lists at most.
pub const SHOWN: u64 = 100;

/// The templates of the units the signed-in administrator administers, newest first; refused
/// (audited) for anyone who administers none.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<StoredTemplate>, AppError> {
    let (_, scope) = administering(db, actor, "work_template", now).await?;
    templates::under(db, &scope.subtrees, SHOWN).await
}

/// A template to use, in which cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateUse {
    pub template_id: i64,
    pub cycle_id: i64,
    /// Count only.
    pub dry_run: bool,
}

/// Assigns a template's work in a cycle, as the cycles page's forms do (refused as they are);
/// returns what it came to and whether it was a key result.
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    input: TemplateUse,
    now: DateTime<Utc>,
) -> Result<(Assigned, bool), AppError> {
    let template = templates::find(db, input.template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key_result = template.work.is_key_result();
    let (cycle_id, dry_run) = (input.cycle_id, input.dry_run);
    let (unit_code, job_position) = (template.unit_code, template.job_position);
    let done = match template.work {
        TemplateWork::Product {
            code,
            title,
            assigned,
            weight,
        } => {
            let due_on = cycles::find(db, cycle_id).await?.ends_on.to_string();
            let input = Assignment {
                cycle_id,
                unit_code,
                job_position,
                code,
                title,
                assigned,
                weight,
                due_on,
                dry_run,
                save_template: false,
            };
            assign::assign(db, actor, input, now).await?
        }
        TemplateWork::KeyResult {
            objective,
            key_result,
        } => {
            let input = KeyResultAssignment {
                cycle_id,
                unit_code,
                job_position,
                objective,
                key_result,
                dry_run,
                save_template: false,
            };
            assign::assign_key_result(db, actor, input, now).await?
        }
    };
    Ok((done, key_result))
}

/// Deletes a template read at `version` (else "changed by someone else"), by an administrator
/// of its unit; audited with what it assigned.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    (id, version): (i64, i32),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let template = templates::find(db, id).await?.ok_or(AppError::NotFound)?;
    let unit_id = assign::administered(db, actor, &template.unit_code, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    templates::delete(&txn, id, version).await?;
    let change = Change {
        action: "template_delete".into(),
        entity: "work_template".into(),
        entity_id: Some(id.to_string()),
        before: serde_json::to_value(&template.work).ok(),
        after: None,
        unit_id: Some(unit_id),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}
