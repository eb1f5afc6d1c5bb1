//! References from a file's rows to cycles, officials and units, loaded once per import and
//! resolved row by row (an unknown code is an error on that row and column).

use std::collections::{BTreeSet, HashMap, HashSet};

use super::Context;
use super::fields::{Errors, Sheet};
use crate::error::AppError;
use crate::ssr::repo::cycles::{self, Cycle};
use crate::ssr::repo::officials::{self, StoredOfficial};
use crate::ssr::repo::org_units::{self, StoredUnit};

/// The cycles, officials and units a file names.
#[derive(Debug, Default)]
pub(super) struct Refs {
    cycles: HashMap<String, Cycle>,
    officials: HashMap<String, StoredOfficial>,
    units: HashMap<String, StoredUnit>,
    /// For a signed-in administrator, the officials and units among those that they may write
    /// for (`None`: anyone, from the command line).
    allowed: Option<Allowed>,
}

#[derive(Debug, Default)]
struct Allowed {
    officials: HashSet<i64>,
    units: HashSet<i64>,
}

impl Refs {
    /// Loads the cycles and officials with these codes, and every unit when `units`.
    pub(super) async fn load(
        context: &Context<'_>,
        cycle_codes: BTreeSet<String>,
        official_codes: BTreeSet<String>,
        units: bool,
    ) -> Result<Refs, AppError> {
        let cycle_codes: Vec<String> = cycle_codes.into_iter().collect();
        let official_codes: Vec<String> = official_codes.into_iter().collect();
        let units = if units {
            org_units::all_stored(context.txn)
                .await?
                .into_iter()
                .map(|u| (u.unit.code.clone(), u))
                .collect()
        } else {
            HashMap::new()
        };
        let officials = officials::find_by_codes(context.txn, &official_codes).await?;
        let allowed = match &context.options.limits {
            None => None,
            Some(limits) => {
                let ids: Vec<i64> = officials.values().map(|o| o.id).collect();
                let roots = &limits.scope.subtrees;
                Some(Allowed {
                    officials: officials::ids_in_scope(context.txn, &ids, &limits.scope).await?,
                    units: match units.is_empty() {
                        true => HashSet::new(),
                        false => org_units::ids_under(context.txn, roots).await?,
                    },
                })
            }
        };
        Ok(Refs {
            cycles: cycles::find_by_codes(context.txn, &cycle_codes).await?,
            officials,
            units,
            allowed,
        })
    }

    /// The cycle with `code`, or an error in column `column` of `row`.
    pub(super) fn cycle(
        &self,
        sheet: &Sheet<'_>,
        errors: &mut Errors,
        row: u32,
        column: &str,
        code: &str,
    ) -> Option<&Cycle> {
        let found = self.cycles.get(code);
        if found.is_none() {
            errors.push(
                row,
                sheet.header(column),
                "import_err_cycle_not_found",
                &[("code", code.to_owned())],
            );
        }
        found
    }

    /// The cycle with `code` if its inputs may still change (as from the forms), or an error
    /// in column `column` of `row`.
    pub(super) fn open_cycle(
        &self,
        sheet: &Sheet<'_>,
        errors: &mut Errors,
        row: u32,
        column: &str,
        code: &str,
    ) -> Result<Option<&Cycle>, AppError> {
        let Some(cycle) = self.cycle(sheet, errors, row, column, code) else {
            return Ok(None);
        };
        if let Err(refused) = cycle.lifecycle()?.accepts_inputs() {
            errors.push(row, sheet.header(column), refused.key, &[]);
            return Ok(None);
        }
        Ok(Some(cycle))
    }

    /// The id of the official with `code`, or an error.
    pub(super) fn official(
        &self,
        sheet: &Sheet<'_>,
        errors: &mut Errors,
        row: u32,
        column: &str,
        code: &str,
    ) -> Option<i64> {
        let args = [("code", code.to_owned())];
        let Some(id) = self.officials.get(code).map(|o| o.id) else {
            // For an administrator, unknown and outside their units read alike (a file must not
            // tell them who exists elsewhere).
            let key = match self.allowed {
                None => "import_err_official_not_found",
                Some(_) => "import_err_out_of_scope",
            };
            errors.push(row, sheet.header(column), key, &args);
            return None;
        };
        self.may_write(
            |a| a.officials.contains(&id),
            sheet,
            errors,
            (row, column),
            &args,
        )
        .then_some(id)
    }

    /// Whether the importer may write for the official or unit `allowed` checks; else an error
    /// on the row's cell.
    fn may_write(
        &self,
        allowed: impl Fn(&Allowed) -> bool,
        sheet: &Sheet<'_>,
        errors: &mut Errors,
        (row, column): (u32, &str),
        args: &[(&str, String)],
    ) -> bool {
        let may = self.allowed.as_ref().is_none_or(allowed);
        if !may {
            errors.push(row, sheet.header(column), "import_err_out_of_scope", args);
        }
        may
    }

    /// The id of the current unit with `code`, or an error (unknown, or merged away).
    pub(super) fn unit(
        &self,
        sheet: &Sheet<'_>,
        errors: &mut Errors,
        row: u32,
        column: &str,
        code: &str,
    ) -> Option<i64> {
        let args = [("code", code.to_owned())];
        let cell = (row, column);
        match self.units.get(code) {
            // Unknown and outside an administrator's units read alike, before anything else.
            None if self.allowed.is_some() => {
                self.may_write(|_| false, sheet, errors, cell, &args);
                None
            }
            None => {
                let key = "import_err_unit_not_found";
                errors.push(row, sheet.header(column), key, &args);
                None
            }
            Some(unit) => {
                let allowed = |a: &Allowed| a.units.contains(&unit.id);
                if !self.may_write(allowed, sheet, errors, cell, &args) {
                    return None;
                }
                if unit.valid_to.is_some() {
                    errors.push(row, sheet.header(column), "import_err_unit_closed", &args);
                    return None;
                }
                Some(unit.id)
            }
        }
    }
}
