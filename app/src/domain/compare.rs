//! Comparing units: quartile tiers rather than bare ranks (as PAPI colours provinces), the
//! flags that make an "equalized" unit stand out, and staffing against the approved posts.
//! Pure; the leadership comparison page and its CSV use these.

use serde::{Deserialize, Serialize};

use super::equalize::{Group, Rules, detect};
use super::quota::demotions_needed;

/// Fewest officials with a level before a unit's distribution is judged at all.
pub const MIN_RATED: u32 = 5;

/// A unit is equalized when at least this share (%) of its rated officials have one level.
pub const EQUALIZED_SHARE: u32 = 90;

/// Decree 335 Art. 20: HTXSNV at most this share (%) of HTTNV.
pub const TOP_SHARE_OF_GOOD: u32 = 20;

/// The quartile tier of each score, 1 (top quarter) to 4; `None` without a score. Equal
/// scores share the tier of the first of them, so ties never split across tiers.
pub fn tiers(scores: &[Option<f64>]) -> Vec<Option<u8>> {
    let mut known: Vec<f64> = scores.iter().flatten().copied().collect();
    known.sort_by(|a, b| b.total_cmp(a));
    let n = known.len();
    scores
        .iter()
        .map(|s| {
            let s = (*s)?;
            let rank = known.iter().position(|k| k.total_cmp(&s).is_eq())?;
            u8::try_from(1 + 4 * rank / n.max(1)).ok()
        })
        .collect()
}

/// Why a unit's levels stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    /// At least [`EQUALIZED_SHARE`] % of the rated officials share one level.
    Equalized,
    /// More HTXSNV than [`TOP_SHARE_OF_GOOD`] % of HTTNV: this many would have to move down.
    OverQuota(u32),
    /// Its levels are concentrated beyond what the distribution of all the units compared
    /// explains ([`super::equalize`]), with the evidence.
    Concentrated(Concentration),
}

/// The evidence of a [`Flag::Concentrated`] unit, as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concentration {
    /// Its share (%, rounded) at HTXSNV, and that of all the units compared.
    pub top_percent: u32,
    pub overall_top_percent: u32,
    /// The standard deviation of its scores and of all the units' scores, in tenths of a
    /// point (rounded).
    pub spread_tenths: u32,
    pub overall_spread_tenths: u32,
    /// The chi-square test's p-value in millionths (rounded up, so 0 is never shown).
    pub p_millionths: u32,
}

/// The flags of a unit (its officials per level — HTXSNV, HTTNV, HTNV, KHTNV — and the spread
/// of its scores), compared, when given, with all the units compared (`overall`, the unit's
/// included).
pub fn flags(unit: Group, overall: Option<Group>) -> Vec<Flag> {
    let levels = unit.levels.0;
    let rated: u32 = levels.iter().sum();
    if rated < MIN_RATED {
        return Vec::new();
    }
    let mut found = Vec::new();
    let most = levels.iter().copied().max().unwrap_or(0);
    if 100 * u64::from(most) >= u64::from(EQUALIZED_SHARE) * u64::from(rated) {
        found.push(Flag::Equalized);
    }
    let [top, good, ..] = levels;
    let (top, good) = (top as usize, good as usize);
    let remove = demotions_needed(top, good, TOP_SHARE_OF_GOOD);
    if remove > 0 {
        found.push(Flag::OverQuota(u32::try_from(remove).unwrap_or(u32::MAX)));
    }
    if let Some(evidence) = overall.and_then(|overall| concentration(unit, overall)) {
        found.push(Flag::Concentrated(evidence));
    }
    found
}

/// The evidence that `group` (a unit, or the officials one reviewer assessed) is rated alike
/// beyond chance against `overall` ([`detect`] under the default rules); `None` when it is not.
pub fn concentration(group: Group, overall: Group) -> Option<Concentration> {
    let finding = detect(group, overall, &Rules::default());
    if !finding.flagged() {
        return None;
    }
    let percent = |share: f64| (share * 100.0).round() as u32;
    let tenths = |spread: Option<f64>| (spread.unwrap_or(0.0) * 10.0).round() as u32;
    Some(Concentration {
        top_percent: percent(finding.top_share),
        overall_top_percent: percent(finding.province_top_share),
        spread_tenths: tenths(finding.spread),
        overall_spread_tenths: tenths(finding.province_spread),
        p_millionths: ((finding.test.p_value * 1e6).ceil() as u32).max(1),
    })
}

