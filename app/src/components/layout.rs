//! The page frame: header with product name, navigation and language switch; footer.

use leptos::prelude::*;
use leptos_router::components::A;

use super::lang_switch::LangSwitch;
use crate::api::people::who_am_i;
use crate::i18n::{t, t_string, use_i18n};

/// Wraps every page in the common header, navigation and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |()| who_am_i());
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"▮"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            <nav class="mainnav" aria-label=move || t_string!(i18n, nav_main)>
                <A href="/">{t!(i18n, nav_home)}</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().flatten().map(|me| view! {
                            <A href="/officials">{t!(i18n, nav_officials)}</A>
                            {me.can_compare.then(|| view! { <A href="/compare">{t!(i18n, nav_compare)}</A> })}
                            {me.can_audit.then(|| view! { <A href="/audit">{t!(i18n, nav_audit)}</A> })}
                            {me.can_admin.then(|| view! { <A href="/accounts">{t!(i18n, nav_accounts)}</A> })}
                        })
                    })}
                </Transition>
            </nav>
            <div class="session">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await.ok().flatten() {
                            Some(me) => view! {
                                <a href="/account" class="who" data-testid="who">{me.display_name}</a>
                                <form method="post" action="/logout" class="logout">
                                    <button type="submit">{t!(i18n, nav_logout)}</button>
                                </form>
                            }.into_any(),
                            None => view! { <a href="/login">{t!(i18n, nav_login)}</a> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
            <LangSwitch />
        </header>
        <main id="main">{children()}</main>
        <footer class="footer">{t!(i18n, footer)}</footer>
    }
}
