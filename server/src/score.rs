//! `server score`: a batch of officials scored under a built-in scheme, as pretty JSON.

use app::domain::{DomainError, builtin_scheme, parse_batch_input, score_batch};

/// Scores `input` (the JSON of docs/scoring.md) under scheme `scheme_id`; the JSON output
/// carries every official's explanation.
pub fn run(scheme_id: &str, input: &str) -> Result<String, ScoreError> {
    let scheme = builtin_scheme(scheme_id)?;
    let batch = parse_batch_input(input)?;
    let output = score_batch(&scheme, &batch)?;
    Ok(serde_json::to_string_pretty(&output)?)
}

/// Why a batch could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("cannot write the output: {0}")]
    Output(#[from] serde_json::Error),
}
