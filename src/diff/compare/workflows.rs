//! Approval flows and escalation tiers.

use super::*;

pub(super) fn approvals(out: &mut Out, o: &Agreement, n: &Agreement) {
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
            let client_step = super::people::party_of(n, &y.by) == Some(&PartyKind::Client);
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

pub(super) fn escalations(out: &mut Out, o: &Agreement, n: &Agreement) {
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
        let subject = format!("escalation {}", b.id);
        super::calendars::clock(out, &subject, (o, &a.clock), (n, &b.clock));
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
