//! A generator of realistic, large slac workspaces for benchmarks.
//!
//! `generate(lines, seed)` returns the files of a workspace of about `lines`
//! lines: shared library modules (calendars, holiday sets, metrics) imported
//! by hundreds of agreement files, one or two agreements a file, each with
//! parties, roles, guidelines, responsibilities, goals on every prelude metric
//! and on shared custom metrics, approval flows, escalation tiers, credits and
//! exclusions. The output is a pure function of its arguments (a small
//! xorshift generator, no `rand`), and it checks with no errors and no
//! warnings: the benches would measure the error path otherwise.
//!
//! Used by `benches/phases.rs` (in memory) and by the example
//! `gen_workspace` (written to disk for `benches/run.sh`).

use std::fmt::Write;

/// A generated workspace: paths relative to its root, and their text.
pub struct Workspace {
    pub files: Vec<(String, String)>,
    pub agreements: usize,
    pub goals: usize,
    pub lines: usize,
}

impl Workspace {
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }
}

/// The seed used by the benches and `gen_workspace` unless told otherwise.
pub const DEFAULT_SEED: u64 = 0x5eed_51ac;

/// Agencies: one directory each under `agreements/`, with its time zone and
/// the public holidays of its country.
const AGENCIES: [(&str, &str, &str, &str); 6] = [
    ("bright_social", "BrightSocial GmbH", "Europe/Berlin", "de"),
    (
        "harbour_social",
        "Harbour Social Ltd",
        "Europe/London",
        "gb",
    ),
    ("alpine_media", "Alpine Media AG", "Europe/Zurich", "ch"),
    ("donau_digital", "Donau Digital GmbH", "Europe/Vienna", "at"),
    ("seine_studio", "Studio Seine SARL", "Europe/Paris", "fr"),
    ("hudson_care", "Hudson Care Inc.", "America/New_York", "us"),
];

const BRANDS: [&str; 24] = [
    "acme",
    "northwind",
    "bluepeak",
    "contoso",
    "fabrikam",
    "tailspin",
    "wingtip",
    "litware",
    "adatum",
    "proseware",
    "fourth_coffee",
    "woodgrove",
    "lucerne",
    "margie",
    "trey",
    "alpine_ski",
    "coho_winery",
    "humongous",
    "relecloud",
    "southridge",
    "wide_world",
    "graphic_design",
    "blue_yonder",
    "city_power",
];

const PLATFORMS: [&str; 8] = [
    "x",
    "instagram",
    "facebook",
    "linkedin",
    "tiktok",
    "youtube",
    "threads",
    "bluesky",
];
const CHANNELS: [&str; 4] = ["dm", "mention", "public_comment", "review"];
const DEADLINES: [&str; 8] = ["30m", "45m", "1h", "1h30m", "2h", "4h", "8h", "24h"];
const SHORT: [&str; 5] = ["10m", "15m", "20m", "30m", "1h"];
const PERCENTS: [&str; 6] = ["80%", "85%", "90%", "95%", "97.5%", "99%"];
const QUANTILES: [&str; 4] = ["p50", "p90", "p95", "p99"];
const PERIODS: [&str; 3] = ["weekly", "monthly", "quarterly"];

/// xorshift64*: deterministic and good enough to vary clauses.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// One to `most` distinct items, in their original order.
    fn some<'a>(&mut self, items: &[&'a str], most: usize) -> Vec<&'a str> {
        let n = 1 + self.below(most);
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in (1..idx.len()).rev() {
            idx.swap(i, self.below(i + 1));
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(n.min(items.len())).collect();
        chosen.sort();
        chosen.into_iter().map(|i| items[i]).collect()
    }
}

/// Generates a workspace of about `lines` lines (at least one agreement).
pub fn generate(lines: usize, seed: u64) -> Workspace {
    let mut rng = Rng::new(seed);
    let mut files = vec![
        ("slac.toml".to_string(), String::new()),
        ("shared/calendars.sla".to_string(), calendars()),
        ("shared/holidays.sla".to_string(), agency_holidays()),
        ("shared/metrics.sla".to_string(), metrics()),
    ];
    let mut total: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    let (mut agreements, mut goals) = (0, 0);
    let mut index = 0;
    while total < lines || agreements == 0 {
        let agency = AGENCIES[index % AGENCIES.len()];
        let brand = BRANDS[(index / AGENCIES.len()) % BRANDS.len()];
        // One file in five is a portfolio holding two agreements.
        let count = if rng.chance(20) { 2 } else { 1 };
        let mut file = AgreementFile::new(agency);
        for k in 0..count {
            let name = format!("{brand}_{}", index * 2 + k);
            goals += file.agreement(&mut rng, &name, brand, k);
            agreements += 1;
        }
        let text = file.finish(index);
        total += text.lines().count();
        files.push((format!("agreements/{}/{brand}_{index}.sla", agency.0), text));
        index += 1;
    }
    Workspace {
        files,
        agreements,
        goals,
        lines: total,
    }
}

