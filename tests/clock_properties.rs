//! Business time (`slac::clock`) against a brute-force count that knows
//! nothing of intervals or offset segments: an instant is open when its
//! local wall-clock time (chrono-tz, UTC to local, which is never ambiguous)
//! lies in an opening window of its local date that is not closed
//! (semantics points 1 and 10). Every window edge and every tzdb change in
//! these zones falls on a whole minute, so openness is constant within
//! each UTC minute and counting minutes, plus the sub-second parts at a
//! start and a stop, is exact to the microsecond (point 9).
//!
//! Random windows, closed dates, zones and instants (many of them next to a
//! DST change), and an exhaustive pass over every DST change of 2026-2028
//! in seven zones on both hemispheres. `PROPTEST_CASES` raises the number
//! of random cases (default 64).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use slac::clock::{open_intervals, BusinessTime, Interval, Micros};
use slac::model::{Calendar, ClosedDate, OpenHours};

const ZONES: [&str; 7] = [
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Santiago",
    "Australia/Sydney",
    "Asia/Kolkata",
];

const DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn tz(name: &str) -> Tz {
    name.parse().unwrap()
}

fn offset(zone: Tz, t: i64) -> i32 {
    let utc = DateTime::from_timestamp(t, 0).unwrap().naive_utc();
    zone.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// Every instant in 2026-2028 at which `zone`'s UTC offset changes, found
/// by an hourly scan and pinned to the minute.
fn changes(zone: Tz) -> Vec<i64> {
    let from = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    let to = Utc
        .with_ymd_and_hms(2029, 1, 1, 0, 0, 0)
        .unwrap()
        .timestamp();
    let mut out = Vec::new();
    let mut t = from;
    while t < to {
        if offset(zone, t) != offset(zone, t + 3600) {
            let mut m = t;
            while offset(zone, m) == offset(zone, t) {
                m += 60;
            }
            out.push(m);
        }
        t += 3600;
    }
    out
}

/// The brute-force truth: whether `cal` is open at UTC second `t` (and so
/// for the whole minute from it, when `t` is a whole minute).
fn open_at(cal: &Calendar, zone: Tz, t: i64) -> bool {
    let local = DateTime::from_timestamp(t, 0)
        .unwrap()
        .with_timezone(&zone)
        .naive_local();
    let date = local.date();
    if cal.closed.iter().any(|c| c.date == date) {
        return false;
    }
    let minute = local.time().num_seconds_from_midnight() / 60;
    cal.open
        .iter()
        .any(|o| o.days.contains(&date.weekday()) && o.start <= minute && minute < o.end)
}

/// Open microseconds in `[start, stop)`, minute by minute.
fn brute_force(cal: &Calendar, start: DateTime<Utc>, stop: DateTime<Utc>) -> u64 {
    let zone = cal.timezone;
    let micros = |t: DateTime<Utc>| t.timestamp() * 1_000_000 + t.timestamp_subsec_micros() as i64;
    let (s, e) = (micros(start), micros(stop));
    let mut total = 0u64;
    let mut minute = start.timestamp().div_euclid(60) * 60;
    while minute * 1_000_000 < e {
        let (a, b) = (minute * 1_000_000, (minute + 60) * 1_000_000);
        let (a, b) = (a.max(s), b.min(e));
        if a < b && open_at(cal, zone, minute) {
            total += (b - a) as u64;
        }
        minute += 60;
    }
    total
}

fn calendar(zone: &str, open: Vec<OpenHours>, closed: Vec<NaiveDate>) -> Calendar {
    let mut closed: Vec<ClosedDate> = closed
        .into_iter()
        .map(|date| ClosedDate { date, name: None })
        .collect();
    closed.sort_by_key(|c| c.date);
    closed.dedup_by_key(|c| c.date);
    Calendar {
        name: "c".into(),
        title: None,
        description: None,
        timezone: tz(zone),
        open,
        closed,
    }
}

/// An `open` line: some weekdays, a window of whole minutes (edges often
/// on the hour or half hour, where DST changes happen).
fn open_line() -> impl Strategy<Value = OpenHours> {
    let edge = prop_oneof![(0u32..=48).prop_map(|h| h * 30), 0u32..=1440];
    (
        proptest::sample::subsequence(DAYS.to_vec(), 1..=7),
        edge.clone(),
        edge,
    )
        .prop_filter("a window ends after it starts", |(_, a, b)| a != b)
        .prop_map(|(days, a, b)| OpenHours {
            days,
            start: a.min(b),
            end: a.max(b),
        })
}

#[derive(Debug, Clone)]
struct Case {
    zone: &'static str,
    open: Vec<OpenHours>,
    /// Days after the base date that are closed.
    closed: Vec<i64>,
    /// Where the measured span starts: a DST change of the zone (by index,
    /// modulo their number) or a random day, then an offset in minutes
    /// from it, plus microseconds.
    near_change: Option<usize>,
    day: i64,
    start_minutes: i64,
    start_micros: i64,
    length_minutes: i64,
    stop_micros: i64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::sample::select(ZONES.to_vec()),
        proptest::collection::vec(open_line(), 1..=3),
        proptest::collection::vec(-3i64..=3, 0..=2),
        proptest::option::weighted(0.8, 0usize..64),
        0i64..(3 * 365),
        -3000i64..3000,
        0i64..1_000_000,
        0i64..(3 * 1440),
        0i64..1_000_000,
    )
        .prop_map(
            |(
                zone,
                open,
                closed,
                near_change,
                day,
                start_minutes,
                start_micros,
                length_minutes,
                stop_micros,
            )| Case {
                zone,
                open,
                closed,
                near_change,
                day,
                start_minutes,
                start_micros,
                length_minutes,
                stop_micros,
            },
        )
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn business_time_matches_a_brute_force_count(c in case()) {
        let zone = tz(c.zone);
        let base = match c.near_change {
            Some(i) => {
                let all = changes(zone);
                if all.is_empty() {
                    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                } else {
                    DateTime::from_timestamp(all[i % all.len()], 0).unwrap()
                }
            }
            None => Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(c.day),
        };
        let start = base
            + Duration::minutes(c.start_minutes)
            + Duration::microseconds(c.start_micros);
        let stop = start
            + Duration::minutes(c.length_minutes)
            + Duration::microseconds(c.stop_micros);
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
        let closed = c
            .closed
            .iter()
            .map(|d| local(start) + Duration::days(*d))
            .collect();
        let cal = calendar(c.zone, c.open.clone(), closed);
        let bt = BusinessTime::for_calendar(
            &cal,
            local(start) - Duration::days(2),
            local(stop) + Duration::days(2),
        );
        let got = bt.between(start, stop);
        let want = brute_force(&cal, start, stop);
        prop_assert_eq!(got, Micros(want), "{} from {} to {}", c.zone, start, stop);
    }
}

