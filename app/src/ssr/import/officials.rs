//! Importing officials: matched by personnel code; the unit must exist and be current; the
//! reviewer may be an existing official or any official of the same file.

use std::collections::{BTreeSet, HashMap};

use super::fields::{Cells, Column, Errors, Seen, Sheet, levels, optional, required};
use super::{Context, Outcome, Plan, Tally, plan};
use crate::domain::vocab::{OfficialCategory, OfficialStatus};
use crate::error::AppError;
use crate::ssr::repo::officials::{self, OfficialFields, StoredOfficial};
use crate::ssr::repo::{assessments, headcount, org_units, versions};

pub(super) const COLUMNS: &[Column] = &[
    required("personnel_code", "Mã cán bộ", 64),
    required("full_name", "Họ và tên", 255),
    required("category", "Đối tượng", 24),
    optional("job_position", "Chức vụ/vị trí việc làm", 255),
    required("task_group", "Nhóm nhiệm vụ", 64),
    optional("is_leader", "Lãnh đạo/quản lý", 0),
    required("unit_code", "Mã đơn vị", 64),
    optional("reviewer_code", "Mã người đánh giá", 64),
    optional("status", "Trạng thái", 16),
];

const CATEGORIES: &[(OfficialCategory, &[&str])] = &[
    (OfficialCategory::Cadre, &["cadre", "Cán bộ"]),
    (
        OfficialCategory::CivilServant,
        &["civil_servant", "Công chức"],
    ),
    (
        OfficialCategory::PublicEmployee,
        &["public_employee", "Viên chức"],
    ),
];

const STATUSES: &[(OfficialStatus, &[&str])] = &[
    (OfficialStatus::Active, &["active", "Đang công tác"]),
    (OfficialStatus::OnLeave, &["on_leave", "Nghỉ dài hạn"]),
    (OfficialStatus::Retired, &["retired", "Nghỉ hưu"]),
    (OfficialStatus::Left, &["left", "Thôi việc"]),
];

/// Why an official gets a unit-history entry when imported.
const HISTORY_REASON: &str = "import";

/// One valid row, its texts borrowed from the file; `None` fields were left empty (keep the
/// stored value, or the default).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row<'a> {
    row: u32,
    personnel_code: &'a str,
    full_name: &'a str,
    category: OfficialCategory,
    job_position: Option<&'a str>,
    task_group: &'a str,
    is_leader: Option<bool>,
    unit_code: &'a str,
    reviewer_code: Option<&'a str>,
    status: Option<OfficialStatus>,
}

pub(super) fn parse<'a>(sheet: &'a Sheet<'a>, errors: &mut Errors) -> Vec<Row<'a>> {
    let mut seen = Seen::default();
    let mut rows = Vec::with_capacity(sheet.table.rows.len());
    for raw in &sheet.table.rows {
        let mut cells = Cells::new(sheet, raw, errors);
        let code = cells.text_ref("personnel_code");
        let full_name = cells.text_ref("full_name");
        let category = cells.choice("category", CATEGORIES);
        let job_position = cells.opt_text_ref("job_position");
        let task_group = cells.text_ref("task_group");
        let is_leader = cells.opt_bool("is_leader");
        let unit_code = cells.text_ref("unit_code");
        let reviewer_code = cells.opt_text_ref("reviewer_code");
        let status = cells.opt_choice("status", STATUSES);
        if let Some(code) = code {
            if reviewer_code == Some(code) {
                cells.error("reviewer_code", "import_err_reviewer_self", &[]);
            }
            seen.first(&mut cells, "personnel_code", code, code);
        }
        if let (
            true,
            Some(personnel_code),
            Some(full_name),
            Some(category),
            Some(task_group),
            Some(unit_code),
        ) = (cells.ok(), code, full_name, category, task_group, unit_code)
        {
            rows.push(Row {
                row: raw.number,
                personnel_code,
                full_name,
                category,
                job_position,
                task_group,
                is_leader,
                unit_code,
                reviewer_code,
                status,
            });
        }
    }
    rows
}

/// The stored units by code.
type Units<'u> = HashMap<&'u str, &'u org_units::StoredUnit>;

