//! The demo city: a Huế-like city after the 2025 reorganisation — the city, its 14 agencies and
//! 40 communes/wards (names from `shared/domain/context.md` where given), about 2,000 officials,
//! a year of monthly assessments under Decree 335 computed by the real engine, Q4 OKRs with
//! check-ins and unit metrics, and the situations leaders ask about:
//! - most units spread across levels, three "equalized" units where everyone is excellent,
//!   and one weak unit;
//! - Phường Thuận Hóa formed from six former wards (their history kept) and over headcount,
//!   Phường Dương Nỗ short of staff;
//! - stale and at-risk key results; a disciplined official; a few personnel decisions.
//!
//! Everything is generated from a fixed seed and a fixed date, so two loads are identical.

use anyhow::Context;
use app::domain::feeds::Item;
use app::domain::level::Discipline;
use app::domain::text::search_key;
use app::domain::{Scheme, builtin_scheme};
use app::error::AppError;
use app::ssr::auth::password::Cost;
use app::ssr::entity::{
    assessment, check_in, cycle, general_score, key_result, metric_series, objective, official,
    official_unit_history, org_unit, personnel_decision, product,
};
use app::ssr::repo::{assessments, audit, bulk, org_units, rollups, scope};
use app::ssr::service;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Set};

/// The date the demo pretends it is: check-ins and staleness are relative to it.
pub fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

const SEED: u64 = 0x7468_756f_6364_6f00; // "thuocdo"
const YEAR: i32 = 2026;
/// Months with assessments (January – November); December is still open.
const ASSESSED_MONTHS: u32 = 11;

/// The city's 14 specialised agencies.
const AGENCIES: [&str; 14] = [
    "Văn phòng Ủy ban nhân dân thành phố",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Tư pháp",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra thành phố",
];

/// The 40 communes and wards.
const COMMUNES: [&str; 40] = [
    "Phường Thuận Hóa",
    "Phường Phú Xuân",
    "Phường An Cựu",
    "Phường Vỹ Dạ",
    "Phường Thủy Xuân",
    "Phường Kim Long",
    "Phường Hương An",
    "Phường Phú Bài",
    "Phường Hương Thủy",
    "Phường Thanh Thủy",
    "Phường Hương Trà",
    "Phường Kim Trà",
    "Phường Hóa Châu",
    "Phường Thuận An",
    "Phường Dương Nỗ",
    "Phường Mỹ Thượng",
    "Phường Phong Điền",
    "Phường Phong Thái",
    "Phường Phong Dinh",
    "Phường Phong Phú",
    "Phường Phong Quảng",
    "Xã Phú Lộc",
    "Xã Lộc An",
    "Xã Hưng Lộc",
    "Xã Vinh Lộc",
    "Xã Chân Mây – Lăng Cô",
    "Xã Phú Vinh",
    "Xã Phú Hồ",
    "Xã Phú Vang",
    "Xã Quảng Điền",
    "Xã Đan Điền",
    "Xã Bình Điền",
    "Xã Khe Tre",
    "Xã Long Quảng",
    "Xã Nam Đông",
    "Xã A Lưới 1",
    "Xã A Lưới 2",
    "Xã A Lưới 3",
    "Xã A Lưới 4",
    "Xã A Lưới 5",
];

/// The six wards merged into Phường Thuận Hóa on 1 July 2025 (history kept).
const MERGED_INTO_THUAN_HOA: [&str; 6] = [
    "Phường Phú Hội (cũ)",
    "Phường Phú Nhuận (cũ)",
    "Phường Vĩnh Ninh (cũ)",
    "Phường Phước Vĩnh (cũ)",
    "Phường Trường An (cũ)",
    "Phường Thuận Thành (cũ)",
];

/// Communes where everyone is rated excellent: the equalization the leadership wants to see.
const EQUALIZED: [&str; 3] = ["Xã Phú Hồ", "Xã Khe Tre", "Phường Kim Trà"];
/// A unit that struggles.
const WEAK: &str = "Xã A Lưới 4";
const OVER_HEADCOUNT: &str = "Phường Thuận Hóa";
const SHORT_OF_STAFF: &str = "Phường Dương Nỗ";

