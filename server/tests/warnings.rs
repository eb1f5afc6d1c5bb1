//! Early warning over HTTP on the demo city, on SQLite and PostgreSQL: the list worked out
//! when the demo is loaded holds its stale and behind key results; each reader sees the items
//! of their own scope only (an official their own, a reviewer their officials', a ward's
//! leader their ward's, the city's leadership all), the most urgent first; a leader
//! acknowledges an item (audited) and it leaves the top, an official may not; the rules are
//! changed by an administrator only, each value within its range, a stale version refused,
//! and the list is worked out again with them.

mod common;

use common::{TestServer, audited, demo_city, demo_session};
use serde_json::Value;

async fn list(server: &TestServer, cookie: &str, form: &[(&str, &str)]) -> Value {
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let (status, body) = server.call("/api/warnings", &form, Some(cookie)).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn count(page: &Value, rule: &str) -> u64 {
    page["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c[0] == rule)
        .and_then(|c| c[1].as_u64())
        .unwrap_or(0)
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn rules_form(version: i64, grace_days: u32, pace_lag: u32) -> Vec<(&'static str, String)> {
    let values = [
        ("version", version.to_string()),
        ("pace_lag_percent", pace_lag.to_string()),
        ("not_started_days", "7".into()),
        ("check_in_every_days", "30".into()),
        ("metric_every_days", "31".into()),
        ("grace_days", grace_days.to_string()),
        ("self_due_days", "3".into()),
        ("review_late_days", "0".into()),
        ("trend_falls", "2".into()),
        ("spc_min_points", "12".into()),
        ("spc_run", "6".into()),
        ("spc_sigmas", "3".into()),
    ];
    values.to_vec()
}

on_both_databases!(
    each_reader_sees_the_warnings_of_their_scope_most_urgent_first,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let city = demo_session(&server, "lanhdao").await;
        let all = list(&server, &city, &[]).await;
        assert!(
            count(&all, "stale") > 0,
            "the demo's stale key results: {}",
            all["counts"]
        );
        assert!(
            count(&all, "behind") + count(&all, "not_started") > 0,
            "{}",
            all["counts"]
        );
        assert!(all["may_acknowledge"].as_bool().expect("flag"));
        assert!(!all["may_edit_rules"].as_bool().expect("flag"));
        let urgencies: Vec<i64> = items(&all)
            .iter()
            .map(|i| i["urgency"].as_i64().expect("urgency"))
            .collect();
        assert!(urgencies.windows(2).all(|w| w[0] >= w[1]), "{urgencies:?}");
        assert_eq!(items(&all).len(), 50, "a page of 50");
        // Each item says why, with its evidence and a link.
        let first = &items(&all)[0];
        assert!(first["evidence"]["kind"].is_string(), "{first}");
        assert!(first["link"].as_str().is_some_and(|l| l.starts_with('/')));

        // One rule only; an unknown rule is refused naming the field.
        let stale = list(&server, &city, &[("rule", "stale")]).await;
        assert!(items(&stale).iter().all(|i| i["rule"] == "stale"));
        let (status, body) = server
            .call("/api/warnings", &[("rule", "bogus".into())], Some(&city))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"rule\""), "{body}");

        // A ward's leader: their ward's items only.
        let ward = demo_session(&server, "truongdonvi").await;
        let own = list(&server, &ward, &[]).await;
        assert!(!items(&own).is_empty());
        assert!(
            items(&own)
                .iter()
                .all(|i| i["unit_name"] == "Phường An Cựu")
        );
        // An official: their own only, and no acknowledging.
        let official = demo_session(&server, "canbo").await;
        let mine = list(&server, &official, &[]).await;
        assert!(!mine["may_acknowledge"].as_bool().expect("flag"));
        let me = items(&mine).first().map(|i| i["official"][0].clone());
        assert!(
            items(&mine)
                .iter()
                .all(|i| Some(i["official"][0].clone()) == me)
        );
        // A reviewer: the officials assigned to them (their own items aside).
        let reviewer = demo_session(&server, "danhgia").await;
        let reviewed = list(&server, &reviewer, &[]).await;
        let total = |p: &Value| -> u64 {
            p["counts"]
                .as_array()
                .expect("c")
                .iter()
                .map(|c| c[1].as_u64().unwrap_or(0))
                .sum()
        };
        assert!(total(&reviewed) < total(&all));

        // The leadership acknowledges the most urgent item: it leaves the top, audited.
        let id = first["id"].to_string();
        let before = audited(&server.db.connect().await, "acknowledge").await;
        let (status, body) = server
            .call(
                "/api/warnings/acknowledge",
                &[
                    ("id", id.clone()),
                    ("note", "Đã nhắc, hẹn cập nhật trước 25/11".into()),
                ],
                Some(&city),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            audited(&server.db.connect().await, "acknowledge").await,
            before + 1
        );
        let again = list(&server, &city, &[]).await;
        assert_ne!(items(&again)[0]["id"].to_string(), id);
        let last = list(&server, &city, &[("page", "1000")]).await;
        let acknowledged = items(&last)
            .iter()
            .find(|i| i["id"] == first["id"])
            .expect("on the last page");
        assert_eq!(
            acknowledged["acknowledged"][2],
            "Đã nhắc, hẹn cập nhật trước 25/11"
        );
        // Not twice; not by the official; a note within its limit.
        let (status, _) = server
            .call(
                "/api/warnings/acknowledge",
                &[("id", id.clone())],
                Some(&city),
            )
            .await;
        assert_eq!(status, 404);
        if let Some(own_item) = items(&mine).first() {
            let (status, _) = server
                .call(
                    "/api/warnings/acknowledge",
                    &[("id", own_item["id"].to_string())],
                    Some(&official),
                )
                .await;
            assert_eq!(
                status, 404,
                "an official does not acknowledge their own warning"
            );
        }
        let (status, body) = server
            .call(
                "/api/warnings/acknowledge",
                &[
                    ("id", items(&again)[0]["id"].to_string()),
                    ("note", "x".repeat(1001)),
                ],
                Some(&city),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"note\""), "{body}");

        // The rules: the administrator only, within range, the version read.
        let admin = demo_session(&server, "quantri").await;
        let (status, _) = server
            .call("/api/warnings/rules", &rules_form(0, 7, 25), Some(&city))
            .await;
        assert_eq!(status, 403);
        let (status, body) = server
            .call("/api/warnings/rules", &rules_form(0, 7, 0), Some(&admin))
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("\"field\":\"pace_lag_percent\""), "{body}");
        // A year's grace and no pace limit: nothing stale or behind any more.
        let (status, body) = server
            .call(
                "/api/warnings/rules",
                &rules_form(0, 366, 100),
                Some(&admin),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = server
            .call("/api/warnings/rules", &rules_form(0, 10, 25), Some(&admin))
            .await;
        assert_eq!(status, 409, "a stale version is someone else's change");
        let relaxed = list(&server, &city, &[]).await;
        assert_eq!(count(&relaxed, "stale"), 0, "{}", relaxed["counts"]);
        assert_eq!(count(&relaxed, "behind"), 0, "{}", relaxed["counts"]);
        assert_eq!(relaxed["rules"]["grace_days"], 366);
        assert_eq!(relaxed["rules_version"], 1);

        // Nobody signed in: nothing.
        let (status, _) = server.call("/api/warnings", &[], None).await;
        assert_eq!(status, 401);
        server.stop().await;
    }
);

