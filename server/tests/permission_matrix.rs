//! The permission matrix (`docs/permission-matrix.csv`), one test per cell, through the real
//! HTTP endpoints of a running server, on SQLite and on PostgreSQL.
//!
//! The tree: province P1 → unit U → sub-unit S; P1 → sibling O; province P2 → unit Q. One
//! holder per role is an official of U with exactly that one grant over U; one official in
//! each of U, S, O and Q is the record of the scopes same_unit, sub_unit, other_unit and
//! other_province; all of them are assigned to the reviewer holder. Records are touched by id,
//! so the other_unit and other_province cells are the IDOR attempts.
//!
//! An allowed cell checks that the change was made and audited under the caller's name; a
//! denied cell that nothing changed and the refusal was audited; an anonymous cell gets 401.
//! Cells of one database run one at a time (they share records); the two databases run side
//! by side.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::access::{Action, Grant, Role};
use app::domain::permission_matrix::{self, Cell, Expect, Scope};
use app::ssr::entity::{assessment, audit_log, check_in, role_grant};
use common::{Engine, Person, TestServer, person, unit};
use libtest_mimic::{Arguments, Failed, Trial};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use tokio::sync::{Mutex, OnceCell};

const MATRIX: &str = include_str!("../../docs/permission-matrix.csv");
const CYCLE: &str = "2026-11";

/// What a cell may change.
#[derive(Debug, Clone, PartialEq)]
struct State {
    check_ins: u64,
    grants: Vec<(String, i64)>,
    proposed: Option<String>,
    approved: Option<String>,
    version: i32,
}

/// The level a cell sets: another one than `current`.
fn other_level(current: &Option<String>) -> &'static str {
    if current.as_deref() == Some("HTTNV") {
        "HTNV"
    } else {
        "HTTNV"
    }
}

struct Fixture {
    server: TestServer,
    db: DatabaseConnection,
    /// Each role's holder and their session cookie.
    holders: HashMap<Role, (Person, String)>,
    /// The record of each scope but `own`.
    records: HashMap<Scope, Person>,
    /// Cells share records: one at a time.
    turn: Mutex<()>,
}

impl Fixture {
    async fn build(engine: Engine) -> Option<Fixture> {
        let server = TestServer::start(engine, false).await?;
        let db = server.db.connect().await;
        let p1 = unit(&db, "P1", "province", None).await;
        let u = unit(&db, "P1-U", "agency", Some(p1)).await;
        let s = unit(&db, "P1-U-S", "agency", Some(u)).await;
        let o = unit(&db, "P1-O", "agency", Some(p1)).await;
        let p2 = unit(&db, "P2", "province", None).await;
        let q = unit(&db, "P2-Q", "commune", Some(p2)).await;
        let cycle_id = common::month_cycle(&db, CYCLE, "open").await;
        // The reviewer holder first: everyone else is assigned to them.
        let mut roles = Role::ALL.to_vec();
        roles.sort_by_key(|r| *r != Role::Reviewer);
        let mut holders = HashMap::new();
        let mut reviewer = None;
        for role in roles {
            let grant = Grant { role, unit_id: u };
            let code = format!("H-{}", role.code().replace('_', "-"));
            let holder = person(&db, &code, (u, "P1-U"), reviewer, cycle_id, &[grant]).await;
            if role == Role::Reviewer {
                reviewer = Some(holder.official);
            }
            let cookie = server.session(&holder.username).await;
            holders.insert(role, (holder, cookie));
        }
        let mut records = HashMap::new();
        for (scope, code, unit) in [
            (Scope::SameUnit, "R-SAME", (u, "P1-U")),
            (Scope::SubUnit, "R-SUB", (s, "P1-U-S")),
            (Scope::OtherUnit, "R-OTHER", (o, "P1-O")),
            (Scope::OtherProvince, "R-PROVINCE", (q, "P2-Q")),
        ] {
            records.insert(
                scope,
                person(&db, code, unit, reviewer, cycle_id, &[]).await,
            );
        }
        Some(Fixture {
            server,
            db,
            holders,
            records,
            turn: Mutex::new(()),
        })
    }

    /// What the cell touches and who touches it: the record, the caller's name and cookie.
    fn parts(&self, cell: &Cell) -> (&Person, Option<(&str, &str)>) {
        let caller = cell
            .role
            .map(|role| &self.holders[&role])
            .map(|(holder, cookie)| (holder, cookie.as_str()));
        let record = match (cell.scope, caller) {
            (Scope::Own, Some((holder, _))) => holder,
            (scope, _) => &self.records[&scope],
        };
        (record, caller.map(|(h, c)| (h.username.as_str(), c)))
    }

