//! The home page: the organisation's units, filterable by kind (links) and by name (a search
//! box that filters live when hydrated and through a GET form without JavaScript).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::dto::UnitKind;
use crate::api::org::list_units;
use crate::components::{
    error_view::ErrorView,
    todo::ToDoList,
    unit_table::{KindLabel, UnitTable},
};
use crate::i18n::{t, t_string, use_i18n};

/// `/` — the units overview.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        query
            .read()
            .get("kind")
            .and_then(|k| UnitKind::from_code(&k))
    });
    let units = Resource::new(move || kind.get(), list_units);
    let search = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());

    let kind_link = move |target: Option<UnitKind>| {
        let href = target.map_or_else(|| "/".to_string(), |k| format!("/?kind={}", k.code()));
        let label = match target {
            None => t!(i18n, filter_all).into_any(),
            Some(k) => view! { <KindLabel kind=k /> }.into_any(),
        };
        view! {
            <a href=href class="chip" aria-current=move || (kind.get() == target).then_some("page")>
                {label}
            </a>
        }
    };

    view! {
        <section class="page home">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="intro">{t!(i18n, home_intro)}</p>
            <ToDoList />
            <nav class="chips" aria-label=move || t_string!(i18n, filter_label)>
                {kind_link(None)}
                {UnitKind::ALL.iter().map(|k| kind_link(Some(*k))).collect_view()}
            </nav>
            <form method="get" action="/" role="search" class="search">
                {move || kind.get().map(|k| view! { <input type="hidden" name="kind" value=k.code() /> })}
                <label for="unit-search">{t!(i18n, search_label)}</label>
                <input
                    id="unit-search"
                    type="search"
                    name="q"
                    value=search.get_untracked()
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
                <button type="submit">{t!(i18n, search_apply)}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match units.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">{t!(i18n, units_empty)}</p> }.into_any()
                        }
                        Ok(list) => view! { <UnitTable units=list query=search /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
