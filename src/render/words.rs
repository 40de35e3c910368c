//! The contract's words for the language's values: durations, dates, days,
//! lists, platform and role names. Every sentence of `render` (and of the
//! report's plain-language goals) is made from these, so one thing is
//! always said the same way.

use crate::model::{Agreement, Calendar, Clock, Dimension, Seconds};
use chrono::{Datelike, NaiveDate, Weekday};

/// "a", "a and b", "a, b and c".
pub fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// `community_manager` as "Community Manager", `head_of_comms` as "Head of
/// Comms".
pub fn title_case(id: &str) -> String {
    id.split(['_', '-'])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| match w {
            "of" | "and" | "or" | "the" | "for" | "to" | "in" if i > 0 => w.to_string(),
            "us" | "uk" | "eu" | "pr" | "hr" | "qa" | "dach" | "emea" | "apac" => w.to_uppercase(),
            _ => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount of money: 1200000 cents of EUR as "12,000.00 EUR".
pub fn money(cents: u64, currency: &str) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02} {currency}", cents % 100)
}

/// A language code as its English name, when it is a common one.
pub fn language(code: &str) -> String {
    let name = match code {
        "en" => "English",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pt" => "Portuguese",
        "pl" => "Polish",
        "sv" => "Swedish",
        "da" => "Danish",
        "ja" => "Japanese",
        "zh" => "Chinese",
        other => return other.to_string(),
    };
    name.to_string()
}

/// A platform as its owner writes it: the prelude's platforms by their
/// brand names, the agreement's own by the name it gives them.
pub fn platform(a: &Agreement, id: &str) -> String {
    if let Some(p) = a.custom_platforms.iter().find(|p| p.id == id) {
        return p.name.clone();
    }
    let known = match id {
        "x" => "X",
        "facebook" => "Facebook",
        "instagram" => "Instagram",
        "linkedin" => "LinkedIn",
        "tiktok" => "TikTok",
        "youtube" => "YouTube",
        "threads" => "Threads",
        "bluesky" => "Bluesky",
        "mastodon" => "Mastodon",
        "pinterest" => "Pinterest",
        "reddit" => "Reddit",
        other => return title_case(other),
    };
    known.to_string()
}

/// A value of a goal's `where` dimension, in words.
pub fn value(a: &Agreement, dimension: &Dimension, v: &str) -> String {
    match (dimension, v) {
        (Dimension::Platform, p) => platform(a, p),
        (Dimension::Channel, "dm") => "direct messages".into(),
        (Dimension::Channel, "mention") => "mentions".into(),
        (Dimension::Channel, "public_comment") => "public comments".into(),
        (Dimension::Channel, "review") => "reviews".into(),
        (Dimension::Audience, id) => a
            .audiences
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| title_case(id)),
        (_, other) => other.replace('_', " "),
    }
}

/// A role by its name, with its party: "Community Manager (BrightSocial
/// GmbH)".
pub fn role(a: &Agreement, id: &str) -> String {
    let party = a
        .role(id)
        .and_then(|r| a.parties.iter().find(|p| p.id == r.party))
        .map(|p| format!(" ({})", p.name))
        .unwrap_or_default();
    format!("the {}{party}", title_case(id))
}

/// Several roles: "the Legal (Acme Corp) and the Head Of Comms (Acme
/// Corp)".
pub fn roles(a: &Agreement, ids: &[String]) -> String {
    let names: Vec<String> = ids.iter().map(|r| role(a, r)).collect();
    list(&names, "and")
}