/// What the database adds up of the assessments one reviewer gave in a cycle: the levels
/// (HTXSNV, HTTNV, HTNV, KHTNV; approved, else proposed), how many have a score, their sum and
/// the sum of their squares.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewerSums {
    pub reviewer_id: i64,
    pub name: String,
    /// The reviewer's own unit.
    pub unit: String,
    pub levels: [u32; 4],
    pub scored: u32,
    pub sum: f64,
    pub squares: f64,
}

/// A reviewer whose levels are rated alike beyond chance, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedReviewer {
    pub reviewer_id: i64,
    pub name: String,
    pub unit: String,
    /// Officials they rated in the cycle.
    pub rated: u32,
    pub evidence: Concentration,
}

/// The reviewers (any order) rated alike beyond chance against `overall` ([`concentration`]),
/// the most concentrated at the top level first, then by name.
pub fn flagged_reviewers(
    reviewers: impl IntoIterator<Item = ReviewerSums>,
    overall: Group,
) -> Vec<FlaggedReviewer> {
    let mut found: Vec<FlaggedReviewer> = reviewers
        .into_iter()
        .filter_map(|r| {
            let spread = super::equalize::spread_of_sums(f64::from(r.scored), r.sum, r.squares);
            let evidence = concentration(Group::new(r.levels, spread), overall)?;
            Some(FlaggedReviewer {
                reviewer_id: r.reviewer_id,
                rated: r.levels.iter().sum(),
                name: r.name,
                unit: r.unit,
                evidence,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.evidence
            .top_percent
            .cmp(&a.evidence.top_percent)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.reviewer_id.cmp(&b.reviewer_id))
    });
    found
}

/// The reviewers a comparison tested (those who rated enough officials to be judged) and
/// those flagged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerCheck {
    pub judged: u32,
    /// The least rated a reviewer must have to be judged.
    pub min_rated: u32,
    pub flagged: Vec<FlaggedReviewer>,
}

/// Staffing against the approved posts: positive a surplus, negative a shortage.
pub fn staffing_gap(officials: u32, approved: u32) -> i64 {
    i64::from(officials) - i64::from(approved)
}

/// One unit of the comparison, as the page and its CSV show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedUnit {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub kind: super::vocab::UnitKind,
    /// Active officials now, approved posts, and the gap (surplus > 0, shortage < 0).
    pub officials: u32,
    pub approved: u32,
    pub gap: i64,
    /// Officials with a score in the cycle, and their mean.
    pub assessed: u32,
    pub avg_score: Option<f64>,
    /// Officials per level (HTXSNV, HTTNV, HTNV, KHTNV): approved, else proposed.
    pub levels: [u32; 4],
    pub tier: Option<u8>,
    pub flags: Vec<Flag>,
    pub at_risk_key_results: u32,
    pub stale_key_results: u32,
    /// The latest on-time and online rates of its procedures up to the cycle's end, each
    /// against the unit's target.
    pub on_time: Option<super::metrics::MetricValue>,
    pub online: Option<super::metrics::MetricValue>,
    /// The mean score over the last cycles of the same kind, oldest first, as a small SVG.
    pub trend_svg: String,
}

/// A drawn chart as it crosses to the page: the SVG (title and description inside) and its
/// numbers as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartData {
    pub id: String,
    pub title: String,
    /// What the chart shows and how to read it (also inside the SVG).
    pub description: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A cycle one may compare in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleChoice {
    pub code: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

/// The leadership comparison of one cycle: a page of units best first, the tiers over all of
/// them, the best unit as the reference, and the distribution of their scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub cycles: Vec<CycleChoice>,
    /// The cycle compared (`None`: no cycle yet).
    pub cycle: Option<String>,
    pub units: Vec<ComparedUnit>,
    /// Units compared in all (the page holds at most a few hundred).
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    /// The best unit's name and mean score: the reference bar.
    pub best: Option<(String, f64)>,
    pub distribution: Option<ChartData>,
    /// Small multiples: each unit of the page's share of officials per level.
    pub multiples: Option<ChartData>,
    /// Units with any flag, among all compared.
    pub flagged: u64,
    /// The reviewers of the units compared, tested against all of them.
    pub reviewers: ReviewerCheck,
}

