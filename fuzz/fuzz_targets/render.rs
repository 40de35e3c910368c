//! `slac render`: every agreement that checks is written as a contract
//! document in Markdown and HTML, and a redline of it against itself says
//! that nothing changed. Input as for `check` (up to three files).
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::document::{html, markdown};
use slac::render::{self, redline, Provenance, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Some(model) = slac_fuzz::check(&slac_fuzz::loader(data), false) else {
        return;
    };
    let provenance = Provenance {
        slac_version: "fuzz",
        files: vec![SourceFile {
            path: "main.sla".into(),
            sha256: "0".repeat(64),
        }],
    };
    for a in &model.agreements {
        let doc = render::document(a, &provenance);
        let _ = markdown::write(&doc);
        let running = provenance.running_line(a);
        let page = html::Page {
            generator: "fuzz",
            running: Some(&running),
        };
        let _ = html::write(&doc, &page);
        let same = redline::redline(&doc, &render::document(a, &provenance), "r".into());
        let text = markdown::write(&same);
        assert!(text.contains("no clause changed"), "{text}");
    }
});
