//! The cycles page over HTTP, on SQLite and PostgreSQL: an administrator lists the cycles with
//! their states and deadlines and creates one from a scheme and a period (audited); bad input
//! names its field and changes nothing; someone who administers nothing is refused. (Moving a
//! cycle is tested in `lifecycle.rs`.)

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{assessment, audit_log, cycle};
use common::{Engine, TestServer, create_account, month_cycle, person, unit};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

struct World {
    server: TestServer,
    db: DatabaseConnection,
    admin: String,
    official: String,
}

/// A province with one agency, an open month, an administrator and an official.
async fn world(engine: Engine) -> Option<World> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let u = unit(&db, "P-U", "agency", Some(p)).await;
    let open = month_cycle(&db, "2026-11", "open").await;
    let admin = Grant {
        role: Role::Admin,
        unit_id: p,
    };
    create_account(&db, "adm", None, &[admin]).await;
    person(&db, "A", (u, "P-U"), None, open, &[]).await;
    let admin = server.session("adm").await;
    let official = server.session("a").await;
    Some(World {
        server,
        db,
        admin,
        official,
    })
}

async fn create(w: &World, who: &str, fields: [&str; 4]) -> (u16, Value) {
    let [scheme, kind, year, number] = fields.map(str::to_owned);
    let form = [
        ("scheme", scheme),
        ("kind", kind),
        ("year", year),
        ("number", number),
    ];
    let (status, body) = w.server.call("/api/cycle/create", &form, Some(who)).await;
    let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status.as_u16(), json)
}

async fn cycles(db: &DatabaseConnection) -> u64 {
    cycle::Entity::find().count(db).await.expect("count")
}

on_both_databases!(
    an_administrator_creates_a_cycle_from_a_scheme_and_a_period,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let (status, body) = create(&w, &w.admin, ["decree-335-2025", "month", "2026", "12"]).await;
        assert_eq!((status, &body), (200, &Value::from("2026-12")));
        let made = cycle::Entity::find()
            .filter(cycle::Column::Code.eq("2026-12"))
            .one(&w.db)
            .await
            .expect("query")
            .expect("the cycle");
        assert_eq!(
            (
                made.state.as_str(),
                made.starts_on.to_string(),
                made.ends_on.to_string()
            ),
            ("planning", "2026-12-01".into(), "2026-12-31".into())
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("cycle_create"))
            .one(&w.db)
            .await
            .expect("query")
            .expect("audited");
        assert_eq!(audited.entity_id.as_deref(), Some("2026-12"));
        // The year's classification of a monthly scheme.
        let (status, body) = create(&w, &w.admin, ["decree-335-2025", "year", "2026", "1"]).await;
        assert_eq!((status, &body), (200, &Value::from("2026")));
        // The overview: the latest first, with state, deadlines and the next step.
        let (status, body) = w.server.call("/api/cycles", &[], Some(&w.admin)).await;
        assert_eq!(status, 200, "{body}");
        let rows: Value = serde_json::from_str(&body).expect("JSON");
        let codes: Vec<&str> = rows
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["code"].as_str().expect("code"))
            .collect();
        assert_eq!(codes, ["2026-12", "2026", "2026-11"], "by end, then start");
        assert_eq!(rows[0]["state"], "planning");
        assert_eq!(rows[0]["next"], "open");
        assert_eq!(
            rows[1]["deadlines"]["approval"], "2026-12-14",
            "before 15 December"
        );
        assert_eq!(
            rows[2]["deadlines"]["self_assessment"], "2026-11-24",
            "before the 25th"
        );
        w.server.stop().await;
    }
);

on_both_databases!(
    bad_cycles_name_their_field_and_change_nothing,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        for (fields, field, key) in [
            (
                ["no-such-scheme", "month", "2026", "12"],
                "scheme",
                "unknown_scheme",
            ),
            (
                ["decree-335-2025", "quarter", "2026", "4"],
                "period_kind",
                "kind_not_in_scheme",
            ),
            (
                ["decree-335-2025", "month", "2026", "13"],
                "period_no",
                "out_of_range",
            ),
            (
                ["decree-335-2025", "month", "1999", "1"],
                "year",
                "out_of_range",
            ),
            (
                ["decree-335-2025", "month", "hai nghìn", "1"],
                "year",
                "not_a_number",
            ),
            (
                ["decree-335-2025", "month", "2026", "11"],
                "period_no",
                "cycle_exists",
            ),
        ] {
            let (status, body) = create(&w, &w.admin, fields).await;
            assert_eq!(status, 400, "{fields:?}: {body}");
            assert_eq!(body["Invalid"]["field"], field, "{fields:?}");
            assert_eq!(body["Invalid"]["message"], key, "{fields:?}");
        }
        assert_eq!(cycles(&w.db).await, 1, "nothing created");
        // Someone who administers nothing: refused and audited, for the list and the form.
        let (status, _) = create(&w, &w.official, ["okr-basic", "quarter", "2027", "1"]).await;
        assert_eq!(status, 403);
        let (status, _) = w.server.call("/api/cycles", &[], Some(&w.official)).await;
        assert_eq!(status, 403);
        let (status, _) = w.server.call("/api/cycles", &[], None).await;
        assert_eq!(status, 401);
        assert_eq!(cycles(&w.db).await, 1);
        let refusals = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("access_denied"))
            .filter(audit_log::Column::Entity.eq("cycle"))
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(refusals, 2);
        w.server.stop().await;
    }
);

