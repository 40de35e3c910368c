//! The agreement's own terms: title, term, time zone, review and report
//! periods, fee, credit cap, exclusions, objectives and platforms.

use super::*;

pub(super) fn terms(out: &mut Out, o: &Agreement, n: &Agreement) {
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
}
