//! The review queue over HTTP, on SQLite and PostgreSQL: each reviewer and approver sees the
//! assessments of open cycles they may act on — no one else's, none of a closed cycle —
//! filtered, sorted and paged; an official and a stranger are refused; bad filters name their
//! field; the page renders without JavaScript.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{assessment, audit_log, general_score};
use common::{Engine, TestServer, month_cycle, person, unit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;

struct World {
    server: TestServer,
    db: DatabaseConnection,
}

/// Province P with units U and V. In U: reviewer REV (reviewing A, B and X), leader LEAD,
/// officials A (self-assessed), B (reviewed), C (self-assessed, no reviewer). In V: D,
/// assigned to REV but outside REV's grant. X's assessment is in a closed cycle.
async fn world(engine: Engine) -> Option<World> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let u = unit(&db, "P-U", "agency", Some(p)).await;
    let v = unit(&db, "P-V", "agency", Some(p)).await;
    let open = month_cycle(&db, "2026-11", "open").await;
    let closed = month_cycle(&db, "2026-10", "closed").await;
    let lead = Grant {
        role: Role::UnitLeader,
        unit_id: u,
    };
    let review = Grant {
        role: Role::Reviewer,
        unit_id: u,
    };
    let rev = person(&db, "REV", (u, "P-U"), None, open, &[review]).await;
    person(&db, "LEAD", (u, "P-U"), None, open, &[lead]).await;
    let a = person(&db, "A", (u, "P-U"), Some(rev.official), open, &[]).await;
    let b = person(&db, "B", (u, "P-U"), Some(rev.official), open, &[]).await;
    person(&db, "C", (u, "P-U"), None, open, &[]).await;
    person(&db, "D", (v, "P-V"), Some(rev.official), open, &[]).await;
    person(&db, "X", (u, "P-U"), Some(rev.official), closed, &[]).await;
    set_state(&db, b.assessment, "reviewed", Some(60.0)).await;
    set_state(&db, a.assessment, "self_assessed", Some(91.5)).await;
    // A's own points on two general criteria.
    for (group, points) in [("politics", 4.0), ("ethics", 3.5)] {
        general_score::ActiveModel {
            official_id: Set(a.official),
            cycle_id: Set(open),
            criterion_group: Set(group.into()),
            self_points: Set(Some(points)),
            version: Set(1),
            updated_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("points");
    }
    Some(World { server, db })
}

async fn set_state(db: &DatabaseConnection, id: i64, state: &str, score: Option<f64>) {
    assessment::ActiveModel {
        id: Set(id),
        state: Set(state.into()),
        computed_score: Set(score),
        ..Default::default()
    }
    .update(db)
    .await
    .expect("state");
}

/// Asks for the queue as `username` (anonymous when `None`); status and body.
async fn queue(w: &World, username: Option<&str>, form: &[(&str, &str)]) -> (u16, Value) {
    let cookie = match username {
        Some(name) => Some(w.server.session(name).await),
        None => None,
    };
    let form: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (format!("query[{k}]"), (*v).to_owned()))
        .collect();
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let (status, body) = w.server.call("/api/queue", &form, cookie.as_deref()).await;
    let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status.as_u16(), json)
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["full_name"].as_str().expect("name").to_owned())
        .collect()
}

on_both_databases!(
    a_reviewer_sees_what_waits_on_them_and_nothing_else,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // By default: self-assessed, waiting for a score; not D (outside the grant), not C
        // (not assigned), not X (closed cycle), not B (already reviewed).
        let (status, page) = queue(&w, Some("rev"), &[]).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(names(&page), ["Cán bộ A"]);
        assert_eq!(page["total"], 1);
        let a = &page["rows"][0];
        assert_eq!(a["self_points"], 7.5, "the sum of A's own points");
        assert_eq!(a["score"], 91.5);
        assert_eq!(a["state"], "self_assessed");
        assert_eq!(a["next"]["turn"], "Reviewer", "the reviewer's turn");
        assert_eq!(
            a["next"]["due"], "2026-11-30",
            "due on the month's last day"
        );
        assert_eq!(
            page["cycles"].as_array().expect("cycles").len(),
            1,
            "the open cycle only"
        );
        // Every state: A and B, still nobody else's.
        let (_, page) = queue(&w, Some("rev"), &[("state", "all"), ("sort", "name")]).await;
        assert_eq!(names(&page), ["Cán bộ A", "Cán bộ B"]);
        let (_, page) = queue(&w, Some("rev"), &[("state", "reviewed")]).await;
        assert_eq!(names(&page), ["Cán bộ B"]);
        assert_eq!(page["rows"][0]["next"]["turn"], "Approver");
        w.server.stop().await;
    }
);

