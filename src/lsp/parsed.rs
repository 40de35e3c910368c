//! One file as the editor features see it: its text, its syntax tree when
//! it parses, and its index of names. Open buffers (`documents`) and the
//! resolver across imports (`world`) both hold these.

use crate::source::{FileId, SourceFile, MAX_SOURCE_BYTES};
use crate::syntax::index::Index;
use crate::syntax::{self, ast};
use std::path::PathBuf;

/// A file by where its text lives.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileKey {
    Path(PathBuf),
    /// A standard library module: `prelude`, `holidays`.
    Std(&'static str),
}

pub struct Parsed {
    pub key: FileKey,
    pub source: SourceFile,
    /// `None` when the file has a syntax error.
    pub ast: Option<ast::File>,
    pub index: Index,
}

impl Parsed {
    pub fn new(key: FileKey, text: &str) -> Parsed {
        // The checker refuses larger files (E0003); so do the editor features.
        let ast = (text.len() <= MAX_SOURCE_BYTES)
            .then(|| syntax::parse(FileId(0), text).ok())
            .flatten();
        let index = ast.as_ref().map(Index::new).unwrap_or_default();
        Parsed {
            key,
            source: SourceFile::new("", text),
            ast,
            index,
        }
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }
}
