//! The compliance report as one self-contained HTML page. `layout` decides
//! the content, the same document the Markdown is written from;
//! `document::html` gives it its look.

use super::{layout, Report};
use crate::document::html::{self, Page};

pub fn render(r: &Report) -> String {
    let page = Page {
        generator: r.slac_version,
        running: None,
    };
    html::write(&layout::document(r), &page)
}
