//! Business hours in PromQL.
//!
//! PromQL knows only UTC, so a calendar compiles to a plan over a fixed range
//! of local dates (the agreement's term plus a day either side):
//!
//! - **Offset spans.** Runs of local days during which the time zone's UTC
//!   offset is constant (tzdb transitions, via chrono-tz). Inside a span the
//!   local time is exactly `time() + offset`, so the `open` lines become
//!   weekday and time-of-day gates: `day_of_week(vector(time() + o))` and
//!   `(time() + o) % 86400`.
//! - **Closed dates** on those days are cut out with `unless on()`.
//! - **Exact days.** The few local days next to a UTC offset change (the day
//!   before, of and after each transition) are not gated at all: their open
//!   intervals come straight from `crate::clock`, the same code the report
//!   uses, and are listed as UTC ranges. This is where gaps and repeated
//!   hours live, so every DST subtlety is handled by one implementation.
//! - **Horizon.** Outside the planned range the clock reads closed and the
//!   horizon alert fires.
//!
//! `ClockPlan::is_open` evaluates the plan the way the rendered PromQL does;
//! tests compare it with `crate::clock` at every opening and closing instant,
//! and `clock_proof` makes promtool do the same with the rendered text.

use crate::clock;
use crate::emit::plan::weekdays::{days_text, runs};
use crate::emit::promql;
use crate::model::{Calendar, OpenHours};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

const DAY: i64 = 86_400;

/// The recording rule every business-hours alert is gated on.
pub const CLOCK_SERIES: &str = "slac:clock_open";
/// An optional series that forces a clock open (1) or closed (0).
pub const OVERRIDE_SERIES: &str = "slac_clock_override";

/// A run of local days with one UTC offset, as UTC seconds `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    /// Local time minus UTC, in seconds.
    pub offset: i32,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// One `open` line: PromQL weekdays (0 = Sunday) and seconds after local
/// midnight `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    pub days: Vec<u32>,
    pub start: u32,
    pub end: u32,
    pub text: String,
}

impl Gate {
    /// Whether the local time `t + offset` passes the gate, computed the way
    /// the PromQL does.
    pub fn admits(&self, t: i64, offset: i32) -> bool {
        let local = t + offset as i64;
        let weekday = (local.div_euclid(DAY) + 4).rem_euclid(7) as u32;
        let second = local.rem_euclid(DAY);
        self.days.contains(&weekday) && second >= self.start as i64 && second < self.end as i64
    }
}

/// A closed date on an offset span, as UTC seconds `[start, end)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedDay {
    pub date: NaiveDate,
    pub name: Option<String>,
    pub start: i64,
    pub end: i64,
}

/// Local days next to an offset change, with their exact open intervals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactDays {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub intervals: Vec<(i64, i64)>,
}

/// A calendar's business hours over a range of local dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockPlan {
    pub timezone: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// UTC seconds `[start, end)` covered by the plan.
    pub horizon: (i64, i64),
    pub spans: Vec<Span>,
    pub gates: Vec<Gate>,
    pub closed: Vec<ClosedDay>,
    pub exact: Vec<ExactDays>,
}

/// Midnight of `d` read as if it were UTC.
fn naive_midnight(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp()
}

