//! Exporting a unit's classification list for the Department of Home Affairs: the same
//! check of who may export the unit and the same audit entry, from the web and the command
//! line.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize, invalid};
use crate::domain::access::Action;
use crate::domain::deadline::local_date;
use crate::error::AppError;
use crate::ssr::auth::guard::unit_target;
use crate::ssr::import::messages::Lang;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::org_units;
use crate::ssr::{export, pdf};

/// A file format of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    /// The printable form: the unit's list, or one official's form.
    Pdf,
}

impl Format {
    /// `xlsx`, `csv` or `pdf`; `Invalid` on `format` for anything else.
    pub fn from_code(code: &str) -> Result<Format, AppError> {
        match code {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            "pdf" => Ok(Format::Pdf),
            _ => Err(invalid("format", "unknown_format")),
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Pdf => "pdf",
        }
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

/// The exported file and how many officials it lists.
#[derive(Debug, Clone)]
pub struct Exported {
    pub rows: usize,
    pub bytes: Vec<u8>,
}

/// What to export: a unit's list in a cycle, or only one official of it (by personnel code).
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    pub unit: &'a str,
    pub cycle: &'a str,
    pub official: Option<&'a str>,
}

/// The classification list of the selected unit in the cycle (or one official's line of it:
/// in PDF, that official's form), if the actor may export that unit (`Forbidden`, audited,
/// otherwise; `NotFound` for an unknown unit or cycle, or an official not in the unit); the
/// export is audited.
pub async fn classification(
    db: &DatabaseConnection,
    actor: &Actor,
    selection: Selection<'_>,
    format: Format,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Exported, AppError> {
    let (unit_code, cycle_code) = (selection.unit, selection.cycle);
    let unit_id = org_units::id_by_code(db, unit_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let target = unit_target(db, unit_id).await?;
    authorize(
        db,
        actor,
        &[Action::Export],
        &target,
        ("org_unit", unit_id),
        now,
    )
    .await?;
    let mut list = export::classification_list(db, unit_code, cycle_code).await?;
    if let Some(code) = selection.official {
        list.rows.retain(|row| row.code == code);
        if list.rows.is_empty() {
            return Err(AppError::NotFound);
        }
    }
    let today = local_date(now);
    let bytes = match (format, selection.official) {
        (Format::Xlsx, _) => export::to_xlsx(lang, &list)?,
        (Format::Csv, _) => export::to_csv(lang, &list)?,
        (Format::Pdf, None) => pdf::unit_list(lang, &list, today)?,
        (Format::Pdf, Some(_)) => pdf::official_form(lang, &list, &list.rows[0], today)?,
    };
    let change = Change {
        action: "export".into(),
        entity: "classification".into(),
        entity_id: Some(match selection.official {
            Some(official) => format!("{unit_code}/{cycle_code}/{official}"),
            None => format!("{unit_code}/{cycle_code}"),
        }),
        before: None,
        after: Some(serde_json::json!({ "rows": list.rows.len(), "format": format.extension() })),
        unit_id: Some(unit_id),
    };
    audit::record(db, &actor.audit, change, now).await?;
    Ok(Exported {
        rows: list.rows.len(),
        bytes,
    })
}
