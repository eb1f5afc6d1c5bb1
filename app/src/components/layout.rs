//! The page frame: header with product name, navigation and language switch; footer.

use leptos::prelude::*;
use leptos_router::components::A;

use super::lang_switch::LangSwitch;
use crate::api::dto::Me;
use crate::api::people::who_am_i;
use crate::i18n::{t, t_string, use_i18n};

/// Wraps every page in the common header, navigation and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    super::typed::Resent::provide();
    let me = Resource::new(|| (), |()| who_am_i(true));
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"▮"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            // One boundary reads the signed-in person for the navigation and the session
            // links alike.
            <Transition fallback=move || signed_in(None)>
                {move || Suspend::new(async move { signed_in(me.await.ok().flatten()) })}
            </Transition>
            <LangSwitch />
        </header>
        <main id="main">{children()}</main>
        <footer class="footer">
            <p>{t!(i18n, footer)}</p>
            <p><a href="/public" rel="external">{t!(i18n, public_title)}</a></p>
        </footer>
    }
}

/// The navigation and the session links of `me` (or of nobody signed in).
fn signed_in(me: Option<Me>) -> impl IntoView {
    let i18n = use_i18n();
    let links = me.as_ref().map(|me| {
        view! {
            <A href="/officials">{t!(i18n, nav_officials)}</A>
            <A href="/warnings">{t!(i18n, nav_warnings)}</A>
            {me.can_review.then(|| view! { <A href="/review">{t!(i18n, nav_queue)}</A> })}
            {me.can_compare.then(|| view! { <A href="/compare">{t!(i18n, nav_compare)}</A> })}
            {me.can_decide.then(|| view! { <A href="/personnel">{t!(i18n, nav_personnel)}</A> })}
            {me.can_audit.then(|| view! { <A href="/audit">{t!(i18n, nav_audit)}</A> })}
            {me.can_admin.then(|| view! { <A href="/accounts">{t!(i18n, nav_accounts)}</A> })}
            {me.can_admin.then(|| view! { <A href="/cycles">{t!(i18n, nav_cycles)}</A> })}
        }
    });
    let session = match me {
        Some(me) => view! {
            <a href="/account" class="who" data-testid="who">{me.display_name}</a>
            <form method="post" action="/logout" class="logout">
                <button type="submit">{t!(i18n, nav_logout)}</button>
            </form>
        }
        .into_any(),
        None => view! { <a href="/login">{t!(i18n, nav_login)}</a> }.into_any(),
    };
    view! {
        <nav class="mainnav" aria-label=move || t_string!(i18n, nav_main)>
            <A href="/">{t!(i18n, nav_home)}</A>
            {links}
        </nav>
        <div class="session">{session}</div>
    }
}
