//! Server functions of the leadership comparison.

use leptos::prelude::*;

use crate::domain::compare::Comparison;
use crate::domain::vocab::UnitKind;
use crate::error::AppError;

/// The units the caller may read, compared in one cycle (`cycle`: a cycle code, default the
/// latest), optionally of one kind or directly under one unit; page `page` (from 1); charts
/// and labels in English when `en`.
#[server(name = CompareUnits, prefix = "/api", endpoint = "compare")]
pub async fn compare_units(
    #[server(default)] cycle: Option<String>,
    #[server(default)] kind: Option<UnitKind>,
    #[server(default)] parent: Option<i64>,
    #[server(default)] page: Option<u32>,
    #[server(default)] en: bool,
) -> Result<Comparison, AppError> {
    use crate::domain::explain::Lang;
    use crate::ssr::service::compare::{Request, units};
    let caller = crate::ssr::auth::guard::caller()?;
    let request = Request {
        cycle: cycle.filter(|c| !c.is_empty()),
        kind,
        parent,
        page: page.unwrap_or(1),
    };
    let lang = if en { Lang::En } else { Lang::Vi };
    units(&caller.state.db, &caller.user.principal, request, lang).await
}
