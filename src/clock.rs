//! Business time: when a calendar is open, as absolute UTC intervals.
//!
//! A calendar's opening hours are local wall-clock times in its time zone.
//! Expanding them over a range of dates with the time zone's real rules
//! (tzdb via chrono-tz) gives UTC intervals; the report measures events
//! against them and the Prometheus target compiles them to rules.
//!
//! Wall time decides (semantics point 10): an instant is open when its local
//! wall-clock time lies inside an opening window of its local date. Each
//! window `[start, end)` of a day therefore maps to every UTC interval whose
//! wall time lies in it, found by walking the UTC-offset segments around the
//! day: inside one segment wall time is UTC plus a constant, so the window is
//! one UTC interval there. An hour skipped in spring lies in no segment and
//! counts zero; an hour repeated in autumn lies in two and counts twice.
//!
//! Business time is exact to the microsecond (semantics point 9): `Micros`.

use crate::model::Calendar;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;

/// A span of business time, exact to the microsecond. Comparisons against
/// thresholds use it as is; only displays round (up, so a time just over a
/// threshold never prints as equal to it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micros(pub u64);

impl Micros {
    pub const PER_SECOND: u64 = 1_000_000;

    pub fn from_secs(seconds: u64) -> Micros {
        Micros(seconds.saturating_mul(Self::PER_SECOND))
    }

    /// Whole seconds, rounded up (for display: `45m0.25s` shows as `45m1s`).
    pub fn ceil_secs(self) -> u64 {
        self.0.div_ceil(Self::PER_SECOND)
    }

    /// Whether this is at most `seconds` whole seconds, exactly.
    pub fn within(self, seconds: u64) -> bool {
        self.0 as u128 <= seconds as u128 * Self::PER_SECOND as u128
    }
}

/// A half-open UTC interval `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Interval {
    /// Whole seconds (the calendar's own intervals are whole seconds).
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }

    /// The exact length in microseconds.
    pub fn micros(&self) -> i64 {
        micros_between(self.start, self.end)
    }
}

