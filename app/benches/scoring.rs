//! Scoring-engine benchmark (divan): 2.5 M officials × 10 key results (2 objectives × 5 KRs),
//! generated from a fixed seed. Compares the numeric OKR fast path with a plain loop that only
//! sums one field of the same key results (the memory floor), and measures the explained path
//! and the whole batch on samples. Run: `cargo bench -p app --bench scoring`.

use std::sync::LazyLock;

use app::domain::okr::score_okr;
use app::domain::{
    BatchInput, KeyResult, Measure, Objective, OfficialInput, PeriodInput, builtin_scheme,
    okr_points_fast, score_batch,
};
use divan::Bencher;
use divan::counter::ItemsCount;

const OFFICIALS: usize = 2_500_000;
/// Officials generated when the bench runs as a smoke test (`cargo test --benches`).
const OFFICIALS_IN_TEST_MODE: usize = 20_000;
const KRS_PER_OFFICIAL: usize = 10;
const EXPLAINED_SAMPLE: usize = 100_000;
const BATCH_SAMPLE: usize = 10_000;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

fn measure(rng: &mut Rng) -> Measure {
    match rng.next() % 4 {
        0 => Measure::IncreaseTo {
            start: 0.0,
            target: 100.0,
            current: rng.unit() * 120.0,
        },
        1 => Measure::DecreaseTo {
            start: 50.0,
            target: 10.0,
            current: 5.0 + rng.unit() * 50.0,
        },
        2 => Measure::Milestone {
            done: rng.next().is_multiple_of(2),
        },
        _ => Measure::StayWithin {
            low: 95.0,
            high: 100.0,
            current: 90.0 + rng.unit() * 10.0,
        },
    }
}

fn official(rng: &mut Rng) -> Vec<Objective> {
    (0..2)
        .map(|o| Objective {
            id: if o == 0 { "O1".into() } else { "O2".into() },
            weight: 0.5,
            key_results: (0..KRS_PER_OFFICIAL / 2)
                .map(|k| KeyResult {
                    id: format!("k{k}"),
                    weight: 0.2,
                    measure: measure(rng),
                })
                .collect(),
        })
        .collect()
}

static DATA: LazyLock<Vec<Vec<Objective>>> = LazyLock::new(|| {
    let mut rng = Rng(0x5EED_2026_0335_0366);
    let test_mode = std::env::args().any(|a| a == "--test");
    let n = if test_mode {
        OFFICIALS_IN_TEST_MODE
    } else {
        OFFICIALS
    };
    (0..n).map(|_| official(&mut rng)).collect()
});

fn main() {
    divan::main();
}

/// Memory floor: touch every key result once and add one field.
/// (The data is generated on first use, outside the timed closures.)
#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_sum_loop(bencher: Bencher) {
    let data = &*DATA;
    bencher
        .counter(ItemsCount::new(data.len() * KRS_PER_OFFICIAL))
        .bench(|| {
            let mut s = 0.0;
            for objectives in data {
                for o in objectives {
                    for kr in &o.key_results {
                        s += kr.weight;
                    }
                }
            }
            divan::black_box(s)
        });
}

/// The numeric fast path: attainment, weights, objectives, scaled to 100 — no allocation.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn okr_fast_path(bencher: Bencher) {
    let data = &*DATA;
    bencher
        .counter(ItemsCount::new(data.len() * KRS_PER_OFFICIAL))
        .bench(|| {
            let mut s = 0.0;
            for objectives in data {
                s += okr_points_fast(100.0, divan::black_box(objectives));
            }
            divan::black_box(s)
        });
}

/// The validated, explained path (builds the explanation tree) on the first 100 000 officials.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn okr_explained_path(bencher: Bencher) {
    let data = &DATA[..EXPLAINED_SAMPLE.min(DATA.len())];
    bencher
        .counter(ItemsCount::new(data.len() * KRS_PER_OFFICIAL))
        .bench(|| {
            let mut s = 0.0;
            for objectives in data {
                if let Ok((points, node)) = score_okr(100.0, objectives, "o") {
                    s += points + node.children.len() as f64;
                }
            }
            divan::black_box(s)
        });
}

/// The whole batch (`score_batch`, okr-basic, one quarter each) on 10 000 officials.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn okr_batch_explained(bencher: Bencher) {
    let Ok(scheme) = builtin_scheme("okr-basic") else {
        return;
    };
    let input = BatchInput {
        scheme: None,
        cycle: None,
        quota_exceptions: Vec::new(),
        officials: DATA[..BATCH_SAMPLE.min(DATA.len())]
            .iter()
            .enumerate()
            .map(|(i, objectives)| OfficialInput {
                id: format!("o{i:06}"),
                unit: format!("u{}", i % 100),
                task_group: "g".into(),
                periods: vec![PeriodInput {
                    period: 1,
                    general: Default::default(),
                    products: Vec::new(),
                    objectives: objectives.clone(),
                    report_late: false,
                    unit_result_percent: None,
                }],
                carried_periods: Vec::new(),
                months_worked: None,
                lawful_leave_months: 0.0,
                discipline: None,
                concluded_degradation: false,
                unit_corruption: false,
                leader: None,
            })
            .collect(),
    };
    bencher
        .counter(ItemsCount::new(input.officials.len() * KRS_PER_OFFICIAL))
        .bench(|| divan::black_box(score_batch(&scheme, &input).map(|o| o.officials.len())));
}
