//! Bulk import (CSV and XLSX, dry run, bad rows, re-import, failure midway) and the
//! classification export, on SQLite and PostgreSQL, using the sample files in `docs/samples/`.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use app::api::dto::{ImportCounts, ImportKind, ImportReport};
use app::ssr::entity::{
    assessment, audit_log, cycle, general_score, key_result, official, official_unit_history,
    org_unit, unit_cycle_rollup, unit_headcount,
};
use app::ssr::export;
use app::ssr::import::messages::Lang;
use app::ssr::import::{self, Options};
use app::ssr::repo::audit::Actor;
use app::ssr::repo::cycles::{self, Cycle};
use calamine::{Data, Reader, Xlsx};
use common::{Engine, TestDb};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/samples")
        .join(name)
}

async fn setup(engine: Engine) -> Option<(TestDb, DatabaseConnection)> {
    let test_db = TestDb::create(engine).await?;
    let db = test_db.connect().await;
    Migrator::up(&db, None).await.expect("migrate");
    Some((test_db, db))
}

fn options() -> Options {
    Options::new(Actor::system("test:import"))
}

async fn import(db: &DatabaseConnection, name: &str) -> ImportReport {
    import::import_file(db, &sample(name), &options())
        .await
        .expect("import runs")
}

/// Imports a sample that must be valid, returning its counts per entity.
async fn import_ok(db: &DatabaseConnection, name: &str) -> Vec<(String, ImportCounts)> {
    let report = import(db, name).await;
    assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
    assert!(report.committed, "{name} committed");
    report.counts
}

fn counts(entity: &str, created: u32, updated: u32, unchanged: u32) -> (String, ImportCounts) {
    (
        entity.to_owned(),
        ImportCounts {
            created,
            updated,
            unchanged,
        },
    )
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// The cycles the samples refer to (the demo data has the same codes).
async fn create_cycles(db: &DatabaseConnection) -> i64 {
    let month = cycles::insert(
        db,
        Cycle {
            id: 0,
            code: "2026-10".into(),
            scheme_id: "decree-335-2025".into(),
            scheme_version: "1".into(),
            period_kind: "month".into(),
            year: 2026,
            period_no: 10,
            starts_on: date(2026, 10, 1),
            ends_on: date(2026, 10, 31),
            state: "open".into(),
            own_deadlines: Default::default(),
        },
    )
    .await
    .expect("month cycle");
    cycles::insert(
        db,
        Cycle {
            id: 0,
            code: "2026-Q4".into(),
            scheme_id: "okr-basic".into(),
            scheme_version: "1".into(),
            period_kind: "quarter".into(),
            year: 2026,
            period_no: 4,
            starts_on: date(2026, 10, 1),
            ends_on: date(2026, 12, 31),
            state: "open".into(),
            own_deadlines: Default::default(),
        },
    )
    .await
    .expect("quarter cycle");
    month
}

async fn import_all_samples(db: &DatabaseConnection) -> Vec<Vec<(String, ImportCounts)>> {
    let mut all = Vec::new();
    for name in [
        "units.csv",
        "officials.csv",
        "key_results.csv",
        "products.csv",
        "check_ins.csv",
    ] {
        all.push(import_ok(db, name).await);
    }
    all
}

async fn audit_entries(db: &DatabaseConnection) -> u64 {
    audit_log::Entity::find().count(db).await.expect("count")
}

async fn official_id(db: &DatabaseConnection, code: &str) -> Option<i64> {
    official::Entity::find()
        .filter(official::Column::PersonnelCode.eq(code))
        .one(db)
        .await
        .expect("query")
        .map(|o| o.id)
}

on_both_databases!(
    good_files_import_with_counts_references_and_audit,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        create_cycles(&db).await;
        let all = import_all_samples(&db).await;
        assert_eq!(
            all,
            [
                vec![counts("org_unit", 4, 0, 0)],
                vec![counts("official", 8, 0, 0)],
                vec![counts("objective", 3, 0, 0), counts("key_result", 5, 0, 0)],
                vec![counts("product", 4, 0, 0)],
                vec![counts("check_in", 4, 0, 0), counts("key_result", 0, 3, 0)],
            ]
        );
        // Every write has its audit entry.
        assert_eq!(audit_entries(&db).await, 4 + 8 + 3 + 5 + 4 + 4 + 3);
        // Reviewers given later in the tree resolve; each new official gets a unit history.
        let reviewer = official::Entity::find()
            .filter(official::Column::PersonnelCode.eq("ND-003"))
            .one(&db)
            .await
            .expect("query")
            .and_then(|o| o.reviewer_id);
        assert_eq!(reviewer, official_id(&db, "ND-002").await);
        let history = official_unit_history::Entity::find()
            .count(&db)
            .await
            .expect("count");
        assert_eq!(history, 8);
        // The key result follows its latest check-in.
        let kr1 = key_result::Entity::find()
            .filter(key_result::Column::Code.eq("KR1"))
            .filter(key_result::Column::Kind.eq("increase_to"))
            .one(&db)
            .await
            .expect("query")
            .expect("KR1");
        assert!((kr1.current_value - 92.0).abs() < 1e-9);
        // The dashboards' rollups of the open cycles follow the import.
        let quarter = app::ssr::repo::cycles::find_by_code(&db, "2026-Q4")
            .await
            .expect("query")
            .expect("quarter");
        let rollups = app::ssr::repo::rollups::for_cycle(&db, quarter.id)
            .await
            .expect("rollups");
        assert_eq!(rollups.iter().map(|(_, s)| s.key_results).sum::<u32>(), 5);
        assert_eq!(rollups.iter().map(|(_, s)| s.officials).sum::<u32>(), 8);
        let parent = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq("HUE-X02"))
            .one(&db)
            .await
            .expect("query")
            .and_then(|u| u.parent_id);
        assert!(parent.is_some());
        assert_headcounts_are_current(&db).await;
        test_db.drop_db().await;
    }
);

