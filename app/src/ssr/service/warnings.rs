//! Early warning: working the list out from the data ([`refresh`], run by the server every
//! [`REFRESH_EVERY_MINUTES`] minutes, after the demo is loaded, after the rules change, and by
//! `server warnings refresh`), reading it within the viewer's scope ([`list`]),
//! acknowledging an item ([`acknowledge`]) and changing the rules ([`save_rules`]). The rules
//! themselves are [`crate::domain::warning`]'s.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::{BTreeSet, HashMap};

use super::{Actor, bounded_text, invalid, refuse_anywhere};
use crate::domain::access::{self, Action};
use crate::domain::deadline::{Deadlines, Overrides, local_date};
use crate::domain::lifecycle::AssessmentState;
use crate::domain::okr::kr_attainment;
use crate::domain::warning::{self, Finding, KrPace, Rule, WarningRules};
use crate::error::AppError;
use crate::ssr::repo::audit::{self, Change};
use crate::ssr::repo::rules;
use crate::ssr::repo::warnings::{self as repo, KrFacts, Listed, NewWarning, Waiting};

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
    repo::replace(db, None, found, now).await
}

/// A record whose warnings follow it at once when it changes, not at the next working-out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A key result checked in or edited: its pace and staleness.
    KeyResult(i64),
    /// An assessment moved on: its self-assessment due or its review overdue.
    Assessment(i64),
}

/// Works out again, inside the caller's transaction, the items about one record as of `now`
/// (a check-in clears its key result's "stale" at once; a self-assessment its "due").
pub async fn refresh_subject(
    db: &impl ConnectionTrait,
    subject: Subject,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let (rules, _) = rules_of(db).await?;
    let today = local_date(now);
    let (subjects, found) = match subject {
        Subject::KeyResult(id) => (
            vec![format!("kr:{id}")],
            key_result_findings(
                repo::key_results_in_progress(db, today, Some(id)).await?,
                &rules,
                today,
            ),
        ),
        Subject::Assessment(id) => (
            vec![format!("assessment:{id}")],
            assessment_findings(repo::waiting(db, today, Some(id)).await?, &rules, today),
        ),
    };
    repo::replace(db, Some(&subjects), found, now).await
}

/// A finding stored: its rule and subject, the unit, official and reviewer it concerns, the
/// key result or assessment it is about.
fn stored(
    (rule, subject): (Rule, String),
    (unit_id, official_id, reviewer_id): (i64, Option<i64>, Option<i64>),
    [key_result_id, assessment_id]: [Option<i64>; 2],
    f: Finding,
) -> NewWarning {
    NewWarning {
        rule: rule.code(),
        subject,
        unit_id,
        official_id,
        reviewer_id,
        key_result_id,
        assessment_id,
        urgency: f.urgency,
        evidence: serde_json::to_string(&f.evidence).unwrap_or_default(),
    }
}

/// The pace and staleness findings of key results in progress.
fn key_result_findings(
    krs: Vec<KrFacts>,
    rules: &WarningRules,
    today: NaiveDate,
) -> Vec<NewWarning> {
    let mut found = Vec::new();
    for kr in krs {
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
            found.push(stored(
                (f.rule, format!("kr:{}", kr.id)),
                (kr.unit_id, kr.official_id, kr.reviewer_id),
                [Some(kr.id), None],
                f,
            ));
        }
    }
    found
}

/// The self-assessment due and review overdue findings of assessments still waiting.
fn assessment_findings(
    waiting: Vec<Waiting>,
    rules: &WarningRules,
    today: NaiveDate,
) -> Vec<NewWarning> {
    let mut found = Vec::new();
    for a in waiting {
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
            found.push(stored(
                (f.rule, format!("assessment:{}", a.id)),
                (a.unit_id, Some(a.official_id), a.reviewer_id),
                [None, Some(a.id)],
                f,
            ));
        }
    }
    found
}

/// The metric feeds gone stale (of `only`, when given): the newest value older than the
/// metric's frequency in the catalogue (the rules' `metric_every_days` for a metric outside
/// it) and the grace.
async fn feed_findings(
    db: &impl ConnectionTrait,
    only: Option<&BTreeSet<(String, i64)>>,
    rules: &WarningRules,
    today: NaiveDate,
) -> Result<Vec<NewWarning>, AppError> {
    let every: HashMap<String, u32> = crate::ssr::repo::metrics::catalogue(db)
        .await?
        .into_iter()
        .map(|m| (m.key, m.frequency.every_days()))
        .collect();
    let mut found = Vec::new();
    for (metric, unit, last) in repo::metric_feeds(db, only).await? {
        let every_days = every
            .get(&metric)
            .copied()
            .unwrap_or(rules.metric_every_days);
        if let Some(f) = warning::stale(
            Rule::MetricStale,
            Some(last),
            last,
            every_days,
            rules,
            today,
        ) {
            let subject = (Rule::MetricStale, feed_subject(&metric, unit));
            found.push(stored(subject, (unit, None, None), [None, None], f));
        }
    }
    Ok(found)
}

/// The subject of a feed's warning.
fn feed_subject(metric: &str, unit: i64) -> String {
    format!("unit:{unit}:{metric}")
}

/// Works out again, inside the caller's transaction, the staleness of these feeds (a value
/// fed clears its feed's item at once).
pub async fn refresh_feeds(
    db: &impl ConnectionTrait,
    feeds: &BTreeSet<(String, i64)>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let (rules, _) = rules_of(db).await?;
    let found = feed_findings(db, Some(feeds), &rules, local_date(now)).await?;
    let subjects: Vec<String> = feeds.iter().map(|(m, u)| feed_subject(m, *u)).collect();
    repo::replace(db, Some(&subjects), found, now).await
}

/// Every finding of every rule, as of `now`.
async fn findings(
    db: &impl ConnectionTrait,
    rules: &WarningRules,
    now: DateTime<Utc>,
) -> Result<Vec<NewWarning>, AppError> {
    let today = local_date(now);
    let mut found = key_result_findings(
        repo::key_results_in_progress(db, today, None).await?,
        rules,
        today,
    );
    found.extend(feed_findings(db, None, rules, today).await?);
    found.extend(assessment_findings(
        repo::waiting(db, today, None).await?,
        rules,
        today,
    ));
    let months = repo::months_ended(db, today, 24).await?;
    for (official, ((unit, reviewer), scores)) in repo::official_scores(db, &months).await? {
        if let Some(f) = warning::trend(Rule::OfficialDown, &scores, rules) {
            let subject = (Rule::OfficialDown, format!("official:{official}"));
            found.push(stored(
                subject,
                (unit, Some(official), reviewer),
                [None, None],
                f,
            ));
        }
    }
    for (unit, scores) in repo::unit_scores(db, &months).await? {
        if let Some(f) = warning::trend(Rule::UnitDown, &scores, rules) {
            let subject = (Rule::UnitDown, format!("unit:{unit}"));
            found.push(stored(subject, (unit, None, None), [None, None], f));
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
    let new = WarningRules::from_values(values).map_err(|r| super::rules::refused(&r))?;
    let txn = crate::ssr::db::write(db).await?;
    super::rules::store(&txn, actor, RULES_KEY, &new, version, now).await?;
    refresh_in(&txn, now).await?;
    txn.commit().await?;
    Ok(())
}
