//! Server functions about people: who is signed in, the officials one may see, an official's
//! page, check-ins, scoring and approval. Each checks the caller and the record through
//! [`crate::ssr::auth::guard`] before touching anything.

use leptos::prelude::*;

use super::dto::{Me, OfficialDetail, OfficialList};
use crate::error::AppError;

/// The signed-in person (`None` when nobody is signed in).
#[server(name = WhoAmI, prefix = "/api", endpoint = "me")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use crate::domain::access::{Action, may_somewhere};
    let Some(user) = crate::ssr::auth::guard::current_user() else {
        return Ok(None);
    };
    let state = crate::ssr::state::AppState::from_context()?;
    let names = crate::ssr::repo::people::unit_names(&state.db).await?;
    Ok(Some(Me {
        can_audit: may_somewhere(&user.principal, Action::Audit),
        can_admin: may_somewhere(&user.principal, Action::Admin),
        roles: user
            .principal
            .grants
            .iter()
            .map(|g| {
                (
                    g.role.code().to_owned(),
                    names.get(&g.unit_id).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        username: user.username,
        display_name: user.display_name,
        official_id: user.principal.official_id,
    }))
}

/// The signed-in person's live sessions (where and when), this one marked.
#[server(name = MySessions, prefix = "/api", endpoint = "sessions")]
pub async fn my_sessions() -> Result<Vec<super::dto::SessionRow>, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let minute = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    let sessions = crate::ssr::auth::session::of_account(
        &caller.state.db,
        caller.user.principal.account_id,
        chrono::Utc::now(),
    )
    .await?;
    Ok(sessions
        .into_iter()
        .map(|s| super::dto::SessionRow {
            current: s.id == caller.user.session_id,
            created_at: minute(s.created_at),
            last_seen_at: minute(s.last_seen_at),
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect())
}

/// Ends every other session of the signed-in person, after their password (a stolen session
/// alone cannot sign the owner out). Returns how many ended.
#[server(name = EndOtherSessions, prefix = "/api", endpoint = "sessions/end-others")]
pub async fn end_other_sessions(current_password: String) -> Result<u64, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    crate::ssr::auth::end_other_sessions(
        &caller.state.db,
        &caller.user,
        &current_password,
        &caller.client,
        chrono::Utc::now(),
    )
    .await
}

/// The officials the caller may read whose name, personnel code or unit contains `query`
/// (ignoring case and diacritics; empty means all), by unit then name: the first 300, and how
/// many there are in all.
#[server(name = OfficialsInScope, prefix = "/api", endpoint = "officials")]
pub async fn officials_in_scope(query: Option<String>) -> Result<OfficialList, AppError> {
    use super::dto::OfficialRow;
    use crate::components::unit_table::fold;
    use crate::domain::access::{Action, Target, decide};
    use crate::ssr::repo::people;
    const SHOWN: usize = 300;
    let caller = crate::ssr::auth::guard::caller()?;
    let db = &caller.state.db;
    let parents = people::parents(db).await?;
    let roots: Vec<i64> = caller
        .user
        .principal
        .grants
        .iter()
        .map(|g| g.unit_id)
        .collect();
    let units: Vec<i64> = parents
        .keys()
        .copied()
        .filter(|u| {
            people::path_in(&parents, *u)
                .iter()
                .any(|p| roots.contains(p))
        })
        .collect();
    let needle = fold(query.as_deref().unwrap_or_default().trim());
    let matches = |row: &OfficialRow| {
        needle.is_empty()
            || [&row.full_name, &row.personnel_code, &row.unit_name]
                .iter()
                .any(|text| fold(text).contains(&needle))
    };
    let readable: Vec<OfficialRow> = people::officials_in(db, &units, 100_000)
        .await?
        .into_iter()
        .filter(|(model, row)| {
            let target = Target {
                unit_path: people::path_in(&parents, model.unit_id),
                owner: Some(model.id),
                reviewer: model.reviewer_id,
            };
            matches(row) && decide(&caller.user.principal, Action::Read, &target).is_some()
        })
        .map(|(_, row)| row)
        .collect();
    let total = readable.len();
    Ok(OfficialList {
        rows: readable.into_iter().take(SHOWN).collect(),
        total,
    })
}

/// An official's page, if the caller may read it.
#[server(name = GetOfficial, prefix = "/api", endpoint = "official")]
pub async fn get_official(id: i64) -> Result<OfficialDetail, AppError> {
    use crate::domain::access::{Action, decide};
    use crate::ssr::auth::guard;
    use crate::ssr::repo::people;
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let target = guard::official_target(db, id).await?;
    caller
        .authorize(Action::Read, &target, ("official", id))
        .await?;
    let may = |action| decide(&caller.user.principal, action, &target).is_some();
    Ok(OfficialDetail {
        official: people::official_row(db, id).await?,
        key_results: people::key_results(db, id).await?,
        assessments: people::assessments(db, id).await?,
        may_check_in: may(Action::CheckIn),
        may_score: may(Action::Score),
        may_approve: may(Action::Approve),
    })
}

/// Records progress on a key result (the owner only). Returns the new check-in's key result.
#[server(name = AddCheckIn, prefix = "/api", endpoint = "check-in")]
pub async fn add_check_in(
    key_result_id: i64,
    value: f64,
    confidence: i16,
    note: String,
    evidence_url: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::access::Action;
    use crate::ssr::auth::guard;
    use crate::ssr::repo::{audit, okrs, people};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let (owner, cycle) = people::key_result_owner(db, key_result_id).await?;
    let target = guard::official_target(db, owner).await?;
    caller
        .authorize(Action::CheckIn, &target, ("key_result", key_result_id))
        .await?;
    people::ensure_not_closed(db, cycle).await?;
    let invalid = |field: &str, message: &str| AppError::Invalid {
        field: field.into(),
        message: message.into(),
    };
    if !value.is_finite() {
        return Err(invalid("value", "not_a_number"));
    }
    if !(0..=10).contains(&confidence) {
        return Err(invalid("confidence", "confidence_range"));
    }
    let evidence_url = evidence_url.filter(|u| !u.trim().is_empty());
    if let Some(url) = &evidence_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid("evidence_url", "url_scheme"));
    }
    let now = chrono::Utc::now();
    let fields = okrs::CheckInFields {
        key_result_id,
        at: now,
        value,
        note: note.chars().take(2_000).collect(),
        evidence_url,
        confidence,
        author_official_id: owner,
    };
    let txn = crate::ssr::db::write(db).await?;
    okrs::insert_check_ins(&txn, vec![fields.clone()]).await?;
    okrs::set_current(&txn, key_result_id, value, now).await?;
    let change = audit::Change {
        action: "check_in".into(),
        entity: "key_result".into(),
        entity_id: Some(key_result_id.to_string()),
        before: None,
        after: serde_json::to_value(&fields).ok(),
        unit_id: target.unit_path.first().copied(),
    };
    audit::record(&txn, &caller.actor(), change, now).await?;
    txn.commit().await?;
    Ok(key_result_id)
}

