//! Saved templates of work: a product, or a key result under an objective, that an
//! administrator assigns to the officials of a unit (of one job position when given) period
//! after period — e.g. every one-stop officer of every ward gets "hồ sơ giải quyết đúng hạn"
//! each month. A template holds what is assigned, as it was typed; the cycle is chosen each
//! time it is used, and a product's due date is then the cycle's last day.

use serde::{Deserialize, Serialize};

use super::plan::{KeyResultDraft, ObjectiveDraft};

/// What a template assigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplateWork {
    /// A product: its code, title, amount assigned and conversion weight.
    Product {
        code: String,
        title: String,
        assigned: i32,
        weight: f64,
    },
    /// A key result under each official's objective of that title.
    KeyResult {
        objective: ObjectiveDraft,
        key_result: KeyResultDraft,
    },
}

impl TemplateWork {
    /// Whether it assigns a key result (else a product).
    pub fn is_key_result(&self) -> bool {
        matches!(self, TemplateWork::KeyResult { .. })
    }

    /// The title people know it by: the product's, or the key result's.
    pub fn title(&self) -> &str {
        match self {
            TemplateWork::Product { title, .. } => title,
            TemplateWork::KeyResult { key_result, .. } => &key_result.title,
        }
    }
}
