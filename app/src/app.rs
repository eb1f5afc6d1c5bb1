//! The HTML shell, the top-level `<App/>` component and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::components::layout::Layout;
use crate::i18n::{I18nContextProvider, t_string, use_i18n};
use crate::pages::{
    account::AccountPage, accounts::AccountsPage, assessment::AssessmentPage, audit::AuditPage,
    calibration::CalibrationPage, compare::ComparePage, cycles::CyclesPage, home::HomePage,
    login::LoginPage, not_found::NotFoundPage, official::OfficialPage, officials::OfficialsPage,
    queue::QueuePage, setup::SetupPage, unit::UnitPage, upload::UploadPage,
};

/// The name of the cookie that remembers the chosen language (shared with `leptos_i18n`).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The full HTML document rendered by the server for every page. Its inline scripts carry the
/// request's nonce, which the request pipeline also puts in the Content-Security-Policy.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: i18n context, meta tags and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: mark the page once the wasm bundle has taken over.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            // Setting an attribute on <body> cannot fail in a browser.
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <I18nContextProvider
            cookie_name=LOCALE_COOKIE
            ssr_lang_header_getter=crate::components::lang_switch::ignore_accept_language()
        >
            <Stylesheet id="leptos" href="/pkg/thuocdo.css" />
            <AppTitle />
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("officials") view=OfficialsPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("officials"), ParamSegment("id"))
                            view=OfficialPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("assessments"), ParamSegment("id"))
                            view=AssessmentPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("review") view=QueuePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("cycles") view=CyclesPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("compare") view=ComparePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("warnings") view=crate::pages::warnings::WarningsPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("personnel") view=crate::pages::personnel::PersonnelPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("import") view=UploadPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("units"), ParamSegment("id"))
                            view=UnitPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("units"), ParamSegment("id"), StaticSegment("calibration"))
                            view=CalibrationPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("accounts") view=AccountsPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("setup"), ParamSegment("token"))
                            view=SetupPage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// The document title, in the language of the request. Read once, as a plain string: Leptos
/// reads the title again when it writes the page's head, and under load that happened after
/// the page's reactive owner was gone, so a closure over the language signal panicked ("Tried
/// to access a reactive value that has already been disposed") and cut about one page in
/// 1,300 (the product's name is the same in both languages, so nothing follows the switch).
#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    let title = t_string!(i18n, app_name).to_string();
    view! { <Title text=title /> }
}
