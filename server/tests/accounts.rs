//! Account administration through the real HTTP endpoints, on SQLite and PostgreSQL: an
//! administrator sees, creates, grants, revokes, disables and enables accounts inside their
//! scope only; disabling ends the account's sessions; nobody administers their own account;
//! each change is audited, and the audit trail is read within the reader's scope.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{audit_log, role_grant};
use common::{Engine, PASSWORD, TestServer, create_account, month_cycle, person, unit};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

/// Province P1 → U (official A, account `a`); province P2 → Q (official B, account `b`); an
/// administrator `root` over P1 without an official of their own. Returns the server, a
/// connection, root's cookie and the ids of A's and B's accounts.
async fn setup(engine: Engine) -> Option<(TestServer, DatabaseConnection, String, i64, i64)> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p1 = unit(&db, "P1", "province", None).await;
    let u = unit(&db, "P1-U", "agency", Some(p1)).await;
    let p2 = unit(&db, "P2", "province", None).await;
    let q = unit(&db, "P2-Q", "commune", Some(p2)).await;
    let cycle = month_cycle(&db, "2026-11", "open").await;
    let a = person(&db, "A", (u, "P1-U"), None, cycle, &[]).await;
    let b = person(&db, "B", (q, "P2-Q"), None, cycle, &[]).await;
    person(&db, "C", (u, "P1-U"), None, cycle, &[]).await;
    person(&db, "D", (q, "P2-Q"), None, cycle, &[]).await;
    let admin = Grant {
        role: Role::Admin,
        unit_id: p1,
    };
    create_account(&db, "root", None, &[admin]).await;
    let cookie = server.session("root").await;
    Some((server, db, cookie, a.account, b.account))
}

async fn last_audit(db: &DatabaseConnection, action: &str) -> audit_log::Model {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Id)
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("an audit entry {action}"))
}

fn form<'a>(pairs: &[(&'a str, &str)]) -> Vec<(&'a str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

on_both_databases!(
    an_admin_manages_the_accounts_of_their_scope_only,
    |engine| async move {
        let Some((server, db, root, a, b)) = setup(engine).await else {
            return;
        };
        // The list: A's account and root's own (marked), not B's in the other province.
        let (status, body) = server.call("/api/admin/accounts", &[], Some(&root)).await;
        assert_eq!(status, 200, "{body}");
        let list: serde_json::Value = serde_json::from_str(&body).expect("json");
        let names: Vec<&str> = list["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["username"].as_str().expect("username"))
            .collect();
        assert_eq!(names, ["a", "c", "root"]);
        assert_eq!(list["rows"][2]["mine"], true);
        // An official may not list accounts; the refusal is audited.
        let a_cookie = server.session("a").await;
        let (status, _) = server
            .call("/api/admin/accounts", &[], Some(&a_cookie))
            .await;
        assert_eq!(status, 403);
        assert_eq!(last_audit(&db, "access_denied").await.actor, "a");

        // Grant and revoke a role on A's account; both audited.
        let u = list["rows"][0]["grants"][0]["unit_id"]
            .as_i64()
            .expect("unit");
        let role = form(&[
            ("account_id", &a.to_string()),
            ("role", "reviewer"),
            ("unit_id", &u.to_string()),
        ]);
        let (status, body) = server.call("/api/admin/grant", &role, Some(&root)).await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "true"));
        let (status, body) = server.call("/api/admin/revoke", &role, Some(&root)).await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "true"));
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(a))
            .all(&db)
            .await
            .expect("grants");
        assert_eq!(grants.len(), 1, "only the official grant is left");
        assert_eq!(last_audit(&db, "revoke_role").await.actor, "root");

        // Disable A while A is signed in: the session ends, sign-in fails, the entry says so.
        let version = list["rows"][0]["version"].as_i64().expect("version");
        let disable = form(&[
            ("account_id", &a.to_string()),
            ("active", "false"),
            ("version", &version.to_string()),
        ]);
        let (status, body) = server
            .call("/api/admin/account/active", &disable, Some(&root))
            .await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "1"));
        let (_, me) = server.call("/api/me", &[], Some(&a_cookie)).await;
        assert_eq!(me, "null", "the session ended");
        let (_, location, cookie) = server.login_as("a", PASSWORD, None).await;
        assert!(
            cookie.is_none() && location.contains("error=invalid"),
            "{location}"
        );
        let entry = last_audit(&db, "account_disable").await;
        assert!(
            entry
                .after
                .unwrap_or_default()
                .contains("\"sessions_ended\":1")
        );
        // The same form again is stale: a conflict, not a silent second write.
        let (status, _) = server
            .call("/api/admin/account/active", &disable, Some(&root))
            .await;
        assert_eq!(status, 409);
        let enable = form(&[
            ("account_id", &a.to_string()),
            ("active", "true"),
            ("version", &(version + 1).to_string()),
        ]);
        let (status, _) = server
            .call("/api/admin/account/active", &enable, Some(&root))
            .await;
        assert_eq!(status, 200);
        assert!(server.login_as("a", PASSWORD, None).await.2.is_some());

        // Outside the scope, or one's own account: refused and audited.
        let audited = last_audit(&db, "access_denied").await.id;
        for account in [b, list["rows"][2]["id"].as_i64().expect("root id")] {
            let other = form(&[
                ("account_id", &account.to_string()),
                ("active", "false"),
                ("version", "1"),
            ]);
            let (status, _) = server
                .call("/api/admin/account/active", &other, Some(&root))
                .await;
            assert_eq!(status, 403, "account {account}");
        }
        assert!(last_audit(&db, "access_denied").await.id > audited);
        server.stop().await;
    }
);

