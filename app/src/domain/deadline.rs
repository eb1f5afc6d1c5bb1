//! Deadlines of an evaluation cycle and how near they are, in Vietnam's local dates.
//!
//! The legal defaults, by the cycle's period:
//!
//! * **month** and **quarter**: the self-assessment (the period's report) is due **before the
//!   25th** of the period's last month, i.e. on the 24th (Khánh Hòa's KPI rules: a late report
//!   counts as not done); the reviewer's score on the period's last day; the approval on the
//!   5th of the next month;
//! * **year**: the classification is due **before 15 December** (Decree 335/2025 Art. 21), so
//!   the approval on 14 December; the review on 10 December; the self-assessment on
//!   5 December (the two earlier dates are this product's defaults, leaving each step five and
//!   four days).
//!
//! Whose turn it is follows the assessment's state: a draft or returned assessment waits on
//! the official, a self-assessed one on the reviewer, a reviewed one on the approver.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::lifecycle::AssessmentState;

/// Vietnam's offset from UTC (+7 hours, no daylight saving).
pub const VIETNAM_OFFSET_HOURS: i64 = 7;

/// How many days ahead a deadline counts as near.
pub const SOON_DAYS: i64 = 3;

/// The local (Vietnam) date of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(VIETNAM_OFFSET_HOURS)).date_naive()
}

/// The code, first day and last day of period `number` of `year` for a cycle of
/// `period_kind`: a month `2026-11` (1–12), a quarter `2026-Q4` (1–4), the year `2026` (1);
/// `None` for a number out of range, an unknown kind, or a year outside 2000–2100.
pub fn period(period_kind: &str, year: i32, number: u32) -> Option<(String, NaiveDate, NaiveDate)> {
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let (code, first_month, months) = match (period_kind, number) {
        ("month", 1..=12) => (format!("{year}-{number:02}"), number, 1),
        ("quarter", 1..=4) => (format!("{year}-Q{number}"), 3 * (number - 1) + 1, 3),
        ("year", 1) => (year.to_string(), 1, 12),
        _ => return None,
    };
    let starts_on = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let ends_on = starts_on
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()?;
    Some((code, starts_on, ends_on))
}

/// The three deadlines of a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub self_assessment: NaiveDate,
    pub review: NaiveDate,
    pub approval: NaiveDate,
}

impl Deadlines {
    /// The legal defaults of a cycle of `period_kind` (`month`, `quarter` or `year`) ending on
    /// `ends_on` (its last day); `None` for an unknown kind.
    pub fn legal(period_kind: &str, ends_on: NaiveDate) -> Option<Deadlines> {
        match period_kind {
            "month" | "quarter" => {
                let self_assessment = ends_on.with_day(24)?;
                let next_month = ends_on.checked_add_signed(Duration::days(1))?;
                Some(Deadlines {
                    self_assessment,
                    review: ends_on,
                    approval: next_month.with_day(5)?,
                })
            }
            "year" => {
                let year = ends_on.year();
                let day = |d| NaiveDate::from_ymd_opt(year, 12, d);
                Some(Deadlines {
                    self_assessment: day(5)?,
                    review: day(10)?,
                    approval: day(14)?,
                })
            }
            _ => None,
        }
    }

    /// Who acts next on an assessment in `state`, and by when; `None` once approved.
    pub fn next(&self, state: AssessmentState) -> Option<(Turn, NaiveDate)> {
        match state {
            AssessmentState::Draft | AssessmentState::Returned => {
                Some((Turn::Official, self.self_assessment))
            }
            AssessmentState::SelfAssessed => Some((Turn::Reviewer, self.review)),
            AssessmentState::Reviewed => Some((Turn::Approver, self.approval)),
            AssessmentState::Approved => None,
        }
    }

    /// [`Deadlines::next`], with how near the deadline is on `today`.
    pub fn next_step(&self, state: AssessmentState, today: NaiveDate) -> Option<NextStep> {
        self.next(state).map(|(turn, due)| NextStep {
            turn,
            due,
            nearness: Due::of(due, today),
        })
    }
}

/// A cycle's own deadlines, each replacing its legal default when set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Overrides {
    pub self_assessment: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub approval: Option<NaiveDate>,
}

impl Deadlines {
    /// A cycle's deadlines: the legal defaults of its period with its own in their place.
    pub fn of_cycle(period_kind: &str, ends_on: NaiveDate, own: Overrides) -> Option<Deadlines> {
        Deadlines::legal(period_kind, ends_on).map(|legal| Deadlines {
            self_assessment: own.self_assessment.unwrap_or(legal.self_assessment),
            review: own.review.unwrap_or(legal.review),
            approval: own.approval.unwrap_or(legal.approval),
        })
    }
}

/// The form fields of a cycle's three deadlines, in order.
pub const DEADLINE_FIELDS: [&str; 3] = ["deadline_self", "deadline_review", "deadline_approval"];

