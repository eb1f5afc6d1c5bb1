//! The leadership comparison over HTTP on the demo city, on SQLite and PostgreSQL: each reader
//! sees the units of their own scope only — the city's leadership all of them, a ward's leader
//! their ward, an official none — and the chart's downloads follow the same rule.

mod common;

use common::{TestServer, demo_city, demo_session};

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
        let Some(server) = demo_city(engine).await else {
            return;
        };
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
        let an_cuu_board: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(an_cuu_board["unit"]["name"], "Phường An Cựu");
        // Its service metrics up to the month's end, against the targets of its key results.
        let metrics = an_cuu_board["metrics"].as_array().expect("metrics");
        assert_eq!(metrics.len(), 2);
        assert_eq!(metrics[0]["key"], "procedures_on_time_rate");
        assert_eq!(metrics[0]["as_of"], "2026-11-30");
        assert_eq!(metrics[0]["latest"]["target"], 99.0);
        assert_eq!(metrics[1]["latest"]["target"], 96.0);
        assert_eq!(metrics[1]["chart"]["id"], "metric-online_rate");
        assert_eq!(
            metrics[1]["chart"]["rows"].as_array().map(Vec::len),
            Some(11)
        );
        // Its key results needing attention: every one listed is at risk or stale, the
        // worst first, and the counts cover them.
        let watch = an_cuu_board["watch"].as_array().expect("watch");
        assert!(!watch.is_empty(), "some key results are stale in the demo");
        assert!(
            watch
                .iter()
                .all(|k| k["at_risk"] == true || k["stale"] == true)
        );
        let rank = |k: &serde_json::Value| match (k["at_risk"] == true, k["stale"] == true) {
            (true, true) => 0,
            (true, false) => 1,
            _ => 2,
        };
        assert!(watch.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        let flagged = an_cuu_board["at_risk_key_results"].as_u64().unwrap_or(0)
            + an_cuu_board["stale_key_results"].as_u64().unwrap_or(0);
        assert!(flagged >= watch.len() as u64);
        assert!(an_cuu_board["key_results"].as_u64().unwrap_or(0) >= watch.len() as u64);
        // In the comparison, its latest rates against the same targets.
        assert_eq!(own["units"][0]["on_time"]["target"], 99.0);
        assert_eq!(
            own["units"][0]["online"]["value"],
            metrics[1]["latest"]["value"]
        );
        assert!(
            all["multiples"]["svg"]
                .as_str()
                .is_some_and(|s| s.contains("<title"))
        );
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
        // Their own charts — the score trend and each key result against its pace — but
        // nobody else's, page and download alike.
        let (_, me) = server.call("/api/me", &[], Some(&official)).await;
        let me: serde_json::Value = serde_json::from_str(&me).expect("me");
        let own_id = me["official_id"].as_i64().expect("canbo is an official");
        let form = |id: i64| vec![("id", id.to_string())];
        let (status, body) = server
            .call("/api/official-charts", &form(own_id), Some(&official))
            .await;
        assert_eq!(status, 200, "{body}");
        let charts: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert!(
            charts["trend"]["svg"]
                .as_str()
                .is_some_and(|s| s.contains("<title"))
        );
        let pace = charts["pace"].as_array().expect("pace charts");
        assert_eq!(
            pace.len(),
            2,
            "the demo gives each official two key results"
        );
        let pace_id = pace[0]["id"].as_str().expect("id").to_owned();
        assert!(pace_id.starts_with("pace-"));
        assert_eq!(pace[0]["headers"][0], "Ngày");
        assert!(!pace[0]["rows"].as_array().expect("rows").is_empty());
        let (status, csv) = server
            .get_with(
                &format!("/export/chart/{pace_id}.csv?official={own_id}"),
                &[("cookie", official.as_str())],
            )
            .await;
        assert_eq!(status, 200);
        assert!(csv.starts_with("Ngày,"), "{csv}");
        // The charts are kept until a write moves the unit's rollups: a check-in shows at
        // once as one more point against the pace.
        let (_, page) = server
            .call("/api/official", &form(own_id), Some(&official))
            .await;
        let page: serde_json::Value = serde_json::from_str(&page).expect("page");
        let kr = page["key_results"][0]["id"].to_string();
        let points =
            |charts: &serde_json::Value| charts["pace"][0]["rows"].as_array().map_or(0, Vec::len);
        let before = points(&charts);
        let (_, again) = server
            .call("/api/official-charts", &form(own_id), Some(&official))
            .await;
        assert_eq!(points(&serde_json::from_str(&again).expect("json")), before);
        let check_in = [
            ("key_result_id", kr),
            ("value", "100".to_owned()),
            ("confidence", "8".to_owned()),
            ("note", String::new()),
            ("evidence_url", String::new()),
        ];
        let (status, body) = server
            .call("/api/check-in", &check_in, Some(&official))
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, after) = server
            .call("/api/official-charts", &form(own_id), Some(&official))
            .await;
        assert_eq!(
            points(&serde_json::from_str(&after).expect("json")),
            before + 1
        );
        let someone_else = if own_id == 1 { 2 } else { 1 };
        let (status, _) = server
            .call("/api/official-charts", &form(someone_else), Some(&official))
            .await;
        assert_eq!(status, 403);
        let (status, _) = server
            .get_with(
                &format!("/export/chart/{pace_id}.csv?official={someone_else}"),
                &[("cookie", official.as_str())],
            )
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

