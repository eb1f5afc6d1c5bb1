//! A form posted without JavaScript and refused by its server function comes back to its page
//! with what was typed. Leptos redirects such a post to the page it came from with the refusal
//! in the address (`__path`, `__err`); this layer adds the posted fields
//! ([`app::components::typed::PARAM`]) so that the page fills the form again
//! (`app::components::typed::Typed`); so does a trial whose server function asks for it
//! ([`app::components::typed::KEEP_HEADER`]), so that it can be sent again for real. Fields named for a password, token or secret never
//! travel; a form too large for an address comes back empty, as before.

use app::components::typed::{KEEP_HEADER, PARAM};
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The largest form body read here (a plain post of a server function's form is far smaller).
const MAX_BODY: usize = 64 * 1024;
/// The longest address sent back; past it the fields are left out.
const MAX_LOCATION: usize = 32 * 1024;

/// The layer: reads a plain form post of a server function, and adds its fields to the
/// address it is sent back to when it was refused.
pub async fn layer(request: Request<Body>, next: Next) -> Response {
    if !plain_form_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let path = parts.uri.path().to_owned();
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let kept = response.headers_mut().remove(KEEP_HEADER).is_some();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| with_typed(location, &bytes, kept.then_some(path.as_str())))
        .and_then(|location| HeaderValue::from_str(&location).ok());
    if let Some(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A server function's form posted by a browser without JavaScript: urlencoded, asking for a
/// page, and small.
fn plain_form_post(request: &Request<Body>) -> bool {
    let header = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_LENGTH)
            .parse::<usize>()
            .is_ok_and(|length| length <= MAX_BODY)
}

/// The redirect `location` of a refused post with its fields `body` added (and Leptos' earlier
/// refusals, which it appends to the page's address, removed), and of a post whose server
/// function asked to keep them (`kept`: its path; a trial); after a save that succeeded, the
/// fields of an earlier refusal removed. `None` leaves the address as it is. Fields that
/// would make the address longer than [`MAX_LOCATION`] are left out.
pub fn with_typed(location: &str, body: &[u8], kept: Option<&str>) -> Option<String> {
    let (base, query) = location.split_once('?').unwrap_or((location, ""));
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let last = |name: &str| pairs.iter().rev().find(|(key, _)| key == name).cloned();
    let error = last("__err");
    let path = match (&error, kept) {
        (Some(_), _) => last("__path"),
        (None, Some(kept)) => Some(("__path".to_owned(), kept.to_owned())),
        (None, None) => None,
    };
    let refused = path.is_some();
    if !refused && last(PARAM).is_none() {
        return None;
    }
    let mut kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "__path" | "__err") && key != PARAM)
        .cloned()
        .collect();
    if refused {
        kept.extend(path);
        kept.extend(error);
    }
    let address = |pairs: &[(String, String)]| {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{query}")
        }
    };
    if refused {
        let fields = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form_urlencoded::parse(body).filter(|(key, _)| !secret(key)))
            .finish();
        let mut with_fields = kept.clone();
        with_fields.push((PARAM.to_owned(), fields));
        let location = address(&with_fields);
        if location.len() <= MAX_LOCATION {
            return Some(location);
        }
    }
    Some(address(&kept))
}

/// A field that must not travel in an address.
fn secret(name: &str) -> bool {
    let name = name.to_lowercase();
    ["password", "token", "secret"]
        .iter()
        .any(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_of(location: &str) -> Vec<(String, String)> {
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn a_refusal_carries_the_fields_and_only_the_last_refusal() {
        let location = "http://x/officials/3?tab=2&__path=%2Fapi%2Fa&__err=old\
                        &__typed=reason%3Dold&__path=%2Fapi%2Fb&__err=new";
        let body = b"id=7&reason=l%C3%BD+do&new_password=x&token=t";
        let back = with_typed(location, body, None).expect("rewritten");
        assert!(back.starts_with("http://x/officials/3?"));
        let pairs = query_of(&back);
        let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["tab", "__path", "__err", PARAM]);
        assert_eq!(pairs[1].1, "/api/b");
        assert_eq!(pairs[2].1, "new");
        assert_eq!(pairs[3].1, "id=7&reason=l%C3%BD+do");
    }

    #[test]
    fn a_success_drops_earlier_fields_and_leaves_other_addresses_alone() {
        let back = with_typed("/officials/3?saved=x&__typed=reason%3Dold", b"id=7", None);
        assert_eq!(back.as_deref(), Some("/officials/3?saved=x"));
        assert_eq!(with_typed("/officials/3?saved=x", b"id=7", None), None);
        assert_eq!(with_typed("/officials/3", b"id=7", None), None);
    }

    #[test]
    fn a_trial_kept_comes_back_with_its_fields_under_its_own_path() {
        let back = with_typed(
            "/cycles?matched=3&trial=true",
            b"unit=X&dry_run=true",
            Some("/api/a"),
        );
        assert_eq!(
            back.as_deref(),
            Some(
                "/cycles?matched=3&trial=true&__path=%2Fapi%2Fa&__typed=unit%3DX%26dry_run%3Dtrue"
            )
        );
    }

    #[test]
    fn a_form_too_large_for_an_address_comes_back_without_its_fields() {
        let body = format!("reason={}", "%C3%BD".repeat(4000));
        let back = with_typed(
            "/a?__path=%2Fapi%2Fb&__err=e&__typed=old",
            body.as_bytes(),
            None,
        );
        assert_eq!(back.as_deref(), Some("/a?__path=%2Fapi%2Fb&__err=e"));
    }
}
