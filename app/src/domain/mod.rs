//! The scoring engine of Thước đo — pure Rust, no IO, no clock, no framework: it compiles for
//! the server and for wasm.
//!
//! * [`scheme`]: legal schemes as versioned data (`app/schemes/*.json`), [`builtin_scheme`];
//! * [`general`], [`task_results`], [`okr`], [`period`]: one period's points;
//! * [`aggregate`]: periods → year, time worked, bands, overrides;
//! * [`quota`]: HTXSNV ≤ 20 % of HTTNV per (unit, task group), with recorded exceptions;
//! * [`equalize`]: units and reviewers whose levels are concentrated beyond the province's;
//! * [`rollup`]: dashboard figures per (unit, cycle), and each key result against its pace;
//! * [`metrics`]: a unit's service metrics against their targets;
//! * [`publish`]: what the public page of a unit may show (aggregates; no shares of few);
//! * [`explain`]: the explanation tree every result carries (keys in `explain_keys.json`);
//! * [`batch`]: [`score_batch`], the entry point of `server score`;
//! * [`lifecycle`]: the cycle and assessment state machines, who may make each move;
//! * [`check_in`]: the rules of a check-in, the same for every entry point;
//! * [`deadline`]: a cycle's deadlines (legal defaults), whose turn it is, how near;
//! * [`codes`], [`vocab`]: the vocabulary stored as text codes, declared with one helper;
//! * [`error`]: [`DomainError`], translatable (`key` + `args`).
//!
//! Scores are points on a 0–100 scale; period and year scores are rounded to 2 decimals, half
//! away from zero ([`num::round2`]).

pub mod access;
pub mod aggregate;
pub mod audit;
pub mod batch;
pub mod calibration;
pub mod check_in;
pub mod codes;
pub mod compare;
pub mod deadline;
pub mod equalize;
pub mod error;
pub mod explain;
pub mod feeds;
pub mod general;
pub mod import;
pub mod level;
pub mod lifecycle;
pub mod metrics;
pub mod num;
pub mod okr;
pub mod period;
pub mod permission_matrix;
pub mod personnel;
pub mod plan;
pub mod publish;
pub mod quota;
pub mod rollup;
pub mod scheme;
pub mod task_results;
pub mod template;
pub mod text;
pub mod throttle;
pub mod validate;
pub mod vocab;
pub mod warning;

#[cfg(test)]
mod tests;

pub use batch::{
    BatchInput, BatchOutput, CarriedPeriod, LeaderInput, OfficialInput, OfficialResult,
    PeriodResult, parse_batch_input, score_batch, score_official,
};
pub use error::{DomainError, ErrorMessage};
pub use explain::{Arg, Node};
pub use level::{Classification, Discipline, Level};
pub use lifecycle::{AssessmentMove, AssessmentState, CycleMove, CycleState};
pub use okr::{KeyResult, Measure, Objective, kr_attainment, okr_points_fast};
pub use period::PeriodInput;
pub use quota::{QuotaDecision, QuotaException};
pub use scheme::{DEFAULT_SCHEME_ID, Scheme, builtin_scheme, builtin_schemes};
pub use task_results::{Product, Waiver, WaiverKind};

/// The Vietnamese and English templates of every explanation and error key
/// (`{ "key": { "vi": "…", "en": "…" } }`), for the UI's i18n files.
pub const EXPLAIN_KEYS_JSON: &str = include_str!("explain_keys.json");
