//! Table tests: every rule with a hand-computed expected value; the arithmetic is in the
//! comment of each case. Decree 335: T = 70 task points, component weights ⅓ each, so a
//! product with share `s` has quantity/quality/progress maxima of `70 × s ÷ 3` each.

use serde_json::json;

use super::helpers::{
    batch, full_period, levels, months, okr_period, period_with, quarter_366, scheme, score1,
};
use crate::domain::level::{Band, Bands};
use crate::domain::quota::demotions_needed;
use crate::domain::{Classification, DomainError, Level, Scheme};

const D335: &str = "decree-335-2025";

/// Score of the only period of a one-period official.
fn period_score(scheme_id: &str, period: serde_json::Value) -> f64 {
    let r = score1(
        scheme_id,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": [period] }),
    );
    r.expect("valid input").periods[0].score
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

// ---------- task results (Decree 335 Art. 14) ----------

#[test]
fn everything_done_scores_100() {
    // general 10 + 10 + 10 = 30; one product 1/1 on time and quality: 70 × (⅓ + ⅓ + ⅓) = 70
    // 30 + 70 = 100
    close(
        period_score(D335, full_period(1, [10.0, 10.0, 10.0])),
        100.0,
    );
}

#[test]
fn quantity_quality_progress_are_ratios_of_assigned() {
    // 3 of 4 completed, all 3 on time and meeting quality: each ratio 3/4 = 0.75
    // task = 70 × 0.75 = 52.5; general 8 + 8 + 8 = 24; 24 + 52.5 = 76.5
    let p = json!({ "period": 1,
        "general": { "politics_ethics_discipline": 8, "competence_responsibility": 8, "innovation": 8 },
        "products": [{ "id": "p1", "assigned": 4, "completed": 3 }] });
    close(period_score(D335, p), 76.5);
}

#[test]
fn each_failed_quality_check_deducts_a_quarter_of_the_quality_points() {
    // quality max = 70 ÷ 3 = 23.3333; 1 failure: −0.25 × 23.3333 = −5.8333
    // task = 70 − 5.8333 = 64.1667; + general 30 = 94.1667 → 94.17
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 4, "completed": 4, "quality_failures": 1 }]),
    );
    close(period_score(D335, p), 94.17);
}

#[test]
fn each_delay_deducts_a_quarter_of_the_progress_points() {
    // progress max = 23.3333; 2 delays: −2 × 0.25 × 23.3333 = −11.6667
    // task = 70 − 11.6667 = 58.3333; + general 30 = 88.3333 → 88.33
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 2, "completed": 2, "delays": 2 }]),
    );
    close(period_score(D335, p), 88.33);
}

#[test]
fn waived_delays_are_not_deducted() {
    // 2 delays, 1 waived (confirmed objective cause) → 1 counted: −0.25 × 23.3333 = −5.8333
    // task = 64.1667; + 30 = 94.1667 → 94.17
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 2, "completed": 2, "delays": 2,
        "waivers": [{ "kind": "progress", "count": 1, "reference": "QĐ 12/2026" }] }]),
    );
    close(period_score(D335, p), 94.17);
}

#[test]
fn waived_quality_failures_are_not_deducted() {
    // 1 failure, 1 waived → nothing deducted: task 70 + 30 = 100
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 2, "completed": 2, "quality_failures": 1,
        "waivers": [{ "kind": "quality", "count": 1, "reference": "BB 3/2026" }] }]),
    );
    close(period_score(D335, p), 100.0);
}

#[test]
fn quality_deductions_never_go_below_zero() {
    // 5 failures × 25 % = 125 % of 23.3333 > the 23.3333 earned → quality points = 0
    // task = 23.3333 + 0 + 23.3333 = 46.6667; + 30 = 76.6667 → 76.67
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 1, "completed": 1, "quality_failures": 5 }]),
    );
    close(period_score(D335, p), 76.67);
}

