//! What the public page of a unit's results may show (Decree 335's "people know, people
//! check", without ever telling a person's result): aggregates only, and a unit's shares of
//! levels only when enough officials were rated that no one's level can be told from them.

use serde::{Deserialize, Serialize};

/// The fewest rated officials whose shares of levels are published: in a smaller unit the
/// shares would tell each person's level.
pub const MIN_RATED: u32 = 5;

/// A unit's count of officials at each level in one cycle, highest level first (as
/// [`crate::domain::level::Level::ALL`]).
pub type LevelCounts = [u32; 4];

/// The shares (0–1) of the officials rated at each level, highest first, when at least
/// [`MIN_RATED`] were rated and the unit has at least as many officials; `None` otherwise.
pub fn level_shares(officials: u32, counts: LevelCounts) -> Option<[f64; 4]> {
    let rated: u32 = counts.iter().sum();
    if rated < MIN_RATED || officials < MIN_RATED {
        return None;
    }
    Some(counts.map(|n| f64::from(n) / f64::from(rated)))
}

/// How a published figure moved since the one before it, for the trend column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    Up,
    Down,
    Flat,
}

impl Trend {
    /// From the newest value and the one before, on a scale `span` wide (the metric's range):
    /// a move of less than half a percent of the scale counts as flat.
    pub fn of(newest: f64, before: Option<f64>, span: f64) -> Option<Trend> {
        let before = before?;
        let tolerance = span.abs() * 0.005;
        Some(if newest - before >= tolerance {
            Trend::Up
        } else if before - newest >= tolerance {
            Trend::Down
        } else {
            Trend::Flat
        })
    }

    /// The translation key of the trend's words.
    pub fn key(self) -> &'static str {
        match self {
            Trend::Up => "public_trend_up",
            Trend::Down => "public_trend_down",
            Trend::Flat => "public_trend_flat",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_units_publish_no_shares() {
        assert_eq!(level_shares(4, [1, 2, 1, 0]), None);
        assert_eq!(level_shares(30, [1, 2, 1, 0]), None, "four rated of thirty");
        assert_eq!(
            level_shares(3, [2, 2, 1, 0]),
            None,
            "more rated than officials"
        );
        let shares = level_shares(5, [1, 2, 2, 0]).expect("five rated");
        assert_eq!(shares, [0.2, 0.4, 0.4, 0.0]);
    }

    #[test]
    fn trends_ignore_less_than_half_a_percent_of_the_scale() {
        assert_eq!(Trend::of(80.0, None, 100.0), None);
        assert_eq!(Trend::of(80.4, Some(80.0), 100.0), Some(Trend::Flat));
        assert_eq!(Trend::of(80.5, Some(80.0), 100.0), Some(Trend::Up));
        assert_eq!(Trend::of(79.0, Some(80.0), 100.0), Some(Trend::Down));
        // A group of the service index scored out of 18: a tenth of a point is a move.
        assert_eq!(Trend::of(15.6, Some(15.5), 18.0), Some(Trend::Up));
    }

    proptest! {
        #[test]
        fn published_shares_sum_to_one(officials in 0u32..200, counts in prop::array::uniform4(0u32..60)) {
            match level_shares(officials, counts) {
                Some(shares) => {
                    prop_assert!(counts.iter().sum::<u32>() >= MIN_RATED && officials >= MIN_RATED);
                    prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                }
                None => prop_assert!(counts.iter().sum::<u32>() < MIN_RATED || officials < MIN_RATED),
            }
        }
    }
}
