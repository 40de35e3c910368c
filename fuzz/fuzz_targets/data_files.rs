//! The CSV and JSON Lines readers of `slac report` at the byte level. The
//! first byte picks the file kind (`FileKind::ALL`, modulo its length) and, by its
//! lowest bit above that, the format; the rest is the file. Whatever the
//! bytes, reading ends with rows or errors, within the bounds of
//! `report::bounded` (libFuzzer's memory limit catches a blow-up), and:
//!
//! - rows come in file order, numbered from 1 and at most the number of
//!   lines in the file (row numbers are lines an editor can jump to);
//! - errors name the file, at most `MAX_ERRORS` are kept, and any row they
//!   name is a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::report::read::{self, DataErrors, FileKind, Format, Vocabulary, MAX_ERRORS};

fn vocab() -> Vocabulary {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    Vocabulary {
        platforms: s(&["x", "instagram", "facebook", "linkedin", "tiktok"]),
        channels: s(&["dm", "mention", "comment", "review"]),
        priorities: s(&["low", "normal", "high", "urgent"]),
        audiences: s(&["fans", "press"]),
        steps: pairs(&[("publish", "review"), ("publish", "legal")]),
        tiers: pairs(&[("crisis", "minor"), ("crisis", "major")]),
    }
}

/// Checks one reader's result and returns the row numbers read.
fn check<T>(file: &str, lines: u64, result: Result<Vec<T>, DataErrors>, row: impl Fn(&T) -> u64) {
    match result {
        Ok(rows) => {
            let mut last = 0;
            for r in &rows {
                let n = row(r);
                assert!(n > last, "rows in order: {n} after {last}");
                assert!(n <= lines, "row {n} of {lines} lines");
                last = n;
            }
        }
        Err(e) => {
            assert!(!e.errors.is_empty() && e.errors.len() <= MAX_ERRORS);
            assert!(e.more == 0 || e.errors.len() == MAX_ERRORS);
            for err in &e.errors {
                assert_eq!(err.file, file);
                if let Some(n) = err.row {
                    assert!(n >= 1 && n <= lines + 1, "error row {n} of {lines} lines");
                }
            }
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kinds = FileKind::ALL.len();
    let kind = FileKind::ALL[pick as usize % kinds];
    let format = if (pick as usize / kinds) % 2 == 0 {
        Format::Csv
    } else {
        Format::Jsonl
    };
    let file = format!("{}.{}", kind.stem(), format.extension());
    // Lines as an editor counts them: a last line without its `\n` counts.
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64
        + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"));
    let v = vocab();
    let mut progress = |_| {};
    let p = &mut progress;
    match kind {
        FileKind::Inquiries => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::Inquiry>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Posts => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::Post>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Approvals => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::ApprovalRequest>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Incidents => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::Incident>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Exclusions => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::ExclusionWindow>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Messages => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::Message>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
        FileKind::Waits => check(
            &file,
            lines,
            read::read_rows::<slac::report::events::Wait>(&file, format, bytes, &v, p),
            |r| r.row,
        ),
    }
});
