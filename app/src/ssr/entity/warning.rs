//! `warning`: one finding of the early-warning rules, unique by (rule, subject), with the unit
//! and official it concerns (and the official's reviewer), its urgency, its evidence (JSON of
//! [`crate::domain::warning::Evidence`]) and its acknowledgement.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "warning")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule: String,
    pub subject: String,
    pub unit_id: i64,
    pub official_id: Option<i64>,
    /// The official's reviewer (for a reviewer's scope), kept with the official's unit.
    pub reviewer_id: Option<i64>,
    pub key_result_id: Option<i64>,
    pub assessment_id: Option<i64>,
    pub urgency: i32,
    /// The list's order: the urgency, less 1,000 once acknowledged.
    pub rank: i32,
    #[sea_orm(column_type = "Text")]
    pub evidence: String,
    pub detected_at: DateTimeUtc,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub acknowledged_note: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
