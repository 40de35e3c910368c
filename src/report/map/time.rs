//! An export's timestamps: a strftime format, and the time zone its local
//! times are in when the format has no offset. Local times are turned into
//! instants with the zone's real rules (chrono-tz), so a time in summer is
//! read with the summer offset; a local time the clocks skip, or one they
//! pass twice, is an error rather than a guess.

use crate::report::events::Time;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, SubsecRound, TimeZone};
use chrono_tz::Tz;

/// How an export writes its timestamps.
#[derive(Clone, Debug)]
pub struct TimeFormat {
    pub format: String,
    /// The zone of local times; `None` when the format carries an offset.
    pub zone: Option<Tz>,
    /// The mapping's line of the format.
    pub line: u64,
}

/// Whether a strftime format reads an offset (`%z`, `%:z`, ...).
pub fn has_offset(format: &str) -> bool {
    StrftimeItems::new(format).any(|i| {
        matches!(
            i,
            Item::Fixed(
                chrono::format::Fixed::TimezoneOffset
                    | chrono::format::Fixed::TimezoneOffsetColon
                    | chrono::format::Fixed::TimezoneOffsetColonZ
                    | chrono::format::Fixed::TimezoneOffsetZ
                    | chrono::format::Fixed::TimezoneOffsetDoubleColon
                    | chrono::format::Fixed::TimezoneOffsetTripleColon
                    | chrono::format::Fixed::RFC2822
                    | chrono::format::Fixed::RFC3339
            )
        )
    })
}

/// Why a format cannot read timestamps, if it cannot: an unknown `%`
/// specifier, or no full date and time (checked by writing a sample
/// instant with it and reading it back).
pub fn check_format(format: &str) -> Result<(), String> {
    if StrftimeItems::new(format).any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "`{format}` is not a valid strftime format (an unknown or incomplete `%` specifier)"
        ));
    }
    let sample = NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(9, 15, 42))
        .expect("a valid sample")
        .and_utc();
    let text = sample.format(format).to_string();
    let read = if has_offset(format) {
        DateTime::parse_from_str(&text, format).map(|t| t.to_utc())
    } else {
        NaiveDateTime::parse_from_str(&text, format).map(|t| t.and_utc())
    };
    match read {
        Ok(t) if t.date_naive() == sample.date_naive() => Ok(()),
        _ => Err(format!(
            "`{format}` does not give a full date and time (a sample instant written with it reads `{text}`)"
        )),
    }
}

impl TimeFormat {
    /// The instant a cell names, kept to the microsecond like every
    /// timestamp slac reads, or why not.
    pub fn read(&self, text: &str) -> Result<Time, String> {
        let no_match = || format!("`{text}` does not match `{}`", self.format);
        let Some(zone) = self.zone else {
            return DateTime::parse_from_str(text, &self.format)
                .map(|t| t.to_utc().trunc_subsecs(6))
                .map_err(|_| no_match());
        };
        let local = NaiveDateTime::parse_from_str(text, &self.format).map_err(|_| no_match())?;
        match zone.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t.to_utc().trunc_subsecs(6)),
            LocalResult::Ambiguous(a, b) => Err(format!(
                "`{text}` happens twice in {zone} (the clocks go back: {} or {}); the export does not say which",
                a.format("%H:%M%:z"),
                b.format("%H:%M%:z")
            )),
            LocalResult::None => Err(format!(
                "`{text}` does not exist in {zone} (the clocks skip it going forward)"
            )),
        }
    }
}
