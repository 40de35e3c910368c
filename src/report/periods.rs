//! Measurement periods in the agreement's time zone (semantics point 3) and
//! the buckets of count targets (point 7): ISO weeks from Monday 00:00,
//! local days, months, quarters and years.

use crate::clock::to_utc;
use crate::model::{PerUnit, Period};
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::fmt;

/// One period: its kind and its first local day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey {
    pub kind: Period,
    pub start: NaiveDate,
}

impl PeriodKey {
    /// The period of `kind` that holds the local day `date`.
    pub fn containing(kind: Period, date: NaiveDate) -> PeriodKey {
        let start = match kind {
            Period::Daily => date,
            Period::Weekly => {
                date - chrono::Duration::days(date.weekday().num_days_from_monday() as i64)
            }
            Period::Monthly => date.with_day(1).expect("day 1 exists"),
            Period::Quarterly => {
                NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1)
                    .expect("quarter start exists")
            }
            Period::Yearly => NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("January 1 exists"),
        };
        PeriodKey { kind, start }
    }

    /// The first local day after the period.
    pub fn end(&self) -> NaiveDate {
        match self.kind {
            Period::Daily => self.start + chrono::Duration::days(1),
            Period::Weekly => self.start + chrono::Duration::days(7),
            Period::Monthly => self.start + Months::new(1),
            Period::Quarterly => self.start + Months::new(3),
            Period::Yearly => self.start + Months::new(12),
        }
    }

    pub fn next(&self) -> PeriodKey {
        PeriodKey {
            kind: self.kind,
            start: self.end(),
        }
    }

    /// The period as a UTC interval `[start, end)`: local midnights.
    pub fn utc_bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (midnight(tz, self.start), midnight(tz, self.end()))
    }

    /// Whether the period holds the local day `date`: the period of the
    /// day is this one (O(1): no month arithmetic for `end`, which this
    /// is asked once per unused row and reported period).
    pub fn holds(&self, date: NaiveDate) -> bool {
        PeriodKey::containing(self.kind, date) == *self
    }
}

impl fmt::Display for PeriodKey {
    /// `2026-03-05`, `2026-W10`, `2026-03`, `2026-Q1`, `2026`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.start;
        match self.kind {
            Period::Daily => write!(f, "{}", d.format("%Y-%m-%d")),
            Period::Weekly => {
                let w = d.iso_week();
                write!(f, "{}-W{:02}", w.year(), w.week())
            }
            Period::Monthly => write!(f, "{}", d.format("%Y-%m")),
            Period::Quarterly => write!(f, "{}-Q{}", d.year(), d.month0() / 3 + 1),
            Period::Yearly => write!(f, "{}", d.year()),
        }
    }
}

/// The period kind that a count target's unit counts in.
pub fn unit_period(unit: PerUnit) -> Period {
    match unit {
        PerUnit::Day => Period::Daily,
        PerUnit::Week => Period::Weekly,
        PerUnit::Month => Period::Monthly,
        PerUnit::Quarter => Period::Quarterly,
        PerUnit::Year => Period::Yearly,
    }
}

/// Local midnight of `date` in `tz` (the first instant of that day, should
/// midnight fall in a DST gap).
pub fn midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    to_utc(tz, date.and_time(NaiveTime::MIN), false)
}

