//! Importing check-ins on officials' key results: the key result is found by (cycle, owner,
//! KR code), a check-in matched by (key result, date in Vietnam's time zone). A key result's
//! current value follows its latest check-in.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::fields::{Cells, Column, Errors, Seen, Sheet, optional, required};
use super::refs::Refs;
use super::{Context, Outcome, Plan, Tally, plan};
use crate::domain::check_in::{Draft, validate};
use crate::domain::deadline::{VIETNAM_OFFSET_HOURS, local_date};
use crate::error::AppError;
use crate::ssr::repo::okrs::{self, CheckInFields, Owner};

pub(super) const COLUMNS: &[Column] = &[
    required("cycle_code", "Mã kỳ đánh giá", 32),
    required("personnel_code", "Mã cán bộ", 64),
    required("kr_code", "Mã kết quả then chốt", 64),
    required("date", "Ngày cập nhật", 0),
    required("value", "Giá trị", 0),
    optional("note", "Ghi chú", 0),
    optional("evidence_url", "Đường dẫn minh chứng", 0),
    optional("confidence", "Mức độ tin cậy", 0),
];

/// Confidence when the file gives none (the middle of 0–10).
const DEFAULT_CONFIDENCE: i64 = 5;

/// The time stamped on a check-in imported for `date`: noon, Vietnam time.
fn noon(date: NaiveDate) -> DateTime<Utc> {
    let noon = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    (noon - chrono::Duration::hours(VIETNAM_OFFSET_HOURS)).and_utc()
}

/// One valid row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    row: u32,
    cycle_code: String,
    personnel_code: String,
    kr_code: String,
    date: NaiveDate,
    value: f64,
    note: String,
    evidence_url: Option<String>,
    confidence: i16,
}

pub(super) fn parse(sheet: &Sheet<'_>, errors: &mut Errors) -> Vec<Row> {
    let mut seen = Seen::default();
    let mut rows = Vec::with_capacity(sheet.table.rows.len());
    for raw in &sheet.table.rows {
        let mut cells = Cells::new(sheet, raw, errors);
        let cycle_code = cells.text("cycle_code");
        let personnel_code = cells.text("personnel_code");
        let kr_code = cells.text("kr_code");
        let date = cells.date("date");
        // NaN and infinities reach the domain rule, which names them as the form does.
        let value = match sheet.raw(raw, "value").trim().parse::<f64>() {
            Ok(v) if !v.is_finite() => Some(v),
            _ => cells.number("value"),
        };
        let note = cells.opt_text("note").unwrap_or_default();
        let evidence_url = cells.opt_text("evidence_url");
        let confidence = cells.opt_int("confidence");
        // The same rules, fields and messages as the form (domain::check_in).
        let valid = value.and_then(|value| {
            let draft = Draft {
                value,
                confidence: confidence.unwrap_or(DEFAULT_CONFIDENCE),
                note,
                evidence_url,
            };
            validate(draft)
                .map_err(|refused| {
                    for r in refused {
                        cells.error(r.field, r.key, &[]);
                    }
                })
                .ok()
        });
        if let (Some(cycle), Some(person), Some(kr), Some(date)) =
            (&cycle_code, &personnel_code, &kr_code, date)
        {
            let key = (cycle.clone(), person.clone(), kr.clone(), date);
            seen.first(&mut cells, "date", key, &date.to_string());
        }
        if let (
            true,
            Some(cycle_code),
            Some(personnel_code),
            Some(kr_code),
            Some(date),
            Some(valid),
        ) = (cells.ok(), cycle_code, personnel_code, kr_code, date, valid)
        {
            rows.push(Row {
                row: raw.number,
                cycle_code,
                personnel_code,
                kr_code,
                date,
                value: valid.value,
                note: valid.note,
                evidence_url: valid.evidence_url,
                confidence: valid.confidence,
            });
        }
    }
    rows
}

