//! Metric values fed by other systems (the one-stop system, the public-service portal, a
//! satisfaction survey): the catalogue's vocabulary, the check of a batch of values — one error
//! for each bad item, naming the item and its field, and nothing taken from a batch with any —
//! and how long a feed may stay silent. Pure: the service looks the metrics and units up.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

crate::code_enum! {
    /// Whether a metric is better higher (an on-time rate) or lower (files overdue).
    pub enum Direction {
        Higher = "higher",
        Lower = "lower",
    }
}

crate::code_enum! {
    /// How often a feed is expected to send a metric's value.
    pub enum Frequency {
        Daily = "daily",
        Weekly = "weekly",
        Monthly = "monthly",
        Quarterly = "quarterly",
        Yearly = "yearly",
    }
}

impl Frequency {
    /// The days between two values (the longest month, quarter or year).
    pub fn every_days(self) -> u32 {
        match self {
            Frequency::Daily => 1,
            Frequency::Weekly => 7,
            Frequency::Monthly => 31,
            Frequency::Quarterly => 92,
            Frequency::Yearly => 366,
        }
    }
}

/// The most values one batch may carry.
pub const MAX_ITEMS: usize = 50_000;
/// The longest metric key or unit code an item may name.
pub const MAX_CODE: usize = 64;

/// One value as a feed sends it: the metric's key, the unit's code, the day (`YYYY-MM-DD`) and
/// the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub metric: String,
    pub unit: String,
    pub date: String,
    pub value: f64,
}

/// A value checked: the unit resolved to its id and the day parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub metric: String,
    pub unit_id: i64,
    pub date: NaiveDate,
    pub value: f64,
}

/// What the catalogue says of a metric a value may name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
}

/// What is known of the unit an item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitLookup {
    /// No unit has this code.
    Unknown,
    /// The unit exists, outside what the sender may write for.
    OutsideScope,
    /// The unit, which the sender may write for.
    Allowed(i64),
}

/// A refused item: its place in the batch (from 0), the field and the message key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemError {
    pub index: usize,
    pub field: String,
    pub message: String,
}

