//! The demo city and the national-scale seeder, on SQLite and PostgreSQL.

mod common;

use app::ssr::entity::{assessment, cycle, key_result, official, official_unit_history, org_unit};
use common::TestDb;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

async fn migrated(engine: common::Engine) -> Option<(TestDb, DatabaseConnection)> {
    let test_db = TestDb::create(engine).await?;
    let db = test_db.connect().await;
    Migrator::up(&db, None).await.expect("migrate");
    Some((test_db, db))
}

async fn unit_named(db: &DatabaseConnection, name: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Name.eq(name))
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("unit {name}"))
}

async fn officials_in(db: &DatabaseConnection, unit_id: i64) -> u64 {
    official::Entity::find()
        .filter(official::Column::UnitId.eq(unit_id))
        .count(db)
        .await
        .expect("count")
}

on_both_databases!(
    demo_city_has_the_shape_leaders_ask_about,
    |engine| async move {
        let Some((test_db, db)) = migrated(engine).await else {
            return;
        };
        let officials = server::seed::demo_if_empty(&db, app::ssr::auth::password::Cost::TestOnly)
            .await
            .expect("demo");
        assert!(
            (1800..=2200).contains(&officials),
            "about 2,000 officials, got {officials}"
        );
        assert_eq!(
            server::seed::demo_if_empty(&db, app::ssr::auth::password::Cost::TestOnly)
                .await
                .expect("again"),
            0,
            "loads only into an empty database"
        );

        // 14 agencies and 40 communes/wards, current; six former wards kept as history.
        let current = |kind: &'static str| {
            org_unit::Entity::find()
                .filter(org_unit::Column::Kind.eq(kind))
                .filter(org_unit::Column::ValidTo.is_null())
                .count(&db)
        };
        assert_eq!(current("agency").await.expect("count"), 14);
        assert_eq!(current("commune").await.expect("count"), 40);
        let thuan_hoa = unit_named(&db, "Phường Thuận Hóa").await;
        let former = org_unit::Entity::find()
            .filter(org_unit::Column::MergedIntoId.eq(thuan_hoa.id))
            .all(&db)
            .await
            .expect("former wards");
        assert_eq!(former.len(), 6);
        assert!(former.iter().all(|u| u.valid_to.is_some()));

        // The merged ward's staff carry their history; it is over headcount, Dương Nỗ short.
        let staff = officials_in(&db, thuan_hoa.id).await;
        assert!(
            staff > u64::try_from(thuan_hoa.approved_headcount).expect("positive"),
            "surplus in Thuận Hóa"
        );
        let duong_no = unit_named(&db, "Phường Dương Nỗ").await;
        assert!(
            officials_in(&db, duong_no.id).await
                < u64::try_from(duong_no.approved_headcount).expect("positive")
        );
        let someone = official::Entity::find()
            .filter(official::Column::UnitId.eq(thuan_hoa.id))
            .one(&db)
            .await
            .expect("query")
            .expect("an official");
        let history = official_unit_history::Entity::find()
            .filter(official_unit_history::Column::OfficialId.eq(someone.id))
            .order_by_asc(official_unit_history::Column::FromDate)
            .all(&db)
            .await
            .expect("history");
        assert_eq!(history.len(), 2);
        assert!(former.iter().any(|u| u.id == history[0].unit_id));

        // A year of monthly cycles plus the quarter's OKR cycle; assessments computed by the engine.
        assert_eq!(
            cycle::Entity::find()
                .filter(cycle::Column::PeriodKind.eq("month"))
                .count(&db)
                .await
                .expect("n"),
            12
        );
        let october = cycle::Entity::find()
            .filter(cycle::Column::Code.eq("2026-10"))
            .one(&db)
            .await
            .expect("q")
            .expect("cycle");
        let rows = assessment::Entity::find()
            .filter(assessment::Column::CycleId.eq(october.id))
            .all(&db)
            .await
            .expect("rows");
        assert_eq!(rows.len(), officials);
        assert!(
            rows.iter()
                .all(|a| a.explanation.as_deref().is_some_and(|e| e.starts_with('{')))
        );
        let levels: std::collections::BTreeSet<_> = rows
            .iter()
            .filter_map(|a| a.approved_level.clone())
            .collect();
        assert_eq!(levels.len(), 4, "all four levels occur: {levels:?}");

        // Equalized units: everyone excellent.
        let equalized = unit_named(&db, "Xã Khe Tre").await;
        let rollups = app::ssr::repo::rollups::for_cycle(&db, october.id)
            .await
            .expect("rollups");
        let (_, summary) = rollups
            .iter()
            .find(|(unit, _)| *unit == equalized.id)
            .expect("rollup of Khe Tre");
        assert_eq!(summary.htxsnv, summary.officials);
        let spread = rollups
            .iter()
            .filter(|(_, s)| {
                [s.htxsnv, s.httnv, s.htnv]
                    .iter()
                    .filter(|n| **n > 0)
                    .count()
                    >= 2
            })
            .count();
        assert!(
            spread >= 40,
            "most units spread across levels, got {spread}"
        );

        // OKRs: stale and at-risk key results exist.
        let quarter = cycle::Entity::find()
            .filter(cycle::Column::Code.eq("2026-Q4"))
            .one(&db)
            .await
            .expect("q")
            .expect("cycle");
        let okr = app::ssr::repo::rollups::for_cycle(&db, quarter.id)
            .await
            .expect("rollups");
        assert!(okr.iter().map(|(_, s)| s.stale_key_results).sum::<u32>() > 0);
        assert!(okr.iter().map(|(_, s)| s.at_risk_key_results).sum::<u32>() > 0);
        assert!(
            key_result::Entity::find()
                .filter(key_result::Column::MetricKey.is_not_null())
                .count(&db)
                .await
                .expect("n")
                >= 80
        );
        db.close().await.ok();
        test_db.drop_db().await;
    }
);

