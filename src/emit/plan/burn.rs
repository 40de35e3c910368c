//! Multi-window burn-rate alerting (Google SRE workbook, chapter 5): the
//! window pairs and the thresholds every target that alerts on an error
//! budget uses.

use crate::model::decimal;

/// A burn-rate window pair.
pub struct Pair {
    pub what: &'static str,
    pub long: u64,
    pub short: u64,
    /// Burn rate in tenths (Google SRE workbook, for a 30-day budget).
    pub factor_tenths: u64,
    pub for_seconds: u64,
}

pub const PAIRS: [Pair; 2] = [
    Pair {
        what: "Fast",
        long: 3600,
        short: 300,
        factor_tenths: 144,
        for_seconds: 120,
    },
    Pair {
        what: "Slow",
        long: 21_600,
        short: 1800,
        factor_tenths: 60,
        for_seconds: 900,
    },
];

/// The error ratio above which a burn-rate pair fires: `factor x budget`,
/// capped halfway between the budget and 1 so low targets (90%) can page.
/// Exact: the result is a decimal string.
pub fn burn_threshold(budget_ppm: u32, factor_tenths: u64) -> String {
    decimal(burn_units(budget_ppm, factor_tenths), 7)
}

/// The threshold in units of 1e-7 (`burn_threshold` without the decimal point).
pub fn burn_units(budget_ppm: u32, factor_tenths: u64) -> u64 {
    let burn = budget_ppm as u64 * factor_tenths;
    let cap = (1_000_000 + budget_ppm as u64) * 5;
    burn.min(cap)
}

/// The threshold as an exact percentage: `55%`, `28.8%`.
pub fn burn_percent(budget_ppm: u32, factor_tenths: u64) -> String {
    format!("{}%", decimal(burn_units(budget_ppm, factor_tenths), 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burn_thresholds_are_exact_and_capped() {
        // 99.9%: the textbook 14.4x and 6x.
        assert_eq!(burn_threshold(1_000, 144), "0.0144");
        assert_eq!(burn_threshold(1_000, 60), "0.006");
        // 95%: 0.72 is capped at 0.525, 0.3 stays.
        assert_eq!(burn_threshold(50_000, 144), "0.525");
        assert_eq!(burn_threshold(50_000, 60), "0.3");
        // 90%: both capped.
        assert_eq!(burn_threshold(100_000, 144), "0.55");
        assert_eq!(burn_threshold(100_000, 60), "0.55");
        assert_eq!(burn_percent(100_000, 144), "55%");
        assert_eq!(burn_percent(20_000, 144), "28.8%");
        assert_eq!(burn_percent(1, 144), "0.00144%");
    }
}
