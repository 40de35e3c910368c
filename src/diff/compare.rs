//! The comparisons behind `diff`, entity by entity. Entities are matched by
//! id, never by position.

use super::{Change, Effect, Kind, Part};
use crate::model::*;
use std::collections::BTreeSet;

struct Out<'a> {
    agreement: &'a str,
    changes: Vec<Change>,
}

impl Out<'_> {
    fn push(
        &mut self,
        kind: Kind,
        subject: String,
        field: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        effect: Effect,
    ) {
        let what = match field {
            Some(f) => format!("{subject}: {f}"),
            None => subject.clone(),
        };
        let verb = match kind {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => effect.verb(),
        };
        let summary = match (&old, &new, kind) {
            (Some(o), Some(n), Kind::Changed) => format!("{what} {verb} from `{o}` to `{n}`"),
            (_, Some(n), Kind::Added) if field.is_some() => format!("{what} {verb}: `{n}`"),
            (Some(o), _, Kind::Removed) if field.is_some() => format!("{what} {verb} (was `{o}`)"),
            (_, Some(n), Kind::Added) => format!("{what} {verb}: {n}"),
            _ => format!("{what} {verb}"),
        };
        self.changes.push(Change {
            agreement: self.agreement.to_string(),
            kind,
            subject,
            field: field.map(str::to_string),
            old,
            new,
            effect,
            client: effect.for_client(),
            parts: Vec::new(),
            summary,
        });
    }

    /// A change to a compound value, with the effect of each part that
    /// moved; the change's effect is theirs together (mixed when they pull
    /// both ways), and its summary names each part.
    fn parts(&mut self, subject: &str, field: &str, old: String, new: String, parts: Vec<Part>) {
        let effect = parts.iter().fold(Effect::Neutral, |e, p| e.and(p.effect));
        self.push(
            Kind::Changed,
            subject.to_string(),
            Some(field),
            Some(old),
            Some(new),
            effect,
        );
        if let Some(c) = self.changes.last_mut() {
            if effect == Effect::Mixed {
                let described: Vec<String> = parts
                    .iter()
                    .map(|p| p.describe(|v| format!("`{v}`")))
                    .collect();
                c.summary = format!("{} (mixed: {})", c.summary, described.join(", "));
            }
            c.parts = parts;
        }
    }

    /// A field that may change: reported when old and new differ.
    fn field<T: PartialEq>(
        &mut self,
        subject: &str,
        field: &str,
        old: &T,
        new: &T,
        show: impl Fn(&T) -> String,
        effect: impl Fn(&T, &T) -> Effect,
    ) {
        if old != new {
            self.push(
                Kind::Changed,
                subject.to_string(),
                Some(field),
                Some(show(old)),
                Some(show(new)),
                effect(old, new),
            );
        }
    }

    /// An optional field: added, removed or changed.
    fn optional<T: PartialEq>(
        &mut self,
        (subject, field): (&str, &str),
        old: &Option<T>,
        new: &Option<T>,
        show: impl Fn(&T) -> String,
        added: Effect,
        changed: impl Fn(&T, &T) -> Effect,
    ) {
        match (old, new) {
            (None, Some(n)) => self.push(
                Kind::Added,
                subject.into(),
                Some(field),
                None,
                Some(show(n)),
                added,
            ),
            (Some(o), None) => self.push(
                Kind::Removed,
                subject.into(),
                Some(field),
                Some(show(o)),
                None,
                invert(added),
            ),
            (Some(o), Some(n)) if o != n => self.push(
                Kind::Changed,
                subject.into(),
                Some(field),
                Some(show(o)),
                Some(show(n)),
                changed(o, n),
            ),
            _ => {}
        }
    }

    /// Values of a set-like list (order does not matter): each added or removed value.
    fn set(&mut self, subject: &str, field: &str, old: &[String], new: &[String], added: Effect) {
        let (o, n): (BTreeSet<&String>, BTreeSet<&String>) =
            (old.iter().collect(), new.iter().collect());
        for v in n.difference(&o) {
            self.push(
                Kind::Added,
                subject.into(),
                Some(field),
                None,
                Some((*v).clone()),
                added,
            );
        }
        for v in o.difference(&n) {
            self.push(
                Kind::Removed,
                subject.into(),
                Some(field),
                Some((*v).clone()),
                None,
                invert(added),
            );
        }
    }
}

fn invert(e: Effect) -> Effect {
    e.inverted()
}

