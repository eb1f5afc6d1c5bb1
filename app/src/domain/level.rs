//! Quality levels (HTXSNV … KHTNV), the final classification (which may be "not classified"),
//! score bands with inclusive/exclusive boundaries, and discipline severities.

use serde::{Deserialize, Serialize};

use super::error::DomainError;

/// One of the four quality levels used since Decree 90/2020, ordered from lowest to highest
/// (`Khtnv < Htnv < Httnv < Htxsnv`), so `min` caps a level and `>=` compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Không hoàn thành nhiệm vụ — did not complete tasks.
    #[serde(rename = "KHTNV")]
    Khtnv,
    /// Hoàn thành nhiệm vụ — completed tasks.
    #[serde(rename = "HTNV")]
    Htnv,
    /// Hoàn thành tốt nhiệm vụ — completed tasks well.
    #[serde(rename = "HTTNV")]
    Httnv,
    /// Hoàn thành xuất sắc nhiệm vụ — excellently completed tasks.
    #[serde(rename = "HTXSNV")]
    Htxsnv,
}

impl Level {
    /// Every level, highest first (as forms list them).
    pub const ALL: [Level; 4] = [Level::Htxsnv, Level::Httnv, Level::Htnv, Level::Khtnv];

    /// The level with this legal code, if any.
    pub fn from_code(code: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The legal code of the level (`HTXSNV`, `HTTNV`, `HTNV`, `KHTNV`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Khtnv => "KHTNV",
            Self::Htnv => "HTNV",
            Self::Httnv => "HTTNV",
            Self::Htxsnv => "HTXSNV",
        }
    }
}

/// The outcome of a yearly classification: a [`Level`] or "not classified" (e.g. fewer than
/// 6 months worked). Serialised as `HTXSNV` … `KHTNV` or `NOT_CLASSIFIED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Classification {
    /// Not classified this year (see the explanation for why).
    #[serde(rename = "NOT_CLASSIFIED")]
    NotClassified,
    /// Classified at this level.
    #[serde(untagged)]
    Level(Level),
}

impl Classification {
    /// The level, if classified.
    pub fn level(self) -> Option<Level> {
        match self {
            Self::Level(l) => Some(l),
            Self::NotClassified => None,
        }
    }

    /// The code shown to people: a level code or `NOT_CLASSIFIED`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Level(l) => l.code(),
            Self::NotClassified => "NOT_CLASSIFIED",
        }
    }
}

impl From<Level> for Classification {
    fn from(l: Level) -> Self {
        Self::Level(l)
    }
}

/// One score band: a score `s` (points, 0–100) is in the band when `s ≥ min` (`inclusive`)
/// or `s > min` (not `inclusive`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Level given to scores in this band.
    pub level: Level,
    /// Lower boundary, in points.
    pub min: f64,
    /// Whether `min` itself belongs to the band.
    pub inclusive: bool,
}

impl Band {
    /// True when `score` (points) lies in this band.
    pub fn contains(&self, score: f64) -> bool {
        if self.inclusive {
            score >= self.min
        } else {
            score > self.min
        }
    }
}

/// The bands of a scheme, tried from the highest level down; a score in no band gets
/// `below_all` (normally KHTNV).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// Bands, highest level first.
    pub bands: Vec<Band>,
    /// Level for a score below every band.
    pub below_all: Level,
}

impl Bands {
    /// The band a score (points) falls in, or `None` when it is below every band.
    pub fn band_for(&self, score: f64) -> Option<&Band> {
        self.bands.iter().find(|b| b.contains(score))
    }

    /// The level of a score (points): the first band containing it, else `below_all`.
    pub fn classify(&self, score: f64) -> Level {
        self.band_for(score).map_or(self.below_all, |b| b.level)
    }