const COMMUNE_POSITIONS: [&str; 6] = [
    "Công chức Văn phòng – Thống kê",
    "Công chức Tư pháp – Hộ tịch",
    "Công chức Tài chính – Kế toán",
    "Công chức Địa chính – Xây dựng",
    "Công chức Văn hóa – Xã hội",
    "Công chức Bộ phận một cửa",
];
const AGENCY_POSITIONS: [&str; 3] = ["Chuyên viên", "Chuyên viên chính", "Kế toán viên"];
const PRODUCTS: [&str; 6] = [
    "Hồ sơ thủ tục hành chính",
    "Văn bản tham mưu",
    "Báo cáo định kỳ",
    "Kiểm tra, xác minh thực địa",
    "Tiếp công dân",
    "Cập nhật cơ sở dữ liệu",
];

/// Loads the demo city if the database has no units yet; returns the number of officials.
pub async fn demo_if_empty(db: &DatabaseConnection, hashing: Cost) -> anyhow::Result<usize> {
    if org_units::count(db).await? > 0 {
        return Ok(0);
    }
    demo(db, hashing).await
}

/// Loads only the demo city's organisation (units, with the merger history): enough for
/// tests of pages that list units. Returns the number of units.
pub async fn units_only(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let mut data = Demo::default();
    data.units_and_officials(&mut fastrand::Rng::with_seed(SEED))?;
    let units = data.units.len();
    let txn = app::ssr::db::write(db).await?;
    bulk::insert_all(&txn, data.units).await?;
    bulk::sync_id_sequence(&txn, "org_unit").await?;
    scope::rebuild_units(&txn).await?;
    txn.commit().await?;
    Ok(units)
}

/// Loads the demo city, with its demo accounts (passwords hashed at `hashing`), in one
/// transaction; returns the number of officials created.
pub async fn demo(db: &DatabaseConnection, hashing: Cost) -> anyhow::Result<usize> {
    let scheme =
        builtin_scheme(app::domain::DEFAULT_SCHEME_ID).context("loading the default scheme")?;
    let mut data = Demo::generate(&scheme)?;
    let officials = data.officials.len();
    let units = data.units.len();
    let fed = std::mem::take(&mut data.fed);
    let portal = std::mem::take(&mut data.portal);
    let txn = app::ssr::db::write(db).await?;
    data.insert(&txn).await?;
    for table in TABLES_WITH_EXPLICIT_IDS {
        bulk::sync_id_sequence(&txn, table).await?;
    }
    scope::rebuild_units(&txn).await?;
    app::ssr::repo::headcount::rebuild(&txn).await?;
    // Each month scored by the engine from the stored inputs, through the assessments
    // service; the closed months' levels were then approved as proposed.
    for month in 1..=ASSESSED_MONTHS {
        let cycle_id = i64::from(month);
        service::assessments::recompute(&txn, cycle_id, None, as_of()).await?;
        assessments::accept_engine_levels(&txn, cycle_id, month <= 10).await?;
    }
    for cycle_id in 1..=i64::from(ASSESSED_MONTHS) + 1 {
        rollups::rebuild_cycle(&txn, cycle_id, as_of()).await?;
    }
    rollups::rebuild_cycle(&txn, OKR_CYCLE_ID, as_of()).await?;
    // The year's classification of every unit, through the same service as the board's
    // button.
    let seeder = service::Actor::system("seed:demo");
    for unit in 1..=i64::try_from(units)? {
        service::calibration::classify_in(&txn, &seeder, YEAR_CYCLE_ID, unit, as_of()).await?;
    }
    audit::record(
        &txn,
        &audit::Actor::system("seed:demo"),
        audit::Change {
            action: "seed".into(),
            entity: "demo".into(),
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({ "officials": officials, "units": units })),
            unit_id: None,
        },
        Utc::now(),
    )
    .await?;
    super::accounts::create(&txn, hashing).await?;
    feed_city(&txn, "Hệ thống thông tin giải quyết TTHC (demo)", &fed).await?;
    feed_city(
        &txn,
        "Cổng Dịch vụ công — Bộ chỉ số phục vụ (demo)",
        &portal,
    )
    .await?;
    service::warnings::refresh_in(&txn, as_of()).await?;
    txn.commit().await?;
    tracing::info!(officials, "demo city loaded");
    Ok(officials)
}

/// One of the demo's integrations: created for the city like any other (its token, shown once,
/// is not kept), it sends its values through the feeds service. The one-stop system sends
/// November's rates of every commune, which moves the bound key results and rescores; the
/// public-service portal sends the year's service index.
async fn feed_city(txn: &impl ConnectionTrait, name: &str, fed: &[Item]) -> anyhow::Result<()> {
    let seeder = service::Actor::system("seed:demo");
    let city = org_units::id_by_code(txn, "HUE")
        .await?
        .context("the demo city")?;
    let now = Utc::now().max(as_of());
    let client = service::feeds::create_in(txn, &seeder, name, &[city], now).await?;
    let writer = service::feeds::Writer {
        actor: service::Actor::system(&format!("api:{}:{name}", client.id)),
        roots: vec![city],
        client_id: Some(client.id),
    };
    let checked = service::feeds::check(txn, &writer, fed, now)
        .await?
        .map_err(|errors| anyhow::anyhow!("the demo feed is refused: {errors:?}"))?;
    let report = service::feeds::write_in(txn, &writer, &checked, now).await?;
    tracing::info!(
        values = report.accepted,
        key_results = report.key_results,
        "demo feed sent"
    );
    Ok(())
}

