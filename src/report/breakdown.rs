//! What a goal's result is made of: the same measurement per platform,
//! beside the goal's overall result, and for latency goals how many counted
//! events fell in each band of business time sized from the target.
//!
//! Tallied in the goal's own pass over its events: a few counters per
//! platform (a handful, found by a short scan), six band counters, and no
//! allocation per event.

use super::{Band, PlatformResult, Status, Value};
use crate::clock::Micros;

/// The counters of one platform (empty: events without a platform).
#[derive(Clone, Debug)]
pub struct Tally<'a> {
    pub platform: &'a str,
    pub counted: u64,
    pub pending: u64,
    pub misses: u64,
    /// Latency: the sum of counted times; `None` once one is +infinity.
    pub sum: Option<u128>,
    /// Latency, quantile targets: counted events seen so far in ascending
    /// order, and the one at the platform's nearest rank (`None` inside:
    /// +infinity).
    pub seen: u64,
    pub rank: u64,
    pub nth: Option<Option<Micros>>,
    /// Ratio goals: the numerator and denominator over this platform.
    pub numerator: u64,
    pub denominator: u64,
}

impl<'a> Tally<'a> {
    fn new(platform: &'a str) -> Self {
        Tally {
            platform,
            counted: 0,
            pending: 0,
            misses: 0,
            sum: Some(0),
            seen: 0,
            rank: 0,
            nth: None,
            numerator: 0,
            denominator: 0,
        }
    }

    /// Adds one counted latency: `None` is +infinity (overdue).
    pub fn took(&mut self, t: Option<Micros>, miss: bool) {
        self.counted += 1;
        self.misses += u64::from(miss);
        self.sum = match (self.sum, t) {
            (Some(s), Some(t)) => Some(s + t.0 as u128),
            _ => None,
        };
    }
}

/// The tallies of one goal-period, one per platform met.
#[derive(Default)]
pub struct Tallies<'a>(pub Vec<Tally<'a>>);

impl<'a> Tallies<'a> {
    pub fn get(&mut self, platform: &'a str) -> &mut Tally<'a> {
        let i = match self.0.iter().position(|t| t.platform == platform) {
            Some(i) => i,
            None => {
                self.0.push(Tally::new(platform));
                self.0.len() - 1
            }
        };
        &mut self.0[i]
    }

    /// The agreement's platforms in its (priority) order, then any other
    /// by name, then events without a platform.
    pub fn sorted(mut self, order: &[String]) -> Vec<Tally<'a>> {
        self.0.sort_by_key(|t| {
            let rank = order.iter().position(|p| p == t.platform);
            (
                t.platform.is_empty(),
                rank.unwrap_or(usize::MAX),
                t.platform,
            )
        });
        self.0
    }
}

/// One platform's result from its tally and the verdict on it.
pub fn platform_result(t: &Tally, verdict: Option<(bool, Value, String)>) -> PlatformResult {
    let (status, value, display) = match verdict {
        Some((ok, v, d)) => (if ok { Status::Met } else { Status::Missed }, Some(v), d),
        None => (Status::NoData, None, "no data".to_string()),
    };
    PlatformResult {
        platform: t.platform.to_string(),
        status,
        value,
        display,
        counted: t.counted,
        pending: t.pending,
        misses: t.misses,
    }
}

/// The bands of a latency goal with deadline `d` (whole seconds): up to
/// half of it, up to it, up to twice, up to four times, beyond, and
/// still open past it (+infinity). Lower bounds are exclusive, upper ones
/// inclusive, as the target's `within` is.
pub fn bands(d: u64) -> Vec<Band> {
    let edges = [0, d / 2, d, d.saturating_mul(2), d.saturating_mul(4)];
    let mut out: Vec<Band> = edges
        .windows(2)
        .map(|w| Band {
            from_seconds: w[0],
            to_seconds: Some(w[1]),
            open: false,
            on_target: w[1] <= d,
            count: 0,
        })
        .collect();
    out.push(Band {
        from_seconds: edges[4],
        to_seconds: None,
        open: false,
        on_target: false,
        count: 0,
    });
    out.push(Band {
        from_seconds: d,
        to_seconds: None,
        open: true,
        on_target: false,
        count: 0,
    });
    out
}

/// The index in `bands(d)` of a counted time (`None`: +infinity).
pub fn band_of(t: Option<Micros>, d: u64) -> usize {
    match t {
        None => 5,
        Some(t) if t.within(d / 2) => 0,
        Some(t) if t.within(d) => 1,
        Some(t) if t.within(d.saturating_mul(2)) => 2,
        Some(t) if t.within(d.saturating_mul(4)) => 3,
        Some(_) => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_at_half_once_twice_and_four_times_the_target() {
        // 1h: [0, 30m], (30m, 1h], (1h, 2h], (2h, 4h], beyond, open.
        let b = bands(3600);
        let edges: Vec<(u64, Option<u64>, bool, bool)> = b
            .iter()
            .map(|b| (b.from_seconds, b.to_seconds, b.open, b.on_target))
            .collect();
        assert_eq!(
            edges,
            [
                (0, Some(1800), false, true),
                (1800, Some(3600), false, true),
                (3600, Some(7200), false, false),
                (7200, Some(14400), false, false),
                (14400, None, false, false),
                (3600, None, true, false),
            ]
        );
        // Upper bounds are inclusive and exact to the microsecond.
        let s = |secs: u64, micros: u64| Some(Micros(secs * 1_000_000 + micros));
        assert_eq!(band_of(s(0, 0), 3600), 0);
        assert_eq!(band_of(s(1800, 0), 3600), 0);
        assert_eq!(band_of(s(1800, 1), 3600), 1);
        assert_eq!(band_of(s(3600, 0), 3600), 1);
        assert_eq!(band_of(s(3600, 1), 3600), 2);
        assert_eq!(band_of(s(14400, 0), 3600), 3);
        assert_eq!(band_of(s(14400, 1), 3600), 4);
        assert_eq!(band_of(None, 3600), 5);
    }

    #[test]
    fn tallies_keep_the_agreements_order() {
        let order = ["x".to_string(), "instagram".to_string()];
        let mut t = Tallies::default();
        for p in ["", "tiktok", "instagram", "x", "instagram"] {
            t.get(p).took(Some(Micros(1)), false);
        }
        let order: Vec<(&str, u64)> = t
            .sorted(&order)
            .iter()
            .map(|t| (t.platform, t.counted))
            .collect();
        assert_eq!(order, [("x", 1), ("instagram", 2), ("tiktok", 1), ("", 1)]);
    }
}
