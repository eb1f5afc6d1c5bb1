//! A fuzz of the scoring input, as `server score` and the services hand it to the engine.
//!
//! Two kinds of input: any bytes (the JSON reader must refuse them cleanly), and the golden
//! inputs with their values replaced, keys dropped or lists emptied at random — inputs that
//! are almost right, where an engine breaks. Whatever the input, scoring answers a result or a
//! `DomainError`, never a panic; a result's scores are finite and within 0–100 and every line
//! of its explanation renders in both languages.
//!
//! `make test` runs proptest's default 256 cases a test; a longer run:
//! `PROPTEST_CASES=200000 cargo test -p app --lib fuzz` (docs/RELIABILITY.md).

use proptest::prelude::*;
use serde_json::{Value, json};

use super::golden::golden_inputs;
use super::helpers::scheme;
use crate::domain::explain::{Lang, render_line};
use crate::domain::{BatchInput, BatchOutput, score_batch};

/// A value that is wrong in a way a hand-made file or a hostile caller could be.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1e300)),
        Just(json!(-1e300)),
        Just(json!(f64::MAX)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(0.5)),
        Just(json!(13)),
        Just(json!(true)),
        Just(json!("")),
        Just(json!("HTXSNV")),
        Just(json!("x".repeat(5_000))),
        Just(json!([])),
        Just(json!({})),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|n| json!(n)),
        "\\PC{0,8}".prop_map(|s| json!(s)),
    ]
}

/// The paths of every value in `v` (objects' keys and arrays' indexes), the root excluded.
fn paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    let children: Vec<(PathStep, &Value)> = match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, c)| (PathStep::Key(k.clone()), c))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, c)| (PathStep::Index(i), c))
            .collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        here.push(step);
        out.push(here.clone());
        paths(child, here, out);
        here.pop();
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// What to do at a path.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    Remove,
    /// Repeat an array's item (duplicate ids, periods).
    Repeat,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => odd_value().prop_map(Mutation::Replace),
        2 => Just(Mutation::Remove),
        1 => Just(Mutation::Repeat),
    ]
}

fn apply(root: &mut Value, path: &[PathStep], mutation: &Mutation) {
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    let mut parent = root;
    for step in parent_path {
        let next = match (step, parent) {
            (PathStep::Key(k), Value::Object(map)) => map.get_mut(k),
            (PathStep::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(next) => parent = next,
            None => return,
        }
    }
    match (last, parent, mutation) {
        (PathStep::Key(k), Value::Object(map), Mutation::Remove) => {
            map.remove(k);
        }
        (PathStep::Key(k), Value::Object(map), Mutation::Replace(v)) => {
            map.insert(k.clone(), v.clone());
        }
        (PathStep::Index(i), Value::Array(items), Mutation::Remove) if *i < items.len() => {
            items.remove(*i);
        }
        (PathStep::Index(i), Value::Array(items), Mutation::Replace(v)) if *i < items.len() => {
            items[*i] = v.clone();
        }
        (PathStep::Index(i), Value::Array(items), Mutation::Repeat) if *i < items.len() => {
            let copy = items[*i].clone();
            items.push(copy);
        }
        _ => {}
    }
}

/// A golden input with `edits` made to it, if it still reads as a batch.
fn mutated(
    case: prop::sample::Index,
    edits: &[(prop::sample::Index, Mutation)],
) -> Option<(&'static str, BatchInput)> {
    let cases = golden_inputs();
    let (_, scheme_id, mut input) = case.get(&cases).clone();
    for (at, mutation) in edits {
        let mut found = Vec::new();
        paths(&input, &mut Vec::new(), &mut found);
        if found.is_empty() {
            break;
        }
        apply(&mut input, &found[at.index(found.len())], mutation);
    }
    let input = serde_json::from_value::<BatchInput>(input).ok()?;
    Some((scheme_id, input))
}

/// Scores `input` under `scheme_id` and checks what any result must satisfy.
fn check(scheme_id: &str, input: &BatchInput) -> Result<(), TestCaseError> {
    let Ok(output) = score_batch(&scheme(scheme_id), input) else {
        return Ok(());
    };
    check_output(&output)
}

fn check_output(output: &BatchOutput) -> Result<(), TestCaseError> {
    for official in &output.officials {
        let scores = official
            .periods
            .iter()
            .map(|p| p.score)
            .chain(official.score);
        for score in scores {
            prop_assert!(
                score.is_finite() && (0.0..=100.0).contains(&score),
                "{} scored {score}",
                official.id
            );
        }
        let mut lines = 0;
        official.explanation.walk(&mut |node| {
            for lang in [Lang::Vi, Lang::En] {
                lines += usize::from(!render_line(node, lang).is_empty());
            }
        });
        prop_assert!(lines > 0, "{} has no explanation", official.id);
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_bytes_are_refused_or_scored_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(input) = serde_json::from_slice::<BatchInput>(&bytes) {
            check("decree-335-2025", &input)?;
        }
    }

    #[test]
    fn almost_right_inputs_are_refused_or_scored_within_bounds(
        case in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..6),
    ) {
        if let Some((scheme_id, input)) = mutated(case, &edits) {
            // Under its own scheme and under every other: a caller may send any scheme id.
            for id in ["decree-335-2025", "party-366-2025", "khanh-hoa-2025", "okr-basic"] {
                if id == scheme_id || input.scheme.is_none() {
                    check(id, &input)?;
                }
            }
        }
    }
}

/// The fuzz reaches the engine: a fair share of the almost-right inputs still read as a batch
/// and are scored (or refused by a rule, not by the JSON reader).
#[test]
fn most_almost_right_inputs_reach_the_engine() {
    use proptest::strategy::ValueTree;
    let strategy = (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..3),
    );
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut read, mut scored) = (0, 0);
    for _ in 0..400 {
        let (case, edits) = strategy.new_tree(&mut runner).expect("case").current();
        if let Some((scheme_id, input)) = mutated(case, &edits) {
            read += 1;
            scored += usize::from(score_batch(&scheme(scheme_id), &input).is_ok());
        }
    }
    assert!(
        read >= 100 && scored >= 40,
        "read {read}, scored {scored} of 400"
    );
}
