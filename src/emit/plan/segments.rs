//! Targets per segment for the live targets: a goal with segments is
//! watched as one goal per part, each with its own selector and target,
//! told apart by the `segment` label. A segment's selector is the goal's
//! `where` and the segment's conditions; the other items' selector is the
//! goal's `where` and "none of the segments' values", which one label
//! matcher can say only when every segment is one condition on the same
//! dimension that lists the values it admits (`for priority = urgent`,
//! `for priority in [high, normal]`). Otherwise the other items have no
//! selector and the checker warns (W0014).

use crate::model::{Goal, OTHER_ITEMS};

/// One part of a goal, as the goal it is watched as.
pub struct Part {
    /// The `segment` label: the segment's conditions as written, or
    /// `other`; `None` for a goal without segments.
    pub label: Option<String>,
    /// The goal restricted to the part: its `where` narrowed to the part,
    /// its target the part's, without segments.
    pub goal: Goal,
}

/// The parts a goal is watched as, in source order, the other items last
/// (left out when no selector can say them, see
/// `Goal::others_condition`).
pub fn parts(g: &Goal) -> Vec<Part> {
    if g.segments.is_empty() {
        return vec![Part {
            label: None,
            goal: g.clone(),
        }];
    }
    let mut out: Vec<Part> = g
        .segments
        .iter()
        .map(|s| Part {
            label: Some(s.label()),
            goal: Goal {
                conditions: g.conditions.iter().chain(&s.conditions).cloned().collect(),
                target: s.target.clone(),
                segments: Vec::new(),
                ..g.clone()
            },
        })
        .collect();
    if let Some(rest) = g.others_condition() {
        out.push(Part {
            label: Some(OTHER_ITEMS.to_string()),
            goal: Goal {
                conditions: g.conditions.iter().cloned().chain([rest]).collect(),
                segments: Vec::new(),
                ..g.clone()
            },
        });
    }
    out
}
