//! Batch entry point: scores many officials of one cycle under one scheme — periods, year,
//! leader rule (subordinates scored first), quota calibration per (unit, task group) — and
//! returns results with explanations. Used by `server score --scheme <id> <input.json>`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::aggregate::{ScoredPeriod, YearFacts, classify_year};
use super::error::DomainError;
use super::explain::Node;
use super::level::{Classification, Discipline, Level};
use super::period::{
    PeriodContext, PeriodInput, check_carried_score, check_period_number, period_level,
    score_period,
};
use super::quota::{QuotaDecision, QuotaEntry, QuotaException, calibrate, validate_exceptions};
use super::scheme::Scheme;

/// A batch of officials to score for one cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    /// Scheme id the input was prepared for; when given it must match the scheme used.
    #[serde(default)]
    pub scheme: Option<String>,
    /// Free label of the cycle (e.g. `2026`), echoed in the output.
    #[serde(default)]
    pub cycle: Option<String>,
    /// The officials (ids unique).
    pub officials: Vec<OfficialInput>,
    /// Recorded quota exceptions for outstanding units.
    #[serde(default)]
    pub quota_exceptions: Vec<QuotaException>,
}

/// Leader data: subordinates in the batch (by id) and levels of subordinates outside it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderInput {
    /// Ids of subordinates scored in the same batch (scored before the leader).
    #[serde(default)]
    pub subordinates: Vec<String>,
    /// Year levels of subordinates not in the batch.
    #[serde(default)]
    pub subordinate_levels: Vec<Level>,
}

/// A period score sent by the previous agency after a transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedPeriod {
    /// Period number.
    pub period: u32,
    /// Score given there (points, 0–100).
    pub score: f64,
    /// The previous unit (must not be empty).
    pub from_unit: String,
    /// Reference of the document transmitting it.
    #[serde(default)]
    pub reference: Option<String>,
}

/// One official's input for the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialInput {
    /// Official id (unique in the batch).
    pub id: String,
    /// Agency/unit, for the quota.
    pub unit: String,
    /// Group of officials with similar tasks, for the quota.
    pub task_group: String,
    /// Periods worked in this unit.
    #[serde(default)]
    pub periods: Vec<PeriodInput>,
    /// Periods scored by a previous agency (transfer).
    #[serde(default)]
    pub carried_periods: Vec<CarriedPeriod>,
    /// Months worked in the year; default: number of periods × months per period.
    #[serde(default)]
    pub months_worked: Option<f64>,
    /// Months of lawful leave in the year.
    #[serde(default)]
    pub lawful_leave_months: f64,
    /// Most severe discipline imposed in the year.
    #[serde(default)]
    pub discipline: Option<Discipline>,
    /// Concluded degradation (ideology, ethics, lifestyle, example-setting).
    #[serde(default)]
    pub concluded_degradation: bool,
    /// Leaders: embezzlement, corruption or waste in a unit they directly manage.
    #[serde(default)]
    pub unit_corruption: bool,
    /// Present for leaders and managers.
    #[serde(default)]
    pub leader: Option<LeaderInput>,
}

/// The scheme a result was computed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeRef {
    /// Scheme id.
    pub id: String,
    /// Scheme version.
    pub version: String,
}

/// One period in an official's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    /// Period number.
    pub period: u32,
    /// Score (points, 2 decimals).
    pub score: f64,
    /// Informational level of the period; `None` when merged into the year.
    pub level: Option<Level>,
    /// The previous unit, for a carried result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<String>,
}

/// One official's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialResult {
    /// Official id.
    pub id: String,
    /// Unit.
    pub unit: String,
    /// Task group.
    pub task_group: String,
    /// Period scores, by period number.
    pub periods: Vec<PeriodResult>,
    /// Year score (points, 2 decimals); `None` with no period worked.
    pub score: Option<f64>,
    /// Level from score, overrides and caps, before quota calibration.
    pub level_before_quota: Classification,
    /// Final level.
    pub level: Classification,
    /// Every step, line by line.
    pub explanation: Node,
}

/// The result of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchOutput {
    /// Scheme used.
    pub scheme: SchemeRef,
    /// Cycle label from the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    /// Results, sorted by official id.
    pub officials: Vec<OfficialResult>,
    /// Quota decisions per (unit, task group), sorted.
    pub quota: Vec<QuotaDecision>,
    /// Count of officials per final classification code.
    pub summary: BTreeMap<String, usize>,
}

fn official_item(o: &OfficialInput) -> String {
    format!("official[{}]", o.id)
}

