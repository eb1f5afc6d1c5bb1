//! Form endpoints that work with and without JavaScript: sign-in, sign-out, password change,
//! setting a password through a one-time link, uploading a file of work to assign (each
//! answers with a redirect), and the classification export download.

use app::ssr::auth::{self, Client, CurrentUser, LoginOutcome, guard::Caller, session};
use app::ssr::state::AppState;
use axum::{
    Extension, Form,
    extract::{Multipart, Query, State, multipart::MultipartRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use app::error::AppError;

/// A 303 redirect to a local path, optionally setting a cookie.
fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, location);
    }
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `next` if it is a local path, else `/`.
pub fn local_path(next: Option<&str>) -> String {
    next.and_then(app::domain::text::local_path)
        .unwrap_or("/")
        .to_owned()
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The HTTP status that names an error.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
        AppError::Conflict => StatusCode::CONFLICT,
        AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error response (internal causes were logged with their reference).
fn failure(error: AppError) -> Response {
    (status_of(&error), error.to_string()).into_response()
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: signs in and goes to `next`; on failure back to the form with a generic
/// message (or the wait when rate limited).
pub async fn login(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = local_path(form.next.as_deref());
    let previous = user.map(|Extension(u)| u.session_id);
    let outcome = auth::login(
        &state.db,
        state.auth,
        &form.username,
        &form.password,
        previous.as_deref(),
        &client,
        chrono::Utc::now(),
    )
    .await;
    let back = |error: &str| {
        format!(
            "/login?error={error}&next={}&username={}",
            encode(&next),
            encode(&form.username.chars().take(64).collect::<String>())
        )
    };
    match outcome {
        Ok(LoginOutcome::SignedIn { token }) => see_other(
            &next,
            Some(session::cookie(Some(&token), state.auth.cookie_secure)),
        ),
        Ok(LoginOutcome::Invalid) => see_other(&back("invalid"), None),
        Ok(LoginOutcome::Throttled { retry_after }) => {
            let minutes = (retry_after + 59) / 60;
            see_other(&format!("{}&wait={minutes}", back("throttled")), None)
        }
        Err(error) => failure(error),
    }
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
) -> Response {
    if let Some(Extension(user)) = user
        && let Err(error) = auth::logout(&state.db, &user, &client, chrono::Utc::now()).await
    {
        return failure(error);
    }
    see_other(
        "/login",
        Some(session::cookie(None, state.auth.cookie_secure)),
    )
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// `POST /account/password`: changes the password and ends the account's other sessions.
pub async fn change_password(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(Extension(user)) = user else {
        return see_other("/login?next=/account", None);
    };
    let result = auth::change_password(
        &state.db,
        state.auth,
        &user,
        &form.current_password,
        &form.new_password,
        &form.confirm_password,
        &client,
        chrono::Utc::now(),
    )
    .await;
    answer(result, "/account", |ended| {
        format!("/account?changed={ended}")
    })
}

/// The redirect answering a form: on to `done`'s path, or back to `form_page` with the refused
/// field and its message, or the error itself.
fn answer<T>(
    result: Result<T, AppError>,
    form_page: &str,
    done: impl FnOnce(T) -> String,
) -> Response {
    match result {
        Ok(value) => see_other(&done(value), None),
        Err(AppError::Invalid { field, message }) => {
            see_other(&format!("{form_page}?error={message}&field={field}"), None)
        }
        Err(error) => failure(error),
    }
}

#[derive(Debug, Deserialize)]
pub struct SetupForm {
    token: String,
    new_password: String,
    confirm_password: String,
}

/// `POST /setup`: sets a password through a one-time link, then on to the sign-in page; on a
/// refusal back to the link's page with the message and the field.
pub async fn setup_password(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    Form(form): Form<SetupForm>,
) -> Response {
    let result = auth::setup::complete(
        &state.db,
        state.auth.hashing,
        &form.token,
        &form.new_password,
        &form.confirm_password,
        &client,
        chrono::Utc::now(),
    )
    .await;
    // Only a token's shape goes back into the address.
    let token = Some(form.token.as_str())
        .filter(|t| app::api::dto::is_token(t))
        .unwrap_or("-");
    answer(result, &format!("/setup/{token}"), |_| {
        "/login?setup=done".into()
    })
}

/// `POST /import/upload` (a multipart form with `file`): checks the file by a dry run and shows
/// its report on `/import?run=ID`; a refusal goes back to `/import` with the message and the
/// field (`service::uploads`).
pub async fn upload_work(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    use app::ssr::service::uploads;
    let Some(Extension(user)) = user else {
        return see_other("/login?next=/import", None);
    };
    let caller = Caller {
        state: state.clone(),
        user,
        client,
    };
    let result = match read_file(form).await {
        Ok(file) => {
            uploads::upload(&state.db, &caller.service_actor(), file, chrono::Utc::now()).await
        }
        Err(error) => Err(error),
    };
    answer(result, "/import", |id| format!("/import?run={id}"))
}

/// The form's `file` part (the browser sends the file's name without its folder).
async fn read_file(
    form: Result<Multipart, MultipartRejection>,
) -> Result<app::ssr::service::uploads::Upload, AppError> {
    let refused = |key: &str| AppError::Invalid {
        field: "file".into(),
        message: key.into(),
    };
    let unread = |error: axum::extract::multipart::MultipartError| match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => refused("file_too_large"),
        _ => refused("file_unreadable"),
    };
    let mut form = form.map_err(|_| refused("file_missing"))?;
    while let Some(field) = form.next_field().await.map_err(unread)? {
        if field.name() == Some("file") {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(unread)?.to_vec();
            return Ok(app::ssr::service::uploads::Upload { file_name, bytes });
        }
    }
    Err(refused("file_missing"))
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    unit: String,
    cycle: String,
    format: Option<String>,
    /// One official's personnel code: their line only (in PDF, their form).
    official: Option<String>,
}

/// `GET /export/classification?unit=CODE&cycle=CODE&format=xlsx|csv|pdf[&official=CODE]`: the
/// classification list of a unit (or one official's line, in PDF their form), for whoever may
/// export that unit.
pub async fn export_classification(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let Some(Extension(user)) = user else {
        return failure(AppError::Unauthorized);
    };
    let caller = Caller {
        state: state.clone(),
        user,
        client,
    };
    match export(&caller, &query).await {
        Ok((content_type, file_name, bytes)) => attachment(content_type, &file_name, bytes),
        Err(error) => failure(error),
    }
}

/// A file to download.
fn attachment(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct ChartQuery {
    /// For a unit dashboard's chart.
    unit: Option<String>,
    /// For an official's trend.
    official: Option<String>,
    cycle: Option<String>,
    kind: Option<String>,
    parent: Option<String>,
    page: Option<String>,
    #[serde(default)]
    en: bool,
}

/// `GET /export/chart/{id}.svg|.csv?cycle=…&kind=…&parent=…` (the units comparison),
/// `?unit=…&cycle=…` (a unit's dashboard) or `?official=…` (an official's page): the chart
/// `id` of that page as SVG, or its numbers as CSV, for whoever may see the page.
pub async fn export_chart(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    user: Option<Extension<CurrentUser>>,
    axum::extract::Path(file): axum::extract::Path<String>,
    Query(query): Query<ChartQuery>,
) -> Response {
    use app::domain::explain::Lang;
    use app::domain::vocab::UnitKind;
    use app::ssr::service::compare::{self, Request, units};
    use chrono::Utc;
    let Some(Extension(user)) = user else {
        return failure(AppError::Unauthorized);
    };
    let Some((id, extension)) = file.rsplit_once('.') else {
        return failure(AppError::NotFound);
    };
    let request = Request {
        cycle: query.cycle.filter(|c| !c.is_empty()),
        kind: query.kind.as_deref().and_then(UnitKind::from_code),
        parent: query.parent.and_then(|p| p.parse().ok()),
        page: query.page.and_then(|p| p.parse().ok()).unwrap_or(1),
    };
    let lang = if query.en { Lang::En } else { Lang::Vi };
    let id_of = |v: Option<String>| v.and_then(|v| v.parse::<i64>().ok());
    let (unit, official) = (id_of(query.unit), id_of(query.official));
    let caller = Caller {
        state: state.clone(),
        user,
        client,
    };
    let actor = caller.service_actor();
    let db = &state.db;
    let drawn = match (unit, official) {
        (Some(unit), _) => compare::unit(
            db,
            &state.caches,
            &actor,
            unit,
            request.cycle,
            lang,
            Utc::now(),
        )
        .await
        .map(|d| d.into_charts()),
        (None, Some(official)) => {
            compare::official(db, &state.caches, &actor, official, lang, Utc::now())
                .await
                .map(|o| (*o).clone().into_charts())
        }
        (None, None) => units(db, &state.caches, &caller.user.principal, request, lang)
            .await
            .map(|c| c.into_charts()),
    };
    let chart = match drawn {
        Ok(charts) => charts.into_iter().find(|c| c.id == id),
        Err(error) => return failure(error),
    };
    match (chart, extension) {
        (Some(chart), "svg") => attachment("image/svg+xml", &file, chart.svg.into_bytes()),
        (Some(chart), "csv") => {
            let table = app::ssr::charts::Table {
                headers: chart.headers,
                rows: chart.rows,
            };
            attachment(
                "text/csv; charset=utf-8",
                &file,
                table.to_csv().into_bytes(),
            )
        }
        _ => failure(AppError::NotFound),
    }
}

async fn export(
    caller: &Caller,
    query: &ExportQuery,
) -> Result<(&'static str, String, Vec<u8>), AppError> {
    use app::ssr::import::messages::Lang;
    use app::ssr::service::exports::{self, Format, Selection};
    let format = Format::from_code(query.format.as_deref().unwrap_or("xlsx"))?;
    let selection = Selection {
        unit: &query.unit,
        cycle: &query.cycle,
        official: query.official.as_deref().filter(|code| !code.is_empty()),
    };
    let exported = exports::classification(
        &caller.state.db,
        &caller.service_actor(),
        selection,
        format,
        Lang::Vi,
        chrono::Utc::now(),
    )
    .await?;
    let (extension, bytes) = (format.extension(), exported.bytes);
    let safe = |code: &str| -> String {
        code.chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect()
    };
    let official = selection
        .official
        .map(|code| format!("-{}", safe(code)))
        .unwrap_or_default();
    let file_name = format!(
        "xep-loai-{}-{}{official}.{extension}",
        safe(&query.unit),
        safe(&query.cycle)
    );
    Ok((format.content_type(), file_name, bytes))
}
