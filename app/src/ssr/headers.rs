//! The security headers of every response, and the Content-Security-Policy of pages.

/// The Content-Security-Policy: scripts only from this site (and, for pages, the inline
/// hydration script carrying this response's `nonce`); WebAssembly may compile; nothing may
/// frame the site, forms post only to it.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; {script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The nonce of one page response. The request pipeline draws it, puts it in the request's
/// extensions and writes it into the page's Content-Security-Policy header; the page's inline
/// scripts get the same one through [`provide_page_nonce`]. (Setting the header from inside
/// the render, through Leptos' response options, lost it on some responses.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNonce(pub String);

/// Makes the request's [`PageNonce`] the nonce Leptos writes on its inline scripts. Call it
/// in the context of every page render.
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned());
    if let Some(PageNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// Headers set on every response: (name, value).
pub const STATIC_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Strict-Transport-Security when the site is served over HTTPS only: one year, subdomains.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_forbids_framing_and_allows_wasm_and_the_nonce() {
        let policy = content_security_policy(Some("abc"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("'nonce-abc'"));
        assert!(policy.contains("'wasm-unsafe-eval'"));
        let script = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!script.contains("'unsafe-inline'") && !script.contains("'unsafe-eval'"));
        assert!(!content_security_policy(None).contains("nonce"));
    }
}