on_both_databases!(
    an_admin_creates_accounts_for_officials_in_scope,
    |engine| async move {
        let Some((server, db, root, _, b)) = setup(engine).await else {
            return;
        };
        let new = |username: &str, code: &str| {
            form(&[
                ("username", username),
                ("display_name", "Chị Cúc"),
                ("personnel_code", code),
            ])
        };
        let create = |form: Vec<(&'static str, String)>| {
            let (server, root) = (&server, root.clone());
            async move {
                server
                    .call("/api/admin/account/create", &form, Some(&root))
                    .await
            }
        };
        // E: an official of U without an account (C, A and B have theirs).
        let u = app::ssr::repo::org_units::id_by_code(&db, "P1-U")
            .await
            .expect("query")
            .expect("unit");
        common::official(&db, "E", "Chị Cúc", u, None).await;
        // Bad input names its field, and creates nothing.
        for (form, field) in [
            (new("cuc", "NOPE"), "personnel_code"),
            (new("c ú c", "E"), "username"),
        ] {
            let (status, body) = create(form).await;
            assert_eq!(status, 400, "{body}");
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
        }
        // An official of the other province: refused.
        let (status, _) = create(new("dung", "D")).await;
        assert_eq!(status, 403);
        // E in U: created with the official role over U and no password, audited; the
        // administrator gets a one-time link, not a password.
        let (status, body) = create(new("cuc", "E")).await;
        assert_eq!(status, 200, "{body}");
        let token = token_in(&body);
        for action in ["account_create", "setup_link_issued"] {
            let entry = last_audit(&db, action).await;
            assert_eq!(
                (entry.actor.as_str(), entry.entity_id.as_deref()),
                ("root", Some("cuc"))
            );
        }
        let strong = "một mật khẩu đủ dài";
        let (_, location, _) = server.login_as("cuc", strong, None).await;
        assert!(
            location.contains("error=invalid"),
            "no password yet: {location}"
        );
        // The owner sets the password through the link: the rules apply, then it works once.
        let location = set_up(&server, &token, "thuocdo2026!", "thuocdo2026!").await;
        assert_eq!(
            location,
            format!("/setup/{token}?error=password_guessable&field=new_password")
        );
        assert_eq!(
            set_up(&server, &token, strong, strong).await,
            "/login?setup=done"
        );
        assert_eq!(last_audit(&db, "password_setup").await.actor, "cuc");
        let (_, _, cookie) = server.login_as("cuc", strong, None).await;
        let (_, me) = server.call("/api/me", &[], cookie.as_deref()).await;
        assert!(
            me.contains("\"roles\":[[\"official\",\"Đơn vị P1-U\"]]"),
            "{me}"
        );
        // The header's brief form: who, and what they may do, without the roles' units.
        let brief = [("brief", "true".to_owned())];
        let (_, me) = server.call("/api/me", &brief, cookie.as_deref()).await;
        assert!(
            me.contains("\"roles\":[]") && me.contains("\"username\":\"cuc\""),
            "{me}"
        );
        assert_eq!(
            set_up(
                &server,
                &token,
                "một mật khẩu khác hẳn",
                "một mật khẩu khác hẳn"
            )
            .await,
            format!("/setup/{token}?error=setup_link_invalid&field=token")
        );
        // A second account for E or for C (whose password the administrator would know):
        // refused, naming the field, and nothing created.
        for code in ["E", "C"] {
            let (status, body) = create(new("cuc2", code)).await;
            assert_eq!(status, 400, "{body}");
            assert!(
                body.contains("\"field\":\"personnel_code\",\"message\":\"official_has_account\""),
                "{body}"
            );
        }
        let (_, location, _) = server.login_as("cuc2", strong, None).await;
        assert!(location.contains("error=invalid"), "{location}");
        // A forgotten password: a new link; the old password works until the link is used,
        // and the link's use ends the account's sessions.
        let cuc = account_id(&db, "cuc").await;
        let link = |account: i64, cookie: String| {
            let server = &server;
            async move {
                server
                    .call(
                        "/api/admin/account/setup-link",
                        &form(&[("account_id", &account.to_string())]),
                        Some(&cookie),
                    )
                    .await
            }
        };
        let (status, body) = link(cuc, root.clone()).await;
        assert_eq!(status, 200, "{body}");
        let again = token_in(&body);
        assert!(server.login_as("cuc", strong, None).await.2.is_some());
        let newer = "mật khẩu mới của chị Cúc";
        assert_eq!(
            set_up(&server, &again, newer, newer).await,
            "/login?setup=done"
        );
        let (_, me) = server.call("/api/me", &[], cookie.as_deref()).await;
        assert_eq!(me, "null", "the old session ended");
        assert!(server.login_as("cuc", strong, None).await.2.is_none());
        assert!(server.login_as("cuc", newer, None).await.2.is_some());
        // An expired link does nothing.
        let (_, body) = link(cuc, root.clone()).await;
        let expired = token_in(&body);
        db.execute_unprepared("UPDATE account SET setup_expires_at = created_at")
            .await
            .expect("expire");
        assert_eq!(
            set_up(
                &server,
                &expired,
                "một mật khẩu nữa rất dài",
                "một mật khẩu nữa rất dài"
            )
            .await,
            format!("/setup/{expired}?error=setup_link_invalid&field=token")
        );
        // No link for one's own account, nor for an account out of scope.
        let root_id = account_id(&db, "root").await;
        assert_eq!(link(root_id, root.clone()).await.0, 403);
        assert_eq!(link(b, root.clone()).await.0, 403);
        server.stop().await;
    }
);

