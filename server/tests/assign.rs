//! Assigning one product to many officials over HTTP, on SQLite and PostgreSQL: a trial
//! counts and writes nothing; the assignment reaches the active officials of the unit and of
//! the units under it (of one job position when given), skips those who have the code
//! already, opens their sheet for the period and is audited once; bad input names its field;
//! an administrator of another unit and an official are refused. An assignment saved as a
//! template is used again in a later cycle, by the administrators of its unit only.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{assessment, audit_log, official as official_entity, product};
use common::{Engine, TestServer, create_account, month_cycle, official, unit};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

struct World {
    server: TestServer,
    db: DatabaseConnection,
    cycle: i64,
    /// Administrator of the province; of unit V only.
    admin: String,
    admin_v: String,
}

/// Province P with ward W (and its office W-1 under it) and ward V: two specialists in W, one
/// one-stop officer in W-1, one retired official in W, one specialist in V; a cycle in
/// planning with no assessments yet.
async fn world(engine: Engine) -> Option<World> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let w = unit(&db, "P-W", "commune", Some(p)).await;
    let w1 = unit(&db, "P-W-1", "agency", Some(w)).await;
    let v = unit(&db, "P-V", "commune", Some(p)).await;
    let cycle = month_cycle(&db, "2026-12", "planning").await;
    official(&db, "W01", "Lê Văn An", w, None).await;
    official(&db, "W02", "Trần Thị Bình", w, None).await;
    let one_stop = official(&db, "W11", "Phạm Minh Châu", w1, None).await;
    let retired = official(&db, "W03", "Ngô Văn Dũng", w, None).await;
    official(&db, "V01", "Đỗ Thị Em", v, None).await;
    for (id, column, value) in [
        (one_stop, official_entity::Column::JobPosition, "Một cửa"),
        (retired, official_entity::Column::Status, "retired"),
    ] {
        official_entity::Entity::update_many()
            .col_expr(column, Expr::value(value))
            .filter(official_entity::Column::Id.eq(id))
            .exec(&db)
            .await
            .expect("update");
    }
    let admin = |unit_id| Grant {
        role: Role::Admin,
        unit_id,
    };
    create_account(&db, "adm", None, &[admin(p)]).await;
    create_account(&db, "adm-v", None, &[admin(v)]).await;
    Some(World {
        admin: server.session("adm").await,
        admin_v: server.session("adm-v").await,
        server,
        db,
        cycle,
    })
}

impl World {
    /// Posts an assignment to `endpoint` as `who`: to unit P-W in the world's cycle, with
    /// `defaults` then `fields` (which replace them).
    async fn post(
        &self,
        (endpoint, who): (&str, &str),
        defaults: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> (u16, Value) {
        let cycle = self.cycle.to_string();
        let mut form: Vec<(&str, String)> = vec![("cycle", cycle), ("unit", "P-W".to_owned())];
        for (name, value) in defaults.iter().chain(fields) {
            form.retain(|(n, _)| n != name);
            form.push((name, (*value).to_owned()));
        }
        let (status, body) = self.server.call(endpoint, &form, Some(who)).await;
        let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
        (status.as_u16(), json)
    }

    async fn assign(&self, who: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        let product = [
            ("product[code]", "SP-MC"),
            ("product[title]", "Hồ sơ giải quyết đúng hạn"),
            ("product[assigned]", "20"),
            ("product[weight]", "1.5"),
            ("product[due_on]", "2026-12-31"),
        ];
        self.post(("/api/cycle/assign", who), &product, fields)
            .await
    }

    async fn counts(&self) -> (u64, u64, u64) {
        let products = product::Entity::find()
            .count(&self.db)
            .await
            .expect("count");
        let drafts = assessment::Entity::find()
            .filter(assessment::Column::CycleId.eq(self.cycle))
            .count(&self.db)
            .await
            .expect("count");
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("product_assign"))
            .count(&self.db)
            .await
            .expect("count");
        (products, drafts, audited)
    }
}

fn answer(json: &Value) -> (u64, u64) {
    (
        json["matched"].as_u64().unwrap_or(99),
        json["created"].as_u64().unwrap_or(99),
    )
}

on_both_databases!(
    a_product_reaches_the_units_active_officials_once_with_a_trial_first,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // A trial: the ward's three active officials (its office included), nothing written.
        let (status, json) = w.assign(&w.admin, &[("dry_run", "true")]).await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(answer(&json), (3, 3));
        assert_eq!(json["dry_run"], true);
        assert_eq!(w.counts().await, (0, 0, 0));
        // For real: three products, three sheets opened, one audit entry.
        let (status, json) = w.assign(&w.admin, &[]).await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(answer(&json), (3, 3));
        assert_eq!(w.counts().await, (3, 3, 1));
        let first = product::Entity::find()
            .one(&w.db)
            .await
            .expect("query")
            .expect("a product");
        assert_eq!(
            (
                first.title.as_str(),
                first.assigned,
                first.conversion_weight
            ),
            ("Hồ sơ giải quyết đúng hạn", 20, 1.5)
        );
        assert_eq!(
            first.due_on.map(|d| d.to_string()).as_deref(),
            Some("2026-12-31")
        );
        // Again: everyone has it, nothing more.
        let (_, json) = w.assign(&w.admin, &[]).await;
        assert_eq!(answer(&json), (3, 0));
        assert_eq!(w.counts().await.0, 3);
        // One job position only: the office's one-stop officer, with another code.
        let only = [("job_position", "Một cửa"), ("product[code]", "SP-MC2")];
        let (_, json) = w.assign(&w.admin, &only).await;
        assert_eq!(answer(&json), (1, 1));
        // (Nothing written, nothing audited, the time before.)
        assert_eq!(w.counts().await, (4, 3, 2));
        w.server.stop().await;
    }
);