impl ItemError {
    fn new(index: usize, field: &str, message: &str) -> Self {
        ItemError {
            index,
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Checks a batch: every item, each refused for its first fault (an empty or too long code,
/// a metric not in the catalogue, a unit unknown or outside the sender's scope, a day that is
/// not a date or is after `today`, a value outside the metric's range, the same metric, unit
/// and day twice). Either every item passes, or the errors are returned and nothing is taken.
pub fn check(
    items: &[Item],
    metric: impl Fn(&str) -> Option<Bounds>,
    unit: impl Fn(&str) -> UnitLookup,
    today: NaiveDate,
) -> Result<Vec<Checked>, Vec<ItemError>> {
    if items.is_empty() {
        return Err(vec![ItemError::new(0, "values", "feed_empty")]);
    }
    if items.len() > MAX_ITEMS {
        return Err(vec![ItemError::new(MAX_ITEMS, "values", "feed_too_many")]);
    }
    let mut seen = HashSet::with_capacity(items.len());
    let mut checked = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match check_one(item, &metric, &unit, today) {
            Ok(value) => {
                if seen.insert((value.metric.clone(), value.unit_id, value.date)) {
                    checked.push(value);
                } else {
                    errors.push(ItemError::new(index, "date", "feed_duplicate"));
                }
            }
            Err((field, message)) => errors.push(ItemError::new(index, field, message)),
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

fn check_one(
    item: &Item,
    metric: &impl Fn(&str) -> Option<Bounds>,
    unit: &impl Fn(&str) -> UnitLookup,
    today: NaiveDate,
) -> Result<Checked, (&'static str, &'static str)> {
    let code = |field: &'static str, text: &str| match text.chars().count() {
        0 => Err((field, "required_value")),
        n if n > MAX_CODE => Err((field, "too_long")),
        _ => Ok(()),
    };
    code("metric", &item.metric)?;
    let bounds = metric(&item.metric).ok_or(("metric", "feed_unknown_metric"))?;
    code("unit", &item.unit)?;
    let unit_id = match unit(&item.unit) {
        UnitLookup::Unknown => return Err(("unit", "feed_unknown_unit")),
        UnitLookup::OutsideScope => return Err(("unit", "feed_outside_scope")),
        UnitLookup::Allowed(id) => id,
    };
    let date =
        NaiveDate::parse_from_str(&item.date, "%Y-%m-%d").map_err(|_| ("date", "feed_bad_date"))?;
    if date > today {
        return Err(("date", "feed_future_date"));
    }
    if !item.value.is_finite() || item.value < bounds.min || item.value > bounds.max {
        return Err(("value", "feed_out_of_range"));
    }
    Ok(Checked {
        metric: item.metric.clone(),
        unit_id,
        date,
        value: item.value,
    })
}

/// The value a key result bound to a metric takes from its feed: the newest value dated within
/// the key result's cycle (`starts_on`–`ends_on`), if any. `values` are (day, value) in any order.
pub fn bound_value(
    values: &[(NaiveDate, f64)],
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Option<f64> {
    values
        .iter()
        .filter(|(day, _)| (starts_on..=ends_on).contains(day))
        .max_by_key(|(day, _)| *day)
        .map(|(_, value)| *value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn item(metric: &str, unit: &str, date: &str, value: f64) -> Item {
        Item {
            metric: metric.into(),
            unit: unit.into(),
            date: date.into(),
            value,
        }
    }

    fn catalogue(key: &str) -> Option<Bounds> {
        (key == "online_rate").then_some(Bounds {
            min: 0.0,
            max: 100.0,
        })
    }

    fn units(code: &str) -> UnitLookup {
        match code {
            "AN-CUU" => UnitLookup::Allowed(7),
            "DUONG-NO" => UnitLookup::OutsideScope,
            _ => UnitLookup::Unknown,
        }
    }

    #[test]
    fn a_good_batch_is_taken_whole() {
        let items = [
            item("online_rate", "AN-CUU", "2026-11-30", 96.2),
            item("online_rate", "AN-CUU", "2026-10-31", 95.0),
        ];
        let checked = check(&items, catalogue, units, day("2026-12-01")).expect("valid");
        assert_eq!(checked.len(), 2);
        assert_eq!(checked[0].unit_id, 7);
        assert_eq!(checked[0].date, day("2026-11-30"));
    }

    #[test]
    fn each_bad_item_gets_one_error_naming_its_field() {
        let items = [
            item("online_rate", "AN-CUU", "2026-11-30", 96.2),
            item("no_such", "AN-CUU", "2026-11-30", 1.0),
            item("online_rate", "NOWHERE", "2026-11-30", 1.0),
            item("online_rate", "DUONG-NO", "2026-11-30", 1.0),
            item("online_rate", "AN-CUU", "30/11/2026", 1.0),
            item("online_rate", "AN-CUU", "2026-12-02", 1.0),
            item("online_rate", "AN-CUU", "2026-10-31", 100.5),
            item("online_rate", "AN-CUU", "2026-11-30", 97.0),
            item("", "AN-CUU", "2026-11-30", 1.0),
            item("online_rate", &"X".repeat(65), "2026-11-30", 1.0),
        ];
        let errors = check(&items, catalogue, units, day("2026-12-01")).expect_err("refused");
        let got: Vec<(usize, &str, &str)> = errors
            .iter()
            .map(|e| (e.index, e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "metric", "feed_unknown_metric"),
                (2, "unit", "feed_unknown_unit"),
                (3, "unit", "feed_outside_scope"),
                (4, "date", "feed_bad_date"),
                (5, "date", "feed_future_date"),
                (6, "value", "feed_out_of_range"),
                (7, "date", "feed_duplicate"),
                (8, "metric", "required_value"),
                (9, "unit", "too_long"),
            ]
        );
    }

    #[test]
    fn an_empty_or_oversized_batch_is_refused() {
        assert_eq!(
            check(&[], catalogue, units, day("2026-12-01")).expect_err("empty")[0].message,
            "feed_empty"
        );
        let many = vec![item("online_rate", "AN-CUU", "2026-11-30", 1.0); MAX_ITEMS + 1];
        assert_eq!(
            check(&many, catalogue, units, day("2026-12-01")).expect_err("too many")[0].message,
            "feed_too_many"
        );
    }

    #[test]
    fn a_bound_key_result_takes_the_newest_value_of_its_cycle() {
        let values = [
            (day("2026-09-30"), 90.0),
            (day("2026-11-30"), 96.0),
            (day("2026-10-31"), 93.0),
            (day("2027-01-31"), 99.0),
        ];
        assert_eq!(
            bound_value(&values, day("2026-10-01"), day("2026-12-31")),
            Some(96.0)
        );
        assert_eq!(
            bound_value(&values, day("2025-01-01"), day("2025-12-31")),
            None
        );
    }

    #[test]
    fn frequencies_have_their_days() {
        let days: Vec<u32> = Frequency::ALL.iter().map(|f| f.every_days()).collect();
        assert_eq!(days, vec![1, 7, 31, 92, 366]);
        assert_eq!(
            Frequency::from_code("quarterly"),
            Some(Frequency::Quarterly)
        );
    }

    proptest! {
        /// Whatever is sent, a batch is taken whole or refused with an error per bad item, in
        /// order, and a value outside the range is never taken.
        #[test]
        fn taken_whole_or_refused_per_item(
            values in proptest::collection::vec((-10.0f64..110.0, 0u32..40), 1..40)
        ) {
            let items: Vec<Item> = values
                .iter()
                .map(|(v, d)| item("online_rate", "AN-CUU", &format!("2026-11-{:02}", d), *v))
                .collect();
            match check(&items, catalogue, units, day("2026-12-01")) {
                Ok(checked) => {
                    prop_assert_eq!(checked.len(), items.len());
                    prop_assert!(checked.iter().all(|c| (0.0..=100.0).contains(&c.value)));
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    prop_assert!(errors.windows(2).all(|w| w[0].index < w[1].index));
                    prop_assert!(errors.iter().all(|e| e.index < items.len()));
                }
            }
        }
    }
}
