//! Backup and restore of the whole database (`server backup`, `server restore`), on SQLite and
//! PostgreSQL: the demo city is backed up, the database destroyed, the backup restored, and
//! every table has the same rows as before (row counts and a hash of the rows).

mod common;

use app::ssr::auth::password::Cost;
use common::{Engine, TestDb};
use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

on_both_databases!(
    a_restored_backup_has_every_table_as_it_was,
    |engine| async move {
        let Some(test_db) = TestDb::create(engine).await else {
            return;
        };
        let db = test_db.connect().await;
        Migrator::up(&db, None).await.expect("migrate");
        server::seed::demo_if_empty(&db, Cost::TestOnly)
            .await
            .expect("demo city");
        let before = server::backup::fingerprint(&db).await.expect("fingerprint");
        assert!(before.len() >= 20, "{:?}", before.keys());
        assert_eq!(before["official"].0, 1949);
        assert!(before["audit_log"].0 > 0);
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("thuocdo.backup");
        server::backup::backup(&test_db.url, &file)
            .await
            .expect("backup");
        // A second backup to the same file is refused (nothing is overwritten).
        assert!(server::backup::backup(&test_db.url, &file).await.is_err());
        // Destroy the database.
        match engine {
            Engine::Sqlite => {
                db.close().await.ok();
                let path = server::backup::sqlite_path(&test_db.url).expect("path");
                std::fs::remove_file(&path).expect("remove the database");
            }
            Engine::Postgres => {
                db.execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
                    .await
                    .expect("drop everything");
                db.close().await.ok();
            }
        }
        // A damaged backup is refused and changes nothing.
        let damaged = dir.path().join("damaged.backup");
        std::fs::write(&damaged, b"not a backup").expect("write");
        assert!(
            server::backup::restore(&test_db.url, &damaged)
                .await
                .is_err()
        );
        server::backup::restore(&test_db.url, &file)
            .await
            .expect("restore");
        let db = test_db.connect().await;
        let after = server::backup::fingerprint(&db).await.expect("fingerprint");
        assert_eq!(before, after);
        // The restored database is the application's: migrations are all applied.
        Migrator::up(&db, None).await.expect("nothing to migrate");
        db.close().await.ok();
        test_db.drop_db().await;
    }
);
