//! Translated names of stored codes: assessment states and audit actions.

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
        _ => code.into_any(),
    }
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
        "check_in" => t!(i18n, audit_check_in).into_any(),
        "assessment_score" => t!(i18n, audit_assessment_score).into_any(),
        "assessment_approve" => t!(i18n, audit_assessment_approve).into_any(),
        "export" => t!(i18n, audit_export).into_any(),
        "import" => t!(i18n, audit_import).into_any(),
        "seed" => t!(i18n, audit_seed).into_any(),
        _ => code.into_any(),
    }
}
