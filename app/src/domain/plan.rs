//! Planning a period: the rules of an objective and of a key result as an official types them
//! on their sheet, and the weight sums the sheet checks while weights are typed (the same code
//! runs on the server and, compiled to WebAssembly, in the browser).
//!
//! Weights are typed in percent and stored as shares (0–1). Each one must be above 0 and at
//! most 100 %; the objectives of a period, and the key results of an objective, must add up to
//! 100 % before the engine scores them ([`super::okr::validate_objectives`]). While planning,
//! a sum that is not yet 100 % is allowed and shown with what is missing: one cannot type a
//! plan whose sums are right at every keystroke.

use super::check_in::{Invalid, VALUE_MAX_ABS};
use super::error::DomainError;
use super::num::{approx_eq, round2};
use super::okr::{KeyResult, Measure, validate_kr};
use super::vocab::KrKind;

/// The longest objective or key result title, in characters (the columns' size).
pub const TITLE_MAX_CHARS: usize = 500;
/// The longest unit of measure (%, hồ sơ, ngày…), in characters (the column's size).
pub const UNIT_MAX_CHARS: usize = 32;

/// An objective as typed (numbers as text: a decimal comma is read as a point).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ObjectiveDraft {
    pub title: String,
    /// Its weight in the period, in percent.
    pub weight: String,
}

/// An objective that passed every rule: the title trimmed, the weight as a share.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidObjective {
    pub title: String,
    pub weight: f64,
}

/// A key result as typed (numbers as text; empty is none). Which values count depends on the
/// kind: start and target to raise or lower a value, the band to stay within one, nothing for
/// a milestone (0 → 1).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct KeyResultDraft {
    pub title: String,
    /// A [`KrKind`] code.
    pub kind: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub band_low: String,
    #[serde(default)]
    pub band_high: String,
    /// Its weight in the objective, in percent.
    pub weight: String,
    #[serde(default)]
    pub unit_of_measure: String,
}

/// A key result that passed every rule, its values as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidKeyResult {
    pub title: String,
    pub kind: KrKind,
    pub start: f64,
    pub target: f64,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
    pub weight: f64,
    pub unit_of_measure: String,
}

/// Collects refusals in the order of the form.
#[derive(Default)]
struct Refusals(Vec<Invalid>);

impl Refusals {
    fn refuse(&mut self, field: &'static str, key: &'static str) {
        self.0.push(Invalid { field, key });
    }

    /// A title: required, within [`TITLE_MAX_CHARS`]; trimmed.
    fn title(&mut self, field: &'static str, text: &str) -> String {
        let text = text.trim();
        if text.is_empty() {
            self.refuse(field, "required_value");
        } else if text.chars().count() > TITLE_MAX_CHARS {
            self.refuse(field, "too_long");
        }
        text.to_owned()
    }

    /// A weight typed in percent: above 0, at most 100; as a share.
    fn weight(&mut self, field: &'static str, typed: &str) -> f64 {
        let percent = self.value(field, typed);
        if percent <= 0.0 || percent > 100.0 {
            self.refuse(field, "weight_range");
        }
        percent / 100.0
    }

    /// A value the form needs: present, a finite number of sensible size (0 when refused).
    fn value(&mut self, field: &'static str, typed: &str) -> f64 {
        match typed_number(typed) {
            Ok(Some(v)) if v.abs() > VALUE_MAX_ABS => self.refuse(field, "value_range"),
            Ok(Some(v)) => return v,
            Ok(None) => self.refuse(field, "required_value"),
            Err(NotANumber) => self.refuse(field, "not_a_number"),
        }
        f64::NAN
    }

    fn done<T>(self, valid: T) -> Result<T, Vec<Invalid>> {
        if self.0.is_empty() {
            Ok(valid)
        } else {
            Err(self.0)
        }
    }
}

/// What was typed where a number was expected is not a finite number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A number as typed: none when blank, a decimal comma read as a point.
pub fn typed_number(text: &str) -> Result<Option<f64>, NotANumber> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

/// Checks an objective: a title, and a weight above 0 and at most 100 %.
pub fn check_objective(draft: &ObjectiveDraft) -> Result<ValidObjective, Vec<Invalid>> {
    let mut r = Refusals::default();
    let title = r.title("objective_title", &draft.title);
    let weight = r.weight("objective_weight", &draft.weight);
    r.done(ValidObjective { title, weight })
}

/// The measure of a key result of `kind` with these values, at `current`.
pub fn measure(kind: KrKind, start: f64, target: f64, band: (f64, f64), current: f64) -> Measure {
    match kind {
        KrKind::IncreaseTo => Measure::IncreaseTo {
            start,
            target,
            current,
        },
        KrKind::DecreaseTo => Measure::DecreaseTo {
            start,
            target,
            current,
        },
        KrKind::Milestone => Measure::Milestone {
            done: current >= 1.0,
        },
        KrKind::StayWithin => Measure::StayWithin {
            low: band.0,
            high: band.1,
            current,
        },
    }
}

