//! The public results of units (`/public`, `/public/units/{code}`): for citizens, with no
//! sign-in and no JavaScript — plain HTML from [`app::ssr::service::public`], in the language of
//! the language cookie. Every page is kept for a minute, in this process and by any cache on
//! the way (`Cache-Control: public`), and each client address is rate limited.

use std::sync::Arc;

use app::domain::publish::{MIN_RATED, Trend};
use app::error::AppError;
use app::ssr::cache::Versioned;
use app::ssr::charts::Chart;
use app::ssr::import::messages::{Lang, tr};
use app::ssr::repo::public::Listed;
use app::ssr::service::public::{self, UnitList, UnitResults};
use app::ssr::state::AppState;
use axum::{
    extract::{Extension, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;

use crate::api::Limits;
use crate::html::{cookie_lang, escape, lang_code};
use app::ssr::auth::Client;

/// Seconds a page is kept, here and by caches on the way.
pub const KEEP_SECONDS: i64 = 60;
/// Pages kept in memory at most (each a few tens of kilobytes).
const KEPT_PAGES: usize = 2_000;

/// The public pages' rate limit per client address and the pages kept.
#[derive(Debug)]
pub struct Public {
    limits: Arc<Limits>,
    pages: Versioned<(String, Lang), String>,
}

impl Public {
    /// `per_second` requests a second for each client address, bursts of twice that.
    pub fn new(per_second: std::num::NonZeroU32) -> Arc<Self> {
        Arc::new(Public {
            limits: Limits::new(per_second),
            pages: Versioned::new(KEPT_PAGES),
        })
    }
}

/// `?page=` of a unit's list of units.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u64>,
}

/// `GET /public`: the provinces and cities, and what the pages publish.
pub async fn index(
    State(state): State<AppState>,
    Extension(public): Extension<Arc<Public>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
) -> Response {
    let lang = cookie_lang(&headers);
    serve(&public, &client, lang, "/public".into(), async {
        let roots = public::roots(&state.db).await?;
        Ok(index_page(lang, &roots))
    })
    .await
}

/// `GET /public/units/{code}`: one unit's results, and the units under it.
pub async fn unit(
    State(state): State<AppState>,
    Extension(public): Extension<Arc<Public>>,
    Extension(client): Extension<Client>,
    Path(code): Path<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = cookie_lang(&headers);
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let key = format!("/public/units/{}?page={page}", encode(&code));
    serve(&public, &client, lang, key.clone(), async {
        let today = chrono::Utc::now().date_naive();
        let results = public::unit(&state.db, &code, page, today, lang).await?;
        Ok(unit_page(lang, &key, &results))
    })
    .await
}

/// Answers from the pages kept this minute, else renders and keeps the page; refuses an
/// address over its rate.
async fn serve(
    public: &Public,
    client: &Client,
    lang: Lang,
    key: String,
    render: impl Future<Output = Result<String, AppError>>,
) -> Response {
    if let Err(wait) = public.limits.check(format!("public:{}", client.ip)) {
        let body = message_page(lang, &key, "public_rate_limited");
        let mut response = (StatusCode::TOO_MANY_REQUESTS, Html(body)).into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return response;
    }
    let minute = chrono::Utc::now().timestamp() / KEEP_SECONDS;
    let key = (key, lang);
    if let Some(html) = public.pages.get(&key, minute) {
        return kept(html.as_str().to_owned());
    }
    match render.await {
        Ok(html) => {
            public.pages.put(key, minute, Arc::new(html.clone()));
            kept(html)
        }
        Err(AppError::NotFound) => (
            StatusCode::NOT_FOUND,
            Html(message_page(lang, &key.0, "public_not_found")),
        )
            .into_response(),
        Err(error) => {
            let reference = match &error {
                AppError::Internal { reference } => reference.clone(),
                _ => String::new(),
            };
            tracing::error!(?error, "public page");
            let text = tr(lang, "error_internal", &[("reference", reference)]);
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(document(
                    lang,
                    &key.0,
                    &text,
                    &format!("<p>{}</p>", escape(&text)),
                )),
            )
                .into_response()
        }
    }
}