on_both_databases!(
    the_cycles_page_is_server_rendered_in_both_languages,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let (status, html) = w.server.get_with("/cycles", &[("cookie", &w.admin)]).await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>Kỳ đánh giá</h1>"), "{html}");
        assert!(html.contains("Đang thực hiện"), "the state, translated");
        assert!(html.contains("Chuyển sang:"), "the next step");
        assert!(html.contains("Tự đánh giá: 24/11/2026"), "the deadlines");
        assert!(html.contains("Nghị định 335"), "the scheme by its name");
        let english = format!("{}; i18n_pref_locale=en", w.admin);
        let (_, html) = w.server.get_with("/cycles", &[("cookie", &english)]).await;
        assert!(html.contains("<h1>Evaluation cycles</h1>"));
        assert!(html.contains("In progress"));
        let (_, html) = w
            .server
            .get_with("/cycles", &[("cookie", &w.official)])
            .await;
        assert!(html.contains("alert-error") && !html.contains("2026-11"));
        w.server.stop().await;
    }
);

/// Sets the deadlines of cycle `code` as `who`, from the version stored now.
async fn set_deadlines(w: &World, who: &str, code: &str, typed: [&str; 3]) -> (u16, Value) {
    let stored = cycle::Entity::find()
        .filter(cycle::Column::Code.eq(code))
        .one(&w.db)
        .await
        .expect("query")
        .expect("the cycle");
    let [own, review, approval] = typed.map(str::to_owned);
    let form = [
        ("id", stored.id.to_string()),
        ("version", stored.version.to_string()),
        ("deadline_self", own),
        ("deadline_review", review),
        ("deadline_approval", approval),
    ];
    let (status, body) = w
        .server
        .call("/api/cycle/deadlines", &form, Some(who))
        .await;
    let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status.as_u16(), json)
}

/// The cycles as the administrator's page reads them.
async fn overview(w: &World) -> Value {
    let (_, body) = w.server.call("/api/cycles", &[], Some(&w.admin)).await;
    serde_json::from_str::<Value>(&body).unwrap_or(Value::Null)
}

/// When the official's own assessment is due, by their to-do list.
async fn due(w: &World) -> Value {
    let (_, body) = w.server.call("/api/todo", &[], Some(&w.official)).await;
    let json = serde_json::from_str::<Value>(&body).unwrap_or(Value::Null);
    json[0]["OwnAssessment"]["due"].clone()
}

on_both_databases!(
    a_cycle_has_its_own_deadlines_in_order_and_the_to_do_list_follows_them,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let listed = |json: &Value| {
            let row = json
                .as_array()
                .and_then(|rows| rows.iter().find(|r| r["code"] == "2026-11").cloned())
                .unwrap_or(Value::Null);
            (row["deadlines"].clone(), row["own_deadlines"].clone())
        };
        // The legal defaults first.
        let (deadlines, own) = listed(&overview(&w).await);
        assert_eq!(deadlines["review"], "2026-11-30");
        assert_eq!(own["review"], Value::Null);
        // A later review, the others typed as their defaults: only the review is the cycle's.
        let (status, body) =
            set_deadlines(&w, &w.admin, "2026-11", ["2026-11-24", "2026-12-03", ""]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["review"], "2026-12-03");
        let (deadlines, own) = listed(&overview(&w).await);
        assert_eq!(
            (deadlines["review"].clone(), deadlines["approval"].clone()),
            ("2026-12-03".into(), "2026-12-05".into())
        );
        assert_eq!(
            (own["self_assessment"].clone(), own["review"].clone()),
            (Value::Null, "2026-12-03".into())
        );
        // The official's draft is due on the cycle's own date once it has one.
        assessment::Entity::update_many()
            .col_expr(assessment::Column::State, Expr::value("draft"))
            .exec(&w.db)
            .await
            .expect("draft");
        assert_eq!(due(&w).await, "2026-11-24");
        let (status, _) =
            set_deadlines(&w, &w.admin, "2026-11", ["2026-11-27", "2026-12-03", ""]).await;
        assert_eq!(status, 200);
        assert_eq!(due(&w).await, "2026-11-27");
        // Refused by field, nothing written; from an old version, a conflict.
        for (typed, field) in [
            (["", "2026-12-03", "2026-12-01"], "deadline_approval"),
            (["2026-10-30", "", ""], "deadline_self"),
            (["24/11/2026", "", ""], "deadline_self"),
        ] {
            let (status, body) = set_deadlines(&w, &w.admin, "2026-11", typed).await;
            assert_eq!(
                (status, body["Invalid"]["field"].clone()),
                (400, field.into()),
                "{typed:?}"
            );
        }
        assert_eq!(listed(&overview(&w).await).1["review"], "2026-12-03");
        let stored = cycle::Entity::find()
            .filter(cycle::Column::Code.eq("2026-11"))
            .one(&w.db)
            .await
            .expect("query")
            .expect("the cycle");
        let stale = [
            ("id", stored.id.to_string()),
            ("version", (stored.version - 1).to_string()),
            ("deadline_review", "2026-12-04".to_owned()),
        ];
        let (status, _) = w
            .server
            .call("/api/cycle/deadlines", &stale, Some(&w.admin))
            .await;
        assert_eq!(status.as_u16(), 409);
        // An official administers nothing.
        let (status, _) = set_deadlines(&w, &w.official, "2026-11", ["", "2026-12-09", ""]).await;
        assert_eq!(status, 403);
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("cycle_deadlines"))
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(audited, 2);
        // Back to the defaults: nothing is the cycle's own any more.
        let (status, _) = set_deadlines(&w, &w.admin, "2026-11", ["", "", ""]).await;
        assert_eq!(status, 200);
        assert_eq!(listed(&overview(&w).await).1["review"], Value::Null);
        w.server.stop().await;
    }
);