    async fn audit_count(&self, actor: Option<&str>, action: &str) -> u64 {
        let Some(actor) = actor else { return 0 };
        audit_log::Entity::find()
            .filter(audit_log::Column::Actor.eq(actor))
            .filter(audit_log::Column::Action.eq(action))
            .count(&self.db)
            .await
            .expect("audit count")
    }

    /// What the newest `action` entry of `actor` lacks: every write records the entity, the
    /// request id, the time, the state after, and for a changed level the state before.
    async fn incomplete_entry(
        &self,
        actor: Option<&str>,
        action: &str,
        of: Action,
    ) -> Option<&'static str> {
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Actor.eq(actor?))
            .filter(audit_log::Column::Action.eq(action))
            .order_by_desc(audit_log::Column::Id)
            .one(&self.db)
            .await
            .expect("audit entry")?;
        let age = chrono::Utc::now() - entry.at;
        if entry.entity_id.as_deref().is_none_or(str::is_empty) {
            Some("entity id")
        } else if entry.request_id.as_deref().is_none_or(str::is_empty) {
            Some("request id")
        } else if !(chrono::Duration::zero()..chrono::Duration::minutes(1)).contains(&age) {
            Some("current time")
        } else if entry.after.is_none() {
            Some("after")
        } else if matches!(of, Action::Score | Action::Approve) && entry.before.is_none() {
            Some("before")
        } else {
            None
        }
    }

    /// Everything a cell may change on `record`.
    async fn state_of(&self, record: &Person) -> State {
        let check_ins = check_in::Entity::find()
            .filter(check_in::Column::KeyResultId.eq(record.key_result))
            .count(&self.db)
            .await
            .expect("check-ins");
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(record.account))
            .all(&self.db)
            .await
            .expect("grants")
            .into_iter()
            .map(|g| (g.role, g.unit_id))
            .collect();
        let a = assessment::Entity::find_by_id(record.assessment)
            .one(&self.db)
            .await
            .expect("query")
            .expect("assessment");
        State {
            check_ins,
            grants,
            proposed: a.proposed_level,
            approved: a.approved_level,
            version: a.version,
        }
    }

    /// Runs one cell.
    async fn check(&self, cell: Cell) -> Result<(), Failed> {
        let _turn = self.turn.lock().await;
        let (record, caller) = self.parts(&cell);
        let (actor, cookie) = (caller.map(|c| c.0), caller.map(|c| c.1));
        let audited = match cell.action {
            Action::Read => "read",
            Action::CheckIn => "check_in",
            Action::Score => "assessment_score",
            Action::Approve => "assessment_approve",
            Action::Export => "export",
            Action::Admin => "grant_role",
            Action::Audit => return Err("the matrix has no audit column".into()),
        };
        // Each cell starts from an assessment awaiting approval, where both a proposal and an
        // approval are moves the state machine allows: the matrix tests who, not when.
        assessment::Entity::update_many()
            .col_expr(assessment::Column::State, Expr::value("reviewed"))
            .filter(assessment::Column::Id.eq(record.assessment))
            .exec(&self.db)
            .await
            .expect("reset state");
        let before = self.state_of(record).await;
        let denials = self.audit_count(actor, "access_denied").await;
        let writes = self.audit_count(actor, audited).await;
        let (status, body) = match cell.action {
            Action::Read => {
                let form = [("id", record.official.to_string())];
                self.server.call("/api/official", &form, cookie).await
            }
            Action::CheckIn => {
                let form = [
                    ("key_result_id", record.key_result.to_string()),
                    ("value", "42".into()),
                    ("confidence", "7".into()),
                    ("note", "Tiến độ tháng".into()),
                ];
                self.server.call("/api/check-in", &form, cookie).await
            }
            Action::Score | Action::Approve => {
                let (path, current_level) = if cell.action == Action::Score {
                    ("/api/assessment/score", &before.proposed)
                } else {
                    ("/api/assessment/approve", &before.approved)
                };
                let form = [
                    ("id", record.assessment.to_string()),
                    ("level", other_level(current_level).into()),
                    ("version", before.version.to_string()),
                    ("reason", "Đối chiếu minh chứng".into()),
                ];
                self.server.call(path, &form, cookie).await
            }
            Action::Export => {
                let path = format!(
                    "/export/classification?unit={}&cycle={CYCLE}&format=csv",
                    record.unit_code
                );
                let mut request = self.server.client.get(self.server.url(&path));
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                let response = request.send().await.expect("GET export");
                let status = response.status();
                (status, response.text().await.expect("body"))
            }
            Action::Admin => {
                let form = [
                    ("account_id", record.account.to_string()),
                    ("role", "reviewer".into()),
                    ("unit_id", record.unit_id.to_string()),
                ];
                self.server.call("/api/admin/grant", &form, cookie).await
            }
            Action::Audit => unreachable!("refused above"),
        };
        let expected = match cell.expect {
            Expect::Allow => 200,
            Expect::Deny => 403,
            Expect::SignIn => 401,
        };
        let after = self.state_of(record).await;
        let fail = |what: String| -> Result<(), Failed> {
            Err(format!("{}: {what}; status {status}, body {body}", cell.name()).into())
        };
        if status.as_u16() != expected {
            return fail(format!("expected {expected}"));
        }
        let denials_after = self.audit_count(actor, "access_denied").await;
        let writes_after = self.audit_count(actor, audited).await;
        if cell.expect != Expect::Allow {
            if before != after {
                return fail(format!("the record changed: {before:?} → {after:?}"));
            }
            if body.contains(&record.full_name) {
                return fail("the answer shows the record".into());
            }
            if cell.expect == Expect::Deny && denials_after != denials + 1 {
                return fail(format!(
                    "{} refusals audited, expected 1",
                    denials_after - denials
                ));
            }
            if writes_after != writes {
                return fail(format!("a {audited} was audited"));
            }
            return Ok(());
        }
        // Allowed: the effect is there and, for a write, audited under the caller's name.
        let admitted = (String::from("reviewer"), record.unit_id);
        let effect = match cell.action {
            Action::Read | Action::Export => body.contains(&record.full_name),
            Action::CheckIn => after.check_ins == before.check_ins + 1,
            Action::Score => {
                after.proposed.as_deref() == Some(other_level(&before.proposed))
                    && after.version == before.version + 1
            }
            Action::Approve => {
                after.approved.as_deref() == Some(other_level(&before.approved))
                    && after.version == before.version + 1
            }
            Action::Admin => !before.grants.contains(&admitted) && after.grants.contains(&admitted),
            Action::Audit => unreachable!("refused above"),
        };
        if !effect {
            return fail(format!("no effect: {before:?} → {after:?}"));
        }
        if cell.action != Action::Read {
            if writes_after != writes + 1 {
                return fail(format!(
                    "{} {audited} entries audited, expected 1",
                    writes_after - writes
                ));
            }
            if let Some(missing) = self.incomplete_entry(actor, audited, cell.action).await {
                return fail(format!("the {audited} entry has no {missing}"));
            }
        }
        if denials_after != denials {
            return fail("an allowed action was audited as refused".into());
        }
        Ok(())
    }
}

