//! `/login` — the sign-in form. It posts to `/login` (a plain form, with or without
//! JavaScript); errors come back in the query string and are shown translated.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{t, use_i18n};

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || query.read().get("error");
    // The name typed before a refused sign-in (never the password).
    let typed_name = query
        .with_untracked(|q| q.get("username"))
        .unwrap_or_default();
    // Only a number is shown: the address is anybody's to write.
    let wait = move || {
        query
            .read()
            .get("wait")
            .and_then(|w| w.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let next = move || {
        query
            .read()
            .get("next")
            .unwrap_or_else(|| "/officials".into())
    };
    view! {
        <section class="page login">
            <h1>{t!(i18n, login_title)}</h1>
            {move || match error().as_deref() {
                Some("invalid") => Some(view! {
                    <div class="alert alert-error" role="alert">{t!(i18n, login_invalid)}</div>
                }.into_any()),
                Some("throttled") => Some(view! {
                    <div class="alert alert-error" role="alert">
                        {t!(i18n, login_throttled, minutes = wait())}
                    </div>
                }.into_any()),
                _ => None,
            }}
            {move || (query.read().get("setup").as_deref() == Some("done")).then(|| view! {
                <div class="alert alert-ok" role="status">{t!(i18n, setup_done)}</div>
            })}
            <form method="post" action="/login" class="form">
                <input type="hidden" name="next" value=next />
                <label for="username">{t!(i18n, login_username)}</label>
                <input id="username" name="username" autocomplete="username" required value=typed_name />
                <label for="password">{t!(i18n, login_password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">{t!(i18n, login_submit)}</button>
            </form>
        </section>
    }
}
