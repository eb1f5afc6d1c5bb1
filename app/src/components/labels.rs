//! Translated names of stored codes: assessment states, audit actions, levels, and unit
//! metrics with their statuses.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// The translated name of an assessment state (the code itself when unknown).
#[component]
pub fn StateLabel(code: String) -> impl IntoView {
    let i18n = use_i18n();
    match code.as_str() {
        "draft" => t!(i18n, state_draft).into_any(),
        "self_assessed" => t!(i18n, state_self_assessed).into_any(),
        "reviewed" => t!(i18n, state_reviewed).into_any(),
        "approved" => t!(i18n, state_approved).into_any(),
        "returned" => t!(i18n, state_returned).into_any(),
        _ => code.into_any(),
    }
}

/// The explanation language of the page's locale.
pub fn explain_lang() -> crate::domain::explain::Lang {
    use crate::domain::explain::Lang;
    if use_i18n().get_locale() == crate::i18n::Locale::en {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// A level as its legal code with its full name in the page's language, e.g.
/// `HTTNV — Hoàn thành tốt nhiệm vụ` (never a bare code); empty for `None`.
#[component]
pub fn LevelLabel(level: Option<crate::domain::Level>) -> impl IntoView {
    let lang = explain_lang();
    level.map(|l| {
        let code = l.code();
        let name =
            crate::domain::explain::template(&format!("level.{code}"), lang).unwrap_or_default();
        view! {
            <span class="level" data-level=code>
                <abbr title=name>{code}</abbr>
                <span class="level-name">{name}</span>
            </span>
        }
    })
}

/// The translated name of an audit action (the code itself when unknown).
#[component]
pub fn ActionLabel(code: String) -> impl IntoView {
    let i18n = use_i18n();
    match code.as_str() {
        "login" => t!(i18n, audit_login).into_any(),
        "logout" => t!(i18n, audit_logout).into_any(),
        "login_failed" => t!(i18n, audit_login_failed).into_any(),
        "login_throttled" => t!(i18n, audit_login_throttled).into_any(),
        "password_change" => t!(i18n, audit_password_change).into_any(),
        "sessions_end" => t!(i18n, audit_sessions_end).into_any(),
        "access_denied" => t!(i18n, audit_access_denied).into_any(),
        "account_create" => t!(i18n, audit_account_create).into_any(),
        "grant_role" => t!(i18n, audit_grant_role).into_any(),
        "revoke_role" => t!(i18n, audit_revoke_role).into_any(),
        "account_enable" => t!(i18n, audit_account_enable).into_any(),
        "account_disable" => t!(i18n, audit_account_disable).into_any(),
        "password_setup" => t!(i18n, audit_password_setup).into_any(),
        "setup_link_issued" => t!(i18n, audit_setup_link_issued).into_any(),
        "check_in" => t!(i18n, audit_check_in).into_any(),
        "assessment_score" => t!(i18n, audit_assessment_score).into_any(),
        "assessment_approve" => t!(i18n, audit_assessment_approve).into_any(),
        "assessment_return" => t!(i18n, audit_assessment_return).into_any(),
        "assessment_submit" => t!(i18n, audit_assessment_submit).into_any(),
        "product_update" => t!(i18n, audit_product_update).into_any(),
        "criteria_update" => t!(i18n, audit_criteria_update).into_any(),
        "recompute" => t!(i18n, audit_recompute).into_any(),
        "cycle_advance" => t!(i18n, audit_cycle_advance).into_any(),
        "cycle_create" => t!(i18n, audit_cycle_create).into_any(),
        "cycle_reopen" => t!(i18n, audit_cycle_reopen).into_any(),
        "export" => t!(i18n, audit_export).into_any(),
        "import" => t!(i18n, audit_import).into_any(),
        "seed" => t!(i18n, audit_seed).into_any(),
        "backup" => t!(i18n, audit_backup).into_any(),
        "restore" => t!(i18n, audit_restore).into_any(),
        _ => code.into_any(),
    }
}

/// A metric's status as a badge in the page's language.
#[component]
pub fn MetricStatusLabel(status: crate::domain::metrics::MetricStatus) -> impl IntoView {
    use crate::domain::metrics::MetricStatus;
    let i18n = use_i18n();
    let text = match status {
        MetricStatus::MeetsTarget => t!(i18n, metric_status_meets_target).into_any(),
        MetricStatus::OnTrack => t!(i18n, metric_status_on_track).into_any(),
        MetricStatus::NeedsImprovement => t!(i18n, metric_status_needs_improvement).into_any(),
        MetricStatus::Baseline => t!(i18n, metric_status_baseline).into_any(),
    };
    view! { <span class=format!("status status-{}", status.code())>{text}</span> }
}

/// A unit metric's name in the page's language.
#[component]
pub fn MetricName(key: crate::domain::metrics::MetricKey) -> impl IntoView {
    use crate::domain::metrics::MetricKey;
    let i18n = use_i18n();
    match key {
        MetricKey::OnTime => t!(i18n, metric_on_time).into_any(),
        MetricKey::Online => t!(i18n, metric_online).into_any(),
    }
}

/// A metric's latest value (one decimal) with its status under it; a dash without a value.
#[component]
pub fn MetricCell(value: Option<crate::domain::metrics::MetricValue>) -> impl IntoView {
    match value {
        Some(v) => view! {
            {format!("{:.1}", v.value)}
            <br />
            <MetricStatusLabel status=v.status />
        }
        .into_any(),
        None => "–".into_any(),
    }
}

/// The translated name of a cycle's state.
#[component]
pub fn CycleStateLabel(state: crate::domain::CycleState) -> impl IntoView {
    use crate::domain::CycleState;
    let i18n = use_i18n();
    match state {
        CycleState::Planning => t!(i18n, cycle_state_planning).into_any(),
        CycleState::InProgress => t!(i18n, cycle_state_open).into_any(),
        CycleState::SelfAssessment => t!(i18n, cycle_state_self_assessment).into_any(),
        CycleState::Review => t!(i18n, cycle_state_review).into_any(),
        CycleState::Calibration => t!(i18n, cycle_state_calibration).into_any(),
        CycleState::Closed => t!(i18n, cycle_state_closed).into_any(),
    }
}

/// The translated name of a period kind (`month`, `quarter`, `year`).
#[component]
pub fn PeriodKindLabel(kind: String) -> impl IntoView {
    let i18n = use_i18n();
    match kind.as_str() {
        "month" => t!(i18n, period_month).into_any(),
        "quarter" => t!(i18n, period_quarter).into_any(),
        "year" => t!(i18n, period_year).into_any(),
        _ => kind.into_any(),
    }
}
