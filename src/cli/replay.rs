//! `slac diff --with-data DIR`: both versions of each changed agreement
//! replayed over past data (`report::replay`), printed under the semantic
//! changes, and the money gate of `--fail-on AMOUNT`.

use super::diff::DiffFormat;
use super::{write_stdout, EXIT_ERRORS, EXIT_OK};
use crate::diff::render::{self, FileChanges};
use crate::model::Model;
use crate::report::replay::{self, Replay};
use crate::report::{self, Options};
use std::path::Path;

/// `500` or `1200.50` in cents; at most two decimals, no sign.
pub fn cents(s: &str) -> Option<u64> {
    let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: u64 = format!("{frac:0<2}").parse().ok()?;
    int.parse::<u64>().ok()?.checked_mul(100)?.checked_add(frac)
}

/// Every agreement present in both versions of a file, replayed over the
/// data in `dir` as of the data's latest instant.
pub fn replays(
    models: &[(Model, Model)],
    dir: &Path,
    map: Option<&crate::report::map::Mapping>,
) -> Result<Vec<Replay>, String> {
    let mut out = Vec::new();
    for (old, new) in models {
        for b in &new.agreements {
            let Some(a) = old.agreements.iter().find(|a| a.name == b.name) else {
                continue;
            };
            let report = |m: &Model, agreement| -> Result<report::Report, String> {
                let data = crate::workspace::data::load(dir, agreement, map)?;
                let options = Options {
                    as_of: data.latest().unwrap_or_else(chrono::Utc::now),
                    range: None,
                    worst: 0,
                };
                report::build(&m.source, agreement, &data, &options)
            };
            out.push(replay::compare(&report(old, a)?, &report(new, b)?));
        }
    }
    Ok(out)
}

/// The changes, then each replay: as text and Markdown a verdict and a
/// table per agreement, in JSON a `replay` array beside the changes.
pub fn emit(files: &[FileChanges], replays: &[Replay], format: DiffFormat, color: bool) {
    let mut text = match format {
        DiffFormat::Text => render::text(files, color),
        DiffFormat::Markdown => render::markdown(files),
        DiffFormat::Json => {
            let mut doc: serde_json::Value =
                serde_json::from_str(&render::json(files)).expect("the diff's own JSON");
            if !replays.is_empty() {
                doc["replay"] = serde_json::to_value(replays).expect("replays serialise");
            }
            let mut s = serde_json::to_string_pretty(&doc).expect("JSON serialises");
            s.push('\n');
            s
        }
    };
    if format != DiffFormat::Json {
        for r in replays {
            text.push('\n');
            text.push_str(&crate::document::markdown::write(&r.document()));
        }
    }
    write_stdout(&text);
}

/// Exit 1 when some replay's credits differ by at least `cents`.
pub fn exit_code(replays: &[Replay], cents: u64) -> u8 {
    if replays
        .iter()
        .any(|r| r.difference_cents().unsigned_abs() >= cents as u128 && r.difference_cents() != 0)
    {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::cents;

    #[test]
    fn amounts() {
        assert_eq!(cents("500"), Some(50_000));
        assert_eq!(cents("1200.5"), Some(120_050));
        assert_eq!(cents("0.05"), Some(5));
        for bad in ["", "-5", "1.234", "1e3", "12,00", ".5", "looser"] {
            assert_eq!(cents(bad), None, "{bad}");
        }
    }
}
