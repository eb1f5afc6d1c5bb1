//! Property: the rollups the services keep current write by write equal a full rebuild, for
//! random sequences of check-ins and level proposals on random officials — on SQLite and
//! PostgreSQL.

mod common;

use app::domain::AssessmentMove;
use app::domain::check_in::Draft;
use app::ssr::entity::assessment;
use app::ssr::repo::rollups;
use app::ssr::service::Actor;
use app::ssr::service::assessments::{Decision, decide};
use app::ssr::service::check_ins::{NewCheckIn, record};
use common::{Person, TestDb, month_cycle, person, rollup_rows, unit};
use migration::{Migrator, MigratorTrait};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use sea_orm::EntityTrait;

/// One write: a check-in (value, confidence) or a proposal (level index) on an official.
#[derive(Debug, Clone)]
enum Op {
    CheckIn(usize, f64, i64),
    Propose(usize, usize),
}

fn ops(people: usize) -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        (0..people, 0.0..200.0f64, 0i64..=10).prop_map(|(p, v, c)| Op::CheckIn(p, v, c)),
        (0..people, 0usize..4).prop_map(|(p, l)| Op::Propose(p, l)),
    ];
    prop::collection::vec(op, 1..12)
}

on_both_databases!(
    incremental_rollups_equal_a_rebuild_after_any_writes,
    |engine| async move {
        let Some(test_db) = TestDb::create(engine).await else {
            return;
        };
        let db = test_db.connect().await;
        Migrator::up(&db, None).await.expect("migrate");
        let cycle = month_cycle(&db, "2026-11", "open").await;
        let now = chrono::Utc::now();
        let actor = Actor::system("test:props");
        let mut runner = TestRunner::deterministic();
        for case in 0..8 {
            // A province with two units, three officials each.
            let p = unit(&db, &format!("P{case}"), "province", None).await;
            let mut people: Vec<Person> = Vec::new();
            for u in 0..2 {
                let code = format!("P{case}-U{u}");
                let id = unit(&db, &code, "commune", Some(p)).await;
                for n in 0..3 {
                    let who = format!("C{case}U{u}N{n}");
                    people.push(person(&db, &who, (id, &code), None, cycle, &[]).await);
                }
            }
            rollups::rebuild_cycle(&db, cycle, now)
                .await
                .expect("rebuild");
            let writes = ops(people.len())
                .new_tree(&mut runner)
                .expect("ops")
                .current();
            for op in &writes {
                match *op {
                    Op::CheckIn(i, value, confidence) => {
                        let draft = Draft {
                            value,
                            confidence,
                            note: String::new(),
                            evidence_url: None,
                        };
                        let input = NewCheckIn {
                            key_result_id: people[i].key_result,
                            draft,
                        };
                        record(&db, &actor, input, now).await.expect("check-in");
                    }
                    Op::Propose(i, level) => {
                        let version = assessment::Entity::find_by_id(people[i].assessment)
                            .one(&db)
                            .await
                            .expect("query")
                            .expect("assessment")
                            .version;
                        let input = Decision {
                            assessment_id: people[i].assessment,
                            version,
                            step: AssessmentMove::Propose,
                            level: Some(["HTXSNV", "HTTNV", "HTNV", "KHTNV"][level].into()),
                            reason: "Đối chiếu minh chứng".into(),
                        };
                        decide(&db, &actor, input, now).await.expect("proposal");
                    }
                }
            }
            let incremental = rollup_rows(&db, cycle).await;
            rollups::rebuild_cycle(&db, cycle, now)
                .await
                .expect("rebuild");
            assert_eq!(
                incremental,
                rollup_rows(&db, cycle).await,
                "case {case}: {writes:?}"
            );
        }
        test_db.drop_db().await;
    }
);
