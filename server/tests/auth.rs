//! Accounts and sessions through the real HTTP endpoints, on SQLite and PostgreSQL: sign-in
//! rotates the session, sign-out and idle expiry end it, a password change ends the other
//! sessions, cross-site writes are refused, failed sign-ins are rate limited, security
//! headers are set, and every kind of write leaves an audit entry that nothing can change.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{audit_log, org_unit, session};
use common::{Engine, PASSWORD, TestServer, create_account};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Statement,
};

/// A server with the demo units and one account `an` (leadership over the city).
async fn with_account(engine: Engine) -> Option<(TestServer, DatabaseConnection)> {
    let server = TestServer::start(engine, true).await?;
    let db = server.db.connect().await;
    let city = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq("HUE"))
        .one(&db)
        .await
        .expect("query")
        .expect("city");
    let grant = Grant {
        role: Role::Leadership,
        unit_id: city.id,
    };
    create_account(&db, "an", None, &[grant]).await;
    Some((server, db))
}

/// Whether `/api/me` recognises the cookie.
async fn signed_in(server: &TestServer, cookie: &str) -> bool {
    let (status, body) = server.call("/api/me", &[], Some(cookie)).await;
    assert_eq!(status, 200, "{body}");
    body.contains("\"username\":\"an\"")
}

