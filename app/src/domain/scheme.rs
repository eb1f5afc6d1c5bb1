//! Scoring schemes as versioned data: criteria groups and their points, the task-result
//! formula, bands, overrides, leader rule, quota, aggregation and time-worked rules.
//!
//! The shipped schemes live in `app/schemes/<id>.json`, each citing its legal source, and are
//! compiled in with `include_str!` (no filesystem IO here). One engine scores them all.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::error::DomainError;
use super::level::{Bands, Discipline, Level};
use super::num::approx_eq;

/// Id of the default scheme (Decree 335/2025/NĐ-CP).
pub const DEFAULT_SCHEME_ID: &str = "decree-335-2025";

/// The JSON text of every built-in scheme, keyed by id (sorted by id).
pub const BUILTIN_SCHEME_JSON: &[(&str, &str)] = &[
    (
        "decree-335-2025",
        include_str!("../../schemes/decree-335-2025.json"),
    ),
    (
        "khanh-hoa-2025",
        include_str!("../../schemes/khanh-hoa-2025.json"),
    ),
    ("okr-basic", include_str!("../../schemes/okr-basic.json")),
    (
        "party-366-2025",
        include_str!("../../schemes/party-366-2025.json"),
    ),
];

/// A legal or documentary source a scheme rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Citation, e.g. `Nghị định 335/2025/NĐ-CP, Điều 12`.
    pub citation: String,
    /// What the scheme takes from it, or what is uncertain (`[U]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A human-readable name in both UI languages (data, not an explanation string).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Name {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

/// Length of one scoring period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Monthly scores, periods 1–12, 1 month each.
    Month,
    /// Quarterly scores, periods 1–4, 3 months each.
    Quarter,
}

impl PeriodKind {
    /// Number of periods in a year (12 or 4).
    pub fn periods_per_year(self) -> u32 {
        match self {
            Self::Month => 12,
            Self::Quarter => 4,
        }
    }

    /// Months in one period (1 or 3).
    pub fn months(self) -> f64 {
        match self {
            Self::Month => 1.0,
            Self::Quarter => 3.0,
        }
    }

    /// The serialised name (`month`, `quarter`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Quarter => "quarter",
        }
    }
}

/// One scored criterion inside a group, worth at most `max_points` points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Criterion id; the input key of its score.
    pub id: String,
    /// Maximum points.
    pub max_points: f64,
}

/// A group of general criteria worth at most `max_points` points. Without `criteria` the group
/// is scored as one number keyed by the group id; with them, their maxima must sum to
/// `max_points` and each is scored separately.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaGroup {
    /// Group id.
    pub id: String,
    /// Maximum points of the group.
    pub max_points: f64,
    /// Where the group comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Optional sub-criteria.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
}

impl CriteriaGroup {
    /// The criteria actually scored: the listed ones, or the group itself as one criterion.
    pub fn scored_criteria(&self) -> Vec<Criterion> {
        if self.criteria.is_empty() {
            vec![Criterion {
                id: self.id.clone(),
                max_points: self.max_points,
            }]
        } else {
            self.criteria.clone()
        }
    }
}

/// How quantity %, quality % and progress % combine into the task-result points (fractions
/// that must sum to 1; Decree 335 leaves this open, default equal thirds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentWeights {
    /// Weight of quantity % (completed ÷ assigned).
    pub quantity: f64,
    /// Weight of quality % (completed meeting quality ÷ assigned).
    pub quality: f64,
    /// Weight of progress % (completed on time ÷ assigned).
    pub progress: f64,
}

/// How task results are scored: from converted products/works, or from OKRs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskResultsRule {
    /// Products/works assigned vs completed (Decree 335 Art. 14).
    Products {
        /// Points of the task-result part (70 in Decree 335).
        max_points: f64,
        /// Weights of quantity, quality and progress.
        weights: ComponentWeights,
        /// Fraction of a product's quality points deducted per failed quality check (0.25).
        quality_deduction_per_failure: f64,
        /// Fraction of a product's progress points deducted per delay (0.25).
        progress_deduction_per_delay: f64,
        /// When a period's report is late, count it as nothing done (Khánh Hòa: due before
        /// the 25th).
        #[serde(default)]
        late_report_counts_as_not_done: bool,
    },
    /// Objectives and key results, scaled to `max_points`.
    Okr {
        /// Points of the OKR part (100 in `okr-basic`).
        max_points: f64,
    },
}

