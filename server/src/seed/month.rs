//! A month of inputs for national-scale data (`server seed month --tag N --officials 50000`):
//! an open cycle `{tag}-2026-11` under Decree 335 and, for the first officials of the scale
//! run `tag`, their assessment with its general-criteria points and two products — what
//! `server recompute` then scores, to measure a province's month.

use anyhow::Context;
use app::domain::{DEFAULT_SCHEME_ID, builtin_scheme};
use app::ssr::entity::{assessment, cycle, general_score, official, product};
use app::ssr::repo::bulk;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Writes the month; returns the cycle's code and how many officials it covers.
pub async fn month(
    db: &DatabaseConnection,
    tag: &str,
    officials: u64,
) -> anyhow::Result<(String, usize)> {
    let scheme = builtin_scheme(DEFAULT_SCHEME_ID).context("loading the default scheme")?;
    let ids: Vec<i64> = official::Entity::find()
        .select_only()
        .column(official::Column::Id)
        .filter(official::Column::PersonnelCode.starts_with(format!("{tag}-")))
        .order_by_asc(official::Column::Id)
        .limit(officials)
        .into_tuple()
        .all(db)
        .await?;
    let code = format!("{tag}-2026-11");
    let now = Utc::now();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).context("date");
    let txn = app::ssr::db::write(db).await?;
    let cycle_id = cycle::Entity::insert(cycle::ActiveModel {
        code: Set(code.clone()),
        scheme_id: Set(scheme.id.clone()),
        scheme_version: Set(scheme.version.clone()),
        period_kind: Set("month".into()),
        year: Set(2026),
        period_no: Set(11),
        starts_on: Set(day(1)?),
        ends_on: Set(day(30)?),
        state: Set("open".into()),
        version: Set(1),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    let mut rng = fastrand::Rng::with_seed(2026);
    for chunk in ids.chunks(5_000) {
        let mut assessments = Vec::with_capacity(chunk.len());
        let mut general = Vec::with_capacity(chunk.len() * scheme.general.len());
        let mut products = Vec::with_capacity(chunk.len() * 2);
        for &official_id in chunk {
            assessments.push(assessment::ActiveModel {
                official_id: Set(official_id),
                cycle_id: Set(cycle_id),
                state: Set("self_assessed".into()),
                notes: Set(String::new()),
                months_worked: Set(Some(12.0)),
                version: Set(1),
                updated_at: Set(now),
                ..Default::default()
            });
            for group in &scheme.general {
                let points = (group.max_points * (0.6 + 0.4 * rng.f64())).round();
                general.push(general_score::ActiveModel {
                    official_id: Set(official_id),
                    cycle_id: Set(cycle_id),
                    criterion_group: Set(group.id.clone()),
                    self_points: Set(Some(points)),
                    reviewer_points: Set(Some(points)),
                    version: Set(1),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            for (k, title) in ["Hồ sơ một cửa", "Văn bản tham mưu"].iter().enumerate() {
                let assigned = rng.i32(5..40);
                let completed = assigned - rng.i32(0..=assigned.min(3));
                products.push(product::ActiveModel {
                    cycle_id: Set(cycle_id),
                    official_id: Set(official_id),
                    code: Set(format!("SP{:02}", k + 1)),
                    title: Set((*title).to_owned()),
                    conversion_weight: Set(1.0 + k as f64),
                    assigned: Set(assigned),
                    completed: Set(completed),
                    completed_on_quality: Set(completed - rng.i32(0..=completed.min(1))),
                    completed_on_time: Set(completed - rng.i32(0..=completed.min(2))),
                    quality_failures: Set(rng.i32(0..2)),
                    delays: Set(rng.i32(0..2)),
                    version: Set(1),
                    ..Default::default()
                });
            }
        }
        bulk::insert_all(&txn, assessments).await?;
        bulk::insert_all(&txn, general).await?;
        bulk::insert_all(&txn, products).await?;
    }
    txn.commit().await?;
    Ok((code, ids.len()))
}
