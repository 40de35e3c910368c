//! The parser's call budget: when pest runs out of it, the result is an
//! E0005 diagnostic at the place it stopped, not a hang or a panic. This
//! lowers pest's process-wide limit, so it lives alone in its own binary.

use slac::source::FileId;
use std::num::NonZeroUsize;

#[test]
fn an_exhausted_call_budget_is_reported_as_e0005() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-social.sla"),
    )
    .unwrap();
    // The first parse installs slac's own budget, which the example fits.
    assert!(slac::syntax::parse(FileId(0), &text).is_ok());
    pest::set_call_limit(NonZeroUsize::new(1_000));
    let d = slac::syntax::parse(FileId(0), &text).unwrap_err();
    assert_eq!(d.code, "E0005", "{d:?}");
    assert!(d.primary.text.contains("call limit"), "{d:?}");
    pest::set_call_limit(NonZeroUsize::new(slac::syntax::CALL_BUDGET));
    assert!(slac::syntax::parse(FileId(0), &text).is_ok());
}
