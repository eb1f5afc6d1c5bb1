//! Wire types: what crosses between server and browser. Never a database model.

use serde::{Deserialize, Serialize};

/// The kind of an organisational unit in the two-level local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Province or centrally-run city (the upper level).
    Province,
    /// Specialised agency of the provincial People's Committee.
    Agency,
    /// Commune or ward (the lower level).
    Commune,
    /// Party committee or Party body.
    Party,
}

impl UnitKind {
    /// Every kind, in display order.
    pub const ALL: [UnitKind; 4] = [
        UnitKind::Province,
        UnitKind::Agency,
        UnitKind::Commune,
        UnitKind::Party,
    ];

    /// The stable code stored in the database and used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::Agency => "agency",
            UnitKind::Commune => "commune",
            UnitKind::Party => "party",
        }
    }

    /// Parses the stable code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One organisational unit as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub approved_headcount: i32,
}