/// A page that every cache may keep for [`KEEP_SECONDS`], per language cookie.
fn kept(html: String) -> Response {
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={KEEP_SECONDS}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("cookie"));
    response
}

/// A path segment made safe for a URL (unit codes are letters, digits and dashes).
fn encode(segment: &str) -> String {
    app::components::lang_switch::encode_component(segment).replace('/', "%2F")
}

fn t(lang: Lang, key: &str) -> String {
    escape(&tr(lang, key, &[]))
}

fn t_with(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    escape(&tr(lang, key, args))
}

/// The whole document: the public header with the language switch (links that come back to
/// `path`), the body, and the footer saying what is and is not published.
fn document(lang: Lang, path: &str, title: &str, body: &str) -> String {
    let next = app::components::lang_switch::encode_component(path);
    let choice = |code: &str, label: &str| {
        let current = if code == lang_code(lang) {
            " aria-current=\"true\""
        } else {
            ""
        };
        format!(
            "<a class=\"lang-choice\" href=\"/locale/{code}?next={next}\" hreflang=\"{code}\" \
             lang=\"{code}\"{current}>{label}</a>"
        )
    };
    format!(
        "<!DOCTYPE html><html lang=\"{lang_attr}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — {app}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/pkg/thuocdo.css\"></head><body>\
         <header class=\"topbar\"><a class=\"brand\" href=\"/public\"><span class=\"brand-mark\" \
         aria-hidden=\"true\">▮</span><span class=\"brand-name\">{app}</span></a>\
         <nav class=\"mainnav\" aria-label=\"{nav}\"><a href=\"/public\">{results}</a></nav>\
         <div class=\"session\"><div class=\"lang\" role=\"group\" aria-label=\"{switch}\">{vi}{en}</div>\
         <a href=\"/login\">{login}</a></div></header>\
         <main class=\"page public\">{body}</main>\
         <footer class=\"footer\"><p>{privacy}</p><p><a href=\"/api/docs\">{api}</a></p></footer>\
         </body></html>",
        lang_attr = lang_code(lang),
        title = escape(title),
        app = t(lang, "app_name"),
        nav = t(lang, "nav_main"),
        results = t(lang, "public_title"),
        switch = t(lang, "lang_switch_label"),
        vi = choice("vi", "VI"),
        en = choice("en", "EN"),
        login = t(lang, "public_staff_login"),
        privacy = t_with(lang, "public_privacy", &[("min", MIN_RATED.to_string())]),
        api = t(lang, "public_api"),
    )
}

fn message_page(lang: Lang, path: &str, key: &str) -> String {
    let text = tr(lang, key, &[]);
    document(
        lang,
        path,
        &text,
        &format!(
            "<h1>{}</h1><p class=\"empty\">{}</p><p><a href=\"/public\">{}</a></p>",
            t(lang, "public_title"),
            escape(&text),
            t(lang, "public_back")
        ),
    )
}

fn unit_link(unit: &Listed) -> String {
    format!(
        "<a href=\"/public/units/{}\">{}</a>",
        encode(&unit.code),
        escape(&unit.name)
    )
}

fn index_page(lang: Lang, roots: &[Listed]) -> String {
    let mut body = format!(
        "<h1>{}</h1><p class=\"intro\">{}</p>",
        t(lang, "public_title"),
        t(lang, "public_intro")
    );
    if roots.is_empty() {
        body.push_str(&format!(
            "<p class=\"empty\">{}</p>",
            t(lang, "public_no_units")
        ));
    } else {
        body.push_str(&format!(
            "<h2>{}</h2><ul class=\"public-roots\">",
            t(lang, "public_provinces")
        ));
        for root in roots {
            body.push_str(&format!("<li>{}</li>", unit_link(root)));
        }
        body.push_str("</ul>");
    }
    document(lang, "/public", &tr(lang, "public_title", &[]), &body)
}

fn number(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round())
}

