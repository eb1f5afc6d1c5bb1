//! Account administration through the real HTTP endpoints, on SQLite and PostgreSQL: an
//! administrator sees, creates, grants, revokes, disables and enables accounts inside their
//! scope only; disabling ends the account's sessions; nobody administers their own account;
//! each change is audited, and the audit trail is read within the reader's scope.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{audit_log, role_grant};
use common::{Engine, PASSWORD, TestServer, create_account, month_cycle, person, unit};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

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
        let Some((server, db, root, _, _)) = setup(engine).await else {
            return;
        };
        let new = |username: &str, code: &str, password: &str| {
            form(&[
                ("username", username),
                ("display_name", "Chị Cúc"),
                ("personnel_code", code),
                ("password", password),
            ])
        };
        let strong = "một mật khẩu đủ dài";
        // Bad input names its field, and creates nothing.
        for (form, field) in [
            (new("cuc", "NOPE", strong), "personnel_code"),
            (new("cuc", "C", "thuocdo2026!"), "new_password"),
            (new("c ú c", "C", strong), "username"),
        ] {
            let (status, body) = server
                .call("/api/admin/account/create", &form, Some(&root))
                .await;
            assert_eq!(status, 400, "{body}");
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{body}");
        }
        // An official of the other province: refused.
        let (status, _) = server
            .call(
                "/api/admin/account/create",
                &new("dung", "D", strong),
                Some(&root),
            )
            .await;
        assert_eq!(status, 403);
        // C in U: created with the official role over U, audited, and can sign in.
        let (status, body) = server
            .call(
                "/api/admin/account/create",
                &new("cuc", "C", strong),
                Some(&root),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let entry = last_audit(&db, "account_create").await;
        assert_eq!(
            (entry.actor.as_str(), entry.entity_id.as_deref()),
            ("root", Some("cuc"))
        );
        let (_, _, cookie) = server.login_as("cuc", strong, None).await;
        let (_, me) = server.call("/api/me", &[], cookie.as_deref()).await;
        assert!(
            me.contains("\"roles\":[[\"official\",\"Đơn vị P1-U\"]]"),
            "{me}"
        );
        server.stop().await;
    }
);

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