/// Scores one official without quota calibration (e.g. a live preview in the browser).
/// Subordinates must be given as `subordinate_levels`; ids in `subordinates` are rejected.
pub fn score_official(
    scheme: &Scheme,
    official: &OfficialInput,
) -> Result<OfficialResult, DomainError> {
    if let Some(id) = official
        .leader
        .as_ref()
        .and_then(|l| l.subordinates.first())
    {
        return Err(DomainError::UnknownId {
            item: official_item(official),
            kind: "official".into(),
            id: id.clone(),
        });
    }
    let mut r = score_one(scheme, official, &[])?;
    r.explanation
        .push(Node::new("result").text("level", r.level.code()));
    Ok(r)
}

fn score_one(
    scheme: &Scheme,
    o: &OfficialInput,
    in_batch_levels: &[Level],
) -> Result<OfficialResult, DomainError> {
    let item = official_item(o);
    for (field, v) in [("unit", &o.unit), ("task_group", &o.task_group)] {
        if v.trim().is_empty() {
            return Err(DomainError::Empty {
                item,
                field: field.into(),
            });
        }
    }
    let mut subordinate_levels: Vec<Level> = in_batch_levels.to_vec();
    if let Some(l) = &o.leader {
        subordinate_levels.extend_from_slice(&l.subordinate_levels);
    }
    let ctx = PeriodContext {
        is_leader: o.leader.is_some(),
        subordinate_levels: &subordinate_levels,
    };
    let mut seen = BTreeSet::new();
    let mut periods = Vec::with_capacity(o.periods.len() + o.carried_periods.len());
    for p in &o.periods {
        check_period_number(scheme, p.period, &format!("{item}.period[{}]", p.period))?;
        if !seen.insert(p.period) {
            return Err(DomainError::DuplicateId {
                item,
                kind: "period".into(),
                id: p.period.to_string(),
            });
        }
        let (score, level, node) = score_period(scheme, p, ctx, &item)?;
        periods.push(ScoredPeriod {
            period: p.period,
            score,
            level,
            carried_from: None,
            node,
        });
    }
    for c in &o.carried_periods {
        let c_item = format!("{item}.carried_period[{}]", c.period);
        check_period_number(scheme, c.period, &c_item)?;
        if !seen.insert(c.period) {
            return Err(DomainError::DuplicateId {
                item,
                kind: "period".into(),
                id: c.period.to_string(),
            });
        }
        let score = check_carried_score(c.score, &c_item)?;
        if c.from_unit.trim().is_empty() {
            return Err(DomainError::Empty {
                item: c_item,
                field: "from_unit".into(),
            });
        }
        let mut node = Node::new("transfer.carried")
            .num("period", f64::from(c.period))
            .text("period_kind", scheme.period_kind.code())
            .text("from_unit", &c.from_unit)
            .text("reference", c.reference.clone().unwrap_or_default())
            .points(score);
        let level = period_level(scheme, c.period, score, &mut node);
        periods.push(ScoredPeriod {
            period: c.period,
            score,
            level,
            carried_from: Some(c.from_unit.clone()),
            node,
        });
    }
    periods.sort_by_key(|p| p.period);
    let facts = YearFacts {
        months_worked: o.months_worked,
        lawful_leave_months: o.lawful_leave_months,
        discipline: o.discipline,
        concluded_degradation: o.concluded_degradation,
        is_leader: o.leader.is_some(),
        unit_corruption: o.unit_corruption,
    };
    let year = classify_year(scheme, &periods, &facts, &item)?;
    let mut explanation = Node::new("official")
        .text("id", &o.id)
        .text("unit", &o.unit)
        .text("task_group", &o.task_group)
        .text("scheme", &scheme.id)
        .text("version", &scheme.version);
    if let Some(s) = year.score {
        explanation = explanation.points(s);
    }
    let period_results = periods
        .iter()
        .map(|p| PeriodResult {
            period: p.period,
            score: p.score,
            level: p.level,
            carried_from: p.carried_from.clone(),
        })
        .collect();
    for p in periods {
        explanation.push(p.node);
    }
    explanation.children.extend(year.nodes);
    Ok(OfficialResult {
        id: o.id.clone(),
        unit: o.unit.clone(),
        task_group: o.task_group.clone(),
        periods: period_results,
        score: year.score,
        level_before_quota: year.level,
        level: year.level,
        explanation,
    })
}

