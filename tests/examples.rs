//! The normative examples compile, and their canonical rules are reviewed
//! snapshots; output is byte-stable.

mod common;

use common::{check, sla_files};
use slac::emit::{self, Target};

#[test]
fn examples_compile_to_reviewed_rules() {
    for f in sla_files("examples") {
        let c = check(&f);
        assert_eq!(c.errors(), 0, "{f}:\n{}", c.rendered());
        for out in emit::emit(&c.model, Target::Rules) {
            insta::with_settings!({ snapshot_suffix => out.file_name.clone(), prepend_module_to_snapshot => false, description => f.clone() }, {
                insta::assert_snapshot!("example", out.contents);
            });
        }
    }
}

#[test]
fn build_is_byte_stable() {
    for f in sla_files("examples") {
        let a = emit::emit(&check(&f).model, Target::Rules);
        let b = emit::emit(&check(&f).model, Target::Rules);
        assert_eq!(a, b, "{f}");
    }
}

#[test]
fn every_generated_file_starts_with_the_header() {
    for f in sla_files("examples") {
        for out in emit::emit(&check(&f).model, Target::Rules) {
            assert!(
                out.contents.starts_with(emit::HEADER_MARK),
                "{}",
                out.file_name
            );
            let source = f.rsplit('/').next().unwrap();
            assert!(out.contents.lines().next().unwrap().contains(source));
        }
    }
}