impl Comparison {
    /// Every chart of the page.
    pub fn into_charts(self) -> Vec<ChartData> {
        self.distribution
            .into_iter()
            .chain(self.multiples)
            .collect()
    }
}

/// A unit as a link: id, code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A former unit merged into this one, and the day it ceased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedUnit {
    pub code: String,
    pub name: String,
    pub until: Option<chrono::NaiveDate>,
}

/// One official's level in each cycle of a status matrix (`None`: no level yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    pub official_id: i64,
    pub full_name: String,
    pub levels: Vec<Option<super::Level>>,
}

/// A unit's dashboard in one cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitDashboard {
    pub unit: UnitRef,
    pub kind: super::vocab::UnitKind,
    pub parent: Option<UnitRef>,
    pub officials: u32,
    pub approved: u32,
    pub gap: i64,
    pub merged_from: Vec<MergedUnit>,
    pub cycles: Vec<CycleChoice>,
    pub cycle: Option<String>,
    /// The unit's figures in the cycle (absent: no rollup yet).
    pub avg_score: Option<f64>,
    pub assessed: u32,
    pub levels: [u32; 4],
    /// Its flags, the concentration tested against all the units of its province.
    pub flags: Vec<Flag>,
    /// The reviewers of its people, tested against the province.
    pub reviewers: ReviewerCheck,
    /// The unit's key results in the cycles overlapping this one, and how many of them are
    /// at risk or stale now.
    pub key_results: u32,
    pub at_risk_key_results: u32,
    pub stale_key_results: u32,
    /// Those at risk or stale, the worst first (at most a page of them), of how many.
    pub watch: Vec<super::rollup::KrWatch>,
    pub watch_flagged: u32,
    /// Levels against the quota, drawn.
    pub chart: Option<ChartData>,
    /// The unit's service metrics against their targets.
    pub metrics: Vec<super::metrics::UnitMetric>,
    /// The cycles of the status matrix (oldest first) and its rows.
    pub matrix_cycles: Vec<String>,
    pub matrix: Vec<StatusRow>,
}

impl UnitDashboard {
    /// Every chart of the page.
    pub fn into_charts(self) -> Vec<ChartData> {
        self.chart
            .into_iter()
            .chain(self.metrics.into_iter().filter_map(|m| m.chart))
            .collect()
    }
}

/// An official's charts: the score over the recent periods, and each key result of their
/// latest cycle against its pace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialCharts {
    pub trend: Option<ChartData>,
    pub pace: Vec<ChartData>,
}

impl OfficialCharts {
    /// Every chart of the page.
    pub fn into_charts(self) -> Vec<ChartData> {
        self.trend.into_iter().chain(self.pace).collect()
    }
}

