//! The feeds API over HTTP on the demo city, on SQLite and PostgreSQL: the demo's one-stop
//! integration has fed November; an integration writes only with its token, only for its
//! units, all or nothing with one error per bad value, idempotently; the key result bound to a
//! metric follows its feed and its unit's progress with it; a stale feed is flagged; a revoked
//! integration is refused; a batch of 10,000 values is taken; the API is rate limited; its
//! OpenAPI description is served, matches `docs/openapi.json` and reads at `/api/docs`.

mod common;

use app::ssr::entity::{key_result, metric_series, objective, unit_cycle_rollup, warning};
use app::ssr::service::{Actor, feeds};
use common::{TestServer, audited, demo_city, unit_id};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const OKR_CYCLE: i64 = 13;

async fn post(server: &TestServer, token: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = server
        .client
        .post(server.url("/api/v1/metric-values"))
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("POST");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn values(db: &DatabaseConnection) -> u64 {
    metric_series::Entity::find()
        .count(db)
        .await
        .expect("count")
}

/// The unit's key result bound to `metric` in the Q4 OKR cycle.
async fn bound(db: &DatabaseConnection, unit: i64, metric: &str) -> key_result::Model {
    let objective = objective::Entity::find()
        .filter(objective::Column::OwnerUnitId.eq(unit))
        .filter(objective::Column::CycleId.eq(OKR_CYCLE))
        .one(db)
        .await
        .expect("objective")
        .expect("the unit's objective");
    key_result::Entity::find()
        .filter(key_result::Column::ObjectiveId.eq(objective.id))
        .filter(key_result::Column::MetricKey.eq(metric))
        .one(db)
        .await
        .expect("key result")
        .expect("the bound key result")
}

async fn progress(db: &DatabaseConnection, unit: i64) -> Option<f64> {
    unit_cycle_rollup::Entity::find()
        .filter(unit_cycle_rollup::Column::UnitId.eq(unit))
        .filter(unit_cycle_rollup::Column::CycleId.eq(OKR_CYCLE))
        .one(db)
        .await
        .expect("rollup")
        .and_then(|r| r.avg_kr_progress)
}

fn one(metric: &str, unit: &str, date: &str, value: f64) -> Value {
    json!({ "metric": metric, "unit": unit, "date": date, "value": value })
}

on_both_databases!(
    an_integration_feeds_its_units_and_the_bound_key_results_follow,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;
        // The demo's one-stop integration sent November for every commune, moving their key
        // results; its public-service portal sent the year's service index.
        assert_eq!(audited(&db, "feed").await, 2);
        assert!(audited(&db, "feed_update").await >= 40);

        let ward = unit_id(&db, "HUE-X02").await;
        let created = feeds::create_client(
            &db,
            &Actor::system("test"),
            "Một cửa thử nghiệm",
            &[ward],
            chrono::Utc::now(),
        )
        .await
        .expect("client");
        let token = created.token.as_str();

        // The catalogue needs no token.
        let response = server
            .client
            .get(server.url("/api/v1/metrics"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200);
        let catalogue: Value = response.json().await.expect("json");
        let keys: Vec<&str> = catalogue
            .as_array()
            .expect("array")
            .iter()
            .map(|m| m["key"].as_str().expect("key"))
            .collect();
        assert!(keys.contains(&"procedures_on_time_rate") && keys.contains(&"service_index"));

        // Missing, malformed and wrong tokens are refused alike, with a translated text.
        let batch =
            json!({ "values": [one("procedures_on_time_rate", "HUE-X02", "2026-12-01", 91.0)] });
        let before = values(&db).await;
        for bad in [
            None,
            Some("not-a-token".to_owned()),
            Some(format!("tdk_{}_{}", created.id, "0".repeat(64))),
        ] {
            let (status, body) = post(&server, bad.as_deref(), &batch).await;
            assert_eq!(status, 401, "{body}");
            assert_eq!(body["error"], "unauthorized");
            assert!(
                body["text"].as_str().expect("text").contains("mã truy cập"),
                "{body}"
            );
        }

        // Outside its units, and bad values: one error per bad item, nothing written.
        let mixed = json!({ "values": [
            one("procedures_on_time_rate", "HUE-X02", "2026-12-01", 91.0),
            one("procedures_on_time_rate", "HUE-X03", "2026-12-01", 91.0),
            one("no_such_metric", "HUE-X02", "2026-12-01", 1.0),
            one("online_rate", "HUE-X02", "2026-12-01", 120.0),
            one("online_rate", "HUE-X02", "1/12/2026", 90.0),
        ]});
        let (status, body) = post(&server, Some(token), &mixed).await;
        assert_eq!(status, 422, "{body}");
        let errors: Vec<(u64, &str, &str)> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["index"].as_u64().expect("index"),
                    e["field"].as_str().expect("field"),
                    e["message"].as_str().expect("message"),
                )
            })
            .collect();
        assert_eq!(
            errors,
            vec![
                (1, "unit", "feed_outside_scope"),
                (2, "metric", "feed_unknown_metric"),
                (3, "value", "feed_out_of_range"),
                (4, "date", "feed_bad_date"),
            ]
        );
        assert!(
            body["errors"][0]["text"]
                .as_str()
                .expect("text")
                .contains("«Đơn vị»"),
            "{body}"
        );
        assert_eq!(
            values(&db).await,
            before,
            "nothing of a refused batch is written"
        );
        let (status, body) = post(&server, Some(token), &json!({ "rows": [] })).await;
        assert_eq!(status, 400, "{body}");

        // A good batch moves the bound key result and the unit's progress.
        let kr_before = bound(&db, ward, "procedures_on_time_rate").await;
        let progress_before = progress(&db, ward).await;
        let (status, body) = post(&server, Some(token), &batch).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["accepted"], 1);
        assert_eq!(body["key_results"], 1);
        assert_eq!(values(&db).await, before + 1);
        let kr = bound(&db, ward, "procedures_on_time_rate").await;
        assert!(
            (kr.current_value - 91.0).abs() < 1e-9,
            "{}",
            kr.current_value
        );
        assert_eq!(kr.version, kr_before.version + 1);
        let progress_after = progress(&db, ward).await;
        assert_ne!(
            progress_after, progress_before,
            "the unit's progress follows"
        );

        // The same batch again changes nothing; a corrected value moves it again.
        let (status, body) = post(&server, Some(token), &batch).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["key_results"], 0);
        assert_eq!(
            values(&db).await,
            before + 1,
            "idempotent by metric, unit and day"
        );
        let corrected =
            json!({ "values": [one("procedures_on_time_rate", "HUE-X02", "2026-12-01", 97.0)] });
        let (status, body) = post(&server, Some(token), &corrected).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["key_results"], 1);
        let kr = bound(&db, ward, "procedures_on_time_rate").await;
        assert!((kr.current_value - 97.0).abs() < 1e-9);
        assert_eq!(values(&db).await, before + 1);

        // Each write is audited under the integration's name.
        let entries = app::ssr::entity::audit_log::Entity::find()
            .filter(app::ssr::entity::audit_log::Column::Action.eq("feed"))
            .filter(
                app::ssr::entity::audit_log::Column::Actor
                    .eq(format!("api:{}:Một cửa thử nghiệm", created.id)),
            )
            .count(&db)
            .await
            .expect("count");
        assert_eq!(entries, 3);

        // A feed whose newest value is older than its frequency is flagged at once.
        let old = json!({ "values": [one("satisfaction_rate", "HUE-X02", "2026-01-31", 80.0)] });
        let (status, body) = post(&server, Some(token), &old).await;
        assert_eq!(status, 200, "{body}");
        let stale = warning::Entity::find()
            .filter(warning::Column::Rule.eq("metric_stale"))
            .filter(warning::Column::Subject.eq(format!("unit:{ward}:satisfaction_rate")))
            .count(&db)
            .await
            .expect("count");
        assert_eq!(stale, 1, "a quarterly feed silent since January is stale");

        // Revoked: refused at once.
        app::ssr::repo::api_clients::revoke(&db, created.id, 1, chrono::Utc::now())
            .await
            .expect("revoke");
        let (status, _) = post(&server, Some(token), &batch).await;
        assert_eq!(status, 401);
        server.stop().await;
    }
);

