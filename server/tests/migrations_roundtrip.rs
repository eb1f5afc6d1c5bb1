//! Every migration is reversible: up → down (all) → up again, on SQLite and PostgreSQL.

mod common;

use common::TestDb;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
        }
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("list tables")
        .into_iter()
        .map(|row| row.try_get::<String>("", "name").expect("name"))
        .collect()
}

/// Every table the schema defines.
const SCHEMA: [&str; 29] = [
    "account",
    "api_client",
    "api_client_unit",
    "assessment",
    "audit_log",
    "calibration",
    "check_in",
    "cycle",
    "data_version",
    "general_score",
    "import_run",
    "key_result",
    "login_attempt",
    "metric",
    "metric_series",
    "objective",
    "official",
    "official_unit_history",
    "org_unit",
    "org_unit_closure",
    "personnel_decision",
    "product",
    "role_grant",
    "rule_setting",
    "session",
    "unit_cycle_rollup",
    "unit_headcount",
    "warning",
    "work_template",
];

fn schema_tables(all: &[String]) -> Vec<&str> {
    all.iter()
        .map(String::as_str)
        .filter(|t| *t != "seaql_migrations")
        .collect()
}

on_both_databases!(migrations_go_up_down_and_up_again, |engine| async move {
    let Some(test_db) = TestDb::create(engine).await else {
        return;
    };
    let db = test_db.connect().await;
    let all = Migrator::migrations().len();

    Migrator::up(&db, None).await.expect("up");
    assert_eq!(schema_tables(&tables(&db).await), SCHEMA);
    assert_eq!(
        Migrator::get_pending_migrations(&db)
            .await
            .expect("pending")
            .len(),
        0
    );

    Migrator::down(&db, Some(u32::try_from(all).expect("count")))
        .await
        .expect("down");
    let after_down = tables(&db).await;
    assert!(
        !after_down.contains(&"org_unit".to_owned()),
        "down removes the tables: {after_down:?}"
    );
    assert_eq!(
        Migrator::get_pending_migrations(&db)
            .await
            .expect("pending")
            .len(),
        all
    );

    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(schema_tables(&tables(&db).await), SCHEMA);
    db.close().await.ok();
    test_db.drop_db().await;
});

on_both_databases!(
    a_unique_key_taken_twice_answers_conflict,
    |engine| async move {
        use app::domain::vocab::UnitKind;
        use app::ssr::repo::org_units::{NewUnit, insert};
        let Some(test_db) = TestDb::create(engine).await else {
            return;
        };
        let db = test_db.connect().await;
        Migrator::up(&db, None).await.expect("up");
        let unit = || NewUnit {
            code: "P".into(),
            name: "Tỉnh P".into(),
            kind: UnitKind::Province,
            parent_id: None,
            approved_headcount: 10,
            valid_from: chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"),
        };
        let now = chrono::Utc::now();
        insert(&db, unit(), now).await.expect("first");
        // Two people creating the same record at once: the second one's is "changed by someone
        // else", not an internal fault.
        let second = insert(&db, unit(), now).await;
        assert!(
            matches!(second, Err(app::error::AppError::Conflict)),
            "{second:?}"
        );
        db.close().await.ok();
        test_db.drop_db().await;
    }
);
