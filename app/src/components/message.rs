//! A translated message for a key sent back by a form endpoint (`?error=key`).

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// The message of `key`; unknown keys show a generic "invalid data" text.
#[component]
pub fn Message(key: String) -> impl IntoView {
    let i18n = use_i18n();
    match key.as_str() {
        "password_too_short" => t!(i18n, password_too_short).into_any(),
        "password_too_long" => t!(i18n, password_too_long).into_any(),
        "password_guessable" => t!(i18n, password_guessable).into_any(),
        "password_mismatch" => t!(i18n, password_mismatch).into_any(),
        "password_unchanged" => t!(i18n, password_unchanged).into_any(),
        "password_wrong" => t!(i18n, password_wrong).into_any(),
        _ => t!(i18n, error_invalid, field = key.clone()).into_any(),
    }
}
