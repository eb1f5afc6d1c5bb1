//! The service layer: one function per use case, called alike by server functions, HTTP
//! handlers, the command line, importers and seeders. Each takes `(db, actor, input, now)` and
//!
//! 1. validates the input with the domain's rules and message keys;
//! 2. checks that the actor may touch the record ([`authorize`]) and that the state machine
//!    allows the move;
//! 3. in one write transaction: reads what decides the write, writes through repositories,
//!    refreshes the unit's rollup and appends the audit entry; then commits.
//!
//! Nothing else writes the records these services own.

pub mod accounts;
pub mod assessments;
pub mod assign;
pub mod calibration;
pub mod check_ins;
pub mod compare;
pub mod cycles;
pub mod exports;
pub mod feeds;
pub mod inputs;
pub mod lists;
pub mod personnel;
pub mod plan;
pub mod public;
pub mod rollups;
pub mod rules;
pub mod sheet;
pub mod templates;
pub mod todo;
pub mod uploads;
pub mod warnings;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::access::{self, Action, Principal, Target};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};

/// Who performs a use case: the audit identity, and the signed-in principal whose grants are
/// checked (`None` for the operator's command line and seeders, which act on the whole
/// database they were pointed at).
#[derive(Debug, Clone)]
pub struct Actor {
    pub audit: audit::Actor,
    pub principal: Option<Principal>,
}

impl Actor {
    /// A command-line or background process (`cli:import`, `seed:demo`).
    pub fn system(name: &str) -> Self {
        Actor {
            audit: audit::Actor::system(name),
            principal: None,
        }
    }

    /// The official this actor is, if a signed-in person with an official record.
    pub fn official_id(&self) -> Option<i64> {
        self.principal.as_ref().and_then(|p| p.official_id)
    }
}

/// Allows the actor to perform one of `actions` on `target`, or refuses with `Forbidden`
/// after logging and auditing the refusal (`what`: the record's entity and id).
pub async fn authorize(
    db: &impl ConnectionTrait,
    actor: &Actor,
    actions: &[Action],
    target: &Target,
    what: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(principal) = &actor.principal else {
        return Ok(());
    };
    if actions
        .iter()
        .any(|a| access::decide(principal, *a, target).is_some())
    {
        return Ok(());
    }
    let action = actions.first().copied().unwrap_or(Action::Read);
    refuse(db, &actor.audit, action, target, what, now).await
}

/// Allows the operator's command line and background processes only (whole-database acts such
/// as recomputing a cycle): a signed-in person is refused like any other refusal, and audited.
pub async fn operator_only(
    db: &impl ConnectionTrait,
    actor: &Actor,
    what: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match actor.principal {
        None => Ok(()),
        Some(_) => refuse_anywhere(db, actor, Action::Admin, what, now).await,
    }
}

/// The account of a signed-in administrator and the subtrees they administer; refused
/// (audited) for anyone who administers none, and `Unauthorized` for the operator's processes,
/// which have no account (`what`: the kind of record asked for).
pub async fn administering(
    db: &impl ConnectionTrait,
    actor: &Actor,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(i64, access::Scope), AppError> {
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    let scope = access::scope(principal, Action::Admin);
    if scope.subtrees.is_empty() {
        refuse_anywhere(db, actor, Action::Admin, (what, 0), now).await?;
    }
    Ok((principal.account_id, scope))
}

/// Refuses `action` to a signed-in person who may perform it on no record at all (a page or
/// a list of their scope): logged and audited like any refusal; always `Err(Forbidden)`.
pub async fn refuse_anywhere(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: Action,
    what: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    refuse(db, &actor.audit, action, &Target::default(), what, now).await
}

/// Allows `action` on an account: on its official's record, or, for an account without one,
/// on every unit it holds a grant at. Nobody acts on their own account.
pub async fn authorize_account(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: Action,
    account: &crate::ssr::entity::account::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let targets = crate::ssr::auth::guard::account_targets(db, account).await?;
    let what = ("account", account.id);
    let own = actor
        .principal
        .as_ref()
        .is_some_and(|p| p.account_id == account.id);
    if own || targets.is_empty() {
        let target = targets.into_iter().next().unwrap_or_default();
        return refuse(db, &actor.audit, action, &target, what, now).await;
    }
    for target in &targets {
        authorize(db, actor, &[action], target, what, now).await?;
    }
    Ok(())
}

/// Logs and audits a refusal of `action` on a record; always `Err(Forbidden)`.
pub async fn refuse(
    db: &impl ConnectionTrait,
    actor: &audit::Actor,
    action: Action,
    target: &Target,
    what: (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    tracing::warn!(
        actor = %actor.name,
        action = action.code(),
        entity = what.0,
        id = what.1,
        "access denied"
    );
    let change = Change {
        action: "access_denied".into(),
        entity: what.0.into(),
        entity_id: Some(what.1.to_string()),
        before: None,
        after: Some(serde_json::json!({ "action": action.code() })),
        unit_id: target.unit_path.first().copied(),
    };
    audit::record(db, actor, change, now).await?;
    Err(AppError::Forbidden)
}

/// The refusal of a field: `Invalid` naming it with a message key.
pub fn invalid(field: &str, key: &str) -> AppError {
    AppError::Invalid {
        field: field.into(),
        message: key.into(),
    }
}

/// A free text within `max` characters (trimmed), or `too_long` naming the field.
pub fn bounded_text(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(invalid(field, "too_long"));
    }
    Ok(text.to_owned())
}
