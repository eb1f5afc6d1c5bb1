//! `/units/:id/calibration` — the calibration board of a unit in a year cycle (Decree 335
//! Art. 20): per task group, one column per level with its people, the cap against the count
//! and how many must leave HTXSNV, the engine's proposed demotions with their reasons (ties
//! flagged), moves with a written reason, an exception for an outstanding unit, the counts
//! before and after with who moved, and the approval that locks the levels. Every form is a
//! server-function form: hydrated, or a plain post without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::calibration::{
    CalibrationAccept, CalibrationApprove, CalibrationException, CalibrationMove, ClassifyYear,
    calibration_boards,
};
use crate::components::error_view::ErrorView;
use crate::components::labels::explain_lang;
use crate::components::saves::{answer, confirm_from_address, saves, track};
use crate::components::typed::Typed;
use crate::domain::Level;
use crate::domain::calibration::{Board, Equalized, Equalizer, GroupView, Person, UnitBoards};
use crate::domain::compare::Flag;
use crate::domain::explain::{level_with_name, render_line};
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::compare::flag_views;

/// The forms of the page.
#[derive(Clone, Copy)]
struct Forms {
    classify: ServerAction<ClassifyYear>,
    moves: ServerAction<CalibrationMove>,
    accept: ServerAction<CalibrationAccept>,
    exception: ServerAction<CalibrationException>,
    approve: ServerAction<CalibrationApprove>,
}

/// Which form was saved, for its confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Classified,
    Moved,
    Accepted,
    Exception,
    Approved,
}

