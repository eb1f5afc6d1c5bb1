//! `/personnel` — the "in – out – up – down" board of the organising committee and the
//! leadership: the candidates the organisation's rules put forward, each with their periods'
//! scores and levels; each unit over or under its approved headcount, with the transfers that
//! would rebalance the province; the form recording a decision (applied from its effective
//! date, never automatically); and the decisions recorded. Works without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::personnel::{
    CandidateRow, DecisionItem, PersonnelBoard, RecordDecision, SavePersonnelRules, StaffingRow,
    TransferRow, personnel_board,
};
use crate::components::error_view::ErrorView;
use crate::components::labels::LevelLabel;
use crate::components::rule_inputs::rule_inputs;
use crate::components::saves::{answer, confirm_from_address, saves, track};
use crate::components::typed::Typed;
use crate::domain::personnel::{Candidacy, DecisionKind, PERSONNEL_FIELDS};
use crate::i18n::{t, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    Decided,
    Rules,
}

#[derive(Clone, Copy)]
struct Forms {
    decide: ServerAction<RecordDecision>,
    rules: ServerAction<SavePersonnelRules>,
}

/// The board page.
#[component]
pub fn PersonnelPage() -> impl IntoView {
    let i18n = use_i18n();
    let forms = Forms {
        decide: ServerAction::new(),
        rules: ServerAction::new(),
    };
    let saved = [saves(forms.decide), saves(forms.rules)];
    let board = Resource::new(move || saved.map(|s| s.get()), |_| personnel_board());
    let outcome = RwSignal::new(None);
    track(outcome, forms.decide, Saved::Decided);
    track(outcome, forms.rules, Saved::Rules);
    confirm_from_address(outcome, |which| match which {
        "decided" => Some(Saved::Decided),
        "rules" => Some(Saved::Rules),
        _ => None,
    });
    let answer = answer(outcome, move |which| match which {
        Saved::Decided => t!(i18n, personnel_decided).into_any(),
        Saved::Rules => t!(i18n, personnel_rules_saved).into_any(),
    });
    view! {
        <section class="page personnel">
            {answer}
            <h1>{t!(i18n, personnel_title)}</h1>
            <p class="intro">{t!(i18n, personnel_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(b) => body(b, forms).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The translated name of a decision's kind.
fn kind_name(kind: DecisionKind) -> AnyView {
    let i18n = use_i18n();
    match kind {
        DecisionKind::In => t!(i18n, decision_in).into_any(),
        DecisionKind::Out => t!(i18n, decision_out).into_any(),
        DecisionKind::Promote => t!(i18n, decision_promote).into_any(),
        DecisionKind::Demote => t!(i18n, decision_demote).into_any(),
        DecisionKind::Transfer => t!(i18n, decision_transfer).into_any(),
    }
}

fn body(b: PersonnelBoard, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    let rules = b.rules;
    let rules_form = b
        .may_edit_rules
        .then(|| rules_form(rules.values(), b.rules_version, forms.rules));
    let group = |candidacy: Candidacy| {
        let rows: Vec<CandidateRow> = b
            .candidates
            .iter()
            .filter(|c| c.candidacy == candidacy)
            .cloned()
            .collect();
        let (title, help) = match candidacy {
            Candidacy::Up => (
                t!(i18n, personnel_up).into_any(),
                t!(
                    i18n,
                    personnel_up_rule,
                    n = rules.up_periods,
                    p = rules.up_top_percent
                )
                .into_any(),
            ),
            Candidacy::Out => (
                t!(i18n, personnel_out).into_any(),
                t!(i18n, personnel_out_rule, n = rules.out_years).into_any(),
            ),
            Candidacy::Down => (
                t!(i18n, personnel_down).into_any(),
                t!(
                    i18n,
                    personnel_down_rule,
                    n = rules.down_years,
                    p = rules.down_bottom_percent,
                    ranked = b.ranked
                )
                .into_any(),
            ),
        };
        let n = rows.len();
        let list = if rows.is_empty() {
            view! { <p class="empty">{t!(i18n, personnel_no_candidates)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="candidates">
                        <thead><tr>
                            <th scope="col">{t!(i18n, field_official)}</th>
                            <th scope="col">{t!(i18n, col_unit)}</th>
                            <th scope="col">{t!(i18n, field_job_position)}</th>
                            <th scope="col">{t!(i18n, personnel_evidence)}</th>
                            <th scope="col">{t!(i18n, personnel_standing)}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(candidate).collect_view()}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        view! {
            <details class="candidate-group" open=n <= 10 data-testid=format!("candidates-{}", candidacy.code())>
                <summary><strong>{title}</strong>" ("{n}")"</summary>
                <p class="muted small">{help}</p>
                {list}
            </details>
        }
    };
    let groups = view! {
        {group(Candidacy::Up)}
        {group(Candidacy::Out)}
        {group(Candidacy::Down)}
    };
    view! {
        <h2>{t!(i18n, personnel_candidates)}</h2>
        <p class="muted">{t!(i18n, personnel_candidates_help)}</p>
        {rules_form}
        {groups}
        <h2>{t!(i18n, personnel_staffing)}</h2>
        {staffing(b.staffing)}
        <h3>{t!(i18n, personnel_transfers)}</h3>
        {transfers(b.transfers)}
        <h2>{t!(i18n, personnel_decide)}</h2>
        {form(forms.decide)}
        <h2>{t!(i18n, personnel_decisions)}</h2>
        {decisions(b.decisions)}
    }
}

fn candidate(c: CandidateRow) -> impl IntoView {
    let i18n = use_i18n();
    let periods = c
        .periods
        .into_iter()
        .map(|p| {
            let score = p
                .score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "—".into());
            let link = p.assessment_id.map(|a| format!("/assessments/{a}"));
            view! {
                <li><a href=link>{p.cycle}</a>": "{score}" "<LevelLabel level=p.level /></li>
            }
        })
        .collect_view();
    let standing = match (c.rank, c.mean) {
        (Some((rank, size)), _) => {
            Some(t!(i18n, personnel_rank, rank = rank, size = size).into_any())
        }
        (None, Some(m)) => Some(t!(i18n, personnel_mean, mean = format!("{m:.2}")).into_any()),
        _ => None,
    };
    let href = format!("/officials/{}", c.official_id);
    view! {
        <tr data-testid="candidate">
            <td><a href=href>{c.name}</a>" ("{c.code}")"</td>
            <td>{c.unit_name}</td>
            <td>{c.job_position}</td>
            <td><ul class="periods">{periods}</ul></td>
            <td>{standing}</td>
        </tr>
    }
}

fn staffing(rows: Vec<StaffingRow>) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, personnel_balanced)}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|r| {
            let gap = if r.gap > 0 {
                view! { <span class="surplus">{t!(i18n, compare_surplus, n = r.gap)}</span> }
                    .into_any()
            } else {
                view! { <span class="shortage">{t!(i18n, compare_shortage, n = -r.gap)}</span> }
                    .into_any()
            };
            view! {
                <tr data-testid="staffing-row">
                    <td><a href=format!("/units/{}", r.unit_id)>{r.name}</a></td>
                    <td class="num">{r.active}</td>
                    <td class="num">{r.approved}</td>
                    <td>{gap}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table data-testid="staffing">
                <thead><tr>
                    <th scope="col">{t!(i18n, col_unit)}</th>
                    <th scope="col" class="num">{t!(i18n, personnel_active)}</th>
                    <th scope="col" class="num">{t!(i18n, col_headcount)}</th>
                    <th scope="col">{t!(i18n, personnel_gap)}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn transfers(rows: Vec<TransferRow>) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, personnel_no_transfers)}</p> }.into_any();
    }
    view! {
        <p class="muted small">{t!(i18n, personnel_transfers_help)}</p>
        <ul data-testid="transfers">
            {rows.into_iter().map(|r| view! {
                <li data-testid="transfer">
                    {t!(i18n, personnel_transfer, from = r.from.1, to = r.to.1, count = r.count, position = r.job_position)}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn form(decide: ServerAction<RecordDecision>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = Typed::of::<RecordDecision>();
    let kind = typed.or("kind", "transfer");
    let kinds = DecisionKind::ALL
        .iter()
        .map(
            |k| view! { <option value=k.code() selected=k.code() == kind>{kind_name(*k)}</option> },
        )
        .collect_view();
    view! {
        <ActionForm action=decide attr:class="stacked decision-form" attr:data-testid="decide">
            <label>{t!(i18n, field_official)}
                <input name="official" maxlength="64" required value=typed.or("official", "") />
            </label>
            <label>{t!(i18n, field_kind)}<select name="kind">{kinds}</select></label>
            <label>{t!(i18n, field_to_unit)}
                <input name="to_unit" maxlength="64" value=typed.or("to_unit", "") />
            </label>
            <label>{t!(i18n, field_effective_on)}
                <input name="effective_on" type="date" required value=typed.or("effective_on", "") />
            </label>
            <label>{t!(i18n, field_reference)}
                <input name="reference" maxlength="100" required value=typed.or("reference", "") />
            </label>
            <label>{t!(i18n, field_rationale)}
                <textarea name="rationale" maxlength="2000" required>{typed.or("rationale", "")}</textarea>
            </label>
            <button type="submit">{t!(i18n, personnel_record)}</button>
        </ActionForm>
    }
}

/// The candidate rules' form of the organising committee of a province or city.
fn rules_form(
    values: [u32; 5],
    version: i32,
    action: ServerAction<SavePersonnelRules>,
) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = rule_inputs(
        Typed::of::<SavePersonnelRules>(),
        &PERSONNEL_FIELDS,
        &values,
    );
    view! {
        <details class="rules" data-testid="personnel-rules">
            <summary>{t!(i18n, personnel_rules)}</summary>
            <p class="muted small">{t!(i18n, personnel_rules_help)}</p>
            <ActionForm action=action attr:class="stacked">
                <input type="hidden" name="version" value=version />
                {inputs}
                <button type="submit">{t!(i18n, personnel_rules_save)}</button>
            </ActionForm>
        </details>
    }
}

fn decisions(rows: Vec<DecisionItem>) -> AnyView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="empty">{t!(i18n, personnel_no_decisions)}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|d| {
            let moved = match (d.from_unit, d.to_unit) {
                (Some(from), Some(to)) if from != to => format!("{from} → {to}"),
                (from, to) => to.or(from).unwrap_or_default(),
            };
            let applied = match d.applied_at {
                Some(_) => t!(i18n, personnel_applied).into_any(),
                None => t!(i18n, personnel_pending).into_any(),
            };
            view! {
                <tr data-testid="decision">
                    <td>{d.effective_on.format("%d/%m/%Y").to_string()}</td>
                    <td><a href=format!("/officials/{}", d.official_id)>{d.official_name}</a></td>
                    <td>{d.kind.map(kind_name)}</td>
                    <td>{moved}</td>
                    <td>{d.reference}</td>
                    <td>{d.reason}</td>
                    <td>{d.decided_by}</td>
                    <td>{applied}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table data-testid="decisions">
                <thead><tr>
                    <th scope="col">{t!(i18n, field_effective_on)}</th>
                    <th scope="col">{t!(i18n, field_official)}</th>
                    <th scope="col">{t!(i18n, field_kind)}</th>
                    <th scope="col">{t!(i18n, col_unit)}</th>
                    <th scope="col">{t!(i18n, field_reference)}</th>
                    <th scope="col">{t!(i18n, field_rationale)}</th>
                    <th scope="col">{t!(i18n, personnel_decided_by)}</th>
                    <th scope="col">{t!(i18n, personnel_state)}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
