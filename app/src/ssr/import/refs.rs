//! References from a file's rows to cycles, officials and units, loaded once per import and
//! resolved row by row (an unknown code is an error on that row and column).

use std::collections::{BTreeSet, HashMap};

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
        Ok(Refs {
            cycles: cycles::find_by_codes(context.txn, &cycle_codes).await?,
            officials: officials::find_by_codes(context.txn, &official_codes).await?,
            units,
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
        let found = self.officials.get(code).map(|o| o.id);
        if found.is_none() {
            errors.push(
                row,
                sheet.header(column),
                "import_err_official_not_found",
                &[("code", code.to_owned())],
            );
        }
        found
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
        match self.units.get(code) {
            None => {
                errors.push(
                    row,
                    sheet.header(column),
                    "import_err_unit_not_found",
                    &args,
                );
                None
            }
            Some(unit) if unit.valid_to.is_some() => {
                errors.push(row, sheet.header(column), "import_err_unit_closed", &args);
                None
            }
            Some(unit) => Some(unit.id),
        }
    }
}
