//! The "in – out – up – down" board over HTTP on the demo city, on SQLite and PostgreSQL: the
//! organising committee and the leadership read it, no one else; it shows Thuận Hóa's surplus
//! and Dương Nỗ's shortage and suggests the move between them; a recorded transfer (audited)
//! moves the official from its effective date, their unit history follows, and the year's
//! classification in the new unit reads the periods they had in the old one; a transfer dated
//! ahead waits for its day; bad decisions are refused naming the field.

mod common;

use app::ssr::entity::{
    assessment, official, official_unit_history, org_unit, personnel_decision, warning,
};
use common::{audited, demo_city, demo_session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use serde_json::Value;

async fn unit_named(db: &DatabaseConnection, name: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Name.eq(name))
        .filter(org_unit::Column::ValidTo.is_null())
        .one(db)
        .await
        .expect("query")
        .expect(name)
}

fn decision(official: &str, kind: &str, to: &str, on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("official", official.to_owned()),
        ("kind", kind.to_owned()),
        ("to_unit", to.to_owned()),
        ("effective_on", on.to_owned()),
        ("reference", "215/QĐ-UBND".to_owned()),
        (
            "rationale",
            "Cân đối biên chế giữa các phường sau sắp xếp".to_owned(),
        ),
    ]
}

on_both_databases!(
    the_board_suggests_rebalancing_and_a_transfer_carries_the_periods,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;
        let (thuan_hoa, duong_no) = (
            unit_named(&db, "Phường Thuận Hóa").await,
            unit_named(&db, "Phường Dương Nỗ").await,
        );
        let organiser = demo_session(&server, "bantochuc").await;
        let (status, body) = server.call("/api/personnel", &[], Some(&organiser)).await;
        assert_eq!(status, 200, "{body}");
        let board: Value = serde_json::from_str(&body).expect("json");
        let gap = |id: i64| {
            board["staffing"]
                .as_array()
                .expect("staffing")
                .iter()
                .find(|s| s["unit_id"] == id)
                .and_then(|s| s["gap"].as_i64())
        };
        assert!(
            gap(thuan_hoa.id).is_some_and(|g| g > 0),
            "{}",
            board["staffing"]
        );
        assert!(gap(duong_no.id).is_some_and(|g| g < 0));
        let moves = board["transfers"].as_array().expect("transfers");
        assert!(
            moves
                .iter()
                .any(|m| m["from"][0] == thuan_hoa.id && m["to"][0] == duong_no.id),
            "{moves:?}"
        );
        // Candidates come with their periods' evidence.
        for c in board["candidates"].as_array().expect("candidates") {
            assert!(!c["periods"].as_array().expect("periods").is_empty(), "{c}");
        }
        // The demo's recorded decisions are listed.
        assert!(!board["decisions"].as_array().expect("decisions").is_empty());

        // Nobody else reads it.
        for other in ["canbo", "danhgia", "truongdonvi", "quantri"] {
            let cookie = demo_session(&server, other).await;
            let (status, _) = server.call("/api/personnel", &[], Some(&cookie)).await;
            assert_eq!(status, 403, "{other} reads the board");
            let (status, _) = server
                .call(
                    "/api/personnel/decide",
                    &decision("X", "transfer", "Y", "2026-12-01"),
                    Some(&cookie),
                )
                .await;
            assert_eq!(status, 403, "{other} decides");
        }

        // A transfer from Thuận Hóa to Dương Nỗ, effective today.
        let moved = official::Entity::find()
            .filter(official::Column::UnitId.eq(thuan_hoa.id))
            .filter(official::Column::Status.eq("active"))
            .one(&db)
            .await
            .expect("query")
            .expect("someone in Thuận Hóa");
        let months = assessment::Entity::find()
            .filter(assessment::Column::OfficialId.eq(moved.id))
            .count(&db)
            .await
            .expect("count");
        let today = chrono::Utc::now().date_naive().to_string();
        // A warning about them, read by the scope of its unit, follows them.
        warning::ActiveModel {
            rule: Set("official_down".into()),
            subject: Set(format!("official:{}", moved.id)),
            unit_id: Set(thuan_hoa.id),
            official_id: Set(Some(moved.id)),
            urgency: Set(100),
            rank: Set(100),
            evidence: Set("{}".into()),
            detected_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("a warning");
        let before = audited(&db, "decide").await;
        let (status, body) = server
            .call(
                "/api/personnel/decide",
                &decision(&moved.personnel_code, "transfer", &duong_no.code, &today),
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(audited(&db, "decide").await, before + 1);
        let now = official::Entity::find_by_id(moved.id)
            .one(&db)
            .await
            .expect("query")
            .expect("official");
        assert_eq!(now.unit_id, duong_no.id, "moved from its effective date");
        assert!(now.version > moved.version);
        let followed = warning::Entity::find()
            .filter(warning::Column::OfficialId.eq(moved.id))
            .all(&db)
            .await
            .expect("warnings");
        assert!(!followed.is_empty());
        assert!(
            followed.iter().all(|w| w.unit_id == duong_no.id),
            "the warnings follow the official to Dương Nỗ"
        );
        let open = official_unit_history::Entity::find()
            .filter(official_unit_history::Column::OfficialId.eq(moved.id))
            .filter(official_unit_history::Column::ToDate.is_null())
            .all(&db)
            .await
            .expect("history");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].unit_id, duong_no.id);
        // Their period results go with them.
        let carried = assessment::Entity::find()
            .filter(assessment::Column::OfficialId.eq(moved.id))
            .count(&db)
            .await
            .expect("count");
        assert_eq!(carried, months);
        // The year classified in Dương Nỗ: their line is there, from Thuận Hóa's months.
        let (status, body) = server
            .call(
                "/api/calibration/classify",
                &[("unit", duong_no.id.to_string()), ("cycle", "14".into())],
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = server
            .call(
                "/api/calibration",
                &[("unit", duong_no.id.to_string())],
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(&moved.full_name), "on Dương Nỗ's board");
        let year = assessment::Entity::find()
            .filter(assessment::Column::OfficialId.eq(moved.id))
            .filter(assessment::Column::CycleId.eq(14))
            .one(&db)
            .await
            .expect("query")
            .expect("the year's assessment");
        assert!(
            year.computed_score.is_some(),
            "scored from the months in Thuận Hóa"
        );

        // Dated ahead: recorded, waiting for its day.
        let other = official::Entity::find()
            .filter(official::Column::UnitId.eq(thuan_hoa.id))
            .filter(official::Column::Status.eq("active"))
            .one(&db)
            .await
            .expect("query")
            .expect("another in Thuận Hóa");
        let ahead = (chrono::Utc::now() + chrono::Duration::days(30)).date_naive();
        let (status, body) = server
            .call(
                "/api/personnel/decide",
                &decision(
                    &other.personnel_code,
                    "transfer",
                    &duong_no.code,
                    &ahead.to_string(),
                ),
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let waiting = personnel_decision::Entity::find()
            .filter(personnel_decision::Column::OfficialId.eq(other.id))
            .filter(personnel_decision::Column::AppliedAt.is_null())
            .count(&db)
            .await
            .expect("count");
        assert_eq!(waiting, 1);
        let still = official::Entity::find_by_id(other.id)
            .one(&db)
            .await
            .expect("q")
            .expect("o");
        assert_eq!(still.unit_id, thuan_hoa.id);
        let applied = app::ssr::service::personnel::apply_due(
            &db,
            chrono::Utc::now() + chrono::Duration::days(31),
        )
        .await
        .expect("apply");
        assert_eq!(applied, 1);
        assert!(
            audited(&db, "apply").await >= 2,
            "each application is audited"
        );
        let later = official::Entity::find_by_id(other.id)
            .one(&db)
            .await
            .expect("q")
            .expect("o");
        assert_eq!(later.unit_id, duong_no.id, "moved on its day");

        // Bad decisions change nothing and name the field.
        let cases = [
            (
                decision("NO-SUCH", "transfer", &duong_no.code, &today),
                "official",
            ),
            (decision(&now.personnel_code, "fire", "", &today), "kind"),
            (
                decision(&now.personnel_code, "transfer", &duong_no.code, &today),
                "to_unit",
            ),
            (
                decision(&now.personnel_code, "transfer", "", &today),
                "to_unit",
            ),
            (
                decision(&now.personnel_code, "promote", "", "01/12/2026"),
                "effective_on",
            ),
        ];
        let count = || personnel_decision::Entity::find().count(&db);
        let recorded = count().await.expect("count");
        for (form, field) in cases {
            let (status, body) = server
                .call("/api/personnel/decide", &form, Some(&organiser))
                .await;
            assert_eq!(status, 400, "{field}: {body}");
            assert!(
                body.contains(&format!("\"field\":\"{field}\"")),
                "{field}: {body}"
            );
        }
        let mut no_reference = decision(&now.personnel_code, "promote", "", &today);
        no_reference[4].1 = String::new();
        let (status, body) = server
            .call("/api/personnel/decide", &no_reference, Some(&organiser))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"reference\""), "{body}");
        assert_eq!(count().await.expect("count"), recorded);
        server.stop().await;
    }
);

