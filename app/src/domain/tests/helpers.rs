//! Builders shared by the domain tests.

use serde_json::{Value, json};

use crate::domain::{
    BatchInput, BatchOutput, DomainError, OfficialInput, OfficialResult, Scheme, builtin_scheme,
    score_batch, score_official,
};

/// A built-in scheme (the tests fail loudly if a shipped scheme is broken).
pub fn scheme(id: &str) -> Scheme {
    builtin_scheme(id).expect("built-in scheme parses")
}

/// An official from JSON.
pub fn official(v: Value) -> OfficialInput {
    serde_json::from_value(v).expect("test official is well-formed")
}

/// Scores one official without quota.
pub fn score1(scheme_id: &str, v: Value) -> Result<OfficialResult, DomainError> {
    score_official(&scheme(scheme_id), &official(v))
}

/// Scores a batch given as JSON.
pub fn batch(scheme_id: &str, v: Value) -> Result<BatchOutput, DomainError> {
    let input: BatchInput = serde_json::from_value(v).expect("test batch is well-formed");
    score_batch(&scheme(scheme_id), &input)
}

/// A Decree-335 period: general points `g` split as evenly as given, and one product fully
/// completed on time with quality (70 task points).
pub fn full_period(period: u32, general: [f64; 3]) -> Value {
    json!({
        "period": period,
        "general": {
            "politics_ethics_discipline": general[0],
            "competence_responsibility": general[1],
            "innovation": general[2]
        },
        "products": [{ "id": "p1", "assigned": 1, "completed": 1 }]
    })
}

/// A Decree-335 period with full general points (30) and the given products.
pub fn period_with(period: u32, products: Value) -> Value {
    json!({
        "period": period,
        "general": { "politics_ethics_discipline": 10, "competence_responsibility": 10, "innovation": 10 },
        "products": products
    })
}

/// A party-366 quarter with general `g` (three groups) and one full product.
pub fn quarter_366(period: u32, general: [f64; 3]) -> Value {
    json!({
        "period": period,
        "general": { "politics_ideology": general[0], "ethics_lifestyle": general[1], "organisation_discipline": general[2] },
        "products": [{ "id": "p1", "assigned": 1, "completed": 1 }]
    })
}

/// `n` full Decree-335 months (score 100 each).
pub fn months(n: u32) -> Vec<Value> {
    (1..=n)
        .map(|m| full_period(m, [10.0, 10.0, 10.0]))
        .collect()
}

/// A one-objective, one-KR OKR period.
pub fn okr_period(period: u32, kr: Value) -> Value {
    json!({
        "period": period,
        "objectives": [{ "id": "O1", "weight": 1.0, "key_results": [kr] }]
    })
}

/// Level codes of a batch, by official id.
pub fn levels(out: &BatchOutput) -> Vec<(String, &'static str)> {
    out.officials
        .iter()
        .map(|o| (o.id.clone(), o.level.code()))
        .collect()
}
