//! Assigning work at scale: one product to every active official of a unit and of the units
//! under it (of one job position when given — every one-stop officer of every ward, say), in
//! a cycle not yet closed, by an administrator of that unit; audited once with the count.
//! Officials who already have a product with that code keep theirs. Each one assigned gets
//! their sheet for the period (a draft assessment, if none yet) and is rescored, in one
//! transaction. A dry run counts without writing.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::inputs::refused;
use super::{Actor, authorize, bounded_text, invalid};
use crate::domain::access::Action;
use crate::domain::task_results::{Product, check_product};
use crate::error::AppError;
use crate::ssr::auth::guard::unit_target;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::products::{self, ProductFields};
use crate::ssr::repo::{assessments, cycles, org_units, people};

/// The longest product code and title, in characters.
pub const CODE_MAX_CHARS: usize = 32;
pub const TITLE_MAX_CHARS: usize = 255;

/// A product to assign, and to whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub cycle_id: i64,
    /// The unit whose officials (and its sub-units') receive it.
    pub unit_code: String,
    /// Only officials of this job position (exactly as recorded); empty: all.
    pub job_position: String,
    pub code: String,
    pub title: String,
    pub assigned: i32,
    pub weight: f64,
    /// `YYYY-MM-DD`, or empty for none.
    pub due_on: String,
    /// Count only.
    pub dry_run: bool,
}

/// What an assignment came to: the officials it reaches, and how many got the product (the
/// others had one with that code already).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assigned {
    pub matched: u64,
    pub created: u64,
}

/// Assigns the product (see the module); refused, changing nothing, for a field the rules
/// refuse (`Invalid` naming it), an unknown unit (`unit`), a closed cycle (`cycle`), or
/// someone who does not administer the unit (`Forbidden`, audited).
pub async fn assign(
    db: &DatabaseConnection,
    actor: &Actor,
    input: Assignment,
    now: DateTime<Utc>,
) -> Result<Assigned, AppError> {
    let required = |field: &str, text: &str, max: usize| {
        let text = bounded_text(field, text, max)?;
        if text.is_empty() {
            return Err(invalid(field, "required_value"));
        }
        Ok(text)
    };
    let code = required("code", &input.code, CODE_MAX_CHARS)?;
    let title = required("title", &input.title, TITLE_MAX_CHARS)?;
    let position = bounded_text("job_position", &input.job_position, TITLE_MAX_CHARS)?;
    // A new product obeys the rules of any product (a positive weight, something assigned).
    let product = Product {
        id: code.clone(),
        weight: input.weight,
        assigned: i64::from(input.assigned),
        completed: 0,
        completed_on_quality: None,
        completed_on_time: None,
        quality_failures: 0,
        delays: 0,
        waivers: Vec::new(),
    };
    check_product(&product, "product").map_err(|e| refused(&e))?;
    let due_on = match input.due_on.trim() {
        "" => None,
        text => Some(
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| invalid("due_on", "not_a_date"))?,
        ),
    };
    let unit_id = org_units::id_by_code(db, input.unit_code.trim())
        .await?
        .ok_or_else(|| invalid("unit", "unknown_unit"))?;
    let target = unit_target(db, unit_id).await?;
    authorize(
        db,
        actor,
        &[Action::Admin],
        &target,
        ("org_unit", unit_id),
        now,
    )
    .await?;
    let txn = crate::ssr::db::write(db).await?;
    cycles::find(&txn, input.cycle_id)
        .await?
        .lifecycle()?
        .accepts_inputs()
        .map_err(|r| invalid("cycle", r.key))?;
    let position = (!position.is_empty()).then_some(position.as_str());
    let reached = people::active_under(&txn, unit_id, position).await?;
    let holders = products::holders_of(&txn, input.cycle_id, &code, &reached).await?;
    let receiving: Vec<i64> = reached
        .iter()
        .copied()
        .filter(|id| !holders.contains(id))
        .collect();
    let assigned = Assigned {
        matched: reached.len() as u64,
        created: receiving.len() as u64,
    };
    if input.dry_run || receiving.is_empty() {
        return Ok(assigned);
    }
    let rows = receiving
        .iter()
        .map(|official_id| ProductFields {
            cycle_id: input.cycle_id,
            official_id: *official_id,
            code: code.clone(),
            title: title.clone(),
            conversion_weight: input.weight,
            assigned: input.assigned,
            completed: 0,
            completed_on_quality: 0,
            completed_on_time: 0,
            quality_failures: 0,
            delays: 0,
            waiver_ref: None,
            due_on,
        })
        .collect();
    products::insert_many(&txn, rows).await?;
    assessments::open_drafts(&txn, input.cycle_id, &receiving, now).await?;
    super::assessments::recompute(&txn, input.cycle_id, Some(&receiving), now).await?;
    let change = Change {
        action: "product_assign".into(),
        entity: "org_unit".into(),
        entity_id: Some(unit_id.to_string()),
        before: None,
        after: Some(serde_json::json!({
            "cycle_id": input.cycle_id,
            "code": code,
            "title": title,
            "assigned": input.assigned,
            "weight": input.weight,
            "job_position": position,
            "officials": assigned.created,
        })),
        unit_id: Some(unit_id),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(assigned)
}
