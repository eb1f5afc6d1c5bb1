//! The "in – out – up – down" board of the organising committee and the leadership: the
//! candidates by the organisation's rules ([`crate::domain::personnel`]) with their evidence,
//! the staffing balance of each unit with the transfers that would rebalance the province, and
//! the recorded decisions — each applied to the person from its effective date (a transfer
//! moves the official, whose period results go with them; an exit ends their service), never
//! automatically from a candidacy.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, invalid, refuse_anywhere};
use crate::domain::access::Action;
use crate::domain::deadline::local_date;
use crate::domain::level::Level;
use crate::domain::personnel::{
    Candidacy, DecisionDraft, DecisionKind, PersonnelRules, Transfer, UnitStaff, check_decision,
    is_out, is_up, share_count, suggest_transfers,
};
use crate::domain::vocab::OfficialStatus;
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::personnel::{self as repo, DecisionRow, NewDecision, Standing};
use crate::ssr::repo::{headcount, officials, org_units, rules, versions};

/// The key of the candidate rules in `rule_setting`.
pub const RULES_KEY: &str = "personnel";
/// Candidates of each kind the board reads at most.
pub const CANDIDATES_READ: u64 = 200;
/// Decisions the board lists.
pub const DECISIONS_SHOWN: u64 = 50;

/// The organisation's candidate rules and their version (0: the defaults, never changed).
pub async fn rules_of(db: &impl ConnectionTrait) -> Result<(PersonnelRules, i32), AppError> {
    rules::load(db, RULES_KEY).await
}

/// The roots of the units whose people the actor decides on: their organiser and leadership
/// grants; refused (audited) for anyone else.
async fn roots_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    let roots = crate::domain::personnel::deciding_roots(principal);
    if roots.is_empty() {
        refuse_anywhere(db, actor, Action::Approve, ("personnel", 0), now).await?;
    }
    Ok(roots)
}

/// A candidate with the periods their candidacy rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub candidacy: Candidacy,
    pub standing: Standing,
    /// The codes of the cycles read, newest first, matching the standing's results.
    pub cycles: Vec<(i64, String)>,
    /// For "up": the rank in the task group and its size; for "down": the mean score.
    pub rank: Option<(u64, u64)>,
    pub mean: Option<f64>,
}

/// A unit's staffing against its approved headcount.
#[derive(Debug, Clone, PartialEq)]
pub struct Staffing {
    pub unit_id: i64,
    pub name: String,
    pub active: u32,
    pub approved: u32,
    pub gap: i64,
}

/// The board.
#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub candidates: Vec<Candidate>,
    /// Officials ranked for "down" (the population of the bottom-up ranking).
    pub ranked: u64,
    pub staffing: Vec<Staffing>,
    pub transfers: Vec<Transfer>,
    pub decisions: Vec<DecisionRow>,
    /// The names of the units of the balance.
    pub unit_names: std::collections::HashMap<i64, String>,
    pub rules: PersonnelRules,
    pub rules_version: i32,
    /// Whether the actor may change the candidate rules ([`save_rules`]).
    pub may_edit_rules: bool,
}

