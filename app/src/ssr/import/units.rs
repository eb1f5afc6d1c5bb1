//! Importing the organisation tree: units matched by code; a parent may be an existing unit or
//! any unit of the same file.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::fields::{Cells, Column, Errors, Seen, Sheet, levels, optional, required};
use super::{Context, Outcome, Plan, Tally, plan};
use crate::domain::vocab::UnitKind;
use crate::error::AppError;
use crate::ssr::repo::org_units::{self, NewUnit, StoredUnit};

pub(super) const COLUMNS: &[Column] = &[
    required("code", "Mã đơn vị", 64),
    required("name", "Tên đơn vị", 255),
    required("kind", "Loại đơn vị", 16),
    optional("parent_code", "Mã đơn vị cấp trên", 64),
    optional("approved_headcount", "Biên chế được giao", 0),
    optional("valid_from", "Hiệu lực từ ngày", 0),
];

const KINDS: &[(UnitKind, &[&str])] = &[
    (
        UnitKind::Province,
        &["province", "Tỉnh/thành phố", "Tỉnh", "Thành phố"],
    ),
    (UnitKind::Agency, &["agency", "Cơ quan chuyên môn", "Sở"]),
    (
        UnitKind::Commune,
        &["commune", "Xã/phường", "Xã", "Phường", "Đặc khu"],
    ),
    (UnitKind::Party, &["party", "Cơ quan Đảng", "Đảng"]),
];

/// One valid row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    row: u32,
    code: String,
    name: String,
    kind: UnitKind,
    parent_code: Option<String>,
    approved_headcount: Option<i32>,
    valid_from: Option<NaiveDate>,
}

pub(super) fn parse(sheet: &Sheet<'_>, errors: &mut Errors) -> Vec<Row> {
    let mut seen = Seen::default();
    let mut rows = Vec::new();
    for raw in &sheet.table.rows {
        let mut cells = Cells::new(sheet, raw, errors);
        let code = cells.text("code");
        let name = cells.text("name");
        let kind = cells.choice("kind", KINDS);
        let parent_code = cells.opt_text("parent_code");
        let approved_headcount = cells.opt_count("approved_headcount");
        let valid_from = cells.opt_date("valid_from");
        if let Some(code) = &code {
            if parent_code.as_ref() == Some(code) {
                cells.error(
                    "parent_code",
                    "import_err_parent_cycle",
                    &[("code", code.clone())],
                );
            }
            seen.first(&mut cells, "code", code.clone(), code);
        }
        if let (true, Some(code), Some(name), Some(kind)) = (cells.ok(), code, name, kind) {
            rows.push(Row {
                row: raw.number,
                code,
                name,
                kind,
                parent_code,
                approved_headcount,
                valid_from,
            });
        }
    }
    rows
}

