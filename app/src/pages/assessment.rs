//! `/assessments/:id` — one assessment's sheet: the official's own points on each general
//! criterion beside the reviewer's, each product's counts and waivers, the decisions, and the
//! engine's explanation line by line, in the page's language (level codes always beside their
//! names).
//!
//! The official enters their points and counts and submits the self-assessment while it is
//! theirs to do (draft, or returned with the reason shown); their reviewer then corrects the
//! counts, gives their own points and proposes a level, or returns it; the unit leader
//! approves. Each form shows only when the reader may use it now; all are server-function
//! forms (hydrated, or plain posts without JavaScript). While points are typed the total of
//! the general criteria is computed in the browser by the engine's own code. The official's
//! objectives and key results come first ([`super::plan`]): planned, edited and checked in on
//! here.

use std::collections::BTreeMap;

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::{SavePoints, SaveProductProgress, get_assessment};
use crate::api::dto::{AssessmentDetail, CriterionPoints, ProductCounts, SheetRights};
use crate::api::people::SubmitSelfAssessment;
use crate::components::decisions::{Allowed, DecisionActions, decision_forms, record_fields};
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, StateLabel, explain_lang};
use crate::components::saves::{answer, confirm_from_address, saves, track};
use crate::components::typed::Typed;
use crate::domain::Node;
use crate::domain::explain::{Lang, render_line, template};
use crate::domain::general::score_general;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::plan::{PlanForms, plan_section};

/// The server actions of the sheet's own forms.
#[derive(Clone, Copy)]
struct Forms {
    points: ServerAction<SavePoints>,
    product: ServerAction<SaveProductProgress>,
    submit: ServerAction<SubmitSelfAssessment>,
    decisions: DecisionActions,
    plan: PlanForms,
}

/// Which of the sheet's forms was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Points,
    Product,
    Submitted,
    Decision,
    Objective,
    KeyResult,
    CheckIn,
}

