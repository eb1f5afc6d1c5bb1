//! Property tests for the engine's invariants: scores stay within 0–100, are monotone in
//! completed products and in KR progress, do not depend on input order, the fast OKR path
//! agrees with the explained one, and the quota invariant holds after calibration.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::helpers::{batch, scheme};
use crate::domain::calibration::{Board, Person};
use crate::domain::okr::{Measure, okr_points_fast, score_okr};
use crate::domain::quota::{QuotaEntry, calibrate, demotions_needed};
use crate::domain::{KeyResult, Level, Objective, Product, score_official};

fn product() -> impl Strategy<Value = Product> {
    (1i64..20, 0.1f64..10.0, 0i64..5, 0i64..5)
        .prop_flat_map(|(assigned, weight, failures, delays)| {
            (
                Just(assigned),
                Just(weight),
                0..=assigned,
                Just(failures),
                Just(delays),
            )
        })
        .prop_flat_map(|(assigned, weight, completed, failures, delays)| {
            (
                Just(assigned),
                Just(weight),
                Just(completed),
                0..=completed,
                0..=completed,
                Just(failures),
                Just(delays),
            )
        })
        .prop_map(
            |(assigned, weight, completed, on_q, on_t, failures, delays)| Product {
                id: String::new(),
                weight,
                assigned,
                completed,
                completed_on_quality: Some(on_q),
                completed_on_time: Some(on_t),
                quality_failures: failures,
                delays,
                waivers: Vec::new(),
            },
        )
}

fn products() -> impl Strategy<Value = Vec<Product>> {
    prop::collection::vec(product(), 1..6).prop_map(|mut ps| {
        for (i, p) in ps.iter_mut().enumerate() {
            p.id = format!("p{i}");
        }
        ps
    })
}

fn period_score(products: &[Product], general: [f64; 3]) -> f64 {
    let o = super::helpers::official(
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": [{
        "period": 1,
        "general": { "politics_ethics_discipline": general[0], "competence_responsibility": general[1], "innovation": general[2] },
        "products": products }] }),
    );
    score_official(&scheme("decree-335-2025"), &o)
        .expect("generated input is valid")
        .periods[0]
        .score
}

fn measure() -> impl Strategy<Value = Measure> {
    prop_oneof![
        (-100.0f64..100.0, 1.0f64..100.0, -200.0f64..200.0).prop_map(|(start, d, current)| {
            Measure::IncreaseTo {
                start,
                target: start + d,
                current,
            }
        }),
        (-100.0f64..100.0, 1.0f64..100.0, -200.0f64..200.0).prop_map(|(start, d, current)| {
            Measure::DecreaseTo {
                start,
                target: start - d,
                current,
            }
        }),
        any::<bool>().prop_map(|done| Measure::Milestone { done }),
        (-10.0f64..10.0, 0.0f64..10.0, -20.0f64..20.0).prop_map(|(low, w, current)| {
            Measure::StayWithin {
                low,
                high: low + w,
                current,
            }
        }),
    ]
}

/// Normalises raw positive weights so they sum to 1 (the last absorbs rounding).
fn normalise(raw: &[f64]) -> Vec<f64> {
    let total: f64 = raw.iter().sum();
    let mut w: Vec<f64> = raw.iter().map(|x| x / total).collect();
    let head: f64 = w[..w.len() - 1].iter().sum();
    if let Some(last) = w.last_mut() {
        *last = 1.0 - head;
    }
    w
}

