//! `/assessments/:id` — one assessment's score with the engine's explanation, line by line,
//! in the page's language: every criterion, product, deduction, waiver, weight, band and
//! override, with level codes always beside their names.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::assessments::get_assessment;
use crate::api::dto::AssessmentDetail;
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, StateLabel, explain_lang};
use crate::domain::Node;
use crate::domain::explain::{Lang, render_line};
use crate::i18n::{t, use_i18n};

/// The explanation page.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_assessment(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <section class="page assessment">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => summary(d).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn summary(d: AssessmentDetail) -> impl IntoView {
    let i18n = use_i18n();
    let lang = explain_lang();
    let back = format!("/officials/{}", d.official_id);
    let (name, unit, cycle) = (d.official_name, d.unit_name, d.row.cycle_code.clone());
    let row = d.row;
    view! {
        <p><a href=back>{t!(i18n, assessment_back)}</a></p>
        <h1>{t!(i18n, assessment_title)}</h1>
        <p class="intro">{t!(i18n, assessment_of, name, unit, cycle)}</p>
        <dl class="facts">
            <dt>{t!(i18n, col_score)}</dt>
            <dd data-testid="score">{row.score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, col_engine_level)}</dt><dd><LevelLabel level=row.engine_level /></dd>
            <dt>{t!(i18n, col_proposed)}</dt><dd><LevelLabel level=row.proposed_level /></dd>
            <dt>{t!(i18n, col_approved)}</dt><dd><LevelLabel level=row.approved_level /></dd>
            <dt>{t!(i18n, col_state)}</dt><dd><StateLabel code=row.state.code().to_owned() /></dd>
        </dl>
        {row.level_reason.map(|reason| view! { <p class="note">{t!(i18n, level_reason_shown, reason)}</p> })}
        {row.return_reason.map(|reason| view! { <p class="note">{t!(i18n, returned_because, reason)}</p> })}
        <h2>{t!(i18n, col_explanation)}</h2>
        {match d.explanation {
            Some(root) => view! { <ul class="explain" data-testid="explanation">{line(&root, lang)}</ul> }.into_any(),
            None => view! { <p class="empty">{t!(i18n, assessment_no_explanation)}</p> }.into_any(),
        }}
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
