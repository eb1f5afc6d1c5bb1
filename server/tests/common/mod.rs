//! Test support: a real server on `127.0.0.1:0` over a fresh SQLite file or a fresh PostgreSQL
//! database. PostgreSQL comes from `THUOCDO_TEST_POSTGRES` (an admin URL); when no server
//! answers there, the Postgres variant of a test is skipped with a loud message.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of this module"
)]

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::Config;
use tokio::sync::oneshot;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A database created for one test and removed afterwards.
pub struct TestDb {
    pub url: String,
    engine: Engine,
    name: String,
    admin_url: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh, empty database; `None` (after a loud message) when Postgres is not reachable.
    pub async fn create(engine: Engine) -> Option<TestDb> {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                Some(TestDb {
                    url,
                    engine,
                    name: String::new(),
                    admin_url: None,
                    _dir: Some(dir),
                })
            }
            Engine::Postgres => {
                let admin_url = std::env::var("THUOCDO_TEST_POSTGRES")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
                let admin = match tokio::time::timeout(
                    Duration::from_secs(5),
                    Database::connect(&admin_url),
                )
                .await
                {
                    Ok(Ok(admin)) => admin,
                    other => {
                        let why = match other {
                            Ok(Err(e)) => e.to_string(),
                            _ => "timed out".into(),
                        };
                        eprintln!(
                            "\n!!!!!!!! SKIPPED (PostgreSQL): no server answers at {admin_url}: {why} !!!!!!!!\n"
                        );
                        return None;
                    }
                };
                let name = format!("thuocdo_t_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!(
                        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
                    ))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                let url = format!("{base}/{name}");
                Some(TestDb {
                    url,
                    engine,
                    name,
                    admin_url: Some(admin_url),
                    _dir: None,
                })
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A direct connection, for assertions on stored rows.
    pub async fn connect(&self) -> DatabaseConnection {
        app::ssr::db::connect(&self.url, 2)
            .await
            .expect("connect to test database")
    }

    /// Removes the database (Postgres) or its directory (SQLite, on drop).
    pub async fn drop_db(self) {
        self.drop_now().await;
    }

    /// Drops a Postgres database at once, cutting its open connections.
    pub async fn drop_now(&self) {
        if let Some(admin_url) = &self.admin_url {
            let admin = Database::connect(admin_url)
                .await
                .expect("admin connection");
            admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .await
                .expect("drop test database");
            admin.close().await.ok();
        }
    }
}

/// The HTML without Leptos' hydration markers (`<!>`), so assertions read like the page text.
pub fn html(raw: &str) -> String {
    raw.replace("<!>", "")
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    process: Process,
}

/// One server process on a database, on an ephemeral port: its address, a client for it, and
/// the handle that stops it. Several may run on one database (replicas).
pub struct Process {
    pub base: String,
    pub client: reqwest::Client,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Process {
    /// Starts the real server on `database_url` (migrations; the demo city's units first when
    /// `seed`).
    pub async fn start(database_url: &str, seed: bool) -> Process {
        let site_root = std::env::temp_dir().join("thuocdo-test-site");
        std::fs::create_dir_all(&site_root).expect("site root");
        let config = Config {
            addr: "127.0.0.1:0".parse().expect("addr"),
            database_url: database_url.to_owned(),
            db_max_connections: 4,
            site_root: site_root.display().to_string(),
            log: "warn".into(),
            seed_demo: false,
            cookie_secure: false,
            trust_proxy: false,
            public_per_second: server::config::PUBLIC_PER_SECOND,
            hashing: app::ssr::auth::password::Cost::TestOnly,
        };
        let state = server::prepare(&config).await.expect("prepare server");
        if seed {
            server::seed::demo::units_only(&state.db)
                .await
                .expect("demo units");
        }
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(
            listener,
            state,
            server::Http::default(),
            async {
                stopped.await.ok();
            },
        ));
        Process {
            base,
            client: http_client(),
            stop,
            task,
        }
    }

    /// Stops the server gracefully.
    pub async fn stop(self) {
        self.stop.send(()).ok();
        let result = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("server stops within 10 s")
            .expect("server task joins");
        result.expect("server exits cleanly");
    }
}

/// The id of the unit with `code`, which the test made or loaded.
pub async fn unit_id(db: &DatabaseConnection, code: &str) -> i64 {
    app::ssr::repo::org_units::id_by_code(db, code)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no unit {code}"))
}

/// A client as the tests use one: redirects are not followed (their `Location` is checked),
/// and a request that gets no answer fails its test within a minute instead of holding the
/// whole run (a server-rendered page once never answered in a full run: see
/// docs/PERFORMANCE.md on Leptos' rendering under load).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Loads `docs/samples/units.csv` (the city HUE, an agency and two wards) with the server
/// binary, which migrates the database first.
pub fn load_sample_units(database_url: &str) {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/samples/units.csv");
    let loaded = run_cli(database_url, &["import", sample]);
    assert!(loaded.status.success(), "{loaded:?}");
}

