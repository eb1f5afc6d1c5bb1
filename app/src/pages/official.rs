//! `/officials/:id` — one official: key results (with a check-in form for the owner) and
//! assessments (with scoring and approval forms for those allowed). Forms are server
//! function forms: they work hydrated and, without JavaScript, as plain posts.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::dto::{AssessmentRow, KeyResultRow};
use crate::api::people::{AddCheckIn, ApproveAssessment, ScoreAssessment, get_official};
use crate::components::error_view::ErrorView;
use crate::components::labels::StateLabel;
use crate::i18n::{t, use_i18n};

const LEVELS: [&str; 4] = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"];

/// One official's page.
#[component]
pub fn OfficialPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let check_in = ServerAction::<AddCheckIn>::new();
    let score = ServerAction::<ScoreAssessment>::new();
    let approve = ServerAction::<ApproveAssessment>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                check_in.version().get(),
                score.version().get(),
                approve.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_official(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let failure = move || {
        [
            check_in.value().get().and_then(Result::err),
            score.value().get().and_then(Result::err),
            approve.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|error| view! { <ErrorView error /> })
    };
    view! {
        <section class="page official">
            {failure}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => {
                            let (may_check_in, may_score, may_approve) = (d.may_check_in, d.may_score, d.may_approve);
                            view! {
                                <h1>{d.official.full_name.clone()}</h1>
                                <p class="intro">{d.official.job_position.clone()}" — "{d.official.unit_name.clone()}" · "{d.official.personnel_code.clone()}</p>
                                <h2>{t!(i18n, official_key_results)}</h2>
                                <table class="table" data-testid="key-results">
                                    <thead><tr>
                                        <th>{t!(i18n, col_kr)}</th><th>{t!(i18n, col_current)}</th><th>{t!(i18n, col_target)}</th>
                                        {may_check_in.then(|| view! { <th>{t!(i18n, col_actions)}</th> })}
                                    </tr></thead>
                                    <tbody>{d.key_results.into_iter().map(|kr| key_result_row(kr, may_check_in, check_in)).collect_view()}</tbody>
                                </table>
                                <h2>{t!(i18n, official_assessments)}</h2>
                                <table class="table" data-testid="assessments">
                                    <thead><tr>
                                        <th>{t!(i18n, col_cycle)}</th><th>{t!(i18n, col_score)}</th><th>{t!(i18n, col_proposed)}</th>
                                        <th>{t!(i18n, col_approved)}</th><th>{t!(i18n, col_state)}</th>
                                        {(may_score || may_approve).then(|| view! { <th>{t!(i18n, col_actions)}</th> })}
                                    </tr></thead>
                                    <tbody>{d.assessments.into_iter().map(|a| assessment_row(a, may_score, may_approve, score, approve)).collect_view()}</tbody>
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

fn key_result_row(
    kr: KeyResultRow,
    may_check_in: bool,
    action: ServerAction<AddCheckIn>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <tr>
            <td>{kr.title}</td>
            <td>{format!("{} {}", kr.current_value, kr.unit_of_measure)}</td>
            <td>{format!("{} {}", kr.target_value, kr.unit_of_measure)}</td>
            // The actions column is there when the viewer may check in; the form only on
            // key results of a cycle not yet closed.
            {may_check_in.then(|| view! {
                <td>
                    {(!kr.cycle_closed).then(|| view! {
                    <ActionForm action=action attr:class="inline-form">
                        <input type="hidden" name="key_result_id" value=kr.id />
                        <label>{t!(i18n, checkin_value)}<input name="value" type="number" step="any" required /></label>
                        <label>{t!(i18n, checkin_confidence)}<input name="confidence" type="number" min="0" max="10" value="7" required /></label>
                        <label>{t!(i18n, checkin_note)}<input name="note" /></label>
                        <label>{t!(i18n, checkin_evidence)}<input name="evidence_url" type="url" /></label>
                        <button type="submit">{t!(i18n, checkin_submit)}</button>
                    </ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}

/// The fields of a level decision (score or approval) on assessment `id` seen at `version`.
fn level_fields(id: i64, version: i32) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id />
        <input type="hidden" name="version" value=version />
        <select name="level">{LEVELS.map(|l| view! { <option value=l>{l}</option> }).collect_view()}</select>
    }
}

fn assessment_row(
    a: AssessmentRow,
    may_score: bool,
    may_approve: bool,
    score: ServerAction<ScoreAssessment>,
    approve: ServerAction<ApproveAssessment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, open) = (a.id, a.version, !a.cycle_closed);
    view! {
        <tr>
            <td>{a.cycle_code}</td>
            <td>{a.score.map(|s| format!("{s:.2}")).unwrap_or_default()}</td>
            <td>{a.proposed_level.unwrap_or_default()}</td>
            <td>{a.approved_level.unwrap_or_default()}</td>
            <td><StateLabel code=a.state /></td>
            // The actions column is there when the viewer may act; the forms only on the
            // rows of a cycle not yet closed (a closed cycle's level no longer changes).
            {(may_score || may_approve).then(|| view! {
                <td>
                    {(may_score && open).then(|| view! {
                        <ActionForm action=score attr:class="inline-form">
                            {level_fields(id, version)}
                            <button type="submit">{t!(i18n, score_submit)}</button>
                        </ActionForm>
                    })}
                    {(may_approve && open).then(|| view! {
                        <ActionForm action=approve attr:class="inline-form">
                            {level_fields(id, version)}
                            <button type="submit">{t!(i18n, approve_submit)}</button>
                        </ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}
