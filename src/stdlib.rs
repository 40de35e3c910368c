//! The standard library: `.sla` modules embedded in the binary. `prelude` is
//! imported implicitly; the others with `import "std/NAME" as alias`.

const MODULES: &[(&str, &str)] = &[
    ("prelude", include_str!("../stdlib/prelude.sla")),
    ("holidays", include_str!("../stdlib/holidays.sla")),
];

/// The source of `std/NAME`.
pub fn module(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Names of all modules, for suggestions and docs.
pub fn names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}