#[test]
fn deduction_applies_to_the_product_quality_points_not_the_earned_ones() {
    // 2 of 4 meet quality: base = 23.3333 × 0.5 = 11.6667; 1 failure: −0.25 × 23.3333 = −5.8333
    // quality = 5.8333; quantity 23.3333 (4/4); progress 23.3333 (4/4)
    // task = 52.5; + 30 = 82.5
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 4, "completed": 4,
        "completed_on_quality": 2, "quality_failures": 1 }]),
    );
    close(period_score(D335, p), 82.5);
}

#[test]
fn conversion_weights_split_the_70_points_between_products() {
    // weights 1 and 3: shares 0.25 and 0.75 → maxima 17.5 and 52.5
    // p1 fully done: 17.5; p2 1 of 2 done: 52.5 × 0.5 = 26.25
    // task = 43.75; + 30 = 73.75
    let p = period_with(
        1,
        json!([
        { "id": "p1", "weight": 1, "assigned": 1, "completed": 1 },
        { "id": "p2", "weight": 3, "assigned": 2, "completed": 1 }]),
    );
    close(period_score(D335, p), 73.75);
}

#[test]
fn late_products_lose_only_progress_points() {
    // 4 done, 1 late (completed_on_time 3): progress = 23.3333 × 0.75 = 17.5
    // task = 23.3333 + 23.3333 + 17.5 = 64.1667; + 30 = 94.17
    let p = period_with(
        1,
        json!([{ "id": "p1", "assigned": 4, "completed": 4, "completed_on_time": 3 }]),
    );
    close(period_score(D335, p), 94.17);
}

#[test]
fn component_weights_are_configurable() {
    // weights 0.5 / 0.3 / 0.2; 10/10 done, 5/10 meet quality, 10/10 on time
    // task = 70 × (0.5 × 1 + 0.3 × 0.5 + 0.2 × 1) = 70 × 0.85 = 59.5; + 30 = 89.5
    let text = crate::domain::scheme::BUILTIN_SCHEME_JSON[0].1.replace(
        r#""weights": { "quantity": 0.3333333333333333, "quality": 0.3333333333333333, "progress": 0.3333333333333333 }"#,
        r#""weights": { "quantity": 0.5, "quality": 0.3, "progress": 0.2 }"#,
    );
    let s = Scheme::from_json(&text).expect("custom weights are valid");
    let o = super::helpers::official(
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": [
        period_with(1, json!([{ "id": "p1", "assigned": 10, "completed": 10, "completed_on_quality": 5 }]))] }),
    );
    let r = crate::domain::score_official(&s, &o).expect("valid");
    close(r.periods[0].score, 89.5);
}

#[test]
fn period_without_products_scores_only_general_points() {
    // no products → task 0; general 10 + 10 + 10 = 30
    close(period_score(D335, period_with(1, json!([]))), 30.0);
}

#[test]
fn khanh_hoa_late_report_counts_as_not_done() {
    // 4 × 5 general criteria = 20, admin reform & IT 10 → 30; report late → task 0 → 30
    let p = json!({ "period": 1, "report_late": true,
        "general": { "politics_ideology": 5, "ethics_lifestyle": 5, "working_style": 5, "discipline_order": 5, "admin_reform_it": 10 },
        "products": [{ "id": "p1", "assigned": 1, "completed": 1 }] });
    close(period_score("khanh-hoa-2025", p), 30.0);
}

#[test]
fn khanh_hoa_general_points_are_20_plus_10() {
    // 4 + 5 + 3 + 5 = 17 of 20, admin reform 8 of 10 → 25; full product 70 → 95
    let p = json!({ "period": 1,
        "general": { "politics_ideology": 4, "ethics_lifestyle": 5, "working_style": 3, "discipline_order": 5, "admin_reform_it": 8 },
        "products": [{ "id": "p1", "assigned": 1, "completed": 1 }] });
    close(period_score("khanh-hoa-2025", p), 95.0);
}

// ---------- bands (Art. 20) ----------

#[test]
fn decree_335_bands_have_inclusive_lower_bounds() {
    let b = scheme(D335).bands;
    // ≥ 90 HTXSNV; 70–<90 HTTNV; 50–<70 HTNV; < 50 KHTNV
    for (score, level) in [
        (90.0, Level::Htxsnv),
        (89.99, Level::Httnv),
        (70.0, Level::Httnv),
        (69.99, Level::Htnv),
        (50.0, Level::Htnv),
        (49.99, Level::Khtnv),
        (0.0, Level::Khtnv),
    ] {
        assert_eq!(b.classify(score), level, "score {score}");
    }
}

