//! The compliance report as one self-contained HTML page. `layout` decides
//! the content, the same document the Markdown is written from;
//! `document::html` gives it its look.

use super::reader::{self, Audience};
use super::{layout, Report};
use crate::document::html::{self, Page};
use crate::model::Agreement;

pub fn render(r: &Report) -> String {
    let page = Page {
        generator: r.slac_version,
        running: None,
    };
    html::write(&layout::document(r), &page)
}

/// The report for `audience`: the internal layout, or the readers' one.
pub fn render_for(r: &Report, a: &Agreement, audience: Audience) -> String {
    match audience {
        Audience::Internal => render(r),
        other => {
            let page = Page {
                generator: r.slac_version,
                running: None,
            };
            html::write(&reader::document(r, a, other), &page)
        }
    }
}
