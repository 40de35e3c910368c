//! Meaning of literals: durations, percentages, dates, times of day, money.
//! Each parser returns the value or the diagnostic for the literal's span.

use crate::diagnostics::{tick, Code, Diagnostic};
use crate::model::{Ratio, Seconds};
use crate::source::FileId;
use crate::syntax::ast::Lit;
use chrono::{Datelike, NaiveDate, Weekday};

/// A duration as written: a length of time, or business days (`3bd`) whose
/// length the clock they run on decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Fixed(Seconds),
    BusinessDays(u64),
}

/// `1h30m` or `2bd`, checked on its own (zero, too long, units out of order).
pub fn written_duration(file: FileId, lit: &Lit) -> Result<Written, Diagnostic> {
    let Some(digits) = lit.text.strip_suffix("bd") else {
        return duration(file, lit).map(Written::Fixed);
    };
    match digits.parse::<u64>() {
        Ok(0) => Err(zero(file, lit)),
        Ok(n) if n <= 100 * 366 => Ok(Written::BusinessDays(n)),
        _ => Err(too_long(file, lit)),
    }
}

/// The number of business days a `bd` literal names, if it is one.
pub fn business_days(lit: &Lit) -> Option<u64> {
    lit.text.strip_suffix("bd")?.parse().ok()
}

/// `1h30m` in seconds. Units must be in descending order, each once, and the
/// total must be positive. A `bd` literal is not a fixed length: an error.
pub fn duration(file: FileId, lit: &Lit) -> Result<Seconds, Diagnostic> {
    if lit.text.ends_with("bd") {
        return Err(Diagnostic::new(
            Code::E0326,
            format!("{} needs a business calendar", tick(&lit.text)),
            file,
            lit.span,
        )
        .label("this deadline runs on no clock, so it has no business days")
        .help("write the time in hours, like `8h`"));
    }
    const UNITS: [(char, u64); 5] = [
        ('w', 604_800),
        ('d', 86_400),
        ('h', 3_600),
        ('m', 60),
        ('s', 1),
    ];
    let mut total: u64 = 0;
    let mut last_rank = None;
    let mut digits = String::new();
    for c in lit.text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let rank = UNITS
            .iter()
            .position(|(u, _)| *u == c)
            .expect("grammar unit");
        if last_rank.is_some_and(|r| rank <= r) {
            return Err(Diagnostic::new(
                Code::E0303,
                format!("invalid duration {}", tick(&lit.text)),
                file,
                lit.span,
            )
            .label("units out of order or repeated")
            .help("write units from largest to smallest, each once, like `1d2h30m`"));
        }
        last_rank = Some(rank);
        let n: u64 = digits.parse().unwrap_or(u64::MAX);
        digits.clear();
        total = n
            .checked_mul(UNITS[rank].1)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| too_long(file, lit))?;
    }
    if total == 0 {
        return Err(zero(file, lit));
    }
    if total > 100 * 366 * 86_400 {
        return Err(too_long(file, lit));
    }
    Ok(Seconds(total))
}

fn zero(file: FileId, lit: &Lit) -> Diagnostic {
    Diagnostic::new(
        Code::E0303,
        format!("duration {} is zero", tick(&lit.text)),
        file,
        lit.span,
    )
    .label("must be longer than zero")
    .help("give a positive duration like `30m`")
}

fn too_long(file: FileId, lit: &Lit) -> Diagnostic {
    Diagnostic::new(
        Code::E0303,
        format!("duration {} is too long", tick(&lit.text)),
        file,
        lit.span,
    )
    .label("longer than a hundred years")
    .help("durations are deadlines; use a shorter one")
}

/// Parses `DIGITS[.DIGITS]` into units of `10^-scale`; `None` if it has more
/// decimals than `scale` or overflows.
pub fn fixed_point(text: &str, scale: u32) -> Option<u64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > scale as usize || int.len() > 15 {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let frac_units: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = scale as usize)
            .parse()
            .ok()?
    };
    int.checked_mul(10u64.pow(scale))?.checked_add(frac_units)
}

/// `95%` as a ratio in (0, 100%].
pub fn percent(file: FileId, lit: &Lit) -> Result<Ratio, Diagnostic> {
    let digits = lit.text.trim_end_matches('%');
    let Some(ppm) = fixed_point(digits, 4) else {
        return Err(out_of_range(
            file,
            lit,
            "at most four decimals, at most 100%",
        ));
    };
    if ppm == 0 || ppm > 1_000_000 {
        return Err(out_of_range(file, lit, "must be above 0% and at most 100%"));
    }
    Ok(Ratio(ppm as u32))
}

