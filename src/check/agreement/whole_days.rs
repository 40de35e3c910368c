//! W0009: a whole-day duration (`1d`, `2d`, `1w`) on a business-hours
//! calendar, where it counts 24 open hours a day rather than open days.

use super::*;
use crate::business_day;

impl Cx<'_, '_> {
    /// W0009: `1d` on a business-hours calendar is 24 open hours, not a day.
    pub(super) fn whole_days(&mut self, lit: &Lit, s: Seconds, name: &str) {
        let whole_days = lit
            .text
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'd' || c == 'w');
        let Some(cal) = self.calendars.get(name).filter(|_| whole_days) else {
            return;
        };
        let Ok(day) = business_day::length(&cal.open) else {
            return;
        };
        if day.0 >= 86_400 {
            return; // open around the clock: a day is a day
        }
        let on = cal.title.clone().unwrap_or_else(|| tick(name));
        let open = business_day::open_days(&cal.open).len() as u64;
        let bd = whole_days_as_business_days(&lit.text, open);
        let d = Diagnostic::new(
            Code::W0009,
            format!(
                "{} on {on} is {} business hours, {} open days",
                tick(&lit.text),
                s.0 / 3600,
                days_of(s, day)
            ),
            self.file,
            lit.span,
        )
        .label(format!("counts only open hours, {day} a day"))
        .help(format!(
            "for {} write `{bd}bd`; to keep {} business hours, write `{}h`",
            business_days_words(bd),
            s.0 / 3600,
            s.0 / 3600
        ))
        .fix(
            lit.span,
            format!("{bd}bd"),
            format!("Write `{bd}bd` ({})", business_days_words(bd)),
        );
        self.err(d);
    }
}

/// `1w2d` as business days on a calendar open `open` days a week.
fn whole_days_as_business_days(text: &str, open: u64) -> u64 {
    let mut total = 0;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = std::mem::take(&mut digits).parse().unwrap_or(0);
        total += if c == 'w' { n * open } else { n };
    }
    total
}

fn business_days_words(n: u64) -> String {
    if n == 1 {
        "one business day".to_string()
    } else {
        format!("{n} business days")
    }
}

/// `s` in open days of length `day`: `3` or `7.2`.
fn days_of(s: Seconds, day: Seconds) -> String {
    if s.0 % day.0 == 0 {
        return (s.0 / day.0).to_string();
    }
    format!("{:.1}", s.0 as f64 / day.0 as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_count_the_open_days_of_a_week() {
        assert_eq!(whole_days_as_business_days("1d", 5), 1);
        assert_eq!(whole_days_as_business_days("1w2d", 5), 7);
        assert_eq!(whole_days_as_business_days("2w", 6), 12);
    }

    #[test]
    fn days_print_whole_or_with_one_decimal() {
        assert_eq!(days_of(Seconds(86_400), Seconds(8 * 3600)), "3");
        assert_eq!(days_of(Seconds(3 * 86_400), Seconds(10 * 3600)), "7.2");
    }
}
