//! The router: operational endpoints, the language switch, server functions and the Leptos
//! pages, wrapped in request-id and tracing layers.

use app::app::{App, LOCALE_COOKIE, shell};
use app::ssr::state::AppState;
use axum::{
    Router,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderValue, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use serde::Deserialize;
use std::sync::OnceLock;
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

/// How the server meets its clients: whether a proxy tells their addresses, and the public
/// pages' rate per address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Http {
    /// Take the client address from the last `X-Forwarded-For` entry.
    pub trust_proxy: bool,
    /// Requests a second each client address may make to the public pages.
    pub public_per_second: std::num::NonZeroU32,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            trust_proxy: false,
            public_per_second: crate::config::PUBLIC_PER_SECOND,
        }
    }
}

/// Builds the complete application router.
pub fn router(state: AppState, http: Http) -> Router {
    let trust_proxy = http.trust_proxy;
    let routes = route_list();
    let context_state = state.clone();
    let leptos_options = state.leptos_options.clone();
    let request_id_header = header::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/locale/{code}", get(set_locale))
        .route("/login", post(crate::account::login))
        .route("/logout", post(crate::account::logout))
        .route("/account/password", post(crate::account::change_password))
        .route("/setup", post(crate::account::setup_password))
        .route(
            "/import/upload",
            post(crate::account::upload_work).layer(axum::extract::DefaultBodyLimit::max(
                app::ssr::service::uploads::MAX_BYTES + 64 * 1024,
            )),
        )
        .merge(api_routes())
        .merge(public_routes(http.public_per_second))
        .route("/export/chart/{file}", get(crate::account::export_chart))
        .route(
            "/export/classification",
            get(crate::account::export_classification),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            page_context(context_state.clone()),
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context(state.clone()), shell))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(crate::typed_back::layer))
        .layer(axum::middleware::from_fn_with_state(
            crate::security::Security {
                state: state.clone(),
                trust_proxy,
                sessions: Default::default(),
            },
            crate::security::layer,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    request_id_header.clone(),
                    MakeRequestUuid,
                ))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                        let request_id = request
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = %request.uri().path(),
                            request_id = %request_id,
                        )
                    }),
                )
                .layer(PropagateRequestIdLayer::new(request_id_header)),
        )
        .with_state(state)
}

/// The JSON API for other systems and its description, under the API's rate limits.
fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/metrics", get(crate::api::list_metrics))
        .route(
            "/api/v1/metric-values",
            post(crate::api::post_values)
                .layer(axum::extract::DefaultBodyLimit::max(crate::api::MAX_BODY)),
        )
        .route("/api/openapi.json", get(crate::api::openapi))
        .route("/api/docs", get(crate::api_docs::page))
        .layer(axum::Extension(crate::api::Limits::new(
            crate::api::REQUESTS_PER_SECOND,
        )))
}

/// The public results of units, under their own rate limit.
fn public_routes(per_second: std::num::NonZeroU32) -> Router<AppState> {
    Router::new()
        .route("/public", get(crate::public::index))
        .route("/public/units/{code}", get(crate::public::unit))
        .layer(axum::Extension(crate::public::Public::new(per_second)))
}

/// The pages' routes, generated once per process. Generating them renders the application
/// with the loading of every resource of the process suspended (Leptos' `SuppressResourceLoad`
/// is one global flag): a second generation while pages render — several servers in one
/// process, as the tests run them — left those pages waiting forever.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The context of every page render: the application state, and the request's CSP nonce.
fn page_context(state: AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        app::ssr::headers::provide_page_nonce();
    }
}

/// Liveness: the process is up and answering.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers a query.
async fn readyz(State(state): State<AppState>) -> Response {
    match app::ssr::db::ping(&state.db).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Gives a failed server function the status that names its error. Leptos answers every
/// server function error with 500 and the [`AppError`](app::error::AppError) as JSON (marked
/// by the `serverfnerror` header); clients and logs should see 401, 403, 404, 400 or 409.
async fn server_fn_status(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = crate::account::status_of(&error);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[derive(Debug, Deserialize)]
struct LocaleQuery {
    next: Option<String>,
}

/// The language switch without JavaScript: remembers the language in a cookie and sends the
/// user back to the page they were on (only local paths are accepted).
async fn set_locale(Path(code): Path<String>, Query(query): Query<LocaleQuery>) -> Response {
    if !matches!(code.as_str(), "vi" | "en") {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    }
    let next = crate::account::local_path(query.next.as_deref());
    let cookie = format!("{LOCALE_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    match (HeaderValue::from_str(&cookie), HeaderValue::from_str(&next)) {
        (Ok(cookie), Ok(location)) => {
            headers.insert(header::SET_COOKIE, cookie);
            headers.insert(header::LOCATION, location);
            response
        }
        _ => (StatusCode::BAD_REQUEST, "invalid redirect").into_response(),
    }
}
