//! Early warning: the rules that find what needs attention before it goes wrong — a key result
//! behind its pace or not started, a key result or a unit's metric feed gone stale, a
//! self-assessment still missing close to its deadline, a review overdue, an official or a unit
//! whose scores are trending down. Each rule is a pure function of the facts and of the
//! organisation's [`WarningRules`] (thresholds and windows stored as data, with the defaults
//! below), and answers a [`Finding`]: which rule, how urgent, and the evidence.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check_in::Invalid;
use super::lifecycle::AssessmentState;
use super::rollup::elapsed;
use crate::code_enum;

code_enum! {
    /// A warning rule.
    pub enum Rule {
        /// A key result's attainment trails the share of its period elapsed.
        Behind = "behind",
        /// A key result with no progress some days after its period started.
        NotStarted = "not_started",
        /// A key result without a check-in within its expected frequency and the grace.
        Stale = "stale",
        /// A unit's metric feed without a value within its expected frequency and the grace.
        MetricStale = "metric_stale",
        /// A self-assessment not submitted a few days before its deadline (or after it).
        SelfDue = "self_due",
        /// A review not done after its deadline.
        ReviewOverdue = "review_overdue",
        /// An official's monthly scores going down.
        OfficialDown = "official_down",
        /// A unit's mean monthly score going down.
        UnitDown = "unit_down",
    }
}

/// The organisation's thresholds and windows. Defaults (documented in `docs/warnings.md`):
/// behind when attainment trails the elapsed share by more than 25 percentage points (Viva
/// Goals' "behind"), not started 7 days after the start, key results checked in every 30 days
/// and metrics fed every 31 days with 7 days' grace, self-assessment flagged 3 days before
/// its deadline, a review overdue the day after its deadline, trending down after 2 falls in a
/// row, and the control-chart signals (6 points in a row below the mean, a point beyond 3σ)
/// only with at least 12 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WarningRules {
    /// Percentage points attainment may trail the elapsed share of the period.
    pub pace_lag_percent: u32,
    /// Days after its start a key result without progress is "not started".
    pub not_started_days: u32,
    /// Days between the check-ins a key result expects.
    pub check_in_every_days: u32,
    /// Days between the values a unit's metric feed expects.
    pub metric_every_days: u32,
    /// Days of grace after the expected frequency before a feed is stale.
    pub grace_days: u32,
    /// Days before the self-assessment deadline a missing one is flagged.
    pub self_due_days: u32,
    /// Days after the review deadline a review still not done is overdue.
    pub review_late_days: u32,
    /// Falls in a row of the monthly score that make a downward trend.
    pub trend_falls: u32,
    /// Points needed before the control-chart signals are shown.
    pub spc_min_points: u32,
    /// Points in a row below the mean that signal.
    pub spc_run: u32,
    /// Standard deviations below the mean beyond which one point signals.
    pub spc_sigmas: u32,
}

impl Default for WarningRules {
    fn default() -> Self {
        WarningRules {
            pace_lag_percent: 25,
            not_started_days: 7,
            check_in_every_days: 30,
            metric_every_days: 31,
            grace_days: 7,
            self_due_days: 3,
            review_late_days: 0,
            trend_falls: 2,
            spc_min_points: 12,
            spc_run: 6,
            spc_sigmas: 3,
        }
    }
}

/// Each field of [`WarningRules`] with the range it accepts, in the order of the form.
pub const WARNING_FIELDS: [(&str, u32, u32); 11] = [
    ("pace_lag_percent", 1, 100),
    ("not_started_days", 1, 365),
    ("check_in_every_days", 1, 366),
    ("metric_every_days", 1, 366),
    ("grace_days", 0, 366),
    ("self_due_days", 0, 60),
    ("review_late_days", 0, 60),
    ("trend_falls", 1, 12),
    ("spc_min_points", 6, 60),
    ("spc_run", 2, 24),
    ("spc_sigmas", 1, 6),
];

impl WarningRules {
    /// The values in the order of [`WARNING_FIELDS`].
    pub fn values(&self) -> [u32; 11] {
        [
            self.pace_lag_percent,
            self.not_started_days,
            self.check_in_every_days,
            self.metric_every_days,
            self.grace_days,
            self.self_due_days,
            self.review_late_days,
            self.trend_falls,
            self.spc_min_points,
            self.spc_run,
            self.spc_sigmas,
        ]
    }