/// The server binary for drills that run it as its own operating-system process (to kill it,
/// or to measure a release build): `THUOCDO_SERVER_BIN` when set, else this build's.
pub fn server_bin() -> String {
    std::env::var("THUOCDO_SERVER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_server").to_owned())
}

/// Runs `server <args>` on `database_url` to its end; returns its output.
pub fn run_cli(database_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(server_bin())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("THUOCDO_LOG", "warn")
        .output()
        .expect("run the server binary")
}

/// The server binary serving `database_url` as a child process, on a free port.
pub struct ServerChild {
    pub base: String,
    child: std::process::Child,
}

impl ServerChild {
    /// Starts `server serve` and waits until it answers `/readyz`.
    pub async fn start(database_url: &str) -> ServerChild {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let site_root = std::env::temp_dir().join("thuocdo-test-site");
        std::fs::create_dir_all(&site_root).expect("site root");
        let child = std::process::Command::new(server_bin())
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("THUOCDO_ADDR", format!("127.0.0.1:{port}"))
            .env("THUOCDO_SITE_ROOT", &site_root)
            .env("THUOCDO_LOG", "warn")
            .env("THUOCDO_SEED_DEMO", "false")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the server binary");
        // From here on, dropping it (a failed assertion too) kills the process.
        let server = ServerChild {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            let ready = client.get(format!("{}/readyz", server.base)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer /readyz within a minute");
    }

    /// `kill -9`: the process ends at once, whatever it was doing.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl TestServer {
    /// Starts the real server (migrations; the demo city's units when `seed`) on an ephemeral
    /// port, over a fresh database.
    pub async fn start(engine: Engine, seed: bool) -> Option<TestServer> {
        let db = TestDb::create(engine).await?;
        let process = Process::start(&db.url, seed).await;
        Some(TestServer {
            base: process.base.clone(),
            client: process.client.clone(),
            db,
            process,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs a path and returns status and body (hydration markers removed, see [`html`]).
    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, String) {
        self.get_with(path, &[]).await
    }

    /// GETs a path with extra headers.
    pub async fn get_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (reqwest::StatusCode, String) {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("GET");
        let status = response.status();
        (status, html(&response.text().await.expect("body")))
    }

    /// Stops the server gracefully and removes its database.
    pub async fn stop(self) {
        self.process.stop().await;
        self.db.drop_db().await;
    }
}

/// Runs an async test body against SQLite and against PostgreSQL, as two `#[tokio::test]`s.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                ($body)($crate::common::Engine::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                ($body)($crate::common::Engine::Postgres).await
            }
        }
    };
}

/// The password of accounts made by [`create_account`].
pub const PASSWORD: &str = "mật khẩu thử nghiệm";

/// Creates an account with `grants` (cheap hashing) and returns its id.
pub async fn create_account(
    db: &DatabaseConnection,
    username: &str,
    official_id: Option<i64>,
    grants: &[app::domain::access::Grant],
) -> i64 {
    app::ssr::auth::create_account(
        db,
        app::ssr::auth::NewAccount {
            username,
            display_name: username,
            password: Some(PASSWORD),
            official_id,
            is_demo: false,
            grants,
        },
        app::ssr::auth::AuthConfig {
            cookie_secure: false,
            hashing: app::ssr::auth::password::Cost::TestOnly,
        },
        &app::ssr::repo::audit::Actor::system("test"),
        chrono::Utc::now(),
    )
    .await
    .expect("create account")
}

/// Signs in through `POST /login` on the server at `base`; returns the response's status,
/// `Location` and the session cookie (`name=value`) if one was set.
pub async fn login_at(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
    cookie: Option<&str>,
) -> (reqwest::StatusCode, String, Option<String>) {
    let mut request = client.post(format!("{base}/login")).form(&[
        ("username", username),
        ("password", password),
        ("next", "/officials"),
    ]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("POST /login");
    let status = response.status();
    let location = location(&response);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.ends_with('='))
        .map(str::to_owned);
    (status, location, cookie)
}

/// A response's `Location` (empty when none).
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// How many audit entries record `action`.
pub async fn audited(db: &DatabaseConnection, action: &str) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    app::ssr::entity::audit_log::Entity::find()
        .filter(app::ssr::entity::audit_log::Column::Action.eq(action))
        .count(db)
        .await
        .expect("count")
}

