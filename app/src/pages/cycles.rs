//! `/cycles` — the evaluation cycles, for their administrators: each cycle's scheme, period,
//! state and deadlines (the legal defaults of its period, or the cycle's own, set here while it
//! is open), a button moving it one step forward
//! (planning → in progress → self-assessment → review → calibration → closed; closing locks
//! every record) and, for a closed cycle, reopening it with a written reason. Every move is
//! audited; a page read before someone else's move answers "changed by someone else". Server
//! function forms: hydrated, or plain posts without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::admin::{
    AssignKeyResults, AssignProducts, ChangeCycle, CreateCycle, DeleteTemplate, SetCycleDeadlines,
    UseTemplate, cycles_overview, work_templates,
};
use crate::api::dto::{AssignPlace, AssignResult, CycleRow, CycleState, TemplateRow};
use crate::components::error_view::ErrorView;
use crate::components::labels::{CycleStateLabel, PeriodKindLabel, explain_lang};
use crate::components::saves::saves;
use crate::components::typed::Typed;
use crate::domain::plan::KeyResultDraft;
use crate::domain::template::TemplateWork;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::plan::{key_result_fields, typed_key_result};

/// The cycles page.
#[component]
pub fn CyclesPage() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangeCycle>::new();
    let create = ServerAction::<CreateCycle>::new();
    let assign = AssignActions {
        product: ServerAction::new(),
        key_result: ServerAction::new(),
        template: ServerAction::new(),
        delete: ServerAction::new(),
    };
    // The saved templates, read again after an assignment (it may save one) or a deletion.
    let (given, given_kr, deleted) = (
        saves(assign.product),
        saves(assign.key_result),
        saves(assign.delete),
    );
    let templates = Resource::new(
        move || (given.get(), given_kr.get(), deleted.get()),
        |_| work_templates(),
    );
    let set = ServerAction::<SetCycleDeadlines>::new();
    let (moved, created, dated) = (saves(change), saves(create), saves(set));
    let cycles = Resource::new(
        move || (moved.get(), created.get(), dated.get()),
        |_| cycles_overview(),
    );
    // Hydrated, the action's answer; without JavaScript, the address the post came back to.
    let query = leptos_router::hooks::use_query_map();
    let dates_saved = move || {
        let saved = || {
            view! { <p class="alert alert-ok" role="status" data-testid="deadlines-saved">{t!(i18n, cycle_deadlines_saved)}</p> }.into_any()
        };
        match set.value().get() {
            Some(Ok(_)) => Some(saved()),
            Some(Err(error)) => Some(view! { <ErrorView error /> }.into_any()),
            None => query
                .with(|q| q.get_str("saved") == Some("deadlines"))
                .then(saved),
        }
    };
    let made = move || {
        match create.value().get() {
        Some(Ok(code)) => Some(
            view! { <p class="alert alert-ok" role="status" data-testid="cycle-created">{t!(i18n, cycle_created, code)}</p> }
                .into_any(),
        ),
        Some(Err(error)) => Some(view! { <ErrorView error /> }.into_any()),
        None => None,
    }
    };
    let outcome = move || match change.value().get() {
        Some(Ok(state)) => Some(
            view! {
                <p class="alert alert-ok" role="status" data-testid="cycle-saved">
                    {t!(i18n, cycle_saved)}" "<CycleStateLabel state />
                </p>
            }
            .into_any(),
        ),
        Some(Err(error)) => Some(view! { <ErrorView error /> }.into_any()),
        None => None,
    };
    view! {
        <section class="page cycles">
            <h1>{t!(i18n, cycles_title)}</h1>
            <p class="intro">{t!(i18n, cycles_intro)}</p>
            {made}
            {outcome}
            {dates_saved}
            {create_form(create)}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let templates = templates.await;
                    match cycles.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="empty">{t!(i18n, cycles_empty)}</p> }.into_any(),
                        Ok(rows) => view! {
                            {assign_forms(&rows, assign)}
                            {templates_section(&rows, templates, assign)}
                            <div class="table-wrap">
                                <table class="table cards" data-testid="cycles">
                                    <thead><tr>
                                        <th>{t!(i18n, col_cycle)}</th>
                                        <th>{t!(i18n, col_scheme)}</th>
                                        <th>{t!(i18n, col_period)}</th>
                                        <th>{t!(i18n, col_state)}</th>
                                        <th>{t!(i18n, col_deadlines)}</th>
                                        <th>{t!(i18n, col_actions)}</th>
                                    </tr></thead>
                                    <tbody>{rows.into_iter().map(|r| row(r, change, set)).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form creating a cycle: a built-in scheme, the kind of period, the year, the number.
/// Assigning one product, or one key result, to many officials, in a cycle not yet closed: a
/// trial first (a checkbox), then for real.
fn assign_forms(rows: &[CycleRow], actions: AssignActions) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let open = open_cycles(rows);
    // As typed, when a form comes back refused or tried.
    let (p, k) = (
        Typed::of::<AssignProducts>(),
        Typed::of::<AssignKeyResults>(),
    );
    let (whom_product, whom_kr) = (whom(&open, &p), whom(&open, &k));
    let keep = move |posted: &Typed| {
        let checked = posted.checked("save_template", false);
        view! { <label class="check"><input type="checkbox" name="save_template" value="true" checked=checked />{t!(i18n, assign_save_template)}</label> }
    };
    let draft = typed_key_result(&k, KeyResultDraft::default());
    (!open.is_empty()).then(|| {
        view! {
            <section class="card" data-testid="assign">
                <h2>{t!(i18n, assign_title)}</h2>
                <p class="hint">{t!(i18n, assign_intro)}</p>
                {assign_answer(actions.product, AssignPlace::Product)}
                <ActionForm action=actions.product attr:class="inline-form">
                    {whom_product}
                    <label>{t!(i18n, field_product_code)}<input name="product[code]" maxlength="32" required value=p.or("product[code]", "") /></label>
                    <label>{t!(i18n, field_product_title)}<input name="product[title]" maxlength="255" required value=p.or("product[title]", "") /></label>
                    <label>{t!(i18n, field_assigned)}<input name="product[assigned]" type="number" min="1" step="1" required value=p.or("product[assigned]", "") /></label>
                    <label>{t!(i18n, field_weight)}<input name="product[weight]" type="number" min="0.01" step="any" value=p.or("product[weight]", "1") required /></label>
                    <label>{t!(i18n, field_due_on)}<input name="product[due_on]" type="date" value=p.or("product[due_on]", "") /></label>
                    {trial_box(&p)}
                    {keep(&p)}
                    <button type="submit">{t!(i18n, assign_submit)}</button>
                </ActionForm>
            </section>
            <section class="card" data-testid="assign-kr">
                <h2>{t!(i18n, assign_kr_title)}</h2>
                <p class="hint">{t!(i18n, assign_kr_intro)}</p>
                {assign_answer(actions.key_result, AssignPlace::KeyResult)}
                <ActionForm action=actions.key_result attr:class="plan-form">
                    {whom_kr}
                    <label class="wide">{t!(i18n, field_objective_title)}<input name="objective[title]" maxlength="500" required value=k.or("objective[title]", "") /></label>
                    <label>{t!(i18n, field_objective_weight)}<input name="objective[weight]" type="text" inputmode="decimal" value=k.or("objective[weight]", "100") required /></label>
                    {key_result_fields(&draft)}
                    <label>{t!(i18n, field_kr_weight)}<input name="kr[weight]" type="text" inputmode="decimal" value=k.or("kr[weight]", "100") required /></label>
                    {trial_box(&k)}
                    {keep(&k)}
                    <button type="submit">{t!(i18n, assign_kr_submit)}</button>
                </ActionForm>
            </section>
            <p class="hint" data-testid="upload-link">
                {t!(i18n, assign_upload_hint)}" "<a href="/import">{t!(i18n, assign_upload_link)}</a>
            </p>
        }
    })
}

/// The cycles not yet closed, as (id, code): those work may be assigned in.
fn open_cycles(rows: &[CycleRow]) -> Vec<(i64, String)> {
    rows.iter()
        .filter(|r| r.state != CycleState::Closed)
        .map(|r| (r.id, r.code.clone()))
        .collect()
}

/// The field choosing one of the `open` cycles (the one `posted`, if a form came back).
fn cycle_select(open: &[(i64, String)], posted: &Typed) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let chosen = posted.get("cycle");
    let cycles = open
        .iter()
        .map(|(id, code)| {
            let selected = chosen.as_deref() == Some(id.to_string().as_str());
            view! { <option value=*id selected=selected>{code.clone()}</option> }
        })
        .collect_view();
    view! { <label>{t!(i18n, col_cycle)}<select name="cycle">{cycles}</select></label> }
}

