//! Server functions, one module per resource. Each is a public URL: it checks the caller,
//! loads through `ssr::repo`, applies `domain` rules and returns DTOs from [`dto`].

pub mod admin;
pub mod assessments;
pub mod compare;
pub mod dto;
pub mod org;
pub mod people;
pub mod queue;
pub mod uploads;

/// A form posted without JavaScript sees a server function's result only through the page it
/// is sent back to: such a post is sent to `page`, which shows the result from its address.
#[cfg(feature = "ssr")]
pub(crate) fn show_plain_form_at(page: &str) {
    if posted_plainly().is_some() {
        leptos_axum::redirect(page);
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