    /// Rules from values in the order of [`WARNING_FIELDS`], each checked against its range
    /// (`out_of_range`), and the run no longer than the points it needs.
    pub fn from_values(v: [u32; 11]) -> Result<WarningRules, Vec<Invalid>> {
        let mut refused = out_of_range(&WARNING_FIELDS, &v);
        if refused.is_empty() && v[9] > v[8] {
            refused.push(Invalid {
                field: "spc_run",
                key: "out_of_range",
            });
        }
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok(WarningRules {
            pace_lag_percent: v[0],
            not_started_days: v[1],
            check_in_every_days: v[2],
            metric_every_days: v[3],
            grace_days: v[4],
            self_due_days: v[5],
            review_late_days: v[6],
            trend_falls: v[7],
            spc_min_points: v[8],
            spc_run: v[9],
            spc_sigmas: v[10],
        })
    }
}

/// The fields whose value lies outside its range, as refused fields.
pub fn out_of_range(fields: &[(&'static str, u32, u32)], values: &[u32]) -> Vec<Invalid> {
    fields
        .iter()
        .zip(values)
        .filter(|((_, lo, hi), v)| !(*lo..=*hi).contains(*v))
        .map(|((field, _, _), _)| Invalid {
            field,
            key: "out_of_range",
        })
        .collect()
}

/// What a warning shows as its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// Attainment and the share of the period elapsed (whole percent).
    Behind { attainment: u32, expected: u32 },
    /// Started on, and the days since with no progress.
    NotStarted { started_on: NaiveDate, days: i64 },
    /// The last value (none yet), the days since (or since the start), the frequency expected.
    Stale {
        last: Option<NaiveDate>,
        days: i64,
        every_days: u32,
    },
    /// The deadline, and the days left (negative once passed).
    SelfDue { due_on: NaiveDate, days_left: i64 },
    /// The deadline, and the days since.
    ReviewOverdue { due_on: NaiveDate, days_late: i64 },
    /// The last scores, oldest first, each lower than the one before.
    Falling { scores: Vec<f64> },
    /// The last `run` scores all below the mean of all `points`.
    BelowMean { run: u32, points: u32, mean: f64 },
    /// The last score below the mean by more than `sigmas` standard deviations.
    BeyondLimit {
        score: f64,
        mean: f64,
        sigma: f64,
        sigmas: u32,
        points: u32,
    },
}

/// One rule's finding: the rule, its urgency (higher first: see [`urgency`]) and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub urgency: i32,
    pub evidence: Evidence,
}

/// How urgent a finding is: a base by what is at stake — an overdue review 500, a missing
/// self-assessment 400 (both hold up a colleague's or the person's own level), a key result
/// behind or not started 300, a stale feed 200, a downward trend 100 — plus its magnitude
/// (days late, percentage points behind, days stale beyond the window, the size of the drop),
/// at most 99, so that within a kind the worst comes first.
pub fn urgency(rule: Rule, magnitude: i64) -> i32 {
    let base = match rule {
        Rule::ReviewOverdue => 500,
        Rule::SelfDue => 400,
        Rule::Behind | Rule::NotStarted => 300,
        Rule::Stale | Rule::MetricStale => 200,
        Rule::OfficialDown | Rule::UnitDown => 100,
    };
    base + i32::try_from(magnitude.clamp(0, 99)).unwrap_or(0)
}

fn finding(rule: Rule, magnitude: i64, evidence: Evidence) -> Finding {
    Finding {
        rule,
        urgency: urgency(rule, magnitude),
        evidence,
    }
}

/// A key result as the pace rules see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrPace {
    /// Attainment, 0–1 ([`super::okr::kr_attainment`]).
    pub attainment: f64,
    /// Its period.
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The day of its last check-in, if any.
    pub last_check_in: Option<NaiveDate>,
}

