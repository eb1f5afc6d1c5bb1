//! Pages the server writes without Leptos (the API's description, the public results): the
//! reader's language from the language cookie, and text made safe for HTML.

use app::app::LOCALE_COOKIE;
use app::ssr::import::messages::Lang;
use axum::http::{HeaderMap, header};

/// The language chosen in the cookie the language switch sets; Vietnamese by default.
pub fn cookie_lang(headers: &HeaderMap) -> Lang {
    let english = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .any(|(name, value)| name == LOCALE_COOKIE && value == "en");
    if english { Lang::En } else { Lang::Vi }
}

/// The `lang` attribute of a page in `lang`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// `text` with the characters that mean something in HTML replaced by their entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_chooses_english_and_anything_else_is_vietnamese() {
        let mut headers = HeaderMap::new();
        assert_eq!(cookie_lang(&headers), Lang::Vi);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; i18n_pref_locale=en"),
        );
        assert_eq!(cookie_lang(&headers), Lang::En);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("i18n_pref_locale=fr"),
        );
        assert_eq!(cookie_lang(&headers), Lang::Vi);
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
