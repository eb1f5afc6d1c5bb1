//! The service layer on SQLite and PostgreSQL: every assessment move × every role through
//! HTTP follows the domain's state machine and access rules; a level other than the engine's
//! needs a reason; a bad check-in is refused with the same field and message from the form
//! and from an import; a product's or a criterion's change rescores the assessment; the unit's
//! rollup is refreshed with each write and equals a rebuild.

mod common;

use app::domain::access::{self, Grant, Principal, Role, Target};
use app::domain::lifecycle::{AssessmentMove, AssessmentState, CycleState};
use app::ssr::entity::{assessment, check_in, key_result, product};
use app::ssr::import::{self, Options};
use app::ssr::repo::audit::Actor;
use app::ssr::repo::rollups;
use common::{Engine, Person, TestServer, month_cycle, person, rollup_rows, unit};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

/// Unit U with official A (reviewed by R), a reviewer R, a unit leader L and an organiser G
/// of the province, all in an open cycle; plus official C in a closed cycle.
struct World {
    server: TestServer,
    db: DatabaseConnection,
    a: Person,
    c: Person,
    /// (username, role, grant) of each decider.
    deciders: Vec<(String, Principal)>,
    open: i64,
    province: i64,
}

async fn world(engine: Engine) -> Option<World> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let u = unit(&db, "P-U", "agency", Some(p)).await;
    let open = month_cycle(&db, "2026-11", "open").await;
    let closed = month_cycle(&db, "2026-10", "closed").await;
    let g = |role, unit_id| Grant { role, unit_id };
    let r = person(&db, "R", (u, "P-U"), None, open, &[g(Role::Reviewer, u)]).await;
    let l = person(&db, "L", (u, "P-U"), None, open, &[g(Role::UnitLeader, u)]).await;
    let o = person(&db, "G", (u, "P-U"), None, open, &[g(Role::Organiser, p)]).await;
    let a = person(&db, "A", (u, "P-U"), Some(r.official), open, &[]).await;
    let c = person(&db, "C", (u, "P-U"), None, closed, &[]).await;
    let principal = |p: &Person, grants: Vec<Grant>| Principal {
        account_id: p.account,
        official_id: Some(p.official),
        grants,
    };
    let deciders = vec![
        ("a".into(), principal(&a, vec![g(Role::Official, u)])),
        ("r".into(), principal(&r, vec![g(Role::Reviewer, u)])),
        ("l".into(), principal(&l, vec![g(Role::UnitLeader, u)])),
        ("g".into(), principal(&o, vec![g(Role::Organiser, p)])),
    ];
    Some(World {
        server,
        db,
        a,
        c,
        deciders,
        open,
        province: p,
    })
}

async fn stored(db: &DatabaseConnection, id: i64) -> assessment::Model {
    assessment::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query")
        .expect("assessment")
}

async fn set_state(db: &DatabaseConnection, id: i64, state: AssessmentState) {
    assessment::Entity::update_many()
        .col_expr(assessment::Column::State, Expr::value(state.code()))
        .filter(assessment::Column::Id.eq(id))
        .exec(db)
        .await
        .expect("set state");
}

fn path(step: AssessmentMove) -> &'static str {
    match step {
        AssessmentMove::Propose => "/api/assessment/score",
        AssessmentMove::Approve => "/api/assessment/approve",
        AssessmentMove::Return => "/api/assessment/return",
        AssessmentMove::SubmitSelf => "/api/assessment/submit",
    }
}

