//! The semantic diff: two inputs separated by a NUL byte; when both check
//! clean, every rendering works and a model never differs from itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::diff::{diff, render, render::FileChanges};

fuzz_target!(|data: &[u8]| {
    let parts = slac_fuzz::split(data, 2);
    let (old, new) = (parts[0], parts.get(1).copied().unwrap_or_default());
    let (Some(a), Some(b)) = (
        slac_fuzz::check(&slac_fuzz::loader(old), false),
        slac_fuzz::check(&slac_fuzz::loader(new), false),
    ) else {
        return;
    };
    assert!(diff(&a, &a).is_empty(), "a model differs from itself");
    let files = [FileChanges {
        name: "old.sla → new.sla".into(),
        changes: diff(&a, &b),
    }];
    let _ = render::text(&files, true);
    let _ = render::markdown(&files);
    let json = render::json(&files);
    serde_json::from_str::<serde_json::Value>(&json).expect("diff JSON parses");
});