/// A reviewer's (or unit leader's) proposed level for an assessment.
#[server(name = ScoreAssessment, prefix = "/api", endpoint = "assessment/score")]
pub async fn score_assessment(id: i64, level: String, version: i32) -> Result<(), AppError> {
    decide_level(id, level, version, crate::domain::access::Action::Score).await
}

/// The approved level of an assessment (unit leader, organiser, leadership).
#[server(name = ApproveAssessment, prefix = "/api", endpoint = "assessment/approve")]
pub async fn approve_assessment(id: i64, level: String, version: i32) -> Result<(), AppError> {
    decide_level(id, level, version, crate::domain::access::Action::Approve).await
}

#[cfg(feature = "ssr")]
async fn decide_level(
    id: i64,
    level: String,
    version: i32,
    action: crate::domain::access::Action,
) -> Result<(), AppError> {
    use crate::domain::access::Action;
    use crate::ssr::auth::guard;
    use crate::ssr::repo::people::{self, LevelDecision};
    let caller = guard::caller()?;
    let db = &caller.state.db;
    let (official, cycle) = people::assessment_official(db, id).await?;
    let target = guard::official_target(db, official).await?;
    caller
        .authorize(action, &target, ("assessment", id))
        .await?;
    people::ensure_not_closed(db, cycle).await?;
    let known = serde_json::from_value::<crate::domain::Level>(serde_json::json!(level));
    if known.is_err() {
        return Err(AppError::Invalid {
            field: "level".into(),
            message: "unknown_level".into(),
        });
    }
    let decision = if action == Action::Approve {
        LevelDecision::Approved
    } else {
        LevelDecision::Proposed
    };
    let unit = target.unit_path.first().copied().unwrap_or_default();
    // The level and its audit entry are written together or not at all.
    let txn = crate::ssr::db::write(db).await?;
    people::decide_level(
        &txn,
        id,
        version,
        decision,
        &level,
        &caller.actor(),
        unit,
        chrono::Utc::now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
