//! The equalization index of a country (divan): 3,300 units with their year's officials per
//! level and score spread, and 3,300 reviewers with what they rated, generated from a fixed
//! seed — a few excellent-for-everyone units among them. One pass takes all the units together
//! (`Group::whole`), then tests every unit (`compare::flags`, the comparison's rule) and every
//! reviewer (`compare::flagged_reviewers`) against them. Reading the rows is the database's
//! part, measured with the comparison in `docs/PERFORMANCE.md`.
//! Run: `cargo bench -p app --bench equalize`.

use std::sync::LazyLock;

use app::domain::compare::{ReviewerSums, flagged_reviewers, flags};
use app::domain::equalize::Group;
use divan::Bencher;
use divan::counter::ItemsCount;

const UNITS: usize = 3_300;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// One unit's year: officials per level, how many scored, the mean and spread of the scores.
type UnitYear = ([u32; 4], u32, Option<f64>, Option<f64>);

struct Country {
    units: Vec<UnitYear>,
    reviewers: Vec<ReviewerSums>,
}

static COUNTRY: LazyLock<Country> = LazyLock::new(|| {
    let mut rng = Rng(0x5EED_2026);
    let mut units = Vec::with_capacity(UNITS);
    let mut reviewers = Vec::with_capacity(UNITS);
    for i in 0..UNITS {
        let people = 15 + rng.below(60) as u32;
        // One unit in a hundred rates everyone excellent, their scores close together.
        let equalized = i % 100 == 7;
        let levels = if equalized {
            [people, 0, 0, 0]
        } else {
            let top = rng.below(u64::from(people) / 4 + 1) as u32;
            let low = rng.below(u64::from(people) / 5 + 1) as u32;
            let failed = rng.below(2) as u32;
            let good = people.saturating_sub(top + low + failed);
            [top, good, low, failed]
        };
        let (mean, spread) = if equalized {
            (94.0, 0.6)
        } else {
            (
                78.0 + rng.below(80) as f64 / 10.0,
                6.0 + rng.below(40) as f64 / 10.0,
            )
        };
        units.push((levels, people, Some(mean), Some(spread)));
        let n = f64::from(people);
        reviewers.push(ReviewerSums {
            reviewer_id: i as i64,
            name: format!("Người đánh giá {i}"),
            unit: format!("Đơn vị {i}"),
            levels,
            scored: people,
            sum: n * mean,
            squares: n * (spread * spread + mean * mean),
        });
    }
    Country { units, reviewers }
});

fn main() {
    divan::main();
}

/// Every unit and every reviewer of the country tested against the whole.
#[divan::bench(sample_count = 50)]
fn index_of_every_unit_and_reviewer(bencher: Bencher) {
    let country = &*COUNTRY;
    bencher.counter(ItemsCount::new(2 * UNITS)).bench(|| {
        let whole = Group::whole(country.units.iter().copied());
        let units = country
            .units
            .iter()
            .filter(|(levels, _, _, spread)| {
                !flags(Group::new(*levels, *spread), Some(whole)).is_empty()
            })
            .count();
        let reviewers = flagged_reviewers(country.reviewers.iter().cloned(), whole).len();
        assert!(units >= UNITS / 100 && reviewers >= UNITS / 100);
        (units, reviewers)
    });
}
