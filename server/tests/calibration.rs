//! The year's calibration under the quota over HTTP on the demo city, on SQLite and
//! PostgreSQL: Phường An Cựu's year is over the quota; a move without a reason, an exception
//! without a reference and an approval over the quota are refused and change nothing; the
//! engine's proposals bring it within the quota; an override with a reason is audited; approval
//! locks the levels; an edit from an old version answers "changed by someone else"; only those
//! who may approve in the unit change it — never a group they are in — and only those who may
//! read it see it.

mod common;

use app::ssr::entity::{assessment, audit_log};
use common::{TestServer, demo_city, demo_session};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

async fn post(
    server: &TestServer,
    path: &str,
    form: &[(&str, String)],
    cookie: &str,
) -> (u16, String) {
    let (status, body) = server.call(path, form, Some(cookie)).await;
    (status.as_u16(), body)
}

async fn boards(server: &TestServer, unit: i64, cookie: &str) -> (u16, Value) {
    let (status, body) = post(
        server,
        "/api/calibration",
        &[("unit", unit.to_string())],
        cookie,
    )
    .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// The group of An Cựu's board that is over the quota: (id, version, the board).
fn over_quota(b: &Value) -> (i64, i64, Value) {
    let group = b["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["board"]["remove"].as_u64().unwrap_or(0) > 1)
        .max_by_key(|g| g["board"]["remove"].as_u64())
        .expect("a group over the quota by more than one")
        .clone();
    let id = group["id"].as_i64().expect("id");
    let version = group["version"].as_i64().expect("version");
    (id, version, group["board"].clone())
}

fn group_by_id(b: &Value, id: i64) -> (i64, Value) {
    let group = b["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["id"] == id)
        .expect("the group")
        .clone();
    (
        group["version"].as_i64().expect("version"),
        group["board"].clone(),
    )
}

on_both_databases!(
    the_organising_committee_calibrates_an_cuu_to_the_quota,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let committee = demo_session(&server, "bantochuc").await;
        // Phường An Cựu, through the ward leader's own comparison (their only unit).
        let ward = demo_session(&server, "truongdonvi").await;
        let (_, own) = server.call("/api/compare", &[], Some(&ward)).await;
        let own: Value = serde_json::from_str(&own).expect("json");
        let an_cuu = own["units"][0]["unit_id"].as_i64().expect("An Cựu");

        let (status, b) = boards(&server, an_cuu, &committee).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(b["cycle"], "2026");
        // The equalization detector: An Cựu's year is over the quota but its scores vary as
        // much as anyone's; Phường Kim Trà, where everyone is excellent, stands out, and so
        // does its reviewer, with the evidence.
        assert_eq!(b["equalized"], serde_json::json!([]), "{}", b["equalized"]);
        let (_, all) = server.call("/api/compare", &[], Some(&committee)).await;
        let all: Value = serde_json::from_str(&all).expect("json");
        let kim_tra = all["units"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["name"] == "Phường Kim Trà"))
            .and_then(|u| u["unit_id"].as_i64())
            .expect("Kim Trà");
        let (_, equal) = boards(&server, kim_tra, &committee).await;
        let found = equal["equalized"].as_array().expect("equalized");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0]["who"]["Unit"], "Phường Kim Trà");
        assert!(found[1]["who"]["Reviewer"].is_string(), "{found:?}");
        assert_eq!(found[0]["evidence"]["top_percent"], 100);
        assert_eq!(b["calibrating"], true);
        assert_eq!(b["may_calibrate"], true);
        let (group, version, board) = over_quota(&b);
        let remove = board["remove"].as_u64().expect("remove");
        let top = board["now"]["top"].as_u64().expect("top");
        let relative = board["now"]["relative"].as_u64().expect("relative");
        assert!(100 * top > 20 * relative, "over 20 %: {top} of {relative}");
        assert_eq!(
            board["proposals"].as_array().map(Vec::len),
            Some(remove as usize)
        );

        let db = server.db.connect().await;
        let versions = |group: i64, version: i64| {
            vec![
                ("group", group.to_string()),
                ("version", version.to_string()),
            ]
        };
        let someone = board["people"][0]["assessment_id"]
            .as_i64()
            .expect("person");

        // A move to another level without a reason: refused, nothing changed.
        let mut form = versions(group, version);
        form.extend([
            ("assessment", someone.to_string()),
            ("level", "HTNV".to_owned()),
            ("reason", "   ".to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"field\":\"reason\"") && body.contains("reason_required"),
            "{body}"
        );
        // An exception without its decision's reference: refused.
        let mut form = versions(group, version);
        form.extend([
            ("reference", String::new()),
            ("approved_by", "Chủ tịch UBND thành phố".to_owned()),
            ("max_percent", "40".to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/exception", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("\"field\":\"reference\"") && body.contains("required_value"),
            "{body}"
        );
        // Approval over the quota: refused.
        let form = versions(group, version);
        let (status, body) = post(&server, "/api/calibration/approve", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("over_quota"), "{body}");
        let (_, b) = boards(&server, an_cuu, &committee).await;
        assert_eq!(group_by_id(&b, group).0, version, "refusals change nothing");

        // Someone else may not: an official, a reviewer of another unit.
        for other in ["canbo", "danhgia"] {
            let cookie = demo_session(&server, other).await;
            let (status, _) = boards(&server, an_cuu, &cookie).await;
            assert_eq!(status, 403, "{other} reads An Cựu's board");
            let (status, _) = post(
                &server,
                "/api/calibration/accept",
                &versions(group, version),
                &cookie,
            )
            .await;
            assert_eq!(status, 403, "{other} calibrates An Cựu");
        }

        // The engine's proposals: within the quota, each demotion explained.
        let (status, body) = post(
            &server,
            "/api/calibration/accept",
            &versions(group, version),
            &committee,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, remove.to_string());
        let (_, b) = boards(&server, an_cuu, &committee).await;
        let (version, board) = group_by_id(&b, group);
        assert_eq!(board["remove"], 0);
        let demoted: Vec<&Value> = board["people"]
            .as_array()
            .expect("people")
            .iter()
            .filter(|p| p["before"] != p["now"])
            .collect();
        assert_eq!(demoted.len() as u64, remove);
        let first = demoted[0]["assessment_id"].as_i64().expect("id");
        let stored = assessment::Entity::find_by_id(first)
            .one(&db)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(stored.calibrated_level.as_deref(), Some("HTTNV"));
        assert!(
            stored
                .explanation
                .unwrap_or_default()
                .contains("quota.demoted")
        );

        // An override with a reason: one demoted person back up, the lowest kept one down.
        let reason = "Hoàn thành xuất sắc nhiệm vụ chuyển đổi số của phường";
        let mut form = versions(group, version);
        form.extend([
            ("assessment", first.to_string()),
            ("level", "HTXSNV".to_owned()),
            ("reason", reason.to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 200, "{body}");
        // The same form again, from the version before: someone else changed the board.
        let (status, _) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 409);
        let (_, b) = boards(&server, an_cuu, &committee).await;
        let (version, board) = group_by_id(&b, group);
        assert_eq!(board["remove"], 1, "one over again");
        // The proposal is the raised person again (lowest of those at the top); the council
        // moves the lowest of the others down instead.
        let index = board["proposals"][0]["index"].as_u64().expect("index") as usize;
        assert_eq!(board["people"][index]["assessment_id"], first);
        let next = board["people"]
            .as_array()
            .expect("people")
            .iter()
            .rev()
            .find(|p| p["now"] == "HTXSNV" && p["assessment_id"] != first)
            .and_then(|p| p["assessment_id"].as_i64())
            .expect("another at the top");
        let mut form = versions(group, version);
        form.extend([
            ("assessment", next.to_string()),
            ("level", "HTTNV".to_owned()),
            (
                "reason",
                "Hội đồng thống nhất thay cho người được giữ lại".to_owned(),
            ),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 200, "{body}");
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("calibration_move"))
            .all(&db)
            .await
            .expect("audit");
        assert_eq!(audited.len(), 2);
        assert!(
            audited
                .iter()
                .any(|a| a.after.as_deref().unwrap_or_default().contains(reason))
        );

        // Approval locks the levels.
        let (_, b) = boards(&server, an_cuu, &committee).await;
        let (version, board) = group_by_id(&b, group);
        assert_eq!(board["remove"], 0);
        let (status, body) = post(
            &server,
            "/api/calibration/approve",
            &versions(group, version),
            &committee,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (_, b) = boards(&server, an_cuu, &committee).await;
        let (version, _) = group_by_id(&b, group);
        let locked = b["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["id"] == group))
            .expect("group");
        assert!(locked["approved"]["by"].is_string(), "{locked}");
        let stored = assessment::Entity::find_by_id(first)
            .one(&db)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(stored.state, "approved");
        assert_eq!(stored.approved_level.as_deref(), Some("HTXSNV"));
        let mut form = versions(group, version);
        form.extend([
            ("assessment", first.to_string()),
            ("level", "HTTNV".to_owned()),
            ("reason", "Đổi ý".to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("calibration_locked"), "{body}");
        // The year's levels are not approved one by one.
        let (status, body) = post(
            &server,
            "/api/assessment/approve",
            &[
                ("id", next.to_string()),
                ("level", "HTTNV".to_owned()),
                ("version", "1".to_owned()),
            ],
            &committee,
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("decided_on_board"), "{body}");

        // The approved year prints: the unit's list and one official's form, as PDF with the
        // font embedded; an official not in the unit is not found; the export is audited.
        let unit_code = b["unit_code"].as_str().expect("unit code").to_owned();
        let person = locked["board"]["people"][0]["code"]
            .as_str()
            .expect("a person")
            .to_owned();
        let list = format!("/export/classification?unit={unit_code}&cycle=2026&format=pdf");
        for (path, file) in [
            (list.clone(), format!("xep-loai-{unit_code}-2026.pdf")),
            (
                format!("{list}&official={person}"),
                format!("xep-loai-{unit_code}-2026-{person}.pdf"),
            ),
        ] {
            let (status, headers, bytes) = download(&server, &path, &committee).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(headers.0, "application/pdf");
            assert!(headers.1.contains(&file), "{}", headers.1);
            assert!(bytes.starts_with(b"%PDF-"));
            assert!(String::from_utf8_lossy(&bytes).contains("/FontFile2"));
        }
        let (status, _, _) =
            download(&server, &format!("{list}&official=NO-ONE"), &committee).await;
        assert_eq!(status, 404);
        let exported = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("export"))
            .all(&db)
            .await
            .expect("audit");
        let ids: Vec<_> = exported
            .iter()
            .filter_map(|e| e.entity_id.clone())
            .collect();
        assert!(ids.contains(&format!("{unit_code}/2026")), "{ids:?}");
        assert!(
            ids.contains(&format!("{unit_code}/2026/{person}")),
            "{ids:?}"
        );
        // Someone who may not export the unit gets nothing.
        let official = demo_session(&server, "canbo").await;
        let (status, _, bytes) = download(&server, &list, &official).await;
        assert_eq!(status, 403);
        assert!(!bytes.starts_with(b"%PDF-"));
    }
);

/// GETs a file with a session: status, (content type, disposition) and the bytes.
async fn download(
    server: &TestServer,
    path: &str,
    cookie: &str,
) -> (u16, (String, String), Vec<u8>) {
    let response = server
        .client
        .get(server.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let headers = (header("content-type"), header("content-disposition"));
    let status = response.status().as_u16();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

on_both_databases!(
    the_ward_leader_calibrates_their_own_ward_and_records_an_exception,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let ward = demo_session(&server, "truongdonvi").await;
        let (_, own) = server.call("/api/compare", &[], Some(&ward)).await;
        let own: Value = serde_json::from_str(&own).expect("json");
        let an_cuu = own["units"][0]["unit_id"].as_i64().expect("An Cựu");
        let (status, b) = boards(&server, an_cuu, &ward).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(b["may_calibrate"], true);
        // Not the group they are in: their superior calibrates it.
        let mine = b["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["yours"] == true))
            .expect("the leader's own group");
        let form = vec![
            ("group", mine["id"].to_string()),
            ("version", mine["version"].to_string()),
        ];
        let (status, _) = post(&server, "/api/calibration/accept", &form, &ward).await;
        assert_eq!(status, 403, "the ward leader calibrates their own group");
        let (group, version, _) = over_quota(&b);
        assert_ne!(mine["id"], group);
        let form = vec![
            ("group", group.to_string()),
            ("version", version.to_string()),
            ("reference", "Quyết định 1234/QĐ-UBND".to_owned()),
            ("approved_by", "Chủ tịch UBND thành phố".to_owned()),
            ("max_percent", String::new()),
        ];
        let (status, body) = post(&server, "/api/calibration/exception", &form, &ward).await;
        assert_eq!(status, 200, "{body}");
        let (_, b) = boards(&server, an_cuu, &ward).await;
        let (_, board) = group_by_id(&b, group);
        assert_eq!(board["cap"], Value::Null, "the cap is lifted");
        assert_eq!(board["remove"], 0);
        assert_eq!(board["exception"]["reference"], "Quyết định 1234/QĐ-UBND");
        // Another ward's board is not theirs to change or read.
        let (_, all) = server
            .call(
                "/api/compare",
                &[],
                Some(&demo_session(&server, "lanhdao").await),
            )
            .await;
        let all: Value = serde_json::from_str(&all).expect("json");
        let other = all["units"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["name"] == "Xã Phú Hồ"))
            .and_then(|u| u["unit_id"].as_i64())
            .expect("Phú Hồ");
        let (status, _) = boards(&server, other, &ward).await;
        assert_eq!(status, 403);
    }
);

/// A cycle of Regulation 366 in 2026: a quarter (`period` 1–4, closed) or the year (`None`,
/// at its calibration step).
async fn party_cycle(db: &sea_orm::DatabaseConnection, period: Option<u32>) -> i64 {
    let date = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("date");
    let (code, period, state) = match period {
        Some(q) => (
            format!("366-2026-Q{q}"),
            common::CyclePeriod {
                kind: "quarter",
                number: i32::try_from(q).expect("quarter"),
                starts_on: date(3 * q - 2, 1),
                ends_on: date(3 * q, 28),
            },
            "closed",
        ),
        None => (
            "366-2026".to_owned(),
            common::CyclePeriod {
                kind: "year",
                number: 1,
                starts_on: date(1, 1),
                ends_on: date(12, 31),
            },
            "calibration",
        ),
    };
    common::cycle_of(db, &code, ("party-366-2025", "1.0.0"), period, state).await
}

on_both_databases!(
    regulation_366_goes_through_the_same_board_without_a_quota,
    |engine| async move {
        use app::domain::access::{Grant, Role};
        use sea_orm::{ActiveModelTrait, Set};
        let Some(server) = TestServer::start(engine, false).await else {
            return;
        };
        let db = server.db.connect().await;
        let p = common::unit(&db, "P", "province", None).await;
        let u = common::unit(&db, "P-U", "agency", Some(p)).await;
        let quarters = [
            party_cycle(&db, Some(1)).await,
            party_cycle(&db, Some(2)).await,
            party_cycle(&db, Some(3)).await,
            party_cycle(&db, Some(4)).await,
        ];
        let year = party_cycle(&db, None).await;
        // Their quarters: three members excellent for the year — the third only through the
        // fourth quarter, merged into the year (88, 88, 88, 96: a mean of 90) — two good, one
        // who only completed. Under Decree 335, three HTXSNV over two HTTNV would be over the
        // quota; Regulation 366 sets none.
        let scores = [
            ("CB1", [95.0, 95.0, 95.0, 95.0]),
            ("CB2", [92.0, 92.0, 92.0, 92.0]),
            ("CB3", [88.0, 88.0, 88.0, 96.0]),
            ("CB4", [80.0, 80.0, 80.0, 80.0]),
            ("CB5", [75.0, 78.0, 80.0, 82.0]),
            ("CB6", [60.0, 60.0, 60.0, 60.0]),
        ];
        let now = chrono::Utc::now();
        for (code, marks) in scores {
            let official = common::official(&db, code, &format!("Đảng viên {code}"), u, None).await;
            for (cycle, score) in quarters.iter().zip(marks) {
                assessment::ActiveModel {
                    official_id: Set(official),
                    cycle_id: Set(*cycle),
                    computed_score: Set(Some(score)),
                    state: Set("approved".into()),
                    notes: Set(String::new()),
                    version: Set(1),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .expect("a quarter's assessment");
            }
        }
        let grant = |role, unit_id| Grant { role, unit_id };
        common::create_account(&db, "tochuc", None, &[grant(Role::Organiser, p)]).await;
        common::create_account(&db, "cb1", None, &[grant(Role::Official, u)]).await;
        let committee = common::session_at(&server.client, &server.base, "tochuc").await;

        let form = [("unit", u.to_string()), ("cycle", year.to_string())];
        let (status, body) = post(&server, "/api/calibration/classify", &form, &committee).await;
        assert_eq!((status, body.as_str()), (200, "6"));
        let (status, b) = boards(&server, u, &committee).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(b["cycle"], "366-2026");
        assert_eq!(b["allows_exception"], false);
        let groups = b["groups"].as_array().expect("groups");
        assert_eq!(groups.len(), 1, "{b}");
        let (group, version) = (
            groups[0]["id"].as_i64().expect("id"),
            groups[0]["version"].as_i64().expect("version"),
        );
        let board = &groups[0]["board"];
        assert_eq!(board["quota"], false);
        assert_eq!(board["cap"], Value::Null);
        assert_eq!(board["remove"], 0);
        assert_eq!(board["proposals"], serde_json::json!([]));
        assert_eq!(board["now"]["top"], 3, "{board}");
        assert_eq!(board["now"]["relative"], 2, "{board}");
        let person = |code: &str| {
            board["people"]
                .as_array()
                .and_then(|people| people.iter().find(|p| p["code"] == code))
                .cloned()
                .expect("on the board")
        };
        let third = person("CB3");
        assert_eq!(third["score"], 90.0);
        assert_eq!(third["before"], "HTXSNV");
        let third_id = third["assessment_id"].as_i64().expect("id");
        let stored = assessment::Entity::find_by_id(third_id)
            .one(&db)
            .await
            .expect("read")
            .expect("row");
        let explanation = stored.explanation.unwrap_or_default();
        assert!(
            explanation.contains("period.merged_into_year"),
            "{explanation}"
        );

        let versions = |version: i64| {
            vec![
                ("group", group.to_string()),
                ("version", version.to_string()),
            ]
        };
        // Nothing to accept, no exception to record.
        let (status, body) = post(
            &server,
            "/api/calibration/accept",
            &versions(version),
            &committee,
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("nothing_to_remove"), "{body}");
        let mut form = versions(version);
        form.extend([
            ("reference", "Quyết định 1/QĐ".to_owned()),
            ("approved_by", "Bí thư".to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/exception", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("exception_not_allowed"), "{body}");
        // A move still needs its reason.
        let mut form = versions(version);
        form.extend([
            ("assessment", third_id.to_string()),
            ("level", "HTTNV".to_owned()),
            ("reason", String::new()),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("reason_required"), "{body}");
        // A member of the unit may not calibrate it.
        let member = common::session_at(&server.client, &server.base, "cb1").await;
        let (status, _) = post(
            &server,
            "/api/calibration/approve",
            &versions(version),
            &member,
        )
        .await;
        assert_eq!(status, 403);
        let reason = "Chi ủy xét: quý I–III chỉ hoàn thành tốt";
        form.pop();
        form.push(("reason", reason.to_owned()));
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 200, "{body}");
        // Approval locks the levels as they stand.
        let (status, body) = post(
            &server,
            "/api/calibration/approve",
            &versions(version + 1),
            &committee,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let stored = assessment::Entity::find_by_id(third_id)
            .one(&db)
            .await
            .expect("read")
            .expect("row");
        assert_eq!(stored.approved_level.as_deref(), Some("HTTNV"));
        assert_eq!(stored.calibration_reason.as_deref(), Some(reason));
        assert_eq!(stored.state, "approved");
        let (_, b) = boards(&server, u, &committee).await;
        assert!(b["groups"][0]["approved"].is_object(), "{b}");
        let mut form = versions(version + 2);
        form.extend([
            ("assessment", third_id.to_string()),
            ("level", "HTXSNV".to_owned()),
            ("reason", reason.to_owned()),
        ]);
        let (status, body) = post(&server, "/api/calibration/move", &form, &committee).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("calibration_locked"), "{body}");
        server.stop().await;
    }
);