/// The source system's name (its code where the translation files have none).
fn source_name(lang: Lang, code: &str) -> String {
    let key = format!("public_source_{code}");
    let name = tr(lang, &key, &[]);
    escape(if name == key { code } else { &name })
}

fn trend_words(lang: Lang, trend: Option<Trend>) -> String {
    trend.map_or_else(String::new, |t| {
        let arrow = match t {
            Trend::Up => "▲",
            Trend::Down => "▼",
            Trend::Flat => "▶",
        };
        format!(
            "<span class=\"trend trend-{}\"><span aria-hidden=\"true\">{arrow}</span> {}</span>",
            match t {
                Trend::Up => "up",
                Trend::Down => "down",
                Trend::Flat => "flat",
            },
            self::t(lang, t.key())
        )
    })
}

/// A chart with its numbers in a table under it (readable without the picture).
fn figure(lang: Lang, chart: &Chart) -> String {
    let head: String = chart
        .table
        .headers
        .iter()
        .map(|h| format!("<th>{}</th>", escape(h)))
        .collect();
    let rows: String = chart
        .table
        .rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<td>{}</td>", escape(c)))
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    format!(
        "<figure class=\"chart-figure\" data-testid=\"chart-{id}\"><div class=\"chart-svg\">{svg}</div>\
         <figcaption>{title}<span class=\"muted\">{desc}</span></figcaption><details><summary>{table}</summary>\
         <div class=\"table-wrap\"><table class=\"table\"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>\
         </details></figure>",
        id = escape(&chart.id),
        svg = chart.svg,
        title = escape(&chart.title),
        desc = escape(&chart.description),
        table = t(lang, "compare_data_table"),
    )
}

fn unit_page(lang: Lang, path: &str, r: &UnitResults) -> String {
    let mut body = String::from("<p class=\"breadcrumb\"><a href=\"/public\">");
    body.push_str(&t(lang, "public_title"));
    body.push_str("</a>");
    if let Some((code, name)) = &r.parent {
        body.push_str(&format!(
            " › <a href=\"/public/units/{}\">{}</a>",
            encode(code),
            escape(name)
        ));
    }
    body.push_str("</p>");
    body.push_str(&format!(
        "<h1>{}</h1><p class=\"intro\">{} · {}</p>",
        escape(&r.unit.name),
        t(lang, &format!("kind_{}", r.unit.kind.code())),
        t_with(
            lang,
            "public_officials",
            &[("count", r.officials.to_string())]
        ),
    ));
    metrics_section(lang, r, &mut body);
    levels_section(lang, r, &mut body);
    if let Some(list) = &r.units {
        units_section(lang, &r.unit, list, &mut body);
    }
    document(lang, path, &r.unit.name, &body)
}

fn metrics_section(lang: Lang, r: &UnitResults, body: &mut String) {
    body.push_str(&format!(
        "<section aria-labelledby=\"metrics\"><h2 id=\"metrics\">{}</h2>",
        t(lang, "public_metrics_title")
    ));
    if r.metrics.is_empty() {
        body.push_str(&format!(
            "<p class=\"empty\">{}</p></section>",
            t(lang, "public_no_metrics")
        ));
        return;
    }
    body.push_str(&format!(
        "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>{}</th><th class=\"num\">{}</th>\
         <th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t(lang, "public_col_metric"),
        t(lang, "public_col_value"),
        t(lang, "public_col_as_of"),
        t(lang, "public_col_trend"),
        t(lang, "public_col_source"),
    ));
    for m in &r.metrics {
        let (value, as_of) = m.latest.map_or((String::new(), String::new()), |(day, v)| {
            (
                if m.unit_of_measure == "%" {
                    format!("{}%", number(v))
                } else {
                    format!("{} / {}", number(v), number(m.max_value))
                },
                day.format("%d/%m/%Y").to_string(),
            )
        });
        body.push_str(&format!(
            "<tr data-metric=\"{key}\"><td>{name}</td><td class=\"num\">{value}</td><td>{as_of}</td>\
             <td>{trend}</td><td>{source}</td></tr>",
            key = escape(&m.key),
            name = escape(&m.name),
            trend = trend_words(lang, m.trend),
            source = source_name(lang, &m.source_system),
        ));
    }
    body.push_str("</tbody></table></div><div class=\"chart-grid\">");
    for chart in r.metrics.iter().filter_map(|m| m.chart.as_ref()) {
        body.push_str(&figure(lang, chart));
    }
    body.push_str("</div></section>");
}

