//! Translated messages for the keys the server sends back: a form endpoint's `?error=key`,
//! or the `message` of an invalid field.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// The translated text of a known message key.
pub fn known(key: &str) -> Option<AnyView> {
    let i18n = use_i18n();
    Some(match key {
        "password_too_short" => t!(i18n, password_too_short).into_any(),
        "password_too_long" => t!(i18n, password_too_long).into_any(),
        "password_guessable" => t!(i18n, password_guessable).into_any(),
        "password_mismatch" => t!(i18n, password_mismatch).into_any(),
        "password_unchanged" => t!(i18n, password_unchanged).into_any(),
        "setup_link_invalid" => t!(i18n, setup_link_invalid).into_any(),
        "password_wrong" => t!(i18n, password_wrong).into_any(),
        "username_format" => t!(i18n, username_format).into_any(),
        "username_taken" => t!(i18n, username_taken).into_any(),
        "unknown_official" => t!(i18n, unknown_official).into_any(),
        "official_has_account" => t!(i18n, official_has_account).into_any(),
        "cycle_closed" => t!(i18n, cycle_closed).into_any(),
        "cycle_not_started" => t!(i18n, cycle_not_started).into_any(),
        "not_a_number" => t!(i18n, not_a_number).into_any(),
        "value_range" => t!(i18n, value_range).into_any(),
        "confidence_range" => t!(i18n, confidence_range).into_any(),
        "url_scheme" => t!(i18n, url_scheme).into_any(),
        "too_long" => t!(i18n, too_long).into_any(),
        "unknown_level" => t!(i18n, unknown_level).into_any(),
        "reason_required" => t!(i18n, reason_required).into_any(),
        "move_not_allowed" => t!(i18n, move_not_allowed).into_any(),
        "negative" => t!(i18n, negative).into_any(),
        "not_positive" => t!(i18n, not_positive).into_any(),
        "exceeds_limit" => t!(i18n, exceeds_limit).into_any(),
        "required_value" => t!(i18n, required_value).into_any(),
        "out_of_range" => t!(i18n, out_of_range).into_any(),
        "unknown_criterion" => t!(i18n, unknown_criterion).into_any(),
        "unknown_state" => t!(i18n, unknown_state).into_any(),
        "unknown_sort" => t!(i18n, unknown_sort).into_any(),
        "unknown_scheme" => t!(i18n, unknown_scheme).into_any(),
        "kind_not_in_scheme" => t!(i18n, kind_not_in_scheme).into_any(),
        "cycle_exists" => t!(i18n, cycle_exists).into_any(),
        "unknown_unit" => t!(i18n, unknown_unit).into_any(),
        "not_a_date" => t!(i18n, not_a_date).into_any(),
        "weight_range" => t!(i18n, weight_range).into_any(),
        "target_equals_start" => t!(i18n, target_equals_start).into_any(),
        "wrong_direction" => t!(i18n, wrong_direction).into_any(),
        "band_order" => t!(i18n, band_order).into_any(),
        "deadline_before_start" => t!(i18n, deadline_before_start).into_any(),
        "deadline_order" => t!(i18n, deadline_order).into_any(),
        "file_missing" => t!(i18n, file_missing).into_any(),
        "file_too_large" => t!(i18n, file_too_large).into_any(),
        "file_unreadable" => t!(i18n, file_unreadable).into_any(),
        "import_already_written" => t!(i18n, import_already_written).into_any(),
        "import_not_writable" => t!(i18n, import_not_writable).into_any(),
        "not_a_year_cycle" => t!(i18n, not_a_year_cycle).into_any(),
        "no_quota" => t!(i18n, no_quota).into_any(),
        "calibration_locked" => t!(i18n, calibration_locked).into_any(),
        "cycle_not_calibrating" => t!(i18n, cycle_not_calibrating).into_any(),
        "nothing_to_remove" => t!(i18n, nothing_to_remove).into_any(),
        "exception_not_allowed" => t!(i18n, exception_not_allowed).into_any(),
        "over_quota" => t!(i18n, over_quota).into_any(),
        "decided_on_board" => t!(i18n, decided_on_board).into_any(),
        "unknown_rule" => t!(i18n, unknown_rule).into_any(),
        "unknown_kind" => t!(i18n, unknown_kind).into_any(),
        "same_unit" => t!(i18n, same_unit).into_any(),
        _ => return None,
    })
}

