//! `/accounts` — for administrators: the accounts in their scope with their roles; create an
//! account for an official (its owner sets the password through a one-time link shown here
//! once), make a new link for a forgotten password, grant and revoke roles, disable and enable
//! accounts. Forms are server function forms: hydrated, or plain posts without JavaScript
//! (which come back to this page with the link in the address).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{
    CreateAccount, GrantRole, NewSetupLink, RevokeRole, SetAccountActive, accounts_in_scope,
};
use crate::api::dto::{AccountRow, SetupLink, is_token};
use crate::components::error_view::ErrorView;
use crate::components::role_label::RoleLabel;
use crate::components::saves::saves;
use crate::components::typed::Typed;
use crate::domain::access::Role;
use crate::i18n::{t, use_i18n};

/// The actions of the page, shared by its rows.
#[derive(Clone, Copy)]
struct Actions {
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    active: ServerAction<SetAccountActive>,
    link: ServerAction<NewSetupLink>,
}

/// The accounts page.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let create = ServerAction::<CreateAccount>::new();
    let actions = Actions {
        grant: ServerAction::new(),
        revoke: ServerAction::new(),
        active: ServerAction::new(),
        link: ServerAction::new(),
    };
    let saved_counts = (
        saves(create),
        saves(actions.grant),
        saves(actions.revoke),
        saves(actions.active),
    );
    let view_data = Resource::new(
        move || {
            let (a, b, c, d) = saved_counts;
            (q(), a.get(), b.get(), c.get(), d.get())
        },
        |(q, ..)| accounts_in_scope(Some(q)),
    );
    let failure = move || {
        [
            create.value().get().and_then(Result::err),
            actions.grant.value().get().and_then(Result::err),
            actions.revoke.value().get().and_then(Result::err),
            actions.active.value().get().and_then(Result::err),
            actions.link.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|error| view! { <ErrorView error /> })
    };
    // The link just made: the action's answer (with JavaScript), or the address this page was
    // sent back to (without), of which only a token's shape is taken.
    let link_notice = move || {
        let made = [create.value().get(), actions.link.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::ok)
            .or_else(|| {
                let q = query.read();
                let token = q.get("setup").filter(|t| is_token(t))?;
                Some(SetupLink {
                    username: q.get("q").unwrap_or_default(),
                    token,
                })
            });
        made.map(|link| view! { <LinkNotice link /> })
    };
    // As typed, when the new account's form comes back refused.
    let posted = Typed::of::<CreateAccount>();
    view! {
        <section class="page accounts">
            <h1>{t!(i18n, accounts_title)}</h1>
            {failure}
            <h2>{t!(i18n, accounts_create)}</h2>
            {link_notice}
            <ActionForm action=create attr:class="inline-form" attr:data-testid="create-account">
                <label>{t!(i18n, login_username)}<input name="username" required autocomplete="off" maxlength="64" value=posted.or("username", "") /></label>
                <label>{t!(i18n, accounts_display_name)}<input name="display_name" required maxlength="255" value=posted.or("display_name", "") /></label>
                <label>{t!(i18n, col_personnel_code)}<input name="personnel_code" required value=posted.or("personnel_code", "") /></label>
                <button type="submit">{t!(i18n, accounts_create_submit)}</button>
            </ActionForm>
            <p class="hint">{t!(i18n, accounts_link_note)}</p>
            <form method="get" action="/accounts" class="search">
                <label for="accounts-q">{t!(i18n, accounts_search)}</label>
                <input id="accounts-q" type="search" name="q" value=q />
                <button type="submit">{t!(i18n, search_apply)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(data) if data.rows.is_empty() => view! { <p>{t!(i18n, accounts_empty)}</p> }.into_any(),
                        Ok(data) => {
                            let units = StoredValue::new(data.units);
                            view! {
                                <p class="count">{t!(i18n, accounts_count, shown = data.rows.len(), total = data.total)}</p>
                                <table class="table" data-testid="accounts">
                                    <thead><tr>
                                        <th>{t!(i18n, login_username)}</th>
                                        <th>{t!(i18n, accounts_display_name)}</th>
                                        <th>{t!(i18n, col_unit)}</th>
                                        <th>{t!(i18n, accounts_roles)}</th>
                                        <th>{t!(i18n, col_state)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {data.rows.into_iter().map(|row| account_row(row, actions, units)).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn account_row(
    row: AccountRow,
    actions: Actions,
    units: StoredValue<Vec<(i64, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, active, mine) = (row.id, row.version, row.is_active, row.mine);
    let username = row.username.clone();
    let grants = row.grants.into_iter().map(|g| {
        view! {
            <li>
                <RoleLabel code=g.role.clone() />" — "{g.unit_name}
                {(!mine).then(|| view! {
                    <ActionForm action=actions.revoke attr:class="inline">
                        <input type="hidden" name="account_id" value=id />
                        <input type="hidden" name="role" value=g.role.clone() />
                        <input type="hidden" name="unit_id" value=g.unit_id />
                        <button type="submit" class="link-button">{t!(i18n, accounts_revoke)}</button>
                    </ActionForm>
                })}
            </li>
        }
    }).collect_view();
    view! {
        <tr data-username=username>
            <td>{row.username}{row.is_demo.then(|| view! { " " <span class="tag">"demo"</span> })}</td>
            <td>{row.display_name}<br /><small>{row.official.unwrap_or_default()}</small></td>
            <td>{row.unit_name}</td>
            <td>
                <ul class="grants">{grants}</ul>
                {(!mine).then(|| view! {
                    <ActionForm action=actions.grant attr:class="inline-form">
                        <input type="hidden" name="account_id" value=id />
                        <select name="role" aria-label=move || crate::i18n::t_string!(i18n, accounts_role)>
                            {Role::ALL.map(|r| view! { <option value=r.code()><RoleLabel code=r.code().to_owned() /></option> }).collect_view()}
                        </select>
                        <select name="unit_id" aria-label=move || crate::i18n::t_string!(i18n, col_unit)>
                            {units.get_value().into_iter().map(|(unit, name)| view! { <option value=unit>{name}</option> }).collect_view()}
                        </select>
                        <button type="submit">{t!(i18n, accounts_grant)}</button>
                    </ActionForm>
                })}
            </td>
            <td>
                {if active { t!(i18n, accounts_active).into_any() } else { t!(i18n, accounts_disabled).into_any() }}
                {row.awaiting_password.then(|| view! { <br /><small class="tag">{t!(i18n, accounts_awaiting_password)}</small> })}
                {(!mine).then(|| view! {
                    <ActionForm action=actions.link attr:class="inline">
                        <input type="hidden" name="account_id" value=id />
                        <button type="submit" class="link-button">{t!(i18n, accounts_new_link)}</button>
                    </ActionForm>
                })}
                {(!mine).then(|| view! {
                    <ActionForm action=actions.active attr:class="inline">
                        <input type="hidden" name="account_id" value=id />
                        <input type="hidden" name="active" value=(!active).to_string() />
                        <input type="hidden" name="version" value=version />
                        <button type="submit">
                            {if active { t!(i18n, accounts_disable).into_any() } else { t!(i18n, accounts_enable).into_any() }}
                        </button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

/// A one-time password link just made, to copy and send to the account's owner.
#[component]
fn LinkNotice(link: SetupLink) -> impl IntoView {
    let i18n = use_i18n();
    let path = link.path();
    // The site's address is known in the browser only; without JavaScript the path shows and
    // the link itself (copied with the browser's "copy link") is complete.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Ok(here) = leptos::prelude::window().location().origin() {
            origin.set(here);
        }
    });
    let shown = {
        let path = path.clone();
        move || format!("{}{path}", origin.get())
    };
    view! {
        <div class="alert alert-ok setup-link" role="status" data-testid="setup-link">
            <p>{t!(i18n, accounts_link_shown)}</p>
            <p><code><a href=path>{shown}</a></code></p>
        </div>
    }
}
