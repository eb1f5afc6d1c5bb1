//! The real server over HTTP, on SQLite and on PostgreSQL: SSR pages, a server function,
//! operational endpoints, the language switch.

mod common;

use common::{Engine, TestServer};

async fn started(engine: Engine) -> Option<TestServer> {
    TestServer::start(engine, true).await
}

on_both_databases!(
    home_page_is_server_rendered_in_vietnamese,
    |engine| async move {
        let Some(server) = started(engine).await else {
            return;
        };
        let (status, html) = server.get("/").await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"lang="vi""#), "html lang is vi");
        assert!(
            html.contains("<h1>Tổng quan đơn vị</h1>"),
            "Vietnamese heading rendered on the server"
        );
        assert!(
            html.contains("Phường An Cựu"),
            "units come from the database"
        );
        assert!(html.contains("56 đơn vị"), "count of demo units");
        assert_eq!(html.matches("<tr data-kind=").count(), 56);
        assert!(
            html.contains("/pkg/thuocdo.js"),
            "hydration script referenced"
        );
        server.stop().await;
    }
);

on_both_databases!(
    accept_language_does_not_override_vietnamese_default,
    |engine| async move {
        let Some(server) = started(engine).await else {
            return;
        };
        let (_, html) = server
            .get_with("/", &[("accept-language", "en-US,en;q=0.9")])
            .await;
        assert!(html.contains("<h1>Tổng quan đơn vị</h1>"));
        server.stop().await;
    }
);

on_both_databases!(language_cookie_switches_to_english, |engine| async move {
    let Some(server) = started(engine).await else {
        return;
    };
    let response = server
        .client
        .get(server.url("/locale/en?next=%2F%3Fkind%3Dagency"))
        .send()
        .await
        .expect("GET /locale/en");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/?kind=agency");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    let (_, html) = server
        .get_with("/?kind=agency", &[("cookie", "i18n_pref_locale=en")])
        .await;
    assert!(html.contains(r#"lang="en""#));
    assert!(html.contains("<h1>Units overview</h1>"));
    assert!(html.contains("14 units"), "only the 14 agencies");
    server.stop().await;
});

on_both_databases!(
    concurrent_pages_each_keep_their_own_language,
    |engine| async move {
        // Leptos keeps each page's reactive state per request; a page rendered in English at
        // the same moment must not lend its language to a Vietnamese one, or the reverse.
        let Some(server) = started(engine).await else {
            return;
        };
        let pages = ["/", "/login", "/?kind=agency", "/?kind=commune"];
        let mut tasks = tokio::task::JoinSet::new();
        for round in 0..160 {
            let english = round % 2 == 1;
            let mut request = server
                .client
                .get(server.url(pages[(round / 2) % pages.len()]));
            if english {
                request = request.header("cookie", "i18n_pref_locale=en");
            }
            tasks.spawn(async move {
                let html = request
                    .send()
                    .await
                    .expect("GET")
                    .text()
                    .await
                    .expect("body");
                (english, html)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (english, html) = joined.expect("task");
            let (lang, word, other) = if english {
                (r#"lang="en""#, "Sign in", "Đăng nhập")
            } else {
                (r#"lang="vi""#, "Đăng nhập", "Sign in")
            };
            assert!(html.contains(lang), "{lang} expected");
            assert!(
                html.contains(word) && !html.contains(other),
                "{lang}: mixed language"
            );
        }
        server.stop().await;
    }
);

on_both_databases!(
    language_switch_refuses_foreign_redirects_and_unknown_languages,
    |engine| async move {
        let Some(server) = started(engine).await else {
            return;
        };
        let response = server
            .client
            .get(server.url("/locale/vi?next=%2F%2Fevil.example"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.headers()["location"], "/");
        let (status, _) = server.get("/locale/fr").await;
        assert_eq!(status, 404);
        server.stop().await;
    }
);

on_both_databases!(server_function_lists_units_by_kind, |engine| async move {
    let Some(server) = started(engine).await else {
        return;
    };
    let response = server
        .client
        .post(server.url("/api/org/units"))
        .form(&[("kind", "commune")])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 200);
    let units: Vec<app::api::dto::OrgUnit> = response.json().await.expect("json");
    assert_eq!(units.len(), 40);
    assert!(
        units
            .iter()
            .all(|u| u.kind == app::api::dto::UnitKind::Commune)
    );
    assert!(units.iter().any(|u| u.name == "Phường Dương Nỗ"));
    server.stop().await;
});

on_both_databases!(server_function_rejects_get, |engine| async move {
    let Some(server) = started(engine).await else {
        return;
    };
    let (status, _) = server.get("/api/org/units").await;
    assert_eq!(status, 405);
    server.stop().await;
});

on_both_databases!(health_and_readiness, |engine| async move {
    let Some(server) = started(engine).await else {
        return;
    };
    assert_eq!(
        server.get("/healthz").await,
        (reqwest::StatusCode::OK, "ok".to_owned())
    );
    assert_eq!(
        server.get("/readyz").await,
        (reqwest::StatusCode::OK, "ready".to_owned())
    );
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("GET");
    let id = response
        .headers()
        .get("x-request-id")
        .expect("request id header");
    assert_eq!(id.to_str().expect("ascii").len(), 36, "a UUID per request");
    server.stop().await;
});

on_both_databases!(unknown_page_is_404, |engine| async move {
    let Some(server) = started(engine).await else {
        return;
    };
    let (status, html) = server.get("/khong-co").await;
    assert_eq!(status, 404);
    assert!(html.contains("Không tìm thấy trang bạn yêu cầu."));
    server.stop().await;
});

on_both_databases!(empty_database_shows_the_empty_state, |engine| async move {
    let Some(server) = TestServer::start(engine, false).await else {
        return;
    };
    let (status, html) = server.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Chưa có đơn vị nào."), "empty state");
    server.stop().await;
});

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone_but_liveness_holds() {
    let Some(server) = started(Engine::Postgres).await else {
        return;
    };
    assert_eq!(server.get("/readyz").await.0, 200);
    server.db.drop_now().await;
    let (status, body) = server.get("/readyz").await;
    assert_eq!(status, 503);
    assert_eq!(body, "database unavailable");
    assert_eq!(
        server.get("/healthz").await.0,
        200,
        "liveness does not depend on the database"
    );
    server.stop().await;
}