fn objectives() -> impl Strategy<Value = Vec<Objective>> {
    prop::collection::vec(
        (
            0.1f64..1.0,
            prop::collection::vec((0.1f64..1.0, measure()), 1..5),
        ),
        1..4,
    )
    .prop_map(|os| {
        let ow = normalise(&os.iter().map(|o| o.0).collect::<Vec<_>>());
        os.into_iter()
            .enumerate()
            .map(|(i, (_, krs))| {
                let kw = normalise(&krs.iter().map(|k| k.0).collect::<Vec<_>>());
                Objective {
                    id: format!("O{i}"),
                    weight: ow[i],
                    key_results: krs
                        .into_iter()
                        .enumerate()
                        .map(|(j, (_, measure))| KeyResult {
                            id: format!("k{j}"),
                            weight: kw[j],
                            measure,
                        })
                        .collect(),
                }
            })
            .collect()
    })
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![
        Just(Level::Htxsnv),
        Just(Level::Httnv),
        Just(Level::Htnv),
        Just(Level::Khtnv)
    ]
}

proptest! {
    #[test]
    fn period_score_stays_within_0_and_100(ps in products(), g in prop::array::uniform3(0.0f64..=10.0)) {
        let s = period_score(&ps, g);
        prop_assert!((0.0..=100.0).contains(&s), "{s}");
    }

    #[test]
    fn completing_one_more_unit_never_lowers_the_score(ps in products(), pick in any::<prop::sample::Index>()) {
        let i = pick.index(ps.len());
        prop_assume!(ps[i].completed < ps[i].assigned);
        let mut more = ps.clone();
        more[i].completed += 1;
        prop_assert!(period_score(&more, [5.0; 3]) >= period_score(&ps, [5.0; 3]));
        // with quality and timeliness following completion, one more unit never lowers it either
        let mut both = ps.clone();
        both[i].completed_on_quality = None;
        both[i].completed_on_time = None;
        let mut both_more = both.clone();
        both_more[i].completed += 1;
        prop_assert!(period_score(&both_more, [5.0; 3]) >= period_score(&both, [5.0; 3]));
    }

    #[test]
    fn okr_points_stay_within_0_and_100_and_fast_path_agrees(os in objectives()) {
        let fast = okr_points_fast(100.0, &os);
        let explained = score_okr(100.0, &os, "t").map(|(p, _)| p);
        prop_assert!((0.0..=100.0 + 1e-9).contains(&fast), "{fast}");
        prop_assert!(explained.as_ref().is_ok_and(|e| (e - fast).abs() < 1e-9), "{explained:?} vs {fast}");
    }

    #[test]
    fn more_kr_progress_never_lowers_the_okr_score(os in objectives(), o in any::<prop::sample::Index>(), k in any::<prop::sample::Index>(), step in 0.0f64..50.0) {
        let oi = o.index(os.len());
        let ki = k.index(os[oi].key_results.len());
        let mut better = os.clone();
        match &mut better[oi].key_results[ki].measure {
            Measure::IncreaseTo { current, .. } => *current += step,
            Measure::DecreaseTo { current, .. } => *current -= step,
            Measure::Milestone { done } => *done = true,
            Measure::StayWithin { .. } => {}
        }
        prop_assert!(okr_points_fast(100.0, &better) >= okr_points_fast(100.0, &os));
    }

    #[test]
    fn input_order_does_not_change_the_output(
        ps in products(),
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        rev_products in any::<bool>(),
    ) {
        let officials: Vec<Value> = (0..4).map(|i| {
            let mut mine = ps.clone();
            mine.truncate(i + 1);
            if rev_products { mine.reverse(); }
            let periods: Vec<Value> = (1..=6).rev().map(|m| json!({ "period": m,
                "general": { "politics_ethics_discipline": 10, "competence_responsibility": 9, "innovation": 8 },
                "products": mine })).collect();
            json!({ "id": format!("o{i}"), "unit": "u", "task_group": "g", "periods": periods })
        }).collect();
        let shuffled: Vec<Value> = order.iter().map(|&i| officials[i].clone()).collect();
        let a = batch("decree-335-2025", json!({ "officials": officials })).expect("valid");
        let b = batch("decree-335-2025", json!({ "officials": shuffled })).expect("valid");
        prop_assert_eq!(serde_json::to_value(a).ok(), serde_json::to_value(b).ok());
    }

    #[test]
    fn quota_invariant_holds_after_calibration(
        people in prop::collection::vec((0usize..3, 0usize..2, 0u32..10_000, level()), 0..60),
        pct in 0u32..=100,
    ) {
        let ids: Vec<String> = (0..people.len()).map(|i| format!("o{i:03}")).collect();
        let units = ["u0", "u1", "u2"];
        let groups = ["g0", "g1"];
        let entries: Vec<QuotaEntry<'_>> = people.iter().enumerate().map(|(i, (u, g, s, l))| QuotaEntry {
            id: &ids[i], unit: units[*u], task_group: groups[*g], score: f64::from(*s) / 100.0, level: *l,
        }).collect();
        let mut rule = scheme("decree-335-2025").quota.expect("decree 335 has a quota");
        rule.max_percent = pct;
        let (decisions, outcomes) = calibrate(&rule, &entries, &[]);
        for d in &decisions {
            // the invariant, counted after demotions
            prop_assert!(100 * d.top_after <= pct as usize * d.relative_after, "{d:?}");
            // and no more demotions than needed
            prop_assert_eq!(d.demoted.len(), demotions_needed(d.top_before, d.relative_before, pct));
            // every kept HTXSNV scores at least as much as every demoted one
            let score = |id: &str| entries.iter().find(|e| e.id == id).map_or(f64::NAN, |e| e.score);
            let kept_min = outcomes.iter()
                .filter(|o| o.demoted_to.is_none() && entries[o.index].unit == d.unit && entries[o.index].task_group == d.task_group)
                .map(|o| entries[o.index].score).fold(f64::INFINITY, f64::min);
            for id in &d.demoted {
                prop_assert!(score(id) <= kept_min);
            }
        }
    }

    #[test]
    fn the_board_proposes_what_the_batch_engine_decides(
        people in prop::collection::vec((prop::collection::vec(4_000u32..=10_000, 6..=12), any::<bool>()), 0..40),
    ) {
        // Each official's year is the mean of period scores sent from elsewhere (whole
        // numbers of hundredths, so equal means — ties — happen).
        let officials: Vec<Value> = people.iter().enumerate().map(|(i, (scores, sparse))| {
            let scores: Vec<u32> = if *sparse { scores.iter().map(|s| s - s % 500).collect() } else { scores.clone() };
            let carried: Vec<Value> = scores.iter().enumerate().map(|(m, s)| json!({
                "period": m + 1, "score": f64::from(*s) / 100.0, "from_unit": "old" })).collect();
            json!({ "id": format!("o{i:03}"), "unit": "u", "task_group": "g", "carried_periods": carried })
        }).collect();
        let out = batch("decree-335-2025", json!({ "officials": officials })).expect("valid");
        let rule = scheme("decree-335-2025").quota.expect("decree 335 has a quota");
        let board_people: Vec<Person> = out.officials.iter().enumerate().map(|(i, o)| Person {
            assessment_id: i as i64, version: 1, official_id: i as i64, code: o.id.clone(),
            name: o.id.clone(), score: o.score, before: o.level_before_quota.level(),
            now: o.level_before_quota.level(), reason: None,
        }).collect();
        let board = Board::new(Some(&rule), "u", "g", board_people, None);
        let proposed: Vec<&str> = board.proposals.iter().map(|p| board.people[p.index].code.as_str()).collect();
        let decided: Vec<&str> = out.quota.iter().flat_map(|d| d.demoted.iter().map(String::as_str)).collect();
        prop_assert_eq!(&proposed, &decided);
        prop_assert_eq!(board.proposals.iter().any(|p| p.tie), out.quota.iter().any(|d| d.tie_at_cutoff));
        // Accepting every proposal leaves the board within the quota.
        let mut after = board.people.clone();
        for p in &board.proposals { after[p.index].now = Some(rule.relative_to); }
        prop_assert!(Board::new(Some(&rule), "u", "g", after, None).within_quota());
    }
}
