//! The assessment sheet over HTTP, on SQLite and PostgreSQL: the official fills in their own
//! points and submits; their reviewer then gives theirs and proposes; the leader approves and
//! nothing can be entered any more. Each form is offered, and accepted, only to whom and when
//! the rules allow; points are checked per criterion (sub-criteria of a scheme each on their
//! own); strangers are refused; the page renders both columns without JavaScript.

mod common;

use app::ssr::entity::{assessment, cycle, general_score};
use common::{DraftSheet, draft_sheet};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

impl DraftSheet {
    /// The sheet as `cookie`'s owner reads it: (status, JSON).
    async fn sheet(&self, cookie: &str) -> (u16, Value) {
        let form = [("id", self.a.assessment.to_string())];
        let (status, body) = self
            .server
            .call("/api/assessment", &form, Some(cookie))
            .await;
        let json = serde_json::from_str(&body).unwrap_or(Value::Null);
        (status.as_u16(), json)
    }

    async fn version(&self) -> i32 {
        assessment::Entity::find_by_id(self.a.assessment)
            .one(&self.db)
            .await
            .expect("query")
            .expect("assessment")
            .version
    }

    /// Saves the general-criteria points `(criterion, points)` as the official or reviewer.
    async fn points(
        &self,
        cookie: &str,
        as_reviewer: bool,
        points: &[(&str, &str)],
    ) -> (u16, String) {
        let mut form = vec![
            ("assessment_id", self.a.assessment.to_string()),
            ("version", self.version().await.to_string()),
            ("as_reviewer", as_reviewer.to_string()),
        ];
        let names: Vec<String> = points.iter().map(|(c, _)| format!("points[{c}]")).collect();
        for (name, (_, value)) in names.iter().zip(points) {
            form.push((name.as_str(), (*value).to_owned()));
        }
        form.push((
            "comments[innovation]",
            "Có sáng kiến cải tiến hồ sơ".to_owned(),
        ));
        let (status, body) = self
            .server
            .call("/api/assessment/points", &form, Some(cookie))
            .await;
        (status.as_u16(), body)
    }

    /// A move (`submit`, `score`, `approve`) on the assessment.
    async fn decide(&self, cookie: &str, endpoint: &str, level: &str) -> (u16, String) {
        let form = [
            ("id", self.a.assessment.to_string()),
            ("version", self.version().await.to_string()),
            ("level", level.to_owned()),
            ("reason", "Đối chiếu minh chứng".to_owned()),
        ];
        let (status, body) = self
            .server
            .call(&format!("/api/assessment/{endpoint}"), &form, Some(cookie))
            .await;
        (status.as_u16(), body)
    }

    async fn given(&self) -> Vec<(String, Option<f64>, Option<f64>)> {
        general_score::Entity::find()
            .filter(general_score::Column::OfficialId.eq(self.a.official))
            .filter(general_score::Column::CycleId.eq(self.open))
            .all(&self.db)
            .await
            .expect("points")
            .into_iter()
            .map(|g| (g.criterion_group, g.self_points, g.reviewer_points))
            .collect()
    }
}

fn rights(sheet: &Value) -> [bool; 4] {
    ["self_assess", "score", "approve", "give_back"].map(|k| sheet["may"][k] == Value::Bool(true))
}

const ALL: [(&str, &str); 3] = [
    ("politics_ethics_discipline", "9"),
    ("competence_responsibility", "8"),
    ("innovation", "7.5"),
];

on_both_databases!(
    the_official_fills_and_submits_the_reviewer_scores_the_leader_approves,
    |engine| async move {
        let Some(w) = draft_sheet(engine).await else {
            return;
        };
        let (a, r, l, s) = (
            w.server.session("a").await,
            w.server.session("r").await,
            w.server.session("l").await,
            w.server.session("s").await,
        );
        // A draft: the official's to fill; nobody else's to score yet.
        let (status, sheet) = w.sheet(&a).await;
        assert_eq!(status, 200, "{sheet}");
        assert_eq!(rights(&sheet), [true, false, false, false]);
        let criteria: Vec<&str> = sheet["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .map(|c| c["id"].as_str().expect("id"))
            .collect();
        assert_eq!(criteria, ALL.map(|(c, _)| c));
        assert_eq!(rights(&w.sheet(&r).await.1), [false; 4]);
        // A stranger neither reads nor writes.
        assert_eq!(w.sheet(&s).await.0, 403);
        assert_eq!(w.points(&s, false, &ALL).await.0, 403);
        // Out of range: refused on the criterion itself, nothing written.
        let (status, body) = w
            .points(&a, false, &[("innovation", "10.5"), ALL[0], ALL[1]])
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"field\":\"criterion.innovation\""),
            "{body}"
        );
        assert!(w.given().await.is_empty());
        // Not a criterion of the scheme.
        let (status, body) = w.points(&a, false, &[("sang_tao", "5")]).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"group\""), "{body}");
        // The reviewer may not score a draft.
        let (status, body) = w.points(&r, true, &ALL).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"state\""), "{body}");
        // The official's points, rescored at once.
        let (status, body) = w.points(&a, false, &ALL).await;
        assert_eq!(status, 200, "{body}");
        let (_, sheet) = w.sheet(&a).await;
        assert_eq!(sheet["criteria"][2]["self_points"], 7.5);
        assert_eq!(
            sheet["criteria"][2]["self_comment"],
            "Có sáng kiến cải tiến hồ sơ"
        );
        // The page offers the official their column and the submission, without JavaScript.
        let path = format!("/assessments/{}", w.a.assessment);
        let (status, html) = w.server.get_with(&path, &[("cookie", a.as_str())]).await;
        assert_eq!(status, 200);
        for text in [
            "Lưu điểm tự chấm",
            "Gửi tự đánh giá",
            "chính trị, đạo đức",
            "tối đa 10 điểm",
        ] {
            assert!(html.contains(text), "{text} missing");
        }
        assert!(!html.contains("Lưu điểm chấm"));
        // Submitted: the official's part is locked, the reviewer's opens.
        let (status, body) = w.decide(&a, "submit", "").await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = w.points(&a, false, &ALL).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"state\""), "{body}");
        assert_eq!(rights(&w.sheet(&r).await.1), [false, true, false, true]);
        let (status, body) = w
            .points(&r, true, &[ALL[0], ALL[1], ("innovation", "6")])
            .await;
        assert_eq!(status, 200, "{body}");
        let given = w.given().await;
        let innovation = given.iter().find(|g| g.0 == "innovation").expect("row");
        assert_eq!((innovation.1, innovation.2), (Some(7.5), Some(6.0)));
        let (status, html) = w.server.get_with(&path, &[("cookie", r.as_str())]).await;
        assert_eq!(status, 200);
        for text in ["Lưu điểm chấm", "Đề xuất mức", "Trả lại để sửa", "7.5"]
        {
            assert!(html.contains(text), "{text} missing");
        }
        // Proposed, then approved: nobody enters anything any more.
        let level = "HTTNV";
        let (status, body) = w.decide(&r, "score", level).await;
        assert_eq!(status, 200, "{body}");
        // The leader may score as well as approve (their grant has both).
        assert_eq!(rights(&w.sheet(&l).await.1), [false, true, true, true]);
        assert_eq!(w.decide(&l, "approve", level).await.0, 200);
        for cookie in [&a, &r, &l] {
            assert_eq!(rights(&w.sheet(cookie).await.1), [false; 4]);
        }
        let (status, body) = w.points(&r, true, &ALL).await;
        assert_eq!(status, 400, "{body}");
        w.server.stop().await;
    }
);