/// The box making an assignment a trial (checked: nothing is written), as `posted` if a form
/// came back.
fn trial_box(posted: &Typed) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let checked = posted.checked("dry_run", true);
    view! { <label class="check"><input type="checkbox" name="dry_run" value="true" checked=checked />{t!(i18n, assign_dry_run)}</label> }
}

/// The fields of an assignment saying to whom: the cycle (one not closed), the unit, the job
/// position; as `posted` if the form came back.
fn whom(open: &[(i64, String)], posted: &Typed) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        {cycle_select(open, posted)}
        <label>{t!(i18n, field_unit_code)}<input name="unit" maxlength="64" required placeholder="HUE-X03" value=posted.or("unit", "") /></label>
        <label>{t!(i18n, field_job_position)}<input name="job_position" maxlength="255" value=posted.or("job_position", "") /></label>
    }
}

/// The server actions of the assignments and of the saved templates.
#[derive(Clone, Copy)]
struct AssignActions {
    product: ServerAction<AssignProducts>,
    key_result: ServerAction<AssignKeyResults>,
    template: ServerAction<UseTemplate>,
    delete: ServerAction<DeleteTemplate>,
}

/// The saved templates of work: each one what it assigns and to whom, used again in a cycle
/// not yet closed (a trial first) or deleted; an empty state says how one is saved.
fn templates_section(
    rows: &[CycleRow],
    templates: Result<Vec<TemplateRow>, crate::error::AppError>,
    actions: AssignActions,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let open = open_cycles(rows);
    let query = leptos_router::hooks::use_query_map();
    let deleted = move || match actions.delete.value().get() {
        Some(Ok(())) => true,
        Some(Err(_)) => false,
        None => query.with(|q| q.get_str("saved") == Some("template-deleted")),
    };
    let delete_refused = move || match actions.delete.value().get() {
        Some(Err(error)) => Some(view! { <ErrorView error /> }),
        _ => None,
    };
    let list = match templates {
        Ok(list) if list.is_empty() => {
            view! { <p class="empty">{t!(i18n, templates_empty)}</p> }.into_any()
        }
        Ok(list) => view! {
            <ul class="templates">
                {list.into_iter().map(|t| template_item(t, &open, actions)).collect_view()}
            </ul>
        }
        .into_any(),
        Err(error) => view! { <ErrorView error /> }.into_any(),
    };
    view! {
        <section class="card" data-testid="templates">
            <h2>{t!(i18n, templates_title)}</h2>
            <p class="hint">{t!(i18n, templates_intro)}</p>
            {assign_answer(actions.template, AssignPlace::Templates)}
            {move || deleted().then(|| view! { <p class="alert alert-ok" role="status" data-testid="template-deleted">{t!(i18n, template_deleted)}</p> })}
            {delete_refused}
            {list}
        </section>
    }
}

