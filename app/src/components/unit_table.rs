//! The table of organisational units, with a diacritics-insensitive name filter.

use leptos::prelude::*;

use crate::api::dto::{OrgUnit, UnitKind};
use crate::components::lang_switch::encode_component;
use crate::domain::text::fold;
use crate::i18n::{t, use_i18n};

/// Keeps the units whose name or code contains `query` (ignoring case and diacritics).
pub fn filter_units<'a>(units: &'a [OrgUnit], query: &str) -> Vec<&'a OrgUnit> {
    let needle = fold(query.trim());
    units
        .iter()
        .filter(|u| {
            needle.is_empty() || fold(&u.name).contains(&needle) || fold(&u.code).contains(&needle)
        })
        .collect()
}

/// The translated name of a unit kind.
#[component]
pub fn KindLabel(kind: UnitKind) -> impl IntoView {
    let i18n = use_i18n();
    match kind {
        UnitKind::Province => t!(i18n, kind_province).into_any(),
        UnitKind::Agency => t!(i18n, kind_agency).into_any(),
        UnitKind::Commune => t!(i18n, kind_commune).into_any(),
        UnitKind::Party => t!(i18n, kind_party).into_any(),
    }
}

/// Units in a table; rows are filtered live by `query`.
#[component]
pub fn UnitTable(units: Vec<OrgUnit>, #[prop(into)] query: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let units = StoredValue::new(units);
    let shown = Memo::new(move |_| {
        units.with_value(|all| {
            filter_units(all, &query.get())
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="count" data-testid="unit-count">
            {move || {
                let count = shown.with(Vec::len);
                t!(i18n, units_count, count)
            }}
        </p>
        <table class="units">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, col_code)}</th>
                    <th scope="col">{t!(i18n, col_name)}</th>
                    <th scope="col">{t!(i18n, col_kind)}</th>
                    <th scope="col" class="num">{t!(i18n, col_headcount)}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || shown.get() key=|u| u.id let:unit>
                    <tr data-kind=unit.kind.code()>
                        <td class="code">{unit.code.clone()}</td>
                        <td>
                            <a href=format!("/public/units/{}", encode_component(&unit.code)) rel="external">
                                {unit.name.clone()}
                            </a>
                        </td>
                        <td><KindLabel kind=unit.kind /></td>
                        <td class="num">{unit.approved_headcount}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str, name: &str) -> OrgUnit {
        OrgUnit {
            id,
            code: code.into(),
            name: name.into(),
            kind: UnitKind::Commune,
            parent_id: None,
            approved_headcount: 0,
        }
    }

    #[test]
    fn filter_ignores_case_and_diacritics() {
        let units = vec![
            unit(1, "PD", "Phường Phong Điền"),
            unit(2, "AC", "Phường An Cựu"),
        ];
        let names: Vec<_> = filter_units(&units, "phong dien")
            .iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(names, vec![1]);
        assert_eq!(filter_units(&units, "  ").len(), 2);
        assert_eq!(filter_units(&units, "ac").len(), 1, "matches the code too");
    }
}
