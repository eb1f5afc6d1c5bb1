//! A fuzz of the server functions' form decoding, through the real HTTP endpoints of a running
//! server: every `/api/…` endpoint declared in `app/src/api` receives bodies made of its own
//! argument names (and their `a[b]`, `a[0]` forms) with values that are wrong in every way a
//! hostile client could make them, or plain random bytes, from an administrator, an official
//! and nobody. Whatever arrives, the server answers without a 5xx and keeps serving.
//!
//! `make test` runs `THUOCDO_FUZZ_CASES` (default 300) requests per database; a longer run:
//! `THUOCDO_FUZZ_CASES=20000 cargo test -p server --test fuzz_forms` (docs/RELIABILITY.md).
//! A case that fails prints its endpoint and body: add it to `FOUND` below once fixed.

mod common;

use std::collections::BTreeSet;

use app::domain::access::{Grant, Role};
use common::{Engine, TestServer, create_account, month_cycle, person, unit_id};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

const API_SOURCES: &[&str] = &[
    include_str!("../../app/src/api/admin.rs"),
    include_str!("../../app/src/api/assessments.rs"),
    include_str!("../../app/src/api/compare.rs"),
    include_str!("../../app/src/api/org.rs"),
    include_str!("../../app/src/api/people.rs"),
    include_str!("../../app/src/api/queue.rs"),
];

/// Bodies that once broke an endpoint (none so far), sent before the random ones.
const FOUND: &[(&str, &str)] = &[];

/// Every endpoint (`/api/…`) and the names its source uses for arguments and fields.
fn endpoints() -> (Vec<String>, Vec<String>) {
    let mut paths = BTreeSet::new();
    let mut names = BTreeSet::new();
    for source in API_SOURCES {
        for piece in source.split("endpoint = \"").skip(1) {
            if let Some((path, _)) = piece.split_once('"') {
                paths.insert(format!("/api/{path}"));
            }
        }
        // `name:` where name is a lower-case identifier: arguments and struct fields.
        for word in source.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')) {
            if let Some(name) = word.strip_suffix(':')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                names.insert(name.to_owned());
            }
        }
    }
    (paths.into_iter().collect(), names.into_iter().collect())
}

/// A value as a client could send it, already in the body's encoding (some not valid).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "0",
            "-1",
            "1",
            "2",
            "3",
            "10",
            "true",
            "false",
            "on",
            "null",
            "NaN",
            "inf",
            "1e309",
            "-1e300",
            "9223372036854775808",
            "-9223372036854775809",
            "2026-11",
            "2026-11-30",
            "HTXSNV",
            "HTTNV",
            "KHTNV",
            "vi",
            "en",
            "admin",
            "official",
            "HUE",
            "%FF%FE",
            "%00",
            "%",
            "%zz",
            "a%20b",
            "%3Cscript%3E",
            "[]",
            "{}",
            "%5B%5D",
            "=",
            "&",
            "+",
            "%E1%BB%87",
        ])
        .prop_map(str::to_owned),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[a-zA-Z0-9 _.-]{0,24}".prop_map(|s| s.replace(' ', "+")),
        (1usize..20_000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A body: pairs of known names (plain, nested or indexed) and values, or random bytes.
fn body(names: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let name =
        (prop::sample::select(names), 0u8..6, "[a-z0-9]{0,4}").prop_map(|(name, form, inner)| {
            match form {
                0 => format!("{name}[{inner}]"),
                1 => format!("{name}[0]"),
                2 => format!("{name}[]"),
                _ => name,
            }
        });
    prop_oneof![
        6 => prop::collection::vec((name, value()), 0..8).prop_map(|pairs| {
            let pairs: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join("&").into_bytes()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..256),
    ]
}

/// Who calls.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Admin,
    Official,
    Nobody,
}

fn case(
    paths: Vec<String>,
    names: Vec<String>,
) -> impl Strategy<Value = (String, Vec<u8>, Caller, bool)> {
    (
        prop::sample::select(paths),
        body(names),
        prop::sample::select(vec![Caller::Admin, Caller::Official, Caller::Nobody]),
        // One time in eight, a content type the endpoint does not expect.
        prop::bool::weighted(0.125),
    )
}

async fn fuzz(engine: Engine) {
    let Some(server) = TestServer::start(engine, true).await else {
        return;
    };
    let db = server.db.connect().await;
    let (city, ward) = (unit_id(&db, "HUE").await, unit_id(&db, "HUE-S01").await);
    let cycle = month_cycle(&db, "2026-11", "open").await;
    create_account(
        &db,
        "fuzz-admin",
        None,
        &[Grant {
            role: Role::Admin,
            unit_id: city,
        }],
    )
    .await;
    let official = person(&db, "FUZZ01", (ward, "HUE-S01"), None, cycle, &[]).await;
    let admin = server.session("fuzz-admin").await;
    let own = server.session(&official.username).await;

    let (paths, names) = endpoints();
    let declared: usize = API_SOURCES
        .iter()
        .map(|s| s.matches("#[server(name").count())
        .sum();
    assert_eq!(paths.len(), declared, "endpoints found: {paths:?}");
    let cases: usize = std::env::var("THUOCDO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let strategy = case(paths, names);
    let mut runner = TestRunner::deterministic();
    let found = FOUND.iter().map(|(path, body)| {
        (
            (*path).to_owned(),
            body.as_bytes().to_vec(),
            Caller::Admin,
            false,
        )
    });
    let random = (0..cases).map(|_| strategy.new_tree(&mut runner).expect("a case").current());
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for (path, body, caller, odd_type) in found.chain(random) {
        let content_type = if odd_type {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut request = server
            .client
            .post(server.url(&path))
            .header("content-type", content_type)
            .body(body.clone());
        match caller {
            Caller::Admin => request = request.header("cookie", &admin),
            Caller::Official => request = request.header("cookie", &own),
            Caller::Nobody => {}
        }
        let response = request.send().await.expect("POST");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(
            !status.is_server_error(),
            "{path} as {caller:?} ({content_type}) answered {status} to {:?}: {text}",
            String::from_utf8_lossy(&body)
        );
        *statuses.entry(status.as_u16()).or_default() += 1;
    }
    // Still serving, and the session still good.
    let (status, _) = server.call("/api/me", &[], Some(&admin)).await;
    assert_eq!(status, 200);
    // Not every request was refused at the door: some reached the services.
    assert!(statuses.get(&200).copied().unwrap_or(0) > 0, "{statuses:?}");
    eprintln!("fuzz_forms ({engine:?}): {statuses:?}");
    server.stop().await;
}

on_both_databases!(every_endpoint_survives_hostile_form_bodies, fuzz);