pub(super) async fn run(context: &Context<'_>, sheet: &Sheet<'_>) -> Result<Outcome, AppError> {
    let mut errors = Errors::default();
    let rows = parse(sheet, &mut errors);
    let cycle_codes: BTreeSet<String> = rows.iter().map(|r| r.cycle_code.clone()).collect();
    let official_codes: BTreeSet<String> = rows.iter().map(|r| r.personnel_code.clone()).collect();
    let refs = Refs::load(context, cycle_codes, official_codes, false).await?;
    let mut resolved = Vec::with_capacity(rows.len());
    for row in &rows {
        let cycle = refs.cycle(sheet, &mut errors, row.row, "cycle_code", &row.cycle_code);
        // A cycle not started or closed takes no check-ins, from a file as from the form.
        if let Some(cycle) = cycle
            && let Err(refused) = cycle.lifecycle()?.accepts_check_ins()
        {
            errors.push(row.row, sheet.header("cycle_code"), refused.key, &[]);
        }
        if let Some(cycle) = cycle
            && (row.date < cycle.starts_on || row.date > cycle.ends_on)
        {
            {
                let args = [
                    ("date", row.date.to_string()),
                    ("starts_on", cycle.starts_on.to_string()),
                    ("ends_on", cycle.ends_on.to_string()),
                ];
                errors.push(
                    row.row,
                    sheet.header("date"),
                    "import_err_date_outside_cycle",
                    &args,
                );
            }
        }
        let official = refs.official(
            sheet,
            &mut errors,
            row.row,
            "personnel_code",
            &row.personnel_code,
        );
        resolved.push(cycle.map(|c| c.id).zip(official));
    }

    // The officials' key results in these cycles, by (cycle, official, KR code).
    let cycle_ids: Vec<i64> = resolved
        .iter()
        .flatten()
        .map(|(c, _)| *c)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let owners: Vec<Owner> = resolved
        .iter()
        .flatten()
        .map(|(_, o)| Owner::Official(*o))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let objectives = okrs::objectives_of(context.txn, &cycle_ids, &owners).await?;
    let objective_of: HashMap<i64, (i64, Owner)> = objectives
        .iter()
        .map(|o| (o.id, (o.fields.cycle_id, o.fields.owner)))
        .collect();
    let objective_ids: Vec<i64> = objective_of.keys().copied().collect();
    let key_results = okrs::key_results_of(context.txn, &objective_ids).await?;
    let mut kr_ids: HashMap<(i64, i64, &str), Vec<i64>> = HashMap::new();
    for kr in &key_results {
        if let Some((cycle, Owner::Official(official))) = objective_of.get(&kr.fields.objective_id)
        {
            kr_ids
                .entry((*cycle, *official, kr.fields.code.as_str()))
                .or_default()
                .push(kr.id);
        }
    }
    let mut targets = Vec::with_capacity(rows.len());
    for (row, resolved) in rows.iter().zip(&resolved) {
        let Some((cycle, official)) = resolved else {
            continue;
        };
        let args = [("code", row.kr_code.clone())];
        match kr_ids
            .get(&(*cycle, *official, row.kr_code.as_str()))
            .map(Vec::as_slice)
        {
            Some([id]) => targets.push((*id, *official, *cycle)),
            Some([_, _, ..]) => errors.push(
                row.row,
                sheet.header("kr_code"),
                "import_err_kr_ambiguous",
                &args,
            ),
            _ => errors.push(
                row.row,
                sheet.header("kr_code"),
                "import_err_kr_not_found",
                &args,
            ),
        }
    }
    if !errors.is_empty() {
        return Ok(Outcome::rejected(errors));
    }

    let touched: Vec<i64> = targets
        .iter()
        .map(|(kr, _, _)| *kr)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut stored = HashMap::new();
    for check_in in okrs::check_ins_of(context.txn, &touched).await? {
        stored
            .entry((
                check_in.fields.key_result_id,
                local_date(check_in.fields.at),
            ))
            .or_insert(check_in);
    }
    let mut tally = Tally::new("check_in");
    let mut creates = Vec::new();
    let mut changed_krs = BTreeSet::new();
    let mut rescore = BTreeSet::new();
    for (row, (kr_id, official_id, cycle_id)) in rows.into_iter().zip(targets) {
        let existing = stored.get(&(kr_id, row.date));
        let fields = CheckInFields {
            key_result_id: kr_id,
            at: existing.map_or_else(|| noon(row.date), |s| s.fields.at),
            value: row.value,
            note: row.note,
            evidence_url: row.evidence_url,
            confidence: row.confidence,
            author_official_id: official_id,
        };
        let audit_key = format!(
            "{}/{}/{}/{}",
            row.cycle_code, row.personnel_code, row.kr_code, row.date
        );
        match plan(existing.map(|s| (s.id, &s.fields)), &fields) {
            Plan::Create => {
                tally.created(&audit_key, &fields);
                changed_krs.insert(kr_id);
                rescore.insert((cycle_id, official_id));
                creates.push(fields);
            }
            Plan::Update { id, before } => {
                tally.updated(&audit_key, &before, &fields);
                changed_krs.insert(kr_id);
                rescore.insert((cycle_id, official_id));
                okrs::update_check_in(context.txn, id, fields).await?;
            }
            Plan::Same => tally.unchanged(),
        }
        if creates.len() >= super::CHUNK {
            okrs::insert_check_ins(context.txn, std::mem::take(&mut creates)).await?;
        }
        tally.spill(context).await?;
    }
    okrs::insert_check_ins(context.txn, creates).await?;

    // Each changed key result takes the value of its latest check-in.
    let changed: Vec<i64> = changed_krs.into_iter().collect();
    let mut latest = HashMap::new();
    for check_in in okrs::check_ins_of(context.txn, &changed).await? {
        latest.insert(check_in.fields.key_result_id, check_in.fields);
    }
    let mut krs = Tally::new("key_result");
    for kr in key_results.iter().filter(|kr| latest.contains_key(&kr.id)) {
        let Some(last) = latest.get(&kr.id) else {
            continue;
        };
        if kr.fields.current == last.value
            && kr.last_check_in_at == Some(last.at)
            && kr.last_confidence == Some(last.confidence)
        {
            krs.unchanged();
            continue;
        }
        let mut after = kr.fields.clone();
        after.current = last.value;
        krs.updated(&format!("key_result/{}", kr.id), &kr.fields, &after);
        okrs::set_current(context.txn, kr.id, last).await?;
    }
    Ok(Outcome::applied(
        vec![tally.finish(context).await?, krs.finish(context).await?],
        rescore,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::import::table::read_csv;

    #[test]
    fn check_in_dates_are_local_to_vietnam() {
        let date = NaiveDate::from_ymd_opt(2025, 11, 3).expect("date");
        assert_eq!(local_date(noon(date)), date);
        let late_evening_utc = DateTime::parse_from_rfc3339("2025-11-02T18:30:00Z")
            .expect("time")
            .to_utc();
        assert_eq!(local_date(late_evening_utc), date);
    }

    #[test]
    fn confidence_links_and_duplicate_dates_are_checked() {
        let table = read_csv(
            "cycle_code,personnel_code,kr_code,date,value,evidence_url,confidence\n\
             2025-Q4,CB1,KR1,2025-11-03,85,https://example.org/a,7\n\
             2025-Q4,CB1,KR1,03/11/2025,86,ftp://x,11\n\
             2025-Q4,CB1,KR1,2025-11-04,,,\n"
                .as_bytes(),
        )
        .expect("csv");
        let sheet = Sheet::new(&table, COLUMNS).expect("headers");
        let mut errors = Errors::default();
        let rows = parse(&sheet, &mut errors);
        assert_eq!(rows.len(), 1);
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "confidence", "confidence_range"),
                (3, "evidence_url", "url_scheme"),
                (3, "date", "import_err_duplicate_in_file"),
                (4, "value", "import_err_required"),
            ]
        );
    }
}
