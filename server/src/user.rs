//! `server user create`: creates an account from the command line — the way the first
//! administrator comes to exist. The password is read from `THUOCDO_NEW_PASSWORD` or, when
//! that is unset, from the first line of standard input (never from the command line, where
//! other users of the machine could read it).

use anyhow::{Context, bail};
use app::domain::access::{Grant, Role};
use app::ssr::auth::{self, AuthConfig, NewAccount, password::Cost};
use app::ssr::entity::{official, org_unit};
use app::ssr::repo::audit::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// What to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    /// Grant the admin role.
    pub admin: bool,
    /// Extra role codes to grant.
    pub roles: Vec<String>,
    /// Scope of the grants (unit code); default: every top-level unit.
    pub unit: Option<String>,
    /// The official the account belongs to (personnel code).
    pub official: Option<String>,
}

/// Creates the account; returns its id.
pub async fn create(
    db: &DatabaseConnection,
    user: &NewUser,
    password: &str,
) -> anyhow::Result<i64> {
    let units: Vec<i64> = match &user.unit {
        Some(code) => vec![
            app::ssr::repo::org_units::id_by_code(db, code)
                .await?
                .with_context(|| format!("no unit with code {code}"))?,
        ],
        None => org_unit::Entity::find()
            .filter(org_unit::Column::ParentId.is_null())
            .filter(org_unit::Column::ValidTo.is_null())
            .filter(org_unit::Column::MergedIntoId.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
    };
    if units.is_empty() {
        bail!("there is no unit to scope the account to: import or seed the units first");
    }
    let mut roles: Vec<Role> = Vec::new();
    if user.admin {
        roles.push(Role::Admin);
    }
    for code in &user.roles {
        roles.push(Role::from_code(code).with_context(|| format!("unknown role {code}"))?);
    }
    if roles.is_empty() {
        bail!("give --admin or at least one --role");
    }
    let official_id = match &user.official {
        Some(code) => Some(
            official::Entity::find()
                .filter(official::Column::PersonnelCode.eq(code.as_str()))
                .one(db)
                .await?
                .with_context(|| format!("no official with personnel code {code}"))?
                .id,
        ),
        None => None,
    };
    let grants: Vec<Grant> = roles
        .iter()
        .flat_map(|&role| units.iter().map(move |&unit_id| Grant { role, unit_id }))
        .collect();
    let txn = app::ssr::db::write(db).await?;
    let id = auth::create_account(
        &txn,
        NewAccount {
            username: &user.username,
            display_name: &user.display_name,
            password: Some(password),
            official_id,
            is_demo: false,
            grants: &grants,
        },
        AuthConfig {
            cookie_secure: false,
            hashing: Cost::Owasp,
        },
        &Actor::system("cli:user"),
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| match e {
        app::error::AppError::Invalid { field, message } => {
            let text =
                app::ssr::import::messages::tr(app::ssr::import::messages::Lang::En, &message, &[]);
            anyhow::anyhow!("{field}: {text}")
        }
        other => anyhow::anyhow!(other),
    })?;
    txn.commit().await?;
    Ok(id)
}
