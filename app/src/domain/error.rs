//! `DomainError`: every way scoring input or a scheme can be rejected.
//!
//! Each variant names the offending item with a language-neutral path such as
//! `official[o1].period[3].product[p2]`, has a stable message key (`error.*`, translated by the
//! UI from `explain_keys.json`) with named arguments, and an English `Display` for logs and the
//! CLI.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An error raised while parsing or validating a scheme or a batch of scoring input.
///
/// `item` is a path naming the offending input (e.g. `official[o1].period[2].kr[k1]`), `field`
/// the JSON field name. Numbers are carried as given so the message can quote them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    /// The JSON text of `what` (a scheme or a batch input) could not be parsed.
    #[error("{what}: invalid JSON: {detail}")]
    Json {
        /// What was being parsed (`scheme`, `input`).
        what: String,
        /// The parser's message, with line and column.
        detail: String,
    },
    /// A scheme definition is inconsistent (e.g. group maxima exceed the total).
    #[error("scheme `{scheme}`: `{field}` is invalid: {reason}")]
    InvalidScheme {
        /// Scheme id.
        scheme: String,
        /// Field path inside the scheme.
        field: String,
        /// English reason (also passed as an argument).
        reason: String,
    },
    /// No built-in scheme has this id.
    #[error("unknown scheme `{id}`")]
    UnknownScheme {
        /// The id asked for.
        id: String,
    },
    /// The input names a scheme other than the one used for scoring.
    #[error("the input is for scheme `{found}` but scoring uses `{expected}`")]
    SchemeMismatch {
        /// Scheme used for scoring.
        expected: String,
        /// Scheme named in the input.
        found: String,
    },
    /// Weights that must add up to `expected` do not.
    #[error("{item}: the weights of `{field}` sum to {sum}, expected {expected}")]
    WeightsDoNotSum {
        /// Item owning the weights.
        item: String,
        /// Which weights.
        field: String,
        /// Their actual sum.
        sum: f64,
        /// The required sum.
        expected: f64,
    },
    /// A count or amount is negative.
    #[error("{item}: `{field}` must not be negative (got {value})")]
    Negative {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
        /// Value given.
        value: f64,
    },
    /// A number is NaN or infinite.
    #[error("{item}: `{field}` must be a finite number")]
    NotFinite {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
    },
    /// A number must be strictly positive.
    #[error("{item}: `{field}` must be greater than zero (got {value})")]
    NotPositive {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
        /// Value given.
        value: f64,
    },
    /// A number lies outside its allowed closed range.
    #[error("{item}: `{field}` = {value} is outside [{min}, {max}]")]
    OutOfRange {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
        /// Value given.
        value: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A value exceeds another value it is bounded by (completed > assigned, low > high, …).
    #[error("{item}: `{field}` ({value}) exceeds `{limit_field}` ({limit})")]
    Exceeds {
        /// Offending item.
        item: String,
        /// The field that is too large.
        field: String,
        /// Its value.
        value: f64,
        /// The field bounding it.
        limit_field: String,
        /// The bound.
        limit: f64,
    },
    /// A key result's target equals its start, so attainment `(c − s) ÷ (t − s)` is undefined.
    #[error("{item}: the target equals the start ({value}), so progress cannot be measured")]
    TargetEqualsStart {
        /// The key result.
        item: String,
        /// Start = target value.
        value: f64,
    },
    /// An increase-to target lies below its start, or a decrease-to target above it.
    #[error("{item}: a `{kind}` key result needs a target {direction} its start")]
    WrongDirection {
        /// The key result.
        item: String,
        /// `increase_to` or `decrease_to`.
        kind: String,
        /// `above` or `below`.
        direction: String,
    },
    /// Two items of one kind share an id.
    #[error("{item}: duplicate {kind} `{id}`")]
    DuplicateId {
        /// Container of the duplicates.
        item: String,
        /// Kind of id (`official`, `product`, `period`, …).
        kind: String,
        /// The duplicated id.
        id: String,
    },
    /// An id refers to nothing known.
    #[error("{item}: unknown {kind} `{id}`")]
    UnknownId {
        /// Where the reference is.
        item: String,
        /// Kind of id.
        kind: String,
        /// The unknown id.
        id: String,
    },
    /// A required value is missing.
    #[error("{item}: missing {kind} `{id}`")]
    Missing {
        /// Where it is missing.
        item: String,
        /// Kind of value.
        kind: String,
        /// Its id or field name.
        id: String,
    },
    /// The input uses a field the scheme does not score.
    #[error("{item}: `{field}` is not used by scheme `{scheme}`")]
    NotInScheme {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
        /// Scheme id.
        scheme: String,
    },
    /// A list or text that must not be empty is empty.
    #[error("{item}: `{field}` must not be empty")]
    Empty {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
    },
    /// Leaders list each other as subordinates, directly or through others.
    #[error("{item}: the subordinate lists form a cycle")]
    SubordinateCycle {
        /// One official on the cycle.
        item: String,
    },
    /// A field that applies to leaders only was set for a non-leader.
    #[error("{item}: `{field}` applies to leaders only")]
    LeaderOnly {
        /// Offending item.
        item: String,
        /// Offending field.
        field: String,
    },
}

/// A translatable rendering of a [`DomainError`]: a stable key plus named arguments.
///
/// The UI looks `key` up in `explain_keys.json` and substitutes `{name}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorMessage {
    /// Stable message key, e.g. `error.exceeds`.
    pub key: String,
    /// Named arguments, already formatted as text.
    pub args: BTreeMap<String, String>,
}