on_both_databases!(
    a_group_with_sub_criteria_is_scored_criterion_by_criterion,
    |engine| async move {
        let Some(w) = draft_sheet(engine).await else {
            return;
        };
        // Khánh Hòa's scheme: four criteria of 5 points in one group, and a group of 10.
        cycle::Entity::update_many()
            .col_expr(cycle::Column::SchemeId, Expr::value("khanh-hoa-2025"))
            .filter(cycle::Column::Id.eq(w.open))
            .exec(&w.db)
            .await
            .expect("scheme");
        let a = w.server.session("a").await;
        let (_, sheet) = w.sheet(&a).await;
        let lines: Vec<(&str, &str)> = sheet["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap_or(""),
                    c["group"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("politics_ideology", "general_criteria"),
                ("ethics_lifestyle", "general_criteria"),
                ("working_style", "general_criteria"),
                ("discipline_order", "general_criteria"),
                ("admin_reform_it", "admin_reform_it"),
            ]
        );
        // The group itself is not an input; each criterion within its own maximum.
        let (status, body) = w.points(&a, false, &[("general_criteria", "18")]).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"group\""), "{body}");
        let (status, body) = w.points(&a, false, &[("working_style", "6")]).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"field\":\"criterion.working_style\""),
            "{body}"
        );
        let all = [
            ("politics_ideology", "5"),
            ("ethics_lifestyle", "5"),
            ("working_style", "4"),
            ("discipline_order", "5"),
            ("admin_reform_it", "9"),
        ];
        let (status, body) = w.points(&a, false, &all).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(w.given().await.len(), 5);
        w.server.stop().await;
    }
);

on_both_databases!(
    a_plain_post_refused_comes_back_with_what_was_typed,
    |engine| async move {
        // Without JavaScript the browser posts the form and follows the answer to the page:
        // a refusal must bring back the points and comment as typed, on the refused form only.
        let Some(w) = draft_sheet(engine).await else {
            return;
        };
        let a = w.server.session("a").await;
        let page = w.server.url(&format!("/assessments/{}", w.a.assessment));
        let form = [
            ("assessment_id", w.a.assessment.to_string()),
            ("version", w.version().await.to_string()),
            ("points[politics_ethics_discipline]", "9".to_owned()),
            ("points[competence_responsibility]", "8".to_owned()),
            ("points[innovation]", "10.5".to_owned()),
            (
                "comments[innovation]",
                "Sáng kiến số hoá hồ sơ một cửa".to_owned(),
            ),
        ];
        let response = w
            .server
            .client
            .post(w.server.url("/api/assessment/points"))
            .header("cookie", &a)
            .header("accept", "text/html")
            .header("referer", &page)
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 302);
        let back = common::location(&response);
        assert!(
            back.starts_with(&page) && back.contains("__typed="),
            "{back}"
        );
        assert!(w.given().await.is_empty(), "nothing written");
        let path = back.strip_prefix(&w.server.url("")).expect("same site");
        let (status, html) = w.server.get_with(path, &[("cookie", &a)]).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"name="points[innovation]""#), "{html}");
        assert!(
            html.contains(r#"value="10.5""#),
            "the typed points are back"
        );
        assert!(
            html.contains(r#"value="Sáng kiến số hoá hồ sơ một cửa""#),
            "and the comment"
        );
        // The same page without the refusal shows the stored (empty) form.
        let (_, fresh) = w
            .server
            .get_with(
                &format!("/assessments/{}", w.a.assessment),
                &[("cookie", &a)],
            )
            .await;
        assert!(!fresh.contains("Sáng kiến số hoá"));
        w.server.stop().await;
    }
);