impl TaskResultsRule {
    /// Maximum points of the task-result part.
    pub fn max_points(&self) -> f64 {
        match self {
            Self::Products { max_points, .. } | Self::Okr { max_points } => *max_points,
        }
    }
}

/// A condition that forces a lower level whatever the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OverrideCondition {
    /// Disciplined in the evaluation year at this severity or above.
    DisciplineAtLeast {
        /// Mildest severity that triggers the override.
        severity: Discipline,
    },
    /// Concluded degradation in political ideology, ethics or lifestyle, or breach of the duty
    /// to set an example.
    ConcludedDegradation,
    /// Leaders only: embezzlement, corruption or waste in a unit they directly manage.
    LeaderUnitCorruption,
}

/// An override: when `when` holds, the level is capped at `level` (KHTNV in the shipped
/// schemes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideRule {
    /// Rule id, shown in the explanation.
    pub id: String,
    /// Trigger.
    pub when: OverrideCondition,
    /// Highest level allowed when triggered.
    pub level: Level,
    /// Legal source.
    pub source: String,
}

/// Leader rule (Decree 335): a leader's task points mix their own results with the unit's
/// operating result, which counts `factor_all_ok` (100 %) when every subordinate is at least
/// `subordinate_min_level` and `factor_any_below` (50 %) otherwise.
///
/// Task points = `(1 − unit_result_share) × own + unit_result_share × max × unit% × factor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderRule {
    /// Share (0–1) of the task points taken from the unit's operating result `[U]`.
    pub unit_result_share: f64,
    /// Lowest subordinate level that keeps the full factor (HTNV).
    pub subordinate_min_level: Level,
    /// Factor when every subordinate is at least `subordinate_min_level` (1.0).
    pub factor_all_ok: f64,
    /// Factor when any subordinate is below it (0.5).
    pub factor_any_below: f64,
    /// Legal source.
    pub source: String,
}

/// Quota: within one (unit, task group), the count at `top` may not exceed `max_percent` % of
/// the count at `relative_to`, counted after demotions; demoted officials go to `relative_to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaRule {
    /// Level under quota (HTXSNV).
    pub top: Level,
    /// Level the quota is a percentage of, and demotion target (HTTNV).
    pub relative_to: Level,
    /// Maximum percentage, an integer so the check `100 × top ≤ p × relative` is exact.
    pub max_percent: u32,
    /// Whether an outstanding unit may be granted an explicit, recorded exception.
    pub allow_outstanding_exception: bool,
    /// Legal source.
    pub source: String,
}

/// How period scores become a year score: the mean over periods actually worked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggregationRule {
    /// When true, the last period of the year gets no separate level: it is merged into the
    /// year-end rating (Regulation 366: Q4).
    pub last_period_merged_into_year: bool,
    /// Legal source.
    pub source: String,
}

/// Cap on the level of someone with `min_leave_months`–`max_leave_months` months of lawful
/// leave (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveCap {
    /// Lower bound of leave, months (3).
    pub min_leave_months: f64,
    /// Upper bound of leave, months (6).
    pub max_leave_months: f64,
    /// Highest level allowed (HTNV).
    pub max_level: Level,
    /// Legal source.
    pub source: String,
}

/// Time-worked rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeWorkedRule {
    /// Fewer months worked than this ⇒ not classified (6). `None`: no minimum.
    #[serde(default)]
    pub min_months_for_classification: Option<f64>,
    /// Leave cap, if the scheme has one.
    #[serde(default)]
    pub leave_cap: Option<LeaveCap>,
    /// Legal source.
    pub source: String,
}

