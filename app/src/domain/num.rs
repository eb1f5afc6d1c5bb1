//! Number helpers shared by the scoring engine: rounding rules and tolerant comparisons.
//!
//! All arithmetic is done in `f64`. Scores are *rounded once*, at the boundaries the law
//! cares about (a period score, a year score) and for display in explanation trees.

/// Tolerance used when checking that weights sum to their required total (unitless).
pub const WEIGHT_TOLERANCE: f64 = 1e-6;

/// Rounds `x` to 2 decimals, half away from zero: `round(x × 100 ± 1e-7) ÷ 100`.
///
/// The `1e-7` nudge (a billionth of a point) absorbs binary representation error so that a
/// value computed as `89.99499999999` from an exact `89.995` rounds to `90.00`, as a person
/// rounding by hand would. Units: points (0–100).
pub fn round2(x: f64) -> f64 {
    round_to(x, 100.0)
}

/// Rounds `x` to 4 decimals, half away from zero (ratios and weights shown in explanations).
pub fn round4(x: f64) -> f64 {
    round_to(x, 10_000.0)
}

fn round_to(x: f64, scale: f64) -> f64 {
    let scaled = x * scale;
    let nudged = scaled + scaled.signum() * 1e-7;
    let rounded = nudged.round() / scale;
    // Normalise `-0.0` to `0.0` so JSON never shows a negative zero.
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// True when `a` and `b` differ by at most [`WEIGHT_TOLERANCE`].
pub fn approx_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= WEIGHT_TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round2_rounds_half_away_from_zero() {
        // 89.995 is stored as 89.99499999999999744…; the nudge rounds it up as by hand.
        assert_eq!(round2(89.995), 90.0);
        assert_eq!(round2(12.344), 12.34);
        assert_eq!(round2(-1.005), -1.01);
    }

    #[test]
    fn round2_never_returns_negative_zero() {
        assert!(round2(-0.001).is_sign_positive());
    }

    #[test]
    fn round4_keeps_four_decimals() {
        assert_eq!(round4(2.0 / 3.0), 0.6667);
    }
}