/// One saved template: what it assigns, to whom, and its two forms.
fn template_item(
    t: TemplateRow,
    open: &[(i64, String)],
    actions: AssignActions,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    // As chosen, when this template's use came back refused or tried.
    let posted = Typed::of::<UseTemplate>().for_record("template", t.id);
    let (title, cycles) = (t.work.title().to_owned(), cycle_select(open, &posted));
    let what = match t.work {
        TemplateWork::Product {
            code,
            assigned,
            weight,
            ..
        } => t!(
            i18n,
            template_product,
            code,
            assigned,
            weight = weight.to_string()
        )
        .into_any(),
        TemplateWork::KeyResult { objective, .. } => {
            t!(i18n, template_kr, objective = objective.title).into_any()
        }
    };
    let position = t.job_position.clone();
    let whom = move || match position.is_empty() {
        true => t!(i18n, template_every_position).into_any(),
        false => position.clone().into_any(),
    };
    view! {
        <li class="template" data-testid="template">
            <p><strong>{title}</strong>" · "{what}</p>
            <p class="hint">{t.unit_name}" ("{t.unit_code}") · "{whom}</p>
            <ActionForm action=actions.template attr:class="inline-form">
                <input type="hidden" name="template" value=t.id />
                {cycles}
                {trial_box(&posted)}
                <button type="submit">{t!(i18n, template_use)}</button>
            </ActionForm>
            <ActionForm action=actions.delete attr:class="inline-form">
                <input type="hidden" name="template" value=t.id />
                <input type="hidden" name="version" value=t.version />
                <button type="submit" class="secondary">{t!(i18n, template_delete)}</button>
            </ActionForm>
        </li>
    }
}

