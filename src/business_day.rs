//! The length of a calendar's business day, for the `bd` duration unit.
//!
//! `N bd` on a calendar means N times the calendar's open day. That is one
//! length only when every open weekday is open equally long (mon-fri
//! 09:00-17:00: 8h); otherwise a business day has no single length and the
//! checker asks for business hours instead.

use crate::model::{OpenHours, Seconds};
use chrono::Weekday;

/// Why a calendar has no single business-day length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uneven {
    /// Two open weekdays of different lengths, each with its length.
    Differ((Weekday, Seconds), (Weekday, Seconds)),
    /// No weekday is open.
    NeverOpen,
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// How long the calendar is open on `day`, summing all its open lines.
pub fn open_on(open: &[OpenHours], day: Weekday) -> Seconds {
    let minutes: u64 = open
        .iter()
        .filter(|o| o.days.contains(&day))
        .map(|o| u64::from(o.end.saturating_sub(o.start)))
        .sum();
    Seconds(minutes * 60)
}

/// The open weekdays with their lengths, Monday first.
pub fn open_days(open: &[OpenHours]) -> Vec<(Weekday, Seconds)> {
    WEEK.iter()
        .map(|&d| (d, open_on(open, d)))
        .filter(|(_, len)| len.0 > 0)
        .collect()
}

/// The length of one business day on a calendar with these open lines.
pub fn length(open: &[OpenHours]) -> Result<Seconds, Uneven> {
    let days = open_days(open);
    let Some(&first) = days.first() else {
        return Err(Uneven::NeverOpen);
    };
    match days.iter().find(|(_, len)| *len != first.1) {
        Some(&other) => Err(Uneven::Differ(first, other)),
        None => Ok(first.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(days: &[Weekday], start: u32, end: u32) -> OpenHours {
        OpenHours {
            days: days.to_vec(),
            start: start * 60,
            end: end * 60,
        }
    }

    #[test]
    fn an_even_week_has_one_day_length() {
        let week = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        assert_eq!(length(&[hours(&week, 9, 17)]), Ok(Seconds(8 * 3600)));
        // A lunch break: two lines on the same days add up.
        let split = [hours(&week, 9, 12), hours(&week, 13, 18)];
        assert_eq!(length(&split), Ok(Seconds(8 * 3600)));
    }

    #[test]
    fn uneven_days_name_the_first_and_a_differing_day() {
        let c = [
            hours(&[Weekday::Mon, Weekday::Tue], 8, 20),
            hours(&[Weekday::Sat], 10, 16),
        ];
        assert_eq!(
            length(&c),
            Err(Uneven::Differ(
                (Weekday::Mon, Seconds(12 * 3600)),
                (Weekday::Sat, Seconds(6 * 3600))
            ))
        );
        assert_eq!(length(&[]), Err(Uneven::NeverOpen));
    }
}
