//! The public results of units over HTTP on the demo city, on SQLite and PostgreSQL: the city
//! lists its agencies and communes with their service index and rates; a commune's page shows
//! its metrics with their trend and the shares of levels of its closed cycles; no page names
//! an official (every name of a large and of a small unit searched for); a unit of fewer than
//! five people publishes no shares; pages need no sign-in nor JavaScript, are cacheable, in
//! Vietnamese or English, and rate limited; the unit's entries link to them.

mod common;

use app::ssr::entity::{official, org_unit};
use app::ssr::repo::{headcount, rollups, scope};
use chrono::Utc;
use common::{TestServer, demo_city, unit_id};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// The names of the active officials of a unit.
async fn names_in(db: &DatabaseConnection, unit: i64) -> Vec<String> {
    official::Entity::find()
        .select_only()
        .column(official::Column::FullName)
        .filter(official::Column::UnitId.eq(unit))
        .into_tuple()
        .all(db)
        .await
        .expect("names")
}

async fn page(
    server: &TestServer,
    path: &str,
    lang: &str,
) -> (u16, String, reqwest::header::HeaderMap) {
    let response = server
        .client
        .get(server.url(path))
        .header("cookie", format!("i18n_pref_locale={lang}"))
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, response.text().await.expect("body"), headers)
}

/// A new agency of the city with three officials moved into it from `from`, its closed
/// cycles' rollups rebuilt.
async fn small_unit(db: &DatabaseConnection, from: i64) -> i64 {
    let city = unit_id(db, "HUE").await;
    let unit = org_unit::ActiveModel {
        code: Set("HUE-NHO".into()),
        name: Set("Ban Quản lý nhỏ".into()),
        kind: Set("agency".into()),
        parent_id: Set(Some(city)),
        approved_headcount: Set(4),
        valid_from: Set(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date")),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("unit");
    let moved: Vec<i64> = official::Entity::find()
        .select_only()
        .column(official::Column::Id)
        .filter(official::Column::UnitId.eq(from))
        .order_by_asc(official::Column::Id)
        .limit(3)
        .into_tuple()
        .all(db)
        .await
        .expect("officials");
    official::Entity::update_many()
        .col_expr(
            official::Column::UnitId,
            sea_orm::sea_query::Expr::value(unit.id),
        )
        .filter(official::Column::Id.is_in(moved))
        .exec(db)
        .await
        .expect("move");
    scope::rebuild_units(db).await.expect("closure");
    headcount::rebuild(db).await.expect("headcount");
    for cycle in 1..=10 {
        rollups::rebuild_cycle(db, cycle, Utc::now())
            .await
            .expect("rollups");
    }
    unit.id
}

on_both_databases!(
    the_public_pages_show_unit_results_and_nobody_s_name,
    |engine| async move {
        let Some(server) = demo_city(engine).await else {
            return;
        };
        let db = server.db.connect().await;

        // Where a citizen starts: the city, without signing in.
        let (status, index, headers) = page(&server, "/public", "vi").await;
        assert_eq!(status, 200);
        assert!(index.contains("Kết quả công khai của các đơn vị"));
        assert!(index.contains("href=\"/public/units/HUE\""));
        assert_eq!(headers["cache-control"], "public, max-age=60");
        assert!(!index.contains("<script"), "the page needs no JavaScript");

        // The city: its agencies and communes, each with its service index and rates.
        let (status, city, _) = page(&server, "/public/units/HUE", "vi").await;
        assert_eq!(status, 200);
        assert!(city.contains("data-testid=\"public-units\""));
        assert!(city.contains("href=\"/public/units/HUE-X01\""));
        assert!(city.contains("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)"));
        assert!(city.contains("Trang 1 / 2"), "more units than one page");
        let (_, second, _) = page(&server, "/public/units/HUE?page=2", "vi").await;
        assert!(second.contains("Trang 2 / 2"));

        // A commune: its metrics with their trend, drawn, and its closed cycles' shares.
        let (status, commune, _) = page(&server, "/public/units/HUE-X01", "vi").await;
        assert_eq!(status, 200);
        for metric in ["service_index", "procedures_on_time_rate", "online_rate"] {
            assert!(
                commune.contains(&format!("data-metric=\"{metric}\"")),
                "{metric} listed"
            );
            assert!(
                commune.contains(&format!("data-testid=\"chart-public-{metric}\"")),
                "{metric} drawn"
            );
        }
        assert!(commune.contains("/ 100"), "the index out of 100");
        assert!(
            commune.contains("Tháng 10 năm 2026"),
            "the last closed month"
        );
        assert!(
            !commune.contains("Tháng 11 năm 2026"),
            "November is not closed"
        );
        assert!(commune.contains("HTXSNV (Hoàn thành xuất sắc nhiệm vụ)"));
        assert!(commune.contains("data-testid=\"chart-public-levels\""));
        assert!(!commune.contains("shares-withheld"));
        assert!(commune.contains("Hệ thống thông tin giải quyết thủ tục hành chính"));
        let x01 = unit_id(&db, "HUE-X01").await;
        for name in names_in(&db, x01).await {
            assert!(!commune.contains(&name), "{name} on the commune's page");
            assert!(!city.contains(&name), "{name} on the city's page");
        }

        // A unit of three: no shares, and none of its people's names.
        let from = unit_id(&db, "HUE-S01").await;
        let small = small_unit(&db, from).await;
        let names = names_in(&db, small).await;
        assert_eq!(names.len(), 3);
        let (status, small_page, _) = page(&server, "/public/units/HUE-NHO", "vi").await;
        assert_eq!(status, 200);
        assert!(small_page.contains("data-testid=\"shares-withheld\""));
        assert!(small_page.contains("Không công bố: dưới 5 người được xếp loại"));
        assert!(!small_page.contains("data-testid=\"chart-public-levels\""));
        assert!(
            small_page.contains("Chưa có số liệu chỉ số nào"),
            "its empty state"
        );
        for name in &names {
            assert!(!small_page.contains(name.as_str()), "{name} shown");
        }

        // In English, the same page in English words.
        let (_, english, _) = page(&server, "/public/units/HUE-X01", "en").await;
        assert!(english.contains("<html lang=\"en\""));
        assert!(english.contains("Service index for people and businesses (Decision 766)"));
        assert!(english.contains("Excellently"), "{english}");
        assert!(!english.contains("Chỉ số phục vụ"));

        // An unknown unit: a page that says so.
        let (status, missing, _) = page(&server, "/public/units/KHONG-CO", "vi").await;
        assert_eq!(status, 404);
        assert!(missing.contains("Không tìm thấy đơn vị này"));

        // The unit's entries link to its public page: the units list and its dashboard.
        let (_, home) = server.get("/").await;
        assert!(
            home.contains("href=\"/public\""),
            "the footer links the public results"
        );
        server.stop().await;
    }
);

on_both_databases!(the_public_pages_are_rate_limited, |engine| async move {
    let Some(server) = TestServer::start(engine, true).await else {
        return;
    };
    // 20 a second with bursts of 40: 80 at once are more than the burst.
    let mut limited = 0;
    let mut retry_after = None;
    for _ in 0..80 {
        let response = server
            .client
            .get(server.url("/public"))
            .send()
            .await
            .expect("GET");
        if response.status() == 429 {
            limited += 1;
            retry_after = response.headers().get("retry-after").cloned();
            let body = response.text().await.expect("body");
            assert!(body.contains("Xin đợi vài giây"), "{body}");
        }
    }
    assert!(limited > 0, "no request was limited");
    assert!(retry_after.is_some());
    server.stop().await;
});
