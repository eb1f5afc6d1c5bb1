//! The decisions on an assessment — propose a level, approve it, return it for revision — as
//! server-function forms, shared by the official's page and the assessment's sheet. Each form
//! is shown only when the reader may make that move now; a level other than the one it
//! should follow asks for a reason.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::labels::explain_lang;
use super::saves::saves;
use super::typed::Typed;
use crate::api::dto::AssessmentRow;
use crate::api::people::{ApproveAssessment, ReturnAssessment, ScoreAssessment};
use crate::domain::Level;
use crate::domain::explain::level_with_name;
use crate::i18n::{t, use_i18n};

/// The server actions of the decisions, created once per page.
#[derive(Clone, Copy)]
pub struct DecisionActions {
    pub score: ServerAction<ScoreAssessment>,
    pub approve: ServerAction<ApproveAssessment>,
    pub give_back: ServerAction<ReturnAssessment>,
}

impl DecisionActions {
    pub fn new() -> Self {
        DecisionActions {
            score: ServerAction::new(),
            approve: ServerAction::new(),
            give_back: ServerAction::new(),
        }
    }

    /// Changes after each decision saved (see [`saves`]).
    pub fn saves(self) -> Memo<usize> {
        let (a, b, c) = (
            saves(self.score),
            saves(self.approve),
            saves(self.give_back),
        );
        Memo::new(move |_| a.get() + b.get() + c.get())
    }
}

impl Default for DecisionActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The decisions the reader may make on one assessment now.
#[derive(Clone, Copy, Default)]
pub struct Allowed {
    pub propose: bool,
    pub approve: bool,
    pub give_back: bool,
}

impl Allowed {
    pub fn any(self) -> bool {
        self.propose || self.approve || self.give_back
    }
}

/// The hidden fields naming assessment `id` seen at `version`.
pub fn record_fields(id: i64, version: i32) -> impl IntoView {
    view! {
        <input type="hidden" name="id" value=id />
        <input type="hidden" name="version" value=version />
    }
}

/// The level choice (each level with its name), `preselected` chosen, and the reason asked
/// when the choice departs from it; both as typed when this form was just refused.
fn level_fields(preselected: Option<Level>, reason_label: AnyView, typed: Typed) -> impl IntoView {
    let lang = explain_lang();
    let chosen = typed.or("level", preselected.map(|l| l.code()).unwrap_or_default());
    let option = move |l: Level| {
        let text = level_with_name(l.code(), lang);
        view! { <option value=l.code() selected={chosen == l.code()}>{text}</option> }
    };
    view! {
        <select name="level">{Level::ALL.map(option).collect_view()}</select>
        <label>{reason_label}<input name="reason" maxlength="2000" value=typed.or("reason", "") /></label>
    }
}

/// What was typed in each decision's form of one assessment, when it was just refused.
struct Posted {
    score: Typed,
    approve: Typed,
    give_back: Typed,
}

/// The forms of the decisions `allowed` on assessment `a`.
pub fn decision_forms(a: &AssessmentRow, allowed: Allowed, actions: DecisionActions) -> AnyView {
    let i18n = use_i18n();
    let (id, version) = (a.id, a.version);
    let engine = a.engine_level;
    let proposed = a.proposed_level;
    // What was typed in the form just refused, if it is one of these.
    let typed = Posted {
        score: Typed::of::<ScoreAssessment>().for_record("id", id),
        approve: Typed::of::<ApproveAssessment>().for_record("id", id),
        give_back: Typed::of::<ReturnAssessment>().for_record("id", id),
    };
    view! {
        {allowed.propose.then(|| view! {
            <ActionForm action=actions.score attr:class="inline-form">
                {record_fields(id, version)}
                {level_fields(engine.or(proposed), t!(i18n, decision_reason).into_any(), typed.score.clone())}
                <button type="submit">{t!(i18n, score_submit)}</button>
            </ActionForm>
        })}
        {allowed.approve.then(|| view! {
            <ActionForm action=actions.approve attr:class="inline-form">
                {record_fields(id, version)}
                {level_fields(proposed, t!(i18n, approve_reason).into_any(), typed.approve.clone())}
                <button type="submit">{t!(i18n, approve_submit)}</button>
            </ActionForm>
        })}
        {allowed.give_back.then(|| view! {
            <ActionForm action=actions.give_back attr:class="inline-form">
                {record_fields(id, version)}
                <label>
                    {t!(i18n, return_reason)}
                    <input
                        name="reason"
                        maxlength="2000"
                        required
                        value=typed.give_back.or("reason", "")
                    />
                </label>
                <button type="submit" class="secondary">{t!(i18n, return_submit)}</button>
            </ActionForm>
        })}
    }
    .into_any()
}