/// Checks a key result by the engine's rules ([`validate_kr`]): a title, a weight above 0 and
/// at most 100 %, a unit within its limit, and the values its kind needs — a target other than
/// the start and on the side the kind says, a band whose low end is not above its high end.
pub fn check_key_result(draft: &KeyResultDraft) -> Result<ValidKeyResult, Vec<Invalid>> {
    let mut r = Refusals::default();
    let title = r.title("kr_title", &draft.title);
    let Some(kind) = KrKind::from_code(draft.kind.trim()) else {
        r.refuse("kr_kind", "required_value");
        return Err(r.0);
    };
    let unit_of_measure = draft.unit_of_measure.trim().to_owned();
    if unit_of_measure.chars().count() > UNIT_MAX_CHARS {
        r.refuse("kr_unit", "too_long");
    }
    let (start, target, band) = match kind {
        KrKind::IncreaseTo | KrKind::DecreaseTo => {
            let start = r.value("kr_start", &draft.start);
            (start, r.value("kr_target", &draft.target), None)
        }
        KrKind::Milestone => (0.0, 1.0, None),
        KrKind::StayWithin => {
            let low = r.value("kr_band_low", &draft.band_low);
            let high = r.value("kr_band_high", &draft.band_high);
            (low, high, Some((low, high)))
        }
    };
    let weight = r.weight("kr_weight", &draft.weight);
    if r.0.is_empty() {
        let kr = KeyResult {
            id: String::new(),
            weight,
            measure: measure(kind, start, target, band.unwrap_or_default(), start),
        };
        match validate_kr(&kr, "kr") {
            Ok(()) => {}
            Err(DomainError::TargetEqualsStart { .. }) => {
                r.refuse("kr_target", "target_equals_start");
            }
            Err(DomainError::WrongDirection { .. }) => r.refuse("kr_target", "wrong_direction"),
            Err(_) => r.refuse("kr_band_high", "band_order"),
        }
    }
    r.done(ValidKeyResult {
        title,
        kind,
        start,
        target,
        band_low: band.map(|b| b.0),
        band_high: band.map(|b| b.1),
        weight,
        unit_of_measure,
    })
}

/// The code of a new key result of an objective whose key results hold `taken`: `KR1`, `KR2`…,
/// the first number from one past their count that none holds.
pub fn next_kr_code(taken: &[&str]) -> String {
    (taken.len() + 1..)
        .map(|n| format!("KR{n}"))
        .find(|code| !taken.contains(&code.as_str()))
        .unwrap_or_default()
}

/// Weights added up: the total in percent (two decimals) and whether it is 100 %.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightSum {
    pub percent: f64,
    pub complete: bool,
}

