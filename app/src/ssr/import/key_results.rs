//! Importing objectives and their key results: an objective is matched by (cycle, owner,
//! title), a key result by (objective, code). The owner is an official or a unit.

use std::collections::{BTreeSet, HashMap};

use super::fields::{Cells, Column, Errors, Seen, Sheet, optional, required, same_column};
use super::refs::Refs;
use super::{Context, Outcome, Plan, Tally, plan};
use crate::domain::okr::{KeyResult, Measure, validate_kr};
use crate::domain::validate::in_range;
use crate::domain::vocab::{DataSource, KrKind};
use crate::error::AppError;
use crate::ssr::repo::okrs::{self, KeyResultFields, ObjectiveFields, Owner};

pub(super) const COLUMNS: &[Column] = &[
    required("cycle_code", "Mã kỳ đánh giá", 32),
    optional("personnel_code", "Mã cán bộ", 64),
    optional("unit_code", "Mã đơn vị", 64),
    required("objective", "Mục tiêu", 500),
    required("objective_weight", "Trọng số mục tiêu", 0),
    required("kr_code", "Mã kết quả then chốt", 64),
    required("title", "Kết quả then chốt", 500),
    required("kind", "Loại chỉ tiêu", 16),
    optional("start", "Giá trị ban đầu", 0),
    optional("target", "Giá trị mục tiêu", 0),
    optional("band_low", "Ngưỡng dưới", 0),
    optional("band_high", "Ngưỡng trên", 0),
    optional("current", "Giá trị hiện tại", 0),
    required("weight", "Trọng số", 0),
    optional("unit_of_measure", "Đơn vị tính", 32),
    optional("data_source", "Nguồn dữ liệu", 16),
    optional("metric_key", "Mã chỉ số", 64),
];

const KINDS: &[(KrKind, &[&str])] = &[
    (KrKind::IncreaseTo, &["increase_to", "Tăng đến"]),
    (KrKind::DecreaseTo, &["decrease_to", "Giảm đến"]),
    (KrKind::Milestone, &["milestone", "Mốc hoàn thành"]),
    (KrKind::StayWithin, &["stay_within", "Giữ trong khoảng"]),
];

const SOURCES: &[(DataSource, &[&str])] = &[
    (DataSource::Manual, &["manual", "Nhập tay"]),
    (DataSource::Metric, &["metric", "Chỉ số"]),
];

/// Who owns the objective, by code as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum OwnerCode {
    Official(String),
    Unit(String),
}

impl OwnerCode {
    fn code(&self) -> &str {
        match self {
            OwnerCode::Official(code) | OwnerCode::Unit(code) => code,
        }
    }
}

/// An objective as the file names it: (cycle code, owner, title).
type ObjectiveKey = (String, OwnerCode, String);

/// One valid row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    row: u32,
    objective: ObjectiveKey,
    objective_weight: f64,
    /// The key result; `objective_id` is filled in when written.
    kr: KeyResultFields,
}

/// Domain field names → columns.
fn kr_column(field: &str) -> &str {
    match field {
        "low" => "band_low",
        "high" => "band_high",
        other => other,
    }
}