/// Checks a cycle's own deadlines as typed (`YYYY-MM-DD`; empty keeps the legal default) for
/// a cycle of `period_kind` from `starts_on` to `ends_on`: each a date, none before the
/// cycle's start, and in order (the self-assessment, then the review, then the approval; equal
/// days allowed). Returns only those that differ from their default, so that a date typed as
/// the default stays the default.
pub fn check_overrides(
    period_kind: &str,
    (starts_on, ends_on): (NaiveDate, NaiveDate),
    typed: [&str; 3],
) -> Result<Overrides, super::check_in::Invalid> {
    use super::check_in::Invalid;
    let Some(legal) = Deadlines::legal(period_kind, ends_on) else {
        return Err(Invalid {
            field: "period_kind",
            key: "required_value",
        });
    };
    let defaults = [legal.self_assessment, legal.review, legal.approval];
    let mut dates = defaults;
    for (i, text) in typed.iter().enumerate() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| Invalid {
            field: DEADLINE_FIELDS[i],
            key: "not_a_date",
        })?;
        if day < starts_on {
            return Err(Invalid {
                field: DEADLINE_FIELDS[i],
                key: "deadline_before_start",
            });
        }
        dates[i] = day;
    }
    for i in 1..3 {
        if dates[i] < dates[i - 1] {
            return Err(Invalid {
                field: DEADLINE_FIELDS[i],
                key: "deadline_order",
            });
        }
    }
    let own = |i: usize| (dates[i] != defaults[i]).then_some(dates[i]);
    Ok(Overrides {
        self_assessment: own(0),
        review: own(1),
        approval: own(2),
    })
}

/// Who acts next on an assessment, by when, and how near that is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub turn: Turn,
    pub due: NaiveDate,
    pub nearness: Due,
}

/// Assessments counted against their deadlines: how many, how many past them, the nearest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u64,
    pub overdue: u64,
    pub nearest: Option<NaiveDate>,
}

/// Sums the groups of assessments — each its cycle's deadlines, a state and how many — whose
/// turn is `turn`, seen on `today`.
pub fn tally(
    groups: impl IntoIterator<Item = (Option<Deadlines>, AssessmentState, u64)>,
    turn: Turn,
    today: NaiveDate,
) -> Tally {
    let mut sum = Tally::default();
    for (deadlines, state, n) in groups {
        let Some((whose, due)) = deadlines.and_then(|d| d.next(state)) else {
            continue;
        };
        if whose != turn {
            continue;
        }
        sum.count += n;
        if matches!(Due::of(due, today), Due::Overdue(_)) {
            sum.overdue += n;
        }
        sum.nearest = Some(sum.nearest.map_or(due, |d| d.min(due)));
    }
    sum
}

/// Whose turn it is on an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Turn {
    Official,
    Reviewer,
    Approver,
}

/// How near a deadline is, seen on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Due {
    /// Passed this many days ago (≥ 1).
    Overdue(i64),
    /// Due today.
    Today,
    /// Due in this many days, at most [`SOON_DAYS`].
    Soon(i64),
    /// Due later.
    Later,
}