fn neutral<T>(_: &T, _: &T) -> Effect {
    Effect::Neutral
}

/// Matches two lists by id: (removed, pairs present in both, added).
fn match_by_id<'a, T>(
    old: &'a [T],
    new: &'a [T],
    id: impl Fn(&T) -> &str,
) -> (Vec<&'a T>, Vec<(&'a T, &'a T)>, Vec<&'a T>) {
    let removed = old
        .iter()
        .filter(|o| !new.iter().any(|n| id(n) == id(o)))
        .collect();
    let added = new
        .iter()
        .filter(|n| !old.iter().any(|o| id(n) == id(o)))
        .collect();
    let both = new
        .iter()
        .filter_map(|n| old.iter().find(|o| id(o) == id(n)).map(|o| (o, n)))
        .collect();
    (removed, both, added)
}

pub(super) fn models(old: &Model, new: &Model) -> Vec<Change> {
    let mut all = Vec::new();
    let (removed, both, added) = match_by_id(&old.agreements, &new.agreements, |a| &a.name);
    for (o, n) in both {
        all.extend(agreement(o, n));
    }
    for a in added {
        let mut out = Out {
            agreement: &a.name,
            changes: Vec::new(),
        };
        let binding = a.goals.iter().filter(|g| g.binding).count();
        out.push(
            Kind::Added,
            format!("agreement {}", a.name),
            None,
            None,
            Some(format!("\"{}\" with {} binding goals", a.title, binding)),
            if binding > 0 {
                Effect::Stricter
            } else {
                Effect::Neutral
            },
        );
        all.extend(out.changes);
    }
    for a in removed {
        let mut out = Out {
            agreement: &a.name,
            changes: Vec::new(),
        };
        let binding = a.goals.iter().any(|g| g.binding);
        out.push(
            Kind::Removed,
            format!("agreement {}", a.name),
            None,
            None,
            None,
            if binding {
                Effect::Looser
            } else {
                Effect::Neutral
            },
        );
        all.extend(out.changes);
    }
    all
}

