//! `/officials/:id` — one official: key results (with a check-in form for the owner) and
//! assessments (with the forms to propose, return and approve a level for those allowed, each
//! only when the assessment's state allows it, and a link to each score's explanation). Forms are server
//! function forms: they work hydrated and, without JavaScript, as plain posts.

use leptos::form::ActionForm;

use super::compare::ChartFigure;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::dto::{AssessmentRow, KeyResultRow};
use crate::api::people::{
    AddCheckIn, ApproveAssessment, ReturnAssessment, ScoreAssessment, get_official,
};
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, StateLabel, explain_lang};
use crate::components::saves::saves;
use crate::domain::compare::OfficialCharts;
use crate::domain::explain::level_with_name;
use crate::domain::{AssessmentMove, Level};
use crate::i18n::{t, use_i18n};

/// One official's page.
#[component]
pub fn OfficialPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let check_in = ServerAction::<AddCheckIn>::new();
    let score = ServerAction::<ScoreAssessment>::new();
    let approve = ServerAction::<ApproveAssessment>::new();
    let give_back = ServerAction::<ReturnAssessment>::new();
    let charts = Resource::new(
        move || (id(), i18n.get_locale() == crate::i18n::Locale::en),
        |(id, en)| async move {
            match id {
                Some(id) => crate::api::compare::official_charts(id, en).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let saved_counts = (
        saves(check_in),
        saves(score),
        saves(approve),
        saves(give_back),
    );
    let detail = Resource::new(
        move || {
            let (a, b, c, d) = saved_counts;
            (id(), a.get(), b.get(), c.get(), d.get())
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
            give_back.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|error| view! { <ErrorView error /> })
    };
    // A confirmation after every save (hydrated; without JavaScript the page reloads with
    // the saved values in place).
    let saved = move || {
        let decided = [
            score.value().get(),
            approve.value().get(),
            give_back.value().get(),
        ]
        .into_iter()
        .flatten()
        .any(|r| r.is_ok());
        let checked = check_in.value().get().is_some_and(|r| r.is_ok());
        view! {
            {decided.then(|| view! { <p class="alert alert-ok" role="status">{t!(i18n, decision_saved)}</p> })}
            {checked.then(|| view! { <p class="alert alert-ok" role="status">{t!(i18n, check_in_saved)}</p> })}
        }
    };
    view! {
        <section class="page official">
            {failure}
            {saved}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => {
                            let may_check_in = d.may_check_in;
                            let decisions = Decisions { may_score: d.may_score, may_approve: d.may_approve, score, approve, give_back };
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
                                        <th>{t!(i18n, col_cycle)}</th><th>{t!(i18n, col_score)}</th><th>{t!(i18n, col_engine_level)}</th>
                                        <th>{t!(i18n, col_proposed)}</th><th>{t!(i18n, col_approved)}</th><th>{t!(i18n, col_state)}</th>
                                        {(decisions.may_score || decisions.may_approve).then(|| view! { <th>{t!(i18n, col_actions)}</th> })}
                                    </tr></thead>
                                    <tbody>{d.assessments.into_iter().map(|a| assessment_row(a, decisions)).collect_view()}</tbody>
                                </table>
                                <p class="legend">{t!(i18n, levels_legend)}</p>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
            // The charts in a boundary of their own: a Suspend nested in the one above
            // hydrated against whichever of the two resources the server had streamed first.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    charts.await.ok().flatten().map(|c| {
                        let query = format!("official={}", id().unwrap_or_default());
                        official_charts(c, &query)
                    })
                })}
            </Suspense>
        </section>
    }
}

/// The score trend, then each key result against its pace (two to a row when wide).
fn official_charts(c: OfficialCharts, query: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let trend = c
        .trend
        .map(|chart| view! { <ChartFigure chart=chart query=query.to_owned() /> });
    let pace = (!c.pace.is_empty()).then(|| {
        let figures = c
            .pace
            .into_iter()
            .map(|chart| view! { <ChartFigure chart=chart query=query.to_owned() /> })
            .collect_view();
        view! {
            <section data-testid="pace">
                <h2>{t!(i18n, official_pace)}</h2>
                <div class="chart-grid">{figures}</div>
            </section>
        }
    });
    view! { {trend}{pace} }
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
                        <label>{t!(i18n, checkin_note)}<input name="note" maxlength="2000" /></label>
                        <label>{t!(i18n, checkin_evidence)}<input name="evidence_url" type="url" maxlength="1000" /></label>
                        <button type="submit">{t!(i18n, checkin_submit)}</button>
                    </ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}