on_both_databases!(
    a_unit_leader_sees_the_whole_unit_sorted_and_paged_in_sql,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // The whole unit but their own record, in the open cycle.
        let (status, page) = queue(&w, Some("lead"), &[("state", "all"), ("sort", "name")]).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            names(&page),
            ["Cán bộ A", "Cán bộ B", "Cán bộ C", "Cán bộ REV"]
        );
        // Highest score first, the unscored last.
        set_state(
            &w.db,
            assessment_of(&w.db, "C").await,
            "self_assessed",
            None,
        )
        .await;
        let (_, page) = queue(&w, Some("lead"), &[("state", "all"), ("sort", "score")]).await;
        assert_eq!(
            names(&page),
            ["Cán bộ A", "Cán bộ REV", "Cán bộ B", "Cán bộ C"]
        );
        // Highest self-assessed first: only A has points; the others follow by id.
        let (_, page) = queue(&w, Some("lead"), &[("state", "all"), ("sort", "self")]).await;
        assert_eq!(names(&page)[0], "Cán bộ A");
        assert_eq!(page["rows"][1]["self_points"], Value::Null);
        // Search folds case and diacritics.
        let (_, page) = queue(&w, Some("lead"), &[("state", "all"), ("q", "can bo b")]).await;
        assert_eq!(names(&page), ["Cán bộ B"]);
        // Pages of 50: a second page is empty but still counts.
        let (_, page) = queue(&w, Some("lead"), &[("state", "all"), ("page", "2")]).await;
        assert_eq!(
            (names(&page).len(), &page["total"], &page["page"]),
            (0, &Value::from(4), &Value::from(2))
        );
        w.server.stop().await;
    }
);

on_both_databases!(
    officials_and_strangers_are_refused_and_bad_filters_name_their_field,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let (status, _) = queue(&w, None, &[]).await;
        assert_eq!(status, 401);
        let (status, body) = queue(&w, Some("a"), &[]).await;
        assert_eq!((status, body), (403, Value::from("Forbidden")));
        let denied = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("access_denied"))
            .order_by_desc(audit_log::Column::Id)
            .one(&w.db)
            .await
            .expect("query")
            .expect("the refusal is audited");
        assert_eq!(
            (denied.actor.as_str(), denied.entity.as_str()),
            ("a", "queue")
        );
        for (field, value, key) in [
            ("state", "nonsense", "unknown_state"),
            ("sort", "random", "unknown_sort"),
            ("q", &"x".repeat(201)[..], "too_long"),
        ] {
            let (status, body) = queue(&w, Some("rev"), &[(field, value)]).await;
            assert_eq!(status, 400, "{field}: {body}");
            assert_eq!(body["Invalid"]["field"], field);
            assert_eq!(body["Invalid"]["message"], key);
        }
        w.server.stop().await;
    }
);