/// The sum of weights given as shares (0–1).
pub fn weight_sum(weights: impl IntoIterator<Item = f64>) -> WeightSum {
    let sum: f64 = weights.into_iter().sum();
    WeightSum {
        percent: round2(sum * 100.0),
        complete: approx_eq(sum, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(kind: KrKind) -> KeyResultDraft {
        KeyResultDraft {
            title: " Hồ sơ giải quyết đúng hạn ".into(),
            kind: kind.code().into(),
            start: "80".into(),
            target: "98,5".into(),
            weight: "60".into(),
            unit_of_measure: "%".into(),
            ..KeyResultDraft::default()
        }
    }

    fn refused<T>(r: Result<T, Vec<Invalid>>) -> Vec<(&'static str, &'static str)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| (i.field, i.key))
            .collect()
    }

    #[test]
    fn a_good_key_result_is_trimmed_and_its_weight_a_share() {
        let v = check_key_result(&kr(KrKind::IncreaseTo)).ok();
        assert_eq!(
            v.as_ref().map(|v| v.title.as_str()),
            Some("Hồ sơ giải quyết đúng hạn")
        );
        assert_eq!(v.as_ref().map(|v| v.weight), Some(0.6));
        assert_eq!(
            v.map(|v| (v.start, v.target, v.band_low)),
            Some((80.0, 98.5, None))
        );
    }

    #[test]
    fn each_kind_needs_its_own_values() {
        // Table: (kind, start, target, low, high) as typed → refusals.
        type Case = (
            KrKind,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
        );
        let cases: &[(Case, &[(&str, &str)])] = &[
            ((KrKind::IncreaseTo, "1", "5", "", ""), &[]),
            (
                (KrKind::IncreaseTo, "", "5", "", ""),
                &[("kr_start", "required_value")],
            ),
            (
                (KrKind::IncreaseTo, "5", "5,0", "", ""),
                &[("kr_target", "target_equals_start")],
            ),
            (
                (KrKind::IncreaseTo, "5", "1", "", ""),
                &[("kr_target", "wrong_direction")],
            ),
            ((KrKind::DecreaseTo, "5", "1", "9", "9"), &[]),
            (
                (KrKind::DecreaseTo, "1", "5", "", ""),
                &[("kr_target", "wrong_direction")],
            ),
            ((KrKind::Milestone, "", "", "", ""), &[]),
            ((KrKind::StayWithin, "", "", "2", "4"), &[]),
            (
                (KrKind::StayWithin, "", "", "4", "2"),
                &[("kr_band_high", "band_order")],
            ),
            (
                (KrKind::StayWithin, "", "", "", "2"),
                &[("kr_band_low", "required_value")],
            ),
            (
                (KrKind::IncreaseTo, "abc", "1e13", "", ""),
                &[("kr_start", "not_a_number"), ("kr_target", "value_range")],
            ),
            (
                (KrKind::IncreaseTo, "NaN", "inf", "", ""),
                &[("kr_start", "not_a_number"), ("kr_target", "not_a_number")],
            ),
        ];
        for ((kind, start, target, band_low, band_high), expected) in cases {
            let draft = KeyResultDraft {
                start: (*start).into(),
                target: (*target).into(),
                band_low: (*band_low).into(),
                band_high: (*band_high).into(),
                ..kr(*kind)
            };
            assert_eq!(
                refused(check_key_result(&draft)),
                *expected,
                "{kind:?} {start} {target} {band_low} {band_high}"
            );
        }
    }

    #[test]
    fn a_milestone_runs_from_zero_to_one_and_a_band_from_low_to_high() {
        let m = check_key_result(&kr(KrKind::Milestone)).ok();
        assert_eq!(m.map(|v| (v.start, v.target)), Some((0.0, 1.0)));
        let draft = KeyResultDraft {
            band_low: "2".into(),
            band_high: "4".into(),
            ..kr(KrKind::StayWithin)
        };
        let b = check_key_result(&draft).ok();
        assert_eq!(
            b.map(|v| (v.start, v.target, v.band_low, v.band_high)),
            Some((2.0, 4.0, Some(2.0), Some(4.0)))
        );
    }

    #[test]
    fn titles_kinds_weights_and_units_are_bounded() {
        let draft = KeyResultDraft {
            title: "  ".into(),
            weight: "0".into(),
            unit_of_measure: "x".repeat(UNIT_MAX_CHARS + 1),
            ..kr(KrKind::IncreaseTo)
        };
        assert_eq!(
            refused(check_key_result(&draft)),
            [
                ("kr_title", "required_value"),
                ("kr_unit", "too_long"),
                ("kr_weight", "weight_range")
            ]
        );
        let unknown = KeyResultDraft {
            kind: "robot".into(),
            ..kr(KrKind::IncreaseTo)
        };
        assert_eq!(
            refused(check_key_result(&unknown)),
            [("kr_kind", "required_value")]
        );
        let long = ObjectiveDraft {
            title: "ư".repeat(TITLE_MAX_CHARS + 1),
            weight: "100,5".into(),
        };
        assert_eq!(
            refused(check_objective(&long)),
            [
                ("objective_title", "too_long"),
                ("objective_weight", "weight_range")
            ]
        );
        let blank = ObjectiveDraft {
            title: "Cải cách hành chính".into(),
            weight: " ".into(),
        };
        assert_eq!(
            refused(check_objective(&blank)),
            [("objective_weight", "required_value")]
        );
        let full = ObjectiveDraft {
            title: "ư".repeat(TITLE_MAX_CHARS),
            weight: "100".into(),
        };
        assert_eq!(check_objective(&full).ok().map(|o| o.weight), Some(1.0));
    }

    #[test]
    fn new_key_results_are_numbered_past_the_codes_taken() {
        assert_eq!(next_kr_code(&[]), "KR1");
        assert_eq!(next_kr_code(&["KR1"]), "KR2");
        // An imported code does not count as a number; a number taken is skipped.
        assert_eq!(next_kr_code(&["HUE-KR7", "KR2"]), "KR3");
        assert_eq!(next_kr_code(&["KR3", "KR4"]), "KR5");
    }

    #[test]
    fn weight_sums_say_whether_they_reach_one_hundred_percent() {
        assert_eq!(
            weight_sum([0.6, 0.4]),
            WeightSum {
                percent: 100.0,
                complete: true
            }
        );
        assert!(weight_sum([0.1, 0.2, 0.7]).complete);
        assert_eq!(
            weight_sum([0.6, 0.3]),
            WeightSum {
                percent: 90.0,
                complete: false
            }
        );
        assert_eq!(
            weight_sum([]),
            WeightSum {
                percent: 0.0,
                complete: false
            }
        );
    }
}
