//! `slac check` keeps no model (`Keep::Diagnostics`): each agreement is
//! dropped as soon as it is checked, which keeps a large workspace's memory
//! to its sources and declarations. It must report exactly what checking
//! for `build` reports (`Keep::Models`), on every example and corpus file.

mod common;

use slac::workspace::check::{check_keeping, Keep};
use slac::workspace::FsLoader;
use std::path::Path;

/// The diagnostics as text, and how many agreements were kept.
fn diagnostics(path: &Path, keep: Keep) -> (String, usize) {
    let checked = check_keeping(&[path.to_path_buf()], &FsLoader, keep).unwrap();
    let diags: Vec<_> = checked.groups.iter().flat_map(|(_, d)| d).collect();
    let agreements = checked.models.iter().map(|m| m.agreements.len()).sum();
    (format!("{diags:#?}"), agreements)
}

#[test]
fn check_reports_what_build_reports_without_keeping_models() {
    let files = common::every_sla_file();
    assert!(files.len() > 100);
    let mut with_agreements = 0;
    for path in files {
        let (kept, models) = diagnostics(&path, Keep::Models);
        let (dropped, kept_none) = diagnostics(&path, Keep::Diagnostics);
        assert_eq!(kept, dropped, "{}", path.display());
        assert_eq!(kept_none, 0, "{}", path.display());
        with_agreements += usize::from(models > 0);
    }
    assert!(with_agreements > 50, "{with_agreements}");
}
