//! `/account` — who I am, my roles with their scopes, my sessions (ending the others takes
//! my password again), and the password change form.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use leptos::form::ActionForm;

use crate::api::people::{EndOtherSessions, my_sessions, who_am_i};
use crate::components::error_view::ErrorView;
use crate::components::role_label::RoleLabel;
use crate::components::saves::saves;
use crate::i18n::{t, use_i18n};

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let me = Resource::new(|| (), |()| who_am_i(false));
    let end_others = ServerAction::<EndOtherSessions>::new();
    let ended_count = saves(end_others);
    let sessions = Resource::new(move || ended_count.get(), |_| my_sessions());
    let ended = move || {
        match end_others.value().get() {
        Some(Ok(count)) => Some(
            view! { <div class="alert alert-ok" role="status">{t!(i18n, sessions_ended, count)}</div> }
                .into_any(),
        ),
        Some(Err(error)) => Some(view! { <ErrorView error /> }.into_any()),
        None => None,
    }
    };
    let message = move || {
        let q = query.read();
        // Only a number is shown: the address is anybody's to write.
        if let Some(count) = q.get("changed").and_then(|c| c.parse::<u32>().ok()) {
            return Some(view! {
                <div class="alert alert-ok" role="status">{t!(i18n, account_changed, count)}</div>
            }.into_any());
        }
        q.get("error").map(|key| {
            view! {
                <div class="alert alert-error" role="alert">
                    <crate::components::message::Message key=key />
                </div>
            }
            .into_any()
        })
    };
    view! {
        <section class="page account">
            <h1>{t!(i18n, account_title)}</h1>
            {message}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(me)) => view! {
                            <p class="who"><strong>{me.display_name}</strong>" ("{me.username}")"</p>
                            <h2>{t!(i18n, account_roles)}</h2>
                            <ul class="roles">
                                {me.roles.into_iter().map(|(role, unit)| view! {
                                    <li><RoleLabel code=role />" — "{unit}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(None) => view! { <ErrorView error=crate::error::AppError::Unauthorized /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>{t!(i18n, sessions_title)}</h2>
            {ended}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    sessions.await.ok().map(|rows| view! {
                        <table class="table" data-testid="sessions">
                            <thead><tr>
                                <th>{t!(i18n, sessions_started)}</th><th>{t!(i18n, sessions_last_seen)}</th>
                                <th>{t!(i18n, sessions_ip)}</th><th>{t!(i18n, sessions_browser)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|s| view! {
                                    <tr>
                                        <td>{s.created_at}</td><td>{s.last_seen_at}</td>
                                        <td>{s.ip.unwrap_or_default()}</td><td class="change">{s.user_agent.unwrap_or_default()}</td>
                                        <td>{s.current.then(|| view! { <strong>{t!(i18n, sessions_current)}</strong> })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </Suspense>
            <ActionForm action=end_others attr:class="inline-form" attr:data-testid="end-sessions">
                <label>{t!(i18n, account_current_password)}
                    <input name="current_password" type="password" autocomplete="current-password" required />
                </label>
                <button type="submit">{t!(i18n, sessions_end_others)}</button>
            </ActionForm>
            <h2>{t!(i18n, account_password)}</h2>
            <form method="post" action="/account/password" class="form">
                <label for="current_password">{t!(i18n, account_current_password)}</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
                <label for="new_password">{t!(i18n, account_new_password)}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="12" required />
                <label for="confirm_password">{t!(i18n, account_confirm_password)}</label>
                <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" minlength="12" required />
                <button type="submit">{t!(i18n, account_submit)}</button>
            </form>
        </section>
    }
}
