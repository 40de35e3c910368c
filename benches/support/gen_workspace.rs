//! Writes a generated benchmark workspace to disk.
//!
//! ```sh
//! cargo run --release --example gen_workspace -- OUT_DIR [--lines N] [--seed S]
//! ```
//!
//! `OUT_DIR` gets a `slac.toml` (the project root), `shared/` library modules
//! and `agreements/AGENCY/*.sla`; existing `.sla` files under it are removed
//! first so a smaller run leaves no stale agreements behind. The summary goes
//! to stdout. The same generator feeds `cargo bench --bench phases`.

#[path = "workspace.rs"]
mod workspace;

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut lines = 200_000;
    let mut seed = workspace::DEFAULT_SEED;
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_else(|| usage(&format!("{name} needs a number")))
        };
        match a.as_str() {
            "--lines" => lines = value("--lines") as usize,
            "--seed" => seed = value("--seed"),
            "-h" | "--help" => usage(""),
            _ if out.is_none() && !a.starts_with('-') => out = Some(PathBuf::from(a)),
            _ => usage(&format!("unexpected argument `{a}`")),
        }
    }
    let out = out.unwrap_or_else(|| usage("OUT_DIR is required"));
    let ws = workspace::generate(lines, seed);
    for dir in ["shared", "agreements"] {
        let _ = std::fs::remove_dir_all(out.join(dir));
    }
    for (path, text) in &ws.files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).expect("create directory");
        std::fs::write(&path, text).expect("write file");
    }
    println!(
        "wrote {} files to {}: {} lines, {} bytes, {} agreements, {} goals",
        ws.files.len(),
        out.display(),
        ws.lines,
        ws.bytes(),
        ws.agreements,
        ws.goals
    );
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: gen_workspace OUT_DIR [--lines N] [--seed S]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 });
}
