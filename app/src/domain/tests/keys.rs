//! i18n completeness: every explanation and error key the engine emits has a Vietnamese and an
//! English template in `explain_keys.json`, and every `{placeholder}` of a template is an
//! argument of the node that uses it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::docs::example_outputs;
use super::golden::golden_cases;
use crate::domain::error::ERROR_KEYS;
use crate::domain::explain::EXPLAIN_KEYS;
use crate::domain::{DomainError, EXPLAIN_KEYS_JSON, Node};

#[derive(Deserialize)]
struct Template {
    vi: String,
    en: String,
}

fn templates() -> BTreeMap<String, Template> {
    serde_json::from_str(EXPLAIN_KEYS_JSON).expect("explain_keys.json is valid JSON")
}

fn placeholders(t: &str) -> BTreeSet<&str> {
    t.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(p, _)| p))
        .collect()
}

#[test]
fn key_file_lists_exactly_the_declared_keys() {
    let file: BTreeSet<String> = templates().into_keys().collect();
    let declared: BTreeSet<String> = EXPLAIN_KEYS
        .iter()
        .chain(ERROR_KEYS)
        .map(|k| (*k).to_owned())
        .collect();
    assert_eq!(file, declared);
    assert!(
        templates()
            .values()
            .all(|t| !t.vi.trim().is_empty() && !t.en.trim().is_empty())
    );
}

#[test]
fn every_emitted_key_has_templates_whose_placeholders_are_its_args() {
    let templates = templates();
    let mut seen = BTreeSet::new();
    let outputs: Vec<_> = golden_cases()
        .into_iter()
        .map(|(_, o)| o)
        .chain(example_outputs())
        .collect();
    for out in &outputs {
        for official in &out.officials {
            official.explanation.walk(&mut |n: &Node| {
                let t = templates.get(n.key.as_ref());
                assert!(t.is_some(), "key `{}` has no template", n.key);
                if let Some(t) = t {
                    for p in placeholders(&t.vi).union(&placeholders(&t.en)) {
                        assert!(
                            n.args.contains_key(*p),
                            "`{}` template uses {{{p}}} but the node has {:?}",
                            n.key,
                            n.args
                        );
                    }
                }
                seen.insert(n.key.to_string());
            });
        }
    }
    // the samples exercise most of the tree; these are the keys they must reach at least
    for k in [
        "task.quality.deduction",
        "task.progress.waiver",
        "task.leader.unit",
        "okr.kr.clamped",
        "quota.demoted",
        "quota.exception",
        "quota.tie",
        "override",
        "time.leave_cap",
        "period.merged_into_year",
        "transfer.carried",
        "task.late_report",
    ] {
        assert!(seen.contains(k), "no sample emits `{k}`");
    }
}

#[test]
fn every_error_template_uses_only_its_args() {
    let templates = templates();
    let s = || String::from("x");
    let errors = [
        DomainError::Json {
            what: s(),
            detail: s(),
        },
        DomainError::InvalidScheme {
            scheme: s(),
            field: s(),
            reason: s(),
        },
        DomainError::UnknownScheme { id: s() },
        DomainError::SchemeMismatch {
            expected: s(),
            found: s(),
        },
        DomainError::WeightsDoNotSum {
            item: s(),
            field: s(),
            sum: 0.9,
            expected: 1.0,
        },
        DomainError::Negative {
            item: s(),
            field: s(),
            value: -1.0,
        },
        DomainError::NotFinite {
            item: s(),
            field: s(),
        },
        DomainError::NotPositive {
            item: s(),
            field: s(),
            value: 0.0,
        },
        DomainError::OutOfRange {
            item: s(),
            field: s(),
            value: 1.0,
            min: 0.0,
            max: 0.5,
        },
        DomainError::Exceeds {
            item: s(),
            field: s(),
            value: 2.0,
            limit_field: s(),
            limit: 1.0,
        },
        DomainError::TargetEqualsStart {
            item: s(),
            value: 1.0,
        },
        DomainError::WrongDirection {
            item: s(),
            kind: s(),
            direction: s(),
        },
        DomainError::DuplicateId {
            item: s(),
            kind: s(),
            id: s(),
        },
        DomainError::UnknownId {
            item: s(),
            kind: s(),
            id: s(),
        },
        DomainError::Missing {
            item: s(),
            kind: s(),
            id: s(),
        },
        DomainError::NotInScheme {
            item: s(),
            field: s(),
            scheme: s(),
        },
        DomainError::Empty {
            item: s(),
            field: s(),
        },
        DomainError::SubordinateCycle { item: s() },
        DomainError::LeaderOnly {
            item: s(),
            field: s(),
        },
    ];
    assert_eq!(errors.len(), ERROR_KEYS.len());
    for e in errors {
        let m = e.message();
        let t = templates.get(&m.key).expect("error key has templates");
        for p in placeholders(&t.vi).union(&placeholders(&t.en)) {
            assert!(m.args.contains_key(*p), "`{}` uses {{{p}}}", m.key);
        }
    }
}