/// 5400 seconds as "1 hour 30 minutes".
pub fn duration(d: Seconds) -> String {
    if d.0 == 0 {
        return "no time".into();
    }
    let mut rest = d.0;
    let mut parts = Vec::new();
    for (unit, size) in [
        ("week", 604_800),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        if rest >= size {
            let n = rest / size;
            rest %= size;
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    parts.join(" ")
}

/// Time taken, for readers: "41 seconds", "26 minutes 41 seconds", "1
/// hour 35 minutes", "334 hours 22 minutes": from an hour on, in hours and
/// minutes only (business time is counted in hours, not days), a started
/// minute counted whole, so never shorter than it was.
pub fn elapsed(seconds: u64) -> String {
    if seconds < 3_600 {
        return duration(Seconds(seconds));
    }
    let minutes = seconds.div_ceil(60);
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = format!("{h} hour{}", if h == 1 { "" } else { "s" });
    match m {
        0 => hours,
        1 => format!("{hours} 1 minute"),
        m => format!("{hours} {m} minutes"),
    }
}

/// The months' English names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A report period for readers: `2026-02` as "February 2026", `2026-Q1`
/// as "Q1 2026", `2026-W10` as "week 10 of 2026"; days and years as they
/// are.
pub fn period(label: &str) -> String {
    let Some((year, rest)) = label.split_once('-') else {
        return label.to_string();
    };
    if let Some(q) = rest.strip_prefix('Q') {
        return format!("Q{q} {year}");
    }
    if let Some(w) = rest.strip_prefix('W') {
        return format!("week {} of {year}", w.trim_start_matches('0'));
    }
    match rest.parse::<usize>() {
        Ok(m @ 1..=12) if rest.len() == 2 => format!("{} {year}", MONTHS[m - 1]),
        _ => label.to_string(),
    }
}

/// 1 as "1st", 12 as "12th", 22 as "22nd".
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A duration on a clock: "1 hour of Business Hours (Berlin Office)" or
/// "1 hour".
pub fn duration_on(a: &Agreement, d: Seconds, clock: &Clock) -> String {
    match a.calendar(clock) {
        Some(cal) => format!("{} of {}", duration(d), calendar_term(cal)),
        None => duration(d),
    }
}

/// The defined term for a calendar's open time: its title, or its name in
/// words, as "… Hours".
pub fn calendar_term(cal: &Calendar) -> String {
    let base = cal
        .title
        .clone()
        .unwrap_or_else(|| title_case(cal.name.rsplit('.').next().unwrap_or(&cal.name)));
    if base.to_lowercase().ends_with("hours") {
        base
    } else {
        format!("{base} Hours")
    }
}

/// 2026-01-01 as "1 January 2026".
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

pub fn weekday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Days as runs: "Monday to Friday", "Monday, Wednesday and Friday to
/// Sunday".
pub fn days(ds: &[Weekday]) -> String {
    let mut sorted: Vec<u32> = ds.iter().map(|d| d.num_days_from_monday()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for d in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == d => *end = d,
            _ => runs.push((d, d)),
        }
    }
    let name = |n: u32| weekday(Weekday::try_from(n as u8).unwrap_or(Weekday::Mon));
    let parts: Vec<String> = runs
        .into_iter()
        .flat_map(|(s, e)| match e - s {
            0 => vec![name(s).to_string()],
            1 => vec![name(s).to_string(), name(e).to_string()],
            _ => vec![format!("{} to {}", name(s), name(e))],
        })
        .collect();
    list(&parts, "and")
}

/// Minutes after midnight as "09:00"; the end of the day is "24:00".
pub fn clock_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()], "or"),
            "a, b or c"
        );
        assert_eq!(title_case("community_manager"), "Community Manager");
        assert_eq!(title_case("head_of_comms"), "Head of Comms");
        assert_eq!(title_case("us_community"), "US Community");
        assert_eq!(money(1_200_000, "EUR"), "12,000.00 EUR");
        assert_eq!(money(60_050, "EUR"), "600.50 EUR");
        assert_eq!(duration(Seconds(5400)), "1 hour 30 minutes");
        assert_eq!(duration(Seconds(86_400)), "1 day");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            "1 January 2026"
        );
        use Weekday::*;
        assert_eq!(days(&[Mon, Tue, Wed, Thu, Fri]), "Monday to Friday");
        assert_eq!(days(&[Sat, Sun, Mon]), "Monday, Saturday and Sunday");
        assert_eq!(clock_time(1440), "24:00");
        assert_eq!(elapsed(1601), "26 minutes 41 seconds");
        assert_eq!(elapsed(5701), "1 hour 36 minutes");
        assert_eq!(elapsed(41), "41 seconds");
        assert_eq!(period("2026-02"), "February 2026");
        assert_eq!(period("2026-Q1"), "Q1 2026");
        assert_eq!(period("2026-W09"), "week 9 of 2026");
        assert_eq!(period("2026-03-05"), "2026-03-05");
        assert_eq!(period("2026"), "2026");
        assert_eq!(elapsed(334 * 3600 + 21 * 60 + 4), "334 hours 22 minutes");
        let ords: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 20, 21, 22, 101, 111]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            ords,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "20th", "21st", "22nd",
                "101st", "111th"
            ]
        );
    }
}