pub(super) fn parse(sheet: &Sheet<'_>, errors: &mut Errors) -> Vec<Row> {
    let mut objective_weights: HashMap<ObjectiveKey, (u32, f64)> = HashMap::new();
    let mut seen = Seen::default();
    let mut rows = Vec::with_capacity(sheet.table.rows.len());
    for raw in &sheet.table.rows {
        let mut cells = Cells::new(sheet, raw, errors);
        let cycle_code = cells.text("cycle_code");
        let owner = match (
            cells.opt_text("personnel_code"),
            cells.opt_text("unit_code"),
        ) {
            (Some(official), None) => Some(OwnerCode::Official(official)),
            (None, Some(unit)) => Some(OwnerCode::Unit(unit)),
            _ => {
                cells.error("personnel_code", "import_err_owner_exactly_one", &[]);
                None
            }
        };
        let title = cells.text("objective");
        let objective_weight = cells.number("objective_weight").and_then(|w| {
            cells.check(in_range("kr", "objective_weight", w, 0.0, 1.0), same_column)
        });
        let code = cells.text("kr_code");
        let kr_title = cells.text("title");
        let kind = cells.choice("kind", KINDS);
        let weight = cells
            .number("weight")
            .and_then(|w| cells.check(in_range("kr", "weight", w, 0.0, 1.0), same_column));
        let unit_of_measure = cells.opt_text("unit_of_measure").unwrap_or_default();
        let data_source = cells
            .opt_choice("data_source", SOURCES)
            .unwrap_or(DataSource::Manual);
        let metric_key = cells.opt_text("metric_key");
        if data_source == DataSource::Metric && metric_key.is_none() {
            cells.error("metric_key", "import_err_metric_key_required", &[]);
        }
        let current = cells.opt_number("current");
        let values = kind.and_then(|kind| measure(&mut cells, kind, current));

        if let (Some(cycle), Some(owner), Some(title)) = (&cycle_code, &owner, &title) {
            let key = (cycle.clone(), owner.clone(), title.clone());
            if let Some(weight) = objective_weight {
                match objective_weights.get(&key) {
                    Some((first_row, first)) if (first - weight).abs() > 1e-9 => {
                        let first_row = first_row.to_string();
                        cells.error(
                            "objective_weight",
                            "import_err_objective_weight_mismatch",
                            &[("value", weight.to_string()), ("first_row", first_row)],
                        );
                    }
                    Some(_) => {}
                    None => {
                        objective_weights.insert(key.clone(), (raw.number, weight));
                    }
                }
            }
            if let Some(code) = &code {
                seen.first(&mut cells, "kr_code", (key, code.clone()), code);
            }
        }
        if let (
            true,
            Some(cycle),
            Some(owner),
            Some(title),
            Some(objective_weight),
            Some(code),
            Some(kr_title),
            Some(kind),
            Some(weight),
            Some(values),
        ) = (
            cells.ok(),
            cycle_code,
            owner,
            title,
            objective_weight,
            code,
            kr_title,
            kind,
            weight,
            values,
        ) {
            rows.push(Row {
                row: raw.number,
                objective: (cycle, owner, title),
                objective_weight,
                kr: KeyResultFields {
                    objective_id: 0,
                    code,
                    title: kr_title,
                    kind,
                    start: values.start,
                    target: values.target,
                    band_low: values.low,
                    band_high: values.high,
                    current: values.current,
                    weight,
                    unit_of_measure,
                    data_source,
                    metric_key,
                },
            });
        }
    }
    rows
}

/// The values stored for a key result.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Values {
    start: f64,
    target: f64,
    low: Option<f64>,
    high: Option<f64>,
    current: f64,
}

/// The values of a key result of `kind`, checked by the scoring engine's rules; `current`
/// defaults to the start.
fn measure(cells: &mut Cells<'_, '_>, kind: KrKind, current: Option<f64>) -> Option<Values> {
    let (start, target, low, high) = match kind {
        KrKind::IncreaseTo | KrKind::DecreaseTo => {
            (cells.number("start")?, cells.number("target")?, None, None)
        }
        KrKind::Milestone => (0.0, 1.0, None, None),
        KrKind::StayWithin => {
            let low = cells.number("band_low");
            let high = cells.number("band_high");
            let (low, high) = (low?, high?);
            let start = cells.opt_number("start").unwrap_or(low);
            let target = cells.opt_number("target").unwrap_or(high);
            (start, target, Some(low), Some(high))
        }
    };
    let current_value = current.unwrap_or(start);
    let measure = match kind {
        KrKind::IncreaseTo => Measure::IncreaseTo {
            start,
            target,
            current: current_value,
        },
        KrKind::DecreaseTo => Measure::DecreaseTo {
            start,
            target,
            current: current_value,
        },
        KrKind::Milestone => {
            cells.check(
                in_range("kr", "current", current_value, 0.0, 1.0),
                same_column,
            )?;
            Measure::Milestone {
                done: current_value >= 1.0,
            }
        }
        KrKind::StayWithin => Measure::StayWithin {
            low: low.unwrap_or(start),
            high: high.unwrap_or(target),
            current: current_value,
        },
    };
    let kr = KeyResult {
        id: String::new(),
        weight: 1.0,
        measure,
    };
    cells.check(validate_kr(&kr, "kr"), kr_column)?;
    Some(Values {
        start,
        target,
        low,
        high,
        current: current_value,
    })
}