/// Shared calendars: an office and an extended-care calendar per agency.
fn calendars() -> String {
    let mut s = String::from(
        "// Calendars shared by every agreement of the agencies.\n\n\
         import \"std/holidays\" as holidays\n",
    );
    for (id, name, tz, country) in AGENCIES {
        let _ = write!(
            s,
            "\n/// {name}: office hours.\ncalendar {id}_office \"{name} office\" {{\n  \
             timezone \"{tz}\"\n  open mon-fri 09:00-17:00\n  closed holidays.{country}_2026, holidays.{country}_2027\n}}\n\
             \n/// {name}: community coverage, long weekdays and short weekends.\n\
             calendar {id}_extended {{\n  timezone \"{tz}\"\n  open mon-fri 08:00-20:00\n  \
             open sat-sun 10:00-16:00\n  closed 2026-12-25, 2027-12-25\n}}\n"
        );
    }
    s
}

fn agency_holidays() -> String {
    let mut s = String::from("// Days the agencies close, on top of public holidays.\n");
    for year in [2026, 2027] {
        let _ = write!(
            s,
            "\n/// Agency closing days {year}.\nholidays closing_{year} \"Agency closing days {year}\" {{\n  \
             {year}-08-14 \"Summer party\"\n  {year}-12-24 \"Christmas Eve\"\n  {year}-12-31 \"New Year's Eve\"\n}}\n"
        );
    }
    s
}

fn metrics() -> String {
    String::from(
        "// Metrics beyond the prelude, shared by the agreements that measure them.\n\n\
         /// Time from an incident's detection to its acknowledgement.\n\
         metric ack_time \"Incident acknowledgement time\" {\n  kind latency\n  events incidents\n  \
         measure detected_at to acknowledged_at\n  series \"brand_incident_ack_seconds\"\n  labels platform\n  unit \"seconds\"\n}\n\n\
         /// Share of posts that needed a correction after publishing.\n\
         metric correction_rate \"Correction rate\" {\n  kind ratio\n  events posts\n  \
         numerator corrected \"brand_posts_corrected_total\"\n  denominator published \"brand_posts_published_total\"\n  \
         denominator scheduled \"brand_posts_scheduled_total\"\n  labels platform\n}\n\n\
         /// Direct messages handled.\n\
         metric dm_handled \"Direct messages handled\" {\n  kind count\n  events inquiries\n  \
         series \"brand_dms_handled_total\"\n  labels platform, channel\n}\n",
    )
}

/// One agreement file: its body is written first, then the imports it used.
struct AgreementFile {
    agency: (&'static str, &'static str, &'static str, &'static str),
    body: String,
    uses_metrics: bool,
    uses_std_holidays: bool,
}

/// The roles every agreement declares, and how goals pick owners.
struct Roles {
    managers: usize,
    vendor: bool,
}

impl AgreementFile {
    fn new(agency: (&'static str, &'static str, &'static str, &'static str)) -> Self {
        AgreementFile {
            agency,
            body: String::new(),
            uses_metrics: false,
            uses_std_holidays: false,
        }
    }

    fn finish(self, index: usize) -> String {
        let mut s = format!(
            "// {} for its clients: generated agreement file {index}.\n\n",
            self.agency.1
        );
        if self.uses_std_holidays {
            s.push_str("import \"std/holidays\" as holidays\n");
        }
        s.push_str("import \"../../shared/calendars.sla\" as cal\n");
        s.push_str("import \"../../shared/holidays.sla\" as agency\n");
        if self.uses_metrics {
            s.push_str("import \"../../shared/metrics.sla\" as m\n");
        }
        s.push_str(&self.body);
        s
    }