pub(super) async fn run(context: &Context<'_>, sheet: &Sheet<'_>) -> Result<Outcome, AppError> {
    let mut errors = Errors::default();
    let rows = parse(sheet, &mut errors);
    let units = org_units::all_stored(context.txn).await?;
    let units: Units<'_> = units.iter().map(|u| (u.unit.code.as_str(), u)).collect();
    let in_file: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.personnel_code, i))
        .collect();
    // Reviewers: an official already stored, or one of this file (written first).
    let reviewers: BTreeSet<&str> = rows.iter().filter_map(|r| r.reviewer_code).collect();
    let reviewers = Vec::from_iter(reviewers);
    let ids: HashMap<String, i64> = officials::find_by_codes(context.txn, &reviewers)
        .await?
        .into_iter()
        .map(|(code, stored)| (code, stored.id))
        .collect();

    let mut depends_on = Vec::with_capacity(rows.len());
    for row in &rows {
        let args = [("code", row.unit_code.to_owned())];
        match units.get(row.unit_code) {
            None => errors.push(
                row.row,
                sheet.header("unit_code"),
                "import_err_unit_not_found",
                &args,
            ),
            Some(unit) if unit.valid_to.is_some() => {
                errors.push(
                    row.row,
                    sheet.header("unit_code"),
                    "import_err_unit_closed",
                    &args,
                );
            }
            Some(_) => {}
        }
        let mut dependency = None;
        if let Some(reviewer) = row.reviewer_code {
            match (ids.contains_key(reviewer), in_file.get(reviewer)) {
                (true, _) => {}
                (false, Some(index)) => dependency = Some(*index),
                (false, None) => errors.push(
                    row.row,
                    sheet.header("reviewer_code"),
                    "import_err_reviewer_not_found",
                    &[("code", reviewer.to_owned())],
                ),
            }
        }
        depends_on.push(dependency);
    }
    // Which rows change a stored official, looked up before anything is written: the table
    // may grow by a million rows in this transaction, and PostgreSQL plans a lookup with the
    // statistics it had before (an empty table: a full scan, every time).
    let mut stored = vec![false; rows.len()];
    let codes: Vec<&str> = rows.iter().map(|r| r.personnel_code).collect();
    for chunk in codes.chunks(super::CHUNK) {
        for code in officials::stored_codes(context.txn, chunk).await? {
            if let Some(index) = in_file.get(code.as_str()) {
                stored[*index] = true;
            }
        }
    }
    drop((in_file, codes));
    let levels = match levels(&depends_on) {
        Ok(levels) => levels,
        Err(on_cycle) => {
            for index in on_cycle {
                let row = &rows[index];
                let reviewer = row.reviewer_code.unwrap_or_default().to_owned();
                errors.push(
                    row.row,
                    sheet.header("reviewer_code"),
                    "import_err_reviewer_cycle",
                    &[("code", reviewer)],
                );
            }
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Ok(Outcome::rejected(errors));
    }

    let mut write = Write {
        context,
        rows: &rows,
        stored,
        units: &units,
        tally: Tally::new("official"),
        recount: BTreeSet::new(),
        changed: Vec::new(),
        reviewers: reviewers.into_iter().collect(),
        ids,
    };
    let deepest = levels.iter().copied().max().unwrap_or(0);
    for level in 0..=deepest {
        let at_level: Vec<usize> = (0..rows.len()).filter(|i| levels[*i] == level).collect();
        for chunk in at_level.chunks(super::CHUNK) {
            write.chunk(chunk).await?;
        }
    }
    let Write {
        tally,
        recount,
        changed,
        ..
    } = write;
    if !changed.is_empty() || !recount.is_empty() {
        // Lists read before this import are stale.
        versions::bump(context.txn, versions::PEOPLE).await?;
    }
    headcount::refresh(context.txn, recount).await?;
    let rescore = assessments::open_of(context.txn, &changed).await?;
    Ok(Outcome::applied(
        vec![tally.finish(context).await?],
        rescore,
    ))
}

/// Writing valid rows, a chunk at a time; a row's reviewer is stored or written before it.
struct Write<'w, 'c> {
    context: &'w Context<'c>,
    rows: &'w [Row<'w>],
    /// Whether each row's official is already stored.
    stored: Vec<bool>,
    units: &'w Units<'w>,
    tally: Tally,
    /// Units whose head count changes: those an official joins, leaves or changes status in.
    recount: BTreeSet<i64>,
    /// Officials whose own record changed: their open assessments are rescored (the unit and
    /// leadership are inputs).
    changed: Vec<i64>,
    /// Codes some row names as its reviewer, and the ids of those stored or written so far.
    reviewers: BTreeSet<&'w str>,
    ids: HashMap<String, i64>,
}