/// `b - a` in microseconds (spans are at most a few centuries, far within
/// range).
fn micros_between(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    (b - a).num_microseconds().unwrap_or(i64::MAX)
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

/// Seconds since the epoch of a naive (wall-clock or UTC) date-time.
fn naive_seconds(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn offset_at(tz: Tz, t: i64) -> i64 {
    match DateTime::from_timestamp(t, 0) {
        Some(utc) => tz
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc() as i64,
        None => 0,
    }
}

/// The UTC-offset segments of `tz` covering the UTC seconds `[from, to)`:
/// `(start, offset)` pairs in order, each segment running to the next one's
/// start (the first from `i64::MIN`, the last to `i64::MAX`). Offsets are
/// sampled every hour and each change is pinned to its second by bisection:
/// tzdb never changes the offset twice within an hour.
fn offset_segments(tz: Tz, from: i64, to: i64) -> Vec<(i64, i64)> {
    const STEP: i64 = 3600;
    let mut out = vec![(i64::MIN, offset_at(tz, from))];
    let mut prev = from;
    while prev < to {
        let next = (prev + STEP).min(to);
        let before = out.last().map(|s| s.1).unwrap_or(0);
        let offset = offset_at(tz, next);
        if offset != before {
            let (mut lo, mut hi) = (prev, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, offset_at(tz, hi)));
            if out.last().map(|s| s.1) != Some(offset) {
                // A second change within the step (never in tzdb): take the
                // offset at the step's end from there.
                out.push((next, offset));
            }
        }
        prev = next;
    }
    out
}

/// The UTC seconds whose wall-clock time in the segmented zone lies in
/// `[w0, w1)` (naive local seconds), as intervals in order.
fn wall_window(segments: &[(i64, i64)], w0: i64, w1: i64, out: &mut Vec<(i64, i64)>) {
    // Offsets lie within +-26 hours, so only segments meeting this range can
    // hold such an instant.
    const MARGIN: i64 = 26 * 3600;
    let first = segments
        .partition_point(|s| s.0 <= w0 - MARGIN)
        .saturating_sub(1);
    for (k, &(start, offset)) in segments.iter().enumerate().skip(first) {
        if start >= w1 + MARGIN {
            break;
        }
        let end = segments.get(k + 1).map(|s| s.0).unwrap_or(i64::MAX);
        let (a, b) = ((w0 - offset).max(start), (w1 - offset).min(end));
        if a < b {
            out.push((a, b));
        }
    }
}

fn instant(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The open intervals of `cal` on the local dates `from..=to`, sorted and
/// merged (adjacent intervals join). A window of a date is open exactly at
/// the instants whose local wall-clock time lies inside it (semantics point
/// 10): `open sun 01:30-03:00` in Europe/London on 2026-10-25, when 02:00
/// BST falls back to 01:00 GMT, is open 01:30-02:00 BST and again
/// 01:30-03:00 GMT (00:30-01:00 and 01:30-03:00 UTC): 2 hours.
pub fn open_intervals(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<Interval> {
    if to < from {
        return Vec::new();
    }
    let tz = cal.timezone;
    let day = 86_400;
    let segments = offset_segments(
        tz,
        naive_seconds(from.and_time(NaiveTime::MIN)) - 2 * day,
        naive_seconds(to.and_time(NaiveTime::MIN)) + 3 * day,
    );
    let mut raw: Vec<(i64, i64)> = Vec::new();
    let mut date = from;
    while date <= to {
        let closed = cal.closed.binary_search_by_key(&date, |c| c.date).is_ok();
        if !closed {
            let midnight = naive_seconds(date.and_time(NaiveTime::MIN));
            for hours in cal.open.iter().filter(|o| o.days.contains(&date.weekday())) {
                let (w0, w1) = (
                    midnight + hours.start as i64 * 60,
                    midnight + hours.end as i64 * 60,
                );
                wall_window(&segments, w0, w1, &mut raw);
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    merge(
        raw.into_iter()
            .map(|(a, b)| Interval {
                start: instant(a),
                end: instant(b),
            })
            .collect(),
    )
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

/// Open intervals precomputed over a range, with prefix sums and a day
/// index, so the business time between two instants costs two lookups in a
/// table and a scan of the few intervals of one day: O(1) in the length of
/// the range. Exact to the microsecond.
pub struct BusinessTime {
    intervals: Vec<Interval>,
    /// `prefix[i]`: open microseconds in `intervals[..i]`.
    prefix: Vec<i64>,
    /// The day index: see `DayIndex`.
    days: DayIndex,
}

/// For each UTC day `d` from `origin` on, `first[d]` is the number of
/// intervals that start before that day: the intervals starting on day `d`
/// are `first[d]..first[d + 1]`.
struct DayIndex {
    /// Seconds since 1970 of the first indexed UTC midnight.
    origin: i64,
    first: Vec<usize>,
}

const DAY_SECONDS: i64 = 86_400;

impl DayIndex {
    fn new(intervals: &[Interval]) -> Self {
        let (Some(head), Some(last)) = (intervals.first(), intervals.last()) else {
            return DayIndex {
                origin: 0,
                first: Vec::new(),
            };
        };
        let origin = head.start.timestamp().div_euclid(DAY_SECONDS) * DAY_SECONDS;
        let span = last.start.timestamp() - origin;
        let days = span.div_euclid(DAY_SECONDS) as usize + 2;
        let mut first = Vec::with_capacity(days + 1);
        let mut i = 0;
        for d in 0..=days {
            let midnight = origin + d as i64 * DAY_SECONDS;
            while i < intervals.len() && intervals[i].start.timestamp() < midnight {
                i += 1;
            }
            first.push(i);
        }
        DayIndex { origin, first }
    }

    /// The intervals that start on `t`'s UTC day, as an index range, when
    /// that day is indexed.
    fn day_of(&self, t: DateTime<Utc>) -> Option<(usize, usize)> {
        let d = (t.timestamp() - self.origin).div_euclid(DAY_SECONDS);
        let d = usize::try_from(d).ok()?;
        Some((*self.first.get(d)?, *self.first.get(d + 1)?))
    }
}

impl BusinessTime {
    pub fn new(intervals: Vec<Interval>) -> Self {
        let mut prefix = Vec::with_capacity(intervals.len() + 1);
        prefix.push(0);
        for i in &intervals {
            prefix.push(prefix.last().copied().unwrap_or(0) + i.micros());
        }
        let days = DayIndex::new(&intervals);
        BusinessTime {
            intervals,
            prefix,
            days,
        }
    }

    pub fn for_calendar(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Self {
        Self::new(open_intervals(cal, from, to))
    }

    /// The `always` clock over `[from, to)`: every instant counts.
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

    /// Open microseconds in `[MIN, t)`.
    fn open_before(&self, t: DateTime<Utc>) -> i64 {
        // The first interval that starts at or after t: every interval of
        // an earlier day starts before t, none of a later day does.
        let i = match self.days.day_of(t) {
            Some((lo, hi)) => lo + self.intervals[lo..hi].partition_point(|iv| iv.start < t),
            None => self.intervals.partition_point(|iv| iv.start < t),
        };
        let mut total = self.prefix[i];
        if i > 0 {
            let prev = &self.intervals[i - 1];
            if prev.end > t {
                total -= micros_between(t, prev.end);
            }
        }
        total
    }

    /// Open time in `[start, stop)`; zero when `stop <= start`.
    pub fn between(&self, start: DateTime<Utc>, stop: DateTime<Utc>) -> Micros {
        if stop <= start {
            return Micros(0);
        }
        Micros((self.open_before(stop) - self.open_before(start)).max(0) as u64)
    }

    /// The first instant at which `[start, t)` holds `amount` of open
    /// time, exactly; `None` when the precomputed range ends first.
    pub fn instant_after(&self, start: DateTime<Utc>, amount: Micros) -> Option<DateTime<Utc>> {
        let goal = self.open_before(start) + i64::try_from(amount.0).ok()?;
        if amount.0 == 0 {
            return Some(start);
        }
        // The interval whose end is the first to reach `goal` open micros.
        let i = self.prefix[1..].partition_point(|p| *p < goal);
        let iv = self.intervals.get(i)?;
        let into = goal - self.prefix[i];
        Some(iv.start + Duration::microseconds(into))
    }

    /// Whether the clock is open at the instant `t`.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        let i = self.intervals.partition_point(|iv| iv.start <= t);
        i > 0 && self.intervals[i - 1].end > t
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
            timezone: tz.parse().expect("a time zone"),
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
    fn instant_after_inverts_between() {
        // Mon-Fri 09:00-17:00 Berlin (UTC+1 in January): from Friday 16:00
        // local, 3h of business time end Monday 11:00 local (10:00 UTC).
        let c = cal(
            "Europe/Berlin",
            vec![Mon, Tue, Wed, Thu, Fri],
            9 * 60,
            17 * 60,
        );
        let bt = BusinessTime::for_calendar(&c, d("2026-01-01"), d("2026-01-31"));
        let start = utc("2026-01-09T15:00:00Z");
        let t = bt
            .instant_after(start, Micros::from_secs(3 * 3600))
            .unwrap();
        assert_eq!(t, utc("2026-01-12T10:00:00Z"));
        assert_eq!(bt.between(start, t), Micros::from_secs(3 * 3600));
        // Exactly at an interval's end stays on that day (Friday 17:00).
        let t = bt.instant_after(start, Micros::from_secs(3600)).unwrap();
        assert_eq!(t, utc("2026-01-09T16:00:00Z"));
        // From a closed instant the clock starts at the next opening.
        let t = bt
            .instant_after(utc("2026-01-10T12:00:00Z"), Micros(250_000))
            .unwrap();
        assert_eq!(t, utc("2026-01-12T08:00:00.25Z"));
        assert_eq!(
            bt.instant_after(start, Micros::from_secs(3600 * 1000)),
            None
        );
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
            Micros::from_secs(3600)
        );
        assert_eq!(
            bt.between(utc("2026-01-10T10:00:00Z"), utc("2026-01-10T12:00:00Z")),
            Micros(0)
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
            Micros::from_secs(15 * 3600)
        );
        let all = BusinessTime::always(utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z"));
        assert_eq!(
            all.between(utc("2026-01-05T10:00:00Z"), utc("2026-01-05T10:30:00Z")),
            Micros::from_secs(1800)
        );
    }

    /// Open time of `c` on one local date, in minutes.
    fn minutes_on(c: &Calendar, date: &str) -> i64 {
        let iv = open_intervals(c, d(date), d(date));
        iv.iter().map(Interval::seconds).sum::<i64>() / 60
    }

    #[test]
    fn the_autumn_overlap_counts_the_repeated_hour() {
        let c = cal("America/New_York", vec![Sun], 60, 3 * 60);
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00 UTC.
        // Open 01:00-02:00 EDT (05:00-06:00 UTC), then 01:00-03:00 EST
        // (06:00-08:00 UTC): 3 real hours.
        let iv = open_intervals(&c, d("2026-11-01"), d("2026-11-01"));
        assert_eq!(iv[0].seconds(), 3 * 3600);
    }

    #[test]
    fn wall_time_decides_at_the_fall_back_in_london_and_berlin() {
        // London, 2026-10-25: 02:00 BST (01:00 UTC) falls back to 01:00 GMT.
        // `open sun 01:30-03:00`: 01:30-02:00 BST is 00:30-01:00 UTC (30m),
        // then 01:30-03:00 GMT is 01:30-03:00 UTC (1h30m): 2h, not the 2h30m
        // from the first 01:30 to the last 03:00.
        let c = cal("Europe/London", vec![Sun], 90, 3 * 60);
        assert_eq!(
            open_intervals(&c, d("2026-10-25"), d("2026-10-25")),
            vec![
                Interval {
                    start: utc("2026-10-25T00:30:00Z"),
                    end: utc("2026-10-25T01:00:00Z")
                },
                Interval {
                    start: utc("2026-10-25T01:30:00Z"),
                    end: utc("2026-10-25T03:00:00Z")
                },
            ]
        );
        assert_eq!(minutes_on(&c, "2026-10-25"), 120);
        // Berlin, same day: 03:00 CEST (01:00 UTC) falls back to 02:00 CET.
        // `open sun 02:30-05:00`: 02:30-03:00 CEST is 00:30-01:00 UTC (30m),
        // then 02:30-05:00 CET is 01:30-04:00 UTC (2h30m): 3h, not 3h30m.
        let c = cal("Europe/Berlin", vec![Sun], 150, 5 * 60);
        assert_eq!(minutes_on(&c, "2026-10-25"), 180);
        // A normal Sunday a week later: 2h30m.
        assert_eq!(minutes_on(&c, "2026-11-01"), 150);
    }

    #[test]
    fn window_edges_inside_repeated_and_skipped_hours() {
        // Edges exactly on the repeated hour's bounds (London 2026-10-25,
        // 01:00-02:00 happens twice): 00:00-01:00 is one plain hour (00:00-
        // 01:00 BST, 23:00-00:00 UTC); 01:00-02:00 is both passes (00:00-
        // 02:00 UTC): 2h; 02:00-03:00 exists once (GMT, 02:00-03:00 UTC).
        for (start, end, minutes) in [(0, 60, 60), (60, 120, 120), (120, 180, 60), (0, 180, 240)] {
            let c = cal("Europe/London", vec![Sun], start, end);
            assert_eq!(minutes_on(&c, "2026-10-25"), minutes, "{start}-{end}");
        }
        // The window ends inside the repeated hour: 00:30-01:30 is
        // 00:30-01:30 BST (23:30-00:30 UTC, 1h) and 01:00-01:30 GMT
        // (01:00-01:30 UTC, 30m): 1h30m.
        let c = cal("Europe/London", vec![Sun], 30, 90);
        assert_eq!(minutes_on(&c, "2026-10-25"), 90);
        // The skipped hour (London 2026-03-29, 01:00 GMT jumps to 02:00 BST):
        // a window inside it counts zero; one starting inside it counts from
        // 02:00 BST; one ending inside it stops at 01:00 GMT.
        for (start, end, minutes) in [(60, 120, 0), (70, 110, 0), (90, 180, 60), (30, 90, 30)] {
            let c = cal("Europe/London", vec![Sun], start, end);
            assert_eq!(minutes_on(&c, "2026-03-29"), minutes, "{start}-{end}");
        }
        // Southern hemisphere: Sydney falls back on 2026-04-05 (03:00 AEDT
        // to 02:00 AEST, 16:00 UTC on the 4th) and springs forward on
        // 2026-10-04 (02:00 AEST to 03:00 AEDT).
        // 02:00-03:00 on 2026-04-05 happens twice: 2h; 02:30-04:00 is
        // 02:30-03:00 AEDT (30m) + 02:30-04:00 AEST (1h30m): 2h.
        for (start, end, minutes) in [(120, 180, 120), (150, 240, 120), (60, 150, 120)] {
            let c = cal("Australia/Sydney", vec![Sun], start, end);
            assert_eq!(minutes_on(&c, "2026-04-05"), minutes, "{start}-{end}");
        }
        // 02:00-03:00 on 2026-10-04 does not exist: 0; 01:30-03:30 is
        // 01:30-02:00 AEST + 03:00-03:30 AEDT: 1h.
        for (start, end, minutes) in [(120, 180, 0), (90, 210, 60)] {
            let c = cal("Australia/Sydney", vec![Sun], start, end);
            assert_eq!(minutes_on(&c, "2026-10-04"), minutes, "{start}-{end}");
        }
        // Santiago changes at midnight: on 2026-04-05 24:00 (-03) falls back
        // to 23:00 (-04) of the 4th, so Saturday 23:00-24:00 happens twice;
        // on 2026-09-06 00:00 (-04) jumps to 01:00 (-03): Sunday 00:00-01:00
        // does not exist.
        let c = cal("America/Santiago", vec![Sat], 23 * 60, 24 * 60);
        assert_eq!(minutes_on(&c, "2026-04-04"), 120);
        let c = cal("America/Santiago", vec![Sun], 0, 2 * 60);
        assert_eq!(minutes_on(&c, "2026-09-06"), 60);
    }

    #[test]
    fn business_time_is_exact_to_the_microsecond() {
        let c = cal("UTC", vec![Mon, Tue, Wed, Thu, Fri], 9 * 60, 17 * 60);
        let bt = BusinessTime::for_calendar(&c, d("2026-01-01"), d("2026-01-31"));
        let t = |s: &str| utc(s);
        // 45m0.25s is not within 45m.
        let took = bt.between(t("2026-01-05T09:00:00Z"), t("2026-01-05T09:45:00.25Z"));
        assert_eq!(took, Micros(45 * 60 * 1_000_000 + 250_000));
        assert!(!took.within(45 * 60));
        assert_eq!(took.ceil_secs(), 45 * 60 + 1);
        // A start a microsecond before closing counts one microsecond.
        assert_eq!(
            bt.between(t("2026-01-05T16:59:59.999999Z"), t("2026-01-06T08:00:00Z")),
            Micros(1)
        );
        assert!(bt.is_open(t("2026-01-05T16:59:59.999999Z")));
        assert!(!bt.is_open(t("2026-01-05T17:00:00Z")));
    }
}
