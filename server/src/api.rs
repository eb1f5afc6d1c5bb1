//! The JSON API for other systems (`/api/v1/…`): the metric catalogue, and metric values fed
//! by an integration with its bearer token. Described by OpenAPI 3.1 ([`ApiDoc`], served at
//! `/api/openapi.json` and readable at `/api/docs`), derived from these handlers and types so
//! the description cannot drift from the code. Handlers only translate HTTP to
//! [`service::feeds`](app::ssr::service::feeds) and back; errors are JSON with a message key
//! and its text in the caller's language.

use app::domain::feeds::{Item, ItemError};
use app::error::AppError;
use app::ssr::auth::Client;
use app::ssr::import::messages::{Lang, tr};
use app::ssr::service::feeds;
use app::ssr::state::AppState;
use axum::{
    Extension, Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;
use std::sync::Arc;
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

/// Requests a second each client address and each integration may make (bursts of twice).
pub const REQUESTS_PER_SECOND: NonZeroU32 = NonZeroU32::new(50).expect("50 is not zero");

/// The largest request body taken: 50,000 values of about 100 bytes.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Thước đo API",
        version = "1",
        description = "Metric values fed by other systems (the one-stop system, the public-service portal, satisfaction surveys) into Thước đo. Each integration is created by an administrator for some units and authenticates with its bearer token."
    ),
    paths(list_metrics, post_values),
    modifiers(&BearerToken),
    tags((name = "metrics", description = "The metric catalogue and its values"))
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "integration",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The integration's token, `tdk_<id>_<64 hex digits>`, shown once when an administrator creates it",
                    ))
                    .build(),
            ),
        );
    }
}

/// A metric of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Metric {
    /// The key values name it by.
    #[schema(example = "procedures_on_time_rate")]
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    #[schema(example = "%")]
    pub unit_of_measure: String,
    /// `higher` or `lower` is better.
    #[schema(example = "higher")]
    pub direction: String,
    /// How often a value is expected: `daily`, `weekly`, `monthly`, `quarterly`, `yearly`.
    #[schema(example = "monthly")]
    pub frequency: String,
    pub min_value: f64,
    pub max_value: f64,
    /// The system the values come from.
    #[schema(example = "one_stop")]
    pub source_system: String,
}

/// A batch of values.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Values {
    /// From 1 to 50,000 values; the same metric, unit and day at most once.
    pub values: Vec<Value>,
}

/// One value of a metric for a unit on a day.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// A key of the catalogue.
    #[schema(example = "online_rate")]
    pub metric: String,
    /// The unit's code.
    #[schema(example = "HUE-ANCUU")]
    pub unit: String,
    /// The day the value is of, `YYYY-MM-DD`, not after today.
    #[schema(example = "2026-11-30")]
    pub date: String,
    /// Within the metric's `min_value` and `max_value`.
    #[schema(example = 96.4)]
    pub value: f64,
}

/// A batch written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// Values written (a value for the same metric, unit and day replaces the one stored).
    pub accepted: usize,
    /// Key results bound to these metrics whose current value moved.
    pub key_results: usize,
}

/// A batch refused: nothing of it was written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rejected {
    /// One error for each bad value.
    pub errors: Vec<ItemProblem>,
}

/// What is wrong with one value.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemProblem {
    /// The value's place in `values`, from 0.
    pub index: usize,
    /// `metric`, `unit`, `date`, `value` (or `values` for the whole batch).
    pub field: String,
    /// The message key, e.g. `feed_unknown_metric`.
    pub message: String,
    /// The message in the language asked for (`Accept-Language`: `vi`, the default, or `en`).
    pub text: String,
}

/// A request refused as a whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid`, `conflict`, `rate_limited`, `internal`.
    pub error: String,
    /// The message in the language asked for.
    pub text: String,
}

/// The rate limits of the API: per client address, and per integration.
#[derive(Debug)]
pub struct Limits {
    by_key: DefaultKeyedRateLimiter<String>,
}

impl Limits {
    /// `per_second` requests a second for each address and each integration, with bursts of
    /// twice that.
    pub fn new(per_second: NonZeroU32) -> Arc<Self> {
        let burst = per_second.saturating_mul(NonZeroU32::MIN.saturating_add(1));
        Arc::new(Limits {
            by_key: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        })
    }

    /// `Err(seconds to wait)` when `key` went over its limit.
    pub fn check(&self, key: String) -> Result<(), u64> {
        self.by_key.check_key(&key).map_err(|not_until| {
            let clock = governor::clock::DefaultClock::default();
            not_until.wait_time_from(clock.now()).as_secs().max(1)
        })
    }
}

fn lang_of(headers: &HeaderMap) -> Lang {
    let asked = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if asked.trim_start().starts_with("en") {
        Lang::En
    } else {
        Lang::Vi
    }
}

fn problem(lang: Lang, status: StatusCode, error: &str, key: &str) -> Response {
    let body = Problem {
        error: error.into(),
        text: tr(lang, key, &[]),
    };
    (status, Json(body)).into_response()
}

