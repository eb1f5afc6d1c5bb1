//! `GET /api/docs`: the API described for people, from the same OpenAPI description that
//! `/api/openapi.json` serves (every path, method and answer listed from it), with the words in
//! the reader's language (the language cookie, Vietnamese by default) from the translation
//! files.

use app::ssr::import::messages::tr;

use crate::html::{cookie_lang, escape, lang_code};
use axum::{
    http::{HeaderMap, header},
    response::{Html, IntoResponse, Response},
};
use utoipa::OpenApi;

/// The page.
pub async fn page(headers: HeaderMap) -> Response {
    let lang = cookie_lang(&headers);
    let t = |key: &str| escape(&tr(lang, key, &[]));
    let spec = crate::api::ApiDoc::openapi();
    let mut body = String::new();
    for (path, item) in &spec.paths.paths {
        let operations = [
            ("GET", item.get.as_ref()),
            ("POST", item.post.as_ref()),
            ("PUT", item.put.as_ref()),
            ("DELETE", item.delete.as_ref()),
        ];
        for (method, operation) in operations {
            let Some(op) = operation else { continue };
            let id = op.operation_id.clone().unwrap_or_default();
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            body.push_str(&format!(
                "<section class=\"card\" id=\"{id}\"><h2><code>{method} {}</code></h2><p>{}</p><p>{}</p>",
                escape(path),
                t(&format!("api_op_{id}")),
                t(&format!("api_op_{id}_desc")),
            ));
            if secured {
                body.push_str(&format!("<p><strong>{}</strong></p>", t("api_docs_bearer")));
            }
            body.push_str(&format!(
                "<h3>{}</h3><table><tbody>",
                t("api_docs_responses")
            ));
            for status in op.responses.responses.keys() {
                body.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td></tr>",
                    escape(status),
                    t(&format!("api_status_{status}")),
                ));
            }
            body.push_str("</tbody></table></section>");
        }
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang_code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — Thước đo</title><link rel=\"stylesheet\" href=\"/pkg/thuocdo.css\"></head>\
         <body><main class=\"page api-docs\"><h1>{title}</h1><p>{intro}</p>\
         <p><a href=\"/api/openapi.json\">{spec_link}</a> · <a href=\"/\">{home}</a></p>\
         {body}<p>{curl}</p></main></body></html>",
        lang_code = lang_code(lang),
        title = t("api_docs_title"),
        intro = t("api_docs_intro"),
        spec_link = t("api_docs_spec"),
        home = t("api_docs_home"),
        curl = t("api_docs_curl"),
    );
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("cookie"));
    response
}