/// The pace rules on `today`, within the key result's period: **not started** when it has
/// neither progress nor a check-in [`WarningRules::not_started_days`] days after the start;
/// else **behind** when `elapsed − attainment` exceeds [`WarningRules::pace_lag_percent`] ÷ 100
/// (elapsed: the share of the period gone, [`elapsed`]). Nothing before the start or after
/// the end (the period's result is then the assessment's).
pub fn pace(kr: KrPace, rules: &WarningRules, today: NaiveDate) -> Option<Finding> {
    if today < kr.starts_on || today > kr.ends_on {
        return None;
    }
    let days = (today - kr.starts_on).num_days();
    if kr.attainment <= 0.0
        && kr.last_check_in.is_none()
        && days >= i64::from(rules.not_started_days)
    {
        return Some(finding(
            Rule::NotStarted,
            days,
            Evidence::NotStarted {
                started_on: kr.starts_on,
                days,
            },
        ));
    }
    let expected = elapsed(kr.starts_on, kr.ends_on, today);
    let lag = expected - kr.attainment;
    (lag > f64::from(rules.pace_lag_percent) / 100.0).then(|| {
        finding(
            Rule::Behind,
            whole(lag * 100.0),
            Evidence::Behind {
                attainment: percent(kr.attainment),
                expected: percent(expected),
            },
        )
    })
}

#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a share in 0–1 clamped, as a whole percent"
)]
fn percent(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 100.0).round() as u32
}

/// The staleness rule: stale when the days since the last value (or, with none yet, since
/// `since`, the start of what is fed) exceed `every_days` plus [`WarningRules::grace_days`].
/// `rule` is [`Rule::Stale`] for a key result, [`Rule::MetricStale`] for a metric feed.
pub fn stale(
    rule: Rule,
    last: Option<NaiveDate>,
    since: NaiveDate,
    every_days: u32,
    rules: &WarningRules,
    today: NaiveDate,
) -> Option<Finding> {
    let days = (today - last.unwrap_or(since)).num_days();
    let window = i64::from(every_days) + i64::from(rules.grace_days);
    (days > window).then(|| {
        finding(
            rule,
            days - window,
            Evidence::Stale {
                last,
                days,
                every_days,
            },
        )
    })
}

/// The self-assessment rule: an assessment not yet self-assessed (draft, or returned for
/// revision) within [`WarningRules::self_due_days`] of its deadline, or past it.
pub fn self_due(
    state: AssessmentState,
    due_on: NaiveDate,
    rules: &WarningRules,
    today: NaiveDate,
) -> Option<Finding> {
    let waiting = matches!(state, AssessmentState::Draft | AssessmentState::Returned);
    let days_left = (due_on - today).num_days();
    (waiting && days_left <= i64::from(rules.self_due_days)).then(|| {
        finding(
            Rule::SelfDue,
            i64::from(rules.self_due_days) - days_left,
            Evidence::SelfDue { due_on, days_left },
        )
    })
}

/// The review rule: a self-assessed assessment whose review deadline passed more than
/// [`WarningRules::review_late_days`] days ago.
pub fn review_overdue(
    state: AssessmentState,
    due_on: NaiveDate,
    rules: &WarningRules,
    today: NaiveDate,
) -> Option<Finding> {
    let days_late = (today - due_on).num_days();
    (state == AssessmentState::SelfAssessed && days_late > i64::from(rules.review_late_days)).then(
        || {
            finding(
                Rule::ReviewOverdue,
                days_late,
                Evidence::ReviewOverdue { due_on, days_late },
            )
        },
    )
}

