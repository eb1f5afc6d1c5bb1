//! `/officials/:id` — one official: key results (with a check-in form for the owner) and
//! assessments (with the forms to propose, return and approve a level for those allowed, each
//! only when the assessment's state allows it, and a link to each score's explanation). Forms are server
//! function forms: they work hydrated and, without JavaScript, as plain posts.

use super::compare::ChartFigure;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::dto::{AssessmentRow, KeyResultRow};
use crate::api::people::{AddCheckIn, get_official};
use crate::components::check_in::check_in_form;
use crate::components::decisions::{Allowed, DecisionActions, decision_forms};
use crate::components::error_view::ErrorView;
use crate::components::labels::{LevelLabel, StateLabel};
use crate::components::saves::{answer, confirm_from_address, saves, track};
use crate::domain::AssessmentMove;
use crate::domain::compare::OfficialCharts;
use crate::i18n::{t, use_i18n};

/// Which of the page's forms was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    CheckIn,
    Decision,
}

/// One official's page.
#[component]
pub fn OfficialPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let check_in = ServerAction::<AddCheckIn>::new();
    let decisions = DecisionActions::new();
    let charts = Resource::new(
        move || (id(), i18n.get_locale() == crate::i18n::Locale::en),
        |(id, en)| async move {
            match id {
                Some(id) => crate::api::compare::official_charts(id, en).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let (checked_in, decided) = (saves(check_in), decisions.saves());
    let detail = Resource::new(
        move || (id(), checked_in.get(), decided.get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_official(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    // The answer of the last save: its confirmation (hydrated; without JavaScript the page
    // reloads with the saved values in place), or its refusal in words.
    let outcome = RwSignal::new(None);
    track(outcome, check_in, Saved::CheckIn);
    track(outcome, decisions.score, Saved::Decision);
    track(outcome, decisions.approve, Saved::Decision);
    track(outcome, decisions.give_back, Saved::Decision);
    confirm_from_address(outcome, |which| match which {
        "check_in" => Some(Saved::CheckIn),
        "decision" => Some(Saved::Decision),
        _ => None,
    });
    let answer = answer(outcome, move |which| match which {
        Saved::CheckIn => t!(i18n, check_in_saved).into_any(),
        Saved::Decision => t!(i18n, decision_saved).into_any(),
    });
    view! {
        <section class="page official">
            {answer}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => {
                            let may_check_in = d.may_check_in;
                            let rights = Rights { may_score: d.may_score, may_approve: d.may_approve, actions: decisions };
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
                                        {(rights.may_score || rights.may_approve).then(|| view! { <th>{t!(i18n, col_actions)}</th> })}
                                    </tr></thead>
                                    <tbody>{d.assessments.into_iter().map(|a| assessment_row(a, rights)).collect_view()}</tbody>
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
    view! {
        <tr>
            <td>{kr.title}</td>
            <td>{format!("{} {}", kr.current_value, kr.unit_of_measure)}</td>
            <td>{format!("{} {}", kr.target_value, kr.unit_of_measure)}</td>
            // The actions column is there when the viewer may check in; the form only on
            // key results of a cycle not yet closed.
            {may_check_in.then(|| view! {
                <td>
                    {(!kr.cycle_closed).then(|| check_in_form(kr.id, action))}
                </td>
            })}
        </tr>
    }
}

/// The rights of the viewer on the official and the actions of the page's decisions.
#[derive(Clone, Copy)]
struct Rights {
    may_score: bool,
    may_approve: bool,
    actions: DecisionActions,
}

fn assessment_row(a: AssessmentRow, d: Rights) -> impl IntoView {
    let i18n = use_i18n();
    let can = |m: AssessmentMove| a.moves.contains(&m);
    let allowed = Allowed {
        propose: d.may_score && can(AssessmentMove::Propose),
        approve: d.may_approve && can(AssessmentMove::Approve),
        give_back: (d.may_score || d.may_approve) && can(AssessmentMove::Return),
    };
    let forms = (d.may_score || d.may_approve).then(|| decision_forms(&a, allowed, d.actions));
    let href = format!("/assessments/{}", a.id);
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
            {forms.map(|forms| view! { <td>{forms}</td> })}
        </tr>
    }
}
