//! The prelude's enumerations (platforms, channels, priorities), taken from
//! the embedded prelude itself so data is validated against exactly the
//! values a `where` condition may name.

use crate::check::{LoadError, Loader, Session};
use std::collections::BTreeMap;
use std::path::Path;

/// Loads nothing: only the embedded standard library is read.
struct NoFiles;

impl Loader for NoFiles {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

/// Every enum of the prelude with its values in declaration order (for
/// `priority`, from least to most urgent).
pub fn prelude_enums() -> BTreeMap<String, Vec<String>> {
    let session = Session::new(&NoFiles, Path::new("/"), None);
    session
        .module(session.prelude())
        .enums
        .iter()
        .filter_map(|(name, decl)| Some((name.clone(), decl.value.as_ref()?.values.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_prelude_enums_are_found() {
        let e = super::prelude_enums();
        assert_eq!(e["priority"], vec!["low", "normal", "high", "urgent"]);
        assert!(e["platform"].contains(&"instagram".to_string()));
        assert_eq!(
            e["channel"],
            vec!["dm", "mention", "public_comment", "review"]
        );
    }
}