#[test]
fn khanh_hoa_bands_are_exclusive_above_80_and_50() {
    let b = scheme("khanh-hoa-2025").bands;
    // HTXSNV 90–100; HTTNV > 80–90; HTNV > 50–80; 50 itself is in no band → KHTNV
    for (score, level) in [
        (90.0, Level::Htxsnv),
        (89.99, Level::Httnv),
        (80.01, Level::Httnv),
        (80.0, Level::Htnv),
        (50.01, Level::Htnv),
        (50.0, Level::Khtnv),
    ] {
        assert_eq!(b.classify(score), level, "score {score}");
    }
}

#[test]
fn bands_without_exclusive_flag_are_parsed_from_json() {
    let b: Bands = serde_json::from_value(json!({ "bands": [{ "level": "HTTNV", "min": 60, "inclusive": false }], "below_all": "KHTNV" })).expect("valid");
    assert_eq!(
        b.bands[0],
        Band {
            level: Level::Httnv,
            min: 60.0,
            inclusive: false
        }
    );
    // 60 is not > 60 → KHTNV
    assert_eq!(b.classify(60.0), Level::Khtnv);
}

// ---------- year aggregation, time worked, transfers ----------

#[test]
fn year_is_the_mean_of_the_months_worked() {
    // six months scoring 80, 90, 100, 80, 90, 100 (general 10/20/30 + 70)
    // mean = 540 ÷ 6 = 90 → HTXSNV (≥ 90)
    let ps: Vec<_> = (1..=6)
        .map(|m| {
            let g = [0.0, 10.0, 20.0][(m as usize - 1) % 3];
            full_period(m, [g / 2.0, g / 2.0, 10.0])
        })
        .collect();
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": ps }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(90.0));
    assert_eq!(r.level, Classification::Level(Level::Htxsnv));
}

#[test]
fn fewer_than_six_months_worked_is_not_classified() {
    // 5 months × 1 month = 5 < 6 → NOT_CLASSIFIED, the score (100) is still shown
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(5) }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.level, Classification::NotClassified);
}

#[test]
fn three_to_six_months_of_lawful_leave_caps_at_htnv() {
    // 8 months worked scoring 100, 4 months of maternity leave (3 ≤ 4 ≤ 6) → at most HTNV
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(8),
        "lawful_leave_months": 4 }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.level, Classification::Level(Level::Htnv));
}

#[test]
fn under_three_months_of_leave_does_not_cap() {
    // 10 months worked scoring 100, 2 months of leave (< 3) → HTXSNV stays
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(10),
        "lawful_leave_months": 2 }),
    )
    .expect("valid");
    assert_eq!(r.level, Classification::Level(Level::Htxsnv));
}

#[test]
fn results_are_carried_across_a_transfer() {
    // months 1–3 carried from the old unit at 80 each, months 4–6 here at 100 each
    // mean = (240 + 300) ÷ 6 = 90; 6 months worked → classified HTXSNV
    let r = score1(D335, json!({ "id": "a", "unit": "new", "task_group": "g",
        "periods": [full_period(4, [10.0, 10.0, 10.0]), full_period(5, [10.0, 10.0, 10.0]), full_period(6, [10.0, 10.0, 10.0])],
        "carried_periods": [
            { "period": 1, "score": 80, "from_unit": "old", "reference": "CV 5/2026" },
            { "period": 2, "score": 80, "from_unit": "old" },
            { "period": 3, "score": 80, "from_unit": "old" }] })).expect("valid");
    assert_eq!(r.score, Some(90.0));
    assert_eq!(r.level, Classification::Level(Level::Htxsnv));
    assert_eq!(r.periods[0].carried_from.as_deref(), Some("old"));
}