/// The token of the link in a server function's answer.
fn token_in(body: &str) -> String {
    let link: app::api::dto::SetupLink = serde_json::from_str(body).expect("a link");
    assert!(app::api::dto::is_token(&link.token), "{body}");
    link.token
}

/// Posts the setup form of a link; returns where it sends the browser.
async fn set_up(server: &TestServer, token: &str, new: &str, confirm: &str) -> String {
    let response = server
        .client
        .post(server.url("/setup"))
        .form(&[
            ("token", token),
            ("new_password", new),
            ("confirm_password", confirm),
        ])
        .send()
        .await
        .expect("POST /setup");
    assert_eq!(response.status(), 303);
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn account_id(db: &DatabaseConnection, username: &str) -> i64 {
    use app::ssr::entity::account;
    account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await
        .expect("query")
        .expect("account")
        .id
}

on_both_databases!(
    the_audit_trail_is_read_within_scope_and_filtered,
    |engine| async move {
        let Some((server, db, root, a, b)) = setup(engine).await else {
            return;
        };
        let unit_id = |code: &'static str| {
            let db = db.clone();
            async move {
                app::ssr::repo::org_units::id_by_code(&db, code)
                    .await
                    .expect("query")
                    .expect("unit")
            }
        };
        let (p2, u, q) = (
            unit_id("P2").await,
            unit_id("P1-U").await,
            unit_id("P2-Q").await,
        );
        let admin_p2 = Grant {
            role: Role::Admin,
            unit_id: p2,
        };
        create_account(&db, "root2", None, &[admin_p2]).await;
        let root2 = server.session("root2").await;
        // Each administrator grants a role in their own province.
        for (cookie, account, unit) in [(&root, a, u), (&root2, b, q)] {
            let grant = form(&[
                ("account_id", &account.to_string()),
                ("role", "reviewer"),
                ("unit_id", &unit.to_string()),
            ]);
            let (status, body) = server.call("/api/admin/grant", &grant, Some(cookie)).await;
            assert_eq!(status, 200, "{body}");
        }
        let read = |cookie: String, action: &'static str| {
            let server = &server;
            async move {
                let (status, body) = server
                    .call("/api/audit", &form(&[("action", action)]), Some(&cookie))
                    .await;
                assert_eq!(status, 200, "{body}");
                let entries: Vec<serde_json::Value> = serde_json::from_str(&body).expect("json");
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["actor"].as_str().unwrap_or(""),
                            e["entity_id"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
            }
        };
        // Each sees the grant made in their scope, not the other province's.
        assert_eq!(read(root.clone(), "grant_role").await, ["root a"]);
        assert_eq!(read(root2.clone(), "grant_role").await, ["root2 b"]);
        // Sign-ins have no unit: whoever audits a whole tree (a province) sees them.
        assert!(
            read(root.clone(), "login")
                .await
                .contains(&"root root".to_owned())
        );
        // An official reads no audit trail.
        let official = server.session("a").await;
        let (status, _) = server.call("/api/audit", &[], Some(&official)).await;
        assert_eq!(status, 403);
        server.stop().await;
    }
);

