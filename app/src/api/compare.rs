//! Server functions of the leadership comparison.

use leptos::prelude::*;

use crate::domain::compare::{Comparison, OfficialCharts, UnitDashboard};
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
    let state = &caller.state;
    units(
        &state.db,
        &state.caches,
        &caller.user.principal,
        request,
        lang,
    )
    .await
}

/// A unit's dashboard in one cycle (`cycle`: a code, default the latest with scores), if the
/// caller may read the unit's records.
#[server(name = GetUnitDashboard, prefix = "/api", endpoint = "unit-dashboard")]
pub async fn unit_dashboard(
    id: i64,
    #[server(default)] cycle: Option<String>,
    #[server(default)] en: bool,
) -> Result<UnitDashboard, AppError> {
    use crate::domain::explain::Lang;
    let caller = crate::ssr::auth::guard::caller()?;
    let lang = if en { Lang::En } else { Lang::Vi };
    let cycle = cycle.filter(|c| !c.is_empty());
    let actor = caller.service_actor();
    let db = &caller.state.db;
    let caches = &caller.state.caches;
    crate::ssr::service::compare::unit(db, caches, &actor, id, cycle, lang, chrono::Utc::now())
        .await
}

/// An official's charts: their score over the recent periods, drawn over the level bands,
/// and each key result of their latest cycle against its pace; if the caller may read the
/// official.
#[server(name = GetOfficialCharts, prefix = "/api", endpoint = "official-charts")]
pub async fn official_charts(
    id: i64,
    #[server(default)] en: bool,
) -> Result<OfficialCharts, AppError> {
    use crate::domain::explain::Lang;
    let caller = crate::ssr::auth::guard::caller()?;
    let lang = if en { Lang::En } else { Lang::Vi };
    let actor = caller.service_actor();
    let db = &caller.state.db;
    let caches = &caller.state.caches;
    crate::ssr::service::compare::official(db, caches, &actor, id, lang, chrono::Utc::now())
        .await
        .map(|charts| (*charts).clone())
}