#[test]
fn party_366_merges_q4_into_the_year() {
    // quarters 90, 80, 70, 100 (general 20/10/0 + 70, Q4 30 + 70); mean = 340 ÷ 4 = 85 → HTTNV
    // Q1–Q3 rated separately; Q4 gets no separate level
    let r = score1(
        "party-366-2025",
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": [
        quarter_366(1, [10.0, 10.0, 0.0]), quarter_366(2, [10.0, 0.0, 0.0]),
        quarter_366(3, [0.0, 0.0, 0.0]), quarter_366(4, [10.0, 10.0, 10.0])] }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(85.0));
    assert_eq!(r.periods[0].level, Some(Level::Htxsnv));
    assert_eq!(r.periods[2].level, Some(Level::Httnv));
    assert_eq!(r.periods[3].level, None);
    assert_eq!(r.level, Classification::Level(Level::Httnv));
}

#[test]
fn year_mean_is_rounded_to_two_decimals() {
    // months 100, 100, 100, 100, 100, 99 (general 9 in one month): 599 ÷ 6 = 99.8333 → 99.83
    let mut ps = months(5);
    ps.push(full_period(6, [9.0, 10.0, 10.0]));
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": ps }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(99.83));
}

// ---------- overrides ----------

#[test]
fn discipline_at_reprimand_forces_khtnv_whatever_the_score() {
    // 12 months at 100 → HTXSNV by score; reprimand ≥ reprimand → KHTNV (Art. 20 c)
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(12),
        "discipline": "reprimand" }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.level, Classification::Level(Level::Khtnv));
}

#[test]
fn concluded_degradation_forces_khtnv() {
    // 100 points, concluded degradation → KHTNV (Art. 20 b)
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(12),
        "concluded_degradation": true }),
    )
    .expect("valid");
    assert_eq!(r.level, Classification::Level(Level::Khtnv));
}

#[test]
fn corruption_in_a_leaders_unit_forces_khtnv() {
    // leader, own 70 + unit 100 % × factor 1: task = 0.5 × 70 + 0.5 × 70 × 1 × 1 = 70 → 100;
    // corruption in the unit → KHTNV (Art. 20 d)
    let ps: Vec<_> = months(12)
        .into_iter()
        .map(|mut p| {
            p["unit_result_percent"] = json!(100);
            p
        })
        .collect();
    let r = score1(
        D335,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": ps,
        "unit_corruption": true, "leader": {} }),
    )
    .expect("valid");
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.level, Classification::Level(Level::Khtnv));
}

// ---------- leader rule ----------

fn leader_period(unit_percent: f64) -> serde_json::Value {
    let mut p = full_period(1, [10.0, 10.0, 10.0]);
    p["unit_result_percent"] = json!(unit_percent);
    p
}

#[test]
fn leader_unit_result_counts_fully_when_all_subordinates_pass() {
    // own 70; unit 80 %; subordinates HTNV, HTTNV → factor 1
    // task = 0.5 × 70 + 0.5 × 70 × 0.8 × 1 = 35 + 28 = 63; + 30 = 93
    let r = score1(
        D335,
        json!({ "id": "L", "unit": "u", "task_group": "g", "periods": [leader_period(80.0)],
        "leader": { "subordinate_levels": ["HTNV", "HTTNV"] } }),
    )
    .expect("valid");
    close(r.periods[0].score, 93.0);
}

#[test]
fn leader_unit_result_counts_half_when_a_subordinate_is_khtnv() {
    // own 70; unit 80 %; one subordinate KHTNV → factor 0.5
    // task = 35 + 0.5 × 70 × 0.8 × 0.5 = 35 + 14 = 49; + 30 = 79
    let r = score1(
        D335,
        json!({ "id": "L", "unit": "u", "task_group": "g", "periods": [leader_period(80.0)],
        "leader": { "subordinate_levels": ["HTXSNV", "KHTNV"] } }),
    )
    .expect("valid");
    close(r.periods[0].score, 79.0);
}