    /// Checks that levels strictly decrease, boundaries strictly decrease within [0, 100], and
    /// `below_all` is lower than every band.
    pub fn validate(&self, scheme: &str) -> Result<(), DomainError> {
        let bad = |reason: &str| DomainError::InvalidScheme {
            scheme: scheme.to_owned(),
            field: "bands".to_owned(),
            reason: reason.to_owned(),
        };
        if self.bands.is_empty() {
            return Err(bad("at least one band is required"));
        }
        for pair in self.bands.windows(2) {
            if pair[1].level >= pair[0].level || pair[1].min >= pair[0].min {
                return Err(bad(
                    "bands must be listed from the highest level and boundary down",
                ));
            }
        }
        if self.bands.iter().any(|b| !(0.0..=100.0).contains(&b.min)) {
            return Err(bad("band boundaries must lie within 0–100 points"));
        }
        if self.bands.iter().any(|b| b.level <= self.below_all) {
            return Err(bad("`below_all` must be lower than every band"));
        }
        Ok(())
    }
}

/// Discipline imposed in the evaluation year, from the mildest (reprimand, khiển trách) to the
/// most severe (forced dismissal, buộc thôi việc); ordered so `>=` means "at least as severe".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    /// Khiển trách.
    Reprimand,
    /// Cảnh cáo.
    Warning,
    /// Hạ bậc lương.
    SalaryDowngrade,
    /// Giáng chức.
    Demotion,
    /// Cách chức.
    RemovalFromPost,
    /// Buộc thôi việc.
    ForcedDismissal,
}

impl Discipline {
    /// Every severity, mildest first.
    pub const ALL: [Discipline; 6] = [
        Discipline::Reprimand,
        Discipline::Warning,
        Discipline::SalaryDowngrade,
        Discipline::Demotion,
        Discipline::RemovalFromPost,
        Discipline::ForcedDismissal,
    ];

    /// The severity with this code, if any.
    pub fn from_code(code: &str) -> Option<Discipline> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The serialised (snake_case) name, used as an explanation argument.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reprimand => "reprimand",
            Self::Warning => "warning",
            Self::SalaryDowngrade => "salary_downgrade",
            Self::Demotion => "demotion",
            Self::RemovalFromPost => "removal_from_post",
            Self::ForcedDismissal => "forced_dismissal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decree_bands() -> Bands {
        Bands {
            bands: vec![
                Band {
                    level: Level::Htxsnv,
                    min: 90.0,
                    inclusive: true,
                },
                Band {
                    level: Level::Httnv,
                    min: 70.0,
                    inclusive: true,
                },
                Band {
                    level: Level::Htnv,
                    min: 50.0,
                    inclusive: true,
                },
            ],
            below_all: Level::Khtnv,
        }
    }

    #[test]
    fn boundaries_are_inclusive_in_decree_335() {
        let b = decree_bands();
        assert_eq!(b.classify(90.0), Level::Htxsnv);
        assert_eq!(b.classify(89.99), Level::Httnv);
        assert_eq!(b.classify(50.0), Level::Htnv);
        assert_eq!(b.classify(49.99), Level::Khtnv);
    }

    #[test]
    fn classification_serialises_as_codes() {
        let v = serde_json::to_string(&[
            Classification::Level(Level::Htxsnv),
            Classification::NotClassified,
        ])
        .ok();
        assert_eq!(v.as_deref(), Some(r#"["HTXSNV","NOT_CLASSIFIED"]"#));
        let back: Result<Vec<Classification>, _> =
            serde_json::from_str(r#"["NOT_CLASSIFIED","HTNV"]"#);
        assert_eq!(
            back.ok(),
            Some(vec![
                Classification::NotClassified,
                Classification::Level(Level::Htnv)
            ])
        );
    }

    #[test]
    fn codes_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::from_code(l.code()), Some(l));
        }
        assert_eq!(Level::from_code("GIỎI"), None);
    }

    #[test]
    fn bands_out_of_order_are_rejected() {
        let mut b = decree_bands();
        b.bands.swap(0, 1);
        assert!(b.validate("x").is_err());
    }
}