/// The hidden fields naming assessment `id` seen at `version`.
fn record_fields(id: i64, version: i32) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id />
        <input type="hidden" name="version" value=version />
    }
}

/// The level choice (each level with its name), `preselected` chosen, and the reason asked
/// when the choice departs from it.
fn level_fields(preselected: Option<Level>, reason_label: AnyView) -> impl IntoView {
    let lang = explain_lang();
    let option = move |l: Level| {
        let text = level_with_name(l.code(), lang);
        view! { <option value=l.code() selected={preselected == Some(l)}>{text}</option> }
    };
    view! {
        <select name="level">{Level::ALL.map(option).collect_view()}</select>
        <label>{reason_label}<input name="reason" maxlength="2000" /></label>
    }
}

/// The rights of the viewer and the actions of the official's page.
#[derive(Clone, Copy)]
struct Decisions {
    may_score: bool,
    may_approve: bool,
    score: ServerAction<ScoreAssessment>,
    approve: ServerAction<ApproveAssessment>,
    give_back: ServerAction<ReturnAssessment>,
}

fn assessment_row(a: AssessmentRow, d: Decisions) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version) = (a.id, a.version);
    let can = |m: AssessmentMove| a.moves.contains(&m);
    let (propose, approve, give_back) = (
        d.may_score && can(AssessmentMove::Propose),
        d.may_approve && can(AssessmentMove::Approve),
        (d.may_score || d.may_approve) && can(AssessmentMove::Return),
    );
    let suggested = a.proposed_level.or(a.engine_level);
    let engine = a.engine_level;
    let proposed = a.proposed_level;
    let href = format!("/assessments/{id}");
    view! {
        <tr>
            <td>{a.cycle_code}</td>
            <td>
                {a.score.map(|s| format!("{s:.2}")).unwrap_or_default()}
                " "<a href=href data-testid="explain-link">{t!(i18n, explain_link)}</a>
            </td>
            <td><LevelLabel level=a.engine_level /></td>
            <td><LevelLabel level=a.proposed_level /></td>
            <td><LevelLabel level=a.approved_level /></td>
            <td>
                <StateLabel code=a.state.code().to_owned() />
                {a.return_reason.map(|reason| view! { <p class="note">{t!(i18n, returned_because, reason)}</p> })}
                {a.level_reason.map(|reason| view! { <p class="note">{t!(i18n, level_reason_shown, reason)}</p> })}
            </td>
            // The actions column is there when the viewer may act; each form only when the
            // assessment's state allows its move (nothing moves in a closed cycle).
            {(d.may_score || d.may_approve).then(|| view! {
                <td>
                    {propose.then(|| view! {
                        <ActionForm action=d.score attr:class="inline-form">
                            {record_fields(id, version)}
                            {level_fields(engine.or(suggested), t!(i18n, decision_reason).into_any())}
                            <button type="submit">{t!(i18n, score_submit)}</button>
                        </ActionForm>
                    })}
                    {approve.then(|| view! {
                        <ActionForm action=d.approve attr:class="inline-form">
                            {record_fields(id, version)}
                            {level_fields(proposed, t!(i18n, approve_reason).into_any())}
                            <button type="submit">{t!(i18n, approve_submit)}</button>
                        </ActionForm>
                    })}
                    {give_back.then(|| view! {
                        <ActionForm action=d.give_back attr:class="inline-form">
                            {record_fields(id, version)}
                            <label>{t!(i18n, return_reason)}<input name="reason" maxlength="2000" required /></label>
                            <button type="submit" class="secondary">{t!(i18n, return_submit)}</button>
                        </ActionForm>
                    })}
                </td>
            })}
        </tr>
    }
}
