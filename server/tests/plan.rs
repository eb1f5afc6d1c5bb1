//! Planning a period on the sheet, over HTTP, on SQLite and PostgreSQL: the official adds and
//! edits objectives and key results while the sheet is theirs (weights in percent, their sums
//! reported), each field checked by the domain's rules with nothing written when refused; an
//! edit from an old version is refused; the reviewer, a stranger and the official after
//! submitting are refused; every write is audited; the page shows the forms without
//! JavaScript only to the official.

mod common;

use app::ssr::entity::objective;
use common::{DraftSheet, draft_sheet};
use sea_orm::ColumnTrait;
use serde_json::Value;

impl DraftSheet {
    async fn sheet(&self, cookie: &str) -> (u16, Value) {
        let form = [("id", self.a.assessment.to_string())];
        let (status, body) = self
            .server
            .call("/api/assessment", &form, Some(cookie))
            .await;
        (
            status.as_u16(),
            serde_json::from_str(&body).unwrap_or(Value::Null),
        )
    }

    /// Saves an objective (`edited`: its id and version).
    async fn objective(
        &self,
        cookie: &str,
        edited: Option<(i64, i64)>,
        title: &str,
        weight: &str,
    ) -> (u16, String) {
        let mut form = vec![
            ("assessment_id", self.a.assessment.to_string()),
            ("objective[title]", title.to_owned()),
            ("objective[weight]", weight.to_owned()),
        ];
        if let Some((id, version)) = edited {
            form.push(("objective_id", id.to_string()));
            form.push(("version", version.to_string()));
        }
        let (status, body) = self
            .server
            .call("/api/plan/objective", &form, Some(cookie))
            .await;
        (status.as_u16(), body)
    }

    /// Saves a key result of `objective` from `(field, value)` pairs of the `kr` form.
    async fn key_result(
        &self,
        cookie: &str,
        objective: i64,
        edited: Option<(i64, i64)>,
        fields: &[(&str, &str)],
    ) -> (u16, String) {
        let names: Vec<String> = fields.iter().map(|(f, _)| format!("kr[{f}]")).collect();
        let mut form = vec![("objective_id", objective.to_string())];
        for (name, (_, value)) in names.iter().zip(fields) {
            form.push((name.as_str(), (*value).to_owned()));
        }
        if let Some((id, version)) = edited {
            form.push(("key_result_id", id.to_string()));
            form.push(("version", version.to_string()));
        }
        let (status, body) = self
            .server
            .call("/api/plan/key-result", &form, Some(cookie))
            .await;
        (status.as_u16(), body)
    }

    /// (objectives, key results) of the official.
    async fn counts(&self) -> (u64, u64) {
        let owner = objective::Column::OwnerOfficialId.eq(self.a.official);
        let mine = sea_orm::Condition::all().add(owner);
        let (objectives, krs) = common::objectives_and_key_results(&self.db, mine).await;
        (objectives.len() as u64, krs.len() as u64)
    }

    async fn audited(&self, action: &str) -> u64 {
        common::audited(&self.db, action).await
    }
}

const RAISE: [(&str, &str); 6] = [
    ("title", "Tỷ lệ hồ sơ trực tuyến toàn trình"),
    ("kind", "increase_to"),
    ("start", "40"),
    ("target", "80,5"),
    ("weight", "60"),
    ("unit_of_measure", "%"),
];

fn field_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["Invalid"]["field"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.to_owned())
}