on_both_databases!(
    a_check_in_clears_its_key_results_stale_warning_at_once,
    |engine| async move {
        use app::ssr::entity::{account, cycle, key_result, objective, warning};
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;
        let now = chrono::Utc::now();
        let today = now.date_naive();
        let me = account::Entity::find()
            .filter(account::Column::Username.eq("canbo"))
            .one(&db)
            .await
            .expect("query")
            .and_then(|a| a.official_id)
            .expect("canbo is an official");
        // Their key result of a cycle in progress, last checked in four months ago.
        let running: Vec<i64> = cycle::Entity::find()
            .filter(cycle::Column::StartsOn.lte(today))
            .filter(cycle::Column::EndsOn.gte(today))
            .all(&db)
            .await
            .expect("cycles")
            .into_iter()
            .map(|c| c.id)
            .collect();
        let objectives: Vec<i64> = objective::Entity::find()
            .filter(objective::Column::OwnerOfficialId.eq(me))
            .filter(objective::Column::CycleId.is_in(running))
            .all(&db)
            .await
            .expect("objectives")
            .into_iter()
            .map(|o| o.id)
            .collect();
        let kr = key_result::Entity::find()
            .filter(key_result::Column::ObjectiveId.is_in(objectives))
            .one(&db)
            .await
            .expect("query")
            .expect("a key result in progress");
        key_result::Entity::update_many()
            .col_expr(
                key_result::Column::LastCheckInAt,
                Expr::value(now - chrono::Duration::days(120)),
            )
            .filter(key_result::Column::Id.eq(kr.id))
            .exec(&db)
            .await
            .expect("made stale");
        app::ssr::service::warnings::refresh(&db, now)
            .await
            .expect("worked out");
        let stale = || {
            warning::Entity::find()
                .filter(warning::Column::Rule.eq("stale"))
                .filter(warning::Column::KeyResultId.eq(kr.id))
                .all(&db)
        };
        assert_eq!(stale().await.expect("q").len(), 1, "stale before");
        let official = demo_session(&server, "canbo").await;
        let theirs = list(&server, &official, &[("rule", "stale")]).await;
        assert!(
            items(&theirs)
                .iter()
                .any(|i| i["key_result"] == kr.title.as_str()),
            "on the official's own list"
        );
        let (status, body) = server
            .call(
                "/api/check-in",
                &[
                    ("key_result_id", kr.id.to_string()),
                    ("value", kr.current_value.to_string()),
                    ("confidence", "7".into()),
                    ("note", "Đã cập nhật".into()),
                    ("evidence_url", String::new()),
                ],
                Some(&official),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            stale().await.expect("q").is_empty(),
            "the check-in cleared it without waiting for the next working-out"
        );
        server.stop().await;
    }
);