on_both_databases!(
    bad_input_names_its_field_and_others_are_refused,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let cases: [(&[(&str, &str)], &str); 7] = [
            (&[("product[assigned]", "0")], "assigned"),
            (&[("product[weight]", "0")], "weight"),
            (&[("product[title]", "   ")], "title"),
            (&[("product[code]", "")], "code"),
            (&[("unit", "KHONG-CO")], "unit"),
            (&[("product[due_on]", "31/12/2026")], "due_on"),
            (&[("product[title]", &"x".repeat(256))], "title"),
        ];
        for (fields, field) in cases {
            let (status, json) = w.assign(&w.admin, fields).await;
            assert_eq!(status, 400, "{fields:?}: {json}");
            assert_eq!(json["Invalid"]["field"], field, "{fields:?}: {json}");
        }
        // An administrator of another ward, and someone without the role.
        let (status, _) = w.assign(&w.admin_v, &[]).await;
        assert_eq!(status, 403);
        let (status, _) = w.assign("", &[]).await;
        assert_eq!(status, 401);
        // A closed cycle takes nothing.
        app::ssr::entity::cycle::Entity::update_many()
            .col_expr(
                app::ssr::entity::cycle::Column::State,
                Expr::value("closed"),
            )
            .exec(&w.db)
            .await
            .expect("close");
        let (status, json) = w.assign(&w.admin, &[]).await;
        assert_eq!(status, 400, "{json}");
        assert_eq!(json["Invalid"]["field"], "cycle");
        assert_eq!(w.counts().await, (0, 0, 0));
        w.server.stop().await;
    }
);

impl World {
    /// Assigns the key result "Tỷ lệ hồ sơ trực tuyến" under the objective "Chuyển đổi số" to
    /// unit P-W's officials, with `fields` replaced.
    async fn assign_kr(&self, who: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        let kr = [
            ("objective[title]", "Chuyển đổi số"),
            ("objective[weight]", "40"),
            ("kr[title]", "Tỷ lệ hồ sơ trực tuyến"),
            ("kr[kind]", "increase_to"),
            ("kr[start]", "30"),
            ("kr[target]", "80"),
            ("kr[unit_of_measure]", "%"),
            ("kr[weight]", "100"),
        ];
        let endpoint = "/api/cycle/assign-key-result";
        self.post((endpoint, who), &kr, fields).await
    }

    /// (objectives, key results, key results coded KR1) in the world's cycle.
    async fn okr_counts(&self) -> (u64, u64, u64) {
        use app::ssr::entity::objective;
        let cycle = sea_orm::Condition::all().add(objective::Column::CycleId.eq(self.cycle));
        let (objectives, krs) = common::objectives_and_key_results(&self.db, cycle).await;
        let first = krs.iter().filter(|k| k.code == "KR1").count() as u64;
        (objectives.len() as u64, krs.len() as u64, first)
    }
}

on_both_databases!(
    a_key_result_reaches_the_units_active_officials_under_their_objective,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // A trial: three active officials of W and W-1, nothing written.
        let (status, body) = w.assign_kr(&w.admin, &[("dry_run", "true")]).await;
        assert_eq!((status, answer(&body)), (200, (3, 3)), "{body}");
        assert_eq!(w.okr_counts().await, (0, 0, 0));
        // One of them already has the objective, with another key result: theirs is kept
        // and the new one comes under it as KR2.
        let (status, body) = w
            .assign_kr(
                &w.admin,
                &[("unit", "P-W-1"), ("kr[title]", "Hồ sơ đúng hạn")],
            )
            .await;
        assert_eq!((status, answer(&body)), (200, (1, 1)), "{body}");
        let (status, body) = w.assign_kr(&w.admin, &[]).await;
        assert_eq!((status, answer(&body)), (200, (3, 3)), "{body}");
        // Three objectives (one each), four key results, three coded KR1.
        assert_eq!(w.okr_counts().await, (3, 4, 3));
        // Again: everyone has it.
        let (status, body) = w.assign_kr(&w.admin, &[]).await;
        assert_eq!((status, answer(&body)), (200, (3, 0)), "{body}");
        assert_eq!(w.okr_counts().await, (3, 4, 3));
        let drafts = assessment::Entity::find()
            .filter(assessment::Column::CycleId.eq(w.cycle))
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(drafts, 3);
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("key_result_assign"))
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(audited, 2);
        // Refused by field, by the plan's own rules; another unit's administrator refused.
        for (fields, field) in [
            (vec![("kr[target]", "30")], "kr_target"),
            (vec![("objective[weight]", "0")], "objective_weight"),
            (vec![("kr[kind]", "")], "kr_kind"),
            (vec![("unit", "KHONG-CO")], "unit"),
        ] {
            let (status, body) = w.assign_kr(&w.admin, &fields).await;
            assert_eq!(
                (status, body["Invalid"]["field"].clone()),
                (400, field.into()),
                "{fields:?}"
            );
        }
        assert_eq!(w.assign_kr(&w.admin_v, &[]).await.0, 403);
        assert_eq!(w.okr_counts().await, (3, 4, 3));
        w.server.stop().await;
    }
);

