//! Thước đo: the Leptos application shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`).
//!
//! Layers, from pure to glue: [`domain`] (scoring formulas, no IO) ← [`api`] (server functions:
//! authorize → repository → domain → DTO) ← [`pages`] and [`components`] (views). The
//! [`ssr`] module holds everything that only exists on the server: state, entities, repositories.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

/// Translations generated at compile time from `app/locales/*.json` (keys checked by the
/// compiler; Vietnamese is the default locale).
#[expect(
    deprecated,
    reason = "the macro is the offline-friendly path; the build.rs generator pulls a networking ICU data source"
)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

/// Browser entry point: attaches the reactive system to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