on_both_databases!(
    the_official_plans_objectives_and_key_results_on_their_sheet,
    |engine| async move {
        let Some(w) = draft_sheet(engine).await else {
            return;
        };
        let (a, r, s) = (
            w.server.session("a").await,
            w.server.session("r").await,
            w.server.session("s").await,
        );
        // The seeded plan: one objective of 100 % with one key result; check-ins open.
        let (status, sheet) = w.sheet(&a).await;
        assert_eq!(status, 200, "{sheet}");
        assert_eq!(sheet["plan"]["weights"]["complete"], true);
        assert_eq!(sheet["may"]["check_in"], true);
        let first = &sheet["plan"]["objectives"][0];
        let (first_id, first_version) = (
            first["id"].as_i64().expect("id"),
            first["version"].as_i64().expect("version"),
        );
        assert_eq!(
            first["key_results"][0]["title"],
            "Hồ sơ giải quyết đúng hạn"
        );
        assert_eq!(w.counts().await, (1, 1));

        // A second objective: the period's weights now make 140 %, reported, not refused.
        let (status, body) = w.objective(&a, None, "Cải cách hành chính", "40").await;
        assert_eq!(status, 200, "{body}");
        let second: i64 = body.trim().parse().expect("id");
        let (_, sheet) = w.sheet(&a).await;
        assert_eq!(sheet["plan"]["weights"]["percent"], 140.0);
        assert_eq!(sheet["plan"]["weights"]["complete"], false);
        // The first one down to 60 %: complete.
        let edit = Some((first_id, first_version));
        let (status, body) = w.objective(&a, edit, "Mục tiêu chính", "60").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(w.sheet(&a).await.1["plan"]["weights"]["complete"], true);
        // The same edit again, from the version already replaced: refused.
        let (status, body) = w.objective(&a, edit, "Mục tiêu khác", "50").await;
        assert_eq!((status, body.as_str()), (409, "\"Conflict\""));

        // Key results of the second objective: coded in order, the weights summed.
        let (status, body) = w.key_result(&a, second, None, &RAISE).await;
        assert_eq!(status, 200, "{body}");
        let milestone = [
            ("title", "Ban hành quy trình nội bộ"),
            ("kind", "milestone"),
            ("weight", "40"),
        ];
        assert_eq!(w.key_result(&a, second, None, &milestone).await.0, 200);
        let (_, sheet) = w.sheet(&a).await;
        let planned = &sheet["plan"]["objectives"][1];
        assert_eq!(planned["weights"]["complete"], true);
        let krs = planned["key_results"].as_array().expect("krs");
        let codes: Vec<&str> = krs
            .iter()
            .map(|k| k["code"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(codes, ["KR1", "KR2"]);
        assert_eq!(
            (krs[0]["start"].clone(), krs[0]["target"].clone()),
            (40.0.into(), 80.5.into())
        );
        assert_eq!(krs[0]["current"], 40.0);
        assert_eq!(
            (krs[1]["start"].clone(), krs[1]["target"].clone()),
            (0.0.into(), 1.0.into())
        );
        // Edited: the code and current value stay.
        let kr = (
            krs[0]["id"].as_i64().expect("id"),
            krs[0]["version"].as_i64().expect("v"),
        );
        let mut lower = RAISE;
        lower[4] = ("weight", "50");
        assert_eq!(w.key_result(&a, second, Some(kr), &lower).await.0, 200);
        let (_, sheet) = w.sheet(&a).await;
        let edited = &sheet["plan"]["objectives"][1]["key_results"][0];
        assert_eq!(
            (edited["code"].clone(), edited["weight"].clone()),
            ("KR1".into(), 0.5.into())
        );
        assert_eq!(sheet["plan"]["objectives"][1]["weights"]["percent"], 90.0);
        assert_eq!(edited["current"], 40.0);
        // Measured another way, its progress starts again (40 read as a milestone is not done).
        let kr = (
            edited["id"].as_i64().expect("id"),
            edited["version"].as_i64().expect("v"),
        );
        let as_milestone = [
            ("title", "Tỷ lệ hồ sơ trực tuyến toàn trình"),
            ("kind", "milestone"),
            ("weight", "50"),
        ];
        assert_eq!(
            w.key_result(&a, second, Some(kr), &as_milestone).await.0,
            200
        );
        let (_, sheet) = w.sheet(&a).await;
        assert_eq!(
            sheet["plan"]["objectives"][1]["key_results"][0]["current"],
            0.0
        );

        // Refused by field, nothing written.
        let before = w.counts().await;
        for (fields, field) in [
            (vec![("target", "40")], "kr_target"),
            (vec![("target", "10")], "kr_target"),
            (vec![("start", "bốn mươi")], "kr_start"),
            (vec![("weight", "0")], "kr_weight"),
            (vec![("kind", "robot")], "kr_kind"),
            (vec![("title", " ")], "kr_title"),
        ] {
            let mut typed = RAISE.to_vec();
            for (name, value) in fields {
                if let Some(slot) = typed.iter_mut().find(|(n, _)| *n == name) {
                    slot.1 = value;
                }
            }
            let (status, body) = w.key_result(&a, second, None, &typed).await;
            assert_eq!(
                (status, field_of(&body)),
                (400, field.to_owned()),
                "{typed:?}"
            );
        }
        let long = "ư".repeat(501);
        for (title, weight, field) in [
            ("Mục tiêu", "120", "objective_weight"),
            (long.as_str(), "10", "objective_title"),
        ] {
            let (status, body) = w.objective(&a, None, title, weight).await;
            assert_eq!((status, field_of(&body)), (400, field.to_owned()));
        }
        assert_eq!(w.counts().await, before);

        // Nobody else plans for the official.
        let denied = w.audited("access_denied").await;
        assert_eq!(w.objective(&r, None, "Của người chấm", "10").await.0, 403);
        assert_eq!(w.objective(&s, None, "Của người lạ", "10").await.0, 403);
        assert_eq!(w.key_result(&r, second, None, &RAISE).await.0, 403);
        assert_eq!(w.audited("access_denied").await, denied + 3);
        assert_eq!(w.counts().await, before);

        // The page: the forms for the official only, without JavaScript.
        let path = format!("/assessments/{}", w.a.assessment);
        let (status, html) = w.server.get_with(&path, &[("cookie", a.as_str())]).await;
        assert_eq!(status, 200);
        for text in [
            "Mục tiêu và kết quả then chốt",
            "Thêm mục tiêu",
            "Thêm kết quả then chốt",
            "Tỷ lệ hồ sơ trực tuyến toàn trình",
            "Mốc hoàn thành",
            "cộng lại 90 %",
            "Cập nhật tiến độ",
        ] {
            assert!(html.contains(text), "{text} missing");
        }
        let (_, html) = w.server.get_with(&path, &[("cookie", r.as_str())]).await;
        assert!(html.contains("Tỷ lệ hồ sơ trực tuyến toàn trình"));
        assert!(!html.contains("Thêm mục tiêu") && !html.contains("Cập nhật tiến độ"));

        // Submitted: the plan is locked for the official too.
        let version = w.sheet(&a).await.1["row"]["version"].clone();
        let form = [
            ("id", w.a.assessment.to_string()),
            ("version", version.to_string()),
        ];
        let (status, body) = w
            .server
            .call("/api/assessment/submit", &form, Some(&a))
            .await;
        assert_eq!(status.as_u16(), 200, "{body}");
        let (status, body) = w.objective(&a, None, "Muộn", "10").await;
        assert_eq!((status, field_of(&body)), (400, "state".to_owned()));
        assert_eq!(w.sheet(&a).await.1["may"]["self_assess"], false);
        assert_eq!(w.audited("objective_create").await, 1);
        assert_eq!(w.audited("objective_update").await, 1);
        assert_eq!(w.audited("key_result_create").await, 2);
        assert_eq!(w.audited("key_result_update").await, 2);
        w.server.stop().await;
    }
);