/// The most HTXSNV the quota allows beside `good` HTTNV (Decree 335 Art. 20).
pub fn top_cap(good: u32) -> u32 {
    good * TOP_SHARE_OF_GOOD / 100
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(id: i64, name: &str, levels: [u32; 4], scores: &[f64]) -> ReviewerSums {
        ReviewerSums {
            reviewer_id: id,
            name: name.into(),
            unit: "Phường A".into(),
            levels,
            scored: scores.len() as u32,
            sum: scores.iter().sum(),
            squares: scores.iter().map(|s| s * s).sum(),
        }
    }

    #[test]
    fn a_reviewer_rating_everyone_excellent_alike_is_flagged_others_are_not() {
        // The province: a spread of levels and of scores.
        let overall = Group::new([40, 300, 120, 20], Some(8.0));
        let alike: Vec<f64> = (0..12).map(|i| 93.0 + f64::from(i % 2)).collect();
        let varied: Vec<f64> = (0..12).map(|i| 60.0 + 3.0 * f64::from(i)).collect();
        let found = flagged_reviewers(
            [
                // Twelve rated, all HTXSNV with scores a point apart: flagged.
                sums(1, "Lê Văn B", [12, 0, 0, 0], &alike),
                // As many, rated like the province: not.
                sums(2, "Trần Thị C", [1, 8, 3, 0], &varied),
                // All HTXSNV but too few to judge.
                sums(3, "Phạm D", [6, 0, 0, 0], &alike[..6]),
                // All excellent, but their scores vary as much as anyone's.
                sums(4, "Ngô E", [12, 0, 0, 0], &varied),
            ],
            overall,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        let b = &found[0];
        assert_eq!((b.reviewer_id, b.rated), (1, 12));
        assert_eq!(b.evidence.top_percent, 100);
        assert_eq!(b.evidence.overall_top_percent, 8);
        assert_eq!(b.evidence.spread_tenths, 5);
        assert_eq!(b.evidence.overall_spread_tenths, 80);
    }

    #[test]
    fn tiers_are_quartiles_and_ties_stay_together() {
        let scores = [
            Some(91.0),
            Some(88.0),
            None,
            Some(88.0),
            Some(80.0),
            Some(75.0),
            Some(70.0),
            Some(65.0),
            Some(60.0),
        ];
        assert_eq!(
            tiers(&scores),
            [
                Some(1),
                Some(1),
                None,
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(4),
                Some(4)
            ]
        );
        assert_eq!(tiers(&[Some(50.0)]), [Some(1)]);
        assert!(tiers(&[]).is_empty());
    }

    #[test]
    fn an_equalized_unit_and_one_over_the_quota_are_flagged() {
        // Phường An Cựu in the demo: 22 of 35 proposed HTXSNV.
        assert_eq!(alone([22, 10, 3, 0]), [Flag::OverQuota(17)]);
        assert_eq!(alone([0, 19, 1, 0]), [Flag::Equalized]);
        assert_eq!(alone([10, 0, 0, 0]), [Flag::Equalized, Flag::OverQuota(9)]);
        assert_eq!(alone([2, 10, 3, 1]), []);
        // Too few rated to judge.
        assert_eq!(alone([4, 0, 0, 0]), []);
    }

    /// The flags of a unit judged on its own.
    fn alone(levels: [u32; 4]) -> Vec<Flag> {
        flags(unit(levels, None), None)
    }

    fn unit(levels: [u32; 4], spread: Option<f64>) -> Group {
        Group {
            levels: crate::domain::equalize::LevelCounts(levels),
            spread,
        }
    }

    #[test]
    fn a_unit_rated_alike_beyond_the_units_compared_carries_its_evidence() {
        // All units compared: 10 % HTXSNV, 60 % HTTNV, 25 % HTNV, 5 % KHTNV; spread 12 points.
        let overall = Some(unit([100, 600, 250, 50], Some(12.0)));
        let [.., Flag::Concentrated(evidence)] = flags(unit([12, 0, 0, 0], Some(0.5)), overall)[..]
        else {
            panic!("a unit all at HTXSNV with scores alike is concentrated");
        };
        assert_eq!(
            (evidence.top_percent, evidence.overall_top_percent),
            (100, 10)
        );
        assert_eq!(evidence.p_millionths, 1);
        assert_eq!(
            (evidence.spread_tenths, evidence.overall_spread_tenths),
            (5, 120)
        );
        // Rated like the others, or lower down and spread out, or its scores as varied as
        // anyone's: not equalization.
        assert_eq!(flags(unit([2, 12, 5, 1], Some(0.5)), overall), []);
        assert_eq!(flags(unit([1, 5, 7, 7], Some(0.5)), overall), []);
        assert_eq!(
            flags(unit([12, 0, 0, 0], Some(10.0)), overall),
            [Flag::Equalized, Flag::OverQuota(10)]
        );
    }

    #[test]
    fn the_cap_is_a_fifth_of_httnv_rounded_down() {
        assert_eq!(top_cap(10), 2);
        assert_eq!(top_cap(14), 2);
        assert_eq!(top_cap(4), 0);
        // Consistent with the flag: at the cap nothing must move down, one above it must.
        assert_eq!(alone([2, 10, 0, 0]), []);
        assert_eq!(alone([3, 10, 0, 0]), [Flag::OverQuota(1)]);
    }

    #[test]
    fn the_gap_is_officials_minus_posts() {
        assert_eq!(staffing_gap(41, 30), 11);
        assert_eq!(staffing_gap(23, 36), -13);
    }
}
