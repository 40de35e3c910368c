//! Reading a mapping file (`--map FILE`): a regular file within its size
//! limit, handed to `report::map::parse`, which turns it into typed data.

use crate::report::map::{self, Mapping, MAX_MAP_BYTES};
use std::path::Path;

/// The mapping in `path`, or an error naming the file (and, for what is
/// wrong inside it, the line and column).
pub fn read(path: &Path) -> Result<Mapping, String> {
    let name = path.display().to_string();
    let bytes = super::read_limited(path, MAX_MAP_BYTES as usize)
        .map_err(|e| format!("cannot read the mapping `{name}`: {e}"))?;
    if bytes.len() as u64 > MAX_MAP_BYTES {
        return Err(format!(
            "the mapping `{name}` is larger than {} KiB: a mapping is a page of YAML",
            MAX_MAP_BYTES / 1024
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the mapping `{name}` is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    map::parse(&text, &name)
}

/// `read` for an optional `--map`.
pub fn read_opt(path: Option<&Path>) -> Result<Option<Mapping>, String> {
    path.map(read).transpose()
}
