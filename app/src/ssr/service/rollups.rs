//! Rebuilding the dashboards' rollups from the stored assessments and key results (the write
//! services keep them current one unit at a time; this recomputes whole cycles, after a
//! correction made outside the application). One transaction, audited.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::Actor;
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::{cycles, rollups};

/// Rebuilds the rollups of the cycle `cycle_id`, or of every started cycle; returns how many
/// cycles. The operator's command line only: a signed-in person is refused (audited).
pub async fn rebuild(
    db: &DatabaseConnection,
    actor: &Actor,
    cycle_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    super::operator_only(db, actor, ("cycle", cycle_id.unwrap_or_default()), now).await?;
    let txn = crate::ssr::db::write(db).await?;
    let ids: Vec<i64> = match cycle_id {
        Some(id) => vec![cycles::find(&txn, id).await?.id],
        None => cycles::started(&txn).await?.iter().map(|c| c.id).collect(),
    };
    let mut rows = 0;
    for id in &ids {
        rows += rollups::rebuild_cycle(&txn, *id, now).await?;
    }
    let change = Change {
        action: "rollup_rebuild".into(),
        entity: "cycle".into(),
        entity_id: cycle_id.map(|id| id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "cycles": ids.len(), "rows": rows })),
        unit_id: None,
    };
    audit::record(&txn, &actor.audit, change, now).await?;
    txn.commit().await?;
    Ok(ids.len())
}
