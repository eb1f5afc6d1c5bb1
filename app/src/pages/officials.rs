//! `/officials` — the officials the signed-in person may see: themselves, the people they
//! review, or everyone in the units they lead or oversee.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::people::officials_in_scope;
use crate::components::error_view::ErrorView;
use crate::i18n::{t, use_i18n};

/// The officials in my scope.
#[component]
pub fn OfficialsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let officials = Resource::new(q, |q| officials_in_scope(Some(q)));
    view! {
        <section class="page officials">
            <h1>{t!(i18n, officials_title)}</h1>
            <form method="get" action="/officials" class="search">
                <label for="officials-q">{t!(i18n, officials_search)}</label>
                <input id="officials-q" type="search" name="q" value=q />
                <button type="submit">{t!(i18n, search_apply)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match officials.await {
                        Ok(list) if list.rows.is_empty() => view! { <p>{t!(i18n, officials_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <p class="count" data-testid="officials-count">
                                {t!(i18n, officials_count, shown = list.rows.len(), total = list.total)}
                            </p>
                            <table class="table" data-testid="officials">
                                <thead><tr>
                                    <th>{t!(i18n, col_personnel_code)}</th>
                                    <th>{t!(i18n, col_full_name)}</th>
                                    <th>{t!(i18n, col_position)}</th>
                                    <th>{t!(i18n, col_unit)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.rows.into_iter().map(|o| view! {
                                        <tr>
                                            <td>{o.personnel_code}</td>
                                            <td><a href=format!("/officials/{}", o.id)>{o.full_name}</a></td>
                                            <td>{o.job_position}</td>
                                            <td>{o.unit_name}</td>
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