on_both_databases!(
    every_move_by_every_role_follows_the_state_machine_and_the_access_rules,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let id = w.a.assessment;
        let target = Target {
            unit_path: vec![w.a.unit_id, w.province],
            owner: Some(w.a.official),
            reviewer: Some(w.deciders[1].1.official_id.expect("reviewer")),
        };
        let mut cases = 0;
        for (username, principal) in &w.deciders {
            let cookie = w.server.session(username).await;
            for step in AssessmentMove::ALL.iter().copied() {
                for from in AssessmentState::ALL {
                    set_state(&w.db, id, *from).await;
                    let before = stored(&w.db, id).await;
                    let form = [
                        ("id", id.to_string()),
                        ("version", before.version.to_string()),
                        ("level", "HTTNV".to_owned()),
                        ("reason", "Đối chiếu minh chứng".to_owned()),
                    ];
                    let (status, body) = w.server.call(path(step), &form, Some(&cookie)).await;
                    let may = step
                        .actions()
                        .iter()
                        .any(|a| access::decide(principal, *a, &target).is_some());
                    let moved = step.apply(CycleState::InProgress, *from);
                    let after = stored(&w.db, id).await;
                    let what = format!("{username} {step:?} from {from:?}: {status} {body}");
                    match (may, moved) {
                        (false, _) => assert_eq!(status, 403, "{what}"),
                        (true, Err(_)) => {
                            assert_eq!(status, 400, "{what}");
                            assert!(body.contains("\"field\":\"state\""), "{what}");
                        }
                        (true, Ok(to)) => {
                            assert_eq!(status, 200, "{what}");
                            assert_eq!(after.state, to.code(), "{what}");
                        }
                    }
                    if status != 200 {
                        assert_eq!(after.version, before.version, "{what}");
                    }
                    cases += 1;
                }
            }
        }
        assert_eq!(cases, 4 * 4 * 5);
        w.server.stop().await;
    }
);

on_both_databases!(
    a_level_other_than_the_engines_needs_a_reason_which_is_kept,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let id = w.a.assessment;
        let lead = w.server.session("l").await;
        // The fixture's score is 80: the engine's level is HTTNV.
        let form = |level: &str, version: i32, reason: &str| {
            vec![
                ("id", id.to_string()),
                ("version", version.to_string()),
                ("level", level.to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        let (status, body) = w
            .server
            .call(
                "/api/assessment/score",
                &form("HTXSNV", 1, "  "),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"reason\""), "{body}");
        assert!(body.contains("reason_required"), "{body}");
        assert_eq!(stored(&w.db, id).await.version, 1);
        let (status, _) = w
            .server
            .call("/api/assessment/score", &form("HTTNV", 1, ""), Some(&lead))
            .await;
        assert_eq!(status, 200);
        let (status, _) = w
            .server
            .call(
                "/api/assessment/score",
                &form("HTXSNV", 2, "Sáng kiến cấp tỉnh"),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 200);
        let a = stored(&w.db, id).await;
        assert_eq!(a.proposed_level.as_deref(), Some("HTXSNV"));
        assert_eq!(a.level_reason.as_deref(), Some("Sáng kiến cấp tỉnh"));
        // An approval departing from the proposal needs its own reason.
        let (status, body) = w
            .server
            .call("/api/assessment/approve", &form("HTNV", 3, ""), Some(&lead))
            .await;
        assert_eq!(status, 400, "{body}");
        // A reason longer than the limit is refused naming the field.
        let long = "x".repeat(2_001);
        let (status, body) = w
            .server
            .call(
                "/api/assessment/approve",
                &form("HTNV", 3, &long),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("too_long"), "{body}");
        // Returning needs a reason; the official sees it.
        let back = [
            ("id", id.to_string()),
            ("version", "3".to_owned()),
            ("reason", "Bổ sung minh chứng sản phẩm SP02".to_owned()),
        ];
        let (status, _) = w
            .server
            .call("/api/assessment/return", &back, Some(&lead))
            .await;
        assert_eq!(status, 200);
        let a = stored(&w.db, id).await;
        assert_eq!(a.state, "returned");
        assert_eq!(
            a.return_reason.as_deref(),
            Some("Bổ sung minh chứng sản phẩm SP02")
        );
        let own = w.server.session("a").await;
        let (_, page) = w
            .server
            .get_with(&format!("/officials/{}", w.a.official), &[("cookie", &own)])
            .await;
        assert!(page.contains("Bổ sung minh chứng sản phẩm SP02"), "{page}");
        w.server.stop().await;
    }
);

/// The (field, key) pairs of a refused server-function call.
fn refused_field(body: &str) -> (String, String) {
    let value: serde_json::Value = serde_json::from_str(body).expect("json error");
    let invalid = &value["Invalid"];
    (
        invalid["field"].as_str().unwrap_or_default().to_owned(),
        invalid["message"].as_str().unwrap_or_default().to_owned(),
    )
}

on_both_databases!(
    a_bad_check_in_is_refused_alike_by_the_form_and_an_import,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let own = w.server.session("a").await;
        let kr_code = "A-KR1";
        // (value, confidence, evidence link, cycle of the key result) → (field, key).
        let cases = [
            ("NaN", "5", "", "A", "value", "not_a_number"),
            ("-1e300", "5", "", "A", "value", "value_range"),
            ("5", "11", "", "A", "confidence", "confidence_range"),
            (
                "5",
                "5",
                "javascript:alert(1)",
                "A",
                "evidence_url",
                "url_scheme",
            ),
            ("5", "5", "", "C", "cycle", "cycle_closed"),
        ];
        for (value, confidence, link, who, field, key) in cases {
            let (person, cycle) = if who == "A" {
                (&w.a, "2026-11")
            } else {
                (&w.c, "2026-10")
            };
            let cookie = if who == "A" {
                own.clone()
            } else {
                w.server.session("c").await
            };
            let form = [
                ("key_result_id", person.key_result.to_string()),
                ("value", value.to_owned()),
                ("confidence", confidence.to_owned()),
                ("note", String::new()),
                ("evidence_url", link.to_owned()),
            ];
            let (status, body) = w.server.call("/api/check-in", &form, Some(&cookie)).await;
            assert_eq!(status, 400, "{value} {body}");
            assert_eq!(refused_field(&body), (field.to_owned(), key.to_owned()));
            let code = if who == "A" { "A" } else { "C" };
            let kr = if who == "A" { kr_code } else { "C-KR1" };
            let csv = format!(
                "cycle_code,personnel_code,kr_code,date,value,note,evidence_url,confidence\n\
                 {cycle},{code},{kr},{date},{value},,{link},{confidence}\n",
                date = "2026-11-15",
            );
            let report = import::import_bytes(
                &w.db,
                "check_ins.csv",
                csv.as_bytes(),
                &Options::new(Actor::system("test:import")),
            )
            .await
            .expect("import runs");
            let found: Vec<(String, String)> = report
                .errors
                .iter()
                .map(|e| (e.column.clone(), e.key.clone()))
                .collect();
            let column = if field == "cycle" {
                "cycle_code"
            } else {
                field
            };
            assert_eq!(found, vec![(column.to_owned(), key.to_owned())], "{value}");
            assert!(!report.committed);
        }
        let stored = check_in::Entity::find().count(&w.db).await.expect("count");
        assert_eq!(stored, 0, "nothing was stored");
        w.server.stop().await;
    }
);

