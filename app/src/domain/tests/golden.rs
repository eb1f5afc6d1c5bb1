//! Golden snapshots of explanation trees (insta, JSON), stored in `domain/snapshots/`.
//! Review changes with `cargo insta review`; a changed tree is a changed explanation that
//! people will read, so it must be deliberate.

use serde_json::{Value, json};

use super::helpers::{batch, full_period, months, period_with, quarter_366};
use crate::domain::BatchOutput;

/// The cases snapshotted here; also walked by the i18n key test.
pub fn golden_cases() -> Vec<(&'static str, BatchOutput)> {
    golden_inputs()
        .into_iter()
        .map(|(name, id, v)| (name, batch(id, v).expect("golden input is valid")))
        .collect()
}

/// Each case's name, scheme id and input (also the seeds of the scoring fuzz).
pub fn golden_inputs() -> Vec<(&'static str, &'static str, Value)> {
    let leader_months: Vec<_> = (1..=1)
        .map(|m| {
            let mut p = full_period(m, [10.0, 9.0, 8.0]);
            p["unit_result_percent"] = json!(90);
            p
        })
        .collect();
    let cases = [
        (
            "decree_335_deductions_and_waivers",
            "decree-335-2025",
            json!({ "officials": [{ "id": "cv01", "unit": "phuong-an-cuu", "task_group": "chuyen-vien", "months_worked": 12,
                "periods": [period_with(12, json!([
                    { "id": "ho-so-1cua", "weight": 2, "assigned": 40, "completed": 38, "completed_on_quality": 36, "completed_on_time": 35,
                      "quality_failures": 1, "delays": 3,
                      "waivers": [{ "kind": "progress", "count": 1, "reference": "QĐ 15/QĐ-UBND (mất điện diện rộng)" }] },
                    { "id": "bao-cao-thang", "assigned": 1, "completed": 1 }]))] }] }),
        ),
        (
            "decree_335_leader_with_failing_subordinate",
            "decree-335-2025",
            json!({ "officials": [
                { "id": "tp01", "unit": "u", "task_group": "lanh-dao", "periods": leader_months, "months_worked": 12, "leader": { "subordinates": ["cv02"], "subordinate_levels": ["HTTNV"] } },
                { "id": "cv02", "unit": "u", "task_group": "chuyen-vien", "periods": months(1), "months_worked": 12, "discipline": "reprimand" }] }),
        ),
        (
            "decree_335_quota_tie_and_exception",
            "decree-335-2025",
            json!({ "officials": [
                { "id": "a", "unit": "u1", "task_group": "g", "periods": months(1), "months_worked": 12 },
                { "id": "b", "unit": "u1", "task_group": "g", "periods": months(1), "months_worked": 12 },
                { "id": "c1", "unit": "u1", "task_group": "g", "periods": [full_period(1, [5.0, 5.0, 5.0])], "months_worked": 12 },
                { "id": "c2", "unit": "u1", "task_group": "g", "periods": [full_period(1, [5.0, 5.0, 5.0])], "months_worked": 12 },
                { "id": "c3", "unit": "u1", "task_group": "g", "periods": [full_period(1, [5.0, 5.0, 5.0])], "months_worked": 12 },
                { "id": "c4", "unit": "u1", "task_group": "g", "periods": [full_period(1, [5.0, 5.0, 5.0])], "months_worked": 12 },
                { "id": "c5", "unit": "u1", "task_group": "g", "periods": [full_period(1, [5.0, 5.0, 5.0])], "months_worked": 12 },
                { "id": "d", "unit": "u2", "task_group": "g", "periods": months(1), "months_worked": 12 }],
                "quota_exceptions": [{ "unit": "u2", "task_group": "g", "reference": "QĐ 7/QĐ-UBND", "approved_by": "Chủ tịch UBND tỉnh", "max_percent": 100 }] }),
        ),
        (
            "okr_basic_all_kinds_with_clamp",
            "okr-basic",
            json!({ "officials": [{ "id": "x", "unit": "u", "task_group": "g", "periods": [{ "period": 1, "objectives": [
                { "id": "dich-vu-cong", "weight": 0.7, "key_results": [
                    { "id": "dung-han", "weight": 0.5, "kind": "stay_within", "low": 95, "high": 100, "current": 99 },
                    { "id": "truc-tuyen", "weight": 0.5, "kind": "increase_to", "start": 80, "target": 95, "current": 96 }] },
                { "id": "ton-dong", "weight": 0.3, "key_results": [
                    { "id": "ho-so-tre", "weight": 0.6, "kind": "decrease_to", "start": 40, "target": 0, "current": 10 },
                    { "id": "so-hoa", "weight": 0.4, "kind": "milestone", "done": false }] }] }] }] }),
        ),
        (
            "party_366_transfer_and_q4_merged",
            "party-366-2025",
            json!({ "officials": [{ "id": "dv01", "unit": "chi-bo-2", "task_group": "dang-vien",
                "carried_periods": [{ "period": 1, "score": 88.5, "from_unit": "chi-bo-1", "reference": "CV 12-CV/ĐU" }],
                "periods": [quarter_366(2, [10.0, 10.0, 9.0]), quarter_366(3, [9.0, 9.0, 9.0]), quarter_366(4, [10.0, 10.0, 10.0])] }] }),
        ),
        (
            "khanh_hoa_late_report_and_leave_cap",
            "khanh-hoa-2025",
            json!({ "officials": [{ "id": "kh01", "unit": "so-noi-vu", "task_group": "B", "months_worked": 8, "lawful_leave_months": 4,
                "periods": [
                    { "period": 1, "general": { "politics_ideology": 5, "ethics_lifestyle": 5, "working_style": 4, "discipline_order": 5, "admin_reform_it": 9 },
                      "products": [{ "id": "kpi", "assigned": 3, "completed": 3 }] },
                    { "period": 2, "report_late": true, "general": { "politics_ideology": 5, "ethics_lifestyle": 5, "working_style": 5, "discipline_order": 5, "admin_reform_it": 10 },
                      "products": [{ "id": "kpi", "assigned": 3, "completed": 3 }] }] }] }),
        ),
    ];
    cases.into()
}

#[test]
fn explanations_match_their_golden_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, out) in golden_cases() {
            insta::assert_json_snapshot!(name, out);
        }
    });
}

#[test]
fn error_messages_match_their_golden_snapshot() {
    let errors: Vec<_> = [
        batch("decree-335-2025", json!({ "officials": [{ "id": "a", "unit": "u", "task_group": "g",
            "periods": [period_with(1, json!([{ "id": "p1", "assigned": 2, "completed": 3 }]))] }] })),
        batch("okr-basic", json!({ "officials": [{ "id": "a", "unit": "u", "task_group": "g",
            "periods": [{ "period": 1, "objectives": [{ "id": "O", "weight": 1, "key_results": [
                { "id": "k", "weight": 1, "kind": "decrease_to", "start": 3, "target": 3, "current": 1 }] }] }] }] })),
        batch("decree-335-2025", json!({ "officials": [{ "id": "a", "unit": "u", "task_group": "g", "periods": months(1), "months_worked": 12 }],
            "quota_exceptions": [{ "unit": "u", "task_group": "g", "reference": "", "approved_by": "x" }] })),
    ]
    .into_iter()
    .filter_map(Result::err)
    .map(|e| json!({ "message": e.message(), "display": e.to_string() }))
    .collect();
    assert_eq!(errors.len(), 3);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_json_snapshot!("error_messages", errors));
}