on_both_databases!(
    the_queue_page_is_server_rendered_in_both_languages,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let rev = w.server.session("rev").await;
        let (status, html) = w
            .server
            .get_with("/review?state=all", &[("cookie", &rev)])
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>Hàng chờ đánh giá</h1>"), "{html}");
        assert!(html.contains("Cán bộ A") && html.contains("Cán bộ B"));
        assert!(
            html.contains("Người đánh giá chấm điểm"),
            "whose turn, translated"
        );
        assert!(
            html.contains("30/11/2026"),
            "the deadline as a Vietnamese date"
        );
        assert!(html.contains("7.50"), "A's own points");
        // The page's text, without the data the browser hydrates from.
        let text = html
            .split("<script")
            .map(|part| {
                part.split_once("</script>")
                    .map_or(part, |(_, after)| after)
            })
            .collect::<String>();
        assert!(
            !text.contains("SelfAssessed") && !text.contains("self_assessed"),
            "no raw codes"
        );
        let english = format!("{rev}; i18n_pref_locale=en");
        let (_, html) = w.server.get_with("/review", &[("cookie", &english)]).await;
        assert!(html.contains("<h1>Review queue</h1>"));
        assert!(html.contains("Reviewer scores"));
        // Nothing matches: what to do instead.
        let (_, html) = w
            .server
            .get_with("/review?state=approved", &[("cookie", &rev)])
            .await;
        assert!(html.contains("Không có phiếu nào khớp với bộ lọc"));
        // An official: the refusal, translated.
        let a = w.server.session("a").await;
        let (_, html) = w.server.get_with("/review", &[("cookie", &a)]).await;
        assert!(!html.contains("Cán bộ B"));
        assert!(html.contains("alert-error"));
        w.server.stop().await;
    }
);

async fn assessment_of(db: &DatabaseConnection, code: &str) -> i64 {
    use app::ssr::entity::official;
    let official = official::Entity::find()
        .filter(official::Column::PersonnelCode.eq(code))
        .one(db)
        .await
        .expect("query")
        .expect("official");
    assessment::Entity::find()
        .filter(assessment::Column::OfficialId.eq(official.id))
        .one(db)
        .await
        .expect("query")
        .expect("assessment")
        .id
}

/// The to-do list of `username` (their home page's), as JSON.
async fn todo(w: &World, username: &str) -> Value {
    let cookie = w.server.session(username).await;
    let (status, body) = w.server.call("/api/todo", &[], Some(&cookie)).await;
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).expect("JSON");
    assert!(json.is_array(), "{json}");
    json
}

on_both_databases!(
    each_person_sees_what_is_due_from_them,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // C has not submitted (past the 24th), A's was returned.
        set_state(&w.db, assessment_of(&w.db, "C").await, "draft", None).await;
        set_state(&w.db, assessment_of(&w.db, "A").await, "returned", None).await;
        let a = todo(&w, "a").await;
        assert_eq!(a.as_array().expect("items").len(), 1, "{a}");
        let own = &a[0]["OwnAssessment"];
        // It opens A's sheet.
        assert_eq!(own["assessment_id"], assessment_of(&w.db, "A").await);
        assert_eq!(
            (&own["cycle"], &own["returned"], &own["due"]),
            (
                &Value::from("2026-11"),
                &Value::from(true),
                &Value::from("2026-11-24")
            )
        );
        assert!(own["nearness"]["Overdue"].as_i64().expect("overdue") >= 7);
        // The reviewer: nothing to score now; A, back with the official, is late.
        assert_eq!(
            todo(&w, "rev").await,
            serde_json::json!([{ "NotSubmitted": { "count": 1 } }])
        );
        // The leader: REV's to score, B's to approve, C's missing.
        let lead = todo(&w, "lead").await;
        assert_eq!(lead[0]["Waiting"]["turn"], "Reviewer", "{lead}");
        assert_eq!(lead[0]["Waiting"]["count"], 1);
        assert_eq!(lead[0]["Waiting"]["nearest"], "2026-11-30");
        assert_eq!(lead[1]["Waiting"]["turn"], "Approver");
        assert_eq!(lead[1]["Waiting"]["count"], 1);
        assert_eq!(lead[1]["Waiting"]["nearest"], "2026-12-05");
        assert_eq!(
            lead[2]["NotSubmitted"]["count"], 2,
            "C's draft and A's returned one"
        );
        assert_eq!(lead.as_array().expect("items").len(), 3);
        // Not signed in: nothing, and the home page has no to-do card.
        let (status, body) = w.server.call("/api/todo", &[], None).await;
        assert_eq!((status.as_u16(), body.as_str()), (200, "null"));
        let (_, html) = w.server.get("/").await;
        assert!(!html.contains("data-testid=\"todo\""));
        let cookie = w.server.session("lead").await;
        let (_, html) = w.server.get_with("/", &[("cookie", &cookie)]).await;
        assert!(html.contains("Việc cần làm của tôi"));
        assert!(html.contains("phiếu chờ bạn phê duyệt"));
        w.server.stop().await;
    }
);
