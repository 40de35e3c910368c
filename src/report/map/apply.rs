//! One row of an export rewritten as a row of slac's own: each field's
//! cell from its column (or fixed), the export's values turned into
//! slac's, timestamps read with the export's format and zone and written
//! as RFC 3339, and minutes counted from a timestamp made a timestamp.

use super::{FileMap, Origin};
use crate::report::read::DataError;
use chrono::{DateTime, Duration, SecondsFormat};

/// The cells of one row in slac's terms, in the order of `columns`;
/// `raw` holds the export's cells in the same order (`None`: no column).
pub fn apply(
    map: &FileMap,
    file: &str,
    row: u64,
    columns: &[&'static str],
    raw: &[Option<&str>],
) -> Result<Vec<Option<String>>, DataError> {
    let mut out: Vec<Option<String>> = columns
        .iter()
        .zip(raw)
        .map(|(c, v)| value(map, c, *v))
        .collect();
    let err = |field: &str, message: String| {
        let (column, via) = map.describe(field);
        DataError::new(file, message)
            .at(row, Some(&column))
            .via(via)
    };
    if let Some(format) = &map.timestamps {
        for (i, c) in columns.iter().enumerate() {
            let minutes = map.field(c).is_some_and(|f| f.minutes_after.is_some());
            let Some(text) = out[i].as_deref().filter(|t| !t.is_empty()) else {
                continue;
            };
            if minutes || !map.kind.timestamps().contains(c) {
                continue;
            }
            let t = format.read(text).map_err(|m| {
                err(c, m).help(format!(
                    "{} line {} says how this export writes its timestamps",
                    map.mapping, format.line
                ))
            })?;
            out[i] = Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
    }
    for (i, c) in columns.iter().enumerate() {
        let Some(base) = map.field(c).and_then(|f| f.minutes_after) else {
            continue;
        };
        let Some(text) = out[i].as_deref().filter(|t| !t.is_empty()) else {
            continue;
        };
        let minutes: i64 = text.parse().ok().filter(|m| *m >= 0).ok_or_else(|| {
            err(c, format!("`{text}` is not a whole number of minutes"))
                .help(format!("it counts the minutes from `{base}`"))
        })?;
        let start = columns
            .iter()
            .position(|x| *x == base)
            .and_then(|j| out[j].as_deref())
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        // Without its start the row is refused for the start's own error.
        out[i] = start
            .and_then(|s| s.to_utc().checked_add_signed(Duration::minutes(minutes)))
            .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    Ok(out)
}

/// A field's cell: fixed, or the export's with its value mapped.
fn value(map: &FileMap, field: &str, raw: Option<&str>) -> Option<String> {
    let f = map.field(field);
    if let Some(Origin::Fixed(v)) = f.and_then(|f| f.origin.as_ref()) {
        return Some(v.clone());
    }
    let v = raw?.trim();
    let mapped = f.and_then(|f| f.values.iter().find(|(from, _, _)| from == v));
    Some(mapped.map_or(v, |(_, to, _)| to.as_str()).to_string())
}
