//! Server functions of the early-warning list: read one page within the caller's scope,
//! acknowledge an item, change the rules. Each is glue: who calls, then
//! [`crate::ssr::service::warnings`], then the wire types below.

#![expect(
    clippy::too_many_arguments,
    reason = "the rules' form posts one field a threshold, each a server function argument"
)]

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::warning::{Evidence, Rule, WarningRules};
use crate::error::AppError;

/// One warning as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningItem {
    pub id: i64,
    pub rule: Rule,
    pub unit_id: i64,
    pub unit_name: String,
    /// The official's id, name and personnel code (`None`: the unit's own).
    pub official: Option<(i64, String, String)>,
    /// The key result's title, for a key result's warning.
    pub key_result: Option<String>,
    /// Where its evidence is: the assessment, the official's or the unit's page.
    pub link: String,
    pub evidence: Option<Evidence>,
    pub urgency: i32,
    pub detected_at: DateTime<Utc>,
    /// Who acknowledged it, when, with what note.
    pub acknowledged: Option<(String, DateTime<Utc>, String)>,
}

/// A page of the list with its counts and the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningsPage {
    pub items: Vec<WarningItem>,
    /// Per rule: items, of which acknowledged.
    pub counts: Vec<(Rule, u64, u64)>,
    pub rule: Option<Rule>,
    pub page: u64,
    pub pages: u64,
    pub as_of: Option<DateTime<Utc>>,
    pub may_acknowledge: bool,
    pub may_edit_rules: bool,
    pub rules: WarningRules,
    pub rules_version: i32,
}

#[cfg(feature = "ssr")]
fn item(l: crate::ssr::repo::warnings::Listed) -> Option<WarningItem> {
    let link = match (l.assessment_id, &l.official) {
        (Some(a), _) => format!("/assessments/{a}"),
        (None, Some((o, _, _))) => format!("/officials/{o}"),
        (None, None) => format!("/units/{}", l.unit_id),
    };
    Some(WarningItem {
        id: l.id,
        rule: Rule::from_code(&l.rule)?,
        unit_id: l.unit_id,
        unit_name: l.unit_name,
        official: l.official,
        key_result: l.key_result,
        link,
        evidence: serde_json::from_str(&l.evidence).ok(),
        urgency: l.urgency,
        detected_at: l.detected_at,
        acknowledged: l.acknowledged,
    })
}

/// One page (from 1) of the warnings the caller may read, of one rule when given.
#[server(name = GetWarnings, prefix = "/api", endpoint = "warnings")]
pub async fn warnings(
    #[server(default)] rule: Option<String>,
    #[server(default)] page: Option<u64>,
) -> Result<WarningsPage, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let rule = rule.filter(|r| !r.is_empty());
    let list = crate::ssr::service::warnings::list(
        &caller.state.db,
        &caller.service_actor(),
        rule.as_deref(),
        page.unwrap_or(1),
        Utc::now(),
    )
    .await?;
    Ok(WarningsPage {
        items: list.items.into_iter().filter_map(item).collect(),
        counts: list
            .counts
            .into_iter()
            .filter_map(|(r, n, a)| Some((Rule::from_code(&r)?, n, a)))
            .collect(),
        rule: rule.as_deref().and_then(Rule::from_code),
        page: list.page,
        pages: list.pages,
        as_of: list.as_of,
        may_acknowledge: list.may_acknowledge,
        may_edit_rules: list.may_edit_rules,
        rules: list.rules,
        rules_version: list.rules_version,
    })
}

/// Acknowledges one warning, with a note.
#[server(name = AcknowledgeWarning, prefix = "/api", endpoint = "warnings/acknowledge")]
pub async fn acknowledge_warning(id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let done = crate::ssr::service::warnings::acknowledge(
        &caller.state.db,
        &caller.service_actor(),
        id,
        &note,
        Utc::now(),
    )
    .await;
    super::confirmed("acknowledged", done)
}

/// Changes the warning rules (administrators).
#[server(name = SaveWarningRules, prefix = "/api", endpoint = "warnings/rules")]
pub async fn save_warning_rules(
    version: i32,
    pace_lag_percent: u32,
    not_started_days: u32,
    check_in_every_days: u32,
    metric_every_days: u32,
    grace_days: u32,
    self_due_days: u32,
    review_late_days: u32,
    trend_falls: u32,
    spc_min_points: u32,
    spc_run: u32,
    spc_sigmas: u32,
) -> Result<(), AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let values = [
        pace_lag_percent,
        not_started_days,
        check_in_every_days,
        metric_every_days,
        grace_days,
        self_due_days,
        review_late_days,
        trend_falls,
        spc_min_points,
        spc_run,
        spc_sigmas,
    ];
    let done = crate::ssr::service::warnings::save_rules(
        &caller.state.db,
        &caller.service_actor(),
        values,
        version,
        Utc::now(),
    )
    .await;
    super::confirmed("rules", done)
}