/// What an assignment came to — the action's answer once hydrated; without JavaScript, the
/// address the post was sent back to — for the forms of `place`.
fn assign_answer<S>(action: ServerAction<S>, place: AssignPlace) -> impl IntoView + use<S>
where
    S: leptos::server_fn::ServerFn<Output = AssignResult, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let from_address = move || {
        query.with(|q| {
            let keys = ["matched", "created", "trial", "what", "via"]
                .map(|k| q.get_str(k).map(str::to_owned));
            AssignResult::from_page(keys.each_ref().map(|k| k.as_deref()), place)
        })
    };
    move || match action.value().get().or_else(|| from_address().map(Ok)) {
        Some(Ok(done)) => {
            let (created, matched) = (done.created, done.matched);
            let text = match (done.dry_run, done.key_result) {
                (true, false) => t!(i18n, assign_tried, matched, created).into_any(),
                (false, false) => t!(i18n, assign_done, created, matched).into_any(),
                (true, true) => t!(i18n, assign_kr_tried, matched, created).into_any(),
                (false, true) => t!(i18n, assign_kr_done, created, matched).into_any(),
            };
            Some(
                view! { <p class="alert alert-ok" role="status" data-testid="assigned">{text}</p> }
                    .into_any(),
            )
        }
        Some(Err(error)) => Some(view! { <ErrorView error /> }.into_any()),
        None => None,
    }
}

