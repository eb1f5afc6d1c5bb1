//! The request pipeline's security: who the client is, the session behind its cookie,
//! refusal of cross-site writes (Origin / Sec-Fetch-Site), and the security headers.

use app::ssr::auth::{Client, session};
use app::ssr::headers::{HSTS, PageNonce, STATIC_HEADERS, content_security_policy};
use app::ssr::state::AppState;
use axum::{
    body::Body,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

/// What the middleware needs besides the application state.
#[derive(Debug, Clone)]
pub struct Security {
    pub state: AppState,
    /// Read the client address from `X-Forwarded-For` (behind a trusted load balancer).
    pub trust_proxy: bool,
    /// The live sessions this process has seen, kept under the access version.
    pub sessions: Arc<session::Sessions>,
}

/// The client address, user agent and request id of a request.
fn client(headers: &HeaderMap, peer: Option<std::net::SocketAddr>, trust_proxy: bool) -> Client {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let forwarded = trust_proxy
        .then(|| text("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.rsplit(',').next())
        .map(|ip| ip.trim().to_owned())
        .filter(|ip| !ip.is_empty());
    Client {
        ip: forwarded
            .or_else(|| peer.map(|p| p.ip().to_string()))
            .unwrap_or_else(|| "unknown".into()),
        user_agent: text("user-agent").map(str::to_owned),
        request_id: text("x-request-id").map(str::to_owned),
    }
}

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site` says so, or
/// `Origin` names another host than the one addressed. Requests without either header (not
/// from a browser) pass; browsers send at least one on every POST.
pub fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            origin_host != Some(host)
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The middleware: refuses cross-site writes, loads the session, draws the page's CSP nonce
/// (given to Leptos through the request, see [`PageNonce`]), runs the request and adds the
/// security headers.
pub async fn layer(
    State(security): State<Security>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let client = client(request.headers(), peer, security.trust_proxy);
    if cross_site(request.method(), request.headers()) {
        tracing::warn!(ip = %client.ip, path = %request.uri().path(), "cross-site request refused");
        return with_headers(
            (StatusCode::FORBIDDEN, "cross-site request refused").into_response(),
            false,
            security.state.auth.cookie_secure,
        );
    }
    let secure = security.state.auth.cookie_secure;
    let token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| session::token_from_cookies(v, secure))
        .map(str::to_owned);
    let mut signed_in = false;
    if let Some(token) = token {
        match session::load(
            &security.state.db,
            &security.sessions,
            &token,
            chrono::Utc::now(),
        )
        .await
        {
            Ok(Some(user)) => {
                signed_in = true;
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(error) => tracing::error!(?error, "loading the session failed"),
        }
    }
    request.extensions_mut().insert(client);
    let nonce = leptos::nonce::Nonce::new().to_string();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page && let Ok(policy) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    with_headers(response, signed_in, secure)
}

/// Adds the security headers; `https` (the site is served over HTTPS only, as configured by
/// `THUOCDO_COOKIE_SECURE`) adds HSTS for a year.
fn with_headers(mut response: Response, signed_in: bool, https: bool) -> Response {
    let headers = response.headers_mut();
    for (name, value) in STATIC_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    // Pages of a signed-in person are not kept by the browser or by proxies.
    if signed_in && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_origin_posts_pass_and_other_origins_are_refused() {
        let post = Method::POST;
        assert!(!cross_site(
            &post,
            &headers(&[("host", "a.vn"), ("origin", "https://a.vn")])
        ));
        assert!(cross_site(
            &post,
            &headers(&[("host", "a.vn"), ("origin", "https://evil.vn")])
        ));
        assert!(cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(!cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!cross_site(&post, &headers(&[])));
        assert!(!cross_site(
            &Method::GET,
            &headers(&[("origin", "https://evil.vn")])
        ));
    }

    #[test]
    fn the_client_address_comes_from_the_proxy_only_when_trusted() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 10.0.0.9")]);
        let peer = Some(([127, 0, 0, 1], 5000).into());
        assert_eq!(client(&h, peer, true).ip, "10.0.0.9");
        assert_eq!(client(&h, peer, false).ip, "127.0.0.1");
    }
}
