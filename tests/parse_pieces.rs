//! A large file is parsed in pieces cut between its items (`syntax::chunks`),
//! which keeps pest's token queue to one piece. The pieces must give exactly
//! the tree the whole file gives, and a file that does not parse must give
//! exactly the whole file's error: checked here with pieces as small as the
//! cutter allows, over every example and corpus file and over random edits
//! of them.

mod common;

use proptest::prelude::*;
use slac::source::FileId;
use slac::syntax::parse_in_pieces;
use std::path::PathBuf;

fn texts() -> &'static [(PathBuf, String)] {
    static TEXTS: std::sync::OnceLock<Vec<(PathBuf, String)>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(read_texts)
}

fn read_texts() -> Vec<(PathBuf, String)> {
    common::every_sla_file()
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

/// The result of parsing in the smallest pieces, and whole, as text (the
/// tree and the diagnostic both print every span).
fn both(text: &str) -> (String, String) {
    let pieces = parse_in_pieces(FileId(0), text, 1);
    let whole = parse_in_pieces(FileId(0), text, usize::MAX);
    (format!("{pieces:#?}"), format!("{whole:#?}"))
}

#[test]
fn pieces_give_the_whole_files_tree_or_error() {
    let files = texts();
    assert!(files.len() > 100, "found {} files", files.len());
    for (path, text) in files {
        let (pieces, whole) = both(text);
        assert_eq!(pieces, whole, "{}", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    /// A random cut-and-paste of one file: deleting a range, or inserting
    /// one of the characters the cutter watches, never makes the pieces
    /// disagree with the whole.
    #[test]
    fn random_edits_agree(file in 0usize..1000, at in 0usize..100_000, len in 0usize..200,
                          insert in prop::sample::select(vec!["", "{", "}", "\"", "//", "///", "\n", "\nmetric m {\n}\n", "\n}\n"])) {
        let files = texts();
        let text = &files[file % files.len()].1;
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let edited = format!("{}{}{}", &text[..at], insert, &text[end..]);
        let (pieces, whole) = both(&edited);
        prop_assert_eq!(pieces, whole);
    }
}
