//! The sheet's objectives and key results: the official's plan for the period with each key
//! result's progress and check-in history, the check-in form while the period runs, and —
//! while the sheet is theirs to fill — forms to add and edit objectives and key results.
//! Weights are typed in percent; as they are typed, what the weights will add up to is
//! computed in the browser by [`domain::plan`](crate::domain::plan), the server's own rules.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::assessments::{SaveKeyResult, SaveObjective};
use crate::api::dto::{
    CheckInView, KeyResultView, KrKind, ObjectiveView, PlanView, SheetRights, WeightSum,
};
use crate::api::people::AddCheckIn;
use crate::components::check_in::check_in_form;
use crate::components::typed::Typed;
use crate::domain::num::round2;
use crate::domain::plan::{KeyResultDraft, ObjectiveDraft, typed_number, weight_sum};
use crate::i18n::{t, t_string, use_i18n};

/// The server actions of the plan's forms.
#[derive(Clone, Copy)]
pub struct PlanForms {
    pub objective: ServerAction<SaveObjective>,
    pub key_result: ServerAction<SaveKeyResult>,
    pub check_in: ServerAction<AddCheckIn>,
}

impl Default for PlanForms {
    fn default() -> Self {
        Self {
            objective: ServerAction::new(),
            key_result: ServerAction::new(),
            check_in: ServerAction::new(),
        }
    }
}

/// After a plan form was saved, the sheet is drawn again in place, which would keep what the
/// browser holds — what was typed in the form just saved, the sections left open: the plan's
/// forms go back to their saved values and fold. After a refusal nothing moves, and what was
/// typed stays.
pub fn fold_after_saves(forms: PlanForms) {
    let saved = [
        crate::components::saves::saves(forms.objective),
        crate::components::saves::saves(forms.key_result),
        crate::components::saves::saves(forms.check_in),
    ];
    Effect::new(move |seen: Option<[usize; 3]>| {
        let now = saved.map(|m| m.get());
        if seen.is_some_and(|seen| seen != now) {
            reset_plan_forms();
        }
        now
    });
}

/// Resets every form of the plan to the values it was drawn with and folds its sections.
fn reset_plan_forms() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{HtmlDetailsElement, HtmlFormElement};
        let each = |selector: &str, mut f: Box<dyn FnMut(leptos::web_sys::Node)>| {
            if let Ok(nodes) = document().query_selector_all(selector) {
                for i in 0..nodes.length() {
                    if let Some(node) = nodes.item(i) {
                        f(node);
                    }
                }
            }
        };
        each(
            ".plan form",
            Box::new(|n| {
                if let Ok(form) = n.dyn_into::<HtmlFormElement>() {
                    form.reset();
                }
            }),
        );
        each(
            ".plan details",
            Box::new(|n| {
                if let Ok(details) = n.dyn_into::<HtmlDetailsElement>() {
                    details.set_open(false);
                }
            }),
        );
    }
}

/// A share (0–1) as a percentage, two decimals at most.
fn percent(share: f64) -> String {
    format!("{} %", round2(share * 100.0))
}

/// A number as shown: two decimals at most.
fn num(v: f64) -> String {
    round2(v).to_string()
}

/// The plan section of sheet `assessment_id`.
pub fn plan_section(
    assessment_id: i64,
    plan: PlanView,
    may: SheetRights,
    forms: PlanForms,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = may.self_assess;
    let others: Vec<f64> = plan.objectives.iter().map(|o| o.weight).collect();
    let body = if plan.objectives.is_empty() {
        view! {
            <p class="empty">
                {if editing { t!(i18n, plan_empty_own).into_any() } else { t!(i18n, plan_empty).into_any() }}
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class=if plan.weights.complete { "hint" } else { "alert alert-warn" } data-testid="objective-weights">
                {sum_line(plan.weights, true)}
            </p>
            {plan.objectives.iter().cloned().map(|o| {
                let others = plan.objectives.iter().filter(|x| x.id != o.id).map(|x| x.weight).collect();
                objective_card(assessment_id, o, others, may, forms)
            }).collect_view()}
        }
        .into_any()
    };
    let add = editing.then(|| {
        view! {
            <details class="plan-add" data-testid="add-objective">
                <summary>{t!(i18n, plan_add_objective)}</summary>
                {objective_form(assessment_id, None, ObjectiveDraft::default(), others, forms.objective)}
            </details>
        }
    });
    view! {
        <h2>{t!(i18n, plan_title)}</h2>
        <div class="plan" data-testid="plan">{body}{add}</div>
    }
}