async fn audit_actions(db: &DatabaseConnection) -> Vec<String> {
    audit_log::Entity::find()
        .all(db)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

on_both_databases!(
    sign_in_rotates_the_session_and_sign_out_ends_it,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let (status, location, first) = server.login_as("an", PASSWORD, None).await;
        assert_eq!((status.as_u16(), location.as_str()), (303, "/officials"));
        let first = first.expect("a session cookie");
        assert!(signed_in(&server, &first).await);
        // Signing in again from the same browser replaces the session id.
        let (_, _, second) = server.login_as("  AN ", PASSWORD, Some(&first)).await;
        let second = second.expect("a new cookie");
        assert_ne!(first, second);
        assert!(
            !signed_in(&server, &first).await,
            "the old id no longer works"
        );
        assert!(signed_in(&server, &second).await);
        // The cookie is HttpOnly and SameSite=Lax.
        let response = server
            .client
            .post(server.url("/login"))
            .form(&[("username", "an"), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        let set_cookie = response.headers()["set-cookie"].to_str().expect("text");
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
        // Sign out: the row is gone and the cookie is cleared.
        let response = server
            .client
            .post(server.url("/logout"))
            .header("cookie", &second)
            .send()
            .await
            .expect("logout");
        assert_eq!(response.status(), 303);
        assert!(
            response.headers()["set-cookie"]
                .to_str()
                .expect("text")
                .contains("Max-Age=0")
        );
        assert!(!signed_in(&server, &second).await);
        let actions = audit_actions(&db).await;
        // Creating the account is a write too.
        for action in ["account_create", "login", "logout"] {
            assert!(
                actions.iter().any(|a| a == action),
                "{action} in {actions:?}"
            );
        }
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(
    a_session_ends_after_thirty_idle_minutes,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let cookie = server.session("an").await;
        assert!(signed_in(&server, &cookie).await);
        let idle = chrono::Utc::now() - chrono::Duration::minutes(31);
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(idle),
            )
            .exec(&db)
            .await
            .expect("age the session");
        // The server keeps the session in memory with its own times; here only the database
        // was aged, so the kept copy is dropped as any write of sessions drops it.
        app::ssr::repo::versions::bump(&db, app::ssr::repo::versions::ACCESS)
            .await
            .expect("raise the access version");
        assert!(!signed_in(&server, &cookie).await);
        assert_eq!(session::Entity::find().count(&db).await.expect("count"), 0);
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(
    a_password_change_ends_the_other_sessions,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let here = server.session("an").await;
        let elsewhere = server.session("an").await;
        // Bad input changes nothing and names the problem.
        for (new, error) in [
            ("short", "error=password_too_short"),
            ("Thuocdo@2026!", "error=password_guessable"),
        ] {
            let response = server
                .client
                .post(server.url("/account/password"))
                .header("cookie", &here)
                .form(&[
                    ("current_password", PASSWORD),
                    ("new_password", new),
                    ("confirm_password", new),
                ])
                .send()
                .await
                .expect("post");
            let location = response.headers()["location"].to_str().expect("text");
            assert!(location.contains(error), "{location}");
        }
        assert!(signed_in(&server, &elsewhere).await);
        let new = "một mật khẩu mới dài".to_owned();
        let (status, _) = server
            .call(
                "/account/password",
                &[
                    ("current_password", PASSWORD.to_owned()),
                    ("new_password", new.clone()),
                    ("confirm_password", new.clone()),
                ],
                Some(&here),
            )
            .await;
        assert_eq!(status, 303);
        assert!(signed_in(&server, &here).await, "this session goes on");
        assert!(!signed_in(&server, &elsewhere).await, "the other one ended");
        let (_, location, none) = server.login_as("an", PASSWORD, None).await;
        assert!(none.is_none() && location.contains("error=invalid"));
        let (_, _, cookie) = server.login_as("an", "một mật khẩu mới dài", None).await;
        assert!(cookie.is_some());
        assert!(
            audit_actions(&db)
                .await
                .contains(&"password_change".to_owned())
        );
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(cross_site_writes_are_refused, |engine| async move {
    let Some((server, db)) = with_account(engine).await else {
        return;
    };
    let cookie = server.session("an").await;
    let host = server.base.trim_start_matches("http://").to_owned();
    let post = |headers: Vec<(&'static str, String)>| {
        let mut request = server
            .client
            .post(server.url("/logout"))
            .header("cookie", &cookie);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let evil = post(vec![("origin", "https://evil.example".into())])
        .await
        .expect("post");
    assert_eq!(evil.status(), 403);
    let fetch = post(vec![("sec-fetch-site", "cross-site".into())])
        .await
        .expect("post");
    assert_eq!(fetch.status(), 403);
    assert!(
        signed_in(&server, &cookie).await,
        "the refused logouts did nothing"
    );
    let same = post(vec![("origin", format!("http://{host}"))])
        .await
        .expect("post");
    assert_eq!(same.status(), 303);
    assert!(!signed_in(&server, &cookie).await);
    db.close().await.ok();
    server.stop().await;
});

on_both_databases!(
    failed_sign_ins_are_rate_limited_and_audited,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        for _ in 0..5 {
            let (_, location, cookie) = server.login_as("an", "wrong password!", None).await;
            assert!(
                cookie.is_none() && location.contains("error=invalid"),
                "{location}"
            );
            // The name typed comes back to the form; the password never does.
            assert!(location.contains("username=an") && !location.contains("wrong"));
        }
        let (_, page) = server
            .get("/login?error=invalid&next=%2F&username=an")
            .await;
        assert!(
            page.contains(r#"name="username" autocomplete="username" required value="an""#),
            "{page}"
        );
        // Even the right password waits now, from this address.
        let (_, location, cookie) = server.login_as("an", PASSWORD, None).await;
        assert!(cookie.is_none(), "throttled");
        assert!(
            location.contains("error=throttled") && location.ends_with("wait=15"),
            "{location}"
        );
        // An unknown username gets the same generic answer as a wrong password.
        let (_, location, _) = server.login_as("nobody", "whatever pw", None).await;
        assert!(location.contains("error=invalid"), "{location}");
        let actions = audit_actions(&db).await;
        assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 6);
        assert!(actions.contains(&"login_throttled".to_owned()));
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(pages_carry_the_security_headers, |engine| async move {
    let Some((server, db)) = with_account(engine).await else {
        return;
    };
    let response = server
        .client
        .get(server.url("/login"))
        .send()
        .await
        .expect("get");
    let headers = response.headers().clone();
    let policy = headers["content-security-policy"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        policy.contains("frame-ancestors 'none'") && policy.contains("'nonce-"),
        "{policy}"
    );
    assert!(policy.contains("'wasm-unsafe-eval'"));
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce")
        .to_owned();
    let body = response.text().await.expect("body");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the inline script carries it"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    // Plain HTTP (no THUOCDO_COOKIE_SECURE): no HSTS, which would lock browsers out.
    assert!(!headers.contains_key("strict-transport-security"));
    let api = server.call("/api/me", &[], None).await;
    assert_eq!(api.0, 200);
    db.close().await.ok();
    server.stop().await;
});

on_both_databases!(
    the_audit_log_refuses_updates_and_deletes,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let backend = db.get_database_backend();
        assert!(audit_log::Entity::find().count(&db).await.expect("count") > 0);
        for sql in [
            "UPDATE audit_log SET actor = 'someone else'",
            "DELETE FROM audit_log",
        ] {
            let result = db.execute_raw(Statement::from_string(backend, sql)).await;
            let error = result.expect_err("refused").to_string();
            assert!(error.contains("append-only"), "{sql}: {error}");
        }
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(
    concurrent_writes_that_read_first_all_succeed,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        // A grant reads whether the account holds the role, then writes it and its audit
        // entry. On SQLite such a transaction must take the write lock up front: one that
        // read before another committed would fail with "database is locked".
        let city = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq("HUE"))
            .one(&db)
            .await
            .expect("query")
            .expect("city")
            .id;
        let scope = |role| Grant {
            role,
            unit_id: city,
        };
        create_account(&db, "root", None, &[scope(Role::Admin)]).await;
        let mut accounts = Vec::new();
        for i in 0..16 {
            accounts.push(
                create_account(&db, &format!("user{i}"), None, &[scope(Role::Official)]).await,
            );
        }
        let root = server.session("root").await;
        let server = std::sync::Arc::new(server);
        let mut grants = tokio::task::JoinSet::new();
        for account in accounts {
            let (server, root) = (server.clone(), root.clone());
            grants.spawn(async move {
                let form = [
                    ("account_id", account.to_string()),
                    ("role", "reviewer".to_owned()),
                    ("unit_id", city.to_string()),
                ];
                server.call("/api/admin/grant", &form, Some(&root)).await
            });
        }
        while let Some(result) = grants.join_next().await {
            let (status, body) = result.expect("task");
            assert_eq!((status.as_u16(), body.as_str()), (200, "true"));
        }
        db.close().await.ok();
        let server = std::sync::Arc::into_inner(server).expect("the only owner");
        server.stop().await;
    }
);

on_both_databases!(
    a_user_sees_their_sessions_and_ends_the_others_with_their_password,
    |engine| async move {
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let here = server.session("an").await;
        let elsewhere = server.session("an").await;
        let (status, body) = server.call("/api/sessions", &[], Some(&here)).await;
        assert_eq!(status, 200, "{body}");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&body).expect("json");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows.iter().filter(|r| r["current"] == true).count(),
            1,
            "{body}"
        );
        // A wrong password ends nothing (a stolen session alone cannot sign the owner out).
        let wrong = [("current_password", "not the password".to_owned())];
        let (status, body) = server
            .call("/api/sessions/end-others", &wrong, Some(&here))
            .await;
        assert_eq!(status, 400);
        assert!(body.contains("\"field\":\"current_password\""), "{body}");
        assert!(signed_in(&server, &elsewhere).await);
        let right = [("current_password", PASSWORD.to_owned())];
        let (status, body) = server
            .call("/api/sessions/end-others", &right, Some(&here))
            .await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "1"));
        assert!(!signed_in(&server, &elsewhere).await);
        assert!(signed_in(&server, &here).await);
        assert!(
            audit_actions(&db)
                .await
                .contains(&"sessions_end".to_owned())
        );
        // Signed out, there is nothing to list.
        let (status, _) = server.call("/api/sessions", &[], None).await;
        assert_eq!(status, 401);
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(
    a_session_ended_or_changed_in_one_process_is_not_honoured_by_another,
    |engine| async move {
        use app::ssr::auth::session::{self as sessions, Sessions};
        use app::ssr::entity::account;
        use app::ssr::repo::{accounts, audit::Actor};
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let now = chrono::Utc::now();
        let an = account_an(&db).await;
        // Two server processes on one database, each keeping the sessions it has seen.
        let (first, second) = (Sessions::default(), Sessions::default());
        let token = sessions::create(&db, an.id, None, None, now)
            .await
            .expect("session");
        let grants = async |kept: &Sessions| {
            user(&db, kept, &token, now)
                .await
                .map(|user| user.principal.grants.len())
        };
        assert_eq!(grants(&first).await, Some(1));
        assert_eq!(grants(&second).await, Some(1));
        // A grant removed through one process is gone in the other.
        let grant = Grant {
            role: Role::Leadership,
            unit_id: grant_unit(&db).await,
        };
        let actor = Actor::system("test");
        assert!(
            accounts::revoke(&db, &an, grant, &actor, now)
                .await
                .expect("revoke")
        );
        assert_eq!(grants(&second).await, Some(0));
        // Signed out through one process: the other no longer knows the session.
        assert_eq!(grants(&first).await, Some(0));
        sessions::delete(&db, &sessions::id_of(&token))
            .await
            .expect("sign out");
        assert_eq!(grants(&second).await, None);
        assert_eq!(grants(&first).await, None);
        // A disabled account's kept session ends everywhere.
        let token = sessions::create(&db, an.id, None, None, now)
            .await
            .expect("session");
        assert!(user(&db, &second, &token, now).await.is_some());
        let an = account::Entity::find_by_id(an.id)
            .one(&db)
            .await
            .expect("query")
            .expect("an");
        accounts::set_active(&db, &an, false, an.version, &actor, now)
            .await
            .expect("disable");
        assert!(user(&db, &second, &token, now).await.is_none());
        // A kept session still ends after thirty idle minutes.
        accounts::set_active(&db, &an, true, an.version + 1, &actor, now)
            .await
            .expect("enable");
        let token = sessions::create(&db, an.id, None, None, now)
            .await
            .expect("session");
        let minutes = chrono::Duration::minutes;
        assert!(user(&db, &first, &token, now).await.is_some());
        assert!(user(&db, &first, &token, now + minutes(29)).await.is_some());
        assert!(user(&db, &first, &token, now + minutes(60)).await.is_none());
        db.close().await.ok();
        server.stop().await;
    }
);

on_both_databases!(
    a_session_is_honoured_while_the_database_is_too_busy_to_mark_it_seen,
    |engine| async move {
        use app::ssr::auth::session::{self as sessions, Sessions};
        let Some((server, db)) = with_account(engine).await else {
            return;
        };
        let now = chrono::Utc::now();
        let an = account_an(&db).await;
        let token = sessions::create(&db, an.id, None, None, now)
            .await
            .expect("session");
        let kept = Sessions::default();
        assert!(user(&db, &kept, &token, now).await.is_some());
        // Another process writes for longer than SQLite's busy timeout (on PostgreSQL the
        // write does not touch the session's row): two minutes later the session is due to
        // be marked as seen, and the request is still answered.
        let other = server.db.connect().await;
        let writing = app::ssr::db::write(&other).await.expect("write lock");
        let later = now + chrono::Duration::minutes(2);
        assert!(user(&db, &kept, &token, later).await.is_some());
        writing.rollback().await.expect("rollback");
        // Once the database is free, the next request marks it.
        assert!(user(&db, &kept, &token, later).await.is_some());
        let seen = app::ssr::entity::session::Entity::find_by_id(sessions::id_of(&token))
            .one(&db)
            .await
            .expect("query")
            .expect("session")
            .last_seen_at;
        assert_eq!(seen.timestamp(), later.timestamp());
        other.close().await.ok();
        db.close().await.ok();
        server.stop().await;
    }
);

/// The account `an` made by `with_account`.
async fn account_an(db: &DatabaseConnection) -> app::ssr::entity::account::Model {
    use app::ssr::entity::account;
    account::Entity::find()
        .filter(account::Column::Username.eq("an"))
        .one(db)
        .await
        .expect("query")
        .expect("an")
}

/// The signed-in account behind `token` as a process keeping `kept` sees it at `at`.
async fn user(
    db: &DatabaseConnection,
    kept: &app::ssr::auth::session::Sessions,
    token: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Option<app::ssr::auth::CurrentUser> {
    app::ssr::auth::session::load(db, kept, token, at)
        .await
        .expect("load")
}

/// The unit of `an`'s grant (the city).
async fn grant_unit(db: &DatabaseConnection) -> i64 {
    common::unit_id(db, "HUE").await
}