/// Each unit's stored head count equals a count of its active officials.
async fn assert_headcounts_are_current(db: &DatabaseConnection) {
    let mut counted = std::collections::BTreeMap::new();
    for o in official::Entity::find().all(db).await.expect("officials") {
        if o.status == "active" {
            *counted.entry(o.unit_id).or_insert(0_i64) += 1;
        }
    }
    let stored: std::collections::BTreeMap<i64, i64> = unit_headcount::Entity::find()
        .all(db)
        .await
        .expect("head counts")
        .into_iter()
        .map(|h| (h.unit_id, h.active))
        .collect();
    assert_eq!(stored, counted);
}

on_both_databases!(
    an_imported_product_rescores_its_assessment_and_a_closed_cycle_refuses_it,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        let month = create_cycles(&db).await;
        import_ok(&db, "units.csv").await;
        import_ok(&db, "officials.csv").await;
        assess(&db, month).await;
        // ND-003's reviewer gave every general criterion its maximum.
        let nd003 = official_id(&db, "ND-003").await.expect("ND-003");
        let scheme = app::domain::builtin_scheme("decree-335-2025").expect("scheme");
        for group in &scheme.general {
            general_score::ActiveModel {
                official_id: Set(nd003),
                cycle_id: Set(month),
                criterion_group: Set(group.id.clone()),
                reviewer_points: Set(Some(group.max_points)),
                version: Set(1),
                updated_at: Set(chrono::Utc::now()),
                ..Default::default()
            }
            .insert(&db)
            .await
            .expect("points");
        }
        let stored = || async {
            assessment::Entity::find()
                .filter(assessment::Column::OfficialId.eq(nd003))
                .filter(assessment::Column::CycleId.eq(month))
                .one(&db)
                .await
                .expect("query")
                .expect("assessment")
        };
        import_ok(&db, "products.csv").await;
        let first = stored().await;
        let score = first
            .computed_score
            .expect("scored from the imported products");
        assert!(first.explanation.is_some_and(|e| e.contains("SP02")));
        // One more delay on SP02: the score drops, in the import's transaction.
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("late.csv");
        let sample = std::fs::read_to_string(sample("products.csv")).expect("sample");
        let late = sample.replace(
            "Báo cáo thống kê biên chế tháng 10,1,3,3,3,2,0,1,",
            "Báo cáo thống kê biên chế tháng 10,1,3,3,3,2,0,2,",
        );
        assert_ne!(late, sample);
        std::fs::write(&path, &late).expect("write");
        let report = import::import_file(&db, &path, &options())
            .await
            .expect("import");
        assert_eq!(report.counts, [counts("product", 0, 1, 3)]);
        let second = stored().await.computed_score.expect("rescored");
        assert!(second < score, "{second} < {score}");
        // A closed month takes no products from a file, as from the form.
        cycle::Entity::update_many()
            .col_expr(
                cycle::Column::State,
                sea_orm::sea_query::Expr::value("closed"),
            )
            .filter(cycle::Column::Id.eq(month))
            .exec(&db)
            .await
            .expect("close");
        let report = import(&db, "products.csv").await;
        assert!(!report.committed);
        assert!(
            report
                .errors
                .iter()
                .all(|e| e.column == "cycle_code" && e.key == "cycle_closed"),
            "{:?}",
            report.errors
        );
        assert_eq!(report.errors.len(), 4);
        assert_eq!(stored().await.computed_score, Some(second));
        test_db.drop_db().await;
    }
);

