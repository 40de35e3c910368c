//! Per-phase timings on a generated workspace, in process (no disk, no
//! process start): parse, check, each emitter, fmt and diff.
//!
//! ```sh
//! cargo bench --bench phases                      # 200,000 lines, 5 runs a phase
//! SLAC_BENCH_LINES=50000 SLAC_BENCH_RUNS=9 cargo bench --bench phases
//! ```
//!
//! Each phase runs over the whole workspace; the figure is the median of the
//! runs, with min and max as the spread. Under `cargo test --all-targets`
//! (no `--bench` argument) it does one tiny smoke run instead, which still
//! proves the generated workspace checks clean and every phase runs.

#[path = "support/workspace.rs"]
mod workspace;

use slac::check::{LoadError, Loader, Session};
use slac::emit::{self, Target};
use slac::model::Model;
use slac::source::FileId;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The workspace's root in the in-memory file system.
const ROOT: &str = "/bench";

/// Serves the generated files from memory, so the figures leave out the disk.
struct MemLoader(HashMap<PathBuf, Vec<u8>>);

impl Loader for MemLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        self.0.get(path).cloned().ok_or(LoadError::NotFound)
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let (lines, runs) = if bench {
        (
            env_or("SLAC_BENCH_LINES", 200_000),
            env_or("SLAC_BENCH_RUNS", 5).max(1),
        )
    } else {
        (1_000, 1)
    };
    let ws = workspace::generate(lines, workspace::DEFAULT_SEED);
    let sla: Vec<(PathBuf, &str)> = ws
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".sla"))
        .map(|(p, t)| (Path::new(ROOT).join(p), t.as_str()))
        .collect();
    println!(
        "workspace: {} files, {} lines, {} bytes, {} agreements, {} goals; {runs} runs a phase",
        sla.len(),
        ws.lines,
        ws.bytes(),
        ws.agreements,
        ws.goals
    );
    let mb = ws.bytes() as f64 / 1e6;

    time("parse", runs, mb, || {
        for (i, (_, text)) in sla.iter().enumerate() {
            black_box(slac::syntax::parse(FileId(i as u32), text).expect("parses"));
        }
    });

    let loader = MemLoader(
        sla.iter()
            .map(|(p, t)| (p.clone(), t.as_bytes().to_vec()))
            .collect(),
    );
    let check = |loader: &MemLoader| -> Vec<Model> {
        let mut session = Session::new(loader, Path::new(ROOT), Some(Path::new(ROOT)));
        let ids: Vec<_> = sla
            .iter()
            .map(|(p, _)| session.check_path(p).expect("loads"))
            .collect();
        let diags = session.take_diagnostics();
        assert!(
            diags.is_empty(),
            "the workspace checks clean, but {} diagnostics, the first: {:?}",
            diags.len(),
            diags.first()
        );
        ids.into_iter()
            .map(|id| session.model(id).clone())
            .collect()
    };
    time("check (parse included)", runs, mb, || {
        black_box(check(&loader));
    });
    let models = check(&loader);

    for target in Target::ALL {
        let mut out_bytes = 0;
        time(&format!("emit {}", target.name()), runs, mb, || {
            out_bytes = 0;
            for m in &models {
                out_bytes += emit::emit(m, target)
                    .iter()
                    .map(|o| o.contents.len())
                    .sum::<usize>();
            }
        });
        println!("    ({:.1} MB generated)", out_bytes as f64 / 1e6);
    }

    time("fmt (parse and re-parse included)", runs, mb, || {
        for (i, (_, text)) in sla.iter().enumerate() {
            black_box(slac::fmt::format(FileId(i as u32), text).expect("formats"));
        }
    });

    // Diff every agreement file against an edited version of itself: tighter
    // deadlines and targets, so every goal has changes to find.
    let edited = MemLoader(
        loader
            .0
            .iter()
            .map(|(p, t)| {
                let text = String::from_utf8_lossy(t)
                    .replace("within 1h\n", "within 45m\n")
                    .replace("target >= 9", "target >= 8")
                    .replace("credit 1%", "credit 2%");
                (p.clone(), text.into_bytes())
            })
            .collect(),
    );
    let new_models = check(&edited);
    let mut changes = 0;
    time("diff", runs, mb, || {
        changes = models
            .iter()
            .zip(&new_models)
            .map(|(old, new)| black_box(slac::diff::diff(old, new)).len())
            .sum();
    });
    println!("    ({changes} changes found)");
    assert!(changes > 0, "the edits are semantic changes");
}

/// Runs `f` `runs` times and prints the median, min and max.
fn time(what: &str, runs: usize, mb: f64, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    println!(
        "{what:<36} median {:>8.1} ms  (min {:.1}, max {:.1})  {:>6.1} MB/s of source",
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1]),
        mb / median.as_secs_f64()
    );
}
