//! `textDocument/formatting`: the whole document in `slac fmt`'s canonical
//! layout, as one edit. A file with a syntax error gets no edit (the
//! diagnostics already say why), exactly as `slac fmt` leaves it untouched.

use super::position::whole;
use super::world::World;
use crate::fmt;
use crate::source::FileId;
use lsp_types::{DocumentFormattingParams, TextEdit};

pub fn format(world: &World, params: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let file = world.document(&params.text_document.uri)?;
    let text = file.text();
    // Too large to check (E0003) is too large to format.
    if text.len() > crate::source::MAX_SOURCE_BYTES {
        return None;
    }
    match fmt::format(FileId(0), text) {
        Ok(out) if out == text => Some(Vec::new()),
        Ok(out) => Some(vec![TextEdit {
            range: whole(&file.source),
            new_text: out,
        }]),
        // `Unsafe` means the formatter would change the meaning: a bug,
        // never worth an edit; the editor keeps the text.
        Err(fmt::FormatError::Syntax(_)) | Err(fmt::FormatError::Unsafe(_)) => None,
    }
}
