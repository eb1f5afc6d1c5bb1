//! Server functions for administrators and leaders: accounts (list, create, enable and
//! disable), role grants and revocations, and the audit trail, each limited to the caller's
//! scope.

use leptos::prelude::*;

use super::dto::{AccountsView, AuditEntry, SetupLink};
use crate::error::AppError;

/// Grants `role` over `unit_id` to an account. The caller needs the admin action both over
/// the unit granted and over the account (nobody grants themselves anything).
#[server(name = GrantRole, prefix = "/api", endpoint = "admin/grant")]
pub async fn grant_role(account_id: i64, role: String, unit_id: i64) -> Result<bool, AppError> {
    change_role(account_id, &role, unit_id, true).await
}

/// Takes `role` over `unit_id` away from an account (admin over the unit and the account).
#[server(name = RevokeRole, prefix = "/api", endpoint = "admin/revoke")]
pub async fn revoke_role(account_id: i64, role: String, unit_id: i64) -> Result<bool, AppError> {
    change_role(account_id, &role, unit_id, false).await
}

/// Grants (`add`) or revokes a role, audited; `false` when nothing changed.
#[cfg(feature = "ssr")]
async fn change_role(
    account_id: i64,
    role: &str,
    unit_id: i64,
    add: bool,
) -> Result<bool, AppError> {
    use crate::ssr::repo::accounts;
    let (caller, account, grant) = authorize_role_change(account_id, role, unit_id).await?;
    let txn = crate::ssr::db::write(&caller.state.db).await?;
    let (actor, now) = (caller.actor(), chrono::Utc::now());
    let changed = if add {
        accounts::grant(&txn, &account, grant, &actor, now).await?
    } else {
        accounts::revoke(&txn, &account, grant, &actor, now).await?
    };
    txn.commit().await?;
    Ok(changed)
}

/// The caller, the account and the grant of a role change, once the caller may administer
/// both the unit and the account.
#[cfg(feature = "ssr")]
async fn authorize_role_change(
    account_id: i64,
    role: &str,
    unit_id: i64,
) -> Result<
    (
        crate::ssr::auth::guard::Caller,
        crate::ssr::entity::account::Model,
        crate::domain::access::Grant,
    ),
    AppError,
> {
    use crate::domain::access::{Action, Grant, Role};
    use crate::ssr::auth::guard;
    use crate::ssr::entity::account;
    use sea_orm::EntityTrait;
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let role = Role::from_code(role).ok_or_else(|| AppError::Invalid {
        field: "role".into(),
        message: "unknown_role".into(),
    })?;
    let account = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = guard::unit_target(db, unit_id).await?;
    caller
        .authorize(Action::Admin, &unit, ("org_unit", unit_id))
        .await?;
    caller.authorize_account(Action::Admin, &account).await?;
    Ok((caller, account, Grant { role, unit_id }))
}

/// The newest audit entries the caller may read (their audit scopes), filtered by action,
/// entity and actor (exact matches; empty means any). At most 200.
#[server(name = AuditTrail, prefix = "/api", endpoint = "audit")]
pub async fn audit_trail(
    action: Option<String>,
    entity: Option<String>,
    actor: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    use crate::domain::access::{Action, Target, scope};
    use crate::ssr::auth::guard;
    use crate::ssr::repo::{audit, org_units};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let under = scope(&caller.user.principal, Action::Audit).subtrees;
    if under.is_empty() {
        return Err(caller
            .deny(Action::Audit, &Target::default(), ("audit_log", 0))
            .await?);
    }
    // Entries without a unit (sign-ins, system jobs) belong to whoever audits a whole tree.
    let whole_tree = org_units::any_top_level(db, &under).await?;
    let keep = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let filter = audit::Filter {
        under,
        include_unscoped: whole_tree,
        action: keep(action),
        entity: keep(entity),
        actor: keep(actor),
        limit: 200,
    };
    audit::list(db, &filter).await
}

