//! Input validation helpers: each check returns a [`DomainError`] naming the item and field.
//!
//! Item paths are language-neutral: `official[o1].period[3].product[p2]`.

use std::collections::BTreeSet;

use super::error::DomainError;
use super::num::approx_eq;

/// `v` must be finite (not NaN, not ±∞).
pub fn finite(item: &str, field: &str, v: f64) -> Result<f64, DomainError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(DomainError::NotFinite {
            item: item.to_owned(),
            field: field.to_owned(),
        })
    }
}

/// `v` must be finite and `≥ 0`.
pub fn non_negative(item: &str, field: &str, v: f64) -> Result<f64, DomainError> {
    finite(item, field, v)?;
    if v < 0.0 {
        return Err(DomainError::Negative {
            item: item.to_owned(),
            field: field.to_owned(),
            value: v,
        });
    }
    Ok(v)
}

/// `v` must be finite and `> 0`.
pub fn positive(item: &str, field: &str, v: f64) -> Result<f64, DomainError> {
    finite(item, field, v)?;
    if v <= 0.0 {
        return Err(DomainError::NotPositive {
            item: item.to_owned(),
            field: field.to_owned(),
            value: v,
        });
    }
    Ok(v)
}

/// A count must be `≥ 0`; returned as `f64` for arithmetic (exact up to 2⁵³).
pub fn count(item: &str, field: &str, v: i64) -> Result<f64, DomainError> {
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^53")]
    let x = v as f64;
    if v < 0 {
        return Err(DomainError::Negative {
            item: item.to_owned(),
            field: field.to_owned(),
            value: x,
        });
    }
    Ok(x)
}

/// `v` must be finite and lie in `[min, max]`.
pub fn in_range(item: &str, field: &str, v: f64, min: f64, max: f64) -> Result<f64, DomainError> {
    finite(item, field, v)?;
    if v < min || v > max {
        return Err(DomainError::OutOfRange {
            item: item.to_owned(),
            field: field.to_owned(),
            value: v,
            min,
            max,
        });
    }
    Ok(v)
}

/// `value` (of `field`) must not exceed `limit` (of `limit_field`), e.g. completed ≤ assigned.
pub fn not_above(
    item: &str,
    field: &str,
    value: f64,
    limit_field: &str,
    limit: f64,
) -> Result<(), DomainError> {
    if value > limit {
        return Err(DomainError::Exceeds {
            item: item.to_owned(),
            field: field.to_owned(),
            value,
            limit_field: limit_field.to_owned(),
            limit,
        });
    }
    Ok(())
}

/// Weights must each be finite and `≥ 0` and sum to 1 (± [`super::num::WEIGHT_TOLERANCE`]).
pub fn weights_sum_to_one(
    item: &str,
    field: &str,
    weights: impl IntoIterator<Item = f64>,
) -> Result<(), DomainError> {
    let mut sum = 0.0;
    for w in weights {
        sum += non_negative(item, field, w)?;
    }
    if !approx_eq(sum, 1.0) {
        return Err(DomainError::WeightsDoNotSum {
            item: item.to_owned(),
            field: field.to_owned(),
            sum,
            expected: 1.0,
        });
    }
    Ok(())
}

/// Ids must be non-empty and unique within `item`; `kind` names what they identify.
pub fn unique_ids<'a>(
    item: &str,
    kind: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), DomainError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(DomainError::Empty {
                item: item.to_owned(),
                field: format!("{kind}.id"),
            });
        }
        if !seen.insert(id) {
            return Err(DomainError::DuplicateId {
                item: item.to_owned(),
                kind: kind.to_owned(),
                id: id.to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_summing_to_09_are_rejected_with_their_sum() {
        // 0.5 + 0.4 = 0.9 ≠ 1
        let e = weights_sum_to_one(
            "official[o1].period[1].objective[O1]",
            "key_results.weight",
            [0.5, 0.4],
        );
        assert!(
            matches!(e, Err(DomainError::WeightsDoNotSum { sum, .. }) if (sum - 0.9).abs() < 1e-12)
        );
    }

    #[test]
    fn negative_count_is_rejected_naming_the_field() {
        let e = count("official[o1].period[1].product[p1]", "delays", -1);
        assert_eq!(
            e.err().map(|e| e.to_string()),
            Some(
                "official[o1].period[1].product[p1]: `delays` must not be negative (got -1)".into()
            )
        );
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let e = unique_ids("input", "official", ["a", "b", "a"]);
        assert!(matches!(e, Err(DomainError::DuplicateId { id, .. }) if id == "a"));
    }
}
