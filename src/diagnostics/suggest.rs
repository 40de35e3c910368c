//! "Did you mean ...?": the closest known name by edit distance, and the
//! closest IANA time zone.

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// `did you mean `x`?` for the closest candidate.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `did you mean `x`?` for the closest candidate, or else `INTRO `a`, `b``
/// listing every candidate.
pub fn did_you_mean_or_list(name: &str, candidates: &[&str], intro: &str) -> String {
    did_you_mean(name, candidates.iter().copied()).unwrap_or_else(|| {
        let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        format!("{intro} {}", list.join(", "))
    })
}

/// The time zone closest to a misspelt one: case-insensitive distance over
/// whole names and over their last component (`berlin` finds `Europe/Berlin`).
pub fn time_zone(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            let full = tz.name();
            let fl = full.to_lowercase();
            let city = fl.rsplit('/').next().unwrap_or(&fl);
            (distance(&lower, &fl).min(distance(&lower, city) + 1), full)
        })
        .filter(|(d, _)| *d <= (lower.len() / 3).max(2))
        .min()
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["community_manager", "content_creator", "legal"];
        assert_eq!(
            closest("community_manger", names),
            Some("community_manager")
        );
        assert_eq!(closest("ceo", names), None);
    }

    #[test]
    fn suggests_time_zones() {
        assert_eq!(time_zone("Europe/Berln"), Some("Europe/Berlin"));
        assert_eq!(time_zone("europe/berlin"), Some("Europe/Berlin"));
        assert_eq!(time_zone("Berlin"), Some("Europe/Berlin"));
    }
}
