//! The compliance report of `examples/acme-social.sla` over fuzzed data.
//! The input holds the first five data files in `FileKind::ALL` order, a
//! `--period` and then `waits.csv` and `messages.csv` (last, so older
//! seeds keep their meaning), separated by NUL bytes; a file whose first byte is `{` is
//! read as JSON Lines, any other as CSV.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use slac::model::Agreement;
use slac::report::events::{Data, Table};
use slac::report::read::{self, FileKind, Format, Vocabulary};
use slac::report::reader::Audience;
use slac::report::{self, periods, Options};
use std::sync::OnceLock;

fn agreement() -> &'static Agreement {
    static MODEL: OnceLock<Agreement> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut files = slac_fuzz::MemLoader::default();
        files.0.insert(
            slac_fuzz::FILES[0].into(),
            include_bytes!("../../examples/acme-social.sla").to_vec(),
        );
        files.0.insert(
            "/fuzz/calendars.sla".into(),
            include_bytes!("../../examples/calendars.sla").to_vec(),
        );
        let model = slac_fuzz::check(&files, false).expect("the example checks clean");
        model.agreements[0].clone()
    })
}

/// Reads one file; a file with errors counts as present but empty, so the
/// other files still reach the report (the CLI would stop at the error).
fn table<T>(
    kind: FileKind,
    bytes: &[u8],
    read: impl Fn(&str, Format, &[u8], &mut dyn FnMut(u64)) -> Result<Vec<T>, read::DataErrors>,
) -> Table<T> {
    let format = match bytes.first() {
        Some(b'{') => Format::Jsonl,
        _ => Format::Csv,
    };
    let name = format!("{}.{}", kind.stem(), format.extension());
    let rows = read(&name, format, bytes, &mut |_| {}).unwrap_or_default();
    Table {
        file: Some(name),
        rows,
    }
}

fuzz_target!(|data: &[u8]| {
    let agreement = agreement();
    let vocab = Vocabulary::for_agreement(agreement);
    let parts = slac_fuzz::split(data, 8);
    let part = |i: usize| parts.get(i).copied().unwrap_or_default();
    let data = Data {
        inquiries: table(FileKind::Inquiries, part(0), |n, f, b, p| {
            read::read_rows::<slac::report::events::Inquiry>(n, f, b, &vocab, p)
        }),
        posts: table(FileKind::Posts, part(1), |n, f, b, p| {
            read::read_rows::<slac::report::events::Post>(n, f, b, &vocab, p)
        }),
        approvals: table(FileKind::Approvals, part(2), |n, f, b, p| {
            read::read_rows::<slac::report::events::ApprovalRequest>(n, f, b, &vocab, p)
        }),
        incidents: table(FileKind::Incidents, part(3), |n, f, b, p| {
            read::read_rows::<slac::report::events::Incident>(n, f, b, &vocab, p)
        }),
        exclusions: table(FileKind::Exclusions, part(4), |n, f, b, p| {
            read::read_rows::<slac::report::events::ExclusionWindow>(n, f, b, &vocab, p)
        }),
        waits: table(FileKind::Waits, part(6), |n, f, b, p| {
            read::read_rows::<slac::report::events::Wait>(n, f, b, &vocab, p)
        }),
        messages: table(FileKind::Messages, part(7), |n, f, b, p| {
            read::read_rows::<slac::report::events::Message>(n, f, b, &vocab, p)
        }),
    };
    let range = std::str::from_utf8(part(5))
        .ok()
        .and_then(|p| periods::parse_range(p).map(|(from, to)| (from, to, p.trim().to_string())));
    let fallback = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let options = Options {
        as_of: data.latest().unwrap_or(fallback),
        range,
        worst: 10,
    };
    if let Ok(r) = report::build("acme-social.sla", agreement, &data, &options) {
        let _ = report::render_markdown::render(&r);
        let _ = report::render_html::render(&r);
        for audience in [Audience::Client, Audience::Provider] {
            let _ = report::render_markdown::render_for(&r, agreement, audience);
            let _ = report::render_html::render_for(&r, agreement, audience);
        }
        let json = report::render_json::render(&r);
        serde_json::from_str::<serde_json::Value>(&json).expect("report JSON parses");
    }
});