/// The board of the units the actor decides on, as of `now`.
pub async fn board(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Board, AppError> {
    let roots = roots_of(db, actor, now).await?;
    let today = local_date(now);
    let (rules, rules_version) = rules_of(db).await?;
    let mut candidates = Vec::new();

    // Up: HTXSNV in each of the last months ended, and in the top of the task group in the latest.
    let months = repo::latest_cycles(db, "month", today, true, u64::from(rules.up_periods)).await?;
    let month_ids: Vec<i64> = months.iter().map(|c| c.0).collect();
    let ups = match months.len() == rules.up_periods as usize {
        true => {
            repo::at_level_in_every(
                db,
                &roots,
                &month_ids,
                Level::Htxsnv.code(),
                CANDIDATES_READ,
            )
            .await?
        }
        false => Vec::new(),
    };
    let ranks = match month_ids.first() {
        Some(latest) => repo::ranks_in_groups(db, &ups, *latest).await?,
        None => Default::default(),
    };
    for standing in repo::standings(db, &ups, &month_ids).await? {
        let levels = levels_in(&standing, &month_ids);
        let rank = ranks.get(&standing.official_id).copied().unwrap_or((0, 0));
        if is_up(&levels, rank.0, rank.1, &rules) {
            candidates.push(Candidate {
                candidacy: Candidacy::Up,
                standing,
                cycles: months.clone(),
                rank: Some(rank),
                mean: None,
            });
        }
    }

    // Out: KHTNV in each of the last years.
    let years = repo::latest_cycles(db, "year", today, false, u64::from(rules.out_years)).await?;
    let year_ids: Vec<i64> = years.iter().map(|c| c.0).collect();
    let outs = match years.len() == rules.out_years as usize {
        true => {
            repo::at_level_in_every(db, &roots, &year_ids, Level::Khtnv.code(), CANDIDATES_READ)
                .await?
        }
        false => Vec::new(),
    };
    for standing in repo::standings(db, &outs, &year_ids).await? {
        if is_out(&levels_in(&standing, &year_ids), &rules) {
            candidates.push(Candidate {
                candidacy: Candidacy::Out,
                standing,
                cycles: years.clone(),
                rank: None,
                mean: None,
            });
        }
    }

    // Down: the bottom of the ranking by the mean yearly score.
    let span = repo::latest_cycles(db, "year", today, false, u64::from(rules.down_years)).await?;
    let span_ids: Vec<i64> = span.iter().map(|c| c.0).collect();
    let percent = rules.down_bottom_percent;
    let (ranked, lowest) = repo::lowest_means(db, &roots, &span_ids, |n| {
        share_count(n, percent).min(CANDIDATES_READ)
    })
    .await?;
    let ids: Vec<i64> = lowest.iter().map(|(id, _)| *id).collect();
    for standing in repo::standings(db, &ids, &span_ids).await? {
        let mean = lowest
            .iter()
            .find(|(id, _)| *id == standing.official_id)
            .map(|(_, m)| (m * 100.0).round() / 100.0);
        candidates.push(Candidate {
            candidacy: Candidacy::Down,
            standing,
            cycles: span.clone(),
            rank: None,
            mean,
        });
    }
    candidates.sort_by(|a, b| {
        a.candidacy.cmp(&b.candidacy).then(
            a.mean
                .unwrap_or(0.0)
                .total_cmp(&b.mean.unwrap_or(0.0))
                .then(a.standing.official_id.cmp(&b.standing.official_id)),
        )
    });

    // Staffing and the transfers that would rebalance each province.
    let units = repo::staff_by_position(db, &roots).await?;
    let staff: Vec<UnitStaff> = units
        .iter()
        .map(|(id, _, province, approved, positions)| UnitStaff {
            unit_id: *id,
            province_id: *province,
            active: positions.iter().map(|(_, n)| n).sum(),
            approved: *approved,
            positions: positions.iter().cloned().collect(),
        })
        .collect();
    let transfers = suggest_transfers(&staff);
    let mut staffing: Vec<Staffing> = units
        .iter()
        .zip(&staff)
        .filter(|(_, s)| s.gap() != 0)
        .map(|((id, name, _, approved, _), s)| Staffing {
            unit_id: *id,
            name: name.clone(),
            active: s.active,
            approved: *approved,
            gap: s.gap(),
        })
        .collect();
    staffing.sort_by(|a, b| {
        b.gap
            .abs()
            .cmp(&a.gap.abs())
            .then(a.unit_id.cmp(&b.unit_id))
    });

    Ok(Board {
        candidates,
        ranked,
        staffing,
        transfers,
        decisions: repo::decisions(db, &roots, DECISIONS_SHOWN).await?,
        unit_names: units.iter().map(|u| (u.0, u.1.clone())).collect(),
        rules,
        rules_version,
        may_edit_rules: may_set_rules(db, actor).await?,
    })
}

/// Whether the actor sets the candidate rules: the organising committee of a province or city.
async fn may_set_rules(db: &impl ConnectionTrait, actor: &Actor) -> Result<bool, AppError> {
    let units = actor
        .principal
        .as_ref()
        .map(crate::domain::personnel::rule_setting_units)
        .unwrap_or_default();
    Ok(!units.is_empty() && org_units::any_top_level(db, &units).await?)
}

/// Changes the candidate rules (the organising committee of a province or city; anyone else
/// is refused, audited): every value within its range (refused naming the field), the version
/// still the one read (else `Conflict`); audited. The board reads them at once.
pub async fn save_rules(
    db: &DatabaseConnection,
    actor: &Actor,
    values: [u32; 5],
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if actor.principal.is_none() {
        return Err(AppError::Unauthorized);
    }
    if !may_set_rules(db, actor).await? {
        return refuse_anywhere(db, actor, Action::Admin, ("rule_setting", 0), now).await;
    }
    let new = PersonnelRules::from_values(values).map_err(|r| super::rules::refused(&r))?;
    let txn = crate::ssr::db::write(db).await?;
    super::rules::store(&txn, actor, RULES_KEY, &new, version, now).await?;
    txn.commit().await?;
    Ok(())
}

/// The final levels of a standing in `cycles`, in that order.
fn levels_in(standing: &Standing, cycles: &[i64]) -> Vec<Option<Level>> {
    cycles
        .iter()
        .filter_map(|c| standing.results.iter().find(|r| r.0 == *c))
        .map(|r| r.3.as_deref().and_then(Level::from_code))
        .collect()
}

/// A decision as the form sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionInput {
    /// The official's personnel code.
    pub official: String,
    pub kind: String,
    /// The unit's code (a transfer's destination, or the unit an entry joins); empty: none.
    pub to_unit: String,
    /// `YYYY-MM-DD`.
    pub effective_on: String,
    pub reference: String,
    pub rationale: String,
}