#[test]
fn leader_uses_levels_of_subordinates_scored_in_the_same_batch() {
    // s1 disciplined → KHTNV, so L's factor is 0.5: each month 35 + 0.5 × 70 × 1 × 0.5 + 30 = 82.5
    // → L HTTNV; s1 KHTNV
    let ps: Vec<_> = (1..=12)
        .map(|m| {
            let mut p = full_period(m, [10.0, 10.0, 10.0]);
            p["unit_result_percent"] = json!(100);
            p
        })
        .collect();
    let out = batch(D335, json!({ "officials": [
        { "id": "L", "unit": "u", "task_group": "lead", "periods": ps, "leader": { "subordinates": ["s1"] } },
        { "id": "s1", "unit": "u", "task_group": "staff", "periods": months(12), "discipline": "warning" }] })).expect("valid");
    assert_eq!(out.officials[0].score, Some(82.5));
    assert_eq!(
        levels(&out),
        vec![("L".into(), "HTTNV"), ("s1".into(), "KHTNV")]
    );
}

// ---------- OKR ----------

fn okr_score(kr: serde_json::Value) -> f64 {
    period_score("okr-basic", okr_period(1, kr))
}

#[test]
fn increase_to_is_progress_from_start_to_target() {
    // (50 − 0) ÷ (100 − 0) = 0.5 → 100 × 0.5 = 50
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "increase_to", "start": 0, "target": 100, "current": 50 }),
        ),
        50.0,
    );
}

#[test]
fn decrease_to_is_progress_from_start_down_to_target() {
    // (4 − 10) ÷ (2 − 10) = −6 ÷ −8 = 0.75 → 75
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "decrease_to", "start": 10, "target": 2, "current": 4 }),
        ),
        75.0,
    );
}

#[test]
fn attainment_above_target_is_clamped_to_one() {
    // (120 − 0) ÷ 100 = 1.2 → clamp 1 → 100
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "increase_to", "start": 0, "target": 100, "current": 120 }),
        ),
        100.0,
    );
}

#[test]
fn attainment_below_start_is_clamped_to_zero() {
    // (−5 − 0) ÷ 100 = −0.05 → clamp 0 → 0
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "increase_to", "start": 0, "target": 100, "current": -5 }),
        ),
        0.0,
    );
}

#[test]
fn milestone_is_all_or_nothing() {
    // done → 1 → 100; not done → 0 → 0
    close(
        okr_score(json!({ "id": "k", "weight": 1, "kind": "milestone", "done": true })),
        100.0,
    );
    close(
        okr_score(json!({ "id": "k", "weight": 1, "kind": "milestone", "done": false })),
        0.0,
    );
}

#[test]
fn stay_within_band_scores_one_inside_and_zero_outside() {
    // 99 % on time within [95, 100] → 1 → 100; 94 outside → 0
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "stay_within", "low": 95, "high": 100, "current": 99 }),
        ),
        100.0,
    );
    close(
        okr_score(
            json!({ "id": "k", "weight": 1, "kind": "stay_within", "low": 95, "high": 100, "current": 94 }),
        ),
        0.0,
    );
}

#[test]
fn okr_weights_apply_within_objectives_and_across_them() {
    // O1 (0.6): a 0.5 × 0.5 + b milestone 1 × 0.5 = 0.75
    // O2 (0.4): c outside band 0 × 0.5 + d (40 − 0) ÷ 100 = 0.4 × 0.5 = 0.2
    // 100 × (0.6 × 0.75 + 0.4 × 0.2) = 100 × (0.45 + 0.08) = 53
    let p = json!({ "period": 1, "objectives": [
        { "id": "O1", "weight": 0.6, "key_results": [
            { "id": "a", "weight": 0.5, "kind": "increase_to", "start": 0, "target": 10, "current": 5 },
            { "id": "b", "weight": 0.5, "kind": "milestone", "done": true }] },
        { "id": "O2", "weight": 0.4, "key_results": [
            { "id": "c", "weight": 0.5, "kind": "stay_within", "low": 1, "high": 2, "current": 3 },
            { "id": "d", "weight": 0.5, "kind": "increase_to", "start": 0, "target": 100, "current": 40 }] }] });
    close(period_score("okr-basic", p), 53.0);
}

// ---------- quota ----------

