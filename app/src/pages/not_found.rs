//! The 404 page.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// Shown for any unknown path; answers with HTTP 404 on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http_status_not_found());
    }
    let i18n = use_i18n();
    view! {
        <section class="page error-page">
            <h1>"404"</h1>
            <p>{t!(i18n, error_not_found)}</p>
            <p><a href="/">{t!(i18n, error_back_home)}</a></p>
        </section>
    }
}

#[cfg(feature = "ssr")]
fn http_status_not_found() -> axum::http::StatusCode {
    axum::http::StatusCode::NOT_FOUND
}