fn rules_form(version: i64, values: [u32; 5]) -> Vec<(&'static str, String)> {
    let names = [
        "up_periods",
        "up_top_percent",
        "out_years",
        "down_years",
        "down_bottom_percent",
    ];
    let mut form = vec![("version", version.to_string())];
    form.extend(names.into_iter().zip(values.map(|v| v.to_string())));
    form
}

async fn board(server: &common::TestServer, cookie: &str) -> Value {
    let (status, body) = server.call("/api/personnel", &[], Some(cookie)).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn down_candidates(board: &Value) -> usize {
    board["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter(|c| c["candidacy"] == "down")
        .count()
}

on_both_databases!(
    the_city_organising_committee_sets_the_candidate_rules,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;
        let organiser = demo_session(&server, "bantochuc").await;
        let before = board(&server, &organiser).await;
        assert_eq!(before["may_edit_rules"], true);
        assert_eq!(before["rules_version"], 0, "the defaults");
        assert_eq!(before["rules"]["down_bottom_percent"], 5);

        // The leadership reads the board but the rules are the organising committee's; an
        // administrator reads neither.
        let leader = demo_session(&server, "lanhdao").await;
        assert_eq!(board(&server, &leader).await["may_edit_rules"], false);
        for who in [&leader, &demo_session(&server, "quantri").await] {
            let (status, _) = server
                .call(
                    "/api/personnel/rules",
                    &rules_form(0, [6, 10, 1, 3, 20]),
                    Some(who),
                )
                .await;
            assert_eq!(status, 403);
        }
        // Out of range, named; nothing stored.
        let (status, body) = server
            .call(
                "/api/personnel/rules",
                &rules_form(0, [6, 0, 1, 3, 20]),
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"up_top_percent\""), "{body}");
        assert_eq!(board(&server, &organiser).await["rules_version"], 0);

        // A wider bottom: more people at the bottom of the ranking, at once; audited.
        let updates = audited(&db, "update").await;
        let (status, body) = server
            .call(
                "/api/personnel/rules",
                &rules_form(0, [6, 10, 1, 3, 20]),
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(audited(&db, "update").await, updates + 1);
        let after = board(&server, &organiser).await;
        assert_eq!(after["rules_version"], 1);
        assert_eq!(after["rules"]["down_bottom_percent"], 20);
        assert!(
            down_candidates(&after) > down_candidates(&before),
            "{} then {}",
            down_candidates(&before),
            down_candidates(&after)
        );
        // Someone else's change in between: refused, the rules kept.
        let (status, _) = server
            .call(
                "/api/personnel/rules",
                &rules_form(0, [6, 10, 1, 3, 5]),
                Some(&organiser),
            )
            .await;
        assert_eq!(status, 409);
        assert_eq!(
            board(&server, &organiser).await["rules"]["down_bottom_percent"],
            20
        );
        let (status, _) = server
            .call(
                "/api/personnel/rules",
                &rules_form(1, [6, 10, 1, 3, 5]),
                None,
            )
            .await;
        assert_eq!(status, 401);
        server.stop().await;
    }
);
