//! The page frame: header with product name, navigation and language switch; footer.

use leptos::prelude::*;
use leptos_router::components::A;

use super::lang_switch::LangSwitch;
use crate::i18n::{t, t_string, use_i18n};

/// Wraps every page in the common header, navigation and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"▮"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            <nav class="mainnav" aria-label=move || t_string!(i18n, nav_main)>
                <A href="/">{t!(i18n, nav_home)}</A>
            </nav>
            <LangSwitch />
        </header>
        <main id="main">{children()}</main>
        <footer class="footer">{t!(i18n, footer)}</footer>
    }
}
