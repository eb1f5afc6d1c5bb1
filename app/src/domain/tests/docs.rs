//! The worked examples of `docs/scoring.md`: each input in `docs/examples/scoring/` must score
//! to exactly its `.expected.json`, so the documentation cannot drift from the engine.
//!
//! To regenerate the expected files after a deliberate change:
//! `SCORING_EXAMPLES_DIR=$PWD/docs/examples/scoring cargo test -p app -- --ignored bless_docs_examples`.

use crate::domain::{BatchOutput, builtin_scheme, parse_batch_input, score_batch};

/// (file stem, scheme id, input JSON, expected output JSON).
const EXAMPLES: &[(&str, &str, &str, &str)] = &[
    (
        "decree-335-unit",
        "decree-335-2025",
        include_str!("../../../../docs/examples/scoring/decree-335-unit.json"),
        include_str!("../../../../docs/examples/scoring/decree-335-unit.expected.json"),
    ),
    (
        "party-366-quarters",
        "party-366-2025",
        include_str!("../../../../docs/examples/scoring/party-366-quarters.json"),
        include_str!("../../../../docs/examples/scoring/party-366-quarters.expected.json"),
    ),
    (
        "khanh-hoa-month",
        "khanh-hoa-2025",
        include_str!("../../../../docs/examples/scoring/khanh-hoa-month.json"),
        include_str!("../../../../docs/examples/scoring/khanh-hoa-month.expected.json"),
    ),
    (
        "okr-basic-ward",
        "okr-basic",
        include_str!("../../../../docs/examples/scoring/okr-basic-ward.json"),
        include_str!("../../../../docs/examples/scoring/okr-basic-ward.expected.json"),
    ),
];

fn run(scheme_id: &str, input: &str) -> BatchOutput {
    let scheme = builtin_scheme(scheme_id).expect("built-in scheme");
    let input = parse_batch_input(input).expect("example input parses");
    score_batch(&scheme, &input).expect("example input scores")
}

/// The outputs of every docs example (walked by the i18n key test too).
pub fn example_outputs() -> Vec<BatchOutput> {
    EXAMPLES
        .iter()
        .map(|(_, scheme, input, _)| run(scheme, input))
        .collect()
}

#[test]
fn docs_examples_score_exactly_to_their_expected_output() {
    for (name, scheme, input, expected) in EXAMPLES {
        let got = serde_json::to_value(run(scheme, input)).expect("output serialises");
        let want: serde_json::Value =
            serde_json::from_str(expected).expect("expected output is JSON");
        assert!(
            got == want,
            "docs/examples/scoring/{name}.json no longer scores to {name}.expected.json"
        );
    }
}

#[test]
#[ignore = "writes files: run with SCORING_EXAMPLES_DIR set to regenerate expected outputs"]
fn bless_docs_examples() {
    let dir = std::env::var("SCORING_EXAMPLES_DIR").expect("set SCORING_EXAMPLES_DIR");
    for (name, scheme, input, _) in EXAMPLES {
        let text = serde_json::to_string_pretty(&run(scheme, input)).expect("output serialises");
        std::fs::write(format!("{dir}/{name}.expected.json"), text + "\n")
            .expect("write expected output");
    }
}