fn create_form(create: ServerAction<CreateCycle>) -> impl IntoView {
    let i18n = use_i18n();
    // As typed, when the form comes back refused.
    let posted = Typed::of::<CreateCycle>();
    let scheme = posted.get("scheme");
    // The schemes' names follow the page's language.
    let options = move || {
        let lang = explain_lang();
        crate::domain::builtin_schemes()
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let name = crate::domain::explain::scheme_name(&s.id, lang)
                    .unwrap_or_else(|| s.id.clone());
                let selected = scheme.as_deref() == Some(s.id.as_str());
                view! { <option value=s.id selected=selected>{name}</option> }
            })
            .collect_view()
    };
    let kind = posted.or("kind", "month");
    let kind_option = move |code: &'static str, name: AnyView| {
        view! { <option value=code selected={kind == code}>{name}</option> }
    };
    view! {
        <section class="card" data-testid="cycle-create">
            <h2>{t!(i18n, cycle_create_title)}</h2>
            <ActionForm action=create attr:class="inline-form">
                <label>{t!(i18n, col_scheme)}<select name="scheme">{options}</select></label>
                <label>
                    {t!(i18n, field_period_kind)}
                    <select name="kind">
                        {kind_option("month", t!(i18n, period_month).into_any())}
                        {kind_option("quarter", t!(i18n, period_quarter).into_any())}
                        {kind_option("year", t!(i18n, period_year).into_any())}
                    </select>
                </label>
                <label>{t!(i18n, field_year)}<input name="year" type="number" min="2000" max="2100" required value=posted.or("year", "") /></label>
                <label>{t!(i18n, field_period_no)}<input name="number" type="number" min="1" max="12" required value=posted.or("number", "") /></label>
                <button type="submit">{t!(i18n, cycle_create_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// One cycle with the form of its next move and, while it is open, of its deadlines.
fn row(
    r: CycleRow,
    change: ServerAction<ChangeCycle>,
    set: ServerAction<SetCycleDeadlines>,
) -> impl IntoView {
    let i18n = use_i18n();
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let scheme = crate::domain::explain::scheme_name(&r.scheme_id, explain_lang())
        .unwrap_or_else(|| r.scheme_id.clone());
    let period = format!("{} – {}", date(r.starts_on), date(r.ends_on));
    let (id, version) = (r.id, r.version);
    let mine = r.own_deadlines;
    let open = r.state != CycleState::Closed;
    let deadlines = r.deadlines.map(|d| {
        let (own, review, approval) = (date(d.self_assessment), date(d.review), date(d.approval));
        let marked = |set: Option<chrono::NaiveDate>| {
            set.map(|_| view! { " "<em class="own-deadline">{t!(i18n, deadline_own)}</em> })
        };
        view! {
            <small>{t!(i18n, deadline_self, own)}{marked(mine.self_assessment)}</small><br />
            <small>{t!(i18n, deadline_review, review)}{marked(mine.review)}</small><br />
            <small>{t!(i18n, deadline_approval, approval)}{marked(mine.approval)}</small>
            {open.then(|| deadlines_form(id, version, d, set))}
        }
    });
    let code = r.code;
    let shown = code.clone();
    // The reopening's reason as typed, when it came back refused.
    let reason = Typed::of::<ChangeCycle>()
        .for_record("id", id)
        .or("reason", "");
    let step = match (r.state, r.next) {
        (CycleState::Closed, _) => view! {
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="step" value="reopen" />
                <label>{t!(i18n, reopen_reason)}<input name="reason" maxlength="2000" required value=reason /></label>
                <button type="submit" class="secondary">{t!(i18n, reopen_submit)}</button>
            </ActionForm>
        }
        .into_any(),
        (_, Some(next)) => view! {
            <ActionForm action=change attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <input type="hidden" name="step" value="advance" />
                <button type="submit">{t!(i18n, advance_to)}" "<CycleStateLabel state=next /></button>
            </ActionForm>
        }
        .into_any(),
        (_, None) => ().into_any(),
    };
    view! {
        <tr data-testid="cycle-row" data-code=code>
            <td class="card-title">{shown}</td>
            <td data-label=move || t_string!(i18n, col_scheme)>{scheme}</td>
            <td data-label=move || t_string!(i18n, col_period)><PeriodKindLabel kind=r.period_kind /><br /><small>{period}</small></td>
            <td data-label=move || t_string!(i18n, col_state) data-testid="cycle-state"><CycleStateLabel state=r.state /></td>
            <td data-label=move || t_string!(i18n, col_deadlines)>{deadlines}</td>
            <td>{step}</td>
        </tr>
    }
}

/// The form of a cycle's own deadlines, starting from the ones in force.
fn deadlines_form(
    id: i64,
    version: i32,
    d: crate::api::dto::Deadlines,
    set: ServerAction<SetCycleDeadlines>,
) -> impl IntoView {
    let i18n = use_i18n();
    // As typed, when this cycle's form came back refused; else the deadlines in force.
    let posted = Typed::of::<SetCycleDeadlines>().for_record("id", id);
    let iso =
        move |name: &str, d: chrono::NaiveDate| posted.or(name, d.format("%Y-%m-%d").to_string());
    view! {
        <details class="deadlines-edit" data-testid="deadlines-edit">
            <summary>{t!(i18n, deadlines_edit)}</summary>
            <ActionForm action=set attr:class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="version" value=version />
                <label>{t!(i18n, field_deadline_self)}<input name="deadline_self" type="date" value=iso("deadline_self", d.self_assessment) /></label>
                <label>{t!(i18n, field_deadline_review)}<input name="deadline_review" type="date" value=iso("deadline_review", d.review) /></label>
                <label>{t!(i18n, field_deadline_approval)}<input name="deadline_approval" type="date" value=iso("deadline_approval", d.approval) /></label>
                <p class="hint">{t!(i18n, deadlines_hint)}</p>
                <button type="submit">{t!(i18n, deadlines_submit)}</button>
            </ActionForm>
        </details>
    }
}