on_both_databases!(
    two_accounts_for_one_official_at_once_one_is_refused_by_name,
    |engine| async move {
        let Some((server, db, _root, _a, _b)) = setup(engine).await else {
            return;
        };
        let unit_id = app::ssr::repo::org_units::id_by_code(&db, "P1-U")
            .await
            .expect("query")
            .expect("unit");
        let official = common::official(&db, "E", "Cán bộ E", unit_id, None).await;
        let grants = [Grant {
            role: Role::Official,
            unit_id,
        }];
        let pool = db.clone();
        let create = move |username: &'static str| {
            let db = pool.clone();
            async move {
                let txn = app::ssr::db::write(&db).await.expect("begin");
                let made = app::ssr::auth::create_account(
                    &*txn,
                    app::ssr::auth::NewAccount {
                        username,
                        display_name: username,
                        password: None,
                        official_id: Some(official),
                        is_demo: false,
                        grants: &grants,
                    },
                    app::ssr::auth::AuthConfig {
                        cookie_secure: false,
                        hashing: app::ssr::auth::password::Cost::TestOnly,
                    },
                    &app::ssr::repo::audit::Actor::system("test"),
                    chrono::Utc::now(),
                )
                .await;
                (txn, made)
            }
        };
        // The first account is written but not committed; the second is made meanwhile in
        // another transaction (on PostgreSQL its check sees no account yet and its insert
        // waits on the unique index; on SQLite it waits for its turn to write).
        let (first, made) = create("e1").await;
        made.expect("the first account");
        let second = tokio::spawn(create("e2"));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        first.commit().await.expect("commit");
        let (second_txn, refused) = second.await.expect("task");
        second_txn.rollback().await.ok();
        match refused {
            Err(app::error::AppError::Invalid { field, message }) => {
                assert_eq!(
                    (field.as_str(), message.as_str()),
                    ("personnel_code", "official_has_account")
                );
            }
            other => panic!("a second account for one official: {other:?}"),
        }
        let accounts = app::ssr::entity::account::Entity::find()
            .filter(app::ssr::entity::account::Column::OfficialId.eq(official))
            .count(&db)
            .await
            .expect("count");
        assert_eq!(accounts, 1);
        // The database itself refuses a second row, whatever the code before it checks.
        let raw = format!(
            "INSERT INTO account (username, display_name, password_hash, official_id, is_active, \
             is_demo, version, password_changed_at, created_at, updated_at) \
             SELECT 'e3', 'e3', password_hash, official_id, is_active, is_demo, version, \
             password_changed_at, created_at, updated_at FROM account WHERE official_id = {official}"
        );
        assert!(db.execute_unprepared(&raw).await.is_err());
        server.stop().await;
    }
);
