//! The standard library: `.sla` modules embedded in the binary. `prelude` is
//! imported implicitly; the others with `import "std/NAME" as alias`.

use crate::source::FileId;
use crate::syntax::{self, ast::Item};
use std::collections::BTreeMap;

const MODULES: &[(&str, &str)] = &[
    ("prelude", include_str!("../stdlib/prelude.sla")),
    ("holidays", include_str!("../stdlib/holidays.sla")),
];

/// The source of `std/NAME`.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Names of all modules, for suggestions and docs.
pub fn names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}

/// Every enum of the prelude with its values in declaration order (for
/// `priority`, from least to most urgent): the vocabulary event data is
/// validated against, read from the embedded prelude without a checker.
pub fn prelude_enums() -> BTreeMap<String, Vec<String>> {
    let prelude = module("prelude").expect("the prelude is embedded");
    let file = syntax::parse(FileId(0), prelude).expect("the embedded prelude parses");
    file.items
        .iter()
        .filter_map(|item| match &item.kind {
            Item::Enum(e) => Some((
                e.name.text.clone(),
                e.values.iter().map(|v| v.text.clone()).collect(),
            )),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::prelude_enums;

    #[test]
    fn the_prelude_enums_are_found() {
        let e = prelude_enums();
        assert_eq!(e["priority"], vec!["low", "normal", "high", "urgent"]);
        assert!(e["platform"].contains(&"instagram".to_string()));
        assert_eq!(
            e["channel"],
            vec!["dm", "mention", "public_comment", "review"]
        );
    }

    #[test]
    fn the_vocabulary_is_what_the_checker_reads() {
        use crate::check::{LoadError, Loader, Session};
        use std::path::Path;
        struct NoFiles;
        impl Loader for NoFiles {
            fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
                Err(LoadError::NotFound)
            }
        }
        let session = Session::new(&NoFiles, Path::new("/"), None);
        let checked: std::collections::BTreeMap<String, Vec<String>> = session
            .module(session.prelude())
            .enums
            .iter()
            .filter_map(|(n, d)| Some((n.clone(), d.value.as_ref()?.values.clone())))
            .collect();
        assert_eq!(prelude_enums(), checked);
    }
}