/// A complete scoring scheme. Build with [`Scheme::from_json`] (which validates it) or
/// [`builtin_scheme`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Stable id, e.g. `decree-335-2025`.
    pub id: String,
    /// Version of this definition (semver); bump on any change to the data.
    pub version: String,
    /// Display name.
    pub name: Name,
    /// Legal sources.
    pub sources: Vec<Source>,
    /// Length of a scoring period.
    pub period_kind: PeriodKind,
    /// General-criteria groups (may be empty, e.g. for OKR).
    #[serde(default)]
    pub general: Vec<CriteriaGroup>,
    /// Task-result formula.
    pub task_results: TaskResultsRule,
    /// Score bands.
    pub bands: Bands,
    /// Overrides that force a lower level.
    #[serde(default)]
    pub overrides: Vec<OverrideRule>,
    /// Leader rule, if any.
    #[serde(default)]
    pub leader_rule: Option<LeaderRule>,
    /// Quota rule, if any.
    #[serde(default)]
    pub quota: Option<QuotaRule>,
    /// Aggregation of periods into a year.
    pub aggregation: AggregationRule,
    /// Time-worked rules.
    pub time_worked: TimeWorkedRule,
}

/// Total points of every scheme: general maxima + task maximum must equal this.
pub const TOTAL_POINTS: f64 = 100.0;

impl Scheme {
    /// Parses and validates a scheme definition.
    pub fn from_json(text: &str) -> Result<Self, DomainError> {
        let scheme: Scheme = serde_json::from_str(text).map_err(|e| DomainError::Json {
            what: "scheme".into(),
            detail: e.to_string(),
        })?;
        scheme.validate()?;
        Ok(scheme)
    }

    /// Every general criterion actually scored, with the id of its group, in the scheme's
    /// order (a group without sub-criteria is its own one criterion).
    pub fn scored_criteria(&self) -> Vec<(String, Criterion)> {
        self.general
            .iter()
            .flat_map(|g| g.scored_criteria().into_iter().map(|c| (g.id.clone(), c)))
            .collect()
    }

    /// Maximum points of the general criteria (sum of group maxima).
    pub fn general_max(&self) -> f64 {
        self.general.iter().map(|g| g.max_points).sum()
    }

    /// Checks the scheme's internal consistency: ids, maxima summing to 100, weights summing
    /// to 1, rates and factors within 0–1, bands ordered, quota levels ordered, month counts
    /// within 0–12.
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |field: &str, reason: &str| DomainError::InvalidScheme {
            scheme: self.id.clone(),
            field: field.to_owned(),
            reason: reason.to_owned(),
        };
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        let months = |x: f64| (0.0..=12.0).contains(&x);
        if self.id.trim().is_empty() {
            return Err(bad("id", "must not be empty"));
        }
        if self.version.trim().is_empty() {
            return Err(bad("version", "must not be empty"));
        }
        if self.sources.is_empty() {
            return Err(bad("sources", "at least one legal source is required"));
        }
        let mut ids = BTreeSet::new();
        for g in &self.general {
            if !is_positive(g.max_points) {
                return Err(bad("general", "group maxima must be greater than zero"));
            }
            if !g.criteria.is_empty() {
                let sum: f64 = g.criteria.iter().map(|c| c.max_points).sum();
                if !approx_eq(sum, g.max_points)
                    || g.criteria.iter().any(|c| !is_positive(c.max_points))
                {
                    return Err(bad(
                        "general",
                        "criteria maxima must be positive and sum to the group maximum",
                    ));
                }
            }
            for c in g.scored_criteria() {
                if !ids.insert(c.id) {
                    return Err(bad("general", "criterion ids must be unique"));
                }
            }
        }
        let task_max = self.task_results.max_points();
        if !is_positive(task_max) {
            return Err(bad("task_results.max_points", "must be greater than zero"));
        }
        if !approx_eq(self.general_max() + task_max, TOTAL_POINTS) {
            return Err(bad(
                "task_results.max_points",
                "general and task maxima must sum to 100",
            ));
        }
        if let TaskResultsRule::Products {
            weights,
            quality_deduction_per_failure,
            progress_deduction_per_delay,
            ..
        } = &self.task_results
        {
            let w = [weights.quantity, weights.quality, weights.progress];
            if w.iter().any(|x| !unit(*x)) || !approx_eq(w.iter().sum(), 1.0) {
                return Err(bad(
                    "task_results.weights",
                    "must each lie in 0–1 and sum to 1",
                ));
            }
            if !unit(*quality_deduction_per_failure) || !unit(*progress_deduction_per_delay) {
                return Err(bad("task_results", "deduction rates must lie in 0–1"));
            }
        }
        self.bands.validate(&self.id)?;
        let mut rule_ids = BTreeSet::new();
        if self
            .overrides
            .iter()
            .any(|o| !rule_ids.insert(o.id.as_str()))
        {
            return Err(bad("overrides", "override ids must be unique"));
        }
        if let Some(l) = &self.leader_rule
            && (!unit(l.unit_result_share) || !unit(l.factor_all_ok) || !unit(l.factor_any_below))
        {
            return Err(bad("leader_rule", "share and factors must lie in 0–1"));
        }
        if let Some(q) = &self.quota
            && (q.top <= q.relative_to || q.max_percent > 100)
        {
            return Err(bad(
                "quota",
                "`top` must be above `relative_to` and max_percent ≤ 100",
            ));
        }
        let t = &self.time_worked;
        if t.min_months_for_classification.is_some_and(|m| !months(m)) {
            return Err(bad(
                "time_worked.min_months_for_classification",
                "must lie in 0–12",
            ));
        }
        if let Some(c) = &t.leave_cap
            && (!months(c.min_leave_months)
                || !months(c.max_leave_months)
                || c.min_leave_months > c.max_leave_months)
        {
            return Err(bad(
                "time_worked.leave_cap",
                "bounds must lie in 0–12, min ≤ max",
            ));
        }
        Ok(())
    }
}

