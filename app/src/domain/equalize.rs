//! The equalization detector: whether a group's levels — a unit's, or those one reviewer
//! proposed — are concentrated beyond what the province's own distribution explains, the
//! "equalization and formality" in assessment the Party's resolutions ask to overcome.
//!
//! A group is compared with its province on three pieces of evidence:
//! * the **share at the top level** (HTXSNV), the group's against the province's;
//! * the **concentration** of its levels: the sum of the squared shares of the four levels
//!   (1 when everyone has one level, ¼ when the four are equal), against the province's;
//! * a **chi-square goodness-of-fit test** of its level counts against the counts the
//!   province's shares would give a group of its size, as 9Boxer tests a distribution: the
//!   statistic `Σ (observed − expected)² ÷ expected` over the levels the province uses, with
//!   one degree of freedom fewer than those levels, and its p-value (the chance of a
//!   difference at least this large if the group were rated like the province).
//!
//! A group is **flagged** when it has at least [`Rules::min_rated`] rated officials, its
//! p-value is below [`Rules::significance`], its levels are more concentrated than the
//! province's, **and** its scores spread less than [`Rules::narrow_spread`] of the
//! province's (standard deviations). Each condition alone is not equalization: a group rated
//! differently but spread out (more people lower down) is not; a strong unit, whose many
//! HTXSNV follow scores as varied as anyone's, is not (the quota check covers its count); a
//! unit whose scores are alike but whose levels look like everyone's is not. Everyone rated
//! alike and high, as in the demo's three communes, is.
//!
//! The province's counts include the group's own, as a comparison with the whole population
//! does; its spread is pooled from the groups' counts, means and spreads ([`pooled_spread`]).
//! p-values are exact for the one to three degrees of freedom four levels allow.

use serde::{Deserialize, Serialize};

use super::level::Level;

/// How many officials of a group have each level, in the order of [`Level::ALL`] (HTXSNV,
/// HTTNV, HTNV, KHTNV).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts(pub [u32; 4]);

impl LevelCounts {
    /// The counts of these levels.
    pub fn of(levels: impl IntoIterator<Item = Level>) -> Self {
        let mut counts = [0; 4];
        for level in levels {
            counts[index(level)] += 1;
        }
        LevelCounts(counts)
    }

    /// How many have a level.
    pub fn rated(&self) -> u32 {
        self.0.iter().sum()
    }

    /// The share (0–1) of each level; all zero when nobody is rated.
    pub fn shares(&self) -> [f64; 4] {
        let n = f64::from(self.rated());
        self.0.map(|c| if n > 0.0 { f64::from(c) / n } else { 0.0 })
    }

    /// The share (0–1) at the top level.
    pub fn top_share(&self) -> f64 {
        self.shares()[0]
    }

    /// The sum of the squared shares: 1 when everyone has one level, ¼ when the four levels
    /// are equally shared; 0 when nobody is rated.
    pub fn concentration(&self) -> f64 {
        self.shares().iter().map(|s| s * s).sum()
    }
}

/// The place of `level` in [`Level::ALL`].
fn index(level: Level) -> usize {
    Level::ALL.iter().position(|l| *l == level).unwrap_or(0)
}

/// The thresholds of the detector; the defaults are documented on each field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// A group with fewer rated officials is not judged (default 10: below that a chi-square
    /// test has too little to go on, and the quota's own check covers small units).
    pub min_rated: u32,
    /// p-value below which a difference counts (default 0.01: one chance in a hundred that a
    /// group rated like the province looks this different; with about 3,300 units a looser
    /// threshold would flag dozens by chance).
    pub significance: f64,
    /// A score spread below this share of the province's is narrow (default 0.5).
    pub narrow_spread: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_rated: 10,
            significance: 0.01,
            narrow_spread: 0.5,
        }
    }
}

/// A chi-square goodness-of-fit test of a group's counts against the province's shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    /// `Σ (observed − expected)² ÷ expected` over the levels the province uses; infinite when
    /// the group has a level the province has nobody at.
    pub statistic: f64,
    /// The levels the province uses, less one (0 when it uses one level: nothing to test).
    pub degrees_of_freedom: u32,
    /// The chance of a statistic at least this large for a group rated like the province.
    pub p_value: f64,
}

