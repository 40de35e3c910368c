//! Targets per segment (`target T for COND`): segments are matched by their
//! conditions as written. A segment's items move from one target to
//! another, and each move is judged like a goal's target, part by part: a
//! changed segment target against the old one; an added segment's target
//! against the goal's old target, which held its items before; a removed
//! segment's target against the goal's new target, which holds them now.

use super::goals::target;
use super::*;

pub(super) fn segments(out: &mut Out, subject: &str, a: &Goal, b: &Goal) {
    let find = |list: &'_ [Segment], label: &str| -> Option<usize> {
        list.iter().position(|s| s.label() == label)
    };
    let both = b
        .segments
        .iter()
        .filter_map(|y| Some((&a.segments[find(&a.segments, &y.label())?], y)));
    let added = b
        .segments
        .iter()
        .filter(|y| find(&a.segments, &y.label()).is_none());
    let removed = a
        .segments
        .iter()
        .filter(|x| find(&b.segments, &x.label()).is_none());
    let effect = |parts: &[Part]| parts.iter().fold(Effect::Neutral, |e, p| e.and(p.effect));
    for (x, y) in both {
        if x.target != y.target {
            out.parts(
                subject,
                &format!("target for {}", y.label()),
                x.target.to_string(),
                y.target.to_string(),
                target(&x.target, &y.target),
            );
        }
    }
    for seg in added {
        let moved = target(&a.target, &seg.target);
        out.push(
            Kind::Added,
            subject.to_string(),
            Some("segment"),
            None,
            Some(format!("target {} for {}", seg.target, seg.label())),
            effect(&moved),
        );
    }
    for seg in removed {
        let moved = target(&seg.target, &b.target);
        out.push(
            Kind::Removed,
            subject.to_string(),
            Some("segment"),
            Some(format!("target {} for {}", seg.target, seg.label())),
            None,
            effect(&moved),
        );
    }
}
