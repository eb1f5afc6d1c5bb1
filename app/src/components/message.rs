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
        "password_wrong" => t!(i18n, password_wrong).into_any(),
        "username_format" => t!(i18n, username_format).into_any(),
        "username_taken" => t!(i18n, username_taken).into_any(),
        "unknown_official" => t!(i18n, unknown_official).into_any(),
        "cycle_closed" => t!(i18n, cycle_closed).into_any(),
        _ => return None,
    })
}

/// The message of `key`; unknown keys show a generic "invalid data" text.
#[component]
pub fn Message(key: String) -> impl IntoView {
    let i18n = use_i18n();
    known(&key).unwrap_or_else(|| t!(i18n, error_invalid, field = key.clone()).into_any())
}
