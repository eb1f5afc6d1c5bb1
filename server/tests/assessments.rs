//! Scores, approvals and check-ins through HTTP, on SQLite and PostgreSQL: an edit made from
//! an old version is refused (409) and loses nothing; a closed cycle no longer changes (one
//! under review still does).

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{assessment, check_in};
use common::{Engine, Person, TestServer, month_cycle, person, unit};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

/// Unit U with a unit leader `lead`; official A's records in the open cycle, B's in a closed
/// one, R's in one under review.
async fn setup(engine: Engine) -> Option<(TestServer, DatabaseConnection, Person, Person, Person)> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let u = unit(&db, "P-U", "agency", Some(p)).await;
    let open = month_cycle(&db, "2026-11", "open").await;
    let closed = month_cycle(&db, "2026-10", "closed").await;
    let review = month_cycle(&db, "2026-09", "review").await;
    let lead = Grant {
        role: Role::UnitLeader,
        unit_id: u,
    };
    person(&db, "LEAD", (u, "P-U"), None, open, &[lead]).await;
    let a = person(&db, "A", (u, "P-U"), None, open, &[]).await;
    let b = person(&db, "B", (u, "P-U"), None, closed, &[]).await;
    let r = person(&db, "R", (u, "P-U"), None, review, &[]).await;
    Some((server, db, a, b, r))
}

async fn levels(db: &DatabaseConnection, id: i64) -> (Option<String>, Option<String>, i32) {
    let a = assessment::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query")
        .expect("assessment");
    (a.proposed_level, a.approved_level, a.version)
}

fn decision(id: i64, level: &str, version: i32) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_string()),
        ("level", level.to_owned()),
        ("version", version.to_string()),
        ("reason", "Đối chiếu minh chứng".to_owned()),
    ]
}

on_both_databases!(
    an_edit_from_an_old_version_is_refused_and_loses_nothing,
    |engine| async move {
        let Some((server, db, a, _, _)) = setup(engine).await else {
            return;
        };
        let lead = server.session("lead").await;
        // Two people opened the page at version 1; the first one's level is kept.
        let (status, _) = server
            .call(
                "/api/assessment/score",
                &decision(a.assessment, "HTTNV", 1),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = server
            .call(
                "/api/assessment/score",
                &decision(a.assessment, "KHTNV", 1),
                Some(&lead),
            )
            .await;
        assert_eq!((status.as_u16(), body.as_str()), (409, "\"Conflict\""));
        assert_eq!(
            levels(&db, a.assessment).await,
            (Some("HTTNV".into()), None, 2)
        );
        // Approval from the stale page: refused too; from the fresh one: kept.
        let (status, _) = server
            .call(
                "/api/assessment/approve",
                &decision(a.assessment, "HTXSNV", 1),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 409);
        let (status, _) = server
            .call(
                "/api/assessment/approve",
                &decision(a.assessment, "HTTNV", 2),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            levels(&db, a.assessment).await,
            (Some("HTTNV".into()), Some("HTTNV".into()), 3)
        );
        // An unknown level names its field and changes nothing.
        let (status, body) = server
            .call(
                "/api/assessment/score",
                &decision(a.assessment, "GIỎI", 3),
                Some(&lead),
            )
            .await;
        assert_eq!(status, 400);
        assert!(body.contains("\"field\":\"level\""), "{body}");
        assert_eq!(levels(&db, a.assessment).await.2, 3);
        server.stop().await;
    }
);

on_both_databases!(a_closed_cycle_no_longer_changes, |engine| async move {
    let Some((server, db, _, b, r)) = setup(engine).await else {
        return;
    };
    let lead = server.session("lead").await;
    let before = levels(&db, b.assessment).await;
    for path in ["/api/assessment/score", "/api/assessment/approve"] {
        let (status, body) = server
            .call(path, &decision(b.assessment, "HTTNV", 1), Some(&lead))
            .await;
        assert_eq!(status, 400, "{path}");
        assert!(body.contains("\"message\":\"cycle_closed\""), "{body}");
    }
    assert_eq!(levels(&db, b.assessment).await, before);
    // The owner's check-in on a key result of the closed cycle: refused, nothing stored.
    let own = server.session("b").await;
    let form = [
        ("key_result_id", b.key_result.to_string()),
        ("value", "5".to_owned()),
        ("confidence", "5".to_owned()),
        ("note", String::new()),
    ];
    let (status, body) = server.call("/api/check-in", &form, Some(&own)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("\"field\":\"cycle\""), "{body}");
    let stored = check_in::Entity::find()
        .filter(check_in::Column::KeyResultId.eq(b.key_result))
        .count(&db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
    // Under review is not closed: levels still change.
    let (status, _) = server
        .call(
            "/api/assessment/score",
            &decision(r.assessment, "HTTNV", 1),
            Some(&lead),
        )
        .await;
    assert_eq!(status, 200);
    server.stop().await;
});