/// The accounts the caller administers (their official, or all their grants, inside the
/// caller's admin scope) whose username, name or unit contains `query`: the first 300, how
/// many in all, and the units the caller may grant roles over.
#[server(name = AccountsInScope, prefix = "/api", endpoint = "admin/accounts")]
pub async fn accounts_in_scope(query: Option<String>) -> Result<AccountsView, AppError> {
    use super::dto::{AccountRow, GrantRow};
    use crate::domain::access::{Action, Target, scope};
    use crate::domain::text::contains_pattern;
    use crate::ssr::repo::{accounts, org_units};
    const SHOWN: u64 = 300;
    let caller = crate::ssr::auth::guard::caller()?;
    let db = &caller.state.db;
    let principal = &caller.user.principal;
    let roots = scope(principal, Action::Admin).subtrees;
    if roots.is_empty() {
        return Err(caller
            .deny(Action::Admin, &Target::default(), ("account", 0))
            .await?);
    }
    let pattern = contains_pattern(query.as_deref().unwrap_or_default());
    let (listed, total) = accounts::page_in_scope(db, &roots, pattern.as_deref(), SHOWN).await?;
    let units_shown = listed.iter().flat_map(|l| {
        l.grants
            .iter()
            .map(|g| g.unit_id)
            .chain(l.official.as_ref().map(|o| o.unit_id))
    });
    let names = org_units::names_of(db, units_shown.collect::<Vec<_>>()).await?;
    let name_of = |unit: i64| names.get(&unit).cloned().unwrap_or_default();
    let rows = listed
        .into_iter()
        .map(|l| {
            let units: Vec<i64> = match &l.official {
                Some(o) => vec![o.unit_id],
                None => l.grants.iter().map(|g| g.unit_id).collect(),
            };
            let mut unit_names: Vec<String> = units.iter().map(|u| name_of(*u)).collect();
            unit_names.dedup();
            AccountRow {
                mine: l.account.id == principal.account_id,
                awaiting_password: l.account.password_hash == crate::ssr::auth::password::NONE,
                official: l
                    .official
                    .as_ref()
                    .map(|o| format!("{} ({})", o.full_name, o.personnel_code)),
                unit_name: unit_names.join(", "),
                grants: l
                    .grants
                    .iter()
                    .map(|g| GrantRow {
                        role: g.role.clone(),
                        unit_id: g.unit_id,
                        unit_name: name_of(g.unit_id),
                    })
                    .collect(),
                id: l.account.id,
                username: l.account.username,
                display_name: l.account.display_name,
                is_active: l.account.is_active,
                is_demo: l.account.is_demo,
                version: l.account.version,
            }
        })
        .collect();
    Ok(AccountsView {
        total: usize::try_from(total).unwrap_or(usize::MAX),
        rows,
        units: org_units::named_under(db, &roots).await?,
    })
}

/// Creates an account for the official with `personnel_code` (an administrator over the
/// official; one account per official) holding the official role over the official's unit,
/// without a password: answers with the one-time link with which its owner sets one.
#[server(name = CreateAccount, prefix = "/api", endpoint = "admin/account/create")]
pub async fn create_account(
    username: String,
    display_name: String,
    personnel_code: String,
) -> Result<SetupLink, AppError> {
    use crate::ssr::service::accounts::{NewOfficialAccount, create_for_official};
    let caller = crate::ssr::auth::guard::caller()?;
    let new = NewOfficialAccount {
        username: &username,
        display_name: &display_name,
        personnel_code: &personnel_code,
    };
    let (db, actor, now) = (&caller.state.db, caller.service_actor(), chrono::Utc::now());
    let (username, token) = create_for_official(db, &actor, caller.state.auth, new, now).await?;
    Ok(shown(SetupLink { username, token }))
}

/// A new one-time link with which the account's owner sets a new password (a forgotten one,
/// or a first one whose link expired); an administrator over the account, never their own.
/// The account's password stays as it is until the link is used.
#[server(name = NewSetupLink, prefix = "/api", endpoint = "admin/account/setup-link")]
pub async fn new_setup_link(account_id: i64) -> Result<SetupLink, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor, now) = (&caller.state.db, caller.service_actor(), chrono::Utc::now());
    let (username, token) =
        crate::ssr::service::accounts::setup_link(db, &actor, account_id, now).await?;
    Ok(shown(SetupLink { username, token }))
}

/// A link as the caller sees it: without JavaScript, on the accounts page showing it.
#[cfg(feature = "ssr")]
fn shown(link: SetupLink) -> SetupLink {
    super::show_plain_form_at(&link.page());
    link
}

