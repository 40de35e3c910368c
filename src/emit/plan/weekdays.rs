//! Sets of weekdays as runs: the text the language writes (`mon-fri`) and
//! the ranges Prometheus and Alertmanager match on.

use crate::model::DayKeyword;

/// `mon-fri`, `mon, wed`, `mon, wed-fri` as written in the language.
pub fn days_text(days: &[chrono::Weekday]) -> String {
    let mut nums: Vec<u32> = days.iter().map(|d| d.num_days_from_monday()).collect();
    nums.sort_unstable();
    nums.dedup();
    let name = |n: u32| chrono::Weekday::try_from(n as u8).expect("0..7").keyword();
    runs(&nums)
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                name(a).to_string()
            } else {
                format!("{}-{}", name(a), name(b))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Consecutive runs of sorted numbers: `[1,2,3,5]` is `[(1,3),(5,5)]`.
pub fn runs(nums: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &n in nums {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => out.push((n, n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_their_text() {
        use chrono::Weekday::*;
        assert_eq!(runs(&[0, 1, 2, 4, 6]), vec![(0, 2), (4, 4), (6, 6)]);
        assert_eq!(days_text(&[Mon, Tue, Wed, Fri, Sun]), "mon-wed, fri, sun");
        assert_eq!(days_text(&[Sun, Sat]), "sat-sun");
        assert_eq!(days_text(&[Wed, Mon]), "mon, wed");
    }
}