/// The test of `group` against `province`.
pub fn chi_square(group: &LevelCounts, province: &LevelCounts) -> ChiSquare {
    let n = f64::from(group.rated());
    if n == 0.0 {
        return ChiSquare {
            statistic: 0.0,
            degrees_of_freedom: 0,
            p_value: 1.0,
        };
    }
    let mut statistic = 0.0;
    let mut used = 0;
    for (observed, share) in group.0.iter().zip(province.shares()) {
        let observed = f64::from(*observed);
        if share > 0.0 {
            used += 1;
            let expected = n * share;
            statistic += (observed - expected).powi(2) / expected;
        } else if observed > 0.0 {
            statistic = f64::INFINITY;
        }
    }
    let degrees_of_freedom = used.max(1) - 1;
    ChiSquare {
        statistic,
        degrees_of_freedom,
        p_value: upper_tail(statistic, degrees_of_freedom),
    }
}

/// `P(X ≥ x)` for `X` chi-square with `df` degrees of freedom, exact for `df` 0 to 3 (the
/// closed forms of the distribution for one and three degrees of freedom use the
/// complementary error function). More than 3 does not arise with four levels: 1 is answered.
pub fn upper_tail(x: f64, df: u32) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    let half = x / 2.0;
    let p = match df {
        1 => libm::erfc(half.sqrt()),
        2 => (-half).exp(),
        3 => libm::erfc(half.sqrt()) + (2.0 * x / std::f64::consts::PI).sqrt() * (-half).exp(),
        _ => 1.0,
    };
    p.clamp(0.0, 1.0)
}

/// The standard deviation of the scores of several groups taken together, from each group's
/// `(count, mean, standard deviation)`: the pooled second moment less the squared mean
/// (exact, no score read twice); `None` for fewer than two scores.
pub fn pooled_spread(groups: impl IntoIterator<Item = (u32, f64, f64)>) -> Option<f64> {
    let (mut n, mut sum, mut squares) = (0.0, 0.0, 0.0);
    for (count, mean, spread) in groups {
        let count = f64::from(count);
        n += count;
        sum += count * mean;
        squares += count * (spread * spread + mean * mean);
    }
    spread_of_sums(n, sum, squares)
}

/// The standard deviation of `n` scores from their sum and the sum of their squares (what a
/// database adds up in one pass); `None` for fewer than two scores.
pub fn spread_of_sums(n: f64, sum: f64, squares: f64) -> Option<f64> {
    if n < 2.0 {
        return None;
    }
    let mean = sum / n;
    Some((squares / n - mean * mean).max(0.0).sqrt())
}

/// The standard deviation of `scores` (population); `None` for fewer than two.
pub fn spread(scores: &[f64]) -> Option<f64> {
    if scores.len() < 2 {
        return None;
    }
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    Some((scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt())
}

/// Why a group is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// Its levels differ from the province's beyond chance and are more concentrated.
    Concentrated,
    /// Its scores spread less than [`Rules::narrow_spread`] of the province's.
    NarrowSpread,
    /// More of it is at the top level than of the province (said besides).
    TopHeavy,
}

/// A group's evidence and verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Officials of the group with a level.
    pub rated: u32,
    /// The group's share (0–1) at the top level, and the province's.
    pub top_share: f64,
    pub province_top_share: f64,
    /// The group's concentration of levels, and the province's.
    pub concentration: f64,
    pub province_concentration: f64,
    /// The test against the province.
    pub test: ChiSquare,
    /// The group's score spread, and the province's (`None` with fewer than two scores).
    pub spread: Option<f64>,
    pub province_spread: Option<f64>,
    /// Whether the group could be judged: enough rated officials, both spreads known.
    pub judged: bool,
    /// Empty unless flagged; [`Reason::Concentrated`] first when it is.
    pub reasons: Vec<Reason>,
}

impl Finding {
    /// Whether the group is flagged as equalized.
    pub fn flagged(&self) -> bool {
        !self.reasons.is_empty()
    }
}

/// A group's levels, and the spread of its scores ([`spread`], [`pooled_spread`]).
#[derive(Debug, Clone, Copy)]
pub struct Group {
    pub levels: LevelCounts,
    pub spread: Option<f64>,
}

impl Group {
    /// A group with these officials per level (HTXSNV, HTTNV, HTNV, KHTNV) and score spread.
    pub fn new(levels: [u32; 4], spread: Option<f64>) -> Self {
        Group {
            levels: LevelCounts(levels),
            spread,
        }
    }

    /// Several groups taken together, from each one's `(levels, scored, mean, spread)`: their
    /// counts added, the spread of all their scores pooled ([`pooled_spread`]; a group without
    /// a mean has no score to add, one without a spread a single score).
    pub fn whole(
        parts: impl IntoIterator<Item = ([u32; 4], u32, Option<f64>, Option<f64>)>,
    ) -> Self {
        let mut levels = [0; 4];
        let mut scores = Vec::new();
        for (counts, scored, mean, spread) in parts {
            levels = std::array::from_fn(|i| levels[i] + counts[i]);
            if let Some(mean) = mean {
                scores.push((scored, mean, spread.unwrap_or(0.0)));
            }
        }
        Group::new(levels, pooled_spread(scores))
    }
}