on_both_databases!(
    a_cached_list_page_is_read_anew_after_an_import,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        import_ok(&db, "units.csv").await;
        import_ok(&db, "officials.csv").await;
        let roots: Vec<i64> = org_unit::Entity::find()
            .filter(org_unit::Column::ParentId.is_null())
            .all(&db)
            .await
            .expect("units")
            .into_iter()
            .map(|u| u.id)
            .collect();
        let scope = app::domain::access::Scope {
            subtrees: roots,
            ..Default::default()
        };
        let caches = app::ssr::cache::Caches::default();
        let list = || app::ssr::service::lists::officials(&db, &caches, &scope, None, 300);
        let first = list().await.expect("list");
        let again = list().await.expect("list");
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "served from the cache"
        );
        let active = first.1;
        assert_eq!(usize::try_from(active).expect("fits"), first.0.len());
        // A new official: the page is read again, and counted.
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("new.csv");
        std::fs::write(
            &path,
            "personnel_code,full_name,category,task_group,unit_code\n\
             ND-101,Trần Thị Mới,civil_servant,B,HUE-X02\n",
        )
        .expect("write");
        import::import_file(&db, &path, &options())
            .await
            .expect("import");
        let after = list().await.expect("list");
        assert_eq!(after.1, active + 1);
        assert!(after.0.iter().any(|o| o.personnel_code == "ND-101"));
        test_db.drop_db().await;
    }
);

on_both_databases!(
    reimporting_the_same_files_changes_nothing,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        create_cycles(&db).await;
        import_all_samples(&db).await;
        let audit_before = audit_entries(&db).await;
        let again = import_all_samples(&db).await;
        assert_eq!(
            again,
            [
                vec![counts("org_unit", 0, 0, 4)],
                vec![counts("official", 0, 0, 8)],
                vec![counts("objective", 0, 0, 3), counts("key_result", 0, 0, 5)],
                vec![counts("product", 0, 0, 4)],
                vec![counts("check_in", 0, 0, 4), counts("key_result", 0, 0, 0)],
            ]
        );
        assert_eq!(audit_entries(&db).await, audit_before);
        test_db.drop_db().await;
    }
);

