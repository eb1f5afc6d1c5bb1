//! Scope in SQL equals the access rules: on random unit trees, officials, reviewers and
//! grants, the officials list filtered in the database (unit closure + `access::scope`) holds
//! exactly the officials `access::decide` allows, for every action on personal records — on
//! SQLite and PostgreSQL.

mod common;

use app::domain::access::{self, Action, Grant, Principal, Role, Target};
use app::ssr::entity::official;
use app::ssr::repo::people;
use common::TestDb;
use migration::{Migrator, MigratorTrait};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

/// One random world: units (each unit's parent is an earlier unit or none), officials
/// (unit, reviewer) and a principal (official or none, grants).
#[derive(Debug, Clone)]
struct World {
    parents: Vec<Option<usize>>,
    officials: Vec<(usize, Option<usize>)>,
    me: Option<usize>,
    grants: Vec<(usize, usize)>,
}

fn world() -> impl Strategy<Value = World> {
    (1usize..8, 1usize..10).prop_flat_map(|(units, people)| {
        let parents = (0..units)
            .map(|i| {
                if i == 0 {
                    Just(None).boxed()
                } else {
                    prop::option::weighted(0.8, 0..i).boxed()
                }
            })
            .collect::<Vec<_>>();
        let officials =
            prop::collection::vec((0..units, prop::option::of(0..people)), people..=people);
        let me = prop::option::weighted(0.8, 0..people);
        let grants = prop::collection::vec((0..Role::ALL.len(), 0..units), 0..4);
        (parents, officials, me, grants).prop_map(|(parents, officials, me, grants)| World {
            parents,
            officials,
            me,
            grants,
        })
    })
}

/// Stores the world in an empty database; returns the unit and official ids by index.
async fn store(db: &DatabaseConnection, w: &World, case: usize) -> (Vec<i64>, Vec<i64>) {
    let mut units = Vec::new();
    for (i, parent) in w.parents.iter().enumerate() {
        let parent = parent.map(|p| units[p]);
        units.push(common::unit(db, &format!("C{case}-U{i}"), "agency", parent).await);
    }
    let mut officials = Vec::new();
    for (i, (unit, _)) in w.officials.iter().enumerate() {
        let id = common::official(
            db,
            &format!("C{case}-O{i}"),
            &format!("Cán bộ {i:02}"),
            units[*unit],
            None,
        )
        .await;
        officials.push(id);
    }
    for (i, (_, reviewer)) in w.officials.iter().enumerate() {
        if let Some(r) = reviewer {
            official::ActiveModel {
                id: sea_orm::Unchanged(officials[i]),
                reviewer_id: Set(Some(officials[*r])),
                ..Default::default()
            }
            .update(db)
            .await
            .expect("reviewer");
        }
    }
    (units, officials)
}

fn path(w: &World, units: &[i64], unit: usize) -> Vec<i64> {
    let mut path = vec![units[unit]];
    let mut at = unit;
    while let Some(parent) = w.parents[at] {
        path.push(units[parent]);
        at = parent;
    }
    path
}

on_both_databases!(
    the_sql_scope_holds_exactly_what_decide_allows,
    |engine| async move {
        let Some(test_db) = TestDb::create(engine).await else {
            return;
        };
        let db = test_db.connect().await;
        Migrator::up(&db, None).await.expect("migrate");
        let mut runner = TestRunner::deterministic();
        let strategy = world();
        for case in 0..40 {
            let w = strategy.new_tree(&mut runner).expect("case").current();
            let (units, officials) = store(&db, &w, case).await;
            // The rows went in one by one, as a bulk load writes them: recount like one.
            app::ssr::repo::headcount::rebuild(&db)
                .await
                .expect("head counts");
            let principal = Principal {
                account_id: 1,
                official_id: w.me.map(|i| officials[i]),
                grants: w
                    .grants
                    .iter()
                    .map(|&(role, unit)| Grant {
                        role: Role::ALL[role],
                        unit_id: units[unit],
                    })
                    .collect(),
            };
            for action in [
                Action::Read,
                Action::Score,
                Action::Approve,
                Action::CheckIn,
            ] {
                let mut allowed: Vec<i64> = officials
                    .iter()
                    .enumerate()
                    .filter(|(i, id)| {
                        let (unit, reviewer) = w.officials[*i];
                        let target = Target {
                            unit_path: path(&w, &units, unit),
                            owner: Some(**id),
                            reviewer: reviewer.map(|r| officials[r]),
                        };
                        access::decide(&principal, action, &target).is_some()
                    })
                    .map(|(_, id)| *id)
                    .collect();
                allowed.sort_unstable();
                let scope = access::scope(&principal, action);
                let (page, total) = people::officials_page(&db, &scope, None, 1_000)
                    .await
                    .expect("page");
                let mut found: Vec<i64> = page.iter().map(|o| o.id).collect();
                found.sort_unstable();
                assert_eq!(found, allowed, "case {case} {action:?} {w:?}");
                assert_eq!(total, allowed.len() as u64);
            }
            // Each case is its own forest (codes carry the case): earlier ones stay apart.
        }
        test_db.drop_db().await;
    }
);