const TABLES_WITH_EXPLICIT_IDS: [&str; 5] =
    ["org_unit", "official", "cycle", "objective", "key_result"];
/// Cycles 1–12 are the months of 2026; 13 is the fourth quarter's OKR cycle.
const OKR_CYCLE_ID: i64 = 13;
/// 14 is the year 2026, at its calibration step.
const YEAR_CYCLE_ID: i64 = 14;

/// A generated official, before insertion.
struct Person {
    id: i64,
    unit: usize,
    ability: f64,
    leader: bool,
}

/// The whole demo data set, generated in memory.
#[derive(Default)]
struct Demo {
    units: Vec<org_unit::ActiveModel>,
    /// Name, kind and approved headcount of each unit, by index (id − 1).
    unit_meta: Vec<(String, &'static str, i32)>,
    officials: Vec<official::ActiveModel>,
    history: Vec<official_unit_history::ActiveModel>,
    cycles: Vec<cycle::ActiveModel>,
    products: Vec<product::ActiveModel>,
    general: Vec<general_score::ActiveModel>,
    assessments: Vec<assessment::ActiveModel>,
    objectives: Vec<objective::ActiveModel>,
    key_results: Vec<key_result::ActiveModel>,
    check_ins: Vec<check_in::ActiveModel>,
    metrics: Vec<metric_series::ActiveModel>,
    /// November's on-time and online rates of every commune, sent by the demo integration.
    fed: Vec<Item>,
    /// The Decision 766 service index of each commune, month by month, and its five groups:
    /// sent by the demo's public-service portal integration.
    portal: Vec<Item>,
    decisions: Vec<personnel_decision::ActiveModel>,
}

fn date(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).with_context(|| format!("invalid date {y}-{m}-{d}"))
}

/// A commune's service index (Decision 766) for each assessed month: each of the five groups
/// a share of its maximum, rising a little through the year in the stronger communes, and the
/// index their sum. Drawn from a generator of the commune's own so that the rest of the demo
/// stays as it was.
fn service_index(unit: &str, strong: bool, unit_id: i64) -> anyhow::Result<Vec<Item>> {
    let mut rng = fastrand::Rng::with_seed(SEED ^ unit_id.unsigned_abs());
    let groups = [
        ("service_index_transparency", 18.0),
        ("service_index_progress", 20.0),
        ("service_index_online", 22.0),
        ("service_index_satisfaction", 18.0),
        ("service_index_digitisation", 22.0),
    ];
    let base = if strong { 0.78 } else { 0.66 };
    let mut items = Vec::new();
    for month in 1..=ASSESSED_MONTHS {
        let date = month_end(month)?.to_string();
        let mut total = 0.0;
        for (metric, max) in groups {
            let share = (base + 0.008 * f64::from(month) + (rng.f64() - 0.5) * 0.06).min(1.0);
            let value = (max * share * 10.0).round() / 10.0;
            total += value;
            items.push(Item {
                metric: metric.into(),
                unit: unit.into(),
                date: date.clone(),
                value,
            });
        }
        items.push(Item {
            metric: "service_index".into(),
            unit: unit.into(),
            date,
            value: (total * 10.0_f64).round() / 10.0,
        });
    }
    Ok(items)
}

fn month_end(month: u32) -> anyhow::Result<NaiveDate> {
    let next = if month == 12 {
        date(YEAR + 1, 1, 1)?
    } else {
        date(YEAR, month + 1, 1)?
    };
    next.pred_opt().context("month end")
}

impl Demo {
    fn generate(scheme: &Scheme) -> anyhow::Result<Demo> {
        let mut rng = fastrand::Rng::with_seed(SEED);
        let mut demo = Demo::default();
        let people = demo.units_and_officials(&mut rng)?;
        demo.cycles(scheme)?;
        demo.monthly_work(scheme, &people, &mut rng)?;
        demo.okrs(&people, &mut rng)?;
        demo.decisions(&people)?;
        Ok(demo)
    }

