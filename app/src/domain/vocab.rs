//! The vocabulary stored as text codes: kinds of unit, officials' categories and statuses,
//! how key results are measured and fed. Each is declared once with [`crate::code_enum!`].
//! And the organisational unit as lists show it.

use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    /// The kind of an organisational unit in the two-level local government.
    pub enum UnitKind {
        /// Province or centrally-run city (the upper level).
        Province = "province",
        /// Specialised agency of the provincial People's Committee.
        Agency = "agency",
        /// Commune or ward (the lower level).
        Commune = "commune",
        /// Party committee or Party body.
        Party = "party",
    }
}

code_enum! {
    /// What an official is under the Law on Cadres and Civil Servants.
    pub enum OfficialCategory {
        /// Cán bộ (elected or appointed to a term).
        Cadre = "cadre",
        /// Công chức.
        CivilServant = "civil_servant",
        /// Viên chức (public service units).
        PublicEmployee = "public_employee",
    }
}

code_enum! {
    /// Whether an official is currently working.
    pub enum OfficialStatus {
        /// Working.
        Active = "active",
        /// On long leave (maternity, training, sick leave).
        OnLeave = "on_leave",
        /// Retired.
        Retired = "retired",
        /// Left the public service (resigned, dismissed, moved elsewhere).
        Left = "left",
    }
}

code_enum! {
    /// How a key result is measured (see [`super::okr::Measure`]).
    pub enum KrKind {
        /// Raise a value from start to target.
        IncreaseTo = "increase_to",
        /// Lower a value from start to target.
        DecreaseTo = "decrease_to",
        /// Done (1) or not (0).
        Milestone = "milestone",
        /// Keep a value within [band_low, band_high].
        StayWithin = "stay_within",
    }
}

code_enum! {
    /// Where a key result's current value comes from.
    pub enum DataSource {
        /// Entered by people (check-ins).
        Manual = "manual",
        /// Read from a metric series (`metric_key`).
        Metric = "metric",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_on_the_wire() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::from_code(kind.code()), Some(*kind));
        }
        let json = serde_json::to_string(&[OfficialStatus::OnLeave]).ok();
        assert_eq!(json.as_deref(), Some(r#"["on_leave"]"#));
        let back: Result<KrKind, _> = serde_json::from_str(r#""stay_within""#);
        assert_eq!(back.ok(), Some(KrKind::StayWithin));
        assert!(serde_json::from_str::<DataSource>(r#""robot""#).is_err());
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
