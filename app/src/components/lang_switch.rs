//! The language switch. Without JavaScript each choice is a link to `/locale/{code}` (a server
//! route that sets the language cookie and redirects back); once hydrated, a click switches the
//! language in place without reloading the page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_use::UseLocalesOptions;

use crate::i18n::{Locale, t, t_string, use_i18n};

/// Locale detection options that ignore the browser's `Accept-Language`: Thước đo is Vietnamese
/// by default and switches only when the user chooses (remembered in a cookie).
pub fn ignore_accept_language() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

/// Percent-encodes a path-and-query so it can travel in the `next` query parameter.
pub fn encode_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The two language links; the current one is marked with `aria-current`.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let next = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let choice = move |locale: Locale, label: &'static str| {
        view! {
            <a
                href=move || format!("/locale/{locale}?next={}", encode_component(&next()))
                rel="external"
                hreflang=locale.to_string()
                lang=locale.to_string()
                class="lang-choice"
                aria-current=move || (i18n.get_locale() == locale).then_some("true")
                on:click=move |ev| {
                    ev.prevent_default();
                    i18n.set_locale(locale);
                }
            >
                {label}
            </a>
        }
    };
    view! {
        <div class="lang" role="group" aria-label=move || t_string!(i18n, lang_switch_label)>
            {choice(Locale::vi, "VI")}
            {choice(Locale::en, "EN")}
            <span class="visually-hidden">{t!(i18n, lang_switch_label)}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn encode_component_keeps_paths_and_escapes_queries() {
        assert_eq!(encode_component("/units"), "/units");
        assert_eq!(
            encode_component("/?kind=agency&q=Phong Điền"),
            "/%3Fkind%3Dagency%26q%3DPhong%20%C4%90i%E1%BB%81n"
        );
    }
}
