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