impl World {
    async fn templates(&self, who: &str) -> (u16, Value) {
        let (status, body) = self
            .server
            .call("/api/cycle/templates", &[], Some(who))
            .await;
        (
            status.as_u16(),
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }

    async fn use_template(&self, who: &str, form: &[(&str, String)]) -> (u16, Value) {
        let (status, body) = self
            .server
            .call("/api/cycle/use-template", form, Some(who))
            .await;
        (
            status.as_u16(),
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }
}

on_both_databases!(
    a_saved_template_assigns_again_in_a_later_cycle,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // Saved with the assignment, in its transaction; a trial saves nothing.
        let (status, json) = w
            .assign(&w.admin, &[("dry_run", "true"), ("save_template", "true")])
            .await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(
            w.templates(&w.admin).await.1.as_array().map(Vec::len),
            Some(0)
        );
        let (status, json) = w.assign(&w.admin, &[("save_template", "true")]).await;
        assert_eq!(status, 200, "{json}");
        let (status, list) = w.templates(&w.admin).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list[0]["unit_code"], "P-W");
        assert_eq!(list[0]["work"]["kind"], "product");
        assert_eq!(list[0]["work"]["code"], "SP-MC");
        // Saved again when everyone has it already (nobody receives it, the template is kept).
        let (_, json) = w.assign_kr(&w.admin, &[("save_template", "true")]).await;
        assert_eq!(answer(&json), (3, 3));
        let (_, json) = w.assign_kr(&w.admin, &[("save_template", "true")]).await;
        assert_eq!(answer(&json), (3, 0));
        let (_, list) = w.templates(&w.admin).await;
        assert_eq!(list.as_array().map(Vec::len), Some(3), "{list}");
        assert_eq!(list[0]["work"]["kind"], "key_result");
        // The administrator of ward V sees none of them.
        assert_eq!(
            w.templates(&w.admin_v).await.1.as_array().map(Vec::len),
            Some(0)
        );

        // The product used in another month: the same three officials, due on its last day.
        let next = month_cycle(&w.db, "2027-01", "planning").await;
        let id = list[2]["id"].as_i64().expect("id");
        let form = |dry: &str| {
            vec![
                ("template", id.to_string()),
                ("cycle", next.to_string()),
                ("dry_run", dry.to_owned()),
            ]
        };
        let (status, json) = w.use_template(&w.admin, &form("true")).await;
        assert_eq!((status, answer(&json)), (200, (3, 3)), "{json}");
        assert_eq!(json["from_template"], true);
        let (status, json) = w.use_template(&w.admin, &form("false")).await;
        assert_eq!((status, answer(&json)), (200, (3, 3)), "{json}");
        let due: Vec<Option<chrono::NaiveDate>> = product::Entity::find()
            .filter(product::Column::CycleId.eq(next))
            .all(&w.db)
            .await
            .expect("products")
            .into_iter()
            .map(|p| p.due_on)
            .collect();
        let ends_on = app::ssr::entity::cycle::Entity::find_by_id(next)
            .one(&w.db)
            .await
            .expect("read")
            .expect("cycle")
            .ends_on;
        assert_eq!(due, vec![Some(ends_on); 3]);
        // Another unit's administrator may neither use nor delete it.
        assert_eq!(w.use_template(&w.admin_v, &form("true")).await.0, 403);
        let version = list[2]["version"].as_i64().expect("version");
        let delete = |v: i64| vec![("template", id.to_string()), ("version", v.to_string())];
        let (status, _) = w
            .server
            .call(
                "/api/cycle/delete-template",
                &delete(version),
                Some(&w.admin_v),
            )
            .await;
        assert_eq!(status.as_u16(), 403);
        // From an old version: changed by someone else; then deleted, audited.
        let (status, _) = w
            .server
            .call(
                "/api/cycle/delete-template",
                &delete(version + 1),
                Some(&w.admin),
            )
            .await;
        assert_eq!(status.as_u16(), 409);
        let (status, body) = w
            .server
            .call(
                "/api/cycle/delete-template",
                &delete(version),
                Some(&w.admin),
            )
            .await;
        assert_eq!(status.as_u16(), 200, "{body}");
        assert_eq!(
            w.templates(&w.admin).await.1.as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(common::audited(&w.db, "template_delete").await, 1);
        assert_eq!(common::audited(&w.db, "template_create").await, 3);
        w.server.stop().await;
    }
);