/// The sheet page.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let forms = Forms {
        points: ServerAction::new(),
        product: ServerAction::new(),
        submit: ServerAction::new(),
        decisions: DecisionActions::new(),
        plan: PlanForms::default(),
    };
    let saved = (
        saves(forms.points),
        saves(forms.product),
        saves(forms.submit),
        forms.decisions.saves(),
    );
    crate::pages::plan::fold_after_saves(forms.plan);
    let planned = (
        saves(forms.plan.objective),
        saves(forms.plan.key_result),
        saves(forms.plan.check_in),
    );
    let detail = Resource::new(
        move || {
            let (a, b, c, d) = saved;
            let (e, f, g) = planned;
            (
                id(),
                [
                    a.get(),
                    b.get(),
                    c.get(),
                    d.get(),
                    e.get(),
                    f.get(),
                    g.get(),
                ],
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_assessment(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    // The answer of the last save: its confirmation (hydrated; without JavaScript the page
    // reloads with the saved values in place), or its refusal in words.
    let outcome = RwSignal::new(None);
    track(outcome, forms.points, Saved::Points);
    track(outcome, forms.product, Saved::Product);
    track(outcome, forms.submit, Saved::Submitted);
    track(outcome, forms.decisions.score, Saved::Decision);
    track(outcome, forms.decisions.approve, Saved::Decision);
    track(outcome, forms.decisions.give_back, Saved::Decision);
    track(outcome, forms.plan.objective, Saved::Objective);
    track(outcome, forms.plan.key_result, Saved::KeyResult);
    track(outcome, forms.plan.check_in, Saved::CheckIn);
    confirm_from_address(outcome, |which| {
        Some(match which {
            "points" => Saved::Points,
            "product" => Saved::Product,
            "submitted" => Saved::Submitted,
            "decision" => Saved::Decision,
            "objective" => Saved::Objective,
            "key_result" => Saved::KeyResult,
            "check_in" => Saved::CheckIn,
            _ => return None,
        })
    });
    let answer = answer(outcome, move |which| match which {
        Saved::Points => t!(i18n, points_saved).into_any(),
        Saved::Product => t!(i18n, product_saved).into_any(),
        Saved::Submitted => t!(i18n, self_submitted).into_any(),
        Saved::Decision => t!(i18n, decision_saved).into_any(),
        Saved::Objective => t!(i18n, objective_saved).into_any(),
        Saved::KeyResult => t!(i18n, key_result_saved).into_any(),
        Saved::CheckIn => t!(i18n, check_in_saved).into_any(),
    });
    view! {
        <section class="page assessment">
            {answer}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => sheet(d, forms).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn sheet(d: AssessmentDetail, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let lang = explain_lang();
    let back = format!("/officials/{}", d.official_id);
    let (name, unit, cycle) = (d.official_name, d.unit_name, d.row.cycle_code.clone());
    let may = d.may;
    let row = d.row;
    let (id, version) = (row.id, row.version);
    let scheme_id = d.scheme_id;
    let allowed = Allowed {
        propose: may.score,
        approve: may.approve,
        give_back: may.give_back,
    };
    let decisions = allowed
        .any()
        .then(|| decision_forms(&row, allowed, forms.decisions));
    view! {
        <p><a href=back>{t!(i18n, assessment_back)}</a></p>
        <h1>{t!(i18n, assessment_title)}</h1>
        <p class="intro">{t!(i18n, assessment_of, name, unit, cycle)}</p>
        {row.return_reason.clone().map(|reason| view! {
            <p class="alert alert-warn" data-testid="return-reason">{t!(i18n, returned_because, reason)}</p>
        })}
        <dl class="facts" data-testid="facts">
            <dt>{t!(i18n, col_score)}</dt>
            <dd data-testid="score">{row.score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, col_engine_level)}</dt><dd>{level_or_dash(row.engine_level)}</dd>
            <dt>{t!(i18n, col_proposed)}</dt><dd>{level_or_dash(row.proposed_level)}</dd>
            <dt>{t!(i18n, col_approved)}</dt><dd>{level_or_dash(row.approved_level)}</dd>
            <dt>{t!(i18n, col_state)}</dt><dd><StateLabel code=row.state.code().to_owned() /></dd>
        </dl>
        {row.level_reason.map(|reason| view! { <p class="note">{t!(i18n, level_reason_shown, reason)}</p> })}
        {plan_section(id, d.plan, may, forms.plan)}
        {criteria_section(id, version, &scheme_id, d.criteria, may, forms.points)}
        {products_section(d.products, may, forms.product)}
        {may.self_assess.then(|| view! {
            <h2>{t!(i18n, sheet_submit_title)}</h2>
            <p class="hint">{t!(i18n, sheet_submit_hint)}</p>
            <ActionForm action=forms.submit attr:class="inline-form" attr:data-testid="submit-self">
                {record_fields(id, version)}
                <button type="submit">{t!(i18n, sheet_submit)}</button>
            </ActionForm>
        })}
        {decisions.map(|forms| view! {
            <h2>{t!(i18n, sheet_decisions)}</h2>
            <div class="decisions" data-testid="decisions">{forms}</div>
        })}
        <h2>{t!(i18n, col_explanation)}</h2>
        {match d.explanation {
            Some(root) => view! { <ul class="explain" data-testid="explanation">{line(&root, lang)}</ul> }.into_any(),
            None => view! { <p class="empty">{t!(i18n, assessment_no_explanation)}</p> }.into_any(),
        }}
    }
}

/// A level with its name, or a dash while there is none (a draft, a sheet not yet scored).
fn level_or_dash(level: Option<crate::domain::Level>) -> AnyView {
    match level {
        Some(level) => view! { <LevelLabel level=Some(level) /> }.into_any(),
        None => "—".into_any(),
    }
}

/// The translated name of a criterion as a line of its own, capitalised (its id only if the
/// scheme's names lack it).
fn criterion_name(id: &str, lang: Lang) -> String {
    crate::domain::text::capitalised(template(&format!("criterion.{id}"), lang).unwrap_or(id))
}

/// Points as shown: two decimals at most, a dash when none were given.
fn shown(points: Option<f64>) -> String {
    points.map_or_else(
        || "—".to_owned(),
        |p| format!("{}", crate::domain::num::round2(p)),
    )
}

/// The general criteria: the official's and the reviewer's points side by side; the reader's
/// own column is a form while it is theirs to fill, with the total previewed as typed.
fn criteria_section(
    id: i64,
    version: i32,
    scheme_id: &str,
    criteria: Vec<CriterionPoints>,
    may: SheetRights,
    action: ServerAction<SavePoints>,
) -> AnyView {
    let i18n = use_i18n();
    if criteria.is_empty() {
        return ().into_any();
    }
    let lang = explain_lang();
    let as_reviewer = may.score;
    let editing = may.self_assess || may.score;
    // What the form starts from: what was typed when it was just refused; else the reader's
    // own points, or, for a reviewer who has given none yet, the official's.
    let posted = Typed::of::<SavePoints>().for_record("assessment_id", id);
    let comment_posted = posted.clone();
    let start = move |c: &CriterionPoints| {
        let typed = posted
            .get(&format!("points[{}]", c.id))
            .and_then(|text| text.trim().replace(',', ".").parse::<f64>().ok());
        typed.or(if as_reviewer {
            c.reviewer_points.or(c.self_points)
        } else {
            c.self_points
        })
    };
    let typed = RwSignal::new(
        criteria
            .iter()
            .filter_map(|c| start(c).map(|p| (c.id.clone(), p)))
            .collect::<BTreeMap<String, f64>>(),
    );
    let input = move |c: &CriterionPoints, comment: Option<String>| {
        let comment = comment_posted
            .get(&format!("comments[{}]", c.id))
            .or(comment);
        let key = c.id.clone();
        let on_input = move |ev| {
            let text = event_target_value(&ev);
            typed.update(|m| match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    m.insert(key.clone(), v);
                }
                _ => {
                    m.remove(&key);
                }
            });
        };
        let label = criterion_name(&c.id, lang);
        view! {
            <input type="number" name=format!("points[{}]", c.id) min="0" max=c.max_points step="any"
                required value=start(c).map(|p| p.to_string()) aria-label=label.clone() on:input=on_input />
            <input name=format!("comments[{}]", c.id) maxlength="2000" value=comment
                placeholder=move || t_string!(i18n, field_comment)
                aria-label=move || format!("{} — {label}", t_string!(i18n, field_comment)) />
        }
        .into_any()
    };
    let rows = criteria
        .iter()
        .map(|c| {
            let name = criterion_name(&c.id, lang);
            let own = |points: Option<f64>, comment: Option<String>| {
                view! { {shown(points)}{comment.map(|c| view! { <br /><small>{c}</small> })} }
                    .into_any()
            };
            let (self_cell, reviewer_cell) = match (may.self_assess, may.score) {
                (true, _) => (
                    input(c, c.self_comment.clone()),
                    own(c.reviewer_points, c.reviewer_comment.clone()),
                ),
                (_, true) => (
                    own(c.self_points, c.self_comment.clone()),
                    input(c, c.reviewer_comment.clone()),
                ),
                _ => (
                    own(c.self_points, c.self_comment.clone()),
                    own(c.reviewer_points, c.reviewer_comment.clone()),
                ),
            };
            let max = crate::domain::num::round2(c.max_points);
            view! {
                <tr>
                    <td class="card-title">{name}" "<small>{t!(i18n, points_max, max)}</small></td>
                    <td data-label=move || t_string!(i18n, col_own_points)>{self_cell}</td>
                    <td data-label=move || t_string!(i18n, col_reviewer_points)>{reviewer_cell}</td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        <table class="table cards criteria" data-testid="criteria">
            <thead><tr>
                <th>{t!(i18n, col_criterion)}</th>
                <th>{t!(i18n, col_own_points)}</th>
                <th>{t!(i18n, col_reviewer_points)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    };
    let scheme_id = scheme_id.to_owned();
    let preview = move || general_preview(&scheme_id, &typed.read(), lang);
    view! {
        <h2>{t!(i18n, sheet_general)}</h2>
        {if editing {
            view! {
                <ActionForm action=action attr:data-testid="points-form">
                    <input type="hidden" name="assessment_id" value=id />
                    <input type="hidden" name="version" value=version />
                    <input type="hidden" name="as_reviewer" value=as_reviewer.to_string() />
                    {table}
                    <div class="preview" data-testid="preview" aria-live="polite">{preview}</div>
                    <button type="submit">
                        {if as_reviewer { t!(i18n, save_reviewer_points).into_any() } else { t!(i18n, save_self_points).into_any() }}
                    </button>
                </ActionForm>
            }
            .into_any()
        } else {
            table.into_any()
        }}
    }
    .into_any()
}

/// The total of the general criteria as typed, by the engine's own rules (the same code the
/// server scores with, compiled to WebAssembly), with its lines; or what is still missing.
fn general_preview(scheme_id: &str, typed: &BTreeMap<String, f64>, lang: Lang) -> AnyView {
    let i18n = use_i18n();
    let scored = crate::domain::builtin_scheme(scheme_id)
        .ok()
        .and_then(|scheme| {
            score_general(&scheme, typed, "preview")
                .ok()
                .map(|(points, node)| (points, scheme.general_max(), node))
        });
    match scored {
        Some((points, max, node)) => {
            let (points, max) = (
                crate::domain::num::round2(points),
                crate::domain::num::round2(max),
            );
            let lines = node.map(|n| {
                n.children
                    .iter()
                    .map(|g| {
                        let text = render_line(g, lang);
                        let points = g.points.map(|p| format!("{p:+.2}"));
                        view! { <li><span class="explain-text">{text}</span>{points.map(|p| view! { <span class="explain-points">{p}</span> })}</li> }
                    })
                    .collect_view()
            });
            view! {
                <strong>{t!(i18n, preview_general, points, max)}</strong>
                <ul class="explain">{lines}</ul>
            }
            .into_any()
        }
        None => t!(i18n, preview_incomplete).into_any(),
    }
}

/// The products assigned in the period; each a form of its counts while the reader may enter
/// them.
fn products_section(
    products: Vec<ProductCounts>,
    may: SheetRights,
    action: ServerAction<SaveProductProgress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = may.self_assess || may.score;
    let body = if products.is_empty() {
        view! { <p class="empty">{t!(i18n, products_empty)}</p> }.into_any()
    } else {
        products
            .into_iter()
            .map(|p| product_card(p, editing, action))
            .collect_view()
            .into_any()
    };
    view! {
        <h2>{t!(i18n, sheet_products)}</h2>
        <div class="products" data-testid="products">{body}</div>
    }
}

fn product_card(
    p: ProductCounts,
    editing: bool,
    action: ServerAction<SaveProductProgress>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = p.counts;
    let assigned = p.assigned;
    let due = p.due_on.map(|d| d.format("%d/%m/%Y").to_string());
    // (name, translated label, value)
    let fields: [(&'static str, AnyView, i32); 7] = [
        (
            "completed",
            t!(i18n, field_completed).into_any(),
            c.completed,
        ),
        (
            "completed_on_quality",
            t!(i18n, field_completed_on_quality).into_any(),
            c.completed_on_quality,
        ),
        (
            "completed_on_time",
            t!(i18n, field_completed_on_time).into_any(),
            c.completed_on_time,
        ),
        (
            "quality_failures",
            t!(i18n, field_quality_failures).into_any(),
            c.quality_failures,
        ),
        ("delays", t!(i18n, field_delays).into_any(), c.delays),
        (
            "waived_quality_failures",
            t!(i18n, field_waived_quality_failures).into_any(),
            c.waived_quality_failures,
        ),
        (
            "waived_delays",
            t!(i18n, field_waived_delays).into_any(),
            c.waived_delays,
        ),
    ];
    let waiver = p.waiver_ref.clone().unwrap_or_default();
    let body = if editing {
        // As typed, when this product's form was just refused.
        let posted = Typed::of::<SaveProductProgress>().for_record("product_id", p.id);
        let inputs = fields
            .into_iter()
            .map(|(name, label, value)| {
                let value = posted.or(&format!("counts[{name}]"), value.to_string());
                view! {
                    <label>{label}<input type="number" name=format!("counts[{name}]") min="0" step="1" required value=value /></label>
                }
            })
            .collect_view();
        let waiver = posted.or("waiver_ref", waiver.clone());
        view! {
            <ActionForm action=action attr:class="counts-form">
                <input type="hidden" name="product_id" value=p.id />
                <input type="hidden" name="version" value=p.version />
                <div class="counts">{inputs}</div>
                <label class="wide">{t!(i18n, field_waiver_ref)}<input name="waiver_ref" maxlength="255" value=waiver /></label>
                <button type="submit">{t!(i18n, product_save)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        let items = fields
            .into_iter()
            .map(|(_, label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
            .collect_view();
        view! {
            <dl class="facts counts">{items}</dl>
            {(!waiver.is_empty()).then(|| view! { <p class="note">{t!(i18n, field_waiver_ref)}": "{waiver}</p> })}
        }
        .into_any()
    };
    view! {
        <article class="card product" data-testid="product">
            <h3>{p.title}" "<small>{p.code}</small></h3>
            <p class="hint">
                {t!(i18n, product_assigned, count = assigned)}
                {due.map(|date| view! { " · " {t!(i18n, product_due, date)} })}
            </p>
            {body}
        </article>
    }
}

/// One line and the lines it is made of, as nested lists.
fn line(node: &Node, lang: Lang) -> AnyView {
    let text = render_line(node, lang);
    let points = node.points.map(|p| format!("{p:+.2}"));
    let children: Vec<AnyView> = node.children.iter().map(|c| line(c, lang)).collect();
    view! {
        <li>
            <span class="explain-text">{text}</span>
            {points.map(|p| view! { <span class="explain-points">{p}</span> })}
            {(!children.is_empty()).then(|| view! { <ul>{children}</ul> })}
        </li>
    }
    .into_any()
}
