//! A bounded load drill on loopback, on SQLite and PostgreSQL, with the server binary as its
//! own process: many clients at once for a fixed time, a mix of what people do — officials
//! open their page and check in, reviewers score and return assessments, unit leaders approve,
//! leadership opens the comparison and the unit's dashboard.
//!
//! It proves: no answer is a 5xx or a timeout; no write is lost or applied twice — every
//! acknowledged check-in is stored once with its audit entry, every assessment's version moved
//! by exactly the number of decisions acknowledged on it and has one audit entry each, every
//! acknowledged approval is stored. It prints p50/p95/p99 per request kind.
//!
//! `make test` runs `THUOCDO_LOAD_CLIENTS` (default 40) clients for `THUOCDO_LOAD_SECS`
//! (default 6) seconds against this build; the full drill (500 clients, 5 minutes, release):
//! see docs/RELIABILITY.md.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::domain::access::{Grant, Role};
use app::ssr::entity::assessment;
use common::{
    Engine, Person, ServerChild, TestDb, create_account, month_cycle, person, session_at, unit,
    unit_id,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("count query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

/// What the drill works on, made in the database before the server starts. The names of who
/// signs in ([`Fixture::sign_in`] puts their session cookies in their place).
struct Fixture {
    /// Officials who check in, each with their session.
    officials: Vec<(Person, String)>,
    /// Assessments reviewers decide on (state self-assessed, version 1).
    scored: Vec<i64>,
    /// Assessments waiting for approval (state reviewed, proposed HTNV, version 1).
    to_approve: Vec<i64>,
    reviewer: String,
    leader: String,
    leadership: String,
    ward: i64,
}

/// Wards the people are spread over: a write refreshes its ward's rollup, whose cost grows with
/// the ward (the demo city's wards hold 20 to 45 officials).
const WARDS: usize = 20;

async fn fixture(db: &DatabaseConnection) -> Fixture {
    let cycle = month_cycle(db, "2026-11", "open").await;
    let city = unit_id(db, "HUE").await;
    let mut wards = Vec::new();
    for w in 1..=WARDS {
        let code = format!("LOAD-W{w:02}");
        wards.push((unit(db, &code, "commune", Some(city)).await, code));
    }
    let at = |i: usize| {
        let (id, code) = &wards[i % WARDS];
        (*id, code.as_str())
    };
    let g = |role| Grant {
        role,
        unit_id: city,
    };
    let reviewer = person(db, "LR0001", at(0), None, cycle, &[g(Role::Reviewer)]).await;
    let leader = person(db, "LL0001", at(0), None, cycle, &[g(Role::UnitLeader)]).await;
    create_account(db, "load-leadership", None, &[g(Role::Leadership)]).await;
    let mut officials = Vec::new();
    for i in 0..50 {
        let p = person(db, &format!("LC{i:04}"), at(i), None, cycle, &[]).await;
        let username = p.username.clone();
        officials.push((p, username));
    }
    let reviewed = Some(reviewer.official);
    let mut scored = Vec::new();
    for i in 0..50 {
        let p = person(db, &format!("LS{i:04}"), at(i), reviewed, cycle, &[]).await;
        scored.push(p.assessment);
    }
    let mut to_approve = Vec::new();
    for i in 0..setting("THUOCDO_LOAD_APPROVALS", 200) {
        let i = usize::try_from(i).expect("index");
        let p = person(db, &format!("LA{i:04}"), at(i), reviewed, cycle, &[]).await;
        assessment::ActiveModel {
            id: Set(p.assessment),
            state: Set("reviewed".into()),
            ..Default::default()
        }
        .update(db)
        .await
        .expect("reviewed");
        to_approve.push(p.assessment);
    }
    Fixture {
        officials,
        scored,
        to_approve,
        reviewer: reviewer.username,
        leader: leader.username,
        leadership: "load-leadership".into(),
        ward: wards[0].0,
    }
}

impl Fixture {
    /// Signs everyone in: each name becomes its session cookie.
    async fn sign_in(mut self, client: &reqwest::Client, base: &str) -> Self {
        let names = self.officials.iter_mut().map(|(_, name)| name);
        let others = [&mut self.reviewer, &mut self.leader, &mut self.leadership];
        for name in names.chain(others) {
            *name = session_at(client, base, name).await;
        }
        self
    }
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// Latency in microseconds, per request kind.
    latency: BTreeMap<&'static str, Vec<u64>>,
    /// Notes of acknowledged check-ins.
    check_ins: Vec<String>,
    /// Acknowledged decisions per assessment.
    decisions: BTreeMap<i64, i64>,
    approvals: Vec<i64>,
    /// Answers that should not have been given: kind, status, body.
    failures: Vec<String>,
}

struct Client {
    http: reqwest::Client,
    base: String,
    seen: Arc<Mutex<Seen>>,
}

impl Client {
    /// Sends one request of `kind`; returns whether it succeeded (any failure is recorded).
    async fn send(&self, kind: &'static str, request: reqwest::RequestBuilder) -> bool {
        let started = Instant::now();
        let answer = request.send().await;
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let mut seen = self.seen.lock().expect("lock");
        seen.latency.entry(kind).or_default().push(micros);
        match answer {
            Ok(r) if r.status().is_success() => true,
            Ok(r) => {
                seen.failures.push(format!("{kind}: {}", r.status()));
                false
            }
            Err(e) => {
                seen.failures.push(format!("{kind}: {e}"));
                false
            }
        }
    }

    async fn page(&self, kind: &'static str, path: &str, cookie: &str) -> bool {
        let url = format!("{}{path}", self.base);
        self.send(kind, self.http.get(url).header("cookie", cookie))
            .await
    }

    async fn post(
        &self,
        kind: &'static str,
        path: &str,
        form: &[(&str, String)],
        cookie: &str,
    ) -> bool {
        let url = format!("{}{path}", self.base);
        let request = self.http.post(url).header("cookie", cookie).form(form);
        self.send(kind, request).await
    }
}

/// An official: their page, then a check-in, again and again.
async fn official(client: &Client, who: usize, (p, cookie): &(Person, String), until: Instant) {
    for n in 0.. {
        if Instant::now() >= until {
            return;
        }
        client
            .page(
                "page: official",
                &format!("/officials/{}", p.official),
                cookie,
            )
            .await;
        let note = format!("load-{who}-{n}");
        let form = [
            ("key_result_id", p.key_result.to_string()),
            ("value", (n % 100).to_string()),
            ("confidence", "7".to_owned()),
            ("note", note.clone()),
        ];
        if client
            .post("write: check-in", "/api/check-in", &form, cookie)
            .await
        {
            client.seen.lock().expect("lock").check_ins.push(note);
        }
    }
}

/// A reviewer on their own share of the assessments: propose a level (alternating), and
/// every fifth decision return it for revision; the version is counted here.
async fn reviewer(client: &Client, share: Vec<i64>, cookie: &str, until: Instant) {
    if share.is_empty() {
        return;
    }
    let mut versions: BTreeMap<i64, i32> = share.iter().map(|id| (*id, 1)).collect();
    for n in 0usize.. {
        if Instant::now() >= until {
            return;
        }
        let id = share[n % share.len()];
        let version = versions[&id];
        client
            .page("page: assessment", &format!("/assessments/{id}"), cookie)
            .await;
        let (kind, path, form) = if n % 5 == 4 {
            let form = vec![
                ("id", id.to_string()),
                ("version", version.to_string()),
                ("reason", "Bổ sung minh chứng".to_owned()),
            ];
            ("write: return", "/api/assessment/return", form)
        } else {
            let level = if n % 2 == 0 { "HTTNV" } else { "HTNV" };
            let form = vec![
                ("id", id.to_string()),
                ("level", level.to_owned()),
                ("version", version.to_string()),
                ("reason", "Đánh giá theo minh chứng".to_owned()),
            ];
            ("write: score", "/api/assessment/score", form)
        };
        if client.post(kind, path, &form, cookie).await {
            versions.insert(id, version + 1);
            *client
                .seen
                .lock()
                .expect("lock")
                .decisions
                .entry(id)
                .or_default() += 1;
        }
    }
}

/// A unit leader: approves the next waiting assessment, then the unit's page; only pages once
/// none waits.
async fn leader(
    client: &Client,
    queue: &[i64],
    next: &AtomicUsize,
    cookie: &str,
    ward: i64,
    until: Instant,
) {
    while Instant::now() < until {
        if let Some(id) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
            let form = [
                ("id", id.to_string()),
                ("level", "HTNV".to_owned()),
                ("version", "1".to_owned()),
            ];
            if client
                .post("write: approve", "/api/assessment/approve", &form, cookie)
                .await
            {
                client.seen.lock().expect("lock").approvals.push(*id);
            }
        }
        client
            .page("page: unit dashboard", &format!("/units/{ward}"), cookie)
            .await;
    }
}

/// Leadership: the comparison of units, the unit's dashboard and the officials list.
async fn leadership(client: &Client, cookie: &str, ward: i64, until: Instant) {
    while Instant::now() < until {
        client.page("page: compare", "/compare", cookie).await;
        client
            .page("page: unit dashboard", &format!("/units/{ward}"), cookie)
            .await;
        client.page("page: officials", "/officials", cookie).await;
        client.post("api: me", "/api/me", &[], cookie).await;
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

async fn drill(engine: Engine) {
    let Some(test_db) = TestDb::create(engine).await else {
        return;
    };
    let clients = usize::try_from(setting("THUOCDO_LOAD_CLIENTS", 40)).expect("clients");
    let secs = setting("THUOCDO_LOAD_SECS", 6);
    common::load_sample_units(&test_db.url);
    let db = test_db.connect().await;
    let people = fixture(&db).await;
    let server = ServerChild::start(&test_db.url).await;
    let http = common::http_client();
    let fixture = Arc::new(people.sign_in(&http, &server.base).await);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let next_approval = Arc::new(AtomicUsize::new(0));
    let reviewers = (clients / 5).max(1);

    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for i in 0..clients {
        let client = Client {
            http: http.clone(),
            base: server.base.clone(),
            seen: Arc::clone(&seen),
        };
        let (fixture, next) = (Arc::clone(&fixture), Arc::clone(&next_approval));
        tasks.push(tokio::spawn(async move {
            let f = &fixture;
            match i % 10 {
                0..=5 => official(&client, i, &f.officials[i % f.officials.len()], until).await,
                6 | 7 => {
                    // Reviewer clients share the assessments out, one owner each.
                    let r = (i / 10) * 2 + (i % 10 - 6);
                    let share = f
                        .scored
                        .iter()
                        .copied()
                        .skip(r)
                        .step_by(reviewers)
                        .collect();
                    reviewer(&client, share, &f.reviewer, until).await;
                }
                8 => leader(&client, &f.to_approve, &next, &f.leader, f.ward, until).await,
                _ => leadership(&client, &f.leadership, f.ward, until).await,
            }
        }));
    }
    for task in tasks {
        task.await.expect("client");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let seen = std::mem::take(&mut *seen.lock().expect("lock"));

    // What the clients were told is what the database holds.
    let stored = count(
        &db,
        "SELECT count(*) FROM check_in WHERE note LIKE 'load-%'",
    )
    .await;
    let distinct = count(
        &db,
        "SELECT count(DISTINCT note) FROM check_in WHERE note LIKE 'load-%'",
    )
    .await;
    let audited = count(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'check_in' AND \"after\" LIKE '%\"load-%'",
    )
    .await;
    let acknowledged = i64::try_from(seen.check_ins.len()).expect("count");
    assert_eq!(
        (stored, distinct, audited),
        (acknowledged, acknowledged, acknowledged)
    );
    for (id, decisions) in &seen.decisions {
        let stored = assessment::Entity::find_by_id(*id)
            .one(&db)
            .await
            .expect("query")
            .expect("assessment");
        assert_eq!(i64::from(stored.version) - 1, *decisions, "assessment {id}");
        let entries = count(
            &db,
            &format!(
                "SELECT count(*) FROM audit_log WHERE entity = 'assessment' AND entity_id = '{id}' \
                 AND action IN ('assessment_score', 'assessment_return')"
            ),
        )
        .await;
        assert_eq!(entries, *decisions, "audit of assessment {id}");
    }
    for id in &seen.approvals {
        let stored = assessment::Entity::find_by_id(*id)
            .one(&db)
            .await
            .expect("query")
            .expect("assessment");
        assert_eq!(
            stored.approved_level.as_deref(),
            Some("HTNV"),
            "assessment {id}"
        );
    }
    let approved = count(
        &db,
        "SELECT count(*) FROM assessment WHERE approved_level IS NOT NULL",
    )
    .await;
    assert_eq!(
        approved,
        i64::try_from(seen.approvals.len()).expect("count")
    );

    let decisions: i64 = seen.decisions.values().sum();
    let total: usize = seen.latency.values().map(Vec::len).sum();
    eprintln!(
        "\nload ({engine:?}): {clients} clients for {elapsed:.0} s: {total} requests ({:.0}/s); \
         acknowledged writes: {acknowledged} check-ins, {decisions} decisions, {} approvals; \
         failures: {}",
        total as f64 / elapsed,
        seen.approvals.len(),
        seen.failures.len()
    );
    eprintln!("| request | count | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|");
    for (kind, mut times) in seen.latency {
        times.sort_unstable();
        eprintln!(
            "| {kind} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            times.len(),
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            percentile(&times, 1.0)
        );
    }
    assert!(
        seen.failures.is_empty(),
        "{:?}",
        &seen.failures[..seen.failures.len().min(20)]
    );
    assert!(acknowledged > 0 && decisions > 0 && !seen.approvals.is_empty());
    drop(server);
    test_db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    drill(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    drill(Engine::Postgres).await;
}
