//! Writes a deterministic `inquiries.csv` of N rows for the `slac report`
//! benchmark (benches/run.sh), shaped like examples/data: the platforms,
//! channels, priorities and audiences of examples/acme-social.sla, received
//! over the agreement's term (2026) at any hour, answered after a spread of
//! delays (a few never), in Europe/Berlin's offsets.
//!
//!   gen_inquiries DIR --rows 1000000
//!
//! Same arguments, same bytes: the generator draws from a fixed-seed
//! congruential generator, so runs compare the same file.

use std::io::Write;

const PLATFORMS: [&str; 5] = ["x", "instagram", "facebook", "linkedin", "tiktok"];
const CHANNELS: [&str; 3] = ["dm", "mention", "public_comment"];
const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
const AUDIENCES: [&str; 3] = ["", "dach_consumers", "b2b_partners"];

/// A 64-bit linear congruential generator with a fixed seed (Knuth's MMIX
/// constants); the high bits are the draw.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Seconds since 1970 as local Berlin time in RFC 3339. Berlin's 2026
/// summer time runs from 29 March 01:00 UTC to 25 October 01:00 UTC.
fn berlin(t: i64) -> String {
    const SUMMER: (i64, i64) = (1_774_746_000, 1_792_890_000);
    let offset = if (SUMMER.0..SUMMER.1).contains(&t) {
        2
    } else {
        1
    };
    let local = t + offset * 3600;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+{offset:02}:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The proleptic Gregorian date of a day number (0 = 1970-01-01).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(rows)) = (
        args.get(1),
        args.iter()
            .position(|a| a == "--rows")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: gen_inquiries DIR --rows N");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("create the data directory");
    let path = std::path::Path::new(dir).join("inquiries.csv");
    let file = std::fs::File::create(&path).expect("create inquiries.csv");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        out,
        "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at,requires_response"
    )
    .expect("write");
    // 2026-01-01T00:00:00+01:00 to 2026-12-31T00:00:00+01:00, in order.
    let (start, span) = (1_767_222_000i64, 364 * 86_400i64);
    let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
    for n in 0..rows {
        let received = start + (n as i64 * span) / rows.max(1) as i64;
        // Most replies within the hour, a tail over days, 1 in 50 never.
        let delay = match draw.below(10) {
            0..=6 => draw.below(3_600),
            7 | 8 => draw.below(86_400),
            _ => draw.below(5 * 86_400),
        } as i64;
        let answered = draw.below(50) != 0;
        let first = if answered {
            berlin(received + delay)
        } else {
            String::new()
        };
        let resolved = if answered {
            berlin(received + delay + draw.below(2 * 86_400) as i64)
        } else {
            String::new()
        };
        writeln!(
            out,
            "inq-{n:08},{},{},{},{},{},{first},{resolved},{}",
            draw.pick(&PLATFORMS),
            draw.pick(&CHANNELS),
            draw.pick(&PRIORITIES),
            draw.pick(&AUDIENCES),
            berlin(received),
            if draw.below(20) == 0 { "false" } else { "true" },
        )
        .expect("write");
    }
    out.flush().expect("write");
    println!("{rows} inquiries in {}", path.display());
}