on_both_databases!(
    a_changed_row_is_updated_and_audited_with_before_and_after,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        import_ok(&db, "units.csv").await;
        import_ok(&db, "officials.csv").await;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("moved.csv");
        std::fs::write(
            &path,
            "personnel_code,full_name,category,task_group,unit_code\n\
         ND-005,Hoàng Minh Tuấn,civil_servant,B,HUE-X02\n",
        )
        .expect("write");
        let report = import::import_file(&db, &path, &options())
            .await
            .expect("import");
        assert_eq!(report.counts, [counts("official", 0, 1, 0)]);
        let moved = official::Entity::find()
            .filter(official::Column::PersonnelCode.eq("ND-005"))
            .one(&db)
            .await
            .expect("query")
            .expect("ND-005");
        // Cells left out keep their stored values; the unit history records the move.
        assert_eq!(moved.status, "on_leave");
        assert_eq!(moved.version, 2);
        let periods = official_unit_history::Entity::find()
            .filter(official_unit_history::Column::OfficialId.eq(moved.id))
            .all(&db)
            .await
            .expect("history");
        assert_eq!(periods.len(), 2);
        assert_eq!(periods.iter().filter(|p| p.to_date.is_none()).count(), 1);
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("import_update"))
            .one(&db)
            .await
            .expect("query")
            .expect("audit entry");
        assert_eq!(entry.entity_id.as_deref(), Some("ND-005"));
        assert!(entry.before.is_some_and(|b| b.contains("\"unit_id\"")));
        assert_headcounts_are_current(&db).await;
        // Back at work, in another unit: both units are recounted.
        std::fs::write(
            &path,
            "personnel_code,full_name,category,task_group,unit_code,status\n\
         ND-005,Hoàng Minh Tuấn,civil_servant,B,HUE-X01,active\n",
        )
        .expect("write");
        let report = import::import_file(&db, &path, &options())
            .await
            .expect("import");
        assert_eq!(report.counts, [counts("official", 0, 1, 0)]);
        assert_headcounts_are_current(&db).await;
        test_db.drop_db().await;
    }
);

on_both_databases!(
    bad_rows_are_all_reported_and_nothing_is_written,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        import_ok(&db, "units.csv").await;
        import_ok(&db, "officials.csv").await;
        let audit_before = audit_entries(&db).await;
        let report = import(&db, "bad-officials.csv").await;
        assert!(!report.committed);
        let found: Vec<(u32, &str, &str)> = report
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.key.as_str()))
            .collect();
        // The list docs/import.md shows for this file.
        assert_eq!(
            found,
            [
                (3, "full_name", "import_err_required"),
                (4, "category", "import_err_not_one_of"),
                (5, "is_leader", "import_err_not_boolean"),
                (6, "personnel_code", "import_err_duplicate_in_file"),
                (7, "unit_code", "import_err_unit_not_found"),
                (8, "reviewer_code", "import_err_reviewer_not_found"),
                (9, "task_group", "import_err_required"),
                (9, "reviewer_code", "import_err_reviewer_self"),
            ]
        );
        assert_eq!(report.errors[4].args["code"], "HUE-X99");
        assert_eq!(report.errors[3].args["first_row"], "2");
        assert_eq!(official_id(&db, "ND-101").await, None);
        assert_eq!(official::Entity::find().count(&db).await.expect("count"), 8);
        assert_eq!(audit_entries(&db).await, audit_before);
        test_db.drop_db().await;
    }
);

on_both_databases!(
    a_dry_run_reports_the_same_counts_and_writes_nothing,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        let mut dry = options();
        dry.dry_run = true;
        let report = import::import_file(&db, &sample("units.csv"), &dry)
            .await
            .expect("dry run");
        assert_eq!(report.kind, Some(ImportKind::Units));
        assert!(report.dry_run && !report.committed);
        assert_eq!(report.counts, [counts("org_unit", 4, 0, 0)]);
        assert_eq!(org_unit::Entity::find().count(&db).await.expect("count"), 0);
        assert_eq!(audit_entries(&db).await, 0);
        test_db.drop_db().await;
    }
);