impl Due {
    /// How near `deadline` is on `today`.
    pub fn of(deadline: NaiveDate, today: NaiveDate) -> Due {
        let days = (deadline - today).num_days();
        match days {
            d if d < 0 => Due::Overdue(-d),
            0 => Due::Today,
            d if d <= SOON_DAYS => Due::Soon(d),
            _ => Due::Later,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn legal_defaults_by_period() {
        let table = [
            (
                "month",
                d(2026, 11, 30),
                d(2026, 11, 24),
                d(2026, 11, 30),
                d(2026, 12, 5),
            ),
            (
                "month",
                d(2026, 12, 31),
                d(2026, 12, 24),
                d(2026, 12, 31),
                d(2027, 1, 5),
            ),
            (
                "month",
                d(2027, 2, 28),
                d(2027, 2, 24),
                d(2027, 2, 28),
                d(2027, 3, 5),
            ),
            (
                "quarter",
                d(2026, 9, 30),
                d(2026, 9, 24),
                d(2026, 9, 30),
                d(2026, 10, 5),
            ),
            (
                "year",
                d(2026, 12, 31),
                d(2026, 12, 5),
                d(2026, 12, 10),
                d(2026, 12, 14),
            ),
        ];
        for (kind, ends, own, review, approval) in table {
            let got = Deadlines::legal(kind, ends).expect(kind);
            assert_eq!(
                got,
                Deadlines {
                    self_assessment: own,
                    review,
                    approval
                },
                "{kind} ending {ends}"
            );
        }
        assert_eq!(Deadlines::legal("week", d(2026, 11, 30)), None);
    }

    #[test]
    fn a_cycle_sets_its_own_deadlines_in_order_and_keeps_the_defaults_otherwise() {
        let month = (d(2026, 11, 1), d(2026, 11, 30));
        let check = |typed| check_overrides("month", month, typed);
        // Nothing typed, or the defaults typed: the defaults.
        assert_eq!(check(["", "", ""]), Ok(Overrides::default()));
        assert_eq!(
            check(["2026-11-24", "2026-11-30", ""]),
            Ok(Overrides::default())
        );
        // A later review: only that one is the cycle's own.
        let own = check(["", "2026-12-03", ""]).ok();
        assert_eq!(
            own,
            Some(Overrides {
                review: Some(d(2026, 12, 3)),
                ..Overrides::default()
            })
        );
        let deadlines = own.and_then(|o| Deadlines::of_cycle("month", month.1, o));
        assert_eq!(
            deadlines.map(|d| (d.self_assessment, d.review, d.approval)),
            Some((d(2026, 11, 24), d(2026, 12, 3), d(2026, 12, 5)))
        );
        // Refused, naming the field: (typed, field, key).
        let refused = [
            (["24/11/2026", "", ""], "deadline_self", "not_a_date"),
            (
                ["2026-10-31", "", ""],
                "deadline_self",
                "deadline_before_start",
            ),
            (
                ["", "2026-12-06", ""],
                "deadline_approval",
                "deadline_order",
            ),
            (["2026-12-01", "", ""], "deadline_review", "deadline_order"),
        ];
        for (typed, field, key) in refused {
            let error = check(typed).err();
            assert_eq!(
                error.map(|e| (e.field, e.key)),
                Some((field, key)),
                "{typed:?}"
            );
        }
        // Equal days are in order.
        assert!(check(["2026-11-30", "2026-11-30", "2026-11-30"]).is_ok());
        assert!(check_overrides("decade", month, ["", "", ""]).is_err());
    }

    #[test]
    fn periods_by_kind() {
        assert_eq!(
            period("month", 2026, 2),
            Some(("2026-02".into(), d(2026, 2, 1), d(2026, 2, 28)))
        );
        assert_eq!(
            period("month", 2028, 2),
            Some(("2028-02".into(), d(2028, 2, 1), d(2028, 2, 29)))
        );
        assert_eq!(
            period("quarter", 2026, 4),
            Some(("2026-Q4".into(), d(2026, 10, 1), d(2026, 12, 31)))
        );
        assert_eq!(
            period("year", 2026, 1),
            Some(("2026".into(), d(2026, 1, 1), d(2026, 12, 31)))
        );
        for (kind, year, number) in [
            ("month", 2026, 0),
            ("month", 2026, 13),
            ("quarter", 2026, 5),
            ("year", 2026, 2),
            ("week", 2026, 1),
            ("month", 1999, 1),
            ("month", 2101, 1),
        ] {
            assert_eq!(period(kind, year, number), None, "{kind} {year} {number}");
        }
    }

    #[test]
    fn whose_turn_follows_the_state() {
        let dl = Deadlines::legal("month", d(2026, 11, 30)).expect("month");
        use AssessmentState::*;
        assert_eq!(dl.next(Draft), Some((Turn::Official, d(2026, 11, 24))));
        assert_eq!(dl.next(Returned), Some((Turn::Official, d(2026, 11, 24))));
        assert_eq!(
            dl.next(SelfAssessed),
            Some((Turn::Reviewer, d(2026, 11, 30)))
        );
        assert_eq!(dl.next(Reviewed), Some((Turn::Approver, d(2026, 12, 5))));
        assert_eq!(dl.next(Approved), None);
    }

    #[test]
    fn groups_are_tallied_by_whose_turn_it_is() {
        let november = Deadlines::legal("month", d(2026, 11, 30));
        let december = Deadlines::legal("month", d(2026, 12, 31));
        use AssessmentState::*;
        let groups = [
            (november, SelfAssessed, 3),
            (december, SelfAssessed, 4),
            (november, Reviewed, 5),
            (november, Draft, 6),
            (december, Returned, 7),
            (None, SelfAssessed, 100),
        ];
        let today = d(2026, 12, 2);
        let reviewer = tally(groups, Turn::Reviewer, today);
        assert_eq!(
            reviewer,
            Tally {
                count: 7,
                overdue: 3,
                nearest: Some(d(2026, 11, 30))
            }
        );
        let official = tally(groups, Turn::Official, today);
        assert_eq!((official.count, official.overdue), (13, 6));
        assert_eq!(official.nearest, Some(d(2026, 11, 24)));
        assert_eq!(tally([], Turn::Approver, today), Tally::default());
    }

    #[test]
    fn nearness_of_a_deadline() {
        let deadline = d(2026, 11, 24);
        assert_eq!(Due::of(deadline, d(2026, 11, 26)), Due::Overdue(2));
        assert_eq!(Due::of(deadline, d(2026, 11, 24)), Due::Today);
        assert_eq!(Due::of(deadline, d(2026, 11, 21)), Due::Soon(3));
        assert_eq!(Due::of(deadline, d(2026, 11, 20)), Due::Later);
    }

    #[test]
    fn local_date_is_vietnam_time() {
        let late_evening_utc = d(2026, 11, 30)
            .and_hms_opt(17, 30, 0)
            .expect("time")
            .and_utc();
        assert_eq!(local_date(late_evening_utc), d(2026, 12, 1));
        let afternoon_utc = d(2026, 11, 30)
            .and_hms_opt(16, 59, 0)
            .expect("time")
            .and_utc();
        assert_eq!(local_date(afternoon_utc), d(2026, 11, 30));
    }
}
