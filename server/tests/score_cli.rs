//! `server score` reproduces the worked examples of docs/scoring.md, and rejects bad input with
//! a message naming the item.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples/scoring")
}

fn score(scheme: &str, input: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["score", "--scheme", scheme])
        .arg(input)
        .env("THUOCDO_LOG", "warn")
        .output()
        .expect("run server score")
}

#[test]
fn score_reproduces_every_worked_example() {
    let mut checked = 0;
    for entry in std::fs::read_dir(examples_dir()).expect("examples dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_owned();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let input: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read input"))
                .expect("input json");
        let scheme = input["scheme"]
            .as_str()
            .unwrap_or(app::domain::DEFAULT_SCHEME_ID)
            .to_owned();
        let output = score(&scheme, &path);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let actual: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("output json");
        let expected_path = path.with_file_name(name.replace(".json", ".expected.json"));
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("read expected"))
                .expect("expected json");
        assert_eq!(actual, expected, "{name}");
        checked += 1;
    }
    assert!(
        checked >= 4,
        "all four worked examples were checked, got {checked}"
    );
}

#[test]
fn score_rejects_an_unknown_scheme_and_bad_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("bad.json");
    std::fs::write(&input, r#"{"officials": 3}"#).expect("write");
    let output = score("decree-335-2025", &input);
    assert!(!output.status.success());
    assert!(
        output.stdout.is_empty(),
        "nothing printed on stdout for a rejected batch"
    );

    let good = examples_dir().join("decree-335-unit.json");
    let output = score("no-such-scheme", &good);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no-such-scheme"),
        "the message names the scheme: {stderr}"
    );
}