/// A server on the demo city (`None` when the engine is not available).
pub async fn demo_city(engine: Engine) -> Option<TestServer> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    server::seed::demo(&db, app::ssr::auth::password::Cost::TestOnly)
        .await
        .expect("demo city");
    Some(server)
}

/// Signs in to the demo city as one of its accounts; panics on failure.
pub async fn demo_session(server: &TestServer, username: &str) -> String {
    let (_, location, cookie) = server.login_as(username, "demo-thuocdo-2026", None).await;
    cookie.unwrap_or_else(|| panic!("{username} could not sign in: {location}"))
}

/// Signs in as `username` (password [`PASSWORD`]) on the server at `base`; panics on failure.
pub async fn session_at(client: &reqwest::Client, base: &str, username: &str) -> String {
    let (_, location, cookie) = login_at(client, base, username, PASSWORD, None).await;
    cookie.unwrap_or_else(|| panic!("{username} could not sign in: {location}"))
}

impl TestServer {
    /// Signs in through `POST /login`; returns the response's status, `Location` and the
    /// session cookie (`name=value`) if one was set.
    pub async fn login_as(
        &self,
        username: &str,
        password: &str,
        cookie: Option<&str>,
    ) -> (reqwest::StatusCode, String, Option<String>) {
        login_at(&self.client, &self.base, username, password, cookie).await
    }

    /// Signs in and returns the session cookie; panics when sign-in fails.
    pub async fn session(&self, username: &str) -> String {
        session_at(&self.client, &self.base, username).await
    }

    /// POSTs a server function with a form body and an optional session cookie.
    pub async fn call(
        &self,
        path: &str,
        form: &[(&str, String)],
        cookie: Option<&str>,
    ) -> (reqwest::StatusCode, String) {
        let mut request = self.client.post(self.url(path)).form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("POST");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }
}

// ---- Records for authorization tests -------------------------------------------------------

use app::domain::access::{Grant, Role};
use app::ssr::entity::{assessment, cycle, key_result, objective, official, org_unit};
use sea_orm::{ActiveModelTrait, Set};

/// An official with an account, a key result and an assessment.
pub struct Person {
    pub official: i64,
    pub account: i64,
    pub username: String,
    pub full_name: String,
    pub key_result: i64,
    pub assessment: i64,
    pub unit_id: i64,
    pub unit_code: String,
}

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
}