on_both_databases!(
    each_write_refreshes_the_units_rollup_to_what_a_rebuild_gives,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let now = chrono::Utc::now();
        rollups::rebuild_cycle(&w.db, w.open, now)
            .await
            .expect("rebuild");
        let own = w.server.session("a").await;
        let form = [
            ("key_result_id", w.a.key_result.to_string()),
            ("value", "60".to_owned()),
            ("confidence", "2".to_owned()),
            ("note", "Tháng 11".to_owned()),
            ("evidence_url", "https://motcua.example.vn/hs/1".to_owned()),
        ];
        let (status, body) = w.server.call("/api/check-in", &form, Some(&own)).await;
        assert_eq!(status, 200, "{body}");
        // The key result keeps its latest check-in's time and confidence: a confidence of
        // 2/10 puts it at risk in the rollup, without the rollup reading check-ins.
        let kr = key_result::Entity::find_by_id(w.a.key_result)
            .one(&w.db)
            .await
            .expect("read")
            .expect("the key result");
        assert_eq!(kr.last_confidence, Some(2));
        assert!(kr.last_check_in_at.is_some());
        assert!(
            rollup_rows(&w.db, w.open)
                .await
                .iter()
                .any(|r| r.at_risk_key_results >= 1),
            "at risk by its confidence"
        );
        let lead = w.server.session("l").await;
        let decision = [
            ("id", w.a.assessment.to_string()),
            ("version", "1".to_owned()),
            ("level", "HTXSNV".to_owned()),
            ("reason", "Sáng kiến cấp tỉnh".to_owned()),
        ];
        let (status, body) = w
            .server
            .call("/api/assessment/score", &decision, Some(&lead))
            .await;
        assert_eq!(status, 200, "{body}");
        let incremental = rollup_rows(&w.db, w.open).await;
        assert_eq!(
            incremental.iter().map(|r| r.count_htxsnv).sum::<i32>(),
            1,
            "the proposal is counted at once"
        );
        rollups::rebuild_cycle(&w.db, w.open, now)
            .await
            .expect("rebuild");
        let rebuilt = rollup_rows(&w.db, w.open).await;
        // The check-in's age is counted in whole days: equal as of the same moment.
        assert_eq!(incremental, rebuilt);
        w.server.stop().await;
    }
);