/// The downward-trend rule on scores oldest first (`rule`: [`Rule::OfficialDown`] or
/// [`Rule::UnitDown`]). With at least [`WarningRules::spc_min_points`] points, the
/// control-chart signals of the mean m and standard deviation σ of all the points: the last
/// point below m − k·σ (k = [`WarningRules::spc_sigmas`]), else the last
/// [`WarningRules::spc_run`] points all below m. Otherwise (or when neither signals): the last
/// [`WarningRules::trend_falls`] changes all falls. Magnitude: the points lost.
pub fn trend(rule: Rule, scores: &[f64], rules: &WarningRules) -> Option<Finding> {
    let n = scores.len();
    let points = u32::try_from(n).unwrap_or(u32::MAX);
    if points >= rules.spc_min_points && n >= 2 {
        let (mean, sigma) = mean_and_sd(scores);
        let last = scores[n - 1];
        let limit = mean - f64::from(rules.spc_sigmas) * sigma;
        if sigma > 0.0 && last < limit {
            return Some(finding(
                rule,
                whole(mean - last),
                Evidence::BeyondLimit {
                    score: last,
                    mean: round1(mean),
                    sigma: round1(sigma),
                    sigmas: rules.spc_sigmas,
                    points,
                },
            ));
        }
        let run = rules.spc_run as usize;
        if run <= n && scores[n - run..].iter().all(|s| *s < mean) {
            return Some(finding(
                rule,
                whole(mean - last),
                Evidence::BelowMean {
                    run: rules.spc_run,
                    points,
                    mean: round1(mean),
                },
            ));
        }
    }
    let falls = rules.trend_falls as usize;
    if n <= falls {
        return None;
    }
    let tail = &scores[n - falls - 1..];
    tail.windows(2).all(|w| w[1] < w[0]).then(|| {
        finding(
            rule,
            whole(tail[0] - tail[falls]),
            Evidence::Falling {
                scores: tail.to_vec(),
            },
        )
    })
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "points and days, far inside i64"
)]
fn whole(x: f64) -> i64 {
    x.round() as i64
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[expect(clippy::cast_precision_loss, reason = "point counts are small")]
fn mean_and_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn kr(attainment: f64, last: Option<NaiveDate>) -> KrPace {
        KrPace {
            attainment,
            starts_on: day(10, 1),
            ends_on: day(12, 31),
            last_check_in: last,
        }
    }

    #[test]
    fn pace_rules_on_a_table_of_key_results() {
        let rules = WarningRules::default();
        // 1 Oct – 31 Dec: 91 days; on 16 Nov 46 days gone, elapsed 0.505.
        let today = day(11, 16);
        let cases = [
            // (attainment, last check-in, rule found)
            (0.0, None, Some(Rule::NotStarted)),
            (0.0, Some(day(10, 20)), Some(Rule::Behind)), // 50.5 points behind
            (0.25, Some(day(11, 1)), Some(Rule::Behind)), // 25.5 > 25
            (0.26, Some(day(11, 1)), None),               // 24.5 ≤ 25
            (0.9, Some(day(11, 1)), None),
        ];
        for (attainment, last, expected) in cases {
            let got = pace(kr(attainment, last), &rules, today).map(|f| f.rule);
            assert_eq!(got, expected, "attainment {attainment}, last {last:?}");
        }
        let behind = pace(kr(0.25, Some(day(11, 1))), &rules, today).expect("behind");
        assert_eq!(
            behind.evidence,
            Evidence::Behind {
                attainment: 25,
                expected: 51
            }
        );
        assert_eq!(behind.urgency, 300 + 26);
    }

    #[test]
    fn a_key_result_is_not_started_only_after_the_days_allowed() {
        let rules = WarningRules::default();
        assert_eq!(pace(kr(0.0, None), &rules, day(10, 7)), None);
        let found = pace(kr(0.0, None), &rules, day(10, 8)).expect("7 days after the start");
        assert_eq!(
            found.evidence,
            Evidence::NotStarted {
                started_on: day(10, 1),
                days: 7
            }
        );
        // Outside its period nothing is said.
        assert_eq!(pace(kr(0.0, None), &rules, day(9, 30)), None);
        assert_eq!(
            pace(
                kr(0.0, None),
                &rules,
                NaiveDate::from_ymd_opt(2027, 1, 2).expect("d")
            ),
            None
        );
    }

    #[test]
    fn a_feed_is_stale_after_its_frequency_and_the_grace() {
        let rules = WarningRules::default(); // 30 + 7 days
        let today = day(11, 20);
        let stale_kr = |last| stale(Rule::Stale, last, day(10, 1), 30, &rules, today);
        assert_eq!(stale_kr(Some(day(10, 14))), None); // 37 days: not yet
        let found = stale_kr(Some(day(10, 13))).expect("38 days");
        assert_eq!(
            found.evidence,
            Evidence::Stale {
                last: Some(day(10, 13)),
                days: 38,
                every_days: 30
            }
        );
        assert_eq!(found.urgency, 201);
        // Never fed: counted from the start.
        let never = stale_kr(None).expect("50 days since the start");
        assert_eq!(never.urgency, 200 + 13);
        let metric = stale(
            Rule::MetricStale,
            Some(day(9, 30)),
            day(1, 1),
            31,
            &rules,
            today,
        )
        .expect("51 days > 38");
        assert_eq!(metric.rule, Rule::MetricStale);
    }

    #[test]
    fn self_assessment_and_review_deadlines() {
        let rules = WarningRules::default();
        let due = day(11, 24);
        use AssessmentState::*;
        let cases = [
            (Draft, day(11, 20), None),
            (Draft, day(11, 21), Some(3)),
            (Returned, day(11, 26), Some(-2)),
            (SelfAssessed, day(11, 26), None),
            (Approved, day(11, 26), None),
        ];
        for (state, today, days_left) in cases {
            let got = self_due(state, due, &rules, today).map(|f| f.evidence);
            let want = days_left.map(|days_left| Evidence::SelfDue {
                due_on: due,
                days_left,
            });
            assert_eq!(got, want, "{state:?} on {today}");
        }
        let review = day(11, 30);
        assert_eq!(
            review_overdue(SelfAssessed, review, &rules, day(11, 30)),
            None
        );
        let late = review_overdue(SelfAssessed, review, &rules, day(12, 3)).expect("3 days late");
        assert_eq!(late.urgency, 503);
        assert_eq!(review_overdue(Reviewed, review, &rules, day(12, 3)), None);
        // Overdue reviews come before missing self-assessments, which come before the rest.
        assert!(late.urgency > urgency(Rule::SelfDue, 99));
        assert!(urgency(Rule::SelfDue, 0) > urgency(Rule::Behind, 99));
    }

    #[test]
    fn two_falls_in_a_row_make_a_downward_trend() {
        let rules = WarningRules::default();
        let t = |s: &[f64]| trend(Rule::OfficialDown, s, &rules).map(|f| f.evidence);
        assert_eq!(
            t(&[90.0, 88.0, 85.0]),
            Some(Evidence::Falling {
                scores: vec![90.0, 88.0, 85.0]
            })
        );
        assert_eq!(t(&[90.0, 88.0, 88.0]), None);
        assert_eq!(t(&[88.0, 85.0]), None, "one fall is not a trend");
        assert_eq!(t(&[80.0, 90.0, 88.0, 86.0]).map(|_| ()), Some(()));
    }

    #[test]
    fn control_chart_signals_need_twelve_points() {
        let rules = WarningRules::default();
        // Eleven points: the run of six below the mean is not read; no two falls at the end.
        let eleven = [
            90.0, 91.0, 92.0, 93.0, 94.0, 80.0, 81.0, 80.0, 81.0, 80.0, 81.0,
        ];
        assert_eq!(trend(Rule::UnitDown, &eleven, &rules), None);
        // Twelve: six in a row below the mean (85.1).
        let twelve = [
            90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 80.0, 81.0, 80.0, 81.0, 80.0, 81.0,
        ];
        let found = trend(Rule::UnitDown, &twelve, &rules).expect("run below the mean");
        assert!(matches!(
            found.evidence,
            Evidence::BelowMean {
                run: 6,
                points: 12,
                ..
            }
        ));
        // A point beyond 3σ below the mean of steady scores.
        let mut steady = vec![
            90.0, 91.0, 90.0, 91.0, 90.0, 91.0, 90.0, 91.0, 90.0, 91.0, 90.0, 91.0, 90.0,
        ];
        steady.push(70.0);
        let found = trend(Rule::OfficialDown, &steady, &rules).expect("beyond 3σ");
        assert!(matches!(
            found.evidence,
            Evidence::BeyondLimit { sigmas: 3, .. }
        ));
    }

    #[test]
    fn rules_out_of_range_name_their_fields() {
        let mut values = WarningRules::default().values();
        assert_eq!(
            WarningRules::from_values(values),
            Ok(WarningRules::default())
        );
        values[0] = 0;
        values[8] = 100;
        let refused = WarningRules::from_values(values).expect_err("two fields");
        let fields: Vec<&str> = refused.iter().map(|i| i.field).collect();
        assert_eq!(fields, ["pace_lag_percent", "spc_min_points"]);
        let mut values = WarningRules::default().values();
        values[9] = 13; // a run longer than the 12 points needed
        let refused = WarningRules::from_values(values).expect_err("run");
        assert_eq!(refused[0].field, "spc_run");
    }

    #[test]
    fn stored_rules_missing_a_field_take_its_default() {
        let rules: WarningRules = serde_json::from_str(r#"{"grace_days": 3}"#).expect("json");
        assert_eq!(rules.grace_days, 3);
        assert_eq!(rules.pace_lag_percent, 25);
    }
}