on_both_databases!(
    scale_seeder_writes_units_and_officials_and_can_run_twice,
    |engine| async move {
        let Some((test_db, db)) = migrated(engine).await else {
            return;
        };
        let spec = |tag: &str| server::seed::scale::ScaleSpec {
            officials: 45_000,
            provinces: 3,
            communes: 120,
            tag: tag.into(),
        };
        let first = server::seed::scale::scale(&db, &spec("A"), false)
            .await
            .expect("scale");
        assert_eq!(first.officials, 45_000);
        assert_eq!(first.units, 3 + 3 * 14 + 120);
        let second = server::seed::scale::scale(&db, &spec("B"), false)
            .await
            .expect("second run with another tag");
        assert_eq!(second.officials, 45_000);
        assert_eq!(
            official::Entity::find().count(&db).await.expect("count"),
            90_000
        );
        // The loaded rows read back through the entities, every type intact.
        let leader = official::Entity::find()
            .filter(official::Column::PersonnelCode.eq("B-000000015"))
            .one(&db)
            .await
            .expect("query")
            .expect("official B-000000015");
        assert!(leader.is_leader);
        assert_eq!(
            (leader.category.as_str(), leader.job_position.as_str()),
            ("civil_servant", "Chuyên viên")
        );
        assert_eq!((leader.version, leader.reviewer_id), (1, None));
        // Columns that vary row by row are bound, the rest written as literals: both land.
        assert_eq!(
            (leader.task_group.as_str(), leader.status.as_str()),
            ("C", "active")
        );
        assert!(leader.created_at <= chrono::Utc::now());
        let commune = unit_named(&db, "Xã 00001").await;
        assert_eq!(commune.kind, "commune");
        assert_eq!(
            commune.valid_from,
            chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date")
        );
        assert!(commune.parent_id.is_some() && commune.merged_into_id.is_none());
        // Ids continue after explicit inserts: a normal insert still works.
        app::ssr::repo::org_units::insert(
            &db,
            app::ssr::repo::org_units::NewUnit {
                code: "AFTER".into(),
                name: "Sau khi nạp".into(),
                kind: app::api::dto::UnitKind::Commune,
                parent_id: None,
                approved_headcount: 1,
                valid_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("insert after the seeder");
        if engine == common::Engine::Sqlite {
            // A new SQLite file gets the larger page size.
            let row = sea_orm::ConnectionTrait::query_one_raw(
                &db,
                sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA page_size"),
            )
            .await
            .expect("pragma")
            .expect("a row");
            let size: i64 = row.try_get_by_index(0).expect("page size");
            assert_eq!(size, i64::from(app::ssr::db::SQLITE_PAGE_SIZE));
            // Pages read through memory mapping, and plans that do not depend on bound values
            // (else every `LIMIT ?` is compiled again each time it runs).
            let conn: &sea_orm::DatabaseConnection = &db;
            let pragma = |sql: &'static str| async move {
                sea_orm::ConnectionTrait::query_all_raw(
                    conn,
                    sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, sql),
                )
                .await
                .expect("pragma")
                .iter()
                .map(|row| {
                    row.try_get_by_index::<String>(0)
                        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                        .expect("a pragma's value")
                })
                .collect::<Vec<String>>()
            };
            assert_eq!(
                pragma("PRAGMA mmap_size").await,
                [app::ssr::db::SQLITE_MMAP_SIZE.to_string()]
            );
            let options = pragma("PRAGMA compile_options").await;
            assert!(
                options.iter().any(|o| o == "ENABLE_QPSG"),
                "SQLite built without the planner stability guarantee: {options:?}"
            );
        }
        db.close().await.ok();
        test_db.drop_db().await;
    }
);
