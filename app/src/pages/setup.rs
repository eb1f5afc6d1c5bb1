//! `/setup/:token` — the page of a one-time link on which an account's owner sets its
//! password (see `ssr::auth::setup`). The form posts to `POST /setup`, which answers with the
//! sign-in page, or back here with the refusal.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::message::invalid_field;
use crate::i18n::{t, use_i18n};

/// The password setup page.
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    // Only a token's shape goes back into the form: the address is anybody's to write.
    let token = move || {
        params
            .read()
            .get("token")
            .filter(|t| crate::api::dto::is_token(t))
            .unwrap_or_default()
    };
    let refusal = move || {
        let q = query.read();
        let field = q.get("field").unwrap_or_default();
        let invalid_link = token().is_empty();
        let key = if invalid_link {
            Some("setup_link_invalid".to_owned())
        } else {
            q.get("error")
        };
        key.map(|key| {
            view! { <div class="alert alert-error" role="alert">{invalid_field(&field, &key)}</div> }
        })
    };
    view! {
        <section class="page setup">
            <h1>{t!(i18n, setup_title)}</h1>
            {refusal}
            <p>{t!(i18n, setup_intro)}</p>
            <form method="post" action="/setup" class="form">
                <input type="hidden" name="token" value=token />
                <label for="new_password">{t!(i18n, account_new_password)}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="12" maxlength="128" required />
                <label for="confirm_password">{t!(i18n, account_confirm_password)}</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="12" maxlength="128" required />
                <button type="submit">{t!(i18n, setup_submit)}</button>
            </form>
        </section>
    }
}
