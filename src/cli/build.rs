//! `slac build`: check, then compile every agreement for the chosen targets.

use super::check::{check_inputs_with, report};
use super::files::FsLoader;
use super::output::{may_overwrite, plural, write_atomic, Format};
use super::{fail, Color, EXIT_ERRORS, EXIT_OK, EXIT_TROUBLE};
use crate::check::{LoadError, Loader};
use crate::emit::{self, Target};
use clap::ValueEnum;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to compile
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Directory to write the generated files into (created if missing)
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    /// What to generate; repeat or separate with commas
    #[arg(
        long,
        short,
        value_enum,
        value_delimiter = ',',
        default_value = "rules"
    )]
    target: Vec<TargetArg>,
    /// Overwrite files in DIR even if slac did not generate them
    #[arg(long)]
    force: bool,
    /// Output format of the diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print how long each phase took (read, parse, check, each target's
    /// emit, write) on standard error
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TargetArg {
    /// slac's canonical rule set: NAME.rules.yaml
    Rules,
    /// Prometheus rules and their promtool tests: NAME.prometheus.yaml, NAME.prometheus-test.yaml
    Prometheus,
    /// A complete Alertmanager configuration: NAME.alertmanager.yaml
    Alertmanager,
    /// OpenSLO v1 documents: NAME.openslo.yaml
    Openslo,
    /// Every target above
    All,
}

impl TargetArg {
    fn targets(self) -> Vec<Target> {
        match self {
            TargetArg::Rules => vec![Target::Rules],
            TargetArg::Prometheus => vec![Target::Prometheus],
            TargetArg::Alertmanager => vec![Target::Alertmanager],
            TargetArg::Openslo => vec![Target::OpenSlo],
            TargetArg::All => Target::ALL.to_vec(),
        }
    }
}

/// Reads files like `FsLoader` and adds up the time the reads take.
struct TimedLoader {
    spent: Cell<Duration>,
}

impl Loader for TimedLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        let started = Instant::now();
        let bytes = FsLoader.load(path);
        self.spent.set(self.spent.get() + started.elapsed());
        bytes
    }
}

/// Phase times for `--timings`, printed in the order they were recorded.
struct Timings {
    started: Instant,
    phases: Vec<(String, Duration)>,
}

impl Timings {
    fn add(&mut self, phase: impl Into<String>, spent: Duration) {
        let phase = phase.into();
        match self.phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, d)) => *d += spent,
            None => self.phases.push((phase, spent)),
        }
    }

    fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!("timings:");
        for (phase, spent) in &self.phases {
            eprintln!("  {phase:<20} {:>9.1} ms", ms(*spent));
        }
        eprintln!("  {:<20} {:>9.1} ms", "total", ms(self.started.elapsed()));
    }
}

pub fn run(args: Args, color: Color) -> u8 {
    let mut timings = Timings {
        started: Instant::now(),
        phases: Vec::new(),
    };
    let loader = TimedLoader {
        spent: Cell::new(Duration::ZERO),
    };
    let checked = match check_inputs_with(&args.paths, &loader) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    // The parser and the reads run inside checking; each is counted once.
    let read = loader.spent.get();
    let check = timings
        .started
        .elapsed()
        .saturating_sub(read + checked.parse_time);
    timings.add("read", read);
    timings.add("parse", checked.parse_time);
    timings.add("check", check);
    let started = Instant::now();
    let (errors, _) = report(&checked, args.format, color);
    timings.add("diagnostics", started.elapsed());
    if errors > 0 {
        eprintln!("nothing was written: fix the errors above first");
        if args.timings {
            timings.print();
        }
        return EXIT_ERRORS;
    }
    let mut targets: Vec<Target> = args.target.iter().flat_map(|t| t.targets()).collect();
    targets.sort();
    targets.dedup();

    // Compile everything before writing anything, so a conflict writes nothing.
    // The value remembers which input (by index) produced each file.
    let mut outputs: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (index, model) in checked.models.iter().enumerate() {
        for target in &targets {
            let started = Instant::now();
            let emitted = emit::emit(model, *target);
            timings.add(format!("emit {}", target.name()), started.elapsed());
            for out in emitted {
                if let Some((_, other)) = outputs.get(&out.file_name) {
                    if *other != index {
                        return fail(format!(
                            "`{}` would be generated from both `{}` and `{}`: agreement names must be unique within one build",
                            out.file_name, checked.models[*other].source, model.source
                        ));
                    }
                }
                outputs.insert(out.file_name.clone(), (out.contents, index));
            }
        }
    }
    let started = Instant::now();
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        return fail(format!("cannot create `{}`: {e}", args.out.display()));
    }
    if !args.force {
        let foreign: Vec<String> = outputs
            .keys()
            .map(|name| args.out.join(name))
            .filter(|p| !may_overwrite(p))
            .map(|p| format!("`{}`", p.display()))
            .collect();
        if !foreign.is_empty() {
            eprintln!(
                "error: refusing to overwrite {} that slac did not generate: {}",
                plural(foreign.len(), "file"),
                foreign.join(", ")
            );
            eprintln!("help: move them away, choose another --out, or pass --force");
            return EXIT_TROUBLE;
        }
    }
    for (name, (contents, _)) in &outputs {
        let path = args.out.join(name);
        if let Err(e) = write_atomic(&path, contents) {
            return fail(format!("cannot write `{}`: {e}", path.display()));
        }
    }
    timings.add("write", started.elapsed());
    eprintln!(
        "wrote {} to {}",
        plural(outputs.len(), "file"),
        args.out.display()
    );
    if args.timings {
        timings.print();
    }
    EXIT_OK
}