/// The translated name of a form field the server refused, if known.
pub fn field_name(field: &str) -> Option<AnyView> {
    let i18n = use_i18n();
    // A general criterion's points, by the criterion's name in the scheme.
    if field.starts_with("criterion.") {
        let lang = super::labels::explain_lang();
        let name = crate::domain::explain::template(field, lang)?;
        return Some(name.to_owned().into_any());
    }
    Some(match field {
        "value" => t!(i18n, field_value).into_any(),
        "confidence" => t!(i18n, field_confidence).into_any(),
        "note" => t!(i18n, field_note).into_any(),
        "evidence_url" => t!(i18n, field_evidence_url).into_any(),
        "reason" => t!(i18n, field_reason).into_any(),
        "level" => t!(i18n, field_level).into_any(),
        "cycle" => t!(i18n, field_cycle).into_any(),
        "state" => t!(i18n, field_state).into_any(),
        "completed" => t!(i18n, field_completed).into_any(),
        "completed_on_quality" => t!(i18n, field_completed_on_quality).into_any(),
        "completed_on_time" => t!(i18n, field_completed_on_time).into_any(),
        "quality_failures" => t!(i18n, field_quality_failures).into_any(),
        "delays" => t!(i18n, field_delays).into_any(),
        "waived_quality_failures" => t!(i18n, field_waived_quality_failures).into_any(),
        "waived_delays" => t!(i18n, field_waived_delays).into_any(),
        "waiver_ref" => t!(i18n, field_waiver_ref).into_any(),
        "group" => t!(i18n, field_group).into_any(),
        "points" => t!(i18n, field_points).into_any(),
        "comment" => t!(i18n, field_comment).into_any(),
        "username" => t!(i18n, login_username).into_any(),
        "display_name" => t!(i18n, accounts_display_name).into_any(),
        "personnel_code" => t!(i18n, col_personnel_code).into_any(),
        "current_password" => t!(i18n, account_current_password).into_any(),
        "new_password" => t!(i18n, account_new_password).into_any(),
        "confirm_password" => t!(i18n, account_confirm_password).into_any(),
        "token" => t!(i18n, field_token).into_any(),
        "q" => t!(i18n, field_q).into_any(),
        "sort" => t!(i18n, field_sort).into_any(),
        "scheme" => t!(i18n, col_scheme).into_any(),
        "period_kind" => t!(i18n, field_period_kind).into_any(),
        "year" => t!(i18n, field_year).into_any(),
        "period_no" => t!(i18n, field_period_no).into_any(),
        "unit" => t!(i18n, field_unit_code).into_any(),
        "job_position" => t!(i18n, field_job_position).into_any(),
        "code" => t!(i18n, field_product_code).into_any(),
        "title" => t!(i18n, field_product_title).into_any(),
        "assigned" => t!(i18n, field_assigned).into_any(),
        "weight" => t!(i18n, field_weight).into_any(),
        "due_on" => t!(i18n, field_due_on).into_any(),
        "pace_lag_percent" => t!(i18n, field_pace_lag_percent).into_any(),
        "not_started_days" => t!(i18n, field_not_started_days).into_any(),
        "check_in_every_days" => t!(i18n, field_check_in_every_days).into_any(),
        "metric_every_days" => t!(i18n, field_metric_every_days).into_any(),
        "grace_days" => t!(i18n, field_grace_days).into_any(),
        "self_due_days" => t!(i18n, field_self_due_days).into_any(),
        "review_late_days" => t!(i18n, field_review_late_days).into_any(),
        "trend_falls" => t!(i18n, field_trend_falls).into_any(),
        "spc_min_points" => t!(i18n, field_spc_min_points).into_any(),
        "spc_run" => t!(i18n, field_spc_run).into_any(),
        "spc_sigmas" => t!(i18n, field_spc_sigmas).into_any(),
        "up_periods" => t!(i18n, field_up_periods).into_any(),
        "up_top_percent" => t!(i18n, field_up_top_percent).into_any(),
        "out_years" => t!(i18n, field_out_years).into_any(),
        "down_years" => t!(i18n, field_down_years).into_any(),
        "down_bottom_percent" => t!(i18n, field_down_bottom_percent).into_any(),
        "rule" => t!(i18n, field_rule).into_any(),
        "objective_title" => t!(i18n, field_objective_title).into_any(),
        "objective_weight" => t!(i18n, field_objective_weight).into_any(),
        "kr_title" => t!(i18n, field_kr_title).into_any(),
        "kr_kind" => t!(i18n, field_kr_kind).into_any(),
        "kr_unit" => t!(i18n, field_kr_unit).into_any(),
        "kr_start" => t!(i18n, field_kr_start).into_any(),
        "kr_target" => t!(i18n, field_kr_target).into_any(),
        "kr_band_low" => t!(i18n, field_kr_band_low).into_any(),
        "kr_band_high" => t!(i18n, field_kr_band_high).into_any(),
        "kr_weight" => t!(i18n, field_kr_weight).into_any(),
        "deadline_self" => t!(i18n, field_deadline_self).into_any(),
        "deadline_review" => t!(i18n, field_deadline_review).into_any(),
        "deadline_approval" => t!(i18n, field_deadline_approval).into_any(),
        "file" => t!(i18n, field_file).into_any(),
        "run" => t!(i18n, field_run).into_any(),
        "reference" => t!(i18n, field_reference).into_any(),
        "official" => t!(i18n, field_official).into_any(),
        "kind" => t!(i18n, field_kind).into_any(),
        "to_unit" => t!(i18n, field_to_unit).into_any(),
        "effective_on" => t!(i18n, field_effective_on).into_any(),
        "rationale" => t!(i18n, field_rationale).into_any(),
        "approved_by" => t!(i18n, field_approved_by).into_any(),
        "max_percent" => t!(i18n, field_max_percent).into_any(),
        "board" => t!(i18n, field_board).into_any(),
        _ => return None,
    })
}

/// A refused field as a sentence: its translated name and the translated message; the
/// generic "invalid data in field …" when either is unknown.
pub fn invalid_field(field: &str, key: &str) -> AnyView {
    let i18n = use_i18n();
    match (field_name(field), known(key)) {
        (Some(name), Some(message)) => view! { {name}": "{message} }.into_any(),
        (None, Some(message)) => message,
        (Some(name), None) => view! { {name}": "{t!(i18n, error_invalid_plain)}}.into_any(),
        // Neither is known: nothing taken from the request is shown.
        (None, None) => t!(i18n, error_invalid_plain).into_any(),
    }
}

/// The message of `key`; an unknown key shows a generic "invalid data" text (never the key:
/// it may come from an address anybody can write).
#[component]
pub fn Message(key: String) -> impl IntoView {
    let i18n = use_i18n();
    known(&key).unwrap_or_else(|| t!(i18n, error_invalid_plain).into_any())
}