/// For every DST change of 2026-2028 in every zone, and every window whose
/// edges lie on the half hour, the open time of the changing local dates
/// equals the number of UTC minutes whose wall time lies in the window:
/// wall minutes that happen twice count twice, missing ones not at all.
#[test]
fn every_dst_change_of_2026_to_2028_counts_wall_time() {
    let mut checked = 0;
    for name in ZONES {
        let zone = tz(name);
        let found = changes(zone);
        if matches!(name, "Asia/Kolkata" | "America/Sao_Paulo") {
            // Kolkata keeps +05:30; Sao Paulo has kept -03:00 since 2019.
            assert!(found.is_empty(), "{name}: {found:?}");
        } else {
            assert!(found.len() >= 4, "{name}: {found:?}");
        }
        // The local dates next to each change (a new year without any).
        let mut dates: Vec<NaiveDate> = Vec::new();
        for t in &found {
            // The day before, of and after, in local dates on either side
            // of the change (they differ when it happens at midnight).
            let at = DateTime::from_timestamp(*t, 0)
                .unwrap()
                .with_timezone(&zone);
            let before = (at - Duration::seconds(1)).date_naive();
            dates.extend([before - Duration::days(1), before, at.date_naive()]);
            dates.push(at.date_naive() + Duration::days(1));
        }
        if found.is_empty() {
            dates.push(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        }
        dates.sort();
        dates.dedup();
        for date in dates {
            // multiplicity[m]: how many UTC minutes have wall time (date, m).
            let midnight = date.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
            let mut multiplicity = [0u32; 1440];
            let mut t = midnight - 30 * 3600;
            while t < midnight + 54 * 3600 {
                let local = DateTime::from_timestamp(t, 0)
                    .unwrap()
                    .with_timezone(&zone)
                    .naive_local();
                if local.date() == date {
                    multiplicity[(local.time().num_seconds_from_midnight() / 60) as usize] += 1;
                }
                t += 60;
            }
            let mut prefix = vec![0u32; 1441];
            for m in 0..1440 {
                prefix[m + 1] = prefix[m] + multiplicity[m];
            }
            for a in (0..1440).step_by(30) {
                for b in ((a + 30)..=1440).step_by(30) {
                    let cal = calendar(
                        name,
                        vec![OpenHours {
                            days: vec![date.weekday()],
                            start: a as u32,
                            end: b as u32,
                        }],
                        vec![],
                    );
                    let got: i64 = open_intervals(&cal, date, date)
                        .iter()
                        .map(Interval::seconds)
                        .sum::<i64>()
                        / 60;
                    let want = (prefix[b] - prefix[a]) as i64;
                    assert_eq!(got, want, "{name} {date} {a}-{b} (minutes after midnight)");
                    checked += 1;
                }
            }
        }
    }
    // 5 zones x 6 changes x at least 3 dates + 2 more, 1176 windows each.
    assert!(checked >= 92 * 1176, "{checked}");
}
