//! Server functions of the year's classification and its calibration under the quota. Each
//! is glue: who calls, then the service ([`crate::ssr::service::calibration`]).

use leptos::prelude::*;

use crate::domain::calibration::UnitBoards;
use crate::error::AppError;

/// The unit's calibration boards in a year cycle (`cycle`: a code, default the latest year
/// cycle), if the caller may read the unit.
#[server(name = GetCalibration, prefix = "/api", endpoint = "calibration")]
pub async fn calibration_boards(
    unit: i64,
    #[server(default)] cycle: Option<String>,
) -> Result<UnitBoards, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let cycle = cycle.filter(|c| !c.is_empty());
    let actor = caller.service_actor();
    let now = chrono::Utc::now();
    crate::ssr::service::calibration::boards(&caller.state.db, &actor, unit, cycle.as_deref(), now)
        .await
}

/// Classifies the year of every official now in the unit, from the year's period scores.
#[server(name = ClassifyYear, prefix = "/api", endpoint = "calibration/classify")]
pub async fn classify_year(unit: i64, cycle: i64) -> Result<usize, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let actor = caller.service_actor();
    let now = chrono::Utc::now();
    let done =
        crate::ssr::service::calibration::classify(&caller.state.db, &actor, cycle, unit, now)
            .await;
    super::confirmed("classified", done)
}

/// Moves one person of a board to another level, with a reason.
#[server(name = CalibrationMove, prefix = "/api", endpoint = "calibration/move")]
pub async fn calibration_move(
    group: i64,
    version: i32,
    assessment: i64,
    level: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::ssr::service::calibration::{Move, move_person};
    let caller = crate::ssr::auth::guard::caller()?;
    let input = Move {
        group_id: group,
        group_version: version,
        assessment_id: assessment,
        level,
        reason,
    };
    let done = move_person(
        &caller.state.db,
        &caller.service_actor(),
        input,
        chrono::Utc::now(),
    )
    .await;
    super::confirmed("moved", done)
}

/// Accepts the engine's proposed demotions of a board.
#[server(name = CalibrationAccept, prefix = "/api", endpoint = "calibration/accept")]
pub async fn calibration_accept(group: i64, version: i32) -> Result<usize, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let actor = caller.service_actor();
    let now = chrono::Utc::now();
    let done = crate::ssr::service::calibration::accept_proposals(
        &caller.state.db,
        &actor,
        group,
        version,
        now,
    )
    .await;
    super::confirmed("accepted", done)
}

/// Records (or, both texts empty, clears) a board's exception for an outstanding unit; an
/// empty cap lifts it.
#[server(name = CalibrationException, prefix = "/api", endpoint = "calibration/exception")]
pub async fn calibration_exception(
    group: i64,
    version: i32,
    #[server(default)] reference: String,
    #[server(default)] approved_by: String,
    #[server(default)] max_percent: String,
) -> Result<(), AppError> {
    use crate::ssr::service::calibration::{ExceptionInput, record_exception};
    let caller = crate::ssr::auth::guard::caller()?;
    let max_percent = match max_percent.trim() {
        "" => None,
        text => Some(
            text.parse()
                .map_err(|_| crate::ssr::service::invalid("max_percent", "not_a_number"))?,
        ),
    };
    let input = ExceptionInput {
        group_id: group,
        version,
        reference,
        approved_by,
        max_percent,
    };
    let actor = caller.service_actor();
    let done = record_exception(&caller.state.db, &actor, input, chrono::Utc::now()).await;
    super::confirmed("exception", done)
}

/// Approves a board's levels (within the quota) and locks them.
#[server(name = CalibrationApprove, prefix = "/api", endpoint = "calibration/approve")]
pub async fn calibration_approve(group: i64, version: i32) -> Result<(), AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let actor = caller.service_actor();
    let now = chrono::Utc::now();
    let done =
        crate::ssr::service::calibration::approve(&caller.state.db, &actor, group, version, now)
            .await;
    super::confirmed("approved", done)
}