    #[expect(clippy::too_many_arguments, reason = "a unit row has this many facts")]
    fn add_unit(
        &mut self,
        code: String,
        name: &str,
        kind: &'static str,
        parent: Option<i64>,
        headcount: i32,
        valid: (NaiveDate, Option<NaiveDate>),
        merged_into: Option<i64>,
    ) -> i64 {
        let id = i64::try_from(self.units.len()).unwrap_or(i64::MAX) + 1;
        self.units.push(org_unit::ActiveModel {
            id: Set(id),
            code: Set(code),
            name: Set(name.to_owned()),
            kind: Set(kind.to_owned()),
            parent_id: Set(parent),
            approved_headcount: Set(headcount),
            valid_from: Set(valid.0),
            valid_to: Set(valid.1),
            merged_into_id: Set(merged_into),
            created_at: Set(as_of()),
            // Filled with the closure by `scope::rebuild_units`.
            search_key: Set(None),
        });
        self.unit_meta.push((name.to_owned(), kind, headcount));
        id
    }

    fn units_and_officials(&mut self, rng: &mut fastrand::Rng) -> anyhow::Result<Vec<Person>> {
        let reorganised = date(2025, 7, 1)?;
        let city = self.add_unit(
            "HUE".into(),
            "Thành phố Huế",
            "province",
            None,
            60,
            (reorganised, None),
            None,
        );
        self.add_unit(
            "HUE-D01".into(),
            "Ban Tổ chức Thành ủy",
            "party",
            Some(city),
            24,
            (reorganised, None),
            None,
        );
        for (i, name) in AGENCIES.iter().enumerate() {
            let headcount = 25 + i32::try_from(i * 7 % 26)?;
            self.add_unit(
                format!("HUE-S{:02}", i + 1),
                name,
                "agency",
                Some(city),
                headcount,
                (reorganised, None),
                None,
            );
        }
        for (i, name) in COMMUNES.iter().enumerate() {
            let headcount = 30 + i32::try_from(i * 5 % 16)?;
            self.add_unit(
                format!("HUE-X{:02}", i + 1),
                name,
                "commune",
                Some(city),
                headcount,
                (reorganised, None),
                None,
            );
        }
        let thuan_hoa = self.unit_id(OVER_HEADCOUNT)?;
        let former_start = date(2008, 1, 1)?;
        let former_end = date(2025, 6, 30)?;
        let mut former = Vec::new();
        for (i, name) in MERGED_INTO_THUAN_HOA.iter().enumerate() {
            former.push(self.add_unit(
                format!("HUE-CU{:02}", i + 1),
                name,
                "commune",
                Some(city),
                8,
                (former_start, Some(former_end)),
                Some(thuan_hoa),
            ));
        }

        let mut people = Vec::new();
        let current_units = 1 + 1 + AGENCIES.len() + COMMUNES.len();
        for unit in 0..current_units {
            let (name, kind, headcount) = self.unit_meta[unit].clone();
            let headcount = f64::from(headcount);
            let fill = match name.as_str() {
                OVER_HEADCOUNT => 1.35,
                SHORT_OF_STAFF => 0.65,
                _ => 0.85 + rng.f64() * 0.15,
            };
            let unit_mean = if EQUALIZED.contains(&name.as_str()) {
                0.99
            } else if name == WEAK {
                0.62
            } else {
                0.72 + rng.f64() * 0.18
            };
            let count = (headcount * fill).round() as usize;
            let mut leader_id = None;
            for n in 0..count {
                let id = i64::try_from(self.officials.len())? + 1;
                let leader = n < 2;
                let (category, position, task_group) = match (kind, n) {
                    ("commune", 0) => ("cadre", "Chủ tịch Ủy ban nhân dân".to_owned(), "A"),
                    ("commune", 1) => ("cadre", "Phó Chủ tịch Ủy ban nhân dân".to_owned(), "A"),
                    ("commune", _) => (
                        if rng.u8(0..10) == 0 {
                            "public_employee"
                        } else {
                            "civil_servant"
                        },
                        COMMUNE_POSITIONS[rng.usize(..COMMUNE_POSITIONS.len())].to_owned(),
                        if rng.bool() { "B" } else { "C" },
                    ),
                    (_, 0) => ("civil_servant", "Giám đốc / Thủ trưởng".to_owned(), "A"),
                    (_, 1) => (
                        "civil_servant",
                        "Phó Giám đốc / Phó Thủ trưởng".to_owned(),
                        "A",
                    ),
                    _ => (
                        "civil_servant",
                        AGENCY_POSITIONS[rng.usize(..AGENCY_POSITIONS.len())].to_owned(),
                        if rng.bool() { "B" } else { "C" },
                    ),
                };
                let ability = if EQUALIZED.contains(&name.as_str()) {
                    0.99
                } else {
                    (unit_mean + (rng.f64() - 0.5) * 0.3).clamp(0.3, 1.0)
                };
                let (code, name) = (format!("CB{id:06}"), super::names::full_name(rng));
                self.officials.push(official::ActiveModel {
                    id: Set(id),
                    search_key: Set(Some(search_key(&[&name, &code]))),
                    personnel_code: Set(code),
                    full_name: Set(name),
                    category: Set(category.to_owned()),
                    job_position: Set(position),
                    task_group: Set(task_group.to_owned()),
                    is_leader: Set(leader),
                    unit_id: Set(unit as i64 + 1),
                    reviewer_id: Set(if n == 0 { None } else { leader_id }),
                    status: Set("active".to_owned()),
                    version: Set(1),
                    created_at: Set(as_of()),
                    updated_at: Set(as_of()),
                });
                if n == 0 {
                    leader_id = Some(id);
                }
                let unit_id = unit as i64 + 1;
                if unit_id == thuan_hoa {
                    let from = former[n % former.len()];
                    self.history
                        .push(history(id, from, former_start, Some(former_end), "merger"));
                    self.history
                        .push(history(id, unit_id, reorganised, None, "merger"));
                } else {
                    self.history
                        .push(history(id, unit_id, reorganised, None, "appointment"));
                }
                people.push(Person {
                    id,
                    unit,
                    ability,
                    leader,
                });
            }
        }
        Ok(people)
    }