/// The unit's stored average score in the open cycle.
async fn unit_average(db: &DatabaseConnection, cycle: i64, unit: i64) -> Option<f64> {
    rollup_rows(db, cycle)
        .await
        .into_iter()
        .find(|r| r.unit_id == unit)
        .and_then(|r| r.avg_score)
}

on_both_databases!(
    a_products_delays_change_its_score_explanation_and_rollup_together,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let id = w.a.assessment;
        let reviewer = w.server.session("r").await;
        // The reviewer scores the general criteria (the fixture has none): 9 + 8 + 7, in one
        // form.
        let points = |version: i32, innovation: &str| {
            vec![
                ("assessment_id", id.to_string()),
                ("version", version.to_string()),
                ("as_reviewer", "true".to_owned()),
                ("points[politics_ethics_discipline]", "9".to_owned()),
                ("points[competence_responsibility]", "8".to_owned()),
                ("points[innovation]", innovation.to_owned()),
                ("comments[innovation]", "Đúng quy định".to_owned()),
            ]
        };
        let (status, body) = w
            .server
            .call("/api/assessment/points", &points(1, "7"), Some(&reviewer))
            .await;
        assert_eq!(status, 200, "{body}");
        // Points beyond a criterion's maximum are refused, naming the criterion; nothing of
        // the form is written.
        let (status, body) = w
            .server
            .call("/api/assessment/points", &points(2, "11"), Some(&reviewer))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"field\":\"criterion.innovation\""),
            "{body}"
        );
        assert_eq!(stored(&w.db, id).await.version, 2);
        let product = product::ActiveModel {
            cycle_id: Set(w.open),
            official_id: Set(w.a.official),
            code: Set("SP01".into()),
            title: Set("Hồ sơ một cửa".into()),
            conversion_weight: Set(1.0),
            assigned: Set(10),
            completed: Set(10),
            completed_on_quality: Set(10),
            completed_on_time: Set(10),
            quality_failures: Set(0),
            delays: Set(0),
            version: Set(1),
            ..Default::default()
        }
        .insert(&w.db)
        .await
        .expect("product")
        .id;
        let own = w.server.session("a").await;
        // Once submitted, the official's counts are the reviewer's to correct: refused on the
        // assessment's state until it is returned to them.
        let early = [
            ("product_id", product.to_string()),
            ("version", "1".to_owned()),
            ("counts[completed]", "10".to_owned()),
            ("counts[completed_on_quality]", "10".to_owned()),
            ("counts[completed_on_time]", "10".to_owned()),
            ("counts[quality_failures]", "0".to_owned()),
            ("counts[delays]", "0".to_owned()),
        ];
        let (status, body) = w
            .server
            .call("/api/product/progress", &early, Some(&own))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"state\""), "{body}");
        set_state(&w.db, id, AssessmentState::Returned).await;
        let progress = |version: i32, delays: i32| {
            vec![
                ("product_id", product.to_string()),
                ("version", version.to_string()),
                ("counts[completed]", "10".to_owned()),
                ("counts[completed_on_quality]", "10".to_owned()),
                ("counts[completed_on_time]", (10 - delays).to_string()),
                ("counts[quality_failures]", "0".to_owned()),
                ("counts[delays]", delays.to_string()),
            ]
        };
        let (status, body) = w
            .server
            .call("/api/product/progress", &progress(1, 0), Some(&own))
            .await;
        assert_eq!(status, 200, "{body}");
        let full = stored(&w.db, id).await;
        // 24 general points + all 70 task points.
        assert_eq!(full.computed_score, Some(94.0));
        assert_eq!(full.computed_level.as_deref(), Some("HTXSNV"));
        let before_avg = unit_average(&w.db, w.open, w.a.unit_id).await;
        // Two delays: the progress third loses 2/10 of its points and 2 × 25 % of them.
        let (status, body) = w
            .server
            .call("/api/product/progress", &progress(2, 2), Some(&own))
            .await;
        assert_eq!(status, 200, "{body}");
        let delayed = stored(&w.db, id).await;
        let score = delayed.computed_score.expect("scored");
        assert!(score < 94.0, "{score}");
        let explanation = delayed.explanation.expect("explanation");
        assert!(
            explanation.contains("task.progress.deduction"),
            "{explanation}"
        );
        assert!(explanation.contains("\"delays\":2.0"), "{explanation}");
        let after_avg = unit_average(&w.db, w.open, w.a.unit_id).await;
        assert_ne!(
            after_avg, before_avg,
            "the rollup follows in the same write"
        );
        let incremental = rollup_rows(&w.db, w.open).await;
        rollups::rebuild_cycle(&w.db, w.open, chrono::Utc::now())
            .await
            .expect("rebuild");
        assert_eq!(incremental, rollup_rows(&w.db, w.open).await);
        // More delays waived than occurred: refused, naming the field; nothing changes.
        let mut waived = progress(3, 2);
        waived.push(("counts[waived_delays]", "3".to_owned()));
        waived.push(("waiver_ref", "QĐ 12/UBND".to_owned()));
        let (status, body) = w
            .server
            .call("/api/product/progress", &waived, Some(&own))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"waived_delays\""), "{body}");
        assert_eq!(stored(&w.db, id).await.computed_score, Some(score));
        // Someone else's product: refused.
        let other = w.server.session("c").await;
        let (status, _) = w
            .server
            .call("/api/product/progress", &progress(3, 0), Some(&other))
            .await;
        assert_eq!(status, 403);
        w.server.stop().await;
    }
);

