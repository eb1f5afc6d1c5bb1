//! Two server processes ("replicas") on one database behave as one: a session started on one
//! works on the other and ends everywhere when it ends on either; a grant removed through one
//! is gone on the other at its next request (each replica keeps sessions in memory, under the
//! `access` data version); failed sign-ins count across both; and two conflicting edits made
//! on different replicas give the second one a conflict. Requests alternate between the two.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::account;
use common::{Engine, PASSWORD, Process, TestServer, create_account};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// A server process as its clients reach it.
struct Endpoint {
    base: String,
    client: reqwest::Client,
}

impl Endpoint {
    async fn post(
        &self,
        path: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(format!("{}{path}", self.base)).form(form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("POST")
    }

    /// `/api/me`'s answer for `cookie`.
    async fn me(&self, cookie: &str) -> String {
        let response = self.post("/api/me", &[], Some(cookie)).await;
        assert_eq!(response.status(), 200);
        response.text().await.expect("body")
    }

    /// Where a sign-in sends the browser, and the session cookie if one was set.
    async fn login(&self, username: &str, password: &str) -> (String, Option<String>) {
        let response = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ],
                None,
            )
            .await;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let cookie = header("set-cookie")
            .and_then(|c| c.split(';').next().map(str::to_owned))
            .filter(|c| !c.ends_with('='));
        (header("location").unwrap_or_default(), cookie)
    }
}

async fn account_version(db: &DatabaseConnection, username: &str) -> (i64, i32) {
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await
        .expect("query")
        .expect("account");
    (found.id, found.version)
}

on_both_databases!(
    two_replicas_on_one_database_behave_as_one,
    |engine: Engine| async move {
        let Some(server) = TestServer::start(engine, true).await else {
            return;
        };
        let db = server.db.connect().await;
        let city = common::unit_id(&db, "HUE").await;
        let grant = |role| Grant {
            role,
            unit_id: city,
        };
        create_account(&db, "an", None, &[grant(Role::Leadership)]).await;
        create_account(&db, "root", None, &[grant(Role::Admin)]).await;
        create_account(&db, "cuc", None, &[grant(Role::Organiser)]).await;
        // Replica `a` is a second process on the same database as `b` (the test server).
        let replica = Process::start(&server.db.url, false).await;
        let a = &Endpoint {
            base: replica.base.clone(),
            client: replica.client.clone(),
        };
        let b = &Endpoint {
            base: server.base.clone(),
            client: server.client.clone(),
        };
        // A session started on one replica works on the other.
        let (_, an) = a.login("an", PASSWORD).await;
        let an = an.expect("signed in on a");
        assert!(b.me(&an).await.contains("\"username\":\"an\""));
        assert!(a.me(&an).await.contains("\"username\":\"an\""));
        // A grant removed through one replica is gone on the other, which kept the session.
        let (_, root) = b.login("root", PASSWORD).await;
        let root = root.expect("signed in on b");
        let (an_id, _) = account_version(&db, "an").await;
        let response = b
            .post(
                "/api/admin/revoke",
                &[
                    ("account_id", &an_id.to_string()),
                    ("role", "leadership"),
                    ("unit_id", &city.to_string()),
                ],
                Some(&root),
            )
            .await;
        assert_eq!(response.status(), 200);
        assert!(
            a.me(&an).await.contains("\"roles\":[]"),
            "{}",
            a.me(&an).await
        );
        // Signed out on one replica: refused on both.
        let response = b.post("/logout", &[], Some(&an)).await;
        assert_eq!(response.status(), 303);
        assert_eq!(a.me(&an).await, "null");
        assert_eq!(b.me(&an).await, "null");
        // Failed sign-ins count across replicas: five wrong passwords spread over both, then
        // even the right one waits.
        for endpoint in [a, b, a, b, a] {
            let (location, cookie) = endpoint.login("cuc", "wrong password!").await;
            assert!(
                cookie.is_none() && location.contains("error=invalid"),
                "{location}"
            );
        }
        let (location, cookie) = b.login("cuc", PASSWORD).await;
        assert!(
            cookie.is_none() && location.contains("error=throttled"),
            "{location}"
        );
        // Two administrators disable the same account from the same version on different
        // replicas: the second is told it changed meanwhile.
        let (cuc_id, version) = account_version(&db, "cuc").await;
        let disable = [
            ("account_id", cuc_id.to_string()),
            ("active", "false".to_owned()),
            ("version", version.to_string()),
        ];
        let disable: Vec<(&str, &str)> = disable.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, root_a) = a.login("root", PASSWORD).await;
        let root_a = root_a.expect("signed in on a");
        let first = a
            .post("/api/admin/account/active", &disable, Some(&root_a))
            .await;
        assert_eq!(first.status(), 200);
        let second = b
            .post("/api/admin/account/active", &disable, Some(&root))
            .await;
        assert_eq!(second.status(), 409);
        replica.stop().await;
        db.close().await.ok();
        server.stop().await;
    }
);