    fn unit_id(&self, name: &str) -> anyhow::Result<i64> {
        let index = self
            .unit_meta
            .iter()
            .position(|(n, _, _)| n == name)
            .with_context(|| format!("unit {name}"))?;
        Ok(i64::try_from(index)? + 1)
    }

    fn cycles(&mut self, scheme: &Scheme) -> anyhow::Result<()> {
        for month in 1..=12u32 {
            let state = match month {
                m if m <= 10 => "closed",
                11 => "review",
                _ => "open",
            };
            self.cycles.push(cycle::ActiveModel {
                id: Set(i64::from(month)),
                code: Set(format!("{YEAR}-{month:02}")),
                scheme_id: Set(scheme.id.clone()),
                scheme_version: Set(scheme.version.clone()),
                period_kind: Set("month".into()),
                year: Set(YEAR),
                period_no: Set(i32::try_from(month)?),
                starts_on: Set(date(YEAR, month, 1)?),
                ends_on: Set(month_end(month)?),
                state: Set(state.into()),
                version: Set(1),
                ..Default::default()
            });
        }
        // The year, at its calibration step: classified from the months, then calibrated
        // under the quota unit by unit.
        self.cycles.push(cycle::ActiveModel {
            id: Set(YEAR_CYCLE_ID),
            code: Set(YEAR.to_string()),
            scheme_id: Set(scheme.id.clone()),
            scheme_version: Set(scheme.version.clone()),
            period_kind: Set("year".into()),
            year: Set(YEAR),
            period_no: Set(1),
            starts_on: Set(date(YEAR, 1, 1)?),
            ends_on: Set(date(YEAR, 12, 31)?),
            state: Set("calibration".into()),
            version: Set(1),
            ..Default::default()
        });
        let okr = builtin_scheme("okr-basic")?;
        self.cycles.push(cycle::ActiveModel {
            id: Set(OKR_CYCLE_ID),
            code: Set(format!("{YEAR}-Q4")),
            scheme_id: Set(okr.id.clone()),
            scheme_version: Set(okr.version.clone()),
            period_kind: Set("quarter".into()),
            year: Set(YEAR),
            period_no: Set(4),
            starts_on: Set(date(YEAR, 10, 1)?),
            ends_on: Set(date(YEAR, 12, 31)?),
            state: Set("open".into()),
            version: Set(1),
            ..Default::default()
        });
        Ok(())
    }