impl Write<'_, '_> {
    /// Writes the rows at these indexes.
    async fn chunk(&mut self, indexes: &[usize]) -> Result<(), AppError> {
        let context = self.context;
        let rows = self.rows;
        let codes: Vec<&str> = indexes
            .iter()
            .filter(|i| self.stored[**i])
            .map(|i| rows[*i].personnel_code)
            .collect();
        let stored = officials::find_by_codes(context.txn, &codes).await?;
        let mut creates = Vec::new();
        for row in indexes.iter().map(|i| &rows[*i]) {
            let existing = stored.get(row.personnel_code);
            let fields = merge(row, existing, self.units, &self.ids);
            match plan(existing.map(|s| (s.id, &s.fields)), &fields) {
                Plan::Create => creates.push(fields),
                Plan::Update { id, before } => {
                    self.tally.updated(&fields.personnel_code, &before, &fields);
                    self.changed.push(id);
                    if before.unit_id != fields.unit_id || before.status != fields.status {
                        self.recount.extend([before.unit_id, fields.unit_id]);
                    }
                    if before.unit_id != fields.unit_id {
                        officials::move_history(
                            context.txn,
                            id,
                            fields.unit_id,
                            context.options.today,
                            HISTORY_REASON,
                        )
                        .await?;
                    }
                    officials::update(context.txn, id, fields, context.options.now).await?;
                }
                Plan::Same => self.tally.unchanged(),
            }
        }
        for fields in &creates {
            self.tally.created(&fields.personnel_code, fields);
            self.recount.insert(fields.unit_id);
        }
        let unit_of: HashMap<String, i64> = creates
            .iter()
            .map(|f| (f.personnel_code.clone(), f.unit_id))
            .collect();
        let created = officials::insert_many(context.txn, creates, context.options.now).await?;
        let history: Vec<(i64, i64)> = created
            .iter()
            .filter_map(|(code, id)| unit_of.get(code).map(|unit| (*id, *unit)))
            .collect();
        officials::open_history(context.txn, &history, context.options.today, HISTORY_REASON)
            .await?;
        // Only reviewers' ids are needed later (by the rows they review).
        let reviewers = &self.reviewers;
        self.ids.extend(
            created
                .into_iter()
                .filter(|(code, _)| reviewers.contains(code.as_str())),
        );
        self.tally.spill(context).await
    }
}

/// The official as it will be stored: the row's values, empty cells keeping the stored value
/// (or the default for a new official).
fn merge(
    row: &Row<'_>,
    existing: Option<&StoredOfficial>,
    units: &Units<'_>,
    ids: &HashMap<String, i64>,
) -> OfficialFields {
    let old = existing.map(|s| &s.fields);
    OfficialFields {
        personnel_code: row.personnel_code.to_owned(),
        full_name: row.full_name.to_owned(),
        category: row.category,
        job_position: row
            .job_position
            .map(str::to_owned)
            .or_else(|| old.map(|o| o.job_position.clone()))
            .unwrap_or_default(),
        task_group: row.task_group.to_owned(),
        is_leader: row.is_leader.or(old.map(|o| o.is_leader)).unwrap_or(false),
        unit_id: units.get(row.unit_code).map_or(0, |u| u.id),
        reviewer_id: match row.reviewer_code {
            Some(code) => ids.get(code).copied(),
            None => old.and_then(|o| o.reviewer_id),
        },
        status: row
            .status
            .or(old.map(|o| o.status))
            .unwrap_or(OfficialStatus::Active),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::import::table::read_csv;

    #[test]
    fn rows_accept_vietnamese_values_and_report_every_bad_cell() {
        let table = read_csv(
            "personnel_code,full_name,category,task_group,is_leader,unit_code,reviewer_code,status\n\
             CB1,Nguyễn Văn An,Công chức,B,có,HUE-S01,,Đang công tác\n\
             CB2,,soldier,B,perhaps,HUE-S01,CB2,asleep\n\
             CB1,Trần Thị Bình,cadre,,0,,,\n"
                .as_bytes(),
        )
        .expect("csv");
        let sheet = Sheet::new(&table, COLUMNS).expect("headers");
        let mut errors = Errors::default();
        let rows = parse(&sheet, &mut errors);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].category, OfficialCategory::CivilServant);
        assert_eq!(rows[0].is_leader, Some(true));
        assert_eq!(rows[0].status, Some(OfficialStatus::Active));
        let found = errors.found();
        assert_eq!(
            found,
            [
                (3, "full_name", "import_err_required"),
                (3, "category", "import_err_not_one_of"),
                (3, "is_leader", "import_err_not_boolean"),
                (3, "status", "import_err_not_one_of"),
                (3, "reviewer_code", "import_err_reviewer_self"),
                (4, "task_group", "import_err_required"),
                (4, "unit_code", "import_err_required"),
                (4, "personnel_code", "import_err_duplicate_in_file"),
            ]
        );
    }
}
