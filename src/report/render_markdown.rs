//! The compliance report as Markdown: the deliverable a provider sends the
//! client. `layout` decides the content; `document::markdown` writes it.

use super::reader::{self, Audience};
use super::{layout, Report};
use crate::model::Agreement;

pub fn render(r: &Report) -> String {
    crate::document::markdown::write(&layout::document(r))
}

/// The report for `audience`: the internal layout, or the readers' one.
pub fn render_for(r: &Report, a: &Agreement, audience: Audience) -> String {
    match audience {
        Audience::Internal => render(r),
        other => crate::document::markdown::write(&reader::document(r, a, other)),
    }
}