fn failure(lang: Lang, error: &AppError) -> Response {
    let status = crate::account::status_of(error);
    let (code, key, args) = match error {
        AppError::Unauthorized => ("unauthorized", "api_unauthorized", vec![]),
        AppError::Forbidden => ("forbidden", "error_forbidden", vec![]),
        AppError::NotFound => ("not_found", "error_not_found", vec![]),
        AppError::Invalid { message, .. } => ("invalid", message.as_str(), vec![]),
        AppError::Conflict => ("conflict", "error_conflict", vec![]),
        AppError::Internal { reference } => (
            "internal",
            "error_internal",
            vec![("reference", reference.clone())],
        ),
    };
    let body = Problem {
        error: code.into(),
        text: tr(lang, key, &args),
    };
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

fn rate_limited(lang: Lang, wait: u64) -> Response {
    let mut response = problem(
        lang,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "api_rate_limited",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    response
}

/// The item errors with their texts, each naming the value and its field.
fn rejected(lang: Lang, errors: Vec<ItemError>) -> Response {
    let errors = errors
        .into_iter()
        .map(|e| {
            let field = tr(lang, &format!("field_{}", e.field), &[]);
            let text = tr(
                lang,
                "feed_item_error",
                &[
                    ("index", e.index.to_string()),
                    ("field", field),
                    ("message", tr(lang, &e.message, &[])),
                ],
            );
            ItemProblem {
                index: e.index,
                field: e.field,
                message: e.message,
                text,
            }
        })
        .collect();
    (StatusCode::UNPROCESSABLE_ENTITY, Json(Rejected { errors })).into_response()
}

/// The metric catalogue.
#[utoipa::path(
    get,
    path = "/api/v1/metrics",
    tag = "metrics",
    operation_id = "list_metrics",
    responses(
        (status = 200, description = "The catalogue, by key", body = Vec<Metric>),
        (status = 429, description = "Too many requests; retry after the seconds in Retry-After", body = Problem),
        (status = 500, description = "A failure on the server, logged with its reference", body = Problem)
    )
)]
pub async fn list_metrics(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<Limits>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    if let Err(wait) = limits.check(format!("ip:{}", client.ip)) {
        return rate_limited(lang, wait);
    }
    match feeds::catalogue(&state.db).await {
        Ok(metrics) => Json(
            metrics
                .into_iter()
                .map(|m| Metric {
                    key: m.key,
                    name_vi: m.name_vi,
                    name_en: m.name_en,
                    unit_of_measure: m.unit_of_measure,
                    direction: m.direction.code().into(),
                    frequency: m.frequency.code().into(),
                    min_value: m.min_value,
                    max_value: m.max_value,
                    source_system: m.source_system,
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(error) => failure(lang, &error),
    }
}

/// Writes a batch of metric values, all or nothing.
///
/// A value for a metric, unit and day already stored replaces it, so sending a batch again
/// changes nothing. The key results bound to these metrics follow their feed's newest value
/// in their cycle, and their owners' assessments are scored again.
#[utoipa::path(
    post,
    path = "/api/v1/metric-values",
    tag = "metrics",
    operation_id = "post_values",
    request_body = Values,
    security(("integration" = [])),
    responses(
        (status = 200, description = "Every value written", body = Accepted),
        (status = 400, description = "The body is not a batch of values as described", body = Problem),
        (status = 401, description = "No token, a wrong one, or a revoked integration", body = Problem),
        (status = 413, description = "The body is larger than 8 MiB"),
        (status = 422, description = "Some values are refused, each named; nothing was written", body = Rejected),
        (status = 429, description = "Too many requests; retry after the seconds in Retry-After", body = Problem),
        (status = 500, description = "A failure on the server, logged with its reference", body = Problem)
    )
)]
pub async fn post_values(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<Limits>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang_of(&headers);
    if let Err(wait) = limits.check(format!("ip:{}", client.ip)) {
        return rate_limited(lang, wait);
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let writer = match feeds::authenticate(&state.db, token, client.request_id.clone()).await {
        Ok(writer) => writer,
        Err(error) => return failure(lang, &error),
    };
    if let Some(id) = writer.client_id
        && let Err(wait) = limits.check(format!("client:{id}"))
    {
        return rate_limited(lang, wait);
    }
    let Ok(Values { values }) = serde_json::from_slice::<Values>(&body) else {
        return problem(lang, StatusCode::BAD_REQUEST, "invalid", "feed_bad_json");
    };
    let items: Vec<Item> = values
        .into_iter()
        .map(|v| Item {
            metric: v.metric,
            unit: v.unit,
            date: v.date,
            value: v.value,
        })
        .collect();
    match feeds::ingest(&state.db, &writer, &items, chrono::Utc::now()).await {
        Ok(report) if report.errors.is_empty() => Json(Accepted {
            accepted: report.accepted,
            key_results: report.key_results,
        })
        .into_response(),
        Ok(report) => rejected(lang, report.errors),
        Err(error) => failure(lang, &error),
    }
}

/// `GET /api/openapi.json`: the description.
pub async fn openapi() -> Response {
    let mut response = Json(ApiDoc::openapi()).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