on_both_databases!(
    a_batch_of_ten_thousand_values_is_taken_whole,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;
        let city = unit_id(&db, "HUE").await;
        let created = feeds::create_client(
            &db,
            &Actor::system("test"),
            "Cổng DVC",
            &[city],
            chrono::Utc::now(),
        )
        .await
        .expect("client");
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let mut batch = Vec::with_capacity(10_000);
        for commune in 1..=40 {
            for metric in ["service_index", "online_rate"] {
                for day in 0..125 {
                    let date = start + chrono::Duration::days(day);
                    batch.push(one(
                        metric,
                        &format!("HUE-X{commune:02}"),
                        &date.to_string(),
                        80.0,
                    ));
                }
            }
        }
        let before = values(&db).await;
        let (status, body) = post(&server, Some(&created.token), &json!({ "values": batch })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["accepted"], 10_000);
        // The demo holds online_rate and service_index at the ends of January to April: those
        // 320 are replaced.
        assert_eq!(values(&db).await, before + 10_000 - 40 * 4 * 2);
        server.stop().await;
    }
);

on_both_databases!(the_api_is_rate_limited, |engine| async move {
    let Some(server) = TestServer::start(engine, false).await else {
        return;
    };
    let mut limited = None;
    for _ in 0..400 {
        let response = server
            .client
            .get(server.url("/api/v1/metrics"))
            .send()
            .await
            .expect("GET");
        if response.status() == 429 {
            limited = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            break;
        }
    }
    let wait: u64 = limited
        .expect("a 429 within 400 requests")
        .parse()
        .expect("seconds");
    assert!(wait >= 1);
    server.stop().await;
});