#[test]
fn demotions_needed_follows_the_closed_form() {
    // n = 3, m = 5, p = 20: ⌈(300 − 100) ÷ 120⌉ = ⌈1.67⌉ = 2 → 1 ≤ 0.2 × 7 = 1.4 ✓
    assert_eq!(demotions_needed(3, 5, 20), 2);
    // n = 1, m = 0: ⌈100 ÷ 120⌉ = 1
    assert_eq!(demotions_needed(1, 0, 20), 1);
    // n = 2, m = 10: 200 − 200 = 0 → 0
    assert_eq!(demotions_needed(2, 10, 20), 0);
    // n = 3, m = 10: ⌈(300 − 200) ÷ 120⌉ = 1 → 2 ≤ 0.2 × 11 = 2.2 ✓
    assert_eq!(demotions_needed(3, 10, 20), 1);
}

/// An official scoring `general` × 3 + 70 each of 12 months (general 10 → 100, 5 → 85).
fn staff(id: &str, unit: &str, group: &str, general: f64) -> serde_json::Value {
    let ps: Vec<_> = (1..=12)
        .map(|m| full_period(m, [general, general, general]))
        .collect();
    json!({ "id": id, "unit": unit, "task_group": group, "periods": ps })
}

#[test]
fn quota_keeps_the_highest_scores_and_demotes_the_rest() {
    // 3 HTXSNV (scores 100, 97, 94: general 30/27/24) and 5 HTTNV (85)
    // d = ⌈(300 − 5 × 20) ÷ 120⌉ = 2 → keep x1 (100); x2, x3 → HTTNV; 1 ≤ 0.2 × 7 ✓
    let mut officials = vec![
        staff("x1", "u", "g", 10.0),
        staff("x2", "u", "g", 9.0),
        staff("x3", "u", "g", 8.0),
    ];
    officials.extend((1..=5).map(|i| staff(&format!("y{i}"), "u", "g", 5.0)));
    let out = batch(D335, json!({ "officials": officials })).expect("valid");
    let l = levels(&out);
    assert_eq!(
        &l[..3],
        &[
            ("x1".into(), "HTXSNV"),
            ("x2".into(), "HTTNV"),
            ("x3".into(), "HTTNV")
        ]
    );
    assert_eq!(out.quota[0].demoted, vec!["x3".to_owned(), "x2".to_owned()]);
    assert_eq!(
        (out.quota[0].top_after, out.quota[0].relative_after),
        (1, 7)
    );
}

#[test]
fn a_lone_htxsnv_without_any_httnv_is_demoted() {
    // n = 1, m = 0: 1 ≤ 0.2 × 0 fails; after 1 demotion 0 ≤ 0.2 × 1 ✓
    let out = batch(D335, json!({ "officials": [staff("a", "u", "g", 10.0)] })).expect("valid");
    assert_eq!(out.officials[0].level_before_quota.code(), "HTXSNV");
    assert_eq!(out.officials[0].level.code(), "HTTNV");
}

#[test]
fn quota_is_counted_per_unit_and_task_group() {
    // group g1: 1 HTXSNV + 5 HTTNV → 1 ≤ 0.2 × 5 = 1 ✓ kept
    // group g2: 1 HTXSNV + 0 HTTNV → demoted
    let mut officials = vec![staff("a", "u", "g1", 10.0), staff("b", "u", "g2", 10.0)];
    officials.extend((1..=5).map(|i| staff(&format!("y{i}"), "u", "g1", 5.0)));
    let out = batch(D335, json!({ "officials": officials })).expect("valid");
    assert_eq!(out.officials[0].level.code(), "HTXSNV");
    assert_eq!(out.officials[1].level.code(), "HTTNV");
}

#[test]
fn outstanding_unit_exception_lifts_the_quota_and_is_recorded() {
    // 2 HTXSNV, 0 HTTNV would need 2 demotions; the exception lifts the cap → none
    let out = batch(D335, json!({
        "officials": [staff("a", "u", "g", 10.0), staff("b", "u", "g", 10.0)],
        "quota_exceptions": [{ "unit": "u", "task_group": "g", "reference": "QĐ 99/QĐ-UBND", "approved_by": "Chủ tịch UBND" }] }))
        .expect("valid");
    assert_eq!(
        levels(&out),
        vec![("a".into(), "HTXSNV"), ("b".into(), "HTXSNV")]
    );
    assert_eq!(out.quota[0].max_percent, None);
    assert_eq!(
        out.quota[0]
            .exception
            .as_ref()
            .map(|e| e.reference.as_str()),
        Some("QĐ 99/QĐ-UBND")
    );
}