    /// Products, general-criteria points and the month's assessment with its other inputs.
    fn monthly_work(
        &mut self,
        scheme: &Scheme,
        people: &[Person],
        rng: &mut fastrand::Rng,
    ) -> anyhow::Result<()> {
        let disciplined = people.get(people.len() / 3).map(|p| p.id);
        for person in people {
            for month in 1..=ASSESSED_MONTHS {
                let cycle_id = i64::from(month);
                for (k, title) in PRODUCTS
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| (k + person.id as usize).is_multiple_of(2))
                {
                    let assigned = rng.i64(5..40);
                    let effort = (person.ability + (rng.f64() - 0.5) * 0.1).clamp(0.0, 1.0);
                    let completed = ((assigned as f64) * effort.min(1.0)).round() as i64;
                    let slack = |rng: &mut fastrand::Rng| {
                        if effort > 0.95 {
                            0
                        } else {
                            rng.i64(0..=((1.0 - effort) * 6.0) as i64)
                        }
                    };
                    let on_quality = (completed - slack(rng)).max(0);
                    let on_time = (completed - slack(rng)).max(0);
                    let quality_failures = if effort > 0.9 { 0 } else { slack(rng).min(2) };
                    let delays = if effort > 0.9 { 0 } else { slack(rng).min(2) };
                    let weight = 1.0 + (k % 3) as f64;
                    let code = format!("SP{:02}", k + 1);
                    self.products.push(product::ActiveModel {
                        cycle_id: Set(cycle_id),
                        official_id: Set(person.id),
                        code: Set(code),
                        title: Set((*title).to_owned()),
                        conversion_weight: Set(weight),
                        assigned: Set(i32::try_from(assigned)?),
                        completed: Set(i32::try_from(completed)?),
                        completed_on_quality: Set(i32::try_from(on_quality)?),
                        completed_on_time: Set(i32::try_from(on_time)?),
                        quality_failures: Set(i32::try_from(quality_failures)?),
                        delays: Set(i32::try_from(delays)?),
                        waiver_ref: Set(None),
                        due_on: Set(Some(month_end(month)?)),
                        version: Set(1),
                        ..Default::default()
                    });
                }
                for group in &scheme.general {
                    let max = group.max_points;
                    let reviewer = (max * (0.6 + 0.4 * person.ability) + (rng.f64() - 0.5))
                        .clamp(0.0, max)
                        .round();
                    let self_points = (reviewer + f64::from(rng.u8(0..2))).min(max);
                    self.general.push(general_score::ActiveModel {
                        official_id: Set(person.id),
                        cycle_id: Set(cycle_id),
                        criterion_group: Set(group.id.clone()),
                        self_points: Set(Some(self_points)),
                        reviewer_points: Set(Some(reviewer)),
                        reviewer_id: Set(None),
                        version: Set(1),
                        updated_at: Set(as_of()),
                        ..Default::default()
                    });
                }
                // The month's inputs; the engine scores them from the database (the
                // assessments service), one month at a time.
                let closed = month <= 10;
                let disciplined = Some(person.id) == disciplined && month >= 6;
                self.assessments.push(assessment::ActiveModel {
                    official_id: Set(person.id),
                    cycle_id: Set(cycle_id),
                    computed_score: Set(None),
                    explanation: Set(None),
                    months_worked: Set(Some(12.0)),
                    discipline: Set(disciplined.then(|| Discipline::Reprimand.code().to_owned())),
                    state: Set(if closed {
                        "approved"
                    } else if person.leader {
                        "self_assessed"
                    } else {
                        "reviewed"
                    }
                    .into()),
                    notes: Set(String::new()),
                    version: Set(1),
                    updated_at: Set(as_of()),
                    ..Default::default()
                });
            }
        }
        Ok(())
    }

    /// Fourth-quarter OKRs: unit objectives with data-driven KRs fed by metric series, and one
    /// objective per official with check-ins (some stale, some at risk).
    fn okrs(&mut self, people: &[Person], rng: &mut fastrand::Rng) -> anyhow::Result<()> {
        let now = as_of();
        let mut next_objective = 1i64;
        let mut next_kr = 1i64;
        let communes: Vec<(usize, String)> = self
            .unit_meta
            .iter()
            .enumerate()
            .filter(|(_, (name, kind, _))| *kind == "commune" && !name.ends_with("(cũ)"))
            .map(|(index, (name, _, _))| (index, name.clone()))
            .collect();
        for (index, name) in &communes {
            let unit_id = i64::try_from(*index)? + 1;
            let strong = !EQUALIZED.contains(&name.as_str()) && name.as_str() != WEAK;
            let unit_code = self.units[*index]
                .code
                .try_as_ref()
                .cloned()
                .context("a demo unit without a code")?;
            self.objectives.push(objective::ActiveModel {
                id: Set(next_objective),
                cycle_id: Set(OKR_CYCLE_ID),
                owner_official_id: Set(None),
                owner_unit_id: Set(Some(unit_id)),
                parent_id: Set(None),
                title: Set("Nâng cao chất lượng giải quyết thủ tục hành chính".into()),
                weight: Set(1.0),
                version: Set(1),
                created_at: Set(now),
            });
            for (code, title, metric, start, target, base) in [
                (
                    "TTHC-DUNGHAN",
                    "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "procedures_on_time_rate",
                    90.0,
                    99.0,
                    93.0,
                ),
                (
                    "TTHC-TRUCTUYEN",
                    "Tỷ lệ hồ sơ nộp trực tuyến",
                    "online_rate",
                    80.0,
                    96.0,
                    84.0,
                ),
            ] {
                // The months before the last are history; the last month's value is sent by
                // the demo's one-stop integration after loading, which moves the key result.
                let mut before_feed = base;
                for month in 1..=ASSESSED_MONTHS {
                    let drift = if strong { 0.6 } else { 0.15 };
                    let value =
                        (base + drift * f64::from(month) + (rng.f64() - 0.5) * 2.0).min(100.0);
                    let value = (value * 10.0).round() / 10.0;
                    if month == ASSESSED_MONTHS {
                        self.fed.push(Item {
                            metric: metric.into(),
                            unit: unit_code.clone(),
                            date: month_end(month)?.to_string(),
                            value,
                        });
                        continue;
                    }
                    before_feed = value;
                    self.metrics.push(metric_series::ActiveModel {
                        metric_key: Set(metric.into()),
                        unit_id: Set(unit_id),
                        period_date: Set(month_end(month)?),
                        value: Set(value),
                        ..Default::default()
                    });
                }
                self.key_results.push(kr_row(
                    next_kr,
                    next_objective,
                    code,
                    title,
                    "increase_to",
                    (start, target),
                    before_feed,
                    "%",
                    Some(metric),
                    (Some(now), None),
                ));
                next_kr += 1;
            }
            self.portal
                .extend(service_index(&unit_code, strong, unit_id)?);
            next_objective += 1;
        }
        for person in people {
            let objective_id = next_objective;
            next_objective += 1;
            self.objectives.push(objective::ActiveModel {
                id: Set(objective_id),
                cycle_id: Set(OKR_CYCLE_ID),
                owner_official_id: Set(Some(person.id)),
                owner_unit_id: Set(None),
                parent_id: Set(None),
                title: Set("Hoàn thành nhiệm vụ chuyên môn quý IV".into()),
                weight: Set(1.0),
                version: Set(1),
                created_at: Set(now),
            });
            let progress = (person.ability * (0.55 + rng.f64() * 0.3)).clamp(0.0, 1.0);
            let stale = rng.u8(0..10) == 0;
            let checks = if stale { 1 } else { 1 + rng.usize(0..4) };
            let first_check = date(YEAR, 10, 5)?;
            for (k, (code, title, kind, range, uom)) in [
                (
                    "KR1",
                    "Số hồ sơ được giải quyết",
                    "increase_to",
                    (0.0, 120.0),
                    "hồ sơ",
                ),
                (
                    "KR2",
                    "Số ngày xử lý trung bình",
                    "decrease_to",
                    (10.0, 5.0),
                    "ngày",
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let kr_id = next_kr;
                next_kr += 1;
                let current = range.0 + (range.1 - range.0) * progress;
                // Check-ins every 12 days back from the latest (`c` = 0), each a step closer
                // to the current value: a key result's path against its pace.
                let mut latest = (None, None);
                for c in 0..checks {
                    let day = if stale {
                        first_check
                    } else {
                        date(YEAR, 11, 19)? - chrono::Duration::days(i64::try_from(c * 12)?)
                    };
                    let at = Utc.from_utc_datetime(
                        &day.and_hms_opt(8 + u32::try_from(k)?, 30, 0)
                            .context("time")?,
                    );
                    let confidence = if person.ability < 0.55 {
                        rng.i16(1..4)
                    } else {
                        rng.i16(5..11)
                    };
                    if c == 0 {
                        latest = (Some(at), Some(confidence));
                    }
                    let share =
                        f64::from(u32::try_from(checks - c)?) / f64::from(u32::try_from(checks)?);
                    let reached = range.0 + (current - range.0) * share;
                    self.check_ins.push(check_in::ActiveModel {
                        key_result_id: Set(kr_id),
                        value: Set((reached * 10.0).round() / 10.0),
                        note: Set("Cập nhật tiến độ".into()),
                        evidence_url: Set(Some(format!(
                            "https://vanban.hue.gov.vn/hoso/{kr_id}-{c}"
                        ))),
                        confidence: Set(confidence),
                        author_official_id: Set(person.id),
                        created_at: Set(at),
                        ..Default::default()
                    });
                }
                self.key_results.push(kr_row(
                    kr_id,
                    objective_id,
                    code,
                    title,
                    kind,
                    range,
                    (current * 10.0).round() / 10.0,
                    uom,
                    None,
                    latest,
                ));
            }
        }
        Ok(())
    }

    /// A few recorded decisions: a rebalancing transfer from the over-staffed ward to the
    /// short-staffed one, and a promotion.
    fn decisions(&mut self, people: &[Person]) -> anyhow::Result<()> {
        let from = self.unit_id(OVER_HEADCOUNT)?;
        let to = self.unit_id(SHORT_OF_STAFF)?;
        let effective = date(YEAR, 9, 1)?;
        if let Some(moved) = people
            .iter()
            .rev()
            .find(|p| i64::try_from(p.unit).ok().map(|u| u + 1) == Some(from))
        {
            self.decisions.push(decision(
                moved.id,
                "transfer",
                Some(from),
                Some(to),
                effective,
                "Điều động để cân đối biên chế giữa các phường sau sắp xếp",
            )?);
        }
        if let Some(best) = people
            .iter()
            .filter(|p| !p.leader)
            .max_by(|a, b| a.ability.total_cmp(&b.ability))
        {
            let unit = i64::try_from(best.unit)? + 1;
            self.decisions.push(decision(
                best.id,
                "promote",
                Some(unit),
                Some(unit),
                effective,
                "Kết quả đánh giá xuất sắc nhiều tháng liên tục",
            )?);
        }
        Ok(())
    }

    async fn insert(self, db: &impl ConnectionTrait) -> Result<(), AppError> {
        bulk::insert_all(db, self.units).await?;
        bulk::insert_all(db, self.officials).await?;
        bulk::insert_all(db, self.history).await?;
        bulk::insert_all(db, self.cycles).await?;
        bulk::insert_all(db, self.products).await?;
        bulk::insert_all(db, self.general).await?;
        bulk::insert_all(db, self.assessments).await?;
        bulk::insert_all(db, self.objectives).await?;
        bulk::insert_all(db, self.key_results).await?;
        bulk::insert_all(db, self.check_ins).await?;
        bulk::insert_all(db, self.metrics).await?;
        bulk::insert_all(db, self.decisions).await?;
        Ok(())
    }
}