type Shared = Arc<OnceCell<Option<Fixture>>>;

fn main() {
    let args = Arguments::from_args();
    let cells = permission_matrix::parse(MATRIX).expect("docs/permission-matrix.csv parses");
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime"),
    );
    let mut fixtures: Vec<(Engine, Shared)> = Vec::new();
    let mut trials = Vec::new();
    for (engine, label) in [(Engine::Sqlite, "sqlite"), (Engine::Postgres, "postgres")] {
        let fixture: Shared = Arc::new(OnceCell::new());
        fixtures.push((engine, fixture.clone()));
        for cell in &cells {
            let (cell, fixture, runtime) = (*cell, fixture.clone(), runtime.clone());
            let name = format!("{label}/{}/{:?}", cell.name(), cell.expect).to_lowercase();
            trials.push(Trial::test(name, move || {
                runtime.block_on(async {
                    let fixture = fixture.get_or_init(|| Fixture::build(engine)).await;
                    match fixture {
                        Some(fixture) => fixture.check(cell).await,
                        None => Ok(()), // PostgreSQL absent: announced loudly by TestDb.
                    }
                })
            }));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    runtime.block_on(async {
        for (_, fixture) in fixtures {
            let fixture = Arc::try_unwrap(fixture).ok().and_then(OnceCell::into_inner);
            if let Some(Some(fixture)) = fixture {
                fixture.db.close().await.ok();
                fixture.server.stop().await;
            }
        }
    });
    conclusion.exit();
}
