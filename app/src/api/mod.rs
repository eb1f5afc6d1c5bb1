//! Server functions, one module per resource. Each is a public URL: it checks the caller,
//! loads through `ssr::repo`, applies `domain` rules and returns DTOs from [`dto`].

pub mod admin;
pub mod assessments;
pub mod calibration;
pub mod compare;
pub mod dto;
pub mod org;
pub mod people;
pub mod personnel;
pub mod queue;
pub mod uploads;
pub mod warnings;

/// A form posted without JavaScript sees a server function's result only through the page it
/// is sent back to: such a post is sent to `page`, which shows the result from its address.
#[cfg(feature = "ssr")]
pub(crate) fn show_plain_form_at(page: &str) {
    if posted_plainly().is_some() {
        leptos_axum::redirect(page);
    }
}

/// A trial posted without JavaScript: its fields come back with the page that shows its
/// result, so that the form is sent again for real without typing it again.
#[cfg(feature = "ssr")]
pub(crate) fn keep_typed_plainly() {
    use crate::components::typed::KEEP_HEADER;
    let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
    if let (Some(_), Some(response)) = (posted_plainly(), response) {
        response.insert_header(
            http::HeaderName::from_static(KEEP_HEADER),
            http::HeaderValue::from_static("1"),
        );
    }
}

/// After a save posted without JavaScript: back to the page it came from (its path only, never
/// another site), saying which form was saved (`?saved=which`), so that the page confirms it.
#[cfg(feature = "ssr")]
pub(crate) fn confirm_plain_save(which: &str) {
    let Some(parts) = posted_plainly() else {
        return;
    };
    let back = parts
        .headers
        .get(http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<http::Uri>().ok())
        .map(|uri| uri.path().to_owned())
        .filter(|path| path.starts_with('/') && !path.starts_with("//"));
    if let Some(path) = back {
        leptos_axum::redirect(&format!("{path}?saved={which}"));
    }
}

/// A save's answer, confirmed to a form posted without JavaScript when it succeeded
/// ([`confirm_plain_save`]).
#[cfg(feature = "ssr")]
pub(crate) fn confirmed<T>(
    which: &str,
    answer: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if answer.is_ok() {
        confirm_plain_save(which);
    }
    answer
}

/// The request, when it is a form posted without JavaScript (it accepts a page, not data).
#[cfg(feature = "ssr")]
fn posted_plainly() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>().filter(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}
