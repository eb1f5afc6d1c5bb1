//! Assigning work at scale: one product, or one key result, to every active official of a
//! unit and of the units under it (of one job position when given — every one-stop officer of
//! every ward, say), in a cycle not yet closed, by an administrator of that unit; audited once
//! with the count. Officials who already have a product with that code (a key result of that
//! title under that objective) keep theirs. Each one assigned gets their sheet for the period
//! (a draft assessment, if none yet) and is rescored, in one transaction. A dry run counts
//! without writing. An assignment may be saved, in the same transaction, as a template to use
//! again in later cycles (`service::templates`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::inputs::refused;
use super::plan::{first, key_result_fields};
use super::{Actor, authorize, bounded_text, invalid};
use crate::domain::access::Action;
use crate::domain::plan::{
    KeyResultDraft, ObjectiveDraft, check_key_result, check_objective, next_kr_code,
};
use crate::domain::task_results::{Product, check_product};
use crate::domain::template::TemplateWork;
use crate::error::AppError;
use crate::ssr::auth::guard::unit_target;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::okrs::{self, ObjectiveFields, Owner};
use crate::ssr::repo::products::{self, ProductFields};
use crate::ssr::repo::{assessments, cycles, org_units, people, templates};

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
    /// Also save it as a template (when not a dry run).
    pub save_template: bool,
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
    let unit_id = administered(db, actor, &input.unit_code, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let reached = reached(&txn, input.cycle_id, unit_id, &position).await?;
    let holders = products::holders_of(&txn, input.cycle_id, &code, &reached).await?;
    let (receiving, assigned) = receiving(&reached, |id| holders.contains(id));
    if input.dry_run || (receiving.is_empty() && !input.save_template) {
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
    let work = TemplateWork::Product {
        code: code.clone(),
        title: title.clone(),
        assigned: input.assigned,
        weight: input.weight,
    };
    let template = kept(
        (&txn, actor),
        input.save_template,
        (unit_id, &position),
        &work,
        now,
    )
    .await?;
    let what = serde_json::json!({
        "cycle_id": input.cycle_id,
        "code": code,
        "title": title,
        "assigned": input.assigned,
        "weight": input.weight,
        "job_position": position,
        "officials": assigned.created,
        "template": template,
    });
    settle(
        txn,
        actor,
        (input.cycle_id, unit_id),
        &receiving,
        ("product_assign", what),
        now,
    )
    .await?;
    Ok(assigned)
}

/// Saves an assignment's work as a template of the unit (of the job position) when `save`;
/// its id.
async fn kept(
    (txn, actor): (&impl sea_orm::ConnectionTrait, &Actor),
    save: bool,
    (unit_id, position): (i64, &str),
    work: &TemplateWork,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    if !save {
        return Ok(None);
    }
    let id = templates::insert(txn, unit_id, position, work, now).await?;
    let change = Change {
        action: "template_create".into(),
        entity: "work_template".into(),
        entity_id: Some(id.to_string()),
        before: None,
        after: serde_json::to_value(work).ok(),
        unit_id: Some(unit_id),
    };
    audit::record(txn, &actor.audit, change, now).await?;
    Ok(Some(id))
}

/// The unit with `code`, after checking that the actor administers it (`Invalid` on `unit`
/// for an unknown code; `Forbidden`, audited, for someone who does not administer it).
pub(super) async fn administered(
    db: &DatabaseConnection,
    actor: &Actor,
    code: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let unit_id = org_units::id_by_code(db, code.trim())
        .await?
        .ok_or_else(|| invalid("unit", "unknown_unit"))?;
    let target = unit_target(db, unit_id).await?;
    let what = ("org_unit", unit_id);
    authorize(db, actor, &[Action::Admin], &target, what, now).await?;
    Ok(unit_id)
}

/// In the assignment's transaction: the active officials of the unit and its sub-units (of
/// `position` when not empty), once the cycle is known to accept inputs (else `Invalid` on
/// `cycle`).
async fn reached(
    txn: &impl sea_orm::ConnectionTrait,
    cycle_id: i64,
    unit_id: i64,
    position: &str,
) -> Result<Vec<i64>, AppError> {
    cycles::find(txn, cycle_id)
        .await?
        .lifecycle()?
        .accepts_inputs()
        .map_err(|r| invalid("cycle", r.key))?;
    let position = (!position.is_empty()).then_some(position);
    people::active_under(txn, unit_id, position).await
}

/// Those reached who do not have it yet (`has`), and what the assignment comes to.
fn receiving(reached: &[i64], has: impl Fn(&i64) -> bool) -> (Vec<i64>, Assigned) {
    let receiving: Vec<i64> = reached.iter().copied().filter(|id| !has(id)).collect();
    let assigned = Assigned {
        matched: reached.len() as u64,
        created: receiving.len() as u64,
    };
    (receiving, assigned)
}

/// After the assignment's rows are written: each one receiving it gets their sheet for the
/// period (a draft, if none yet) and is rescored, and the assignment is audited once on the
/// unit (`action`, with `what` was assigned); then it commits.
async fn settle(
    txn: crate::ssr::db::WriteTxn,
    actor: &Actor,
    (cycle_id, unit_id): (i64, i64),
    receiving: &[i64],
    (action, what): (&str, serde_json::Value),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !receiving.is_empty() {
        assessments::open_drafts(&txn, cycle_id, receiving, now).await?;
        super::assessments::recompute(&txn, cycle_id, Some(receiving), now).await?;
    }
    let change = Change {
        action: action.into(),
        entity: "org_unit".into(),
        entity_id: Some(unit_id.to_string()),
        before: None,
        after: Some(what),
        unit_id: Some(unit_id),
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(())
}

/// A key result to assign — under an objective of the given title, which each official
/// receiving it has or gets — and to whom.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultAssignment {
    pub cycle_id: i64,
    pub unit_code: String,
    /// Only officials of this job position (exactly as recorded); empty: all.
    pub job_position: String,
    /// The objective: found by its title among each official's objectives of the cycle, or
    /// created with this weight.
    pub objective: ObjectiveDraft,
    pub key_result: KeyResultDraft,
    /// Count only.
    pub dry_run: bool,
    /// Also save it as a template (when not a dry run).
    pub save_template: bool,
}

/// Assigns one key result to every active official of a unit and of the units under it (of
/// one job position when given), in a cycle not yet closed, by an administrator of the unit:
/// under the official's objective of the given title (created, with the given weight, for
/// those who have none). Officials whose objective already has a key result of that title keep
/// theirs. Checked by the rules of the plan's forms ([`domain::plan`](crate::domain::plan));
/// refused as [`assign`] is. Each one assigned gets their sheet and is rescored; audited once.
pub async fn assign_key_result(
    db: &DatabaseConnection,
    actor: &Actor,
    input: KeyResultAssignment,
    now: DateTime<Utc>,
) -> Result<Assigned, AppError> {
    let objective = check_objective(&input.objective).map_err(|r| first(&r))?;
    let valid = check_key_result(&input.key_result).map_err(|r| first(&r))?;
    let position = bounded_text("job_position", &input.job_position, TITLE_MAX_CHARS)?;
    let unit_id = administered(db, actor, &input.unit_code, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let reached = reached(&txn, input.cycle_id, unit_id, &position).await?;
    let owners: Vec<Owner> = reached.iter().map(|id| Owner::Official(*id)).collect();
    // Each official's objective of that title (the first, if several), and its key results.
    let mut theirs: HashMap<i64, i64> = HashMap::new();
    for o in okrs::objectives_titled(&txn, input.cycle_id, &owners, &objective.title).await? {
        if let Owner::Official(official) = o.fields.owner {
            theirs.entry(official).or_insert(o.id);
        }
    }
    let ids: Vec<i64> = theirs.values().copied().collect();
    let mut codes: HashMap<i64, Vec<String>> = HashMap::new();
    let mut holding: HashSet<i64> = HashSet::new();
    for k in okrs::key_results_of(&txn, &ids).await? {
        if k.fields.title == valid.title {
            holding.insert(k.fields.objective_id);
        }
        codes
            .entry(k.fields.objective_id)
            .or_default()
            .push(k.fields.code);
    }
    let has = |id: &i64| theirs.get(id).is_some_and(|o| holding.contains(o));
    let (receiving, assigned) = receiving(&reached, has);
    if input.dry_run || (receiving.is_empty() && !input.save_template) {
        return Ok(assigned);
    }
    let missing: Vec<ObjectiveFields> = receiving
        .iter()
        .filter(|id| !theirs.contains_key(id))
        .map(|id| ObjectiveFields {
            cycle_id: input.cycle_id,
            owner: Owner::Official(*id),
            title: objective.title.clone(),
            weight: objective.weight,
        })
        .collect();
    for o in okrs::insert_objectives(&txn, missing, now).await? {
        if let Owner::Official(official) = o.fields.owner {
            theirs.insert(official, o.id);
        }
    }
    let rows = receiving
        .iter()
        .filter_map(|id| theirs.get(id))
        .map(|objective_id| {
            let taken = codes
                .get(objective_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
            key_result_fields(valid.clone(), *objective_id, next_kr_code(&taken))
        })
        .collect();
    okrs::insert_key_results(&txn, rows).await?;
    let work = TemplateWork::KeyResult {
        objective: input.objective.clone(),
        key_result: input.key_result.clone(),
    };
    let template = kept(
        (&txn, actor),
        input.save_template,
        (unit_id, &position),
        &work,
        now,
    )
    .await?;
    let what = serde_json::json!({
        "cycle_id": input.cycle_id,
        "objective": objective.title,
        "key_result": valid.title,
        "kind": valid.kind.code(),
        "weight": valid.weight,
        "job_position": position,
        "officials": assigned.created,
        "template": template,
    });
    let key = (input.cycle_id, unit_id);
    settle(
        txn,
        actor,
        key,
        &receiving,
        ("key_result_assign", what),
        now,
    )
    .await?;
    Ok(assigned)
}