/// What weights add up to, of the objectives (`objectives`) or of an objective's key results.
fn sum_line(sum: WeightSum, objectives: bool) -> AnyView {
    let i18n = use_i18n();
    let total = format!("{} %", sum.percent);
    match (sum.complete, objectives) {
        (true, true) => t!(i18n, plan_objectives_complete, total).into_any(),
        (false, true) => t!(i18n, plan_objectives_incomplete, total).into_any(),
        (true, false) => t!(i18n, plan_krs_complete, total).into_any(),
        (false, false) => t!(i18n, plan_krs_incomplete, total).into_any(),
    }
}

fn objective_card(
    assessment_id: i64,
    o: ObjectiveView,
    others: Vec<f64>,
    may: SheetRights,
    forms: PlanForms,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = may.self_assess;
    let weights: Vec<f64> = o.key_results.iter().map(|k| k.weight).collect();
    let rows = o
        .key_results
        .iter()
        .cloned()
        .map(|k| {
            let others = weights_but(&o.key_results, k.id);
            key_result_row(k, o.id, others, may, forms)
        })
        .collect_view();
    let table = (!o.key_results.is_empty()).then(|| {
        view! {
            <table class="table cards key-results" data-testid="key-results">
                <thead><tr>
                    <th>{t!(i18n, col_kr)}</th>
                    <th>{t!(i18n, col_measure)}</th>
                    <th>{t!(i18n, col_current)}</th>
                    <th>{t!(i18n, col_weight)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let edit = editing.then(|| {
        let draft = ObjectiveDraft {
            title: o.title.clone(),
            weight: num(o.weight * 100.0),
        };
        view! {
            <details class="plan-edit">
                <summary>{t!(i18n, plan_edit_objective)}</summary>
                {objective_form(assessment_id, Some((o.id, o.version)), draft, others, forms.objective)}
            </details>
            <details class="plan-add" data-testid="add-key-result">
                <summary>{t!(i18n, plan_add_kr)}</summary>
                {key_result_form(o.id, None, KeyResultDraft::default(), weights.clone(), forms.key_result)}
            </details>
        }
    });
    view! {
        <article class="card objective" data-testid="objective">
            <h3>{o.title.clone()}" "<small>{t!(i18n, plan_weight_of, weight = percent(o.weight))}</small></h3>
            {table}
            {(!o.key_results.is_empty()).then(|| view! {
                <p class=if o.weights.complete { "hint" } else { "alert alert-warn" } data-testid="kr-weights">
                    {sum_line(o.weights, false)}
                </p>
            })}
            {edit}
        </article>
    }
}

/// The weights of the other key results of an objective than `id`.
fn weights_but(key_results: &[KeyResultView], id: i64) -> Vec<f64> {
    key_results
        .iter()
        .filter(|k| k.id != id)
        .map(|k| k.weight)
        .collect()
}

/// The translated name of a kind of key result.
fn kind_name(kind: KrKind) -> AnyView {
    let i18n = use_i18n();
    match kind {
        KrKind::IncreaseTo => t!(i18n, kr_kind_increase_to).into_any(),
        KrKind::DecreaseTo => t!(i18n, kr_kind_decrease_to).into_any(),
        KrKind::Milestone => t!(i18n, kr_kind_milestone).into_any(),
        KrKind::StayWithin => t!(i18n, kr_kind_stay_within).into_any(),
    }
}

/// What a key result aims at, in words: from start to target, a band, or a milestone.
fn aim(k: &KeyResultView) -> String {
    let unit = &k.unit_of_measure;
    match (k.kind, k.band_low, k.band_high) {
        (KrKind::Milestone, ..) => String::new(),
        (KrKind::StayWithin, Some(low), Some(high)) => {
            format!("{}–{} {unit}", num(low), num(high))
        }
        _ => format!("{} → {} {unit}", num(k.start), num(k.target)),
    }
}

fn key_result_row(
    k: KeyResultView,
    objective_id: i64,
    others: Vec<f64>,
    may: SheetRights,
    forms: PlanForms,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = match k.kind {
        KrKind::Milestone if k.current >= 1.0 => t_string!(i18n, kr_done).to_string(),
        KrKind::Milestone => t_string!(i18n, kr_not_done).to_string(),
        _ => format!("{} {}", num(k.current), k.unit_of_measure),
    };
    let aim = aim(&k);
    let check_in = (may.check_in && !k.from_metric).then(|| check_in_form(k.id, forms.check_in));
    let edit = may.self_assess.then(|| {
        let band = |v: Option<f64>| v.map(num).unwrap_or_default();
        let draft = KeyResultDraft {
            title: k.title.clone(),
            kind: k.kind.code().to_owned(),
            start: num(k.start),
            target: num(k.target),
            band_low: band(k.band_low),
            band_high: band(k.band_high),
            weight: num(k.weight * 100.0),
            unit_of_measure: k.unit_of_measure.clone(),
        };
        view! {
            <details class="plan-edit">
                <summary>{t!(i18n, plan_edit_kr)}</summary>
                {key_result_form(objective_id, Some((k.id, k.version)), draft, others, forms.key_result)}
            </details>
        }
    });
    let history = history(&k.check_ins);
    view! {
        <tr data-testid="key-result">
            <td class="card-title">{k.title.clone()}{edit}</td>
            <td data-label=move || t_string!(i18n, col_measure)>{kind_name(k.kind)}" "<small>{aim}</small></td>
            <td data-label=move || t_string!(i18n, col_current)>
                {current}
                {(k.kind == KrKind::Milestone && k.current < 1.0 && check_in.is_some()).then(|| view! { <small class="hint">" "{t!(i18n, kr_milestone_hint)}</small> })}
                {history}{check_in}
            </td>
            <td data-label=move || t_string!(i18n, col_weight)>{percent(k.weight)}</td>
        </tr>
    }
}

/// A key result's check-ins, newest first, folded.
fn history(check_ins: &[CheckInView]) -> Option<AnyView> {
    let i18n = use_i18n();
    if check_ins.is_empty() {
        return None;
    }
    let count = check_ins.len();
    let items = check_ins
        .iter()
        .rev()
        .map(|c| {
            let at = c.at.format("%d/%m/%Y").to_string();
            let value = num(c.value);
            let confidence = c.confidence;
            let link = c.evidence_url.clone().map(|href| {
                view! { " · "<a href=href rel="noopener noreferrer" target="_blank">{t!(i18n, checkin_evidence_link)}</a> }
            });
            let note = (!c.note.is_empty()).then(|| format!(" · {}", c.note));
            view! {
                <li>{at}": "<strong>{value}</strong>" · "{t!(i18n, checkin_confidence_shown, confidence)}{note}{link}</li>
            }
        })
        .collect_view();
    Some(
        view! {
            <details class="history" data-testid="check-ins">
                <summary>{t!(i18n, checkin_history, count)}</summary>
                <ul>{items}</ul>
            </details>
        }
        .into_any(),
    )
}

/// A weight field in percent and, while it is typed, what the weights will add up to with
/// `others` (shares of the same objective or period), by the domain's rule.
fn weight_field(
    name: &'static str,
    label: AnyView,
    value: String,
    others: Vec<f64>,
    objectives: bool,
) -> impl IntoView {
    let typed = RwSignal::new(value.clone());
    let sum = move || {
        let share = typed_number(&typed.read())
            .ok()
            .flatten()
            .unwrap_or_default()
            / 100.0;
        weight_sum(others.iter().copied().chain([share]))
    };
    view! {
        <label>{label}
            <input name=name type="text" inputmode="decimal" required value=value
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </label>
        <p class="weight-check" data-testid="weight-check" aria-live="polite">
            {move || sum_line(sum(), objectives)}
        </p>
    }
}

/// The hidden fields of a record being edited: its id (as `id_name`) and the version shown.
fn edited_fields(id_name: &'static str, edited: Option<(i64, i32)>) -> impl IntoView {
    edited.map(|(id, version)| {
        view! {
            <input type="hidden" name=id_name value=id />
            <input type="hidden" name="version" value=version />
        }
    })
}

/// The objective form: new (`edited` is `None`) or an edit of `(id, version)`; `others`: the
/// weights of the period's other objectives.
fn objective_form(
    assessment_id: i64,
    edited: Option<(i64, i32)>,
    draft: ObjectiveDraft,
    others: Vec<f64>,
    action: ServerAction<SaveObjective>,
) -> impl IntoView {
    let i18n = use_i18n();
    // As typed, when this form was just refused.
    let posted = Typed::of::<SaveObjective>()
        .for_record("assessment_id", assessment_id)
        .for_edit("objective_id", edited.map(|(id, _)| id.to_string()));
    let draft = ObjectiveDraft {
        title: posted.or("objective[title]", draft.title),
        weight: posted.or("objective[weight]", draft.weight),
    };
    view! {
        <ActionForm action=action attr:class="plan-form" attr:data-testid="objective-form">
            <input type="hidden" name="assessment_id" value=assessment_id />
            {edited_fields("objective_id", edited)}
            <label class="wide">{t!(i18n, field_objective_title)}
                <input name="objective[title]" required maxlength="500" value=draft.title />
            </label>
            {weight_field("objective[weight]", t!(i18n, field_objective_weight).into_any(), draft.weight, others, true)}
            <button type="submit">{t!(i18n, plan_save_objective)}</button>
        </ActionForm>
    }
}

/// The key result form of objective `objective_id`: new (`edited` is `None`) or an edit of
/// `(id, version)`; `others`: the weights of the objective's other key results.
fn key_result_form(
    objective_id: i64,
    edited: Option<(i64, i32)>,
    draft: KeyResultDraft,
    others: Vec<f64>,
    action: ServerAction<SaveKeyResult>,
) -> impl IntoView {
    let i18n = use_i18n();
    // As typed, when this form was just refused.
    let posted = Typed::of::<SaveKeyResult>()
        .for_record("objective_id", objective_id)
        .for_edit("key_result_id", edited.map(|(id, _)| id.to_string()));
    let draft = typed_key_result(&posted, draft);
    view! {
        <ActionForm action=action attr:class="plan-form" attr:data-testid="key-result-form">
            <input type="hidden" name="objective_id" value=objective_id />
            {edited_fields("key_result_id", edited)}
            {key_result_fields(&draft)}
            {weight_field("kr[weight]", t!(i18n, field_kr_weight).into_any(), draft.weight.clone(), others, false)}
            <button type="submit">{t!(i18n, plan_save_kr)}</button>
        </ActionForm>
    }
}

/// A key result's form as `posted` (`kr[title]`, …) where it was, else as `draft`.
pub fn typed_key_result(posted: &Typed, draft: KeyResultDraft) -> KeyResultDraft {
    let field = |name: &str, shown: String| posted.or(&format!("kr[{name}]"), shown);
    KeyResultDraft {
        title: field("title", draft.title),
        kind: field("kind", draft.kind),
        start: field("start", draft.start),
        target: field("target", draft.target),
        band_low: field("band_low", draft.band_low),
        band_high: field("band_high", draft.band_high),
        weight: field("weight", draft.weight),
        unit_of_measure: field("unit_of_measure", draft.unit_of_measure),
    }
}

/// The fields of a key result's form but its weight (`kr[title]`, `kr[kind]`, …), from `draft`:
/// the same on the plan and on the cycles page's assignment.
pub fn key_result_fields(draft: &KeyResultDraft) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let kinds = KrKind::ALL
        .iter()
        .map(|kind| {
            let selected = draft.kind == kind.code();
            view! { <option value=kind.code() selected=selected>{kind_name(*kind)}</option> }
        })
        .collect_view();
    let number = |name: &'static str, label: AnyView, value: &str| {
        let value = value.to_owned();
        view! { <label>{label}<input name=name type="text" inputmode="decimal" value=value /></label> }
    };
    view! {
        <label class="wide">{t!(i18n, field_kr_title)}
            <input name="kr[title]" required maxlength="500" value=draft.title.clone() />
        </label>
        <label>{t!(i18n, field_kr_kind)}<select name="kr[kind]">{kinds}</select></label>
        <label>{t!(i18n, field_kr_unit)}<input name="kr[unit_of_measure]" maxlength="32" value=draft.unit_of_measure.clone() /></label>
        {number("kr[start]", t!(i18n, field_kr_start).into_any(), &draft.start)}
        {number("kr[target]", t!(i18n, field_kr_target).into_any(), &draft.target)}
        {number("kr[band_low]", t!(i18n, field_kr_band_low).into_any(), &draft.band_low)}
        {number("kr[band_high]", t!(i18n, field_kr_band_high).into_any(), &draft.band_high)}
        <p class="hint wide">{t!(i18n, plan_kr_values_hint)}</p>
    }
}