fn levels_section(lang: Lang, r: &UnitResults, body: &mut String) {
    body.push_str(&format!(
        "<section aria-labelledby=\"levels\"><h2 id=\"levels\">{}</h2><p class=\"legend\">{}</p>",
        t(lang, "public_levels_title"),
        t_with(
            lang,
            "public_levels_rule",
            &[("min", MIN_RATED.to_string())]
        ),
    ));
    if r.cycles.is_empty() {
        body.push_str(&format!(
            "<p class=\"empty\">{}</p></section>",
            t(lang, "public_no_cycles")
        ));
        return;
    }
    let names = public::level_names(lang);
    body.push_str(&format!(
        "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>{}</th><th class=\"num\">{}</th>",
        t(lang, "public_cycle"),
        t(lang, "public_col_rated"),
    ));
    for name in &names {
        body.push_str(&format!("<th class=\"num\">{}</th>", escape(name)));
    }
    body.push_str("</tr></thead><tbody>");
    for c in &r.cycles {
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td>",
            escape(&c.label),
            c.rated
        ));
        match c.shares {
            Some(shares) => {
                for share in shares {
                    body.push_str(&format!("<td class=\"num\">{}</td>", percent(share)));
                }
            }
            None => body.push_str(&format!(
                "<td colspan=\"4\" class=\"muted\" data-testid=\"shares-withheld\">{}</td>",
                t_with(
                    lang,
                    "public_shares_withheld",
                    &[("min", MIN_RATED.to_string())]
                )
            )),
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    if let Some(chart) = &r.levels_chart {
        body.push_str(&figure(lang, chart));
    }
    body.push_str("</section>");
}

fn units_section(lang: Lang, unit: &Listed, list: &UnitList, body: &mut String) {
    body.push_str(&format!(
        "<section aria-labelledby=\"units\"><h2 id=\"units\">{}</h2><p class=\"count\">{}</p>\
         <div class=\"table-wrap\"><table class=\"table\" data-testid=\"public-units\"><thead><tr><th>{}</th><th>{}</th>",
        t(lang, "public_units_title"),
        t_with(lang, "public_units_count", &[("count", list.total.to_string())]),
        t(lang, "public_col_unit"),
        t(lang, "public_col_kind"),
    ));
    for column in &list.columns {
        body.push_str(&format!("<th class=\"num\">{}</th>", escape(column)));
    }
    body.push_str("</tr></thead><tbody>");
    for line in &list.lines {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td>",
            unit_link(&line.unit),
            t(lang, &format!("kind_{}", line.unit.kind.code()))
        ));
        for value in &line.values {
            let cell = value.map_or_else(
                || {
                    format!(
                        "<span class=\"muted\">{}</span>",
                        t(lang, "public_no_value")
                    )
                },
                |(v, trend)| format!("{} {}", number(v), trend_words(lang, trend)),
            );
            body.push_str(&format!("<td class=\"num\">{cell}</td>"));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");
    if list.pages > 1 {
        let at = |page: u64, key: &str| {
            format!(
                "<a href=\"/public/units/{}?page={page}#units\">{}</a>",
                encode(&unit.code),
                t(lang, key)
            )
        };
        body.push_str("<nav class=\"pager\">");
        if list.page > 1 {
            body.push_str(&at(list.page - 1, "page_prev"));
        }
        body.push_str(&format!(
            "<span>{}</span>",
            t_with(
                lang,
                "page_of",
                &[
                    ("current", list.page.to_string()),
                    ("pages", list.pages.to_string())
                ]
            )
        ));
        if list.page < list.pages {
            body.push_str(&at(list.page + 1, "page_next"));
        }
        body.push_str("</nav>");
    }
    body.push_str("</section>");
}
