//! Server functions of the "in – out – up – down" board: read it (organising committee and
//! leadership), record a decision, change the candidate rules. Glue: who calls, then
//! [`crate::ssr::service::personnel`], then the wire types below.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Level;
use crate::domain::personnel::{Candidacy, DecisionKind, PersonnelRules};
use crate::error::AppError;

/// One period of a candidate's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    pub cycle: String,
    pub assessment_id: Option<i64>,
    pub score: Option<f64>,
    pub level: Option<Level>,
}

/// A person the rules put forward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRow {
    pub candidacy: Candidacy,
    pub official_id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub job_position: String,
    /// Newest first.
    pub periods: Vec<PeriodResult>,
    /// "Up": rank in the task group and its size.
    pub rank: Option<(u64, u64)>,
    /// "Down": the mean yearly score.
    pub mean: Option<f64>,
}

/// A unit over or under its approved headcount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingRow {
    pub unit_id: i64,
    pub name: String,
    pub active: u32,
    pub approved: u32,
    pub gap: i64,
}

/// A suggested transfer, with the units' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferRow {
    pub from: (i64, String),
    pub to: (i64, String),
    pub job_position: String,
    pub count: u32,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionItem {
    pub id: i64,
    pub official_id: i64,
    pub official_name: String,
    pub kind: Option<DecisionKind>,
    pub from_unit: Option<String>,
    pub to_unit: Option<String>,
    pub effective_on: NaiveDate,
    pub reference: String,
    pub reason: String,
    pub decided_by: String,
    pub applied_at: Option<DateTime<Utc>>,
}

/// The board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonnelBoard {
    pub candidates: Vec<CandidateRow>,
    pub ranked: u64,
    pub staffing: Vec<StaffingRow>,
    pub transfers: Vec<TransferRow>,
    pub decisions: Vec<DecisionItem>,
    pub rules: PersonnelRules,
    pub rules_version: i32,
    /// Whether the caller may change the candidate rules (the organising committee of a
    /// province or city).
    pub may_edit_rules: bool,
}

#[cfg(feature = "ssr")]
fn board_dto(b: crate::ssr::service::personnel::Board) -> PersonnelBoard {
    let name = |id: i64| {
        b.unit_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    PersonnelBoard {
        candidates: b
            .candidates
            .iter()
            .map(|c| CandidateRow {
                candidacy: c.candidacy,
                official_id: c.standing.official_id,
                code: c.standing.code.clone(),
                name: c.standing.name.clone(),
                unit_id: c.standing.unit_id,
                unit_name: c.standing.unit_name.clone(),
                job_position: c.standing.job_position.clone(),
                periods: c
                    .cycles
                    .iter()
                    .map(|(id, code)| {
                        let r = c.standing.results.iter().find(|r| r.0 == *id);
                        PeriodResult {
                            cycle: code.clone(),
                            assessment_id: r.map(|r| r.1),
                            score: r.and_then(|r| r.2),
                            level: r.and_then(|r| r.3.as_deref()).and_then(Level::from_code),
                        }
                    })
                    .collect(),
                rank: c.rank,
                mean: c.mean,
            })
            .collect(),
        ranked: b.ranked,
        staffing: b
            .staffing
            .iter()
            .map(|s| StaffingRow {
                unit_id: s.unit_id,
                name: s.name.clone(),
                active: s.active,
                approved: s.approved,
                gap: s.gap,
            })
            .collect(),
        transfers: b
            .transfers
            .iter()
            .map(|t| TransferRow {
                from: (t.from_unit, name(t.from_unit)),
                to: (t.to_unit, name(t.to_unit)),
                job_position: t.job_position.clone(),
                count: t.count,
            })
            .collect(),
        decisions: b
            .decisions
            .iter()
            .map(|d| DecisionItem {
                id: d.id,
                official_id: d.official_id,
                official_name: d.official_name.clone(),
                kind: DecisionKind::from_code(&d.kind),
                from_unit: d.from_unit_id.map(name),
                to_unit: d.to_unit_id.map(name),
                effective_on: d.effective_on,
                reference: d.reference.clone(),
                reason: d.reason.clone(),
                decided_by: d.decided_by.clone(),
                applied_at: d.applied_at,
            })
            .collect(),
        rules: b.rules,
        rules_version: b.rules_version,
        may_edit_rules: b.may_edit_rules,
    }
}

/// The board of the units the caller decides on.
#[server(name = GetPersonnel, prefix = "/api", endpoint = "personnel")]
pub async fn personnel_board() -> Result<PersonnelBoard, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let board = crate::ssr::service::personnel::board(
        &caller.state.db,
        &caller.service_actor(),
        Utc::now(),
    )
    .await?;
    Ok(board_dto(board))
}

/// Records a personnel decision (applied from its effective date).
#[server(name = RecordDecision, prefix = "/api", endpoint = "personnel/decide")]
pub async fn record_decision(
    official: String,
    kind: String,
    #[server(default)] to_unit: String,
    effective_on: String,
    #[server(default)] reference: String,
    #[server(default)] rationale: String,
) -> Result<i64, AppError> {
    use crate::ssr::service::personnel::{DecisionInput, decide};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = DecisionInput {
        official,
        kind,
        to_unit,
        effective_on,
        reference,
        rationale,
    };
    let done = decide(&caller.state.db, &caller.service_actor(), input, Utc::now()).await;
    super::confirmed("decided", done)
}

/// Changes the candidate rules (the organising committee of a province or city).
#[server(name = SavePersonnelRules, prefix = "/api", endpoint = "personnel/rules")]
pub async fn save_personnel_rules(
    version: i32,
    up_periods: u32,
    up_top_percent: u32,
    out_years: u32,
    down_years: u32,
    down_bottom_percent: u32,
) -> Result<(), AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let values = [
        up_periods,
        up_top_percent,
        out_years,
        down_years,
        down_bottom_percent,
    ];
    let done = crate::ssr::service::personnel::save_rules(
        &caller.state.db,
        &caller.service_actor(),
        values,
        version,
        Utc::now(),
    )
    .await;
    super::confirmed("rules", done)
}