/// Makes the database itself reject inserting official `ND-003` (a row every check accepts),
/// which the importer writes after ND-001, ND-002 and others.
async fn inject_failure(test_db: &TestDb, db: &DatabaseConnection) {
    let statements: &[&str] = match test_db.engine() {
        Engine::Sqlite => &["CREATE TRIGGER boom BEFORE INSERT ON official \
             WHEN NEW.personnel_code = 'ND-003' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"],
        Engine::Postgres => &[
            "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN \
             IF NEW.personnel_code = 'ND-003' THEN RAISE EXCEPTION 'injected failure'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER boom BEFORE INSERT ON official FOR EACH ROW EXECUTE FUNCTION boom()",
        ],
    };
    for statement in statements {
        db.execute_unprepared(statement).await.expect("trigger");
    }
}

on_both_databases!(
    a_failure_midway_leaves_nothing_behind,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        import_ok(&db, "units.csv").await;
        let audit_before = audit_entries(&db).await;
        inject_failure(&test_db, &db).await;
        let result = import::import_file(&db, &sample("officials.csv"), &options()).await;
        assert!(result.is_err(), "the injected failure surfaces: {result:?}");
        assert_eq!(official::Entity::find().count(&db).await.expect("count"), 0);
        assert_eq!(
            official_unit_history::Entity::find()
                .count(&db)
                .await
                .expect("count"),
            0
        );
        assert_eq!(audit_entries(&db).await, audit_before);
        test_db.drop_db().await;
    }
);

on_both_databases!(an_xlsx_file_imports_like_its_csv, |engine| async move {
    let Some((test_db, db)) = setup(engine).await else {
        return;
    };
    import_ok(&db, "units.csv").await;
    assert_eq!(
        import_ok(&db, "officials.xlsx").await,
        [counts("official", 8, 0, 0)]
    );
    // The same rows as CSV find nothing to change.
    assert_eq!(
        import_ok(&db, "officials.csv").await,
        [counts("official", 0, 0, 8)]
    );
    test_db.drop_db().await;
});

/// Assessments for three officials of Sở Nội vụ in the month cycle.
async fn assess(db: &DatabaseConnection, cycle_id: i64) {
    for (code, score, proposed, approved, notes) in [
        (
            "ND-003",
            91.256,
            "HTXSNV",
            Some("HTXSNV"),
            "Hoàn thành vượt tiến độ đề án",
        ),
        ("ND-001", 84.5, "HTTNV", Some("HTTNV"), ""),
        ("ND-004", 62.0, "HTNV", None, ""),
    ] {
        let official_id = official_id(db, code).await.expect("official");
        assessment::ActiveModel {
            official_id: Set(official_id),
            cycle_id: Set(cycle_id),
            computed_score: Set(Some(score)),
            explanation: Set(None),
            proposed_level: Set(Some(proposed.into())),
            approved_level: Set(approved.map(Into::into)),
            state: Set("reviewed".into()),
            notes: Set(notes.into()),
            version: Set(1),
            updated_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert assessment");
    }
}

fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

on_both_databases!(
    the_classification_list_exports_to_xlsx_and_csv,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        let cycle_id = create_cycles(&db).await;
        import_ok(&db, "units.csv").await;
        import_ok(&db, "officials.csv").await;
        assess(&db, cycle_id).await;
        let list = export::classification_list(&db, "HUE-S02", "2026-10")
            .await
            .expect("list");
        let names: Vec<&str> = list.rows.iter().map(|r| r.full_name.as_str()).collect();
        // Sorted by name, accents folded: Hoàng, Lê, Nguyễn, Phạm, Trần.
        assert_eq!(
            names,
            [
                "Hoàng Minh Tuấn",
                "Lê Quang Đức",
                "Nguyễn Văn Hùng",
                "Phạm Thị Ánh Nguyệt",
                "Trần Thị Thu Hà"
            ]
        );

        let bytes = export::to_xlsx(Lang::Vi, &list).expect("xlsx");
        let mut workbook = Xlsx::new(Cursor::new(bytes)).expect("open xlsx");
        let range = workbook
            .worksheet_range_at(0)
            .expect("a sheet")
            .expect("read sheet");
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| cell_text(Some(c))).collect())
            .collect();
        assert_eq!(
            rows[0][0],
            "DANH SÁCH ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG — Sở Nội vụ — Tháng 10 năm 2026"
        );
        assert_eq!(
            rows[2],
            [
                "STT",
                "Họ và tên",
                "Chức vụ/vị trí việc làm",
                "Đơn vị",
                "Điểm",
                "Mức đề xuất",
                "Mức được duyệt",
                "Ghi chú"
            ]
        );
        assert_eq!(
            rows[4],
            [
                "2",
                "Lê Quang Đức",
                "Chuyên viên phòng Tổ chức cán bộ",
                "Sở Nội vụ",
                "91.26",
                "Hoàn thành xuất sắc nhiệm vụ",
                "Hoàn thành xuất sắc nhiệm vụ",
                "Hoàn thành vượt tiến độ đề án"
            ]
        );
        // Not yet assessed: name and unit, no score or level.
        assert_eq!(rows[3][1], "Hoàng Minh Tuấn");
        assert_eq!(rows[3][4], "");
        assert_eq!(rows[6][5], "Hoàn thành nhiệm vụ");
        assert_eq!(rows[6][6], "");
        assert_eq!(rows.len(), 3 + 5);

        let csv = export::to_csv(Lang::Vi, &list).expect("csv");
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
        let text = String::from_utf8(csv).expect("utf-8");
        assert!(text.contains(
            "STT,Họ và tên,Chức vụ/vị trí việc làm,Đơn vị,Điểm,Mức đề xuất,Mức được duyệt,Ghi chú"
        ));
        assert!(text.contains("3,Nguyễn Văn Hùng,Giám đốc Sở,Sở Nội vụ,84.50,Hoàn thành tốt nhiệm vụ,Hoàn thành tốt nhiệm vụ,"));
        test_db.drop_db().await;
    }
);