pub(super) async fn run(context: &Context<'_>, sheet: &Sheet<'_>) -> Result<Outcome, AppError> {
    let mut errors = Errors::default();
    let rows = parse(sheet, &mut errors);
    let stored = org_units::all_stored(context.txn).await?;
    let stored: HashMap<&str, &StoredUnit> =
        stored.iter().map(|s| (s.unit.code.as_str(), s)).collect();
    let in_file: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();

    // The tree after the import, by code, to find parents and cycles.
    let mut parent_of: HashMap<&str, Option<&str>> = HashMap::new();
    let code_of_id: HashMap<i64, &str> = stored
        .values()
        .map(|s| (s.id, s.unit.code.as_str()))
        .collect();
    for unit in stored.values() {
        parent_of.insert(
            &unit.unit.code,
            unit.unit
                .parent_id
                .and_then(|p| code_of_id.get(&p).copied()),
        );
    }
    for row in &rows {
        parent_of.insert(&row.code, row.parent_code.as_deref());
    }

    let mut depends_on = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut dependency = None;
        if let Some(parent) = &row.parent_code {
            let header = sheet.header("parent_code");
            let args = [("code", parent.clone())];
            match (in_file.get(parent.as_str()), stored.get(parent.as_str())) {
                (_, Some(unit)) if unit.valid_to.is_some() => {
                    errors.push(row.row, header, "import_err_unit_closed", &args);
                }
                (_, Some(_)) => {}
                (Some(index), None) => dependency = Some(*index),
                (None, None) => errors.push(row.row, header, "import_err_unit_not_found", &args),
            }
            if reaches(&parent_of, parent, &row.code) {
                errors.push(
                    row.row,
                    sheet.header("parent_code"),
                    "import_err_parent_cycle",
                    &args,
                );
            }
        }
        depends_on.push(dependency);
    }
    if !errors.is_empty() {
        return Ok(Outcome::rejected(errors));
    }
    let Ok(levels) = levels(&depends_on) else {
        return Err(AppError::internal(
            "unit levels found a cycle the tree check missed",
        ));
    };

    let mut ids: HashMap<String, i64> = stored
        .values()
        .map(|s| (s.unit.code.clone(), s.id))
        .collect();
    let mut tally = Tally::new("org_unit");
    let deepest = levels.iter().copied().max().unwrap_or(0);
    for level in 0..=deepest {
        let mut creates = Vec::new();
        for (row, _) in rows.iter().zip(&levels).filter(|(_, l)| **l == level) {
            let existing = stored.get(row.code.as_str());
            let unit = NewUnit {
                code: row.code.clone(),
                name: row.name.clone(),
                kind: row.kind,
                parent_id: row.parent_code.as_ref().and_then(|p| ids.get(p).copied()),
                approved_headcount: row
                    .approved_headcount
                    .or(existing.map(|s| s.unit.approved_headcount))
                    .unwrap_or(0),
                valid_from: row
                    .valid_from
                    .or(existing.map(|s| s.unit.valid_from))
                    .unwrap_or(context.options.today),
            };
            match plan(existing.map(|s| (s.id, &s.unit)), &unit) {
                Plan::Create => creates.push(unit),
                Plan::Update { id, before } => {
                    tally.updated(&unit.code, &before, &unit);
                    org_units::update(context.txn, id, unit).await?;
                }
                Plan::Same => tally.unchanged(),
            }
        }
        for unit in &creates {
            tally.created(&unit.code, unit);
        }
        ids.extend(org_units::insert_many(context.txn, creates, context.options.now).await?);
    }
    // The closure and search keys follow the tree, in the same transaction.
    crate::ssr::repo::scope::rebuild_units(context.txn).await?;
    Ok(Outcome::applied(
        vec![tally.finish(context).await?],
        BTreeSet::new(),
    ))
}

/// Whether following parents up from `from` reaches `target` (or loops).
fn reaches(parent_of: &HashMap<&str, Option<&str>>, from: &str, target: &str) -> bool {
    let mut at = Some(from);
    for _ in 0..=parent_of.len() {
        match at {
            None => return false,
            Some(code) if code == target => return true,
            Some(code) => at = parent_of.get(code).copied().flatten(),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::import::table::read_csv;

    #[test]
    fn rows_parse_with_vietnamese_kind_names_and_report_bad_cells() {
        let table = read_csv(
            "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Biên chế được giao\n\
             HUE,Thành phố Huế,Tỉnh/thành phố,,60\n\
             HUE-S01,Sở Nội vụ,sở,HUE,abc\n\
             HUE-S01,Sở khác,village,HUE-S01,-1\n"
                .as_bytes(),
        )
        .expect("csv");
        let sheet = Sheet::new(&table, COLUMNS).expect("headers");
        let mut errors = Errors::default();
        let rows = parse(&sheet, &mut errors);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].kind, UnitKind::Province);
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "Biên chế được giao", "import_err_not_integer"),
                (4, "Loại đơn vị", "import_err_not_one_of"),
                (4, "Biên chế được giao", "import_err_negative"),
                (4, "Mã đơn vị cấp trên", "import_err_parent_cycle"),
                (4, "Mã đơn vị", "import_err_duplicate_in_file"),
            ]
        );
    }

    #[test]
    fn a_parent_chain_that_returns_to_the_unit_is_a_cycle() {
        let parents: HashMap<&str, Option<&str>> =
            [("A", Some("B")), ("B", Some("C")), ("C", None)].into();
        assert!(!reaches(&parents, "B", "A"));
        let looped: HashMap<&str, Option<&str>> = [("A", Some("B")), ("B", Some("A"))].into();
        assert!(reaches(&looped, "B", "A"));
    }
}
