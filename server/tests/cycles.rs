//! The cycles page over HTTP, on SQLite and PostgreSQL: an administrator lists the cycles with
//! their states and deadlines and creates one from a scheme and a period (audited); bad input
//! names its field and changes nothing; someone who administers nothing is refused. (Moving a
//! cycle is tested in `lifecycle.rs`.)

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{audit_log, cycle};
use common::{Engine, TestServer, create_account, month_cycle, person, unit};
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
