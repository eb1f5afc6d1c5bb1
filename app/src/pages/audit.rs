//! `/audit` — the audit trail within the reader's scope, filtered by action, record type and
//! actor through a GET form (works without JavaScript).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::audit_trail;
use crate::components::error_view::ErrorView;
use crate::components::labels::ActionLabel;
use crate::i18n::{t, use_i18n};

/// The audit trail page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).filter(|v| !v.is_empty());
    let entries = Resource::new(
        move || (field("action"), field("entity"), field("actor")),
        |(action, entity, actor)| audit_trail(action, entity, actor),
    );
    let input = move |name: &'static str, label: AnyView| {
        view! {
            <label>{label}<input name=name value=field(name).unwrap_or_default() /></label>
        }
    };
    view! {
        <section class="page audit">
            <h1>{t!(i18n, audit_title)}</h1>
            <form method="get" action="/audit" class="search">
                {input("action", t!(i18n, col_action).into_any())}
                {input("entity", t!(i18n, col_entity).into_any())}
                {input("actor", t!(i18n, col_actor).into_any())}
                <button type="submit">{t!(i18n, audit_filter)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, audit_empty)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table" data-testid="audit">
                                <thead><tr>
                                    <th>{t!(i18n, col_at)}</th><th>{t!(i18n, col_actor)}</th><th>{t!(i18n, col_action)}</th>
                                    <th>{t!(i18n, col_entity)}</th><th>{t!(i18n, col_change)}</th><th>{t!(i18n, col_request)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}</td><td>{e.actor}</td><td><ActionLabel code=e.action /></td>
                                            <td>{format!("{} {}", e.entity, e.entity_id.unwrap_or_default())}</td>
                                            <td class="change">{e.before.unwrap_or_default()}" → "{e.after.unwrap_or_default()}</td>
                                            {
                                                let request = e.request_id.unwrap_or_default();
                                                let short: String = request.chars().take(8).collect();
                                                view! { <td class="code" title=request>{short}</td> }
                                            }
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