fn history(
    official_id: i64,
    unit_id: i64,
    from: NaiveDate,
    to: Option<NaiveDate>,
    reason: &str,
) -> official_unit_history::ActiveModel {
    official_unit_history::ActiveModel {
        official_id: Set(official_id),
        unit_id: Set(unit_id),
        from_date: Set(from),
        to_date: Set(to),
        reason: Set(reason.into()),
        ..Default::default()
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a key result row has this many facts"
)]
fn kr_row(
    id: i64,
    objective_id: i64,
    code: &str,
    title: &str,
    kind: &str,
    range: (f64, f64),
    current: f64,
    uom: &str,
    metric: Option<&str>,
    last: (Option<DateTime<Utc>>, Option<i16>),
) -> key_result::ActiveModel {
    key_result::ActiveModel {
        id: Set(id),
        objective_id: Set(objective_id),
        code: Set(code.into()),
        title: Set(title.into()),
        kind: Set(kind.into()),
        start_value: Set(range.0),
        target_value: Set(range.1),
        band_low: Set(None),
        band_high: Set(None),
        current_value: Set(current),
        weight: Set(0.5),
        unit_of_measure: Set(uom.into()),
        data_source: Set(if metric.is_some() { "metric" } else { "manual" }.into()),
        metric_key: Set(metric.map(str::to_owned)),
        last_check_in_at: Set(last.0),
        last_confidence: Set(last.1),
        version: Set(1),
    }
}

fn decision(
    official_id: i64,
    kind: &str,
    from: Option<i64>,
    to: Option<i64>,
    effective: NaiveDate,
    reason: &str,
) -> anyhow::Result<personnel_decision::ActiveModel> {
    Ok(personnel_decision::ActiveModel {
        official_id: Set(official_id),
        kind: Set(kind.into()),
        from_unit_id: Set(from),
        to_unit_id: Set(to),
        effective_on: Set(effective),
        reason: Set(reason.into()),
        reference: Set(format!("{}/QĐ-UBND", 100 + effective.ordinal())),
        decided_by: Set("Chủ tịch Ủy ban nhân dân thành phố".into()),
        created_at: Set(as_of()),
        applied_at: Set(Some(as_of())),
        ..Default::default()
    })
}
