//! The leadership comparison over HTTP on the demo city, on SQLite and PostgreSQL: each reader
//! sees the units of their own scope only — the city's leadership all of them, a ward's leader
//! their ward, an official none — and the chart's downloads follow the same rule.

mod common;

use common::TestServer;

async fn compare(
    server: &TestServer,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> serde_json::Value {
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    let (status, body) = server.call("/api/compare", &form, cookie).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

/// Signs in with the demo accounts' password.
async fn demo_session(server: &TestServer, username: &str) -> String {
    let (_, location, cookie) = server.login_as(username, "demo-thuocdo-2026", None).await;
    cookie.unwrap_or_else(|| panic!("{username} could not sign in: {location}"))
}

fn names(c: &serde_json::Value) -> Vec<String> {
    c["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both_databases!(
    each_reader_compares_the_units_of_their_scope_only,
    |engine| async move {
        let Some(server) = TestServer::start(engine, false).await else {
            return;
        };
        let db = server.db.connect().await;
        server::seed::demo(&db, app::ssr::auth::password::Cost::TestOnly)
            .await
            .expect("demo city");
        let city = demo_session(&server, "lanhdao").await;
        let all = compare(&server, Some(&city), &[]).await;
        assert_eq!(all["cycle"], "2026-11", "the latest month with scores");
        let total = all["total"].as_u64().expect("total");
        assert!(total > 40, "{total} units in the city");
        assert!(names(&all).iter().any(|n| n == "Phường An Cựu"));
        assert!(
            all["distribution"]["svg"]
                .as_str()
                .is_some_and(|s| s.contains("<title"))
        );
        // Best first, tiers from 1.
        assert_eq!(all["units"][0]["tier"], 1);
        assert_eq!(all["best"][0], all["units"][0]["name"]);

        // A ward's leader: their ward, however they filter.
        let ward = demo_session(&server, "truongdonvi").await;
        let own = compare(&server, Some(&ward), &[]).await;
        assert_eq!(names(&own), ["Phường An Cựu"]);
        let city_id = all["units"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["kind"] == "province"))
            .map(|u| u["unit_id"].to_string())
            .expect("the city is compared");
        let widened = compare(&server, Some(&ward), &[("parent", city_id.as_str())]).await;
        assert_eq!(names(&widened), ["Phường An Cựu"]);

        // A unit's dashboard: the ward's leader opens their ward, not another one (refused).
        let an_cuu = own["units"][0]["unit_id"].to_string();
        let (status, body) = server
            .call(
                "/api/unit-dashboard",
                &[("id", an_cuu.clone())],
                Some(&ward),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("Phường An Cựu"));
        let other = all["units"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["name"] == "Phường Thuận Hóa"))
            .map(|u| u["unit_id"].to_string())
            .expect("Thuận Hóa");
        let (status, _) = server
            .call("/api/unit-dashboard", &[("id", other.clone())], Some(&ward))
            .await;
        assert_eq!(status, 403);
        let (status, _) = server
            .get_with(
                &format!("/export/chart/levels.csv?unit={other}"),
                &[("cookie", ward.as_str())],
            )
            .await;
        assert_eq!(status, 403);
        let (status, body) = server
            .call("/api/unit-dashboard", &[("id", other)], Some(&city))
            .await;
        assert_eq!(status, 200);
        let thuan_hoa: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(thuan_hoa["gap"], 11);
        assert_eq!(thuan_hoa["merged_from"].as_array().map(Vec::len), Some(6));

        // An official reads no whole unit: nothing to compare.
        let official = demo_session(&server, "canbo").await;
        assert_eq!(compare(&server, Some(&official), &[]).await["total"], 0);
        // Their own score trend, but nobody else's.
        let (_, me) = server.call("/api/me", &[], Some(&official)).await;
        let me: serde_json::Value = serde_json::from_str(&me).expect("me");
        let own_id = me["official_id"].as_i64().expect("canbo is an official");
        let form = |id: i64| vec![("id", id.to_string())];
        let (status, body) = server
            .call("/api/official-trend", &form(own_id), Some(&official))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("<title"), "a chart: {body}");
        let someone_else = if own_id == 1 { 2 } else { 1 };
        let (status, _) = server
            .call("/api/official-trend", &form(someone_else), Some(&official))
            .await;
        assert_eq!(status, 403);

        // Nobody signed in: refused, page and download alike.
        let (status, _) = server.call("/api/compare", &[], None).await;
        assert_eq!(status, 401);
        let (status, _) = server.get("/export/chart/score-bands.csv").await;
        assert_eq!(status, 401);
        let (status, csv) = server
            .get_with(
                "/export/chart/score-bands.csv?cycle=2026-11",
                &[("cookie", city.as_str())],
            )
            .await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("Khoảng điểm,Số đơn vị\r\n"), "{csv}");
        server.stop().await;
    }
);