on_both_databases!(
    cycles_move_one_step_at_a_time_and_reopen_only_with_a_reason,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let admin_grant = Grant {
            role: Role::Admin,
            unit_id: w.province,
        };
        person(
            &w.db,
            "ADM",
            (w.a.unit_id, "P-U"),
            None,
            w.open,
            &[admin_grant],
        )
        .await;
        let admin = w.server.session("adm").await;
        let lead = w.server.session("l").await;
        let closed = stored(&w.db, w.c.assessment).await.cycle_id;
        let form = |id: i64, version: i32, step: &str, reason: &str| {
            vec![
                ("id", id.to_string()),
                ("version", version.to_string()),
                ("step", step.to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        let call = |f: Vec<(&'static str, String)>, who: String| {
            let server = &w.server;
            async move { server.call("/api/cycle/move", &f, Some(&who)).await }
        };
        // Only an administrator moves a cycle.
        let (status, _) = call(form(w.open, 1, "advance", ""), lead.clone()).await;
        assert_eq!(status, 403);
        let (status, body) = call(form(w.open, 1, "advance", ""), admin.clone()).await;
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (200, "\"self_assessment\"")
        );
        // From an old version: refused.
        let (status, _) = call(form(w.open, 1, "advance", ""), admin.clone()).await;
        assert_eq!(status, 409);
        // Reopening: only a closed cycle, only with a reason.
        let (status, body) = call(form(w.open, 2, "reopen", "Sai sót"), admin.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"state\""), "{body}");
        let (status, body) = call(form(closed, 1, "reopen", " "), admin.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"reason\""), "{body}");
        let (status, body) = call(
            form(
                closed,
                1,
                "reopen",
                "Kết luận thanh tra số 12 sửa điểm kỳ 10",
            ),
            admin.clone(),
        )
        .await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "\"calibration\""));
        // The official submits their self-assessment once it is a draft (or returned).
        let own = w.server.session("a").await;
        let submit = |version: i32| {
            vec![
                ("id", w.a.assessment.to_string()),
                ("version", version.to_string()),
            ]
        };
        let (status, _) = w
            .server
            .call("/api/assessment/submit", &submit(1), Some(&own))
            .await;
        assert_eq!(status, 400, "already self-assessed");
        set_state(&w.db, w.a.assessment, AssessmentState::Draft).await;
        let (status, body) = w
            .server
            .call("/api/assessment/submit", &submit(1), Some(&own))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(stored(&w.db, w.a.assessment).await.state, "self_assessed");
        w.server.stop().await;
    }
);