/// The finding on `group` against `province` under `rules`.
pub fn detect(group: Group, province: Group, rules: &Rules) -> Finding {
    let test = chi_square(&group.levels, &province.levels);
    let rated = group.levels.rated();
    let (spread, province_spread) = (group.spread, province.spread);
    let concentration = group.levels.concentration();
    let province_concentration = province.levels.concentration();
    let mut reasons = Vec::new();
    let judged = rated >= rules.min_rated && spread.is_some() && province_spread.is_some();
    if let (true, Some(own), Some(all)) = (judged, spread, province_spread)
        && test.p_value < rules.significance
        && concentration > province_concentration
        && own < rules.narrow_spread * all
    {
        reasons.extend([Reason::Concentrated, Reason::NarrowSpread]);
        if group.levels.top_share() > province.levels.top_share() {
            reasons.push(Reason::TopHeavy);
        }
    }
    Finding {
        rated,
        top_share: group.levels.top_share(),
        province_top_share: province.levels.top_share(),
        concentration,
        province_concentration,
        test,
        spread,
        province_spread,
        judged,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn upper_tail_meets_the_tables_critical_values() {
        // (statistic, degrees of freedom, p) from the chi-square table.
        let table = [
            (3.841, 1, 0.05),
            (6.635, 1, 0.01),
            (5.991, 2, 0.05),
            (9.210, 2, 0.01),
            (7.815, 3, 0.05),
            (11.345, 3, 0.01),
            (16.266, 3, 0.001),
        ];
        for (x, df, p) in table {
            let got = upper_tail(x, df);
            assert!(close(got, p, p * 0.01), "x {x}, df {df}: {got} against {p}");
        }
        assert_eq!(upper_tail(0.0, 3), 1.0);
        assert_eq!(upper_tail(f64::INFINITY, 2), 0.0);
        assert_eq!(upper_tail(5.0, 0), 1.0);
    }

    /// A province of 1,000: 10 % HTXSNV, 60 % HTTNV, 25 % HTNV, 5 % KHTNV.
    fn province() -> LevelCounts {
        LevelCounts([100, 600, 250, 50])
    }

    /// A group with these levels and this spread of scores.
    fn group(levels: [u32; 4], spread: Option<f64>) -> Group {
        Group {
            levels: LevelCounts(levels),
            spread,
        }
    }

    #[test]
    fn a_unit_rated_alike_and_high_is_flagged_with_its_evidence() {
        // 22 of 35 at the top, scores within a point or two of each other.
        let scores: Vec<f64> = (0..35).map(|i| 90.0 + f64::from(i % 3)).collect();
        let all = Group {
            levels: province(),
            spread: Some(12.0),
        };
        let finding = detect(
            group([22, 13, 0, 0], spread(&scores)),
            all,
            &Rules::default(),
        );
        assert_eq!(
            finding.reasons,
            vec![Reason::Concentrated, Reason::NarrowSpread, Reason::TopHeavy]
        );
        assert!(finding.flagged() && finding.judged);
        assert_eq!(finding.test.degrees_of_freedom, 3);
        // Expected 3.5, 21, 8.75, 1.75: (18.5²/3.5 + 8²/21 + 8.75 + 1.75).
        let statistic = 18.5f64.powi(2) / 3.5 + 64.0 / 21.0 + 8.75 + 1.75;
        assert!(close(finding.test.statistic, statistic, 1e-9));
        assert!(finding.test.p_value < 1e-6);
        assert!(close(finding.top_share, 22.0 / 35.0, 1e-12));
        assert!(close(finding.province_top_share, 0.1, 1e-12));
        // Everyone HTTNV, alike: concentrated, not at the top.
        let middle = detect(group([0, 40, 0, 0], Some(1.0)), all, &Rules::default());
        assert_eq!(
            middle.reasons,
            vec![Reason::Concentrated, Reason::NarrowSpread]
        );
    }

    #[test]
    fn ordinary_strong_small_and_spread_out_units_are_not_flagged() {
        let rules = Rules::default();
        let flag = |levels: [u32; 4], spread: f64| {
            detect(
                group(levels, Some(spread)),
                group(province().0, Some(12.0)),
                &rules,
            )
        };
        // Rated like the province.
        let like = flag([4, 24, 10, 2], 3.0);
        assert!(close(like.test.statistic, 0.0, 1e-12) && like.test.p_value == 1.0);
        assert!(!like.flagged() && like.judged);
        // A little different, within chance.
        assert!(!flag([6, 22, 10, 2], 3.0).flagged());
        // Too few to judge, however lopsided.
        let few = flag([9, 0, 0, 0], 0.5);
        assert!(!few.judged && !few.flagged());
        // Different beyond chance but spread out: more people lower down is not equalization.
        let spread_out = flag([1, 5, 7, 7], 3.0);
        assert!(spread_out.test.p_value < rules.significance);
        assert!(!spread_out.flagged());
        // A strong unit: many at the top, scores as varied as the province's.
        let strong = flag([22, 13, 0, 0], 9.0);
        assert!(strong.test.p_value < rules.significance && !strong.flagged());
        // Without the spreads (rollups written before they were kept): not judged.
        let unknown = detect(
            group([22, 13, 0, 0], None),
            group(province().0, Some(12.0)),
            &rules,
        );
        assert!(!unknown.judged && !unknown.flagged());
    }

    #[test]
    fn the_pooled_spread_is_the_spread_of_all_the_scores() {
        let a = [70.0, 80.0, 90.0];
        let b = [50.0, 52.0, 60.0, 61.0, 99.0];
        let summary = |s: &[f64]| {
            let n = s.len() as f64;
            (
                s.len() as u32,
                s.iter().sum::<f64>() / n,
                spread(s).unwrap_or(0.0),
            )
        };
        let all: Vec<f64> = a.iter().chain(&b).copied().collect();
        let pooled = pooled_spread([summary(&a), summary(&b)]).unwrap_or(-1.0);
        assert!(close(pooled, spread(&all).unwrap_or(0.0), 1e-9));
        assert_eq!(pooled_spread([(1, 50.0, 0.0)]), None);
        // Taken together as groups: counts added, the same pooled spread; no mean, no scores.
        let whole = Group::whole([
            ([1, 2, 0, 0], 3, Some(80.0), spread(&a)),
            ([0, 1, 3, 1], 5, Some(64.4), spread(&b)),
            ([0, 0, 2, 0], 0, None, None),
        ]);
        assert_eq!(whole.levels, LevelCounts([1, 3, 5, 1]));
        assert!(close(whole.spread.unwrap_or(-1.0), pooled, 1e-9));
    }

    #[test]
    fn a_level_the_province_never_gives_is_a_difference_beyond_chance() {
        let province = LevelCounts([0, 80, 20, 0]);
        let test = chi_square(&LevelCounts([3, 7, 0, 0]), &province);
        assert!(test.statistic.is_infinite());
        assert_eq!((test.degrees_of_freedom, test.p_value), (1, 0.0));
        assert_eq!(
            chi_square(&LevelCounts([0, 5, 0, 0]), &LevelCounts([0, 9, 0, 0])).p_value,
            1.0
        );
    }

    #[test]
    fn counts_shares_and_spread() {
        let counts = LevelCounts::of([Level::Htxsnv, Level::Httnv, Level::Httnv, Level::Khtnv]);
        assert_eq!(counts, LevelCounts([1, 2, 0, 1]));
        assert!(close(counts.concentration(), 0.375, 1e-12));
        assert_eq!(LevelCounts::default().concentration(), 0.0);
        assert_eq!(spread(&[1.0]), None);
        assert!(close(
            spread(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap_or(0.0),
            2.0,
            1e-12
        ));
    }

    proptest! {
        /// The p-value is a probability; a group in the province's proportions is never
        /// flagged; the same proportions in a larger group never make the evidence weaker.
        #[test]
        fn p_values_behave(
            group in prop::array::uniform4(0u32..60),
            province in prop::array::uniform4(1u32..400),
            times in 2u32..5,
        ) {
            let (group, province) = (LevelCounts(group), LevelCounts(province));
            let test = chi_square(&group, &province);
            prop_assert!((0.0..=1.0).contains(&test.p_value));
            let larger = chi_square(&LevelCounts(group.0.map(|c| c * times)), &province);
            prop_assert!(larger.p_value <= test.p_value + 1e-12);
            let alike = LevelCounts(province.0.map(|c| c * times));
            let finding = detect(
                Group { levels: alike, spread: Some(0.0) },
                Group { levels: province, spread: Some(10.0) },
                &Rules::default(),
            );
            prop_assert!(!finding.flagged());
        }

        /// The spread from a database's sums is the spread of the scores.
        #[test]
        fn the_spread_of_sums_is_the_spread(scores in prop::collection::vec(0.0f64..100.0, 0..60)) {
            let n = scores.len() as f64;
            let sum: f64 = scores.iter().sum();
            let squares: f64 = scores.iter().map(|s| s * s).sum();
            match (spread_of_sums(n, sum, squares), spread(&scores)) {
                (Some(a), Some(b)) => prop_assert!(close(a, b, 1e-6), "{a} against {b}"),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }
}
