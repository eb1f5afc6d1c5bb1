//! Early warning: working the list out from the data ([`refresh`], run by the server every
//! [`REFRESH_EVERY_MINUTES`] minutes, after the demo is loaded, after the rules change, and by
//! `server warnings refresh`), reading it within the viewer's scope ([`list`]),
//! acknowledging an item ([`acknowledge`]) and changing the rules ([`save_rules`]). The rules
//! themselves are [`crate::domain::warning`]'s.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Actor, bounded_text, invalid, refuse_anywhere};
use crate::domain::access::{self, Action};
use crate::domain::deadline::{Deadlines, Overrides, local_date};
use crate::domain::lifecycle::AssessmentState;
use crate::domain::okr::kr_attainment;
use crate::domain::warning::{self, Finding, KrPace, Rule, WarningRules};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::rules;
use crate::ssr::repo::warnings::{self as repo, Listed, NewWarning};

/// How often the server works the list out again.
pub const REFRESH_EVERY_MINUTES: u64 = 15;
/// The key of the warning rules in `rule_setting`.
pub const RULES_KEY: &str = "warnings";
/// Items a page of the list shows.
pub const PAGE_SIZE: u64 = 50;
/// The longest acknowledgement note, in characters.
pub const NOTE_MAX_CHARS: usize = 1_000;

/// The organisation's warning rules and their version (0: the defaults, never changed).
pub async fn rules_of(db: &impl ConnectionTrait) -> Result<(WarningRules, i32), AppError> {
    rules::load(db, RULES_KEY).await
}

/// Works the whole list out again as of `now` with the stored rules, keeping
/// acknowledgements; returns how many items it holds.
pub async fn refresh(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, AppError> {
    let txn = crate::ssr::db::write(db).await?;
    let n = refresh_in(&txn, now).await?;
    txn.commit().await?;
    Ok(n)
}

/// [`refresh`] inside the caller's transaction.
pub async fn refresh_in(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<usize, AppError> {
    let (rules, _) = rules_of(db).await?;
    let found = findings(db, &rules, now).await?;
    repo::replace(db, found, now).await
}

/// Every finding of every rule, as of `now`.
async fn findings(
    db: &impl ConnectionTrait,
    rules: &WarningRules,
    now: DateTime<Utc>,
) -> Result<Vec<NewWarning>, AppError> {
    let today = local_date(now);
    let mut found = Vec::new();
    let store = |rule_subject: (Rule, String),
                 at: (i64, Option<i64>),
                 ids: [Option<i64>; 2],
                 f: Finding| {
        NewWarning {
            rule: rule_subject.0.code(),
            subject: rule_subject.1,
            unit_id: at.0,
            official_id: at.1,
            key_result_id: ids[0],
            assessment_id: ids[1],
            urgency: f.urgency,
            evidence: serde_json::to_string(&f.evidence).unwrap_or_default(),
        }
    };
    for kr in repo::key_results_in_progress(db, today).await? {
        let Some(measure) = kr.measure else { continue };
        let last = kr.last_check_in_at.map(local_date);
        let pace = warning::pace(
            KrPace {
                attainment: kr_attainment(&measure),
                starts_on: kr.starts_on,
                ends_on: kr.ends_on,
                last_check_in: last,
            },
            rules,
            today,
        );
        let stale = warning::stale(
            Rule::Stale,
            last,
            kr.starts_on,
            rules.check_in_every_days,
            rules,
            today,
        );
        for f in pace.into_iter().chain(stale) {
            let subject = (f.rule, format!("kr:{}", kr.id));
            found.push(store(
                subject,
                (kr.unit_id, kr.official_id),
                [Some(kr.id), None],
                f,
            ));
        }
    }
    for (metric, unit, last) in repo::metric_feeds(db).await? {
        if let Some(f) = warning::stale(
            Rule::MetricStale,
            Some(last),
            last,
            rules.metric_every_days,
            rules,
            today,
        ) {
            let subject = (Rule::MetricStale, format!("unit:{unit}:{metric}"));
            found.push(store(subject, (unit, None), [None, None], f));
        }
    }
    for a in repo::waiting(db, today).await? {
        let (Some(state), Some(due)) = (
            AssessmentState::from_code(&a.state),
            Deadlines::of_cycle(
                &a.period_kind,
                a.ends_on,
                Overrides {
                    self_assessment: a.own[0],
                    review: a.own[1],
                    approval: a.own[2],
                },
            ),
        ) else {
            continue;
        };
        let f = warning::self_due(state, due.self_assessment, rules, today)
            .or_else(|| warning::review_overdue(state, due.review, rules, today));
        if let Some(f) = f {
            let subject = (f.rule, format!("assessment:{}", a.id));
            found.push(store(
                subject,
                (a.unit_id, Some(a.official_id)),
                [None, Some(a.id)],
                f,
            ));
        }
    }
    let months = repo::months_ended(db, today, 24).await?;
    for (official, (unit, scores)) in repo::official_scores(db, &months).await? {
        if let Some(f) = warning::trend(Rule::OfficialDown, &scores, rules) {
            let subject = (Rule::OfficialDown, format!("official:{official}"));
            found.push(store(subject, (unit, Some(official)), [None, None], f));
        }
    }
    for (unit, scores) in repo::unit_scores(db, &months).await? {
        if let Some(f) = warning::trend(Rule::UnitDown, &scores, rules) {
            let subject = (Rule::UnitDown, format!("unit:{unit}"));
            found.push(store(subject, (unit, None), [None, None], f));
        }
    }
    Ok(found)
}

/// The list as a viewer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningList {
    /// This page, the most urgent first, acknowledged ones last.
    pub items: Vec<Listed>,
    /// Per rule: (rule code, items, of which acknowledged), in the scope.
    pub counts: Vec<(String, u64, u64)>,
    pub page: u64,
    pub pages: u64,
    /// When the list was last worked out.
    pub as_of: Option<DateTime<Utc>>,
    /// Whether the viewer may acknowledge items (reviewers and leaders, not the officials
    /// themselves).
    pub may_acknowledge: bool,
    /// Whether the viewer may change the rules (administrators).
    pub may_edit_rules: bool,
    pub rules: WarningRules,
    pub rules_version: i32,
}

/// One page (from 1) of the warnings the actor may read, of one rule when given (a rule code;
/// an unknown one is refused naming `rule`).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    rule: Option<&str>,
    page: u64,
    now: DateTime<Utc>,
) -> Result<WarningList, AppError> {
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    if let Some(code) = rule
        && Rule::from_code(code).is_none()
    {
        return Err(invalid("rule", "unknown_rule"));
    }
    let scope = access::scope(principal, Action::Read);
    let may_edit_rules = access::may_somewhere(principal, Action::Admin);
    // An administrator reads no one's records, but sets the rules here.
    if scope.is_empty() && !may_edit_rules {
        refuse_anywhere(db, actor, Action::Read, ("warning", 0), now).await?;
    }
    let counts = match scope.is_empty() {
        true => Vec::new(),
        false => repo::counts(db, &scope).await?,
    };
    let total: u64 = counts
        .iter()
        .filter(|(r, _, _)| rule.is_none_or(|x| x == r))
        .map(|(_, n, _)| n)
        .sum();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let items = match scope.is_empty() {
        true => Vec::new(),
        false => repo::page(db, &scope, rule, None, ((page - 1) * PAGE_SIZE, PAGE_SIZE)).await?,
    };
    let (rules, rules_version) = rules_of(db).await?;
    Ok(WarningList {
        items,
        counts,
        page,
        pages,
        as_of: repo::detected_at(db).await?,
        may_acknowledge: !acknowledging(principal).is_empty(),
        may_edit_rules,
        rules,
        rules_version,
    })
}

