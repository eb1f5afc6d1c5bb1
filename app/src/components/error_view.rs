//! Shows an [`AppError`] to the user, translated.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, use_i18n};

/// A translated, actionable error message.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let message = match error {
        AppError::Unauthorized => t!(i18n, error_unauthorized).into_any(),
        AppError::Forbidden => t!(i18n, error_forbidden).into_any(),
        AppError::NotFound => t!(i18n, error_not_found).into_any(),
        AppError::Conflict => t!(i18n, error_conflict).into_any(),
        AppError::Invalid { field, message } => super::message::invalid_field(&field, &message),
        AppError::Internal { reference } => t!(i18n, error_internal, reference).into_any(),
    };
    view! {
        <div class="alert alert-error" role="alert">
            <strong>{t!(i18n, error_title)}</strong>
            <p>{message}</p>
        </div>
    }
}
