//! National-scale synthetic data for performance work: `server seed scale --officials N
//! --provinces 34 --communes 3321`. Units and officials are generated in chunks and written
//! through the bulk [`Loader`] (multi-row INSERT on SQLite, COPY on PostgreSQL) inside one
//! transaction, with a progress bar; the throughput is printed at the end (rows per second)
//! and recorded in docs/PERFORMANCE.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::text::search_key;
use app::ssr::repo::loader::{self, Cell, Loader};
use chrono::{NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

/// What to generate.
#[derive(Debug, Clone)]
pub struct ScaleSpec {
    /// Officials to create.
    pub officials: u64,
    /// Provinces/centrally-run cities (each also gets 14 agencies).
    pub provinces: u32,
    /// Communes/wards, spread over the provinces.
    pub communes: u32,
    /// Prefix of every generated code, so that several runs can coexist.
    pub tag: String,
}

/// What was written, and how fast.
#[derive(Debug, Clone)]
pub struct ScaleReport {
    pub units: u64,
    pub officials: u64,
    pub elapsed: Duration,
    /// Of `elapsed`, the time spent generating rows (the rest is writing them).
    pub generating: Duration,
}

impl ScaleReport {
    /// Rows written per second.
    #[expect(clippy::cast_precision_loss, reason = "row counts are far below 2^53")]
    pub fn rows_per_second(&self) -> f64 {
        (self.units + self.officials) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

const AGENCIES_PER_PROVINCE: u32 = 14;
/// Officials generated and inserted per round (a few statements each).
const CHUNK: u64 = 20_000;

const UNIT_COLUMNS: [&str; 10] = [
    "id",
    "code",
    "name",
    "kind",
    "parent_id",
    "approved_headcount",
    "valid_from",
    "valid_to",
    "merged_into_id",
    "created_at",
];
const OFFICIAL_COLUMNS: [&str; 14] = [
    "id",
    "personnel_code",
    "full_name",
    "category",
    "job_position",
    "task_group",
    "is_leader",
    "unit_id",
    "reviewer_id",
    "status",
    "version",
    "created_at",
    "updated_at",
    "search_key",
];

/// Generates and inserts the units and officials of `spec`.
pub async fn scale(
    db: &DatabaseConnection,
    spec: &ScaleSpec,
    progress: bool,
) -> anyhow::Result<ScaleReport> {
    let started = Instant::now();
    let now = loader::timestamp(Utc::now());
    let valid_from = loader::date(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default());
    let mut load = Loader::begin(db).await?;
    let first_unit = load.max_id("org_unit").await? + 1;
    let first_official = load.max_id("official").await? + 1;

    // Units: provinces, then their agencies, then communes round-robin over provinces.
    let mut units = Vec::new();
    let mut unit_ids = Vec::new();
    let mut next = first_unit;
    let kinds: [Arc<str>; 3] = ["province".into(), "agency".into(), "commune".into()];
    let mut add = |code: String, name: String, kind: usize, parent: Option<i64>, headcount: i64| {
        units.extend([
            Cell::Int(next),
            Cell::Text(code),
            Cell::Text(name),
            Cell::Shared(kinds[kind].clone()),
            Cell::opt_int(parent),
            Cell::Int(headcount),
            Cell::Shared(valid_from.clone()),
            Cell::Null,
            Cell::Null,
            Cell::Shared(now.clone()),
        ]);
        next += 1;
        next - 1
    };
    let tag = &spec.tag;
    let provinces: Vec<i64> = (1..=spec.provinces)
        .map(|p| {
            add(
                format!("{tag}-P{p:02}"),
                format!("Tỉnh {p:02}"),
                0,
                None,
                80,
            )
        })
        .collect();
    for (p, province) in provinces.iter().enumerate() {
        for a in 1..=AGENCIES_PER_PROVINCE {
            unit_ids.push(add(
                format!("{tag}-P{:02}-S{a:02}", p + 1),
                format!("Sở {a:02} tỉnh {:02}", p + 1),
                1,
                Some(*province),
                40,
            ));
        }
    }
    for c in 1..=spec.communes {
        let province = provinces[(c as usize - 1) % provinces.len().max(1)];
        unit_ids.push(add(
            format!("{tag}-X{c:05}"),
            format!("Xã {c:05}"),
            2,
            Some(province),
            35,
        ));
    }
    let unit_count = load.insert("org_unit", &UNIT_COLUMNS, units).await?;

    let bar = if progress {
        ProgressBar::new(spec.officials)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} officials {per_sec} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // The next chunk is generated on a blocking thread while SQLite or PostgreSQL writes the
    // current one.
    let officials = Officials::new(spec.tag.clone(), first_official, unit_ids, now);
    let mut pending = (spec.officials > 0).then(|| officials.chunk(0, CHUNK.min(spec.officials)));
    let mut written = 0u64;
    let mut generating = Duration::ZERO;
    while let Some((generator, rows, took)) = pending.take() {
        generating += took;
        let after = written + (rows.len() / OFFICIAL_COLUMNS.len()) as u64;
        let following = CHUNK.min(spec.officials - after);
        let upcoming = (following > 0)
            .then(|| tokio::task::spawn_blocking(move || generator.chunk(after, following)));
        load.insert("official", &OFFICIAL_COLUMNS, rows).await?;
        if let Some(upcoming) = upcoming {
            pending = Some(upcoming.await?);
        }
        written = after;
        bar.set_position(written);
    }
    load.commit().await?;
    let txn = app::ssr::db::write(db).await?;
    app::ssr::repo::scope::rebuild_units(&txn).await?;
    app::ssr::repo::headcount::rebuild(&txn).await?;
    txn.commit().await?;
    super::analyze(db).await?;
    bar.finish_and_clear();
    Ok(ScaleReport {
        units: unit_count,
        officials: written,
        elapsed: started.elapsed(),
        generating,
    })
}

/// Generates official rows from a fixed random seed; `chunk` hands itself back (its random
/// state moved on) so that it can run on another thread.
struct Officials {
    tag: String,
    first_id: i64,
    unit_ids: Arc<[i64]>,
    rng: fastrand::Rng,
    now: Arc<str>,
    category: Arc<str>,
    position: Arc<str>,
    status: Arc<str>,
    groups: [Arc<str>; 2],
}

impl Officials {
    fn new(tag: String, first_id: i64, unit_ids: Vec<i64>, now: Arc<str>) -> Self {
        Officials {
            tag,
            first_id,
            unit_ids: unit_ids.into(),
            rng: fastrand::Rng::with_seed(335),
            now,
            category: "civil_servant".into(),
            position: "Chuyên viên".into(),
            status: "active".into(),
            groups: ["B".into(), "C".into()],
        }
    }

    /// The cells of officials `from .. from + size`, and how long making them took.
    fn chunk(mut self, from: u64, size: u64) -> (Self, Vec<Cell>, Duration) {
        let started = Instant::now();
        let units = self.unit_ids.len().max(1);
        let mut rows = Vec::with_capacity(size as usize * OFFICIAL_COLUMNS.len());
        for n in from..from + size {
            let code = format!("{}-{n:09}", self.tag);
            let name = super::names::full_name(&mut self.rng);
            let key = search_key(&[&name, &code]);
            rows.extend([
                Cell::Int(self.first_id + i64::try_from(n).unwrap_or(i64::MAX)),
                Cell::Text(code),
                Cell::Text(name),
                Cell::Shared(self.category.clone()),
                Cell::Shared(self.position.clone()),
                Cell::Shared(self.groups[(n % 2) as usize].clone()),
                Cell::Bool(n.is_multiple_of(15)),
                Cell::Int(self.unit_ids[(n as usize) % units]),
                Cell::Null,
                Cell::Shared(self.status.clone()),
                Cell::Int(1),
                Cell::Shared(self.now.clone()),
                Cell::Shared(self.now.clone()),
                Cell::Text(key),
            ]);
        }
        (self, rows, started.elapsed())
    }
}
