//! Goals and their targets: each part of a target (share, time,
//! percentile, ratio, rate) judged on its own, so a change that tightens
//! one and loosens another is mixed.

use super::*;

pub(super) fn goals(out: &mut Out, o: &Agreement, n: &Agreement) {
    let (rem, both, add) = match_by_id(&o.goals, &n.goals, |g| &g.id);
    for g in add {
        let what = format!("\"{}\": {} {}", g.title, g.metric.name, g.target);
        let effect = if g.binding {
            Effect::Stricter
        } else {
            Effect::Neutral
        };
        out.push(
            Kind::Added,
            format!("goal {}", g.id),
            None,
            None,
            Some(what),
            effect,
        );
    }
    for g in rem {
        let effect = if g.binding {
            Effect::Looser
        } else {
            Effect::Neutral
        };
        out.push(
            Kind::Removed,
            format!("goal {}", g.id),
            None,
            Some(g.target.to_string()),
            None,
            effect,
        );
    }
    for (a, b) in both {
        let s = format!("goal {}", b.id);
        out.field(&s, "title", &a.title, &b.title, |t| t.clone(), neutral);
        out.field(
            &s,
            "metric",
            &(a.metric.name.clone(), a.by.clone()),
            &(b.metric.name.clone(), b.by.clone()),
            |(m, by)| match by {
                Some(by) => format!("{m} by {by}"),
                None => m.clone(),
            },
            neutral,
        );
        if a.target != b.target {
            out.parts(
                &s,
                "target",
                a.target.to_string(),
                b.target.to_string(),
                target(&a.target, &b.target),
            );
        }
        super::segments::segments(out, &s, a, b);
        let cond = |g: &Goal| {
            g.conditions
                .iter()
                .map(|c| match c.op {
                    Op::In => format!("{} in [{}]", c.dimension, c.operands.join(", ")),
                    op => format!("{} {op} {}", c.dimension, c.operands.join(", ")),
                })
                .collect::<Vec<_>>()
        };
        out.set(&s, "condition", &cond(a), &cond(b), Effect::Neutral);
        super::calendars::clock(out, &s, (o, &a.clock), (n, &b.clock));
        // A pause takes waiting time off the clock: one more party is looser.
        let pause = |g: &Goal| {
            g.pause
                .iter()
                .map(|w| w.keyword().to_string())
                .collect::<Vec<_>>()
        };
        out.set(
            &s,
            "pause while waiting on",
            &pause(a),
            &pause(b),
            Effect::Looser,
        );
        // `replies by human`: bot and automation replies no longer stop the
        // clock, so items wait longer: stricter. (On resolution time the
        // checker keeps `Anyone`, W0018: no change to see.)
        out.optional(
            (&s, "replies by"),
            &a.replies.keyword(),
            &b.replies.keyword(),
            |k| k.to_string(),
            Effect::Stricter,
            |_, _| Effect::Neutral,
        );
        out.field(
            &s,
            "period",
            &a.period,
            &b.period,
            |p| p.keyword().into(),
            neutral,
        );
        out.optional(
            (&s, "owner"),
            &a.owner,
            &b.owner,
            |x| x.clone(),
            Effect::Neutral,
            neutral,
        );
        if a.binding != b.binding {
            let show = |binding: bool| if binding { "binding" } else { "reported" }.to_string();
            let effect = if b.binding {
                Effect::Stricter
            } else {
                Effect::Looser
            };
            out.push(
                Kind::Changed,
                s.clone(),
                Some("commitment"),
                Some(show(a.binding)),
                Some(show(b.binding)),
                effect,
            );
        }
        out.optional(
            (&s, "escalation"),
            &a.escalate,
            &b.escalate,
            |t| format!("{}.{}", t.escalation, t.tier),
            Effect::Neutral,
            neutral,
        );
        out.optional(
            (&s, "credit"),
            &a.credit,
            &b.credit,
            |c| c.percent(),
            Effect::Stricter,
            |x, y| Effect::more_is_stricter(x, y),
        );
        // A warning is an early notice to the provider's own people, not a
        // term: it owes nothing and moves no target, so adding, removing or
        // moving it is neutral either way.
        out.optional(
            (&s, "warning"),
            &a.warn,
            &b.warn,
            |w| format!("warn at {}", w.percent()),
            Effect::Neutral,
            neutral,
        );
    }
}

/// One part of a target, if it moved.
fn part<T: PartialOrd>(
    field: &'static str,
    (old, new): (&T, &T),
    show: fn(&T) -> String,
    effect: fn(&T, &T) -> Effect,
) -> Option<Part> {
    (old != new).then(|| Part {
        field,
        old: show(old),
        new: show(new),
        effect: effect(old, new),
    })
}

fn pct(r: &Ratio) -> String {
    r.percent()
}

fn dur(s: &Seconds) -> String {
    s.to_string()
}

fn more<T: PartialOrd>(a: &T, b: &T) -> Effect {
    Effect::more_is_stricter(a, b)
}

fn less<T: PartialOrd>(a: &T, b: &T) -> Effect {
    Effect::less_is_stricter(a, b)
}

/// What moved in a target, part by part; stricter when the goal demands
/// more of the provider. A change of kind (a share to a percentile) is one
/// neutral part: the two do not compare.
pub(super) fn target(a: &Target, b: &Target) -> Vec<Part> {
    use Target::*;
    let parts = match (a, b) {
        (
            Within {
                ratio: r1,
                within: w1,
            },
            Within {
                ratio: r2,
                within: w2,
            },
        ) => vec![
            part("share", (r1, r2), pct, more),
            part("time", (w1, w2), dur, less),
        ],
        (
            Quantile {
                quantile: q1,
                max: m1,
            },
            Quantile {
                quantile: q2,
                max: m2,
            },
        ) => vec![
            part("percentile", (q1, q2), pct, more),
            part("time", (m1, m2), dur, less),
        ],
        (Mean { max: m1 }, Mean { max: m2 }) => vec![part("time", (m1, m2), dur, less)],
        (
            Ratio {
                bound: b1,
                ratio: r1,
            },
            Ratio {
                bound: b2,
                ratio: r2,
            },
        ) if b1 == b2 => {
            let effect = match b1 {
                Bound::AtLeast => more,
                Bound::AtMost => less,
            };
            vec![part("ratio", (r1, r2), pct, effect)]
        }
        (
            Rate {
                bound: b1,
                count: c1,
                per: p1,
            },
            Rate {
                bound: b2,
                count: c2,
                per: p2,
            },
        ) if b1 == b2 => {
            vec![rate(*b1, (*c1, *p1), (*c2, *p2))]
        }
        _ => vec![Some(Part {
            field: "kind",
            old: a.to_string(),
            new: b.to_string(),
            effect: Effect::Neutral,
        })],
    };
    parts.into_iter().flatten().collect()
}

/// A rate compared as events per second, without division: c1/p1 against
/// c2/p2.
fn rate(bound: Bound, (c1, p1): (u64, PerUnit), (c2, p2): (u64, PerUnit)) -> Option<Part> {
    let (x, y) = (
        c1 as u128 * p2.seconds() as u128,
        c2 as u128 * p1.seconds() as u128,
    );
    let effect = match bound {
        Bound::AtLeast => Effect::more_is_stricter(x, y),
        Bound::AtMost => Effect::less_is_stricter(x, y),
    };
    ((c1, p1) != (c2, p2)).then(|| Part {
        field: "rate",
        old: format!("{c1} per {}", p1.keyword()),
        new: format!("{c2} per {}", p2.keyword()),
        effect,
    })
}
