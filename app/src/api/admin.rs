//! Server functions for administrators and leaders: role grants and the audit trail, each
//! limited to the caller's scope.

use leptos::prelude::*;

use super::dto::AuditEntry;
use crate::error::AppError;

/// Grants `role` over `unit_id` to an account. The caller needs the admin action both over
/// the unit granted and over the account's official (nobody grants themselves anything).
#[server(name = GrantRole, prefix = "/api", endpoint = "admin/grant")]
pub async fn grant_role(account_id: i64, role: String, unit_id: i64) -> Result<bool, AppError> {
    use crate::domain::access::{Action, Grant, Role};
    use crate::ssr::auth::guard;
    use crate::ssr::entity::account;
    use crate::ssr::repo::audit;
    use sea_orm::{EntityTrait, TransactionTrait};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let role = Role::from_code(&role).ok_or_else(|| AppError::Invalid {
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
    let holder = match account.official_id {
        Some(official) => guard::official_target(db, official).await?,
        None if account.id == caller.user.principal.account_id => {
            return Err(AppError::Forbidden);
        }
        None => unit.clone(),
    };
    caller
        .authorize(Action::Admin, &holder, ("account", account_id))
        .await?;
    let now = chrono::Utc::now();
    let txn = db.begin().await?;
    let added = guard::insert_grant(&txn, account_id, Grant { role, unit_id }, now).await?;
    let change = audit::Change {
        action: "grant_role".into(),
        entity: "account".into(),
        entity_id: Some(account.username),
        before: None,
        after: Some(serde_json::json!({ "role": role.code(), "unit_id": unit_id, "added": added })),
        unit_id: Some(unit_id),
    };
    audit::record(&txn, &caller.actor(), change, now).await?;
    txn.commit().await?;
    Ok(added)
}

/// The newest audit entries the caller may read (their audit scopes), filtered by action,
/// entity and actor (exact matches; empty means any). At most 200.
#[server(name = AuditTrail, prefix = "/api", endpoint = "audit")]
pub async fn audit_trail(
    action: Option<String>,
    entity: Option<String>,
    actor: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    use crate::domain::access::{Action, decide};
    use crate::ssr::auth::guard;
    use crate::ssr::repo::{audit, people};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let parents = people::parents(db).await?;
    let principal = &caller.user.principal;
    let units: Vec<i64> = parents
        .keys()
        .copied()
        .filter(|u| {
            let target = crate::domain::access::Target {
                unit_path: people::path_in(&parents, *u),
                owner: None,
                reviewer: None,
            };
            decide(principal, Action::Audit, &target).is_some()
        })
        .collect();
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    // Entries without a unit (sign-ins, system jobs) belong to whoever audits a whole tree.
    let whole_tree = principal.grants.iter().any(|g| {
        parents.get(&g.unit_id) == Some(&None)
            && decide(
                principal,
                Action::Audit,
                &crate::domain::access::Target {
                    unit_path: vec![g.unit_id],
                    owner: None,
                    reviewer: None,
                },
            )
            .is_some()
    });
    let keep = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let filter = audit::Filter {
        units,
        include_unscoped: whole_tree,
        action: keep(action),
        entity: keep(entity),
        actor: keep(actor),
        limit: 200,
    };
    audit::list(db, &filter).await
}
