//! The compliance report as Markdown: the deliverable a provider sends the
//! client. `layout` decides the content; `document::markdown` writes it.

use super::{layout, Report};

pub fn render(r: &Report) -> String {
    crate::document::markdown::write(&layout::document(r))
}
