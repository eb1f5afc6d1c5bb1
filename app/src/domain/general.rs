//! General criteria: the points given per criterion, checked against the scheme's maxima and
//! summed per group (Decree 335 Art. 12: ≤ 30 points in three groups).

use std::collections::BTreeMap;

use super::error::DomainError;
use super::explain::Node;
use super::scheme::Scheme;
use super::validate::in_range;

/// Scores the general criteria of one period.
///
/// `scores` maps a criterion id (or a group id, for a group without sub-criteria) to the points
/// given, each within `[0, max_points]`. Result: `Σ groups Σ criteria points` (points, at most
/// the scheme's general maximum) and its explanation, or `None` when the scheme has no
/// general criteria. Every scheme criterion must be present; unknown ids are rejected.
pub fn score_general(
    scheme: &Scheme,
    scores: &BTreeMap<String, f64>,
    item: &str,
) -> Result<(f64, Option<Node>), DomainError> {
    if scheme.general.is_empty() {
        if !scores.is_empty() {
            return Err(DomainError::NotInScheme {
                item: item.to_owned(),
                field: "general".into(),
                scheme: scheme.id.clone(),
            });
        }
        return Ok((0.0, None));
    }
    let known: Vec<String> = scheme
        .scored_criteria()
        .into_iter()
        .map(|(_, c)| c.id)
        .collect();
    if let Some(unknown) = scores.keys().find(|k| !known.contains(k)) {
        return Err(DomainError::UnknownId {
            item: format!("{item}.general"),
            kind: "criterion".into(),
            id: unknown.clone(),
        });
    }
    let mut total = 0.0;
    let mut node = Node::new("general").num("max", scheme.general_max());
    for group in &scheme.general {
        let mut subtotal = 0.0;
        let mut group_node = Node::new("general.group")
            .text("group", &group.id)
            .num("max", group.max_points);
        for c in group.scored_criteria() {
            let given = scores.get(&c.id).ok_or_else(|| DomainError::Missing {
                item: format!("{item}.general"),
                kind: "criterion".into(),
                id: c.id.clone(),
            })?;
            let p = in_range(
                &format!("{item}.general[{}]", c.id),
                "points",
                *given,
                0.0,
                c.max_points,
            )?;
            subtotal += p;
            if !group.criteria.is_empty() {
                group_node.push(
                    Node::new("general.criterion")
                        .text("criterion", &c.id)
                        .num("max", c.max_points)
                        .points(p),
                );
            }
        }
        total += subtotal;
        node.push(group_node.points(subtotal));
    }
    Ok((total, Some(node.points(total))))
}