/// The calibration page.
#[component]
pub fn CalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let unit = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let cycle = move || query.read().get("cycle").filter(|c| !c.is_empty());
    let forms = Forms {
        classify: ServerAction::new(),
        moves: ServerAction::new(),
        accept: ServerAction::new(),
        exception: ServerAction::new(),
        approve: ServerAction::new(),
    };
    let saved = [
        saves(forms.classify),
        saves(forms.moves),
        saves(forms.accept),
        saves(forms.exception),
        saves(forms.approve),
    ];
    let boards = Resource::new(
        move || (unit(), cycle(), saved.map(|s| s.get())),
        |(unit, cycle, _)| async move {
            match unit {
                Some(unit) => calibration_boards(unit, cycle).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let outcome = RwSignal::new(None);
    track(outcome, forms.classify, Saved::Classified);
    track(outcome, forms.moves, Saved::Moved);
    track(outcome, forms.accept, Saved::Accepted);
    track(outcome, forms.exception, Saved::Exception);
    track(outcome, forms.approve, Saved::Approved);
    confirm_from_address(outcome, |which| {
        Some(match which {
            "classified" => Saved::Classified,
            "moved" => Saved::Moved,
            "accepted" => Saved::Accepted,
            "exception" => Saved::Exception,
            "approved" => Saved::Approved,
            _ => return None,
        })
    });
    let answer = answer(outcome, move |which| match which {
        Saved::Classified => t!(i18n, calibration_classified).into_any(),
        Saved::Moved => t!(i18n, calibration_moved).into_any(),
        Saved::Accepted => t!(i18n, calibration_accepted).into_any(),
        Saved::Exception => t!(i18n, calibration_exception_saved).into_any(),
        Saved::Approved => t!(i18n, calibration_approved).into_any(),
    });
    view! {
        <section class="page calibration">
            {answer}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match boards.await {
                        Ok(b) => page(b, forms).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn page(b: UnitBoards, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let unit_page = format!("/units/{}", b.unit_id);
    let (unit, cycle) = (b.unit_name.clone(), b.cycle.clone().unwrap_or_default());
    let chooser = (b.cycles.len() > 1).then(|| {
        let chosen = cycle.clone();
        let options = b
            .cycles
            .iter()
            .map(|c| view! { <option value=c.clone() selected=*c == chosen>{c.clone()}</option> })
            .collect_view();
        view! {
            <form method="get" class="filters">
                <label>{t!(i18n, field_cycle)}<select name="cycle">{options}</select></label>
                <button type="submit">{t!(i18n, search_apply)}</button>
            </form>
        }
    });
    let locked = b.groups.iter().any(|g| g.approved.is_some());
    // The year's list for the Department of Home Affairs, as calibrated so far.
    let downloads = (b.may_export && !b.groups.is_empty()).then(|| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("unit", &b.unit_code)
            .append_pair("cycle", &cycle)
            .finish();
        let (xlsx, csv, pdf) = (
            format!("/export/classification?{query}&format=xlsx"),
            format!("/export/classification?{query}&format=csv"),
            format!("/export/classification?{query}&format=pdf"),
        );
        // Each person on the board links their own printable form.
        provide_context(FormLink(pdf.clone()));
        view! {
            <p class="downloads" data-testid="calibration-downloads">
                {t!(i18n, calibration_list)}": "
                <a href=xlsx rel="external">"XLSX"</a>" · "<a href=csv rel="external">"CSV"</a>
                " · "<a href=pdf rel="external">"PDF"</a>
            </p>
        }
    });
    let classify = b
        .cycle_id
        .filter(|_| b.may_calibrate && b.open && !locked)
        .map(|cycle_id| {
            view! {
                <ActionForm action=forms.classify attr:class="inline-form" attr:data-testid="classify">
                    <input type="hidden" name="unit" value=b.unit_id />
                    <input type="hidden" name="cycle" value=cycle_id />
                    <button type="submit" class="secondary">{t!(i18n, calibration_classify)}</button>
                </ActionForm>
                <p class="muted small">{t!(i18n, calibration_classify_help)}</p>
            }
        });
    let signals = (!b.groups.is_empty()).then(|| equalized(&b.equalized));
    // Decree 335's quota, unless the cycle's scheme sets none (Regulation 366).
    let intro = if !b.groups.is_empty() && b.groups.iter().all(|g| !g.board.quota) {
        view! { <p class="muted">{t!(i18n, calibration_intro_no_quota)}</p> }.into_any()
    } else {
        view! { <p class="muted">{t!(i18n, calibration_intro)}</p> }.into_any()
    };
    let body = if b.cycle.is_none() {
        view! { <p class="empty" data-testid="calibration-empty">{t!(i18n, calibration_no_cycle)}</p> }
            .into_any()
    } else if b.groups.is_empty() {
        view! { <p class="empty" data-testid="calibration-empty">{t!(i18n, calibration_empty)}</p> }
            .into_any()
    } else {
        let editable = b.may_calibrate && b.calibrating;
        let view_only = (b.may_calibrate && !b.calibrating).then(|| {
            view! { <p class="alert alert-warn">{t!(i18n, calibration_not_calibrating)}</p> }
        });
        let allows_exception = b.allows_exception;
        view! {
            {view_only}
            {b.groups.into_iter().map(|g| group(g, editable, allows_exception, forms)).collect_view()}
        }
        .into_any()
    };
    view! {
        <nav class="breadcrumb"><a href=unit_page>{t!(i18n, calibration_back)}</a></nav>
        <h1>{t!(i18n, calibration_title)}</h1>
        <p class="intro">{t!(i18n, calibration_of, unit, cycle)}</p>
        {intro}
        {chooser}
        {classify}
        {downloads}
        {signals}
        {body}
    }
}

/// The unit and the reviewers its year shows rated alike beyond chance, with the evidence;
/// or that none is.
fn equalized(found: &[Equalized]) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let items = found
        .iter()
        .map(|e| {
            let who = match &e.who {
                Equalizer::Unit(name) => {
                    let name = name.clone();
                    t!(i18n, calibration_equalized_unit, name).into_any()
                }
                Equalizer::Reviewer(name) => {
                    let name = name.clone();
                    t!(i18n, calibration_equalized_reviewer, name).into_any()
                }
            };
            let flag = flag_views(&[Flag::Concentrated(e.evidence)]);
            view! { <li data-testid="equalized-item"><strong>{who}</strong>" "{flag}</li> }
        })
        .collect_view();
    let list = if found.is_empty() {
        view! { <p class="muted">{t!(i18n, calibration_equalized_none)}</p> }.into_any()
    } else {
        view! { <ul>{items}</ul> }.into_any()
    };
    view! {
        <section class="card" data-testid="equalized">
            <h2>{t!(i18n, calibration_equalized)}</h2>
            {list}
        </section>
    }
}

/// One task group's board.
fn group(g: GroupView, editable: bool, allows_exception: bool, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let editable = editable && g.approved.is_none() && !g.yours;
    let yours = (g.yours && g.approved.is_none())
        .then(|| view! { <p class="alert alert-warn">{t!(i18n, calibration_yours)}</p> });
    let (id, version) = (g.id, g.version);
    let b = g.board;
    let name = b.task_group.clone();
    let locked = g.approved.map(|a| {
        let (by, on) = (a.by, a.on);
        view! { <p class="alert alert-ok" data-testid="board-locked">{t!(i18n, calibration_locked_by, by, on)}</p> }
    });
    let fields = move || {
        view! {
            <input type="hidden" name="group" value=id />
            <input type="hidden" name="version" value=version />
        }
        .into_any()
    };
    let approve = editable.then(|| {
        view! {
            <ActionForm action=forms.approve attr:class="inline-form" attr:data-testid="board-approve">
                {fields()}
                <button type="submit">{t!(i18n, calibration_approve)}</button>
            </ActionForm>
        }
    });
    let exception = (editable && allows_exception).then(|| exception_form(&b, fields, forms));
    let shown_exception = b.exception.clone().map(|e| {
        let (reference, approver) = (e.reference, e.approved_by);
        view! { <p data-testid="board-exception">{t!(i18n, calibration_exception_shown, reference, approver)}</p> }
    });
    view! {
        <section class="card board" data-testid="board">
            <h2>{t!(i18n, calibration_group, group = name)}</h2>
            {locked}
            {yours}
            {status(&b)}
            {shown_exception}
            {proposals(&b, editable, fields, forms)}
            {columns(&b, editable, fields, forms)}
            {before_after(&b)}
            {exception}
            {approve}
        </section>
    }
}

/// The cap, the counts and what is left to do.
fn status(b: &Board) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let lang = explain_lang();
    let (top, relative) = (
        level_with_name(b.top.code(), lang),
        level_with_name(b.relative_to.code(), lang),
    );
    let (top_count, relative_count) = (b.now.top, b.now.relative);
    let cap = match b.cap {
        _ if !b.quota => {
            let (top, relative) = (top.clone(), relative.clone());
            t!(
                i18n,
                calibration_no_quota,
                top,
                relative,
                top_count,
                relative_count
            )
            .into_any()
        }
        Some(cap) => {
            let (top, relative) = (top.clone(), relative.clone());
            t!(
                i18n,
                calibration_cap,
                top,
                cap,
                relative,
                top_count,
                relative_count
            )
            .into_any()
        }
        None => {
            let (top, relative) = (top.clone(), relative.clone());
            t!(
                i18n,
                calibration_cap_lifted,
                top,
                relative,
                top_count,
                relative_count
            )
            .into_any()
        }
    };
    let verdict = if !b.quota {
        view! { <p class="alert alert-ok" data-testid="board-status">{t!(i18n, calibration_no_quota_status)}</p> }
            .into_any()
    } else if b.within_quota() {
        view! { <p class="alert alert-ok" data-testid="board-status">{t!(i18n, calibration_within)}</p> }
            .into_any()
    } else {
        let count = b.remove;
        view! { <p class="alert alert-warn" data-testid="board-status">{t!(i18n, calibration_remove, count, top)}</p> }
            .into_any()
    };
    view! {
        <p data-testid="board-cap">{cap}</p>
        {verdict}
    }
}

/// The engine's proposed demotions, each with its reason, and the button accepting them.
fn proposals(
    b: &Board,
    editable: bool,
    fields: impl Fn() -> AnyView + Copy + Send + 'static,
    forms: Forms,
) -> Option<AnyView> {
    let i18n = use_i18n();
    if b.proposals.is_empty() {
        return None;
    }
    let lang = explain_lang();
    let items = b
        .proposals
        .iter()
        .map(|p| {
            let person = &b.people[p.index];
            let why = render_line(&p.why, lang);
            let tie = p.tie.then(|| view! { " "<span class="tag">{t!(i18n, calibration_tie)}</span> });
            view! {
                <li data-testid="proposal">
                    <strong>{person.name.clone()}</strong>" ("{person.code.clone()}") · "{points(person.score)}
                    {tie}
                    <br /><small class="muted">{why}</small>
                </li>
            }
        })
        .collect_view();
    let accept = editable.then(|| {
        view! {
            <ActionForm action=forms.accept attr:class="inline-form" attr:data-testid="board-accept">
                {fields()}
                <button type="submit">{t!(i18n, calibration_accept)}</button>
            </ActionForm>
        }
    });
    Some(
        view! {
            <h3>{t!(i18n, calibration_proposals)}</h3>
            <ol class="proposals">{items}</ol>
            {accept}
        }
        .into_any(),
    )
}

fn points(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.2}"))
}

/// One column per level (and "not classified" when anyone is), highest first.
fn columns(
    b: &Board,
    editable: bool,
    fields: impl Fn() -> AnyView + Copy + Send + 'static,
    forms: Forms,
) -> AnyView {
    let i18n = use_i18n();
    let lang = explain_lang();
    let levels: Vec<Option<Level>> = Level::ALL
        .into_iter()
        .map(Some)
        .chain(b.column(None).next().map(|_| None))
        .collect();
    let typed = Typed::of::<CalibrationMove>();
    let columns = levels
        .into_iter()
        .map(|level| {
            let people: Vec<Person> = b.column(level).cloned().collect();
            let count = people.len();
            let title = match level {
                Some(l) => level_with_name(l.code(), lang).into_any(),
                None => t!(i18n, calibration_column_none).into_any(),
            };
            let list = if people.is_empty() {
                view! { <p class="muted">{t!(i18n, calibration_column_empty)}</p> }.into_any()
            } else {
                let items = people
                    .into_iter()
                    .map(|p| person(p, editable, fields, forms, typed.clone()))
                    .collect_view();
                view! { <ul class="board-people">{items}</ul> }.into_any()
            };
            let code = level.map_or("none", Level::code);
            view! {
                <div class="board-column" data-testid="board-column" data-level=code>
                    <h3>{title}" · "{count}</h3>
                    {list}
                </div>
            }
        })
        .collect_view();
    view! { <div class="board-columns">{columns}</div> }.into_any()
}

/// The unit's printable list (`…&format=pdf`), to which a person's code is added for their
/// form; absent when the viewer may not export.
#[derive(Clone)]
struct FormLink(String);

/// One person in a column: score, where they stood before and why they moved, and the form
/// moving them.
fn person(
    p: Person,
    editable: bool,
    fields: impl Fn() -> AnyView + Copy + Send + 'static,
    forms: Forms,
    typed: Typed,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = explain_lang();
    let kept = (!p.moved())
        .then(|| p.reason.clone())
        .flatten()
        .map(|reason| {
            view! { <br /><small class="muted" data-testid="kept">{reason}</small> }
        });
    let moved = p.moved().then(|| {
        let level = p
            .before
            .map_or_else(|| t_string!(i18n, calibration_column_none).to_string(), |l| {
                level_with_name(l.code(), lang)
            });
        let why = match p.reason.clone() {
            Some(reason) => view! { <span>{reason}</span> }.into_any(),
            None => t!(i18n, calibration_by_quota).into_any(),
        };
        view! {
            <br /><small class="muted" data-testid="moved">{t!(i18n, calibration_moved_from, level)}" — "{why}</small>
        }
    });
    let form = editable.then(|| {
        let typed = typed.for_record("assessment", p.assessment_id);
        let chosen = typed.get("level");
        let reopen = chosen.is_some();
        let reason = typed.or("reason", "");
        let options = Level::ALL
            .into_iter()
            .filter(|l| Some(*l) != p.now)
            .map(|l| {
                let selected = chosen.as_deref() == Some(l.code());
                view! { <option value=l.code() selected=selected>{level_with_name(l.code(), lang)}</option> }
            })
            .collect_view();
        view! {
            <details open=reopen>
                <summary>{t!(i18n, calibration_move)}</summary>
                <ActionForm action=forms.moves attr:class="inline-form" attr:data-testid="move-form">
                    {fields()}
                    <input type="hidden" name="assessment" value=p.assessment_id />
                    <label>{t!(i18n, calibration_move_to)}<select name="level">{options}</select></label>
                    <label>{t!(i18n, field_reason)}
                        <input name="reason" maxlength="2000" value=reason />
                    </label>
                    <button type="submit">{t!(i18n, calibration_move)}</button>
                </ActionForm>
            </details>
        }
    });
    let printable = use_context::<FormLink>().map(|FormLink(list)| {
        let href = format!(
            "{list}&{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("official", &p.code)
                .finish()
        );
        view! {
            " · "<a href=href rel="external" data-testid="person-pdf"
                title=move || t_string!(i18n, calibration_form_pdf)>"PDF"</a>
        }
    });
    view! {
        <li data-testid="board-person" data-code=p.code.clone()>
            <a href=format!("/officials/{}", p.official_id)>{p.name.clone()}</a>
            " "<small>"("{p.code.clone()}")"</small>" · "
            <a href=format!("/assessments/{}", p.assessment_id) title=move || t_string!(i18n, queue_explain)>
                <strong>{points(p.score)}</strong>
            </a>
            {printable}
            {moved}
            {kept}
            {form}
        </li>
    }
}

/// The counts before and after calibration, and who moved.
fn before_after(b: &Board) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let lang = explain_lang();
    let rows = b
        .before_after()
        .into_iter()
        .filter(|(level, before, after)| level.is_some() || before + after > 0)
        .map(|(level, before, after)| {
            let name = match level {
                Some(l) => level_with_name(l.code(), lang).into_any(),
                None => t!(i18n, calibration_column_none).into_any(),
            };
            view! { <tr><td>{name}</td><td class="num">{before}</td><td class="num">{after}</td></tr> }
        })
        .collect_view();
    let moved: Vec<Person> = b.moved().cloned().collect();
    let who = if moved.is_empty() {
        view! { <p class="muted">{t!(i18n, calibration_nobody_moved)}</p> }.into_any()
    } else {
        let items = moved
            .into_iter()
            .map(|p| {
                let from = p.before.map_or("—", Level::code);
                let to = p.now.map_or("—", Level::code);
                view! { <li>{p.name}" ("{p.code}"): "{level_with_name(from, lang)}" → "{level_with_name(to, lang)}</li> }
            })
            .collect_view();
        view! { <ul data-testid="who-moved">{items}</ul> }.into_any()
    };
    view! {
        <details class="before-after" data-testid="before-after">
            <summary>{t!(i18n, calibration_before_after)}</summary>
            <table class="table">
                <thead><tr>
                    <th>{t!(i18n, calibration_level)}</th>
                    <th class="num">{t!(i18n, calibration_before)}</th>
                    <th class="num">{t!(i18n, calibration_after)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <h4>{t!(i18n, calibration_who_moved)}</h4>
            {who}
        </details>
    }
}

/// The exception for an outstanding unit: its decision's reference, who approved it, the cap.
fn exception_form(
    b: &Board,
    fields: impl Fn() -> AnyView + Copy + Send + 'static,
    forms: Forms,
) -> AnyView {
    let i18n = use_i18n();
    let typed = Typed::of::<CalibrationException>();
    let shown = b.exception.clone();
    let reference = typed.or(
        "reference",
        shown
            .as_ref()
            .map(|e| e.reference.clone())
            .unwrap_or_default(),
    );
    let approver = typed.or(
        "approved_by",
        shown
            .as_ref()
            .map(|e| e.approved_by.clone())
            .unwrap_or_default(),
    );
    let cap = typed.or(
        "max_percent",
        shown
            .as_ref()
            .and_then(|e| e.max_percent)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    view! {
        <details class="exception" open=typed.get("reference").is_some()>
            <summary>{t!(i18n, calibration_exception)}</summary>
            <p class="muted small">{t!(i18n, calibration_exception_help)}</p>
            <ActionForm action=forms.exception attr:class="inline-form" attr:data-testid="exception-form">
                {fields()}
                <label>{t!(i18n, field_reference)}<input name="reference" maxlength="255" value=reference /></label>
                <label>{t!(i18n, field_approved_by)}<input name="approved_by" maxlength="255" value=approver /></label>
                <label>{t!(i18n, field_max_percent)}<input name="max_percent" type="number" min="0" max="100" value=cap /></label>
                <button type="submit" class="secondary">{t!(i18n, calibration_exception_save)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
