//! The write use cases on a real database (divan): recomputing one assessment from its stored
//! inputs (its transaction, the unit's rollup refreshed, the commit), and the whole "change a
//! product's counts" use case that wraps it (read, check, write, rescore, rollup, audit,
//! commit). The demo city is loaded into a fresh SQLite file, or into the PostgreSQL database
//! named by `THUOCDO_BENCH_DATABASE_URL` (it must be empty).
//!
//! Run (release): `cargo bench -p server --bench use_cases`; figures in `docs/PERFORMANCE.md`.

use std::sync::LazyLock;

use app::ssr::entity::{cycle, product};
use app::ssr::repo::products::{self, Progress};
use app::ssr::service::{self, inputs::ProductProgress};
use app::ssr::state::Cost;
use chrono::Utc;
use migration::MigratorTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tokio::runtime::Runtime;

struct Fixture {
    runtime: Runtime,
    db: DatabaseConnection,
    /// Products of the demo's open month: (product id, official id, cycle id).
    products: Vec<(i64, i64, i64)>,
    _dir: tempfile::TempDir,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("THUOCDO_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()));
    let (db, products) = runtime.block_on(async {
        let db = app::ssr::db::connect(&url, 4).await.expect("connect");
        migration::Migrator::up(&db, None).await.expect("migrate");
        server::seed::demo(&db, Cost::TestOnly)
            .await
            .expect("demo city");
        let open = Query::select()
            .column(cycle::Column::Id)
            .from(cycle::Entity)
            .and_where(Expr::col(cycle::Column::State).ne("closed"))
            .to_owned();
        let products: Vec<(i64, i64, i64)> = product::Entity::find()
            .filter(product::Column::CycleId.in_subquery(open))
            .order_by_asc(product::Column::Id)
            .all(&db)
            .await
            .expect("products")
            .into_iter()
            .map(|p| (p.id, p.official_id, p.cycle_id))
            .collect();
        assert!(!products.is_empty(), "the demo city has an open month");
        (db, products)
    });
    Fixture {
        runtime,
        db,
        products,
        _dir: dir,
    }
});

fn main() {
    divan::main();
}

/// The next product, round robin (so that successive runs touch different units).
fn next(i: &mut usize) -> (i64, i64, i64) {
    let f = &*FIXTURE;
    *i = (*i + 1) % f.products.len();
    f.products[*i]
}

/// Recomputes one official's assessment: its own transaction, rollup and commit.
#[divan::bench(sample_count = 200, sample_size = 1)]
fn recompute_one_assessment(bencher: divan::Bencher) {
    let f = &*FIXTURE;
    let mut i = 0;
    bencher
        .with_inputs(|| next(&mut i))
        .bench_local_values(|(_, official, cycle)| {
            f.runtime.block_on(async {
                let txn = app::ssr::db::write(&f.db).await.expect("txn");
                service::assessments::recompute(&txn, cycle, Some(&[official]), Utc::now())
                    .await
                    .expect("recompute");
                txn.commit().await.expect("commit");
            });
        });
}

/// Changes a product's delay count through the service (the reviewer's form does this).
#[divan::bench(sample_count = 200, sample_size = 1)]
fn save_product_counts(bencher: divan::Bencher) {
    let f = &*FIXTURE;
    let actor = service::Actor::system("bench");
    let mut i = 0;
    bencher
        .with_inputs(|| {
            let (id, _, _) = next(&mut i);
            let stored = f
                .runtime
                .block_on(products::find(&f.db, id))
                .expect("product");
            let p = &stored.product;
            let completed = i32::try_from(p.completed).unwrap_or(0);
            let delays = i32::try_from(p.delays).unwrap_or(0);
            ProductProgress {
                product_id: id,
                version: stored.version,
                progress: Progress {
                    completed,
                    completed_on_quality: completed,
                    completed_on_time: completed,
                    quality_failures: i32::try_from(p.quality_failures).unwrap_or(0),
                    delays: if delays > 0 { 0 } else { 1 },
                    waived_quality_failures: 0,
                    waived_delays: 0,
                },
                waiver_ref: None,
            }
        })
        .bench_local_values(|input| {
            f.runtime
                .block_on(service::inputs::save_product(
                    &f.db,
                    &actor,
                    input,
                    Utc::now(),
                ))
                .expect("save");
        });
}