/// Orders officials so that every in-batch subordinate comes before its leaders (Kahn's
/// algorithm, ties by id); rejects unknown subordinates and cycles.
fn leader_order(
    input: &BatchInput,
    index: &BTreeMap<&str, usize>,
) -> Result<Vec<usize>, DomainError> {
    let n = input.officials.len();
    let mut pending = vec![0usize; n];
    let mut leaders_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (li, o) in input.officials.iter().enumerate() {
        let Some(l) = &o.leader else { continue };
        let mut subs = BTreeSet::new();
        for s in &l.subordinates {
            let si = *index
                .get(s.as_str())
                .ok_or_else(|| DomainError::UnknownId {
                    item: format!("{}.leader.subordinates", official_item(o)),
                    kind: "official".into(),
                    id: s.clone(),
                })?;
            if !subs.insert(si) {
                return Err(DomainError::DuplicateId {
                    item: format!("{}.leader.subordinates", official_item(o)),
                    kind: "official".into(),
                    id: s.clone(),
                });
            }
            pending[li] += 1;
            leaders_of[si].push(li);
        }
    }
    let mut ready: VecDeque<usize> = index
        .values()
        .copied()
        .filter(|&i| pending[i] == 0)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for &l in &leaders_of[i] {
            pending[l] -= 1;
            if pending[l] == 0 {
                ready.push_back(l);
            }
        }
    }
    if order.len() < n {
        let stuck = index
            .iter()
            .find(|(_, i)| pending[**i] > 0)
            .map_or("", |(id, _)| *id);
        return Err(DomainError::SubordinateCycle {
            item: format!("official[{stuck}]"),
        });
    }
    Ok(order)
}

/// Scores a batch: validates the input, scores every official (subordinates before their
/// leaders), calibrates the quota per (unit, task group) with recorded exceptions, and returns
/// the results sorted by id with their explanations. Deterministic: the order of officials,
/// periods, products, objectives and KRs in the input does not change the output.
pub fn score_batch(scheme: &Scheme, input: &BatchInput) -> Result<BatchOutput, DomainError> {
    if let Some(found) = &input.scheme
        && found != &scheme.id
    {
        return Err(DomainError::SchemeMismatch {
            expected: scheme.id.clone(),
            found: found.clone(),
        });
    }
    super::validate::unique_ids(
        "input",
        "official",
        input.officials.iter().map(|o| o.id.as_str()),
    )?;
    let index: BTreeMap<&str, usize> = input
        .officials
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let groups: BTreeSet<(&str, &str)> = input
        .officials
        .iter()
        .map(|o| (o.unit.as_str(), o.task_group.as_str()))
        .collect();
    validate_exceptions(
        scheme.quota.as_ref(),
        &scheme.id,
        &input.quota_exceptions,
        &groups,
    )?;

    let order = leader_order(input, &index)?;
    let mut results: Vec<Option<OfficialResult>> = vec![None; input.officials.len()];
    for i in order {
        let o = &input.officials[i];
        let mut sub_levels = Vec::new();
        for s in o.leader.iter().flat_map(|l| &l.subordinates) {
            let level = index
                .get(s.as_str())
                .and_then(|&si| results[si].as_ref())
                .and_then(|r| r.level_before_quota.level());
            sub_levels.extend(level);
        }
        results[i] = Some(score_one(scheme, o, &sub_levels)?);
    }
    let mut results: Vec<OfficialResult> = results.into_iter().flatten().collect();
    results.sort_by(|a, b| a.id.cmp(&b.id));

    let mut decisions = Vec::new();
    if let Some(rule) = &scheme.quota {
        let mut at = Vec::new();
        let mut entries = Vec::new();
        for (ri, r) in results.iter().enumerate() {
            if let (Some(score), Some(level)) = (r.score, r.level_before_quota.level()) {
                at.push(ri);
                entries.push(QuotaEntry {
                    id: &r.id,
                    unit: &r.unit,
                    task_group: &r.task_group,
                    score,
                    level,
                });
            }
        }
        let (d, outcomes) = calibrate(rule, &entries, &input.quota_exceptions);
        decisions = d;
        for out in outcomes {
            let r = &mut results[at[out.index]];
            if let Some(l) = out.demoted_to {
                r.level = Classification::Level(l);
            }
            r.explanation.push(out.node);
        }
    }
    let mut summary = BTreeMap::new();
    for r in &mut results {
        r.explanation
            .push(Node::new("result").text("level", r.level.code()));
        *summary.entry(r.level.code().to_owned()).or_insert(0) += 1;
    }
    Ok(BatchOutput {
        scheme: SchemeRef {
            id: scheme.id.clone(),
            version: scheme.version.clone(),
        },
        cycle: input.cycle.clone(),
        officials: results,
        quota: decisions,
        summary,
    })
}

/// Parses a batch input from JSON (`what` = `input` in errors).
pub fn parse_batch_input(text: &str) -> Result<BatchInput, DomainError> {
    serde_json::from_str(text).map_err(|e| DomainError::Json {
        what: "input".into(),
        detail: e.to_string(),
    })
}