    /// Writes one agreement (with its own desk calendar); returns its goal count.
    fn agreement(&mut self, rng: &mut Rng, name: &str, brand: &str, k: usize) -> usize {
        let (agency_id, agency_name, tz, country) = self.agency;
        let s = &mut self.body;
        let desk = format!("{name}_desk");
        // The desk calendar is the escalation clock; it closes on the public
        // holidays (std) or on the agency's own closing days.
        let _ = write!(
            s,
            "\n/// Support desk for {brand}.\ncalendar {desk} {{\n  timezone \"{tz}\"\n  \
             open mon-fri 08:00-18:00\n"
        );
        if rng.chance(30) {
            s.push_str("  open sat 10:00-14:00\n");
        }
        if k == 0 {
            // The agency's closing days, used once per file so the import counts.
            s.push_str("  closed agency.closing_2026\n");
        }
        if rng.chance(50) {
            let _ = writeln!(s, "  closed holidays.{country}_2026");
            self.uses_std_holidays = true;
        }
        s.push_str("  closed 2026-12-24, 2026-12-31\n}\n");

        let term = if rng.chance(70) {
            "2026-01-01 to 2026-12-31"
        } else {
            "2026-03-01 to 2027-02-28"
        };
        let with_fee = rng.chance(85);
        let roles = Roles {
            managers: 2 + rng.below(5),
            vendor: rng.chance(30),
        };
        let title = brand.replace('_', " ");
        let _ = write!(
            s,
            "\nagreement {name} \"{title} social care ({agency_name})\" {{\n  \
             client {brand} \"{title} Corp\"\n  provider {agency_id} \"{agency_name}\"\n"
        );
        if roles.vendor {
            s.push_str("  vendor listening \"ListenCo\"\n");
        }
        let _ = write!(
            s,
            "\n  effective {term}\n  timezone \"{tz}\"\n  review {}\n  period monthly\n",
            rng.pick(&PERIODS)
        );
        if with_fee {
            let _ = writeln!(
                s,
                "  fee {} {} per month",
                2000 + 500 * rng.below(40),
                if country == "us" {
                    "USD"
                } else if country == "gb" {
                    "GBP"
                } else if country == "ch" {
                    "CHF"
                } else {
                    "EUR"
                }
            );
        }
        s.push_str(
            "\n  objective \"Answer every customer on social media quickly and in the brand voice\"\n",
        );
        if rng.chance(50) {
            s.push_str("  objective \"Grow qualified engagement on the core platforms\"\n");
        }
        // Goals filter only on listed platforms, so no W0004.
        let platforms = {
            let mut p = vec!["x", "instagram", "facebook"];
            p.extend(rng.some(&PLATFORMS[3..], 3));
            p
        };
        let _ = write!(
            s,
            "\n  // In priority order.\n  platforms {}\n  audience core \"Core customers\"\n  audience partners \"Business partners\"\n",
            platforms.join(", ")
        );

        // Roles. Host names take hyphens, not underscores (E0323).
        let (agency_host, brand_host) = (agency_id.replace('_', "-"), brand.replace('_', "-"));
        s.push('\n');
        for m in 1..=roles.managers {
            let _ = writeln!(
                s,
                "  role community_manager_{m} of {agency_id} {{ email \"care{m}@{agency_host}.example\" }}"
            );
        }
        let _ = write!(
            s,
            "  role content_creator of {agency_id} {{ email \"content@{agency_host}.example\" }}\n  \
             role care_lead of {agency_id} {{\n    email \"lead@{agency_host}.example\"\n    \
             webhook \"https://hooks.{agency_host}.example/{name}\"\n  }}\n  \
             role account_manager of {agency_id} {{\n    email \"am@{agency_host}.example\"\n    slack \"#{name}\"\n  }}\n  \
             role marketing_lead of {brand} {{ email \"marketing@{brand_host}.example\" }}\n  \
             role legal of {brand} {{ email \"legal@{brand_host}.example\" }}\n  \
             role head_of_comms of {brand} {{ email \"comms@{brand_host}.example\" }}\n"
        );
        if roles.vendor {
            s.push_str(
                "  role listening_support of listening { email \"support@listenco.example\" }\n",
            );
        }

        let _ = write!(
            s,
            "\n  guidelines {{\n    tone \"Friendly, expert, never sarcastic\"\n    \
             style \"{title} Brand Book v{}\"\n    languages {}\n  }}\n",
            1 + rng.below(6),
            match country {
                "de" | "at" => "de, en",
                "ch" => "de, fr, it, en",
                "fr" => "fr, en",
                _ => "en",
            }
        );

        // Responsibilities: every community manager is responsible somewhere.
        let managers: Vec<String> = (1..=roles.managers)
            .map(|m| format!("community_manager_{m}"))
            .collect();
        let _ = write!(
            s,
            "\n  responsibility community_care {{\n    responsible {}\n    accountable account_manager\n    \
             informed marketing_lead\n    duty \"Answer inquiries, complaints and feedback on every listed platform\"\n    \
             duty \"Tag complaints by severity and route them to the crisis escalation\"\n  }}\n\n  \
             responsibility content_production {{\n    responsible content_creator\n    accountable account_manager\n    \
             consulted marketing_lead\n    duty \"Keep the content calendar {} days ahead\"\n  }}\n",
            managers.join(", "),
            5 + rng.below(10)
        );
        if roles.vendor {
            s.push_str(
                "\n  responsibility monitoring {\n    responsible listening_support\n    accountable care_lead\n    \
                 duty \"Keep brand keyword alerts running and tuned\"\n  }\n",
            );
        }

        // Goals: 8 to 26, mixing every metric kind and target form.
        let goal_count = 8 + rng.below(19);
        let cap = 10 + rng.below(11);
        for g in 0..goal_count {
            let owner = if g % 5 == 4 {
                "content_creator".to_string()
            } else {
                managers[g % managers.len()].clone()
            };
            self.uses_metrics |= goal(
                &mut self.body,
                rng,
                g,
                &owner,
                &desk,
                agency_id,
                &platforms,
                with_fee.then_some(cap),
            );
        }
        let s = &mut self.body;

        // Approval flows.
        let _ = write!(
            s,
            "\n  approval publish_post \"Content approval before publishing\" {{\n    subject posts\n    \
             step review {{\n      by marketing_lead\n      within {}h\n      clock {desk}\n      on silence {}\n    }}\n",
            8 + rng.below(17),
            if rng.chance(70) { "approve" } else { "reject" }
        );
        if rng.chance(60) {
            s.push_str(
                "    step legal_review {\n      by legal\n      within 24h\n      when tagged \"regulated\"\n    }\n",
            );
        }
        s.push_str("    then publish\n  }\n");
        if rng.chance(40) {
            let _ = write!(
                s,
                "\n  /// Campaign posts need the head of communications too.\n  \
                 approval campaign \"Campaign approval\" {{\n    subject posts\n    \
                 step brand_check {{\n      by marketing_lead, head_of_comms\n      within 48h\n      \
                 clock cal.{agency_id}_office\n      when tagged \"campaign\"\n      on silence reject\n    }}\n  }}\n"
            );
        }

        // Escalations: tiers acknowledge faster as severity rises (no W0003).
        let _ = write!(
            s,
            "\n  escalation crisis \"Crisis management\" {{\n    clock always\n    \
             tier minor {{\n      notify content_creator\n      acknowledge within {}h\n    }}\n    \
             tier major {{\n      notify care_lead, account_manager\n      acknowledge within 30m\n      resolve within 8h\n    }}\n    \
             tier critical {{\n      notify head_of_comms, legal\n      acknowledge within 15m\n      resolve within 4h\n      \
             pause publishing\n      approve statement by head_of_comms, legal\n    }}\n  }}\n\n  \
             escalation incidents \"Incident handling\" {{\n    clock {desk}\n    \
             tier routine {{\n      notify {}\n      acknowledge within 2h\n    }}\n    \
             tier serious {{\n      notify care_lead, marketing_lead\n      acknowledge within 30m\n      resolve within 24h\n    }}\n  }}\n",
            1 + rng.below(4),
            managers[0]
        );

        let _ = write!(
            s,
            "\n  communication {{\n    report monthly to marketing_lead via email within {}d\n    \
             report weekly to account_manager via slack\n    meeting weekly with marketing_lead, account_manager\n    \
             channel slack \"#{name}\"\n  }}\n",
            2 + rng.below(6)
        );
        if with_fee {
            let _ = writeln!(s, "\n  credit cap {cap}%");
        }
        let excl = rng.some(&["platform_outage", "force_majeure", "client_delay"], 3);
        let _ = writeln!(s, "  exclude {}\n}}", excl.join(", "));
        goal_count
    }
}