fn offset_at(tz: Tz, t: i64) -> i32 {
    let utc = Utc
        .timestamp_opt(t, 0)
        .single()
        .expect("in range")
        .naive_utc();
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// `transitions`, remembered for the life of the process. The scan takes
/// ~70,000 offset lookups a year, and a build plans the same few zones over
/// the same terms for every calendar of every agreement (twice: rules and
/// promtool tests), so without this it dominated `slac build` (BENCHMARKS.md).
/// The function is pure, so the cache changes no output.
fn transitions_cached(tz: Tz, from: i64, to: i64) -> Arc<[i64]> {
    type Cache = Mutex<HashMap<(&'static str, i64, i64), Arc<[i64]>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (tz.name(), from, to);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().expect("not poisoned").get(&key) {
        return hit.clone();
    }
    // Computed outside the lock; a racing thread computes the same value.
    let found: Arc<[i64]> = transitions(tz, from, to).into();
    cache
        .lock()
        .expect("not poisoned")
        .insert(key, found.clone());
    found
}

/// Every instant in `(from, to]` at which the UTC offset changes (the first
/// second of the new offset). tzdb never changes offset twice within the
/// 15-minute scan step.
pub fn transitions(tz: Tz, from: i64, to: i64) -> Vec<i64> {
    const STEP: i64 = 900;
    let mut out = Vec::new();
    let mut prev = from;
    let mut prev_offset = offset_at(tz, from);
    while prev < to {
        let next = (prev + STEP).min(to);
        let offset = offset_at(tz, next);
        if offset != prev_offset {
            // Binary search for the first second with the new offset.
            let (mut lo, mut hi) = (prev, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == prev_offset {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
        }
        prev = next;
        prev_offset = offset;
    }
    out
}

fn weekday_number(d: chrono::Weekday) -> u32 {
    d.num_days_from_sunday()
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn gate(open: &OpenHours) -> Gate {
    let mut days: Vec<u32> = open.days.iter().map(|d| weekday_number(*d)).collect();
    days.sort_unstable();
    days.dedup();
    Gate {
        days,
        start: open.start * 60,
        end: open.end * 60,
        text: format!(
            "{} {}-{}",
            days_text(&open.days),
            hhmm(open.start),
            hhmm(open.end)
        ),
    }
}

impl ClockPlan {
    /// Plans `cal` over the local dates `from..=to`.
    pub fn new(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> ClockPlan {
        let tz = cal.timezone;
        let changes = transitions_cached(
            tz,
            naive_midnight(from) - 3 * DAY,
            naive_midnight(to) + 4 * DAY,
        );
        // A day is regular when no offset change falls within a day of it:
        // every local time of the day (midnight to midnight) then maps to UTC
        // with one offset and exactly one instant (offsets are within +-14h).
        let regular = |d: NaiveDate| {
            let (lo, hi) = (naive_midnight(d) - DAY, naive_midnight(d) + 2 * DAY);
            !changes.iter().any(|&t| t > lo && t <= hi)
        };
        let mut plan = ClockPlan {
            timezone: cal.timezone.name().to_string(),
            from,
            to,
            horizon: (
                clock::to_utc(tz, from.and_time(NaiveTime::MIN), false).timestamp(),
                clock::to_utc(tz, (to + Duration::days(1)).and_time(NaiveTime::MIN), false)
                    .timestamp(),
            ),
            spans: Vec::new(),
            gates: cal.open.iter().map(gate).collect(),
            closed: Vec::new(),
            exact: Vec::new(),
        };
        let mut day = from;
        while day <= to {
            let is_regular = regular(day);
            let mut last = day;
            while last < to && regular(last + Duration::days(1)) == is_regular {
                last += Duration::days(1);
            }
            if is_regular {
                plan.add_span(cal, tz, day, last);
            } else {
                let intervals = clock::open_intervals(cal, day, last)
                    .iter()
                    .map(|i| (i.start.timestamp(), i.end.timestamp()))
                    .collect();
                plan.exact.push(ExactDays {
                    first: day,
                    last,
                    intervals,
                });
            }
            day = last + Duration::days(1);
        }
        plan
    }

    fn add_span(&mut self, cal: &Calendar, tz: Tz, first: NaiveDate, last: NaiveDate) {
        let offset = offset_at(tz, naive_midnight(first));
        let utc = |d: NaiveDate| naive_midnight(d) - offset as i64;
        self.spans.push(Span {
            start: utc(first),
            end: utc(last + Duration::days(1)),
            offset,
            first,
            last,
        });
        for c in cal
            .closed
            .iter()
            .filter(|c| c.date >= first && c.date <= last)
        {
            let weekday = c.date.weekday();
            if cal.open.iter().any(|o| o.days.contains(&weekday)) {
                self.closed.push(ClosedDay {
                    date: c.date,
                    name: c.name.clone(),
                    start: utc(c.date),
                    end: utc(c.date + Duration::days(1)),
                });
            }
        }
    }

    /// Whether the plan says open at UTC second `t`, evaluated the way the
    /// rendered PromQL is: `((spans and gates) unless closed) or exact`.
    pub fn is_open(&self, t: i64) -> bool {
        let inside = |(a, b): (i64, i64)| a <= t && t < b;
        let gated = self
            .spans
            .iter()
            .filter(|s| inside((s.start, s.end)))
            .any(|s| self.gates.iter().any(|g| g.admits(t, s.offset)));
        let closed = self.closed.iter().any(|c| inside((c.start, c.end)));
        let exact = self
            .exact
            .iter()
            .flat_map(|e| &e.intervals)
            .any(|i| inside(*i));
        (gated && !closed) || exact
    }

    /// The distinct UTC offsets of the spans, in order of first use.
    fn offsets(&self) -> Vec<i32> {
        let mut out: Vec<i32> = Vec::new();
        for s in &self.spans {
            if !out.contains(&s.offset) {
                out.push(s.offset);
            }
        }
        out
    }

    /// The PromQL of `slac:clock_open`: 1 while open, 0 otherwise, unless an
    /// override series for the same agreement and calendar says otherwise.
    pub fn expr(&self, agreement: &str, calendar: &str) -> String {
        let override_selector = promql::Selector::new(
            OVERRIDE_SERIES,
            vec![
                promql::Matcher::eq("agreement", agreement),
                promql::Matcher::eq("calendar", calendar),
            ],
        );
        let mut out = String::new();
        out.push_str(&format!(
            "# Business hours of `{}` ({}), exact from {} to {} (local dates).\n",
            promql::comment(calendar),
            promql::comment(&self.timezone),
            self.from,
            self.to
        ));
        out.push_str("# An override series, when present, wins.\n");
        out.push_str(&format!(
            "max({})\nor\n(\n  vector(1) and on() (\n",
            override_selector.render()
        ));
        let open = self.open_terms();
        out.push_str(&indent(&open, 4));
        out.push_str("  )\n)\nor\nvector(0)\n");
        out
    }

    /// The open condition, as lines without indentation.
    fn open_terms(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let gated: Vec<String> = self
            .offsets()
            .into_iter()
            .map(|o| self.gated_for(o))
            .collect();
        if !gated.is_empty() {
            let mut g = format!("(\n{}\n)", indent(&gated.join("\nor\n"), 2).trim_end());
            if !self.closed.is_empty() {
                let ranges: Vec<String> = self
                    .closed
                    .iter()
                    .map(|c| {
                        let name = c
                            .name
                            .as_deref()
                            .map(|n| format!(" {}", promql::comment(n)))
                            .unwrap_or_default();
                        format!("# closed {}{name}\n{}", c.date, range(c.start, c.end))
                    })
                    .collect();
                g = format!(
                    "(\n{}\n)\nunless on() (\n{}\n)",
                    indent(&g, 2).trim_end(),
                    indent(&ranges.join("\nor\n"), 2).trim_end()
                );
            }
            parts.push(g);
        }
        for e in &self.exact {
            let mut lines = format!(
                "# {} to {}: next to a UTC offset change, exact open intervals",
                e.first, e.last
            );
            if e.intervals.is_empty() {
                lines.push_str("\n# (none)");
                continue;
            }
            let ranges: Vec<String> = e.intervals.iter().map(|(a, b)| range(*a, *b)).collect();
            lines.push_str(&format!(
                "\n(\n{}\n)",
                indent(&ranges.join("\nor\n"), 2).trim_end()
            ));
            parts.push(lines);
        }
        if parts.is_empty() {
            return "# never open\nvector(0) > 1\n".to_string();
        }
        let mut out = parts.join("\nor\n");
        out.push('\n');
        out
    }

    fn gated_for(&self, offset: i32) -> String {
        let spans: Vec<String> = self
            .spans
            .iter()
            .filter(|s| s.offset == offset)
            .map(|s| {
                format!(
                    "# {} from {} to {}\n{}",
                    utc_offset(offset),
                    s.first,
                    s.last,
                    range(s.start, s.end)
                )
            })
            .collect();
        let gates: Vec<String> = self.gates.iter().map(|g| gate_expr(g, offset)).collect();
        let group = format!(
            "(\n{}\n)\nand on() (\n{}\n)",
            indent(&spans.join("\nor\n"), 2).trim_end(),
            indent(&gates.join("\nor\n"), 2).trim_end()
        );
        format!("(\n{}\n)", indent(&group, 2).trim_end())
    }
}

/// `vector(time()) >= a < b`: non-empty while `a <= time() < b`.
fn range(a: i64, b: i64) -> String {
    format!("vector(time()) >= {a} < {b}")
}

fn shifted(offset: i64) -> String {
    match offset {
        0 => "time()".to_string(),
        o if o > 0 => format!("time() + {o}"),
        o => format!("time() - {}", -o),
    }
}

fn gate_expr(g: &Gate, offset: i32) -> String {
    let weekday = format!("day_of_week(vector({}))", shifted(offset as i64));
    let day_tests: Vec<String> = runs(&g.days)
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                format!("{weekday} == {a}")
            } else {
                format!("{weekday} >= {a} <= {b}")
            }
        })
        .collect();
    // A non-negative shift keeps `%` non-negative for every time() >= 0.
    let second = format!(
        "vector(({}) % {DAY})",
        shifted((offset as i64).rem_euclid(DAY))
    );
    format!(
        "# {}\n({})\nand on() ({second} >= {} < {})",
        promql::comment(&g.text),
        day_tests.join(" or "),
        g.start,
        g.end
    )
}

/// `UTC+01:00`, `UTC-05:00`.
pub fn utc_offset(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::BusinessTime;
    use crate::model::ClosedDate;
    use chrono::Weekday::{self, *};

    fn cal(tz: &str, open: Vec<(Vec<Weekday>, u32, u32)>, closed: &[&str]) -> Calendar {
        Calendar {
            name: "c".into(),
            title: None,
            description: None,
            timezone: tz.parse().expect("a time zone"),
            open: open
                .into_iter()
                .map(|(days, start, end)| OpenHours { days, start, end })
                .collect(),
            closed: closed
                .iter()
                .map(|d| ClosedDate {
                    date: d.parse().unwrap(),
                    name: Some("holiday".into()),
                })
                .collect(),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Compares the plan with `crate::clock` at every opening and closing
    /// instant (and the seconds around them), at every span, closed-day and
    /// horizon boundary, and every 15 minutes over the whole range.
    fn assert_exact(c: &Calendar, from: &str, to: &str) {
        let (from, to) = (d(from), d(to));
        let plan = ClockPlan::new(c, from, to);
        let reference = BusinessTime::for_calendar(c, from, to);
        let truth = |t: i64| {
            let at = Utc.timestamp_opt(t, 0).unwrap();
            reference.between(at, at + Duration::seconds(1)) == crate::clock::Micros::from_secs(1)
        };
        let mut instants: Vec<i64> = Vec::new();
        for i in reference.intervals() {
            for t in [i.start.timestamp(), i.end.timestamp()] {
                instants.extend([t - 1, t, t + 1]);
            }
        }
        for s in &plan.spans {
            instants.extend([s.start - 1, s.start, s.end - 1, s.end]);
        }
        for c in &plan.closed {
            instants.extend([c.start - 1, c.start, c.end - 1, c.end]);
        }
        let (h0, h1) = plan.horizon;
        let mut t = h0;
        while t < h1 {
            instants.push(t);
            t += 900;
        }
        for t in instants.into_iter().filter(|t| *t >= h0 && *t < h1) {
            assert_eq!(
                plan.is_open(t),
                truth(t),
                "{} at {} ({t})",
                c.timezone,
                Utc.timestamp_opt(t, 0).unwrap()
            );
        }
        // The horizon covers exactly the planned local dates.
        if let (Some(first), Some(last)) =
            (reference.intervals().first(), reference.intervals().last())
        {
            assert!(first.start.timestamp() >= h0 && last.end.timestamp() <= h1);
        }
    }

    const WEEKDAYS: [Weekday; 5] = [Mon, Tue, Wed, Thu, Fri];

    #[test]
    fn office_hours_over_a_year_in_several_zones() {
        for tz in [
            "Europe/Berlin",
            "America/New_York",
            "Europe/London",
            "Asia/Tokyo",
            "UTC",
            "Australia/Sydney",
        ] {
            let c = cal(
                tz,
                vec![(WEEKDAYS.to_vec(), 9 * 60, 17 * 60)],
                &["2026-03-30", "2026-10-26", "2026-12-24"],
            );
            assert_exact(&c, "2025-12-31", "2027-01-01");
        }
    }

    #[test]
    fn hours_inside_the_gap_and_the_repeated_hour() {
        // Berlin: 02:00-03:00 is skipped in March and repeated in October;
        // New York: 02:00-03:00 skipped, 01:00-02:00 repeated.
        let every = vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun];
        for (tz, start, end) in [
            ("Europe/Berlin", 2 * 60 + 30, 4 * 60),
            ("Europe/Berlin", 60, 2 * 60 + 30),
            ("America/New_York", 60 + 30, 3 * 60),
            ("America/New_York", 0, 60 + 30),
            ("America/New_York", 23 * 60, 24 * 60),
        ] {
            let c = cal(tz, vec![(every.clone(), start, end)], &[]);
            assert_exact(&c, "2026-01-01", "2026-12-31");
        }
    }

    #[test]
    fn unusual_zones_and_round_the_clock_calendars() {
        let every = vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun];
        // Lord Howe: 30-minute DST; Santiago and Havana: changes at midnight;
        // Kathmandu: +05:45; Chatham: +12:45/+13:45; Apia skipped 2011-12-30.
        for (tz, from, to) in [
            ("Australia/Lord_Howe", "2026-01-01", "2026-12-31"),
            ("America/Santiago", "2026-01-01", "2026-12-31"),
            ("America/Havana", "2026-01-01", "2026-12-31"),
            ("Asia/Kathmandu", "2026-01-01", "2026-03-01"),
            ("Pacific/Chatham", "2026-01-01", "2026-12-31"),
            ("Pacific/Apia", "2011-12-01", "2012-01-31"),
        ] {
            assert_exact(&cal(tz, vec![(every.clone(), 0, 24 * 60)], &[]), from, to);
            assert_exact(
                &cal(
                    tz,
                    vec![
                        (WEEKDAYS.to_vec(), 0, 60),
                        (vec![Sat, Sun], 22 * 60, 24 * 60),
                    ],
                    &["2026-01-01"],
                ),
                from,
                to,
            );
        }
    }

    #[test]
    fn new_york_in_1970_for_the_epoch_test() {
        let c = cal(
            "America/New_York",
            vec![(WEEKDAYS.to_vec(), 9 * 60, 17 * 60)],
            &["1970-04-28"],
        );
        assert_exact(&c, "1969-12-31", "1970-05-01");
        let plan = ClockPlan::new(&c, d("1969-12-31"), d("1970-05-01"));
        // 1970-04-26 07:00 UTC: New York moves from UTC-5 to UTC-4.
        assert_eq!(
            transitions(chrono_tz::America::New_York, 0, 11_000_000),
            vec![9_961_200]
        );
        assert_eq!(plan.spans.len(), 2);
        assert_eq!(
            (plan.spans[0].offset, plan.spans[1].offset),
            (-18_000, -14_400)
        );
        assert_eq!(
            (plan.exact[0].first, plan.exact[0].last),
            (d("1970-04-25"), d("1970-04-27"))
        );
        // Monday 1970-04-27 09:00 EDT is 13:00 UTC.
        assert_eq!(plan.exact[0].intervals, vec![(10_069_200, 10_098_000)]);
    }

    #[test]
    fn the_rendered_expression_reads_as_intended() {
        let c = cal(
            "America/New_York",
            vec![(WEEKDAYS.to_vec(), 9 * 60, 17 * 60)],
            &["1970-04-28"],
        );
        let plan = ClockPlan::new(&c, d("1969-12-31"), d("1970-05-01"));
        let expr = plan.expr("epoch_desk", "ny_office");
        assert!(expr.starts_with("# Business hours of `ny_office`"));
        assert!(expr
            .contains("max(slac_clock_override{agreement=\"epoch_desk\",calendar=\"ny_office\"})"));
        assert!(expr.contains("(day_of_week(vector(time() - 18000)) >= 1 <= 5)"));
        assert!(expr.contains("and on() (vector((time() + 68400) % 86400) >= 32400 < 61200)"));
        assert!(expr.contains("# closed 1970-04-28 holiday\n"));
        assert!(expr.contains("vector(time()) >= 10069200 < 10098000"));
        assert!(expr.ends_with("or\nvector(0)\n"));
        assert_eq!(expr.matches('(').count(), expr.matches(')').count());
    }

    #[test]
    fn gates_mirror_promql_weekdays_and_seconds() {
        let g = gate(&OpenHours {
            days: vec![Sat, Sun],
            start: 600,
            end: 960,
        });
        assert_eq!(g.days, vec![0, 6]);
        assert_eq!(g.text, "sat-sun 10:00-16:00");
        // 1970-01-03 was a Saturday; 11:00 UTC+01:00 is 10:00 UTC.
        assert!(g.admits(2 * DAY + 10 * 3600, 3600));
        assert!(!g.admits(2 * DAY + 8 * 3600, 3600));
        assert_eq!(days_text(&[Mon, Tue, Wed, Fri, Sun]), "mon-wed, fri, sun");
        assert_eq!(utc_offset(-16_200), "UTC-04:30");
    }
}
