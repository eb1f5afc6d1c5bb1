//! A month of inputs for national-scale data (`server seed month --tag N --officials 50000`):
//! an open cycle `{tag}-2026-11` under Decree 335 and, for the first officials of the scale
//! run `tag`, their assessment with its general-criteria points and two products — what
//! `server recompute` then scores, to measure a province's month — and an objective with two
//! checked-in key results each; for every commune of the run, its on-time and online rates
//! since January and a key result fed by each, for the dashboards to read at scale.

use anyhow::Context;
use app::domain::{DEFAULT_SCHEME_ID, builtin_scheme};
use std::collections::HashMap;

use app::domain::metrics::MetricKey;
use app::domain::vocab::{DataSource, KrKind};
use app::ssr::entity::{
    assessment, check_in, cycle, general_score, key_result, metric_series, objective, official,
    org_unit, product,
};
use app::ssr::repo::bulk;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
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
    let okrs = Okrs {
        cycle_id,
        start: day(1)?,
        now,
    };
    okrs.officials(&txn, &ids, &mut rng).await?;
    okrs.communes(&txn, tag, &mut rng).await?;
    txn.commit().await?;
    super::analyze(db).await?;
    Ok((code, ids.len()))
}

/// The month's key results and unit metrics, for the dashboards to read at scale.
struct Okrs {
    cycle_id: i64,
    start: NaiveDate,
    now: DateTime<Utc>,
}

impl Okrs {
    /// Each official: one objective with two key results (0 → 100), each with two check-ins
    /// in the month — some far behind, some with a low confidence, some long ago.
    async fn officials(
        &self,
        txn: &impl ConnectionTrait,
        ids: &[i64],
        rng: &mut fastrand::Rng,
    ) -> anyhow::Result<()> {
        for chunk in ids.chunks(5_000) {
            let objectives = chunk
                .iter()
                .map(|&id| self.objective(Some(id), None, "Hoàn thành nhiệm vụ tháng"))
                .collect();
            bulk::insert_all(txn, objectives).await?;
        }
        let owners = self
            .objectives(txn, objective::Column::OwnerOfficialId)
            .await?;
        let mut krs = Vec::with_capacity(owners.len() * 2);
        let mut latest = HashMap::new();
        for &(objective_id, _) in &owners {
            for code in ["KR1", "KR2"] {
                let reached = (rng.f64() * 1000.0).round() / 10.0;
                let confidence = rng.i16(1..11);
                let last = self.start + Duration::days(rng.i64(0..20));
                let mut kr = self.key_result(objective_id, code, (0.0, 100.0), reached, None);
                kr.last_check_in_at = Set(Some(at_nine(last)));
                kr.last_confidence = Set(Some(confidence));
                krs.push(kr);
                latest.insert((objective_id, code), (last, reached, confidence));
            }
        }
        for chunk in krs.chunks(5_000) {
            bulk::insert_all(txn, chunk.to_vec()).await?;
        }
        let owner_of: HashMap<i64, i64> = owners.into_iter().collect();
        let stored: Vec<(i64, i64, String)> = key_result::Entity::find()
            .select_only()
            .columns([
                key_result::Column::Id,
                key_result::Column::ObjectiveId,
                key_result::Column::Code,
            ])
            .filter(
                key_result::Column::ObjectiveId
                    .in_subquery(self.objective_ids(objective::Column::OwnerOfficialId)),
            )
            .into_tuple()
            .all(txn)
            .await?;
        let mut check_ins = Vec::with_capacity(stored.len() * 2);
        for (kr, objective_id, code) in stored {
            let (Some(&(last, reached, confidence)), Some(&owner)) = (
                latest.get(&(objective_id, code.as_str())),
                owner_of.get(&objective_id),
            ) else {
                continue;
            };
            for (share, on) in [(0.5, last - Duration::days(10)), (1.0, last)] {
                check_ins.push(check_in::ActiveModel {
                    key_result_id: Set(kr),
                    value: Set(reached * share),
                    note: Set("Cập nhật tiến độ".into()),
                    evidence_url: Set(None),
                    confidence: Set(confidence),
                    author_official_id: Set(owner),
                    created_at: Set(at_nine(on)),
                    ..Default::default()
                });
            }
        }
        for chunk in check_ins.chunks(5_000) {
            bulk::insert_all(txn, chunk.to_vec()).await?;
        }
        Ok(())
    }

