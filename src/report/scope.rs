//! Which periods a report covers: those asked for with `--period`, or
//! every period with data in the term.

use super::events::Data;
use super::periods::{self, PeriodKey};
use super::Options;
use crate::model::Agreement;
use chrono::NaiveDate;
use chrono_tz::Tz;

/// Which periods a report covers, per period kind.
pub struct Scope {
    /// The local days the report was asked for, or `None` for "every period
    /// with data".
    range: Option<(NaiveDate, NaiveDate)>,
    /// The local start days of every event in the term (for "with data").
    days: Vec<NaiveDate>,
    term: crate::model::Term,
}

impl Scope {
    pub fn new(agreement: &Agreement, data: &Data, tz: Tz, options: &Options) -> Scope {
        let starts = data.event_starts().filter(|t| *t <= options.as_of);
        let mut days: Vec<NaiveDate> = starts
            .map(|t| periods::local_date(tz, t))
            .filter(|d| agreement.term.start <= *d && *d <= agreement.term.end)
            .collect();
        days.sort();
        days.dedup();
        Scope {
            range: options.range.as_ref().map(|r| (r.0, r.1)),
            days,
            term: agreement.term,
        }
    }

    /// The periods of `kind` to report, in order.
    pub fn periods(&self, kind: crate::model::Period) -> Vec<PeriodKey> {
        match self.range {
            Some((from, to)) => periods::within_range(kind, from, to),
            None => {
                let mut out: Vec<PeriodKey> = self
                    .days
                    .iter()
                    .map(|d| PeriodKey::containing(kind, *d))
                    .collect();
                out.dedup();
                out
            }
        }
    }

    /// Whether a local day lies in the agreement's effective term.
    pub fn in_term(&self, day: NaiveDate) -> bool {
        self.term.start <= day && day <= self.term.end
    }
}