fn agreement(o: &Agreement, n: &Agreement) -> Vec<Change> {
    let mut out = Out {
        agreement: &n.name,
        changes: Vec::new(),
    };
    let me = "agreement".to_string();
    out.field(&me, "title", &o.title, &n.title, |t| t.clone(), neutral);
    out.field(
        &me,
        "term",
        &o.term,
        &n.term,
        |t| format!("{} to {}", t.start, t.end),
        neutral,
    );
    out.field(
        &me,
        "timezone",
        &o.timezone,
        &n.timezone,
        |t| t.name().to_string(),
        neutral,
    );
    out.optional(
        (&me, "review"),
        &o.review,
        &n.review,
        |p| p.keyword().into(),
        Effect::Neutral,
        neutral,
    );
    out.field(
        &me,
        "period",
        &o.period,
        &n.period,
        |p| p.keyword().into(),
        neutral,
    );
    out.optional(
        (&me, "fee"),
        &o.fee,
        &n.fee,
        |f| format!("{} {} per {}", f.amount(), f.currency, f.per.keyword()),
        Effect::Looser,
        |a, b| {
            if a.currency == b.currency {
                Effect::less_is_stricter(a.cents, b.cents)
            } else {
                Effect::Neutral
            }
        },
    );
    // A cap limits what the client can claim: a higher cap or none favours the client.
    match (&o.credit_cap, &n.credit_cap) {
        (None, Some(c)) => out.push(
            Kind::Added,
            me.clone(),
            Some("credit cap"),
            None,
            Some(c.percent()),
            Effect::Looser,
        ),
        (Some(c), None) => out.push(
            Kind::Removed,
            me.clone(),
            Some("credit cap"),
            Some(c.percent()),
            None,
            Effect::Stricter,
        ),
        (Some(a), Some(b)) if a != b => out.push(
            Kind::Changed,
            me.clone(),
            Some("credit cap"),
            Some(a.percent()),
            Some(b.percent()),
            Effect::more_is_stricter(a, b),
        ),
        _ => {}
    }
    let ex = |v: &[Exclusion]| {
        v.iter()
            .map(|e| e.keyword().to_string())
            .collect::<Vec<_>>()
    };
    out.set(
        &me,
        "exclusion",
        &ex(&o.exclusions),
        &ex(&n.exclusions),
        Effect::Looser,
    );
    out.set(
        &me,
        "objective",
        &o.objectives,
        &n.objectives,
        Effect::Neutral,
    );
    if o.platforms != n.platforms {
        out.set(&me, "platform", &o.platforms, &n.platforms, Effect::Neutral);
        let (mut a, mut b) = (o.platforms.clone(), n.platforms.clone());
        a.sort();
        b.sort();
        if a == b {
            out.push(
                Kind::Changed,
                me.clone(),
                Some("platform priority"),
                Some(o.platforms.join(", ")),
                Some(n.platforms.join(", ")),
                Effect::Neutral,
            );
        }
    }
    let party = |p: &Party| format!("{} {} \"{}\"", p.kind.keyword(), p.id, p.name);
    let (rem, both, add) = match_by_id(&o.parties, &n.parties, |p| &p.id);
    for p in add {
        out.push(
            Kind::Added,
            format!("party {}", p.id),
            None,
            None,
            Some(party(p)),
            Effect::Neutral,
        );
    }
    for p in rem {
        out.push(
            Kind::Removed,
            format!("party {}", p.id),
            None,
            None,
            None,
            Effect::Neutral,
        );
    }
    for (a, b) in both {
        out.field(&format!("party {}", b.id), "name", a, b, party, neutral);
    }
    let named = |v: &[Named]| {
        v.iter()
            .map(|x| format!("{} \"{}\"", x.id, x.name))
            .collect::<Vec<_>>()
    };
    out.set(
        &me,
        "audience",
        &named(&o.audiences),
        &named(&n.audiences),
        Effect::Neutral,
    );
    out.set(
        &me,
        "declared platform",
        &named(&o.custom_platforms),
        &named(&n.custom_platforms),
        Effect::Neutral,
    );
    out.optional(
        (&me, "guidelines"),
        &o.guidelines,
        &n.guidelines,
        |g| {
            let mut parts = Vec::new();
            parts.extend(g.tone.as_ref().map(|t| format!("tone \"{t}\"")));
            parts.extend(g.style.as_ref().map(|t| format!("style \"{t}\"")));
            if !g.languages.is_empty() {
                parts.push(format!("languages {}", g.languages.join(", ")));
            }
            parts.join("; ")
        },
        Effect::Neutral,
        neutral,
    );
    roles(&mut out, o, n);
    responsibilities(&mut out, o, n);
    calendars(&mut out, o, n);
    goals(&mut out, o, n);
    approvals(&mut out, o, n);
    escalations(&mut out, o, n);
    communication(&mut out, o, n);
    out.changes
}

fn roles(out: &mut Out, o: &Agreement, n: &Agreement) {
    let (rem, both, add) = match_by_id(&o.roles, &n.roles, |r| &r.id);
    for r in add {
        out.push(
            Kind::Added,
            format!("role {}", r.id),
            None,
            None,
            Some(format!("of {}", r.party)),
            Effect::Neutral,
        );
    }
    for r in rem {
        out.push(
            Kind::Removed,
            format!("role {}", r.id),
            None,
            None,
            None,
            Effect::Neutral,
        );
    }
    for (a, b) in both {
        let s = format!("role {}", b.id);
        out.field(&s, "party", &a.party, &b.party, |p| p.clone(), neutral);
        let c = |r: &Role| {
            r.contacts
                .iter()
                .map(|c| format!("{} {}", c.kind.keyword(), c.value))
                .collect::<Vec<_>>()
        };
        out.set(&s, "contact", &c(a), &c(b), Effect::Neutral);
    }
}

fn responsibilities(out: &mut Out, o: &Agreement, n: &Agreement) {
    let (rem, both, add) = match_by_id(&o.responsibilities, &n.responsibilities, |r| &r.id);
    for r in add {
        out.push(
            Kind::Added,
            format!("responsibility {}", r.id),
            None,
            None,
            Some(format!("{} duties", r.duties.len())),
            Effect::Stricter,
        );
    }
    for r in rem {
        out.push(
            Kind::Removed,
            format!("responsibility {}", r.id),
            None,
            None,
            None,
            Effect::Looser,
        );
    }
    for (a, b) in both {
        let s = format!("responsibility {}", b.id);
        out.set(
            &s,
            "responsible",
            &a.responsible,
            &b.responsible,
            Effect::Neutral,
        );
        out.field(
            &s,
            "accountable",
            &a.accountable,
            &b.accountable,
            |x| x.clone(),
            neutral,
        );
        out.set(&s, "consulted", &a.consulted, &b.consulted, Effect::Neutral);
        out.set(&s, "informed", &a.informed, &b.informed, Effect::Neutral);
        out.set(&s, "duty", &a.duties, &b.duties, Effect::Stricter);
    }
}

