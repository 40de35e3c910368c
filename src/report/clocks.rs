//! Business time for every clock of an agreement, with exclusion windows
//! taken out per platform (semantics points 1 and 2), precomputed once over
//! the range the data spans so each event costs two day-indexed lookups
//! (`BusinessTime`) and no allocation.

use super::events::{ExclusionWindow, Time};
use crate::clock::{BusinessTime, Interval, Micros};
use crate::model::{Agreement, Clock};
use chrono::Duration;
use std::collections::BTreeSet;

pub struct Clocks {
    /// `(clock name, platform, time)`; the platform is empty for "no window
    /// specific to this platform": the all-platform windows alone apply.
    /// A handful of entries (clocks times platforms with windows), scanned
    /// without allocating.
    times: Vec<(String, String, BusinessTime)>,
}

impl Clocks {
    /// `windows` are the exclusion windows the agreement honours; business
    /// time is exact for instants in `[from, to]`.
    pub fn new(agreement: &Agreement, windows: &[&ExclusionWindow], from: Time, to: Time) -> Self {
        // Two days of margin: a local day is at most 26 hours from UTC's.
        let (from, to) = (from - Duration::days(2), to + Duration::days(2));
        let mut clocks: BTreeSet<Clock> = BTreeSet::from([Clock::Always]);
        clocks.extend(agreement.goals.iter().map(|g| g.clock.clone()));
        clocks.extend(
            agreement
                .approvals
                .iter()
                .flat_map(|a| a.steps.iter().map(|s| s.clock.clone())),
        );
        clocks.extend(agreement.escalations.iter().map(|e| e.clock.clone()));
        let all: Vec<Interval> = windows
            .iter()
            .filter(|w| w.platform.is_empty())
            .map(|w| Interval {
                start: w.start,
                end: w.end,
            })
            .collect();
        let platforms: BTreeSet<&str> = windows
            .iter()
            .filter(|w| !w.platform.is_empty())
            .map(|w| w.platform.as_str())
            .collect();
        let mut times = Vec::new();
        for clock in clocks {
            let base = match agreement.calendar(&clock) {
                Some(cal) => {
                    let tz = cal.timezone;
                    let (a, b) = (
                        from.with_timezone(&tz).date_naive(),
                        to.with_timezone(&tz).date_naive(),
                    );
                    BusinessTime::for_calendar(cal, a, b)
                }
                None => BusinessTime::always(from, to),
            };
            for p in &platforms {
                let mut cut = all.clone();
                cut.extend(
                    windows
                        .iter()
                        .filter(|w| w.platform == *p)
                        .map(|w| Interval {
                            start: w.start,
                            end: w.end,
                        }),
                );
                times.push((clock.name().to_string(), p.to_string(), base.without(cut)));
            }
            times.push((
                clock.name().to_string(),
                String::new(),
                base.without(all.clone()),
            ));
        }
        Clocks { times }
    }

    /// The instant an event of `platform` started at `start` has used
    /// `amount` of business time on `clock`, exactly; `None` past the
    /// precomputed range.
    pub fn instant_after(
        &self,
        clock: &Clock,
        platform: &str,
        start: Time,
        amount: Micros,
    ) -> Option<Time> {
        self.time_of(clock, platform).instant_after(start, amount)
    }

    fn time_of(&self, clock: &Clock, platform: &str) -> &BusinessTime {
        let name = clock.name();
        let find = |p: &str| {
            self.times
                .iter()
                .find(|(c, q, _)| c == name && q == p)
                .map(|(_, _, bt)| bt)
        };
        find(platform)
            .or_else(|| find(""))
            .expect("every clock of the agreement is precomputed")
    }

    /// Business time in `[start, stop)` on `clock` for an event of
    /// `platform` (empty: none in particular), exact to the microsecond.
    pub fn elapsed(&self, clock: &Clock, platform: &str, start: Time, stop: Time) -> Micros {
        let name = clock.name();
        let find = |p: &str| {
            self.times
                .iter()
                .find(|(c, q, _)| c == name && q == p)
                .map(|(_, _, bt)| bt)
        };
        let bt = find(platform)
            .or_else(|| find(""))
            .expect("every clock of the agreement is precomputed");
        bt.between(start, stop)
    }
}