    /// Each commune of the scale run `tag`: the on-time and online rates of January to
    /// November, and an objective with a key result fed by each, its target 99 % or 96 %.
    async fn communes(
        &self,
        txn: &impl ConnectionTrait,
        tag: &str,
        rng: &mut fastrand::Rng,
    ) -> anyhow::Result<()> {
        let communes: Vec<i64> = org_unit::Entity::find()
            .select_only()
            .column(org_unit::Column::Id)
            .filter(org_unit::Column::Code.starts_with(format!("{tag}-X")))
            .into_tuple()
            .all(txn)
            .await?;
        let title = "Nâng cao chất lượng giải quyết thủ tục hành chính";
        let objectives = communes
            .iter()
            .map(|&id| self.objective(None, Some(id), title))
            .collect();
        bulk::insert_all(txn, objectives).await?;
        let objective_of: HashMap<i64, i64> = self
            .objectives(txn, objective::Column::OwnerUnitId)
            .await?
            .into_iter()
            .map(|(objective, unit)| (unit, objective))
            .collect();
        let mut metrics = Vec::with_capacity(communes.len() * 22);
        let mut krs = Vec::with_capacity(communes.len() * 2);
        for &unit in &communes {
            for (key, target, base) in [
                (MetricKey::OnTime, 99.0, 90.0 + rng.f64() * 6.0),
                (MetricKey::Online, 96.0, 80.0 + rng.f64() * 10.0),
            ] {
                let mut value: f64 = base;
                for month in 1..=11 {
                    value = (value + rng.f64() - 0.3).min(100.0);
                    metrics.push(metric_series::ActiveModel {
                        metric_key: Set(key.code().to_owned()),
                        unit_id: Set(unit),
                        period_date: Set(month_end(month)?),
                        value: Set((value * 10.0).round() / 10.0),
                        ..Default::default()
                    });
                }
                if let Some(&objective) = objective_of.get(&unit) {
                    let reached = (value * 10.0).round() / 10.0;
                    let code = match key {
                        MetricKey::OnTime => "TTHC-DUNGHAN",
                        MetricKey::Online => "TTHC-TRUCTUYEN",
                    };
                    let mut kr =
                        self.key_result(objective, code, (base, target), reached, Some(key));
                    // Fed by the month's figure: as fresh as the feed.
                    kr.last_check_in_at = Set(Some(at_nine(month_end(11)?)));
                    krs.push(kr);
                }
            }
        }
        for chunk in metrics.chunks(5_000) {
            bulk::insert_all(txn, chunk.to_vec()).await?;
        }
        bulk::insert_all(txn, krs).await?;
        Ok(())
    }

    fn objective(
        &self,
        official: Option<i64>,
        unit: Option<i64>,
        title: &str,
    ) -> objective::ActiveModel {
        objective::ActiveModel {
            cycle_id: Set(self.cycle_id),
            owner_official_id: Set(official),
            owner_unit_id: Set(unit),
            parent_id: Set(None),
            title: Set(title.to_owned()),
            weight: Set(1.0),
            version: Set(1),
            created_at: Set(self.now),
            ..Default::default()
        }
    }

    fn key_result(
        &self,
        objective_id: i64,
        code: &str,
        (start, target): (f64, f64),
        current: f64,
        metric: Option<MetricKey>,
    ) -> key_result::ActiveModel {
        let (title, unit, source) = match metric {
            Some(MetricKey::OnTime) => ("Tỷ lệ hồ sơ giải quyết đúng hạn", "%", DataSource::Metric),
            Some(MetricKey::Online) => ("Tỷ lệ hồ sơ nộp trực tuyến", "%", DataSource::Metric),
            None => ("Số hồ sơ được giải quyết", "hồ sơ", DataSource::Manual),
        };
        key_result::ActiveModel {
            objective_id: Set(objective_id),
            code: Set(code.to_owned()),
            title: Set(title.to_owned()),
            kind: Set(KrKind::IncreaseTo.code().to_owned()),
            start_value: Set(start),
            target_value: Set(target),
            band_low: Set(None),
            band_high: Set(None),
            current_value: Set(current),
            weight: Set(0.5),
            unit_of_measure: Set(unit.to_owned()),
            data_source: Set(source.code().to_owned()),
            metric_key: Set(metric.map(|m| m.code().to_owned())),
            last_check_in_at: Set(None),
            last_confidence: Set(None),
            version: Set(1),
            ..Default::default()
        }
    }

    /// The ids of this month's objectives owned through `owner` (an official or a unit).
    fn objective_ids(&self, owner: objective::Column) -> SelectStatement {
        use sea_orm::sea_query::ExprTrait;
        Query::select()
            .column(objective::Column::Id)
            .from(objective::Entity)
            .and_where(Expr::col(objective::Column::CycleId).eq(self.cycle_id))
            .and_where(Expr::col(owner).is_not_null())
            .to_owned()
    }

    /// (objective, owner) of this month's objectives owned through `owner`.
    async fn objectives(
        &self,
        txn: &impl ConnectionTrait,
        owner: objective::Column,
    ) -> anyhow::Result<Vec<(i64, i64)>> {
        Ok(objective::Entity::find()
            .select_only()
            .column(objective::Column::Id)
            .column(owner)
            .filter(objective::Column::CycleId.eq(self.cycle_id))
            .filter(owner.is_not_null())
            .into_tuple()
            .all(txn)
            .await?)
    }
}

/// The last day of `month` of 2026.
fn month_end(month: u32) -> anyhow::Result<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(2027, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(2026, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).context("month end")
}

/// 9 o'clock UTC on `day`.
fn at_nine(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}
