//! The rules of a check-in on a key result, the same for the form, an import and the command
//! line: a finite value of sensible size, a confidence from 0 to 10, a note and an evidence
//! link within their limits, and a link that is a web address (`http://` or `https://`).

/// The longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 2_000;
/// The longest evidence link, in characters (the column's size).
pub const EVIDENCE_URL_MAX_CHARS: usize = 1_000;
/// The largest magnitude of a value: far beyond any count, rate or amount a key result
/// measures, and far inside what every database stores exactly enough.
pub const VALUE_MAX_ABS: f64 = 1e12;
/// The confidence scale: 0 (no confidence) to 10 (certain).
pub const CONFIDENCE_RANGE: std::ops::RangeInclusive<i64> = 0..=10;

/// A field that was refused: its name (as the form and the file call it) and a message key
/// translated in `app/locales/*.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    /// `value`, `confidence`, `note` or `evidence_url`.
    pub field: &'static str,
    /// `not_a_number`, `value_range`, `confidence_range`, `too_long` or `url_scheme`.
    pub key: &'static str,
}

/// What someone typed or a file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub value: f64,
    pub confidence: i64,
    pub note: String,
    /// Empty or blank means none.
    pub evidence_url: Option<String>,
}

/// A check-in that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid {
    pub value: f64,
    pub confidence: i16,
    pub note: String,
    pub evidence_url: Option<String>,
}

/// Checks every rule; all refused fields, in the order of the form.
pub fn validate(draft: Draft) -> Result<Valid, Vec<Invalid>> {
    let mut refused = Vec::new();
    let mut refuse = |field, key| refused.push(Invalid { field, key });
    if !draft.value.is_finite() {
        refuse("value", "not_a_number");
    } else if draft.value.abs() > VALUE_MAX_ABS {
        refuse("value", "value_range");
    }
    let confidence = i16::try_from(draft.confidence)
        .ok()
        .filter(|c| CONFIDENCE_RANGE.contains(&i64::from(*c)));
    if confidence.is_none() {
        refuse("confidence", "confidence_range");
    }
    let note = draft.note.trim().to_owned();
    if note.chars().count() > NOTE_MAX_CHARS {
        refuse("note", "too_long");
    }
    let evidence_url = draft
        .evidence_url
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if let Some(url) = &evidence_url {
        if url.chars().count() > EVIDENCE_URL_MAX_CHARS {
            refuse("evidence_url", "too_long");
        } else if !is_web_address(url) {
            refuse("evidence_url", "url_scheme");
        }
    }
    match confidence {
        Some(confidence) if refused.is_empty() => Ok(Valid {
            value: draft.value,
            confidence,
            note,
            evidence_url,
        }),
        _ => Err(refused),
    }
}

/// `http://` or `https://` (any case) followed by a host: never `javascript:` or `data:`.
fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["https://", "http://"].iter().any(|scheme| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|rest| rest.chars().next().is_some_and(|c| c != '/'))
    }) && !url.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            value: 42.0,
            confidence: 7,
            note: " đã xong ".into(),
            evidence_url: Some("https://example.vn/hs/1".into()),
        }
    }

    fn refused(d: Draft) -> Vec<(&'static str, &'static str)> {
        validate(d)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| (i.field, i.key))
            .collect()
    }

    #[test]
    fn a_good_check_in_passes_trimmed() {
        let v = validate(draft()).ok();
        assert_eq!(v.as_ref().map(|v| v.note.as_str()), Some("đã xong"));
        assert_eq!(v.map(|v| v.confidence), Some(7));
    }

    #[test]
    fn each_bad_field_is_named_with_its_message() {
        let cases: Vec<(Draft, Vec<(&str, &str)>)> = vec![
            (
                Draft {
                    value: f64::NAN,
                    ..draft()
                },
                vec![("value", "not_a_number")],
            ),
            (
                Draft {
                    value: -1e300,
                    ..draft()
                },
                vec![("value", "value_range")],
            ),
            (
                Draft {
                    value: 1.797e308,
                    ..draft()
                },
                vec![("value", "value_range")],
            ),
            (
                Draft {
                    confidence: 11,
                    ..draft()
                },
                vec![("confidence", "confidence_range")],
            ),
            (
                Draft {
                    confidence: -1,
                    ..draft()
                },
                vec![("confidence", "confidence_range")],
            ),
            (
                Draft {
                    confidence: 70_000,
                    ..draft()
                },
                vec![("confidence", "confidence_range")],
            ),
            (
                Draft {
                    note: "x".repeat(2_001),
                    ..draft()
                },
                vec![("note", "too_long")],
            ),
            (
                Draft {
                    evidence_url: Some("javascript:alert(1)".into()),
                    ..draft()
                },
                vec![("evidence_url", "url_scheme")],
            ),
            (
                Draft {
                    evidence_url: Some("https:///evil".into()),
                    ..draft()
                },
                vec![("evidence_url", "url_scheme")],
            ),
            (
                Draft {
                    evidence_url: Some(format!("https://a.vn/{}", "x".repeat(1_000))),
                    ..draft()
                },
                vec![("evidence_url", "too_long")],
            ),
            (
                Draft {
                    value: f64::INFINITY,
                    confidence: 11,
                    ..draft()
                },
                vec![
                    ("value", "not_a_number"),
                    ("confidence", "confidence_range"),
                ],
            ),
        ];
        for (d, expected) in cases {
            assert_eq!(refused(d.clone()), expected, "{d:?}");
        }
    }

    #[test]
    fn limits_are_inclusive() {
        let at_limits = Draft {
            value: -VALUE_MAX_ABS,
            confidence: 10,
            note: "ư".repeat(NOTE_MAX_CHARS),
            evidence_url: Some(format!(
                "HTTP://a.vn/{}",
                "x".repeat(EVIDENCE_URL_MAX_CHARS - 12)
            )),
        };
        assert!(validate(at_limits).is_ok());
        assert!(
            validate(Draft {
                evidence_url: Some("  ".into()),
                confidence: 0,
                ..draft()
            })
            .is_ok_and(|v| v.evidence_url.is_none())
        );
    }
}