/// The description served is the one in `docs/openapi.json` (run with `UPDATE_OPENAPI=1` to
/// write it again after changing the API), is OpenAPI 3.1, and names every endpoint; the page
/// for people lists them in Vietnamese by default and in English on asking.
#[tokio::test]
async fn the_openapi_description_is_served_and_kept_in_docs() {
    let Some(server) = TestServer::start(common::Engine::Sqlite, false).await else {
        return;
    };
    let (status, served) = server.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    let served: Value = serde_json::from_str(&served).expect("json");
    assert_eq!(served["openapi"], "3.1.0");
    for path in ["/api/v1/metrics", "/api/v1/metric-values"] {
        assert!(served["paths"].get(path).is_some(), "{path}");
    }
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");
    let pretty = serde_json::to_string_pretty(&served).expect("json") + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(file, &pretty).expect("write docs/openapi.json");
    }
    let kept = std::fs::read_to_string(file).unwrap_or_default();
    assert!(
        kept == pretty,
        "docs/openapi.json differs from the served description: run UPDATE_OPENAPI=1 cargo test --test feeds"
    );
    let (status, page) = server.get("/api/docs").await;
    assert_eq!(status, 200);
    assert!(page.contains("API cho các hệ thống khác"), "{page}");
    assert!(page.contains("POST /api/v1/metric-values"));
    assert!(page.contains("Ghi một lô giá trị chỉ số"));
    let (_, english) = server
        .get_with("/api/docs", &[("cookie", "i18n_pref_locale=en")])
        .await;
    assert!(english.contains("API for other systems"), "{english}");
    server.stop().await;
}
