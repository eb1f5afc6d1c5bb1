//! `assessment`: an official's assessment in a cycle: computed score with explanation, proposed and approved levels.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub official_id: i64,
    pub cycle_id: i64,
    pub computed_score: Option<f64>,
    #[sea_orm(column_type = "Text")]
    pub explanation: Option<String>,
    pub proposed_level: Option<String>,
    pub approved_level: Option<String>,
    /// The engine's level for the period (bands, then overrides).
    pub computed_level: Option<String>,
    /// Why the last level decision departs from the level it should follow.
    #[sea_orm(column_type = "Text")]
    pub level_reason: Option<String>,
    /// Why the assessment was returned for revision (shown to the official).
    #[sea_orm(column_type = "Text")]
    pub return_reason: Option<String>,
    /// The period's report was late (Khánh Hòa: counted as not done).
    pub report_late: bool,
    /// Leaders: the unit's operating result this period, in %.
    pub unit_result_percent: Option<f64>,
    /// Months worked in the year (default: the periods scored).
    pub months_worked: Option<f64>,
    /// Months of lawful leave in the year.
    pub lawful_leave_months: f64,
    /// The most severe discipline imposed in the year (`domain::Discipline` code).
    pub discipline: Option<String>,
    /// Concluded degradation in ideology, ethics or lifestyle.
    pub concluded_degradation: bool,
    /// Leaders: embezzlement, corruption or waste in a unit they directly manage.
    pub unit_corruption: bool,
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    pub calibrated_level: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub calibration_reason: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