/// Writes goal `g`; returns whether it uses a shared metric.
#[allow(clippy::too_many_arguments)]
fn goal(
    s: &mut String,
    rng: &mut Rng,
    g: usize,
    owner: &str,
    desk: &str,
    agency: &str,
    platforms: &[&str],
    cap: Option<usize>,
) -> bool {
    // The first goal runs on the shared office hours, so `cal` is always used.
    let clock = match if g == 0 { 2 } else { rng.below(4) } {
        0 => None,
        1 => Some(desk.to_string()),
        2 => Some(format!("cal.{agency}_office")),
        _ => Some(format!("cal.{agency}_extended")),
    };
    let platform_filter = |rng: &mut Rng| {
        let p = rng.some(platforms, 3);
        if p.len() == 1 {
            format!("platform = {}", p[0])
        } else {
            format!("platform in [{}]", p.join(", "))
        }
    };
    let kind = g % 9;
    let mut shared = false;
    let (title, metric, filter, target, reported) = match kind {
        0 | 5 => {
            let mut f = vec![platform_filter(rng)];
            if rng.chance(60) {
                let c = rng.some(&CHANNELS, 3);
                f.push(if c.len() == 1 {
                    format!("channel = {}", c[0])
                } else {
                    format!("channel in [{}]", c.join(", "))
                });
            }
            (
                "First reply to customer inquiries",
                "response_time".to_string(),
                Some(f.join(", ")),
                format!("{} within {}", rng.pick(&PERCENTS), rng.pick(&DEADLINES)),
                false,
            )
        }
        1 => (
            "Urgent inquiries",
            "response_time".to_string(),
            Some(format!(
                "priority >= {}, channel != review",
                if rng.chance(50) { "high" } else { "urgent" }
            )),
            format!("{} <= {}", rng.pick(&QUANTILES), rng.pick(&SHORT)),
            false,
        ),
        2 => (
            "Complaints resolved",
            "resolution_time".to_string(),
            rng.chance(50)
                .then(|| "channel in [public_comment, review]".to_string()),
            format!("mean <= {}h", 4 + rng.below(20)),
            false,
        ),
        3 => (
            "Response rate",
            "response_rate".to_string(),
            rng.chance(50).then(|| "priority >= normal".to_string()),
            format!(">= {}", rng.pick(&PERCENTS)),
            false,
        ),
        4 => (
            "Engagement",
            format!(
                "engagement_rate by {}",
                rng.pick(&["impressions", "reach", "followers"])
            ),
            Some(format!(
                "platform = {}, audience = {}",
                rng.pick(&platforms[..3]),
                if rng.chance(70) { "core" } else { "partners" }
            )),
            format!(">= {}.{}%", 1 + rng.below(5), rng.below(10)),
            true,
        ),
        6 => (
            "Posting cadence",
            "posts".to_string(),
            Some(platform_filter(rng)),
            if rng.chance(80) {
                format!(">= {} per week", 1 + rng.below(7))
            } else {
                format!("<= {} per day", 5 + rng.below(10))
            },
            false,
        ),
        7 => {
            shared = true;
            (
                "Acknowledge incidents",
                "m.ack_time".to_string(),
                Some(platform_filter(rng)),
                format!("{} <= {}", rng.pick(&QUANTILES), rng.pick(&SHORT)),
                false,
            )
        }
        _ => {
            shared = true;
            if rng.chance(50) {
                (
                    "Few corrections",
                    format!(
                        "m.correction_rate by {}",
                        rng.pick(&["published", "scheduled"])
                    ),
                    None,
                    format!("<= {}%", 1 + rng.below(5)),
                    rng.chance(30),
                )
            } else {
                (
                    "Direct messages handled",
                    "m.dm_handled".to_string(),
                    Some("channel = dm".to_string()),
                    format!(">= {} per day", 10 + rng.below(90)),
                    true,
                )
            }
        }
    };
    if rng.chance(40) {
        let _ = writeln!(s, "\n  /// {title}, as agreed in the kick-off workshop.");
    } else {
        s.push('\n');
    }
    let _ = write!(
        s,
        "  goal goal_{g} \"{title} ({g})\" {{\n    metric {metric}\n"
    );
    if let Some(f) = filter {
        let _ = writeln!(s, "    where {f}");
    }
    let _ = writeln!(s, "    target {target}");
    // Latency goals on a desk clock count business time; counts and ratios
    // are per period, so a clock only matters for deadlines.
    if let Some(c) = clock.filter(|_| matches!(kind, 0 | 1 | 2 | 5 | 7)) {
        let _ = writeln!(s, "    clock {c}");
    }
    if kind == 2 && rng.chance(50) {
        s.push_str("    period quarterly\n");
    }
    let _ = writeln!(s, "    owner {owner}");
    if reported {
        s.push_str("    reported\n");
    } else if rng.chance(75) {
        s.push_str("    on breach {\n");
        let _ = writeln!(
            s,
            "      escalate {}",
            rng.pick(&[
                "crisis.minor",
                "crisis.major",
                "crisis.critical",
                "incidents.routine",
                "incidents.serious"
            ])
        );
        if let Some(cap) = cap.filter(|_| rng.chance(70)) {
            let _ = writeln!(s, "      credit {}%", 1 + rng.below(cap));
        }
        s.push_str("    }\n");
    }
    s.push_str("  }\n");
    shared
}
