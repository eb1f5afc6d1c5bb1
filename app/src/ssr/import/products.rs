//! Importing products/works (Decree 335 Art. 14): matched by (cycle, official, product code).

use std::collections::BTreeSet;

use super::fields::{Cells, Column, Errors, Seen, Sheet, optional, required, same_column};
use super::refs::Refs;
use super::{Context, Outcome, Plan, Tally, plan};
use crate::domain::task_results::{Product, check_product};
use crate::domain::validate::positive;
use crate::error::AppError;
use crate::ssr::repo::products::{self, ProductFields};

pub(super) const COLUMNS: &[Column] = &[
    required("cycle_code", "Mã kỳ đánh giá", 32),
    required("personnel_code", "Mã cán bộ", 64),
    required("code", "Mã sản phẩm", 64),
    required("title", "Tên sản phẩm", 500),
    optional("conversion_weight", "Hệ số quy đổi", 0),
    required("assigned", "Số lượng được giao", 0),
    required("completed", "Số lượng hoàn thành", 0),
    optional("completed_on_quality", "Hoàn thành đạt chất lượng", 0),
    optional("completed_on_time", "Hoàn thành đúng hạn", 0),
    optional("quality_failures", "Số lần không đạt chất lượng", 0),
    optional("delays", "Số lần chậm tiến độ", 0),
    optional("waiver_ref", "Văn bản miễn trừ", 255),
    optional("due_on", "Hạn hoàn thành", 0),
];

/// One valid row: the codes it references and the product (ids filled in when resolved).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    row: u32,
    cycle_code: String,
    personnel_code: String,
    product: ProductFields,
}

pub(super) fn parse(sheet: &Sheet<'_>, errors: &mut Errors) -> Vec<Row> {
    let mut seen = Seen::default();
    let mut rows = Vec::with_capacity(sheet.table.rows.len());
    for raw in &sheet.table.rows {
        let mut cells = Cells::new(sheet, raw, errors);
        let cycle_code = cells.text("cycle_code");
        let personnel_code = cells.text("personnel_code");
        let code = cells.text("code");
        let title = cells.text("title");
        let conversion_weight = cells
            .opt_number("conversion_weight")
            .and_then(|w| cells.check(positive("product", "conversion_weight", w), same_column));
        let assigned = cells.count("assigned");
        let completed = cells.count("completed");
        let on_quality = cells.opt_count("completed_on_quality");
        let on_time = cells.opt_count("completed_on_time");
        let quality_failures = cells.opt_count("quality_failures");
        let delays = cells.opt_count("delays");
        let waiver_ref = cells.opt_text("waiver_ref");
        let due_on = cells.opt_date("due_on");
        // The counts against each other: the rules of every entry point (and of scoring).
        // (Checked once both counts read: a cell that did not has its own error already.)
        if let (Some(assigned), Some(completed)) = (assigned, completed) {
            let product = Product {
                id: code.clone().unwrap_or_default(),
                weight: conversion_weight.unwrap_or(1.0),
                assigned: i64::from(assigned),
                completed: i64::from(completed),
                completed_on_quality: on_quality.map(i64::from),
                completed_on_time: on_time.map(i64::from),
                quality_failures: quality_failures.map_or(0, i64::from),
                delays: delays.map_or(0, i64::from),
                waivers: Vec::new(),
            };
            cells.check(check_product(&product, "product"), same_column);
        }
        if let (Some(cycle), Some(person), Some(code)) = (&cycle_code, &personnel_code, &code) {
            let key = (cycle.clone(), person.clone(), code.clone());
            seen.first(&mut cells, "code", key, code);
        }
        if let (
            true,
            Some(cycle_code),
            Some(personnel_code),
            Some(code),
            Some(title),
            Some(assigned),
            Some(completed),
        ) = (
            cells.ok(),
            cycle_code,
            personnel_code,
            code,
            title,
            assigned,
            completed,
        ) {
            rows.push(Row {
                row: raw.number,
                cycle_code,
                personnel_code,
                product: ProductFields {
                    cycle_id: 0,
                    official_id: 0,
                    code,
                    title,
                    conversion_weight: conversion_weight.unwrap_or(1.0),
                    assigned,
                    completed,
                    completed_on_quality: on_quality.unwrap_or(completed),
                    completed_on_time: on_time.unwrap_or(completed),
                    quality_failures: quality_failures.unwrap_or(0),
                    delays: delays.unwrap_or(0),
                    waiver_ref,
                    due_on,
                },
            });
        }
    }
    rows
}