/// The records whose warnings a person may acknowledge: those they score or approve.
fn acknowledging(principal: &access::Principal) -> access::Scope {
    access::scope_of_any(principal, &[Action::Score, Action::Approve])
}

/// Acknowledges warning `id` with a note (within [`NOTE_MAX_CHARS`]); `NotFound` when it is
/// not one the actor may acknowledge (or already acknowledged).
pub async fn acknowledge(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    let note = bounded_text("note", note, NOTE_MAX_CHARS)?;
    let txn = crate::ssr::db::write(db).await?;
    let scope = acknowledging(principal);
    let item = match scope.is_empty() {
        true => None,
        false => repo::page(&txn, &scope, None, Some(id), (0, 1))
            .await?
            .pop(),
    };
    let Some(item) = item.filter(|i| i.acknowledged.is_none()) else {
        return Err(AppError::NotFound);
    };
    repo::acknowledge(&txn, id, &actor.audit.name, &note, now).await?;
    audit::record(
        &txn,
        &actor.audit,
        Change {
            action: "acknowledge".into(),
            entity: "warning".into(),
            entity_id: Some(id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "rule": item.rule, "note": note })),
            unit_id: Some(item.unit_id),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the warning rules (administrators): every value within its range (refused naming
/// the field), the version still the one read (else `Conflict`); audited; the list is then
/// worked out again with them.
pub async fn save_rules(
    db: &DatabaseConnection,
    actor: &Actor,
    values: [u32; 11],
    version: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(principal) = &actor.principal else {
        return Err(AppError::Unauthorized);
    };
    if !access::may_somewhere(principal, Action::Admin) {
        return refuse_anywhere(db, actor, Action::Admin, ("rule_setting", 0), now).await;
    }
    let new = WarningRules::from_values(values).map_err(|refused| {
        let first = refused[0];
        invalid(first.field, first.key)
    })?;
    let txn = crate::ssr::db::write(db).await?;
    let (old, _) = rules_of(&txn).await?;
    let json = serde_json::to_string(&new).map_err(AppError::internal)?;
    rules::put(&txn, RULES_KEY, json, version, &actor.audit.name, now).await?;
    audit::record(
        &txn,
        &actor.audit,
        Change {
            action: "update".into(),
            entity: "rule_setting".into(),
            entity_id: Some(RULES_KEY.into()),
            before: serde_json::to_value(old).ok(),
            after: serde_json::to_value(new).ok(),
            unit_id: None,
        },
        now,
    )
    .await?;
    refresh_in(&txn, now).await?;
    txn.commit().await?;
    Ok(())
}
