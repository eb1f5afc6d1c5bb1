//! The one place that answers "may this account do this action on this record": server
//! functions and routes call [`Caller::authorize`] with the record's [`Target`], loaded here
//! from the database, and get the allowing grant or `Forbidden` (the refusal is audited).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set,
    Statement,
};

use super::{Client, CurrentUser};
use crate::domain::access::{self, Action, Grant, Target};
use crate::error::AppError;
use crate::ssr::entity::{account, role_grant};
use crate::ssr::repo::audit::Actor;
use crate::ssr::state::AppState;

/// A signed-in caller of a server function: the state, who they are, where from.
#[derive(Debug, Clone)]
pub struct Caller {
    pub state: AppState,
    pub user: CurrentUser,
    pub client: Client,
}

/// The current request's parts (server functions and page renders).
fn parts() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>()
}

/// The signed-in user of the current request, if any.
pub fn current_user() -> Option<CurrentUser> {
    parts().and_then(|p| p.extensions.get::<CurrentUser>().cloned())
}

/// The current request's client.
pub fn current_client() -> Client {
    parts()
        .and_then(|p| p.extensions.get::<Client>().cloned())
        .unwrap_or_default()
}

/// The caller of the current server function; `Unauthorized` when nobody is signed in.
pub fn caller() -> Result<Caller, AppError> {
    let state = AppState::from_context()?;
    let user = current_user().ok_or(AppError::Unauthorized)?;
    Ok(Caller {
        state,
        user,
        client: current_client(),
    })
}

impl Caller {
    /// The grant allowing `action` on `target`, or `Forbidden` after auditing the refusal.
    pub async fn authorize(
        &self,
        action: Action,
        target: &Target,
        what: (&str, i64),
    ) -> Result<Grant, AppError> {
        if let Some(grant) = access::decide(&self.user.principal, action, target) {
            return Ok(grant);
        }
        Err(self.deny(action, target, what).await?)
    }

    /// Allows `action` on an account ([`crate::ssr::service::authorize_account`]).
    pub async fn authorize_account(
        &self,
        action: Action,
        account: &account::Model,
    ) -> Result<(), AppError> {
        let actor = self.service_actor();
        crate::ssr::service::authorize_account(&self.state.db, &actor, action, account, Utc::now())
            .await
    }

    /// Logs and audits a refusal; returns the error to answer with.
    pub async fn deny(
        &self,
        action: Action,
        target: &Target,
        what: (&str, i64),
    ) -> Result<AppError, AppError> {
        let refused = crate::ssr::service::refuse(
            &self.state.db,
            &self.actor(),
            action,
            target,
            what,
            Utc::now(),
        )
        .await;
        match refused {
            Err(AppError::Forbidden) | Ok(()) => Ok(AppError::Forbidden),
            Err(other) => Err(other),
        }
    }

    /// This caller as the actor of a service.
    pub fn service_actor(&self) -> crate::ssr::service::Actor {
        crate::ssr::service::Actor {
            audit: self.actor(),
            principal: Some(self.user.principal.clone()),
        }
    }

    /// The audit actor for this caller.
    pub fn actor(&self) -> Actor {
        super::actor(&self.user, &self.client)
    }
}

/// `unit_id` followed by its ancestors up to the root (empty when the unit does not exist).
pub async fn unit_path(db: &impl ConnectionTrait, unit_id: i64) -> Result<Vec<i64>, AppError> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    // The depth bound protects against a cycle in bad data.
    let sql = format!(
        "WITH RECURSIVE up(id, parent_id, depth) AS ( \
           SELECT id, parent_id, 0 FROM org_unit WHERE id = {placeholder} \
           UNION ALL \
           SELECT u.id, u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.parent_id \
           WHERE up.depth < 32) \
         SELECT id FROM up ORDER BY depth"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [unit_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<i64>("", "id").map_err(AppError::from))
        .collect()
}

/// The target of a unit's own records (lists, exports); `NotFound` for an unknown unit.
pub async fn unit_target(db: &impl ConnectionTrait, unit_id: i64) -> Result<Target, AppError> {
    let unit_path = unit_path(db, unit_id).await?;
    if unit_path.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(Target {
        unit_path,
        owner: None,
        reviewer: None,
    })
}

/// The target of an official's personal records; `NotFound` for an unknown official. One
/// query: the official's unit and its ancestors, each row with the official's reviewer.
pub async fn official_target(
    db: &impl ConnectionTrait,
    official_id: i64,
) -> Result<Target, AppError> {
    let backend = db.get_database_backend();
    let (first, second) = if backend == DbBackend::Postgres {
        ("$1", "$2")
    } else {
        ("?", "?")
    };
    let sql = format!(
        "WITH RECURSIVE up(id, parent_id, depth) AS ( \
           SELECT u.id, u.parent_id, 0 FROM org_unit u JOIN official o ON o.unit_id = u.id \
           WHERE o.id = {first} \
           UNION ALL \
           SELECT u.id, u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.parent_id \
           WHERE up.depth < 32) \
         SELECT up.id, (SELECT reviewer_id FROM official WHERE id = {second}) AS reviewer_id \
         FROM up ORDER BY up.depth"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [official_id.into(), official_id.into()],
        ))
        .await?;
    let reviewer = match rows.first() {
        Some(row) => row.try_get::<Option<i64>>("", "reviewer_id")?,
        None => return Err(AppError::NotFound),
    };
    Ok(Target {
        unit_path: rows
            .iter()
            .map(|row| row.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?,
        owner: Some(official_id),
        reviewer,
    })
}

/// The records an account is administered through: its official's, or, for an account
/// without one, the units it holds grants at.
pub async fn account_targets(
    db: &impl ConnectionTrait,
    account: &account::Model,
) -> Result<Vec<Target>, AppError> {
    if let Some(official) = account.official_id {
        return Ok(vec![official_target(db, official).await?]);
    }
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .all(db)
        .await?;
    let mut targets = Vec::with_capacity(grants.len());
    for grant in grants {
        targets.push(unit_target(db, grant.unit_id).await?);
    }
    Ok(targets)
}

/// Adds a grant unless the account already holds it.
pub async fn insert_grant(
    db: &impl ConnectionTrait,
    account_id: i64,
    grant: Grant,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let exists = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(grant.role.code()))
        .filter(role_grant::Column::UnitId.eq(grant.unit_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        role_grant::ActiveModel {
            account_id: Set(account_id),
            role: Set(grant.role.code().to_owned()),
            unit_id: Set(grant.unit_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        crate::ssr::repo::versions::bump(db, crate::ssr::repo::versions::ACCESS).await?;
    }
    Ok(!exists)
}
