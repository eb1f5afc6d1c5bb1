//! The inputs of one of the organisation's rule sets (the warning rules, the candidate rules):
//! a number a threshold, within its range, labelled by the field's translated name, filled
//! with what was typed when the save was refused.

use leptos::prelude::*;

use super::message::field_name;
use super::typed::Typed;

/// One labelled input per `(field, min, max)` of `fields`, showing `values` in that order.
pub fn rule_inputs(
    typed: Typed,
    fields: &'static [(&'static str, u32, u32)],
    values: &[u32],
) -> impl IntoView + use<> {
    fields
        .iter()
        .zip(values)
        .map(|((field, lo, hi), value)| {
            let value = typed.or(field, value.to_string());
            view! {
                <label>{field_name(field)}
                    <input name=*field type="number" min=*lo max=*hi value=value required />
                </label>
            }
        })
        .collect_view()
}
