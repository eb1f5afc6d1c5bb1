//! Server functions about the organisation tree.

use leptos::prelude::*;

use super::dto::{OrgUnit, UnitKind};
use crate::error::AppError;

/// Lists the organisational units, optionally of one kind, ordered by the tree (parent first)
/// then by code. The unit structure of a province is public information (published in the
/// merger resolutions), so listing it needs no account.
#[server(name = ListUnits, prefix = "/api", endpoint = "org/units")]
pub async fn list_units(kind: Option<UnitKind>) -> Result<Vec<OrgUnit>, AppError> {
    let state = crate::ssr::state::AppState::from_context()?;
    crate::ssr::repo::org_units::list(&state.db, kind).await
}
