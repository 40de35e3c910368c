//! Business time: when a calendar is open, as absolute UTC intervals.
//!
//! A calendar's opening hours are local wall-clock times in its time zone.
//! Expanding them over a range of dates with the time zone's real rules
//! (tzdb via chrono-tz) gives UTC intervals; the report measures events
//! against them and the Prometheus target compiles them to rules.
//!
//! DST: a local time that does not exist (the spring gap) maps to the first
//! instant after the gap, so an open hour inside the gap counts zero. A local
//! time that exists twice (the autumn overlap) maps to its earliest instant
//! when it opens an interval and to its latest when it closes one: the wall
//! clock really is open for the whole repeated hour.

use crate::model::Calendar;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// A half-open UTC interval `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Interval {
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

/// The time zone of a checked calendar (checked names always parse).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// Maps a local wall-clock time to UTC; `latest` picks the later instant of an
/// ambiguous time.
pub fn to_utc(tz: Tz, local: NaiveDateTime, latest: bool) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => {
            let (early, late) = if a < b { (a, b) } else { (b, a) };
            if latest { late } else { early }.with_timezone(&Utc)
        }
        LocalResult::None => {
            // In a gap: walk forward minute by minute to the first real instant
            // (gaps are at most a few hours).
            let mut t = local;
            for _ in 0..(24 * 60) {
                t += Duration::minutes(1);
                if let Some(x) = tz.from_local_datetime(&t).earliest() {
                    return x.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

fn local_time(minutes: u32, date: NaiveDate) -> NaiveDateTime {
    if minutes >= 24 * 60 {
        return date.succ_opt().unwrap_or(date).and_time(NaiveTime::MIN);
    }
    date.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("valid minutes"))
}

/// The open intervals of `cal` on the local dates `from..=to`, sorted and
/// merged (adjacent intervals join).
pub fn open_intervals(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<Interval> {
    let tz = zone(&cal.timezone);
    let mut out: Vec<Interval> = Vec::new();
    let mut date = from;
    while date <= to {
        let closed = cal.closed.binary_search_by_key(&date, |c| c.date).is_ok();
        if !closed {
            for hours in cal.open.iter().filter(|o| o.days.contains(&date.weekday())) {
                let start = to_utc(tz, local_time(hours.start, date), false);
                let end = to_utc(tz, local_time(hours.end, date), true);
                if end > start {
                    out.push(Interval { start, end });
                }
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    merge(out)
}

/// Sorts intervals and joins those that overlap or touch.
pub fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.retain(|i| i.end > i.start);
    intervals.sort();
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for i in intervals {
        match merged.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => merged.push(i),
        }
    }
    merged
}

/// `open` minus every interval of `cut`: what stays open once exclusion
/// windows (platform outages, force majeure) are taken out. `open` must be
/// sorted and disjoint (as `open_intervals` returns it); `cut` may be in any
/// order and overlap. Linear in the sizes of both after sorting `cut`.
pub fn subtract(open: &[Interval], cut: Vec<Interval>) -> Vec<Interval> {
    let cut = merge(cut);
    let mut out = Vec::with_capacity(open.len());
    let mut j = 0;
    for iv in open {
        let mut start = iv.start;
        // Windows that end before this interval can no longer matter: `open`
        // is sorted, so skip them for good.
        while j < cut.len() && cut[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < cut.len() && cut[k].start < iv.end {
            if cut[k].start > start {
                out.push(Interval {
                    start,
                    end: cut[k].start,
                });
            }
            start = start.max(cut[k].end);
            k += 1;
        }
        if start < iv.end {
            out.push(Interval { start, end: iv.end });
        }
    }
    out
}

/// Open intervals precomputed over a range, with prefix sums, so the business
/// time between two instants costs two binary searches.
pub struct BusinessTime {
    intervals: Vec<Interval>,
    /// `prefix[i]`: open seconds in `intervals[..i]`.
    prefix: Vec<i64>,
}

impl BusinessTime {
    pub fn new(intervals: Vec<Interval>) -> Self {
        let mut prefix = Vec::with_capacity(intervals.len() + 1);
        prefix.push(0);
        for i in &intervals {
            prefix.push(prefix.last().copied().unwrap_or(0) + i.seconds());
        }
        BusinessTime { intervals, prefix }
    }

    pub fn for_calendar(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Self {
        Self::new(open_intervals(cal, from, to))
    }

    /// The `always` clock over `[from, to)`: every second counts.
    pub fn always(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self::new(vec![Interval {
            start: from,
            end: to,
        }])
    }

    /// The same clock with the `cut` windows taken out (semantics point 2).
    pub fn without(&self, cut: Vec<Interval>) -> Self {
        Self::new(subtract(&self.intervals, cut))
    }

    /// Open seconds in `[MIN, t)`.
    fn open_before(&self, t: DateTime<Utc>) -> i64 {
        // The first interval that starts at or after t.
        let i = self.intervals.partition_point(|iv| iv.start < t);
        let mut total = self.prefix[i];
        if i > 0 {
            let prev = &self.intervals[i - 1];
            if prev.end > t {
                total -= (prev.end - t).num_seconds();
            }
        }
        total
    }

    /// Open seconds in `[start, stop)`; zero when `stop <= start`.
    pub fn between(&self, start: DateTime<Utc>, stop: DateTime<Utc>) -> i64 {
        if stop <= start {
            return 0;
        }
        self.open_before(stop) - self.open_before(start)
    }

    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClosedDate, OpenHours};
    use chrono::Weekday::*;

    fn cal(tz: &str, days: Vec<chrono::Weekday>, start: u32, end: u32) -> Calendar {
        Calendar {
            name: "c".into(),
            title: None,
            description: None,
            timezone: tz.into(),
            open: vec![OpenHours { days, start, end }],
            closed: vec![],
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekday_hours_in_local_time() {
        let c = cal(
            "Europe/Berlin",
            vec![Mon, Tue, Wed, Thu, Fri],
            9 * 60,
            17 * 60,
        );
        // 2026-01-05 is a Monday; Berlin is UTC+1 in winter.
        let iv = open_intervals(&c, d("2026-01-05"), d("2026-01-05"));
        assert_eq!(
            iv,
            vec![Interval {
                start: utc("2026-01-05T08:00:00Z"),
                end: utc("2026-01-05T16:00:00Z")
            }]
        );
        let bt = BusinessTime::for_calendar(&c, d("2026-01-01"), d("2026-01-31"));
        // Friday 16:30 local to Monday 09:30 local: 30 minutes Friday + 30 minutes Monday.
        assert_eq!(
            bt.between(utc("2026-01-09T15:30:00Z"), utc("2026-01-12T08:30:00Z")),
            3600
        );
        assert_eq!(
            bt.between(utc("2026-01-10T10:00:00Z"), utc("2026-01-10T12:00:00Z")),
            0
        );
    }

    #[test]
    fn closed_dates_and_the_spring_gap() {
        let mut c = cal("Europe/Berlin", vec![Sun, Mon], 60, 4 * 60);
        c.closed.push(ClosedDate {
            date: d("2026-03-30"),
            name: None,
        });
        // 2026-03-29 (Sunday): 01:00-04:00 local, 02:00-03:00 does not exist: 2 hours.
        let iv = open_intervals(&c, d("2026-03-29"), d("2026-03-30"));
        assert_eq!(iv.iter().map(Interval::seconds).sum::<i64>(), 2 * 3600);
        assert_eq!(iv.len(), 1);
    }

    #[test]
    fn subtracting_exclusion_windows() {
        let iv = |a: &str, b: &str| Interval {
            start: utc(a),
            end: utc(b),
        };
        let open = vec![
            iv("2026-01-05T08:00:00Z", "2026-01-05T16:00:00Z"),
            iv("2026-01-06T08:00:00Z", "2026-01-06T16:00:00Z"),
        ];
        // One window inside the first interval, one across the night into the
        // second, and two overlapping ones given out of order.
        let cut = vec![
            iv("2026-01-06T09:00:00Z", "2026-01-06T10:00:00Z"),
            iv("2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z"),
            iv("2026-01-05T15:00:00Z", "2026-01-06T08:30:00Z"),
            iv("2026-01-06T09:30:00Z", "2026-01-06T10:30:00Z"),
        ];
        let left = subtract(&open, cut);
        assert_eq!(
            left,
            vec![
                iv("2026-01-05T08:00:00Z", "2026-01-05T10:00:00Z"),
                iv("2026-01-05T11:00:00Z", "2026-01-05T15:00:00Z"),
                iv("2026-01-06T08:30:00Z", "2026-01-06T09:00:00Z"),
                iv("2026-01-06T10:30:00Z", "2026-01-06T16:00:00Z"),
            ]
        );
        // 2h + 4h + 30m + 5h30m = 12h of the original 16h.
        let bt = BusinessTime::new(open)
            .without(vec![iv("2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z")]);
        assert_eq!(
            bt.between(utc("2026-01-05T00:00:00Z"), utc("2026-01-07T00:00:00Z")),
            15 * 3600
        );
        let all = BusinessTime::always(utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z"));
        assert_eq!(
            all.between(utc("2026-01-05T10:00:00Z"), utc("2026-01-05T10:30:00Z")),
            1800
        );
    }

    #[test]
    fn the_autumn_overlap_counts_the_repeated_hour() {
        let c = cal("America/New_York", vec![Sun], 60, 3 * 60);
        // 2026-11-01: 01:00-02:00 happens twice; 01:00-03:00 local is 3 real hours.
        let iv = open_intervals(&c, d("2026-11-01"), d("2026-11-01"));
        assert_eq!(iv[0].seconds(), 3 * 3600);
    }
}