#[test]
fn ties_at_the_cutoff_are_broken_by_id_and_flagged() {
    // a, b both 100; 5 HTTNV: d = ⌈(200 − 100) ÷ 120⌉ = 1 → keep a (id order), demote b
    let mut officials = vec![staff("b", "u", "g", 10.0), staff("a", "u", "g", 10.0)];
    officials.extend((1..=5).map(|i| staff(&format!("y{i}"), "u", "g", 5.0)));
    let out = batch(D335, json!({ "officials": officials })).expect("valid");
    assert_eq!(
        levels(&out)[..2],
        [("a".into(), "HTXSNV"), ("b".into(), "HTTNV")]
    );
    assert!(out.quota[0].tie_at_cutoff);
}

// ---------- validation ----------

fn err_of(scheme_id: &str, period: serde_json::Value) -> DomainError {
    score1(
        scheme_id,
        json!({ "id": "a", "unit": "u", "task_group": "g", "periods": [period] }),
    )
    .expect_err("input must be rejected")
}

#[test]
fn completed_above_assigned_is_rejected_naming_the_product() {
    let e = err_of(
        D335,
        period_with(1, json!([{ "id": "p7", "assigned": 2, "completed": 3 }])),
    );
    assert_eq!(
        e.to_string(),
        "official[a].period[1].product[p7]: `completed` (3) exceeds `assigned` (2)"
    );
}

#[test]
fn negative_counts_are_rejected() {
    let e = err_of(
        D335,
        period_with(
            1,
            json!([{ "id": "p1", "assigned": 2, "completed": 1, "delays": -1 }]),
        ),
    );
    assert_eq!(e.key(), "error.negative");
    assert_eq!(e.args()["field"], "delays");
}

#[test]
fn zero_assigned_is_rejected() {
    let e = err_of(
        D335,
        period_with(1, json!([{ "id": "p1", "assigned": 0, "completed": 0 }])),
    );
    assert_eq!(e.key(), "error.not_positive");
}

#[test]
fn waivers_above_the_failures_are_rejected() {
    let e = err_of(
        D335,
        period_with(
            1,
            json!([{ "id": "p1", "assigned": 1, "completed": 1, "delays": 1,
        "waivers": [{ "kind": "progress", "count": 2, "reference": "x" }] }]),
        ),
    );
    assert_eq!(
        e.to_string(),
        "official[a].period[1].product[p1]: `waivers.progress` (2) exceeds `delays` (1)"
    );
}

#[test]
fn kr_weights_not_summing_to_one_are_rejected_naming_the_objective() {
    let e = err_of(
        "okr-basic",
        json!({ "period": 1, "objectives": [{ "id": "O1", "weight": 1, "key_results": [
        { "id": "a", "weight": 0.5, "kind": "milestone", "done": true },
        { "id": "b", "weight": 0.4, "kind": "milestone", "done": true }] }] }),
    );
    assert_eq!(e.key(), "error.weights_do_not_sum");
    assert_eq!(e.args()["item"], "official[a].period[1].objective[O1]");
}

#[test]
fn target_equal_to_start_is_rejected_naming_the_kr() {
    let e = err_of(
        "okr-basic",
        okr_period(
            1,
            json!({ "id": "k9", "weight": 1, "kind": "increase_to", "start": 5, "target": 5, "current": 5 }),
        ),
    );
    assert_eq!(
        e,
        DomainError::TargetEqualsStart {
            item: "official[a].period[1].objective[O1].kr[k9]".into(),
            value: 5.0
        }
    );
}

#[test]
fn increase_to_with_a_lower_target_is_rejected() {
    let e = err_of(
        "okr-basic",
        okr_period(
            1,
            json!({ "id": "k", "weight": 1, "kind": "increase_to", "start": 5, "target": 1, "current": 2 }),
        ),
    );
    assert_eq!(e.key(), "error.wrong_direction");
}

