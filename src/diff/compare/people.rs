//! Who is bound: parties, audiences, guidelines, roles, responsibilities
//! (RACI) and communication commitments.

use super::*;

/// Parties, audiences, declared platforms and guidelines.
pub(super) fn parties(out: &mut Out, o: &Agreement, n: &Agreement) {
    let me = "agreement".to_string();
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
}

pub(super) fn roles(out: &mut Out, o: &Agreement, n: &Agreement) {
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

pub(super) fn responsibilities(out: &mut Out, o: &Agreement, n: &Agreement) {
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

/// Whose obligation a deadline is: approvals by the client's roles bind the
/// client, so a shorter deadline there favours the provider.
pub(super) fn party_of<'a>(a: &'a Agreement, roles: &[String]) -> Option<&'a PartyKind> {
    let party = &a.role(roles.first()?)?.party;
    a.parties.iter().find(|p| &p.id == party).map(|p| &p.kind)
}

pub(super) fn communication(out: &mut Out, o: &Agreement, n: &Agreement) {
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