/// Enables or disables an account (seen at `version`); disabling ends its sessions at once.
#[server(name = SetAccountActive, prefix = "/api", endpoint = "admin/account/active")]
pub async fn set_account_active(
    account_id: i64,
    active: bool,
    version: i32,
) -> Result<u64, AppError> {
    use crate::domain::access::Action;
    use crate::ssr::entity::account;
    use crate::ssr::repo::accounts;
    use sea_orm::EntityTrait;
    let caller = crate::ssr::auth::guard::caller()?;
    let db = &caller.state.db;
    let account = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.authorize_account(Action::Admin, &account).await?;
    let txn = crate::ssr::db::write(db).await?;
    let ended = accounts::set_active(
        &txn,
        &account,
        active,
        version,
        &caller.actor(),
        chrono::Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Moves a cycle one step forward (`advance`) or reopens a closed one (`reopen`, with a
/// reason); administrators only. Returns the cycle's new state.
#[server(name = ChangeCycle, prefix = "/api", endpoint = "cycle/move")]
pub async fn change_cycle(
    id: i64,
    version: i32,
    step: String,
    #[server(default)] reason: String,
) -> Result<crate::domain::CycleState, AppError> {
    use crate::domain::CycleMove;
    use crate::ssr::service::cycles::{CycleChange, change};
    let caller = crate::ssr::auth::guard::caller()?;
    let step = CycleMove::from_code(&step).ok_or_else(|| AppError::Invalid {
        field: "step".into(),
        message: "move_not_allowed".into(),
    })?;
    let input = CycleChange {
        cycle_id: id,
        version,
        step,
        reason,
    };
    change(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await
}

/// The latest cycles with their states, deadlines and next step; administrators only.
#[server(name = CyclesOverview, prefix = "/api", endpoint = "cycles")]
pub async fn cycles_overview() -> Result<Vec<super::dto::CycleRow>, AppError> {
    const SHOWN: u64 = 100;
    let caller = crate::ssr::auth::guard::caller()?;
    let managed = crate::ssr::service::cycles::overview(
        &caller.state.db,
        &caller.service_actor(),
        SHOWN,
        chrono::Utc::now(),
    )
    .await?;
    Ok(managed.into_iter().map(cycle_row).collect())
}

/// The wire row of a managed cycle.
#[cfg(feature = "ssr")]
fn cycle_row(m: crate::ssr::service::cycles::Managed) -> super::dto::CycleRow {
    super::dto::CycleRow {
        id: m.cycle.id,
        code: m.cycle.code,
        scheme_id: m.cycle.scheme_id,
        period_kind: m.cycle.period_kind,
        starts_on: m.cycle.starts_on,
        ends_on: m.cycle.ends_on,
        next: m.state.next(),
        state: m.state,
        version: m.version,
        deadlines: m.deadlines,
        own_deadlines: m.cycle.own_deadlines,
    }
}

/// Sets a cycle's own deadlines (`YYYY-MM-DD`; empty keeps the legal default); administrators
/// only. Returns the cycle's deadlines.
#[server(name = SetCycleDeadlines, prefix = "/api", endpoint = "cycle/deadlines")]
pub async fn set_cycle_deadlines(
    id: i64,
    version: i32,
    #[server(default)] deadline_self: String,
    #[server(default)] deadline_review: String,
    #[server(default)] deadline_approval: String,
) -> Result<super::dto::Deadlines, AppError> {
    use crate::ssr::service::cycles::{DeadlineChange, set_deadlines};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = DeadlineChange {
        cycle_id: id,
        version,
        typed: [deadline_self, deadline_review, deadline_approval],
    };
    let saved = set_deadlines(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed("deadlines", saved)
}

/// Creates a cycle in planning from a scheme and a period (`kind`: month, quarter or year;
/// `year`; `number` within the year); administrators only. Returns the cycle's code.
#[server(name = CreateCycle, prefix = "/api", endpoint = "cycle/create")]
pub async fn create_cycle(
    scheme: String,
    kind: String,
    year: String,
    number: String,
) -> Result<String, AppError> {
    use crate::ssr::service::cycles::{NewCycle, create};
    use crate::ssr::service::invalid;
    let caller = crate::ssr::auth::guard::caller()?;
    let input = NewCycle {
        scheme_id: scheme,
        period_kind: kind,
        year: year
            .trim()
            .parse()
            .map_err(|_| invalid("year", "not_a_number"))?,
        period_no: number
            .trim()
            .parse()
            .map_err(|_| invalid("period_no", "not_a_number"))?,
    };
    create(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await
}

/// Assigns one product to every active official of a unit and its sub-units (of one job
/// position when given) in a cycle not yet closed; `dry_run` only counts. Administrators of
/// the unit only.
#[server(name = AssignProducts, prefix = "/api", endpoint = "cycle/assign")]
pub async fn assign_products(
    cycle: i64,
    unit: String,
    #[server(default)] job_position: String,
    product: super::dto::ProductTemplate,
    #[server(default)] dry_run: bool,
    #[server(default)] save_template: bool,
) -> Result<super::dto::AssignResult, AppError> {
    use crate::ssr::service::assign::{Assignment, assign};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = Assignment {
        cycle_id: cycle,
        unit_code: unit,
        job_position,
        code: product.code,
        title: product.title,
        assigned: product.assigned,
        weight: product.weight,
        due_on: product.due_on,
        dry_run,
        save_template,
    };
    let done = assign(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await?;
    Ok(assigned(done, dry_run, (false, false)))
}

/// The answer of an assignment; without JavaScript, on the cycles page showing it.
#[cfg(feature = "ssr")]
fn assigned(
    done: crate::ssr::service::assign::Assigned,
    dry_run: bool,
    (key_result, from_template): (bool, bool),
) -> super::dto::AssignResult {
    let result = super::dto::AssignResult {
        matched: done.matched,
        created: done.created,
        dry_run,
        key_result,
        from_template,
    };
    super::show_plain_form_at(&result.page());
    if dry_run {
        super::keep_typed_plainly();
    }
    result
}

/// Assigns one key result, under an objective of the given title, to every active official of
/// a unit and its sub-units (of one job position when given) in a cycle not yet closed;
/// `dry_run` only counts. Administrators of the unit only.
#[server(name = AssignKeyResults, prefix = "/api", endpoint = "cycle/assign-key-result")]
pub async fn assign_key_results(
    cycle: i64,
    unit: String,
    #[server(default)] job_position: String,
    objective: super::dto::ObjectiveDraft,
    kr: super::dto::KeyResultDraft,
    #[server(default)] dry_run: bool,
    #[server(default)] save_template: bool,
) -> Result<super::dto::AssignResult, AppError> {
    use crate::ssr::service::assign::{KeyResultAssignment, assign_key_result};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = KeyResultAssignment {
        cycle_id: cycle,
        unit_code: unit,
        job_position,
        objective,
        key_result: kr,
        dry_run,
        save_template,
    };
    let (db, actor) = (&caller.state.db, caller.service_actor());
    let done = assign_key_result(db, &actor, input, chrono::Utc::now()).await?;
    Ok(assigned(done, dry_run, (true, false)))
}

/// The saved templates of work of the units the caller administers, newest first.
#[server(name = WorkTemplates, prefix = "/api", endpoint = "cycle/templates")]
pub async fn work_templates() -> Result<Vec<super::dto::TemplateRow>, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor) = (&caller.state.db, caller.service_actor());
    let stored = crate::ssr::service::templates::list(db, &actor, chrono::Utc::now()).await?;
    Ok(stored
        .into_iter()
        .map(|t| super::dto::TemplateRow {
            id: t.id,
            version: t.version,
            unit_code: t.unit_code,
            unit_name: t.unit_name,
            job_position: t.job_position,
            work: t.work,
        })
        .collect())
}

/// Assigns a saved template's work in a cycle not yet closed (`dry_run` only counts), as the
/// assignment forms do; administrators of the template's unit only.
#[server(name = UseTemplate, prefix = "/api", endpoint = "cycle/use-template")]
pub async fn use_template(
    template: i64,
    cycle: i64,
    #[server(default)] dry_run: bool,
) -> Result<super::dto::AssignResult, AppError> {
    use crate::ssr::service::templates::{TemplateUse, apply};
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor) = (&caller.state.db, caller.service_actor());
    let input = TemplateUse {
        template_id: template,
        cycle_id: cycle,
        dry_run,
    };
    let (done, key_result) = apply(db, &actor, input, chrono::Utc::now()).await?;
    Ok(assigned(done, dry_run, (key_result, true)))
}

/// Deletes a saved template read at `version`; administrators of its unit only.
#[server(name = DeleteTemplate, prefix = "/api", endpoint = "cycle/delete-template")]
pub async fn delete_template(template: i64, version: i32) -> Result<(), AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor) = (&caller.state.db, caller.service_actor());
    let done =
        crate::ssr::service::templates::delete(db, &actor, (template, version), chrono::Utc::now())
            .await;
    super::confirmed("template-deleted", done)
}