#[test]
fn general_points_above_the_criterion_maximum_are_rejected() {
    let e = err_of(D335, full_period(1, [11.0, 10.0, 10.0]));
    assert_eq!(e.key(), "error.out_of_range");
    assert_eq!(
        e.args()["item"],
        "official[a].period[1].general[politics_ethics_discipline]"
    );
}

#[test]
fn missing_general_criterion_is_rejected() {
    let e = err_of(
        D335,
        json!({ "period": 1, "general": { "innovation": 5 }, "products": [] }),
    );
    assert_eq!(e.key(), "error.missing");
}

#[test]
fn period_outside_the_year_is_rejected() {
    let e = err_of("party-366-2025", quarter_366(5, [1.0, 1.0, 1.0]));
    assert_eq!(e.key(), "error.out_of_range");
}

#[test]
fn products_under_an_okr_scheme_are_rejected() {
    let e = err_of("okr-basic", period_with(1, json!([])));
    assert_eq!(e.key(), "error.not_in_scheme");
}

#[test]
fn leader_without_unit_result_is_rejected() {
    let e = score1(D335, json!({ "id": "L", "unit": "u", "task_group": "g", "periods": [full_period(1, [1.0, 1.0, 1.0])], "leader": {} }))
        .expect_err("missing unit result");
    assert_eq!(e.args()["id"], "unit_result_percent");
}

#[test]
fn unit_corruption_flag_on_a_non_leader_is_rejected() {
    let e = score1(D335, json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(6), "unit_corruption": true }))
        .expect_err("leaders only");
    assert_eq!(e.key(), "error.leader_only");
}

#[test]
fn subordinate_cycles_are_rejected() {
    let e = batch(
        D335,
        json!({ "officials": [
        { "id": "a", "unit": "u", "task_group": "g", "leader": { "subordinates": ["b"] } },
        { "id": "b", "unit": "u", "task_group": "g", "leader": { "subordinates": ["a"] } }] }),
    )
    .expect_err("cycle");
    assert_eq!(e.key(), "error.subordinate_cycle");
}

#[test]
fn unknown_subordinates_are_rejected() {
    let e = batch(
        D335,
        json!({ "officials": [
        { "id": "a", "unit": "u", "task_group": "g", "leader": { "subordinates": ["zz"] } }] }),
    )
    .expect_err("unknown");
    assert_eq!(
        e.to_string(),
        "official[a].leader.subordinates: unknown official `zz`"
    );
}

#[test]
fn duplicate_officials_are_rejected() {
    let e = batch(
        D335,
        json!({ "officials": [staff("a", "u", "g", 1.0), staff("a", "u", "g", 1.0)] }),
    )
    .expect_err("dup");
    assert_eq!(e.key(), "error.duplicate_id");
}

#[test]
fn input_for_another_scheme_is_rejected() {
    let e = batch(D335, json!({ "scheme": "okr-basic", "officials": [] })).expect_err("mismatch");
    assert_eq!(e.key(), "error.scheme_mismatch");
}

#[test]
fn exception_for_an_unknown_group_is_rejected() {
    let e = batch(D335, json!({ "officials": [staff("a", "u", "g", 1.0)],
        "quota_exceptions": [{ "unit": "u", "task_group": "other", "reference": "r", "approved_by": "p" }] }))
        .expect_err("unknown group");
    assert_eq!(e.key(), "error.unknown_id");
}

#[test]
fn exception_without_reference_is_rejected() {
    let e = batch(D335, json!({ "officials": [staff("a", "u", "g", 1.0)],
        "quota_exceptions": [{ "unit": "u", "task_group": "g", "reference": " ", "approved_by": "p" }] }))
        .expect_err("empty reference");
    assert_eq!(e.key(), "error.empty");
}

#[test]
fn months_worked_plus_leave_above_twelve_is_rejected() {
    let e = score1(D335, json!({ "id": "a", "unit": "u", "task_group": "g", "periods": months(10), "lawful_leave_months": 3 }))
        .expect_err("13 months");
    assert_eq!(e.key(), "error.exceeds");
}