/// Every error message key, in declaration order (used by the i18n completeness test).
pub const ERROR_KEYS: &[&str] = &[
    "error.json",
    "error.invalid_scheme",
    "error.unknown_scheme",
    "error.scheme_mismatch",
    "error.weights_do_not_sum",
    "error.negative",
    "error.not_finite",
    "error.not_positive",
    "error.out_of_range",
    "error.exceeds",
    "error.target_equals_start",
    "error.wrong_direction",
    "error.duplicate_id",
    "error.unknown_id",
    "error.missing",
    "error.not_in_scheme",
    "error.empty",
    "error.subordinate_cycle",
    "error.leader_only",
];

impl DomainError {
    /// The stable message key of this error (one of [`ERROR_KEYS`]).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Json { .. } => "error.json",
            Self::InvalidScheme { .. } => "error.invalid_scheme",
            Self::UnknownScheme { .. } => "error.unknown_scheme",
            Self::SchemeMismatch { .. } => "error.scheme_mismatch",
            Self::WeightsDoNotSum { .. } => "error.weights_do_not_sum",
            Self::Negative { .. } => "error.negative",
            Self::NotFinite { .. } => "error.not_finite",
            Self::NotPositive { .. } => "error.not_positive",
            Self::OutOfRange { .. } => "error.out_of_range",
            Self::Exceeds { .. } => "error.exceeds",
            Self::TargetEqualsStart { .. } => "error.target_equals_start",
            Self::WrongDirection { .. } => "error.wrong_direction",
            Self::DuplicateId { .. } => "error.duplicate_id",
            Self::UnknownId { .. } => "error.unknown_id",
            Self::Missing { .. } => "error.missing",
            Self::NotInScheme { .. } => "error.not_in_scheme",
            Self::Empty { .. } => "error.empty",
            Self::SubordinateCycle { .. } => "error.subordinate_cycle",
            Self::LeaderOnly { .. } => "error.leader_only",
        }
    }

    /// The named arguments of this error, formatted as text (numbers in shortest form).
    pub fn args(&self) -> BTreeMap<String, String> {
        let pairs: Vec<(&str, String)> = match self {
            Self::Json { what, detail } => vec![("what", what.clone()), ("detail", detail.clone())],
            Self::InvalidScheme {
                scheme,
                field,
                reason,
            } => vec![
                ("scheme", scheme.clone()),
                ("field", field.clone()),
                ("reason", reason.clone()),
            ],
            Self::UnknownScheme { id } => vec![("id", id.clone())],
            Self::SchemeMismatch { expected, found } => {
                vec![("expected", expected.clone()), ("found", found.clone())]
            }
            Self::WeightsDoNotSum {
                item,
                field,
                sum,
                expected,
            } => vec![
                ("item", item.clone()),
                ("field", field.clone()),
                ("sum", sum.to_string()),
                ("expected", expected.to_string()),
            ],
            Self::Negative { item, field, value } | Self::NotPositive { item, field, value } => {
                vec![
                    ("item", item.clone()),
                    ("field", field.clone()),
                    ("value", value.to_string()),
                ]
            }
            Self::NotFinite { item, field }
            | Self::Empty { item, field }
            | Self::LeaderOnly { item, field } => {
                vec![("item", item.clone()), ("field", field.clone())]
            }
            Self::OutOfRange {
                item,
                field,
                value,
                min,
                max,
            } => vec![
                ("item", item.clone()),
                ("field", field.clone()),
                ("value", value.to_string()),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ],
            Self::Exceeds {
                item,
                field,
                value,
                limit_field,
                limit,
            } => vec![
                ("item", item.clone()),
                ("field", field.clone()),
                ("value", value.to_string()),
                ("limit_field", limit_field.clone()),
                ("limit", limit.to_string()),
            ],
            Self::TargetEqualsStart { item, value } => {
                vec![("item", item.clone()), ("value", value.to_string())]
            }
            Self::WrongDirection {
                item,
                kind,
                direction,
            } => vec![
                ("item", item.clone()),
                ("kind", kind.clone()),
                ("direction", direction.clone()),
            ],
            Self::DuplicateId { item, kind, id }
            | Self::UnknownId { item, kind, id }
            | Self::Missing { item, kind, id } => {
                vec![
                    ("item", item.clone()),
                    ("kind", kind.clone()),
                    ("id", id.clone()),
                ]
            }
            Self::NotInScheme {
                item,
                field,
                scheme,
            } => vec![
                ("item", item.clone()),
                ("field", field.clone()),
                ("scheme", scheme.clone()),
            ],
            Self::SubordinateCycle { item } => vec![("item", item.clone())],
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// The translatable form of this error: `{ key, args }`.
    pub fn message(&self) -> ErrorMessage {
        ErrorMessage {
            key: self.key().to_owned(),
            args: self.args(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceeds_error_names_the_item_and_both_fields() {
        let e = DomainError::Exceeds {
            item: "official[o1].period[1].product[p1]".into(),
            field: "completed".into(),
            value: 5.0,
            limit_field: "assigned".into(),
            limit: 4.0,
        };
        assert_eq!(
            e.to_string(),
            "official[o1].period[1].product[p1]: `completed` (5) exceeds `assigned` (4)"
        );
        let m = e.message();
        assert_eq!(m.key, "error.exceeds");
        assert_eq!(m.args["item"], "official[o1].period[1].product[p1]");
        assert_eq!(m.args["limit"], "4");
    }
}
