//! The comparisons behind `diff`, entity by entity. Entities are matched by
//! id, never by position.

use super::{Change, Effect, Kind, Part};
use crate::model::*;
use std::collections::BTreeSet;

mod calendars;
mod goals;
mod people;
mod segments;
mod terms;
mod workflows;

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
    terms::terms(&mut out, o, n);
    people::parties(&mut out, o, n);
    people::roles(&mut out, o, n);
    people::responsibilities(&mut out, o, n);
    calendars::calendars(&mut out, o, n);
    goals::goals(&mut out, o, n);
    workflows::approvals(&mut out, o, n);
    workflows::escalations(&mut out, o, n);
    people::communication(&mut out, o, n);
    out.changes
}