on_both_databases!(
    the_demos_equalized_units_stand_out_with_their_evidence,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let city = demo_session(&server, "lanhdao").await;
        let all = compare(&server, Some(&city), &[]).await;
        let units = all["units"].as_array().expect("units");
        assert_eq!(units.len() as u64, all["total"].as_u64().expect("total"));
        let concentrated: Vec<(&str, &serde_json::Value)> = units
            .iter()
            .filter_map(|u| {
                let evidence = u["flags"]
                    .as_array()?
                    .iter()
                    .find_map(|f| f.get("Concentrated"))?;
                Some((u["name"].as_str()?, evidence))
            })
            .collect();
        let mut names: Vec<&str> = concentrated.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        // The three communes where everyone is rated excellent, and no other unit: not the
        // ward over the quota (its scores are as varied as anyone's), not the strong ones.
        assert_eq!(
            names,
            ["Phường Kim Trà", "Xã Khe Tre", "Xã Phú Hồ"],
            "{concentrated:?}"
        );
        for (name, evidence) in &concentrated {
            let top = evidence["top_percent"].as_u64().expect("top");
            let overall = evidence["overall_top_percent"].as_u64().expect("overall");
            assert!(top > overall, "{name}: {top} % against {overall} %");
            assert!(
                evidence["p_millionths"].as_u64().expect("p") < 10_000,
                "{name}"
            );
            let spread = evidence["spread_tenths"].as_u64().expect("spread");
            let overall = evidence["overall_spread_tenths"]
                .as_u64()
                .expect("overall spread");
            assert!(
                2 * spread < overall,
                "{name}: spread {spread} against {overall}"
            );
        }
        // Their reviewers too (each unit's leader reviews its people), and no other one.
        let check = &all["reviewers"];
        let flagged = check["flagged"].as_array().expect("flagged reviewers");
        let mut of_units: Vec<&str> = flagged.iter().filter_map(|r| r["unit"].as_str()).collect();
        of_units.sort_unstable();
        assert_eq!(
            of_units,
            ["Phường Kim Trà", "Xã Khe Tre", "Xã Phú Hồ"],
            "{check}"
        );
        assert!(check["judged"].as_u64().expect("judged") > 20, "{check}");
        assert_eq!(check["min_rated"], 10);
        for r in flagged {
            assert!(r["rated"].as_u64().expect("rated") >= 10, "{r}");
            assert_eq!(r["evidence"]["top_percent"], 100, "{r}");
        }
        // A unit's dashboard tests it and its reviewers against the province: Kim Trà stands
        // out, An Cựu (over the quota, its scores as varied as anyone's) does not.
        let id_of = |name: &str| {
            units
                .iter()
                .find(|u| u["name"] == name)
                .map(|u| u["unit_id"].to_string())
                .expect("compared")
        };
        for (name, expected) in [("Phường Kim Trà", 1), ("Phường An Cựu", 0)] {
            let (status, body) = server
                .call("/api/unit-dashboard", &[("id", id_of(name))], Some(&city))
                .await;
            assert_eq!(status, 200, "{body}");
            let d: serde_json::Value = serde_json::from_str(&body).expect("json");
            let concentrated = d["flags"]
                .as_array()
                .expect("flags")
                .iter()
                .filter(|f| f.get("Concentrated").is_some())
                .count();
            assert_eq!(concentrated, expected, "{name}: {}", d["flags"]);
            let reviewers = d["reviewers"]["flagged"].as_array().expect("reviewers");
            assert_eq!(reviewers.len(), expected, "{name}: {}", d["reviewers"]);
            assert_eq!(
                d["reviewers"]["judged"], 1,
                "{name}: one reviewer, its leader"
            );
        }
    }
);