/// The local calendar day of an instant.
pub fn local_date(tz: Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The buckets of `unit` whose first day falls in `period` (point 7: "every
/// ISO week whose Monday falls in the period").
pub fn buckets(period: PeriodKey, unit: PerUnit) -> Vec<PeriodKey> {
    let kind = unit_period(unit);
    let mut b = PeriodKey::containing(kind, period.start);
    if b.start < period.start {
        b = b.next();
    }
    let mut out = Vec::new();
    while b.start < period.end() {
        out.push(b);
        b = b.next();
    }
    out
}

/// A `--period` argument as a range of local days `[from, to)`: `2026-03`,
/// `2026-W10`, `2026-03-05`, `2026-Q1` or `2026`.
pub fn parse_range(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let key = parse_label(s.trim())?;
    Some((key.start, key.end()))
}

fn parse_label(s: &str) -> Option<PeriodKey> {
    let num = |t: &str| -> Option<u32> {
        t.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let key = |kind, start| Some(PeriodKey { kind, start });
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return key(Period::Daily, d);
    }
    let (year, rest) = match s.split_once('-') {
        Some((y, r)) => (num(y)? as i32, Some(r)),
        None => (num(s)? as i32, None),
    };
    if s.len() < 4 {
        return None;
    }
    match rest {
        None => key(Period::Yearly, NaiveDate::from_ymd_opt(year, 1, 1)?),
        Some(r) if r.starts_with('W') => {
            let week = num(&r[1..])?;
            key(
                Period::Weekly,
                NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)?,
            )
        }
        Some(r) if r.starts_with('Q') => {
            let q = num(&r[1..])?;
            if !(1..=4).contains(&q) {
                return None;
            }
            key(
                Period::Quarterly,
                NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?,
            )
        }
        Some(r) if r.len() == 2 => key(Period::Monthly, NaiveDate::from_ymd_opt(year, num(r)?, 1)?),
        Some(_) => None,
    }
}

/// The periods of `kind` a report covers within the local-day range
/// `[from, to)`: those that start in it, or failing that (a month asked of a
/// weekly label) the one that holds `from`.
pub fn within_range(kind: Period, from: NaiveDate, to: NaiveDate) -> Vec<PeriodKey> {
    let mut p = PeriodKey::containing(kind, from);
    let holder = p;
    if p.start < from {
        p = p.next();
    }
    let mut out = Vec::new();
    while p.start < to {
        out.push(p);
        p = p.next();
    }
    if out.is_empty() {
        out.push(holder);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn labels_and_bounds() {
        let w = PeriodKey::containing(Period::Weekly, d("2026-03-04"));
        assert_eq!(
            (w.start, w.to_string()),
            (d("2026-03-02"), "2026-W10".to_string())
        );
        // ISO week 1 of 2026 starts on Monday 2025-12-29.
        assert_eq!(
            PeriodKey::containing(Period::Weekly, d("2026-01-01")).to_string(),
            "2026-W01"
        );
        assert_eq!(
            PeriodKey::containing(Period::Quarterly, d("2026-05-31")).to_string(),
            "2026-Q2"
        );
        let m = PeriodKey::containing(Period::Monthly, d("2026-03-29"));
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // March in Berlin: from 2026-02-28T23:00Z (UTC+1) to 2026-03-31T22:00Z
        // (UTC+2 after the change on 29 March): 31 days less one hour.
        let (a, b) = m.utc_bounds(tz);
        assert_eq!(a.to_rfc3339(), "2026-02-28T23:00:00+00:00");
        assert_eq!(b.to_rfc3339(), "2026-03-31T22:00:00+00:00");
        assert_eq!((b - a).num_hours(), 31 * 24 - 1);
    }

    #[test]
    fn weeks_belong_to_the_month_of_their_monday() {
        // March 2026: Mondays 2, 9, 16, 23, 30. The week of Monday 30 March
        // runs into April but belongs to March; the week of Monday
        // 23 February reaches into March but belongs to February.
        let march = PeriodKey::containing(Period::Monthly, d("2026-03-01"));
        let weeks: Vec<String> = buckets(march, PerUnit::Week)
            .iter()
            .map(|w| w.start.to_string())
            .collect();
        assert_eq!(
            weeks,
            [
                "2026-03-02",
                "2026-03-09",
                "2026-03-16",
                "2026-03-23",
                "2026-03-30"
            ]
        );
        assert_eq!(buckets(march, PerUnit::Day).len(), 31);
    }

    #[test]
    fn holds_is_the_days_from_start_to_end() {
        let first = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
        let kinds = [
            Period::Daily,
            Period::Weekly,
            Period::Monthly,
            Period::Quarterly,
            Period::Yearly,
        ];
        for kind in kinds {
            let key = PeriodKey::containing(kind, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
            for n in 0..800 {
                let day = first + chrono::Duration::days(n);
                let within = key.start <= day && day < key.end();
                assert_eq!(key.holds(day), within, "{kind:?} {day}");
            }
        }
    }

    #[test]
    fn period_arguments() {
        assert_eq!(
            parse_range("2026-03"),
            Some((d("2026-03-01"), d("2026-04-01")))
        );
        assert_eq!(
            parse_range("2026-W10"),
            Some((d("2026-03-02"), d("2026-03-09")))
        );
        assert_eq!(
            parse_range("2026-Q4"),
            Some((d("2026-10-01"), d("2027-01-01")))
        );
        assert_eq!(
            parse_range("2026"),
            Some((d("2026-01-01"), d("2027-01-01")))
        );
        assert_eq!(
            parse_range("2026-03-05"),
            Some((d("2026-03-05"), d("2026-03-06")))
        );
        for bad in ["2026-13", "march", "2026-Q5", "2026-W60", "26", "2026-3"] {
            assert_eq!(parse_range(bad), None, "{bad}");
        }
        // A weekly goal asked for March: the weeks whose Monday is in March.
        let (from, to) = parse_range("2026-03").unwrap();
        assert_eq!(within_range(Period::Weekly, from, to).len(), 5);
        // A monthly goal asked for week 10: the month that holds its Monday.
        let (from, to) = parse_range("2026-W10").unwrap();
        assert_eq!(
            within_range(Period::Monthly, from, to)[0].to_string(),
            "2026-03"
        );
    }
}
