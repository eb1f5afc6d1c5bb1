//! `kill -9` drills, on SQLite and PostgreSQL, with the server binary as its own process:
//!
//! 1. In the middle of a large officials import (`server import`, one transaction): after the
//!    kill nothing of the import is left — no official, no unit history, no audit entry — the
//!    database passes its integrity check, and the same import then runs to its end.
//! 2. In the middle of a burst of check-ins from many clients (`server serve`): after the kill
//!    every check-in the server acknowledged is stored exactly once with its audit entry,
//!    nothing is stored without its audit entry, and the restarted server serves.
//!
//! `make test` imports `THUOCDO_CRASH_ROWS` (default 40,000) rows; the full drill:
//! `THUOCDO_CRASH_ROWS=1000000 THUOCDO_SERVER_BIN=… cargo test -p server --test crash --
//! --nocapture` (docs/RELIABILITY.md).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Engine, ServerChild, TestDb, month_cycle, person, run_cli, session_at};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("count query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

/// SQLite's `PRAGMA integrity_check`; PostgreSQL has none to run (its write-ahead log makes a
/// crash safe): there a full read of every table stands for it.
async fn check_integrity(db: &DatabaseConnection, engine: Engine) {
    match engine {
        Engine::Sqlite => {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    "PRAGMA integrity_check".to_owned(),
                ))
                .await
                .expect("integrity check")
                .expect("a row");
            let verdict: String = row.try_get_by_index(0).expect("text");
            assert_eq!(verdict, "ok");
        }
        Engine::Postgres => {
            for table in ["official", "official_unit_history", "audit_log", "check_in"] {
                count(db, &format!("SELECT count(*) FROM {table}")).await;
            }
        }
    }
}

/// An officials file of `rows` rows over the sample units.
fn officials_file(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("officials.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create csv"));
    writeln!(
        file,
        "personnel_code,full_name,category,job_position,task_group,is_leader,unit_code,reviewer_code,status"
    )
    .expect("header");
    let units = ["HUE", "HUE-S02", "HUE-X01", "HUE-X02"];
    for i in 0..rows {
        writeln!(
            file,
            "P{i:07},Nguyễn Văn An,civil_servant,Chuyên viên,B,false,{},,active",
            units[i % units.len()]
        )
        .expect("row");
    }
    file.flush().expect("flush");
    path
}

