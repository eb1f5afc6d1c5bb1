//! Exporting a unit's classification list for the Department of Home Affairs: the same
//! check of who may export the unit and the same audit entry, from the web and the command
//! line.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{Actor, authorize, invalid};
use crate::domain::access::Action;
use crate::error::AppError;
use crate::ssr::auth::guard::unit_target;
use crate::ssr::export;
use crate::ssr::import::messages::Lang;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::org_units;

/// A file format of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// `xlsx` or `csv`; `Invalid` on `format` for anything else.
    pub fn from_code(code: &str) -> Result<Format, AppError> {
        match code {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            _ => Err(invalid("format", "unknown_format")),
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// The exported file and how many officials it lists.
#[derive(Debug, Clone)]
pub struct Exported {
    pub rows: usize,
    pub bytes: Vec<u8>,
}

/// The classification list of unit `unit_code` in cycle `cycle_code`, if the actor may
/// export that unit (`Forbidden`, audited, otherwise; `NotFound` for an unknown unit or
/// cycle); the export is audited.
pub async fn classification(
    db: &DatabaseConnection,
    actor: &Actor,
    (unit_code, cycle_code): (&str, &str),
    format: Format,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Exported, AppError> {
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
    let list = export::classification_list(db, unit_code, cycle_code).await?;
    let bytes = match format {
        Format::Xlsx => export::to_xlsx(lang, &list)?,
        Format::Csv => export::to_csv(lang, &list)?,
    };
    let change = Change {
        action: "export".into(),
        entity: "classification".into(),
        entity_id: Some(format!("{unit_code}/{cycle_code}")),
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
