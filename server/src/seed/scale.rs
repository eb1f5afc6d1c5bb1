//! National-scale synthetic data for performance work: `server seed scale --officials N
//! --provinces 34 --communes 3321`. Units and officials are generated in chunks and written
//! with multi-row INSERTs inside one transaction, with a progress bar; the throughput is
//! printed at the end (rows per second) and recorded in docs/PERFORMANCE.md.

use std::time::{Duration, Instant};

use app::ssr::entity::{official, org_unit};
use app::ssr::repo::bulk;
use chrono::{NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{DatabaseConnection, Set, TransactionTrait};

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

/// Generates and inserts the units and officials of `spec`.
pub async fn scale(
    db: &DatabaseConnection,
    spec: &ScaleSpec,
    progress: bool,
) -> anyhow::Result<ScaleReport> {
    let started = Instant::now();
    let now = Utc::now();
    let valid_from = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default();
    let txn = db.begin().await?;
    let first_unit = bulk::max_id(&txn, "org_unit").await? + 1;
    let first_official = bulk::max_id(&txn, "official").await? + 1;

    // Units: provinces, then their agencies, then communes round-robin over provinces.
    let mut units = Vec::new();
    let mut unit_ids = Vec::new();
    let mut next = first_unit;
    let mut add = |code: String, name: String, kind: &str, parent: Option<i64>, headcount: i32| {
        units.push(org_unit::ActiveModel {
            id: Set(next),
            code: Set(code),
            name: Set(name),
            kind: Set(kind.to_owned()),
            parent_id: Set(parent),
            approved_headcount: Set(headcount),
            valid_from: Set(valid_from),
            valid_to: Set(None),
            merged_into_id: Set(None),
            created_at: Set(now),
        });
        next += 1;
        next - 1
    };
    let tag = &spec.tag;
    let provinces: Vec<i64> = (1..=spec.provinces)
        .map(|p| {
            add(
                format!("{tag}-P{p:02}"),
                format!("Tỉnh {p:02}"),
                "province",
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
                "agency",
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
            "commune",
            Some(province),
            35,
        ));
    }
    let unit_count = units.len() as u64;
    bulk::insert_all(&txn, units).await?;

    let bar = if progress {
        ProgressBar::new(spec.officials)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} officials {per_sec} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut rng = fastrand::Rng::with_seed(335);
    let mut written = 0u64;
    let mut generating = Duration::ZERO;
    while written < spec.officials {
        let size = CHUNK.min(spec.officials - written);
        let generation_started = Instant::now();
        let rows: Vec<official::ActiveModel> = (0..size)
            .map(|i| {
                let n = written + i;
                let id = first_official + i64::try_from(n).unwrap_or(i64::MAX);
                official::ActiveModel {
                    id: Set(id),
                    personnel_code: Set(format!("{tag}-{n:09}")),
                    full_name: Set(super::names::full_name(&mut rng)),
                    category: Set("civil_servant".into()),
                    job_position: Set("Chuyên viên".into()),
                    task_group: Set(if n.is_multiple_of(2) { "B" } else { "C" }.into()),
                    is_leader: Set(n.is_multiple_of(15)),
                    unit_id: Set(unit_ids[(n as usize) % unit_ids.len().max(1)]),
                    reviewer_id: Set(None),
                    status: Set("active".into()),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
            })
            .collect();
        generating += generation_started.elapsed();
        bulk::insert_all(&txn, rows).await?;
        written += size;
        bar.set_position(written);
    }
    bulk::sync_id_sequence(&txn, "org_unit").await?;
    bulk::sync_id_sequence(&txn, "official").await?;
    txn.commit().await?;
    bar.finish_and_clear();
    Ok(ScaleReport {
        units: unit_count,
        officials: written,
        elapsed: started.elapsed(),
        generating,
    })
}
