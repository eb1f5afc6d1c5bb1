//! A unit's service metrics (the on-time and online rates of its administrative procedures,
//! fed monthly from the public-service portal into `metric_series`) against their targets,
//! with a status in the words of a results dashboard (as Results Washington's legend: meets
//! target · on track · needs improvement · baseline). Pure: the repository reads the values.

use serde::{Deserialize, Serialize};

crate::code_enum! {
    /// The unit metrics the dashboards show (both rates in %, higher is better).
    pub enum MetricKey {
        /// Share of procedure files settled on time.
        OnTime = "procedures_on_time_rate",
        /// Share of procedure files submitted online.
        Online = "online_rate",
    }
}

crate::code_enum! {
    /// Where a metric stands against its target.
    pub enum MetricStatus {
        /// At or above the target.
        MeetsTarget = "meets_target",
        /// Below the target but not falling since the value before.
        OnTrack = "on_track",
        /// Below the target and falling.
        NeedsImprovement = "needs_improvement",
        /// Nothing to compare with yet: a single value, or no target set.
        Baseline = "baseline",
    }
}

impl MetricStatus {
    /// The status of a metric whose values are `newest_first`, against `target`; `None` with
    /// no value at all.
    pub fn of(newest_first: &[f64], target: Option<f64>) -> Option<Self> {
        let latest = *newest_first.first()?;
        Some(match (target, newest_first.get(1)) {
            (Some(t), _) if latest >= t => Self::MeetsTarget,
            (Some(_), Some(previous)) if latest >= *previous => Self::OnTrack,
            (Some(_), Some(_)) => Self::NeedsImprovement,
            _ => Self::Baseline,
        })
    }
}

/// A metric's latest value with its status, as a table cell shows it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetricValue {
    pub value: f64,
    pub target: Option<f64>,
    pub status: MetricStatus,
}

impl MetricValue {
    /// From the values (newest first) and the target; `None` with no value.
    pub fn of(newest_first: &[f64], target: Option<f64>) -> Option<Self> {
        Some(Self {
            value: *newest_first.first()?,
            target,
            status: MetricStatus::of(newest_first, target)?,
        })
    }
}

/// One metric of a unit on its dashboard: the latest value and status, the month it is of,
/// and its recent months drawn against the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitMetric {
    pub key: MetricKey,
    pub latest: Option<MetricValue>,
    pub as_of: Option<chrono::NaiveDate>,
    pub chart: Option<super::compare::ChartData>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_target_then_the_direction() {
        use MetricStatus::*;
        assert_eq!(MetricStatus::of(&[], Some(99.0)), None);
        assert_eq!(
            MetricStatus::of(&[99.0, 97.0], Some(99.0)),
            Some(MeetsTarget)
        );
        assert_eq!(MetricStatus::of(&[98.5, 97.0], Some(99.0)), Some(OnTrack));
        assert_eq!(MetricStatus::of(&[98.5, 98.5], Some(99.0)), Some(OnTrack));
        assert_eq!(
            MetricStatus::of(&[96.0, 97.0], Some(99.0)),
            Some(NeedsImprovement)
        );
        assert_eq!(MetricStatus::of(&[96.0], Some(99.0)), Some(Baseline));
        assert_eq!(MetricStatus::of(&[96.0, 90.0], None), Some(Baseline));
    }

    #[test]
    fn keys_round_trip_through_their_codes() {
        for key in MetricKey::ALL {
            assert_eq!(MetricKey::from_code(key.code()), Some(*key));
        }
        assert_eq!(MetricKey::OnTime.code(), "procedures_on_time_rate");
    }
}