fn run_cli(test_db: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", &test_db.url)
        .env("THUOCDO_LOG", "warn")
        .output()
        .expect("run server")
}

on_both_databases!(
    the_cli_rebuilds_the_rollups_and_audits_it,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        create_cycles(&db).await;
        import_all_samples(&db).await;
        let quarter = cycles::find_by_code(&db, "2026-Q4")
            .await
            .expect("query")
            .expect("quarter");
        let kept = app::ssr::repo::rollups::for_cycle(&db, quarter.id)
            .await
            .expect("rollups");
        assert!(!kept.is_empty());
        unit_cycle_rollup::Entity::delete_many()
            .exec(&db)
            .await
            .expect("wipe");
        let out = run_cli(&test_db, &["rollup", "rebuild", "--cycle", "2026-Q4"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("rollups of 1 cycle(s) rebuilt"));
        let rebuilt = app::ssr::repo::rollups::for_cycle(&db, quarter.id)
            .await
            .expect("rollups");
        assert_eq!(rebuilt, kept);
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("rollup_rebuild"))
            .one(&db)
            .await
            .expect("query")
            .expect("audited");
        assert_eq!(entry.actor, "cli:rollup");
        test_db.drop_db().await;
    }
);

on_both_databases!(
    the_cli_prints_translated_errors_and_exits_non_zero,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        let units = sample("units.csv");
        let bad = sample("bad-officials.csv");
        let out = run_cli(
            &test_db,
            &["import", units.to_str().expect("path"), "--dry-run"],
        );
        assert!(out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("Đơn vị: tạo mới 4, cập nhật 0, không đổi 0"),
            "{stdout}"
        );
        assert!(stdout.contains("Chạy thử"), "{stdout}");
        assert_eq!(org_unit::Entity::find().count(&db).await.expect("count"), 0);

        let out = run_cli(&test_db, &["import", units.to_str().expect("path")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let officials = sample("officials.csv");
        assert!(
            run_cli(&test_db, &["import", officials.to_str().expect("path")])
                .status
                .success()
        );
        let out = run_cli(&test_db, &["import", bad.to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("dòng 7, cột \"unit_code\": đơn vị \"HUE-X99\" không tồn tại"),
            "{stdout}"
        );
        assert!(stdout.contains("Không nhập: tệp có 8 lỗi"), "{stdout}");
        let out = run_cli(
            &test_db,
            &[
                "import",
                bad.to_str().expect("path"),
                "--kind",
                "officials",
                "--lang",
                "en",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("row 7, column \"unit_code\": unit \"HUE-X99\" does not exist"),
            "{stdout}"
        );
        assert_eq!(official::Entity::find().count(&db).await.expect("count"), 8);

        create_cycles(&db).await;
        let dir = tempfile::tempdir().expect("dir");
        let csv = dir.path().join("list.csv");
        let out = run_cli(
            &test_db,
            &[
                "export",
                "classification",
                "--unit",
                "HUE-S02",
                "--cycle",
                "2026-10",
                "--format",
                "csv",
                "--out",
                csv.to_str().expect("path"),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&csv).expect("exported");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("Phạm Thị Ánh Nguyệt"));
        // The same official's printable form, and a refusal naming an official not there.
        let pdf = dir.path().join("form.pdf");
        let pdf_arg = pdf.to_str().expect("path");
        let args = |official: &'static str| {
            [
                "export",
                "classification",
                "--unit",
                "HUE-S02",
                "--cycle",
                "2026-10",
                "--official",
                official,
                "--format",
                "pdf",
                "--out",
                pdf_arg,
            ]
        };
        let out = run_cli(&test_db, &args("ND-004"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("1 officials"));
        let bytes = std::fs::read(&pdf).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let out = run_cli(&test_db, &args("ND-999"));
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no official \"ND-999\""));
        test_db.drop_db().await;
    }
);

on_both_databases!(
    ten_thousand_officials_import_in_seconds,
    |engine| async move {
        let Some((test_db, db)) = setup(engine).await else {
            return;
        };
        import_ok(&db, "units.csv").await;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("officials-10k.csv");
        let mut text = String::from(
            "personnel_code,full_name,category,job_position,task_group,is_leader,unit_code,reviewer_code\n",
        );
        for n in 0..10_000 {
            let unit = ["HUE-S02", "HUE-X01", "HUE-X02"][n % 3];
            // Each unit's first official leads it and reviews the others.
            let reviewer = if n < 3 {
                String::new()
            } else {
                format!("P{:05}", n % 3)
            };
            text.push_str(&format!(
                "P{n:05},Nguyễn Văn Thử {n},civil_servant,Chuyên viên,B,{},{unit},{reviewer}\n",
                n < 3
            ));
        }
        std::fs::write(&path, text).expect("write");
        let started = std::time::Instant::now();
        let report = import::import_file(&db, &path, &options())
            .await
            .expect("import");
        let elapsed = started.elapsed();
        assert!(
            report.errors.is_empty(),
            "{:?}",
            &report.errors[..report.errors.len().min(3)]
        );
        assert_eq!(report.counts, [counts("official", 10_000, 0, 0)]);
        eprintln!(
            "THROUGHPUT {engine:?}: 10000 officials in {:.2} s = {:.0} rows/s",
            elapsed.as_secs_f64(),
            10_000.0 / elapsed.as_secs_f64()
        );
        assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
        test_db.drop_db().await;
    }
);

/// Regenerates `docs/samples/officials.xlsx` from `officials.csv` (run with `--ignored` after
/// changing the CSV, then commit the file).
#[test]
#[ignore = "writes docs/samples/officials.xlsx"]
fn regenerate_the_xlsx_sample() {
    let text = std::fs::read_to_string(sample("officials.csv")).expect("csv");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (row, line) in (0u32..).zip(text.lines()) {
        for (col, cell) in (0u16..).zip(line.split(',')) {
            if row == 0 {
                sheet
                    .write_string_with_format(row, col, cell, &bold)
                    .expect("cell");
            } else {
                sheet.write_string(row, col, cell).expect("cell");
            }
        }
    }
    sheet.set_column_width(1, 24).expect("width");
    sheet.set_column_width(3, 36).expect("width");
    workbook.save(sample("officials.xlsx")).expect("save");
}