fn wal_size(wal: &std::path::Path) -> u64 {
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Whether the import has written part of its transaction: SQLite's write-ahead log has grown,
/// or PostgreSQL shows another session with a transaction id (it has written).
async fn import_is_writing(
    db: &DatabaseConnection,
    engine: Engine,
    (wal, before): (&std::path::Path, u64),
) -> bool {
    match engine {
        // SQLite spills a large transaction's pages to the log long before it commits.
        Engine::Sqlite => wal_size(wal) > before + (4 << 20),
        Engine::Postgres => {
            count(
                db,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
            )
            .await
                > 0
        }
    }
}

async fn killed_import(test_db: &TestDb, dir: &std::path::Path) {
    let engine = test_db.engine();
    common::load_sample_units(&test_db.url);
    let rows: usize = std::env::var("THUOCDO_CRASH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40_000);
    let file = officials_file(dir, rows);
    let db = test_db.connect().await;
    let wal = dir.join("test.db-wal");
    let wal_before = wal_size(&wal);

    let started = Instant::now();
    let mut import = std::process::Command::new(common::server_bin())
        .args(["import", &file.display().to_string()])
        .env("DATABASE_URL", &test_db.url)
        .env("THUOCDO_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the import");
    loop {
        assert!(
            import.try_wait().expect("poll").is_none(),
            "the import of {rows} rows ended before it was seen writing: use more rows"
        );
        if import_is_writing(&db, engine, (&wal, wal_before)).await {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "no write seen"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    import.kill().expect("kill -9");
    import.wait().expect("reaped");
    eprintln!(
        "crash ({engine:?}): import of {rows} rows killed while writing after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // A new connection: SQLite rolls the write-ahead log back on opening.
    drop(db);
    let db = test_db.connect().await;
    check_integrity(&db, engine).await;
    assert_eq!(count(&db, "SELECT count(*) FROM official").await, 0);
    assert_eq!(
        count(&db, "SELECT count(*) FROM official_unit_history").await,
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE entity = 'official'"
        )
        .await,
        0
    );

    // The same import now runs to its end.
    let again = run_cli(&test_db.url, &["import", &file.display().to_string()]);
    assert!(again.status.success(), "{again:?}");
    let rows = i64::try_from(rows).expect("rows");
    assert_eq!(count(&db, "SELECT count(*) FROM official").await, rows);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE action = 'import_create' AND entity = 'official'"
        )
        .await,
        rows
    );
    check_integrity(&db, engine).await;
}

async fn killed_burst(test_db: &TestDb) {
    let engine = test_db.engine();
    let db = test_db.connect().await;
    let cycle = month_cycle(&db, "2026-11", "open").await;
    // A ward of its own, of a real ward's size: the import put a quarter of its rows in each
    // sample unit, and a write refreshes its whole unit's rollup.
    let city = common::unit_id(&db, "HUE").await;
    let ward = common::unit(&db, "BURST-W01", "commune", Some(city)).await;
    let mut people = Vec::new();
    for i in 0..8 {
        let code = format!("BURST{i:02}");
        people.push(person(&db, &code, (ward, "BURST-W01"), None, cycle, &[]).await);
    }

    let server = ServerChild::start(&test_db.url).await;
    let client = common::http_client();
    let mut sessions = Vec::new();
    for p in &people {
        sessions.push(session_at(&client, &server.base, &p.username).await);
    }
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut clients = Vec::new();
    for worker in 0..32 {
        let p = &people[worker % people.len()];
        let (kr, cookie) = (p.key_result, sessions[worker % people.len()].clone());
        let (client, base, acknowledged) = (
            client.clone(),
            server.base.clone(),
            Arc::clone(&acknowledged),
        );
        clients.push(tokio::spawn(async move {
            for n in 0.. {
                let note = format!("burst-{worker}-{n}");
                let form = [
                    ("key_result_id", kr.to_string()),
                    ("value", (n % 100).to_string()),
                    ("confidence", "7".to_owned()),
                    ("note", note.clone()),
                ];
                let sent = client
                    .post(format!("{base}/api/check-in"))
                    .header("cookie", &cookie)
                    .form(&form)
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => {
                        acknowledged.lock().expect("lock").push(note);
                    }
                    Ok(response) => panic!("check-in refused: {}", response.status()),
                    // The server is gone.
                    Err(_) => return,
                }
            }
        }));
    }
    // Kill it once the burst is well under way.
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 300 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the burst did not start"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for client in clients {
        client.await.expect("a client ends when the server is gone");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();

    drop(db);
    let db = test_db.connect().await;
    check_integrity(&db, engine).await;
    let stored = count(
        &db,
        "SELECT count(*) FROM check_in WHERE note LIKE 'burst-%'",
    )
    .await;
    let distinct = count(
        &db,
        "SELECT count(DISTINCT note) FROM check_in WHERE note LIKE 'burst-%'",
    )
    .await;
    let audited = count(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'check_in' AND \"after\" LIKE '%\"burst-%'",
    )
    .await;
    eprintln!(
        "crash ({engine:?}): {} check-ins acknowledged before the kill, {stored} stored, {audited} audited",
        acknowledged.len()
    );
    assert_eq!(stored, distinct, "a check-in was stored twice");
    assert_eq!(
        stored, audited,
        "a check-in without its audit entry, or the reverse"
    );
    for notes in acknowledged.chunks(500) {
        let list = notes
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(",");
        let found = count(
            &db,
            &format!("SELECT count(*) FROM check_in WHERE note IN ({list})"),
        )
        .await;
        assert_eq!(
            found,
            i64::try_from(notes.len()).expect("len"),
            "an acknowledged check-in was lost"
        );
    }

    // The restarted server serves, and takes a check-in.
    let server = ServerChild::start(&test_db.url).await;
    let cookie = session_at(&client, &server.base, &people[0].username).await;
    let form = [
        ("key_result_id", people[0].key_result.to_string()),
        ("value", "50".to_owned()),
        ("confidence", "7".to_owned()),
        ("note", "after the restart".to_owned()),
    ];
    let response = client
        .post(format!("{}/api/check-in", server.base))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .expect("POST");
    assert!(response.status().is_success(), "{}", response.status());
    server.kill();
}

async fn drill(engine: Engine) {
    let Some(test_db) = TestDb::create(engine).await else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    // SQLite: the database's own directory, where its write-ahead log lives.
    let data_dir = test_db
        .url
        .strip_prefix("sqlite://")
        .and_then(|p| p.split('?').next())
        .and_then(|p| std::path::Path::new(p).parent())
        .map_or_else(|| dir.path().to_path_buf(), std::path::Path::to_path_buf);
    killed_import(&test_db, &data_dir).await;
    killed_burst(&test_db).await;
    test_db.drop_db().await;
}

on_both_databases!(
    kill_9_during_an_import_and_a_write_burst_loses_nothing_acknowledged,
    drill
);