fn out_of_range(file: FileId, lit: &Lit, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E0302,
        format!("percentage {} is out of range", tick(&lit.text)),
        file,
        lit.span,
    )
    .label(why)
    .help("percentages lie in (0%, 100%], like `95%` or `3.5%`")
}

/// `p95` as a ratio in (0, 100%).
pub fn quantile(file: FileId, lit: &Lit) -> Result<Ratio, Diagnostic> {
    match fixed_point(&lit.text[1..], 4) {
        Some(ppm) if ppm > 0 && ppm < 1_000_000 => Ok(Ratio(ppm as u32)),
        _ => Err(Diagnostic::new(
            Code::E0318,
            format!("percentile {} is out of range", tick(&lit.text)),
            file,
            lit.span,
        )
        .label("must lie between p0 and p100, exclusive")
        .help("use a percentile like `p50`, `p95` or `p99.9`")),
    }
}

/// The earliest date slac accepts: the Unix epoch, where Prometheus time
/// (and every compiled rule's and test's timestamps) starts.
pub const MIN_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("1970-01-01 is a date"),
};

/// A real calendar date, on or after [`MIN_DATE`].
pub fn date(file: FileId, lit: &Lit) -> Result<NaiveDate, Diagnostic> {
    if let Ok(d) = NaiveDate::parse_from_str(&lit.text, "%Y-%m-%d") {
        if d < MIN_DATE {
            return Err(Diagnostic::new(
                Code::E0322,
                format!("{} is before 1970", tick(&lit.text)),
                file,
                lit.span,
            )
            .label("before 1970-01-01")
            .help("monitoring time starts on 1970-01-01; check the year for a typo"));
        }
        return Ok(d);
    }
    let mut parts = lit.text.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
    let (y, m, _) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let help = if (1..=12).contains(&m) {
        let first = NaiveDate::from_ymd_opt(y as i32, m, 1);
        let days = first
            .map(|f| days_in_month(f.year(), f.month()))
            .unwrap_or(31);
        format!(
            "{} {y} has {days} days",
            chrono::Month::try_from(m as u8)
                .map(|m| m.name())
                .unwrap_or("the month")
        )
    } else {
        "months run from 01 to 12".to_string()
    };
    Err(Diagnostic::new(
        Code::E0304,
        format!("{} is not a real date", tick(&lit.text)),
        file,
        lit.span,
    )
    .label("no such day")
    .help(help))
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// `HH:MM` as minutes after midnight; `24:00` only where `end` is true.
pub fn time_of_day(file: FileId, lit: &Lit, end: bool) -> Result<u32, Diagnostic> {
    let (h, m) = lit.text.split_once(':').expect("grammar time");
    let (h, m): (u32, u32) = (h.parse().unwrap_or(99), m.parse().unwrap_or(99));
    let minutes = h * 60 + m;
    let valid = m < 60 && (h < 24 || (end && minutes == 24 * 60));
    if valid {
        return Ok(minutes);
    }
    Err(Diagnostic::new(
        Code::E0306,
        format!("{} is not a time of day", tick(&lit.text)),
        file,
        lit.span,
    )
    .label("hours run from 00 to 23, minutes from 00 to 59")
    .help("write times as `HH:MM`, like `09:00`; `24:00` may end the day"))
}

pub fn weekday(s: &str) -> Weekday {
    match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn lit(s: &str) -> Lit {
        Lit {
            text: s.into(),
            span: Span::default(),
        }
    }
    const F: FileId = FileId(0);

    #[test]
    fn durations() {
        assert_eq!(duration(F, &lit("1h30m")).unwrap().0, 5400);
        assert_eq!(duration(F, &lit("2d")).unwrap().0, 172_800);
        assert_eq!(duration(F, &lit("30m1h")).unwrap_err().code, Code::E0303);
        assert_eq!(duration(F, &lit("0s")).unwrap_err().code, Code::E0303);
        assert_eq!(
            duration(F, &lit("99999999999999999999w")).unwrap_err().code,
            Code::E0303
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(F, &lit("3.5%")).unwrap(), Ratio(35_000));
        assert_eq!(percent(F, &lit("100%")).unwrap(), Ratio::ONE);
        assert!(percent(F, &lit("0%")).is_err());
        assert!(percent(F, &lit("100.5%")).is_err());
        assert!(percent(F, &lit("1.23456%")).is_err());
    }

    #[test]
    fn dates_and_times() {
        assert!(date(F, &lit("2026-02-28")).is_ok());
        let e = date(F, &lit("2026-02-30")).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("February 2026 has 28 days"));
        assert_eq!(time_of_day(F, &lit("24:00"), true).unwrap(), 1440);
        assert!(time_of_day(F, &lit("24:00"), false).is_err());
        assert!(time_of_day(F, &lit("09:60"), false).is_err());
    }
}