/// Records a personnel decision about an official under the actor's roots (checked field by
/// field; a destination under the same roots), audited; applied at
/// once when its date has come ([`apply_due`] applies the later ones on their day).
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    input: DecisionInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let roots = roots_of(db, actor, now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let code = input.official.trim();
    let found = officials::find_by_codes(&txn, &[code]).await?;
    let Some(official) = found.get(code) else {
        return Err(invalid("official", "unknown_official"));
    };
    let under = org_units::ids_under(&txn, &roots).await?;
    if !under.contains(&official.fields.unit_id) {
        return Err(invalid("official", "unknown_official"));
    }
    let to_unit = match input.to_unit.trim() {
        "" => None,
        code => match org_units::id_by_code(&txn, code).await? {
            Some(id) if under.contains(&id) => Some(id),
            _ => return Err(invalid("to_unit", "unknown_unit")),
        },
    };
    let decision = check_decision(DecisionDraft {
        kind: input.kind,
        to_unit,
        from_unit: official.fields.unit_id,
        effective_on: NaiveDate::parse_from_str(input.effective_on.trim(), "%Y-%m-%d").ok(),
        reference: input.reference,
        rationale: input.rationale,
    })
    .map_err(|refused| invalid(refused[0].field, refused[0].key))?;
    let id = repo::insert(
        &txn,
        NewDecision {
            official_id: official.id,
            kind: decision.kind.code(),
            from_unit_id: Some(official.fields.unit_id),
            to_unit_id: decision.to_unit,
            effective_on: decision.effective_on,
            reference: decision.reference.clone(),
            reason: decision.rationale.clone(),
            decided_by: actor.audit.name.clone(),
        },
        now,
    )
    .await?;
    audit::record(
        &txn,
        &actor.audit,
        Change {
            action: "decide".into(),
            entity: "personnel_decision".into(),
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({
                "official": code,
                "kind": decision.kind.code(),
                "to_unit": decision.to_unit,
                "effective_on": decision.effective_on,
                "reference": decision.reference,
            })),
            unit_id: Some(official.fields.unit_id),
        },
        now,
    )
    .await?;
    apply_due_in(&txn, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// Applies every recorded decision whose effective date has come and that is not applied
/// yet: a transfer moves the official to the new unit from that date (their unit history
/// closed and opened; their period results stay theirs, so the year's classification in the
/// new unit reads both units' periods); an exit marks them left; an entry makes them active
/// (in the unit named, if any); a promotion or demotion is a record. Head counts and the
/// people version follow; each application is audited. Returns how many were applied.
pub async fn apply_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let txn = crate::ssr::db::write(db).await?;
    let n = apply_due_in(&txn, now).await?;
    txn.commit().await?;
    Ok(n)
}

async fn apply_due_in(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due = repo::due(db, local_date(now)).await?;
    let mut touched = Vec::new();
    for d in &due {
        let kind = DecisionKind::from_code(&d.kind);
        match (kind, d.to_unit_id) {
            (Some(DecisionKind::Transfer), Some(to)) => {
                officials::set_unit_and_status(db, d.official_id, Some(to), None, now).await?;
                officials::move_history(db, d.official_id, to, d.effective_on, &d.reference)
                    .await?;
                touched.extend(d.from_unit_id.into_iter().chain([to]));
            }
            (Some(DecisionKind::Out), _) => {
                officials::set_unit_and_status(
                    db,
                    d.official_id,
                    None,
                    Some(OfficialStatus::Left.code()),
                    now,
                )
                .await?;
                touched.extend(d.from_unit_id);
            }
            (Some(DecisionKind::In), to) => {
                officials::set_unit_and_status(
                    db,
                    d.official_id,
                    to,
                    Some(OfficialStatus::Active.code()),
                    now,
                )
                .await?;
                if let Some(to) = to {
                    officials::move_history(db, d.official_id, to, d.effective_on, &d.reference)
                        .await?;
                }
                touched.extend(d.from_unit_id.into_iter().chain(to));
            }
            _ => {}
        }
        repo::mark_applied(db, d.id, now).await?;
        audit::record(
            db,
            &audit::Actor::system("task:personnel"),
            Change {
                action: "apply".into(),
                entity: "personnel_decision".into(),
                entity_id: Some(d.id.to_string()),
                before: None,
                after: Some(serde_json::json!({
                    "official_id": d.official_id,
                    "kind": d.kind,
                    "to_unit": d.to_unit_id,
                    "effective_on": d.effective_on,
                })),
                unit_id: d.to_unit_id.or(d.from_unit_id),
            },
            now,
        )
        .await?;
    }
    if !touched.is_empty() {
        headcount::refresh(db, touched).await?;
        versions::bump(db, versions::PEOPLE).await?;
    }
    Ok(due.len())
}