/// Open minutes in a week: more open time means a clock that runs more, so
/// deadlines on it are stricter.
fn weekly_minutes(c: &Calendar) -> u32 {
    c.open
        .iter()
        .map(|o| o.days.len() as u32 * (o.end - o.start))
        .sum()
}

fn hours(c: &Calendar) -> String {
    c.open
        .iter()
        .map(|o| {
            let days: Vec<&str> = o
                .days
                .iter()
                .map(|d| crate::model::DayKeyword::keyword(*d))
                .collect();
            format!(
                "{} {:02}:{:02}-{:02}:{:02}",
                days.join(","),
                o.start / 60,
                o.start % 60,
                o.end / 60,
                o.end % 60
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn calendars(out: &mut Out, o: &Agreement, n: &Agreement) {
    for (name, b) in &n.calendars {
        let Some(a) = o.calendars.get(name) else {
            continue;
        };
        let s = format!("calendar {name}");
        out.field(
            &s,
            "timezone",
            &a.timezone,
            &b.timezone,
            |t| t.name().to_string(),
            neutral,
        );
        if a.open != b.open {
            let effect = Effect::more_is_stricter(weekly_minutes(a), weekly_minutes(b));
            out.push(
                Kind::Changed,
                s.clone(),
                Some("opening hours"),
                Some(hours(a)),
                Some(hours(b)),
                effect,
            );
        }
        let dates = |c: &Calendar| {
            c.closed
                .iter()
                .map(|d| d.date.to_string())
                .collect::<Vec<_>>()
        };
        // A closed date stops the clock: more of them loosen every deadline on it.
        out.set(&s, "closed date", &dates(a), &dates(b), Effect::Looser);
    }
}

fn clock_minutes(a: &Agreement, c: &Clock) -> u32 {
    a.calendar(c).map_or(7 * 24 * 60, weekly_minutes)
}

fn goals(out: &mut Out, o: &Agreement, n: &Agreement) {
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
        if a.clock != b.clock {
            let effect =
                Effect::more_is_stricter(clock_minutes(o, &a.clock), clock_minutes(n, &b.clock));
            out.push(
                Kind::Changed,
                s.clone(),
                Some("clock"),
                Some(a.clock.name().into()),
                Some(b.clock.name().into()),
                effect,
            );
        }
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
fn target(a: &Target, b: &Target) -> Vec<Part> {
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

/// Whose obligation a deadline is: approvals by the client's roles bind the
/// client, so a shorter deadline there favours the provider.
fn party_of<'a>(a: &'a Agreement, roles: &[String]) -> Option<&'a PartyKind> {
    let party = &a.role(roles.first()?)?.party;
    a.parties.iter().find(|p| &p.id == party).map(|p| &p.kind)
}

fn approvals(out: &mut Out, o: &Agreement, n: &Agreement) {
    let (rem, both, add) = match_by_id(&o.approvals, &n.approvals, |x| &x.id);
    for x in add {
        out.push(
            Kind::Added,
            format!("approval {}", x.id),
            None,
            None,
            Some(format!("\"{}\" with {} steps", x.title, x.steps.len())),
            Effect::Neutral,
        );
    }
    for x in rem {
        out.push(
            Kind::Removed,
            format!("approval {}", x.id),
            None,
            None,
            None,
            Effect::Neutral,
        );
    }
    for (a, b) in both {
        let (srem, sboth, sadd) = match_by_id(&a.steps, &b.steps, |s| &s.id);
        for s in sadd {
            out.push(
                Kind::Added,
                format!("approval {} step {}", b.id, s.id),
                None,
                None,
                Some(format!("by {} within {}", s.by.join(", "), s.within)),
                Effect::Neutral,
            );
        }
        for s in srem {
            out.push(
                Kind::Removed,
                format!("approval {} step {}", b.id, s.id),
                None,
                None,
                None,
                Effect::Neutral,
            );
        }
        for (x, y) in sboth {
            let subject = format!("approval {} step {}", b.id, y.id);
            let client_step = party_of(n, &y.by) == Some(&PartyKind::Client);
            out.field(
                &subject,
                "within",
                &x.within,
                &y.within,
                |d| d.to_string(),
                |p, q| {
                    let e = Effect::less_is_stricter(p, q);
                    if client_step {
                        invert(e)
                    } else {
                        e
                    }
                },
            );
            out.set(&subject, "by", &x.by, &y.by, Effect::Neutral);
            out.field(
                &subject,
                "clock",
                &x.clock,
                &y.clock,
                |c| c.name().into(),
                neutral,
            );
            out.optional(
                (&subject, "when tagged"),
                &x.when_tagged,
                &y.when_tagged,
                |t| t.clone(),
                Effect::Neutral,
                neutral,
            );
            out.optional(
                (&subject, "on silence"),
                &x.on_silence,
                &y.on_silence,
                |s| format!("{s:?}").to_lowercase(),
                Effect::Neutral,
                neutral,
            );
        }
    }
}

fn escalations(out: &mut Out, o: &Agreement, n: &Agreement) {
    let (rem, both, add) = match_by_id(&o.escalations, &n.escalations, |x| &x.id);
    for x in add {
        out.push(
            Kind::Added,
            format!("escalation {}", x.id),
            None,
            None,
            Some(format!("\"{}\" with {} tiers", x.title, x.tiers.len())),
            Effect::Stricter,
        );
    }
    for x in rem {
        out.push(
            Kind::Removed,
            format!("escalation {}", x.id),
            None,
            None,
            None,
            Effect::Looser,
        );
    }
    for (a, b) in both {
        if a.clock != b.clock {
            let effect =
                Effect::more_is_stricter(clock_minutes(o, &a.clock), clock_minutes(n, &b.clock));
            out.push(
                Kind::Changed,
                format!("escalation {}", b.id),
                Some("clock"),
                Some(a.clock.name().into()),
                Some(b.clock.name().into()),
                effect,
            );
        }
        let (trem, tboth, tadd) = match_by_id(&a.tiers, &b.tiers, |t| &t.id);
        for t in tadd {
            out.push(
                Kind::Added,
                format!("tier {}.{}", b.id, t.id),
                None,
                None,
                Some(format!("notify {}", t.notify.join(", "))),
                Effect::Stricter,
            );
        }
        for t in trem {
            out.push(
                Kind::Removed,
                format!("tier {}.{}", b.id, t.id),
                None,
                None,
                None,
                Effect::Looser,
            );
        }
        for (x, y) in tboth {
            let s = format!("tier {}.{}", b.id, y.id);
            let less = |p: &Seconds, q: &Seconds| Effect::less_is_stricter(p, q);
            out.optional(
                (&s, "acknowledge within"),
                &x.acknowledge,
                &y.acknowledge,
                |d| d.to_string(),
                Effect::Stricter,
                less,
            );
            out.optional(
                (&s, "resolve within"),
                &x.resolve,
                &y.resolve,
                |d| d.to_string(),
                Effect::Stricter,
                less,
            );
            out.set(&s, "notify", &x.notify, &y.notify, Effect::Neutral);
            out.field(
                &s,
                "pause publishing",
                &x.pause_publishing,
                &y.pause_publishing,
                |p| p.to_string(),
                neutral,
            );
            out.set(
                &s,
                "statement approver",
                &x.statement_by,
                &y.statement_by,
                Effect::Neutral,
            );
        }
    }
}

fn communication(out: &mut Out, o: &Agreement, n: &Agreement) {
    let me = "communication".to_string();
    let report = |r: &Report| {
        let within = r.within.map(|w| format!(" within {w}")).unwrap_or_default();
        format!(
            "report {} to {} via {}{within}",
            r.period.keyword(),
            r.to,
            r.via
        )
    };
    let reports = |a: &Agreement| {
        a.communication
            .reports
            .iter()
            .map(report)
            .collect::<Vec<_>>()
    };
    out.set(&me, "report", &reports(o), &reports(n), Effect::Stricter);
    let meetings = |a: &Agreement| {
        a.communication
            .meetings
            .iter()
            .map(|m| format!("meeting {} with {}", m.period.keyword(), m.with.join(", ")))
            .collect::<Vec<_>>()
    };
    out.set(&me, "meeting", &meetings(o), &meetings(n), Effect::Neutral);
    let channels = |a: &Agreement| {
        a.communication
            .channels
            .iter()
            .map(|c| format!("{} \"{}\"", c.kind, c.address))
            .collect::<Vec<_>>()
    };
    out.set(&me, "channel", &channels(o), &channels(n), Effect::Neutral);
}
