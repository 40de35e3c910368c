//! RFC 3339 timestamps without allocating: the shape every exporter writes
//! (`2026-03-02T09:15:00+01:00`, `...Z`, with or without a fraction) is read
//! by hand; anything else (a lowercase `t`, a space, a leap second) goes to
//! chrono's full parser, so what is accepted, and the instant it means, is
//! exactly what `DateTime::parse_from_rfc3339` gives.

use super::super::events::Time;
use chrono::{DateTime, Duration, NaiveDate, SubsecRound};

/// The instant of an RFC 3339 timestamp with an offset, kept to the
/// microsecond (finer digits are dropped, semantics point 9).
pub(super) fn parse(text: &str) -> Option<Time> {
    fast(text.as_bytes()).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.to_utc().trunc_subsecs(6))
    })
}

/// The common shape, or `None` to leave the text to chrono.
fn fast(b: &[u8]) -> Option<Time> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    // Leap seconds and out-of-range fields are chrono's to judge.
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &b[19..];
    let mut micros = 0;
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for i in 0..6 {
            micros = micros * 10 + rest.get(1 + i).filter(|_| i < n).map_or(0, |c| c - b'0') as u32;
        }
        rest = &rest[1 + n..];
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let local = date
        .and_hms_micro_opt(hour, minute, second, micros)?
        .and_utc();
    local.checked_sub_signed(Duration::seconds(offset))
}

/// A run of ASCII digits as a number.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono alone makes of a text.
    fn reference(text: &str) -> Option<Time> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.to_utc().trunc_subsecs(6))
    }

    #[test]
    fn agrees_with_chrono_on_every_shape() {
        for text in [
            "2026-03-02T09:15:00+01:00",
            "2026-03-02T08:15:00Z",
            "2026-03-02T09:15:00.25+01:00",
            "2026-03-02T09:15:00.123456789-05:30",
            "2026-03-02T09:15:00.1234567Z",
            "2026-12-31T23:59:59-23:59",
            "2024-02-29T00:00:00+00:00",
            "2026-02-29T00:00:00+00:00",
            "2026-13-01T00:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T09:15:60Z",
            "2026-03-02t09:15:00Z",
            "2026-03-02 09:15:00Z",
            "2026-03-02T09:15:00z",
            "2026-03-02T09:15:00.Z",
            "2026-03-02T09:15:00+0100",
            "2026-03-02T09:15:00+1:00",
            "2026-03-02T09:15:00+24:00",
            "2026-03-02T09:15:00",
            "2026-3-2T09:15:00Z",
            "+2026-03-02T09:15:00Z",
            "2026-03-02T09:15:00Z ",
            "０２026-03-02T09:15:00Z",
            "",
            "yesterday",
        ] {
            assert_eq!(parse(text), reference(text), "{text}");
        }
    }

    #[test]
    fn the_fast_path_takes_the_common_shapes() {
        assert!(fast(b"2026-03-02T09:15:00+01:00").is_some());
        assert!(fast(b"2026-03-02T09:15:00.5Z").is_some());
        assert!(fast(b"2026-03-02t09:15:00Z").is_none());
    }
}
