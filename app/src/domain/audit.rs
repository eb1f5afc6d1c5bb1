//! One entry of the audit trail as it is read: what the repository returns and what the audit
//! page shows (the page formats the time).

use serde::{Deserialize, Serialize};

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

/// The most characters of a record's state before or after a write (JSON) that the audit
/// trail copies: the log is append-only, so what it takes is kept for ever.
pub const MAX_COPIED: usize = 4_096;

/// `text` as the audit trail copies it: whole when it is at most [`MAX_COPIED`] characters,
/// else its first characters and how long it was, so a huge value sent to any entry point
/// cannot grow the permanent log (the entity's own limits refuse it first; this is the last
/// bound).
pub fn copied(text: String) -> String {
    let length = text.chars().count();
    if length <= MAX_COPIED {
        return text;
    }
    let start: String = text.chars().take(MAX_COPIED / 2).collect();
    serde_json::json!({ "truncated": { "start": start, "characters": length } }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_trail_copies_at_most_a_few_kilobytes_of_a_value() {
        let small = serde_json::json!({ "note": "đúng hạn" }).to_string();
        assert_eq!(copied(small.clone()), small);
        let huge = serde_json::json!({ "evidence_url": "x".repeat(1_945_610) }).to_string();
        let kept = copied(huge);
        assert!(kept.chars().count() < MAX_COPIED, "{}", kept.len());
        let parsed: serde_json::Value = serde_json::from_str(&kept).expect("still JSON");
        assert_eq!(parsed["truncated"]["characters"], 1_945_629);
    }
}
