//! Calendars: a change in open hours is judged by the weekly minutes the
//! clock runs (more open time means the clock runs longer: stricter).

use super::*;

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

pub(super) fn calendars(out: &mut Out, o: &Agreement, n: &Agreement) {
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

/// A goal's or escalation's clock moved to another calendar: a clock that
/// runs more minutes a week gives less time by the deadline (stricter).
pub(super) fn clock(
    out: &mut Out,
    subject: &str,
    (o, a): (&Agreement, &Clock),
    (n, b): (&Agreement, &Clock),
) {
    if a == b {
        return;
    }
    out.push(
        Kind::Changed,
        subject.to_string(),
        Some("clock"),
        Some(a.name().into()),
        Some(b.name().into()),
        Effect::more_is_stricter(clock_minutes(o, a), clock_minutes(n, b)),
    );
}