fn is_positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

/// Every built-in scheme, parsed and validated, sorted by id.
pub fn builtin_schemes() -> Result<Vec<Scheme>, DomainError> {
    BUILTIN_SCHEME_JSON
        .iter()
        .map(|(_, text)| Scheme::from_json(text))
        .collect()
}

/// The built-in scheme with this id, or [`DomainError::UnknownScheme`].
pub fn builtin_scheme(id: &str) -> Result<Scheme, DomainError> {
    let (_, text) = BUILTIN_SCHEME_JSON
        .iter()
        .find(|(k, _)| *k == id)
        .ok_or_else(|| DomainError::UnknownScheme { id: id.to_owned() })?;
    Scheme::from_json(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_scheme_parses_validates_and_matches_its_file_name() {
        let schemes = builtin_schemes();
        assert!(schemes.is_ok(), "{schemes:?}");
        for (s, (id, _)) in schemes.unwrap_or_default().iter().zip(BUILTIN_SCHEME_JSON) {
            assert_eq!(&s.id, id);
            assert!(!s.sources.is_empty());
        }
    }

    #[test]
    fn unknown_scheme_is_an_error() {
        assert_eq!(
            builtin_scheme("nope").err(),
            Some(DomainError::UnknownScheme { id: "nope".into() })
        );
    }

    #[test]
    fn scheme_whose_maxima_do_not_sum_to_100_is_rejected() {
        let text = BUILTIN_SCHEME_JSON[0]
            .1
            .replace("\"max_points\": 70", "\"max_points\": 60");
        let err = Scheme::from_json(&text).err();
        assert!(
            matches!(&err, Some(DomainError::InvalidScheme { field, .. }) if field == "task_results.max_points"),
            "{err:?}"
        );
    }

    #[test]
    fn scheme_with_component_weights_not_summing_to_one_is_rejected() {
        let text = BUILTIN_SCHEME_JSON[0]
            .1
            .replace("\"progress\": 0.3333333333333333", "\"progress\": 0.5");
        let err = Scheme::from_json(&text).err();
        assert!(
            matches!(&err, Some(DomainError::InvalidScheme { field, .. }) if field == "task_results.weights"),
            "{err:?}"
        );
    }

    #[test]
    fn scheme_with_unknown_field_is_rejected_as_json_error() {
        let text = BUILTIN_SCHEME_JSON[0].1.replacen('{', "{\"typo\": 1,", 1);
        assert!(matches!(
            Scheme::from_json(&text),
            Err(DomainError::Json { .. })
        ));
    }
}