pub(super) async fn run(context: &Context<'_>, sheet: &Sheet<'_>) -> Result<Outcome, AppError> {
    let mut errors = Errors::default();
    let mut rows = parse(sheet, &mut errors);
    let cycle_codes: BTreeSet<String> = rows.iter().map(|r| r.cycle_code.clone()).collect();
    let official_codes: BTreeSet<String> = rows.iter().map(|r| r.personnel_code.clone()).collect();
    let refs = Refs::load(context, cycle_codes, official_codes, false).await?;
    for row in &mut rows {
        let cycle = refs
            .open_cycle(sheet, &mut errors, row.row, "cycle_code", &row.cycle_code)?
            .map(|c| c.id);
        let official = refs.official(
            sheet,
            &mut errors,
            row.row,
            "personnel_code",
            &row.personnel_code,
        );
        if let (Some(cycle), Some(official)) = (cycle, official) {
            row.product.cycle_id = cycle;
            row.product.official_id = official;
        }
    }
    if !errors.is_empty() {
        return Ok(Outcome::rejected(errors));
    }
    let cycle_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.product.cycle_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let official_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.product.official_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let stored = products::find_for(context.txn, &cycle_ids, &official_ids).await?;
    let mut tally = Tally::new("product");
    let mut creates = Vec::new();
    let mut rescore = BTreeSet::new();
    for row in rows {
        let product = row.product;
        let assessment = (product.cycle_id, product.official_id);
        let key = (product.cycle_id, product.official_id, product.code.clone());
        let audit_key = format!("{}/{}/{}", row.cycle_code, row.personnel_code, product.code);
        match plan(stored.get(&key).map(|s| (s.id, &s.fields)), &product) {
            Plan::Create => {
                tally.created(&audit_key, &product);
                rescore.insert(assessment);
                creates.push(product);
            }
            Plan::Update { id, before } => {
                tally.updated(&audit_key, &before, &product);
                rescore.insert(assessment);
                products::update(context.txn, id, product).await?;
            }
            Plan::Same => tally.unchanged(),
        }
        if creates.len() >= super::CHUNK {
            products::insert_many(context.txn, std::mem::take(&mut creates)).await?;
        }
        tally.spill(context).await?;
    }
    products::insert_many(context.txn, creates).await?;
    Ok(Outcome::applied(
        vec![tally.finish(context).await?],
        rescore,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::import::table::read_csv;

    #[test]
    fn counts_are_checked_against_each_other() {
        let table = read_csv(
            "cycle_code,personnel_code,code,title,assigned,completed,completed_on_quality,conversion_weight\n\
             2025-10,CB1,P1,Báo cáo tháng,4,3,3,1.5\n\
             2025-10,CB1,P2,Hồ sơ,4,5,6,0\n\
             2025-10,CB1,P1,Trùng,0,-1,,\n\
             2025-10,CB1,P3,Chưa giao,0,0,,\n"
                .as_bytes(),
        )
        .expect("csv");
        let sheet = Sheet::new(&table, COLUMNS).expect("headers");
        let mut errors = Errors::default();
        let rows = parse(&sheet, &mut errors);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].product.completed_on_time, 3);
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "conversion_weight", "import_err_not_positive"),
                // The first relation broken (as the form reports it), not every one.
                (3, "completed", "import_err_exceeds"),
                (4, "completed", "import_err_negative"),
                (4, "code", "import_err_duplicate_in_file"),
                (5, "assigned", "import_err_not_positive"),
            ]
        );
        assert_eq!(errors.list[1].args["limit_column"], "assigned");
    }
}