pub async fn unit(db: &DatabaseConnection, code: &str, kind: &str, parent: Option<i64>) -> i64 {
    let id = org_unit::ActiveModel {
        code: Set(code.into()),
        name: Set(format!("Đơn vị {code}")),
        kind: Set(kind.into()),
        parent_id: Set(parent),
        approved_headcount: Set(10),
        valid_from: Set(today()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("unit")
    .id;
    app::ssr::repo::scope::rebuild_units(db)
        .await
        .expect("unit closure");
    id
}

/// An active official (a specialist) of `unit_id`; returns its id.
pub async fn official(
    db: &DatabaseConnection,
    code: &str,
    full_name: &str,
    unit_id: i64,
    reviewer: Option<i64>,
) -> i64 {
    let now = chrono::Utc::now();
    official::ActiveModel {
        search_key: Set(Some(app::domain::text::search_key(&[full_name, code]))),
        personnel_code: Set(code.into()),
        full_name: Set(full_name.into()),
        category: Set("civil_servant".into()),
        job_position: Set("Chuyên viên".into()),
        task_group: Set("specialist".into()),
        is_leader: Set(false),
        unit_id: Set(unit_id),
        reviewer_id: Set(reviewer),
        status: Set("active".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("official")
    .id
}

/// An official of `unit` with one objective, one key result, one assessment in the cycle and an
/// account holding `grants` (the official's own grant when empty).
pub async fn person(
    db: &DatabaseConnection,
    code: &str,
    (unit_id, unit_code): (i64, &str),
    reviewer: Option<i64>,
    cycle_id: i64,
    grants: &[Grant],
) -> Person {
    let now = chrono::Utc::now();
    let full_name = format!("Cán bộ {code}");
    let official = official(db, code, &full_name, unit_id, reviewer).await;
    let objective = objective::ActiveModel {
        cycle_id: Set(cycle_id),
        owner_official_id: Set(Some(official)),
        title: Set("Mục tiêu".into()),
        weight: Set(1.0),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("objective")
    .id;
    let key_result = key_result::ActiveModel {
        objective_id: Set(objective),
        code: Set(format!("{code}-KR1")),
        title: Set("Hồ sơ giải quyết đúng hạn".into()),
        kind: Set("increase_to".into()),
        start_value: Set(0.0),
        target_value: Set(100.0),
        current_value: Set(10.0),
        weight: Set(1.0),
        unit_of_measure: Set("hồ sơ".into()),
        data_source: Set("manual".into()),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("key result")
    .id;
    let assessment = assessment::ActiveModel {
        official_id: Set(official),
        cycle_id: Set(cycle_id),
        computed_score: Set(Some(80.0)),
        proposed_level: Set(Some("HTNV".into())),
        state: Set("self_assessed".into()),
        notes: Set(String::new()),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("assessment")
    .id;
    let username = code.to_lowercase();
    let own = [Grant {
        role: Role::Official,
        unit_id,
    }];
    let grants = if grants.is_empty() { &own[..] } else { grants };
    let account = create_account(db, &username, Some(official), grants).await;
    Person {
        official,
        account,
        username,
        full_name,
        key_result,
        assessment,
        unit_id,
        unit_code: unit_code.into(),
    }
}

/// A month cycle `code` (November 2026) in `state` (`open`, `closed`), its id.
pub async fn month_cycle(db: &DatabaseConnection, code: &str, state: &str) -> i64 {
    let period = CyclePeriod {
        kind: "month",
        number: 11,
        starts_on: today(),
        ends_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
    };
    cycle_of(db, code, ("decree-335-2025", "1"), period, state).await
}

/// The period of a cycle of 2026.
pub struct CyclePeriod {
    pub kind: &'static str,
    pub number: i32,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

/// A cycle `code` of 2026 under `(scheme, version)` in `state`, its id.
pub async fn cycle_of(
    db: &DatabaseConnection,
    code: &str,
    (scheme, version): (&str, &str),
    period: CyclePeriod,
    state: &str,
) -> i64 {
    cycle::ActiveModel {
        code: Set(code.into()),
        scheme_id: Set(scheme.into()),
        scheme_version: Set(version.into()),
        period_kind: Set(period.kind.into()),
        year: Set(2026),
        period_no: Set(period.number),
        starts_on: Set(period.starts_on),
        ends_on: Set(period.ends_on),
        state: Set(state.into()),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("cycle")
    .id
}

/// The rollup rows of a cycle by unit, their time stamps blanked (to compare two states).
pub async fn rollup_rows(
    db: &DatabaseConnection,
    cycle: i64,
) -> Vec<app::ssr::entity::unit_cycle_rollup::Model> {
    use app::ssr::entity::unit_cycle_rollup;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    unit_cycle_rollup::Entity::find()
        .filter(unit_cycle_rollup::Column::CycleId.eq(cycle))
        .order_by_asc(unit_cycle_rollup::Column::UnitId)
        .all(db)
        .await
        .expect("rollups")
        .into_iter()
        .map(|mut r| {
            r.updated_at = chrono::DateTime::UNIX_EPOCH;
            r
        })
        .collect()
}

/// A sheet to fill: province P with agencies P-U and P-V, a month cycle open; in P-U official
/// A (a draft, reviewed by R), reviewer R and unit leader L; in P-V a stranger S.
pub struct DraftSheet {
    pub server: TestServer,
    pub db: DatabaseConnection,
    pub a: Person,
    pub open: i64,
}

/// The [`DraftSheet`] world on `engine` (`None` when that database is not available here).
pub async fn draft_sheet(engine: Engine) -> Option<DraftSheet> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let u = unit(&db, "P-U", "agency", Some(p)).await;
    let v = unit(&db, "P-V", "agency", Some(p)).await;
    let open = month_cycle(&db, "2026-11", "open").await;
    let g = |role, unit_id| Grant { role, unit_id };
    let r = person(&db, "R", (u, "P-U"), None, open, &[g(Role::Reviewer, u)]).await;
    person(&db, "L", (u, "P-U"), None, open, &[g(Role::UnitLeader, u)]).await;
    person(&db, "S", (v, "P-V"), None, open, &[]).await;
    let a = person(&db, "A", (u, "P-U"), Some(r.official), open, &[]).await;
    assessment::Entity::update_many()
        .col_expr(assessment::Column::State, Expr::value("draft"))
        .filter(assessment::Column::Id.eq(a.assessment))
        .exec(&db)
        .await
        .expect("draft");
    Some(DraftSheet {
        server,
        db,
        a,
        open,
    })
}

/// The ids of the objectives `filter` selects, and their key results.
pub async fn objectives_and_key_results(
    db: &DatabaseConnection,
    filter: sea_orm::Condition,
) -> (Vec<i64>, Vec<key_result::Model>) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let objectives: Vec<i64> = objective::Entity::find()
        .filter(filter)
        .all(db)
        .await
        .expect("objectives")
        .into_iter()
        .map(|o| o.id)
        .collect();
    let key_results = key_result::Entity::find()
        .filter(key_result::Column::ObjectiveId.is_in(objectives.clone()))
        .all(db)
        .await
        .expect("key results");
    (objectives, key_results)
}
