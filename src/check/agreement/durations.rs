//! Durations measured on a clock: `bd` resolved to the calendar's business
//! day (E0326, E0327).

use super::*;
use crate::business_day::{self, Uneven};
use crate::model::DayKeyword;
use values::Written;

/// The clock a duration is measured on, once the block's `clock` clause is
/// read. `Unresolved` when that clause named nothing known (already reported).
#[derive(Clone, Copy)]
pub(super) enum On<'c> {
    Clock(&'c Clock),
    Unresolved,
}

impl Cx<'_, '_> {
    /// The duration in seconds on its clock, reporting what does not fit it.
    pub(super) fn duration_on(&mut self, lit: &Lit, on: On) -> Option<Seconds> {
        let written = values::written_duration(self.file, lit);
        match (self.ok(written)?, on) {
            (Written::Fixed(s), On::Clock(Clock::Calendar(name))) => {
                self.whole_days(lit, s, name);
                Some(s)
            }
            (Written::Fixed(s), _) => Some(s),
            (Written::BusinessDays(_), On::Unresolved) => None,
            (Written::BusinessDays(n), On::Clock(Clock::Calendar(name))) => {
                self.business_days(lit, n, name)
            }
            (Written::BusinessDays(_), On::Clock(Clock::Always)) => {
                self.err(on_always(self.file, lit));
                None
            }
        }
    }

    /// `N bd` on calendar `name`: N open days, if they are all one length.
    fn business_days(&mut self, lit: &Lit, n: u64, name: &str) -> Option<Seconds> {
        let cal = self.calendars.get(name)?;
        match business_day::length(&cal.open) {
            Ok(day) => Some(Seconds(n * day.0)),
            Err(Uneven::Differ(a, b)) => {
                let d = uneven(self.file, lit, name, a, b);
                self.err(d);
                None
            }
            Err(Uneven::NeverOpen) => None, // E0315 on the calendar
        }
    }
}

fn on_always(file: FileId, lit: &Lit) -> Diagnostic {
    Diagnostic::new(
        Code::E0326,
        format!("{} on the clock `always`", tick(&lit.text)),
        file,
        lit.span,
    )
    .label("business days need a business calendar")
    .help("write the time in hours, like `8h`, or measure it on a business calendar with `clock NAME`")
}

fn uneven(
    file: FileId,
    lit: &Lit,
    name: &str,
    (a, a_len): (chrono::Weekday, Seconds),
    (b, b_len): (chrono::Weekday, Seconds),
) -> Diagnostic {
    Diagnostic::new(
        Code::E0327,
        format!(
            "{} on calendar {}, whose open days differ in length",
            tick(&lit.text),
            tick(name)
        ),
        file,
        lit.span,
    )
    .label(format!(
        "`{}` is open {a_len}, `{}` {b_len}: a business day has no one length",
        a.keyword(),
        b.keyword()
    ))
    .help(format!("write the business hours, like `{a_len}`"))
}
