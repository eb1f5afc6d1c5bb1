//! Server functions about people: who is signed in, the officials one may see, an official's
//! page, check-ins, scoring and approval. Each checks the caller and the record through
//! [`crate::ssr::auth::guard`] before touching anything.

use leptos::prelude::*;

use super::dto::{Me, OfficialDetail, OfficialList};
use crate::error::AppError;

/// The signed-in person (`None` when nobody is signed in). `brief`: without the roles'
/// units (`roles` empty), which only the account page shows — every page's header asks this
/// way, and so reads nothing from the database.
#[server(name = WhoAmI, prefix = "/api", endpoint = "me")]
pub async fn who_am_i(#[server(default)] brief: bool) -> Result<Option<Me>, AppError> {
    use crate::domain::access::{Action, may_somewhere};
    let Some(user) = crate::ssr::auth::guard::current_user() else {
        return Ok(None);
    };
    let roles = if brief {
        Vec::new()
    } else {
        let state = crate::ssr::state::AppState::from_context()?;
        let grants = &user.principal.grants;
        let units: Vec<i64> = grants.iter().map(|g| g.unit_id).collect();
        let names = crate::ssr::repo::org_units::names_of(&state.db, units).await?;
        grants
            .iter()
            .map(|g| {
                let name = names.get(&g.unit_id).cloned().unwrap_or_default();
                (g.role.code().to_owned(), name)
            })
            .collect()
    };
    Ok(Some(Me {
        can_audit: may_somewhere(&user.principal, Action::Audit),
        can_admin: may_somewhere(&user.principal, Action::Admin),
        can_review: may_somewhere(&user.principal, Action::Score)
            || may_somewhere(&user.principal, Action::Approve),
        can_decide: !crate::domain::personnel::deciding_roots(&user.principal).is_empty(),
        can_compare: !crate::domain::access::scope(&user.principal, Action::Read)
            .subtrees
            .is_empty(),
        roles,
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
/// many there are in all — scoped, filtered, counted and paged in SQL.
#[server(name = OfficialsInScope, prefix = "/api", endpoint = "officials")]
pub async fn officials_in_scope(query: Option<String>) -> Result<OfficialList, AppError> {
    use crate::domain::access::{Action, scope};
    use crate::domain::text::contains_pattern;
    const SHOWN: u64 = 300;
    let caller = crate::ssr::auth::guard::caller()?;
    let scope = scope(&caller.user.principal, Action::Read);
    let pattern = contains_pattern(query.as_deref().unwrap_or_default());
    let state = &caller.state;
    let page = crate::ssr::service::lists::officials(
        &state.db,
        &state.caches,
        &scope,
        pattern.as_deref(),
        SHOWN,
    )
    .await?;
    let (rows, total) = &*page;
    Ok(OfficialList {
        rows: rows.iter().cloned().map(official_row).collect(),
        total: usize::try_from(*total).unwrap_or(usize::MAX),
    })
}

/// The wire row of a listed official.
#[cfg(feature = "ssr")]
fn official_row(o: crate::ssr::repo::people::Listed) -> super::dto::OfficialRow {
    super::dto::OfficialRow {
        id: o.id,
        personnel_code: o.personnel_code,
        full_name: o.full_name,
        job_position: o.job_position,
        unit_name: o.unit_name,
    }
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
        official: official_row(people::official_row(db, id).await?),
        key_results: people::key_results(db, id)
            .await?
            .into_iter()
            .map(|k| super::dto::KeyResultRow {
                id: k.id,
                title: k.title,
                current_value: k.current_value,
                target_value: k.target_value,
                unit_of_measure: k.unit_of_measure,
                cycle_closed: k.cycle_closed,
            })
            .collect(),
        assessments: crate::ssr::repo::assessments::of_official(db, id)
            .await?
            .into_iter()
            .map(|(a, cycle)| super::assessments::row(a, &cycle))
            .collect::<Result<_, _>>()?,
        may_check_in: may(Action::CheckIn),
        may_score: may(Action::Score),
        may_approve: may(Action::Approve),
    })
}

/// Records progress on a key result (the owner only). Returns the key result's id.
#[server(name = AddCheckIn, prefix = "/api", endpoint = "check-in")]
pub async fn add_check_in(
    key_result_id: i64,
    value: f64,
    confidence: i64,
    note: String,
    evidence_url: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::check_in::Draft;
    use crate::ssr::service::check_ins::{NewCheckIn, record};
    let caller = crate::ssr::auth::guard::caller()?;
    let draft = Draft {
        value,
        confidence,
        note,
        evidence_url,
    };
    let input = NewCheckIn {
        key_result_id,
        draft,
    };
    let saved = record(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed("check_in", saved)
}

/// A reviewer's (or unit leader's) proposed level for an assessment; a level other than the
/// engine's needs a reason.
#[server(name = ScoreAssessment, prefix = "/api", endpoint = "assessment/score")]
pub async fn score_assessment(
    id: i64,
    level: String,
    version: i32,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let step = crate::domain::AssessmentMove::Propose;
    decide(id, version, step, Some(level), reason).await
}

/// The approved level of an assessment (unit leader, organiser, leadership); a level other
/// than the proposed one needs a reason.
#[server(name = ApproveAssessment, prefix = "/api", endpoint = "assessment/approve")]
pub async fn approve_assessment(
    id: i64,
    level: String,
    version: i32,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let step = crate::domain::AssessmentMove::Approve;
    decide(id, version, step, Some(level), reason).await
}

/// The official submits their self-assessment (draft or returned → self-assessed).
#[server(name = SubmitSelfAssessment, prefix = "/api", endpoint = "assessment/submit")]
pub async fn submit_self_assessment(id: i64, version: i32) -> Result<(), AppError> {
    let step = crate::domain::AssessmentMove::SubmitSelf;
    decide(id, version, step, None, String::new()).await
}

/// Returns an assessment for revision, with a reason the official sees.
#[server(name = ReturnAssessment, prefix = "/api", endpoint = "assessment/return")]
pub async fn return_assessment(id: i64, version: i32, reason: String) -> Result<(), AppError> {
    let step = crate::domain::AssessmentMove::Return;
    decide(id, version, step, None, reason).await
}

/// One decision on an assessment by the signed-in caller, through the service.
#[cfg(feature = "ssr")]
async fn decide(
    id: i64,
    version: i32,
    step: crate::domain::AssessmentMove,
    level: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use crate::ssr::service::assessments::{Decision, decide};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = Decision {
        assessment_id: id,
        version,
        step,
        level,
        reason,
    };
    let submitted = step == crate::domain::AssessmentMove::SubmitSelf;
    let saved = decide(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed(if submitted { "submitted" } else { "decision" }, saved)
}