pub(super) async fn run(context: &Context<'_>, sheet: &Sheet<'_>) -> Result<Outcome, AppError> {
    let mut errors = Errors::default();
    let rows = parse(sheet, &mut errors);
    let cycle_codes: BTreeSet<String> = rows.iter().map(|r| r.objective.0.clone()).collect();
    let official_codes: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| match &r.objective.1 {
            OwnerCode::Official(code) => Some(code.clone()),
            OwnerCode::Unit(_) => None,
        })
        .collect();
    let any_unit = rows
        .iter()
        .any(|r| matches!(r.objective.1, OwnerCode::Unit(_)));
    let refs = Refs::load(context, cycle_codes, official_codes, any_unit).await?;

    // Resolve each row's objective to (cycle id, owner) once per row.
    let mut resolved: Vec<(i64, Owner)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let (cycle_code, owner, _) = &row.objective;
        let cycle = refs
            .open_cycle(sheet, &mut errors, row.row, "cycle_code", cycle_code)?
            .map(|c| c.id);
        let owner = match owner {
            OwnerCode::Official(code) => refs
                .official(sheet, &mut errors, row.row, "personnel_code", code)
                .map(Owner::Official),
            OwnerCode::Unit(code) => refs
                .unit(sheet, &mut errors, row.row, "unit_code", code)
                .map(Owner::Unit),
        };
        if let (Some(cycle), Some(owner)) = (cycle, owner) {
            resolved.push((cycle, owner));
        }
    }
    if !errors.is_empty() {
        return Ok(Outcome::rejected(errors));
    }

    // Objectives, in the order the file first names them.
    let cycle_ids: Vec<i64> = resolved
        .iter()
        .map(|(c, _)| *c)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let owners: Vec<Owner> = resolved
        .iter()
        .map(|(_, o)| *o)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut objective_ids: HashMap<(i64, Owner, String), i64> = HashMap::new();
    let stored_objectives: HashMap<(i64, Owner, String), okrs::StoredObjective> =
        okrs::objectives_of(context.txn, &cycle_ids, &owners)
            .await?
            .into_iter()
            .map(|o| {
                (
                    (o.fields.cycle_id, o.fields.owner, o.fields.title.clone()),
                    o,
                )
            })
            .collect();
    let mut objectives = Tally::new("objective");
    let mut creates = Vec::new();
    let mut audit_keys = HashMap::new();
    for (row, (cycle_id, owner)) in rows.iter().zip(&resolved) {
        let key = (*cycle_id, *owner, row.objective.2.clone());
        if objective_ids.contains_key(&key) || audit_keys.contains_key(&key) {
            continue;
        }
        let audit_key = format!(
            "{}/{}/{}",
            row.objective.0,
            row.objective.1.code(),
            row.objective.2
        );
        let fields = ObjectiveFields {
            cycle_id: *cycle_id,
            owner: *owner,
            title: row.objective.2.clone(),
            weight: row.objective_weight,
        };
        let stored = stored_objectives.get(&key);
        match plan(stored.map(|s| (s.id, &s.fields)), &fields) {
            Plan::Create => {
                objectives.created(&audit_key, &fields);
                audit_keys.insert(key, audit_key);
                creates.push(fields);
                continue;
            }
            Plan::Update { id, before } => {
                objectives.updated(&audit_key, &before, &fields);
                okrs::update_objective(context.txn, id, fields).await?;
            }
            Plan::Same => objectives.unchanged(),
        }
        if let Some(stored) = stored {
            objective_ids.insert(key, stored.id);
        }
    }
    for created in okrs::insert_objectives(context.txn, creates, context.options.now).await? {
        let f = created.fields;
        objective_ids.insert((f.cycle_id, f.owner, f.title), created.id);
    }

    // Key results.
    let ids: Vec<i64> = objective_ids.values().copied().collect();
    let stored_krs: HashMap<(i64, String), okrs::StoredKeyResult> =
        okrs::key_results_of(context.txn, &ids)
            .await?
            .into_iter()
            .map(|k| ((k.fields.objective_id, k.fields.code.clone()), k))
            .collect();
    let mut key_results = Tally::new("key_result");
    let mut creates = Vec::new();
    // An official's key results are inputs of their assessment (under an OKR scheme).
    let rescore: BTreeSet<(i64, i64)> = resolved
        .iter()
        .filter_map(|(cycle, owner)| match owner {
            Owner::Official(official) => Some((*cycle, *official)),
            Owner::Unit(_) => None,
        })
        .collect();
    for (row, (cycle_id, owner)) in rows.into_iter().zip(resolved) {
        let objective_id = objective_ids
            .get(&(cycle_id, owner, row.objective.2.clone()))
            .copied()
            .ok_or_else(|| AppError::internal("an imported objective has no id"))?;
        let mut kr = row.kr;
        kr.objective_id = objective_id;
        let stored = stored_krs.get(&(objective_id, kr.code.clone()));
        // Progress after creation comes from check-ins: `current` only seeds a new key result.
        if let Some(stored) = stored {
            kr.current = stored.fields.current;
        }
        let audit_key = format!("{}/{}/{}", row.objective.0, row.objective.1.code(), kr.code);
        match plan(stored.map(|s| (s.id, &s.fields)), &kr) {
            Plan::Create => {
                key_results.created(&audit_key, &kr);
                creates.push(kr);
            }
            Plan::Update { id, before } => {
                key_results.updated(&audit_key, &before, &kr);
                okrs::update_key_result(context.txn, id, kr).await?;
            }
            Plan::Same => key_results.unchanged(),
        }
        if creates.len() >= super::CHUNK {
            okrs::insert_key_results(context.txn, std::mem::take(&mut creates)).await?;
        }
        key_results.spill(context).await?;
    }
    okrs::insert_key_results(context.txn, creates).await?;
    Ok(Outcome::applied(
        vec![
            objectives.finish(context).await?,
            key_results.finish(context).await?,
        ],
        rescore,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::import::table::read_csv;

    #[test]
    fn key_results_are_checked_by_the_scoring_rules() {
        let table = read_csv(
            "cycle_code,personnel_code,unit_code,objective,objective_weight,kr_code,title,kind,start,target,band_low,band_high,current,weight,data_source\n\
             2025-Q4,CB1,,Cải cách hành chính,0.6,KR1,Hồ sơ đúng hạn,increase_to,80,95,,,85,0.5,\n\
             2025-Q4,CB1,,Cải cách hành chính,0.4,KR2,Giảm tồn đọng,decrease_to,10,20,,,,0.5,\n\
             2025-Q4,CB1,HUE,Khác,1,KR3,Ngân sách,stay_within,,,9,3,,1,metric\n\
             2025-Q4,CB1,,Khác,1,KR4,Mốc,milestone,,,,,2,1,\n\
             2025-Q4,CB1,,Khác,1,KR5,Tăng,increase_to,5,5,,,,1,\n"
                .as_bytes(),
        )
        .expect("csv");
        let sheet = Sheet::new(&table, COLUMNS).expect("headers");
        let mut errors = Errors::default();
        let rows = parse(&sheet, &mut errors);
        assert_eq!(rows.len(), 1);
        assert!((rows[0].kr.current - 85.0).abs() < 1e-12);
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "target", "import_err_target_not_below_start"),
                (
                    3,
                    "objective_weight",
                    "import_err_objective_weight_mismatch"
                ),
                (4, "personnel_code", "import_err_owner_exactly_one"),
                (4, "metric_key", "import_err_metric_key_required"),
                (4, "band_low", "import_err_exceeds"),
                (5, "current", "import_err_out_of_range"),
                (6, "target", "import_err_target_equals_start"),
            ]
        );
    }
}
