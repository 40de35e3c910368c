//! `slac build`: check, then compile every agreement for the chosen targets.

use super::build_cache::{self, Cache};
use super::check::{check_inputs_with, report};
use super::output::{plural, Format};
use super::staging::{self, Staging};
use super::write::may_overwrite;
use super::{fail, Color, EXIT_ERRORS, EXIT_OK, EXIT_TROUBLE};
use crate::check::{LoadError, Loader};
use crate::emit::{self, Target};
use crate::model::{Agreement, Model};
use crate::parallel::Queue;
use crate::workspace::FsLoader;
use clap::builder::PossibleValue;
use clap::ValueEnum;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
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

/// A `--target` value: a row of `emit::TARGETS`, or `all`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TargetArg {
    One(Target),
    All,
}

impl TargetArg {
    fn targets(self) -> Vec<Target> {
        match self {
            TargetArg::One(t) => vec![t],
            TargetArg::All => Target::ALL.to_vec(),
        }
    }
}

impl ValueEnum for TargetArg {
    fn value_variants<'a>() -> &'a [Self] {
        static VARIANTS: OnceLock<Vec<TargetArg>> = OnceLock::new();
        VARIANTS.get_or_init(|| {
            let mut all: Vec<TargetArg> = Target::ALL.into_iter().map(TargetArg::One).collect();
            all.push(TargetArg::All);
            all
        })
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            TargetArg::One(t) => PossibleValue::new(t.name()).help(t.spec().about),
            TargetArg::All => PossibleValue::new("all").help("Every target above"),
        })
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

    // Every output's name is known before anything is compiled: conflicts
    // and foreign files are found before a byte is written. Names are
    // compared ignoring case: on macOS and Windows `Acme.rules.yaml` and
    // `acme.rules.yaml` are one file.
    let mut jobs = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut folded: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (index, model) in checked.models.iter().enumerate() {
        for agreement in &model.agreements {
            for target in &targets {
                for name in emit::file_names(agreement, *target) {
                    match folded.get(&name.to_lowercase()) {
                        Some((same, other)) if *same == name && *other != index => {
                            return fail(format!(
                                "`{name}` would be generated from both `{}` and `{}`: agreement names must be unique within one build",
                                checked.models[*other].source, model.source
                            ));
                        }
                        Some((same, other)) if *same != name => {
                            return fail(format!(
                                "`{same}` (from `{}`) and `{name}` (from `{}`) differ only in case: on case-insensitive file systems (macOS, Windows) they are one file; rename one of the agreements",
                                checked.models[*other].source, model.source
                            ));
                        }
                        _ => {
                            folded.insert(name.to_lowercase(), (name.clone(), index));
                            names.insert(name, index);
                        }
                    }
                }
            }
            jobs.push((model, agreement));
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        return fail(format!(
            "cannot create `{}`: {}",
            args.out.display(),
            crate::workspace::describe(&e)
        ));
    }
    // Held until the build ends: no other build writes here meanwhile,
    // and what an interrupted one left is cleaned up first.
    let _lock = match staging::lock(&args.out) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    match staging::recover(&args.out) {
        Ok(r) if r.restored > 0 => eprintln!(
            "note: an earlier build of `{}` was interrupted; restored {} as they were before it",
            args.out.display(),
            plural(r.restored, "file")
        ),
        Ok(_) => {}
        Err(e) => return fail(e),
    }
    if !args.force {
        let foreign: Vec<String> = names
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
    let staging = match Staging::new(&args.out) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let mut cache = Cache::load(&args.out);
    let (staged, spent) = match compile_and_stage(&jobs, &targets, &args.out, &staging, &cache) {
        Ok(done) => done,
        Err(e) => return fail(e),
    };
    timings.add("fingerprint", spent.fingerprint);
    for (target, d) in spent.emit {
        timings.add(format!("emit {}", target.name()), d);
    }
    let written = staged.len();
    let unchanged = names.len() - written;
    let renaming = Instant::now();
    if let Err(e) = staging.commit(&staged) {
        return fail(e);
    }
    cache.prune(&args.out);
    for (key, inputs, names) in spent.fingerprints {
        cache.record(&args.out, key, inputs, &names);
    }
    if let Err(e) = cache.save(&args.out) {
        eprintln!(
            "note: cannot write `{}`: {}; the next build compiles everything again",
            args.out.join(build_cache::FILE).display(),
            crate::workspace::describe(&e)
        );
    }
    timings.add("write", spent.write + renaming.elapsed());
    eprintln!(
        "wrote {} to {}{}",
        plural(written, "file"),
        args.out.display(),
        if unchanged > 0 {
            format!(" ({unchanged} unchanged)")
        } else {
            String::new()
        }
    );
    if args.timings {
        timings.print();
    }
    EXIT_OK
}

/// One agreement to compile, for every target of the build.
type Job<'a> = (&'a Model, &'a Agreement);

/// Time spent compiling each target and writing, summed over the threads,
/// and each job's cache key, fingerprint and outputs.
#[derive(Default)]
struct Spent {
    emit: BTreeMap<Target, Duration>,
    write: Duration,
    fingerprint: Duration,
    fingerprints: Vec<(String, String, Vec<String>)>,
}

/// Compiles the jobs on every core, staging each output as soon as it is
/// made, so no more than a few outputs are in memory; a job the cache
/// holds as fresh is not compiled. Returns the names of the outputs staged
/// (those that differ from the file in `out`).
fn compile_and_stage(
    jobs: &[Job],
    targets: &[Target],
    out: &Path,
    staging: &Staging,
    cache: &Cache,
) -> Result<(Vec<String>, Spent), String> {
    let queue = Queue::new(jobs);
    let worker = || -> Result<(Vec<String>, Spent), String> {
        let mut staged = Vec::new();
        let mut spent = Spent::default();
        while let Some((_, (model, agreement))) = queue.take() {
            let started = Instant::now();
            let fingerprint = build_cache::fingerprint(agreement, &model.source);
            spent.fingerprint += started.elapsed();
            for target in targets {
                let key = build_cache::key(agreement, *target);
                let inputs = build_cache::inputs(fingerprint, *target);
                let names = emit::file_names(agreement, *target);
                let fresh = cache.fresh(out, &key, &inputs, &names);
                spent.fingerprints.push((key, inputs, names));
                if !fresh {
                    stage_outputs(
                        agreement,
                        &model.source,
                        *target,
                        (out, staging),
                        &mut spent,
                    )
                    .map(|names| staged.extend(names))
                    .inspect_err(|_| queue.stop())?;
                }
            }
        }
        Ok((staged, spent))
    };
    let results = queue.run(worker);
    let mut staged = Vec::new();
    let mut spent = Spent::default();
    for result in results {
        let (files, times) = result?;
        staged.extend(files);
        for (target, d) in times.emit {
            *spent.emit.entry(target).or_default() += d;
        }
        spent.write += times.write;
        spent.fingerprint += times.fingerprint;
        spent.fingerprints.extend(times.fingerprints);
    }
    Ok((staged, spent))
}

/// Compiles one agreement for one target and stages its outputs; returns
/// the names of those staged (the others equal their file in `out`).
fn stage_outputs(
    agreement: &Agreement,
    source: &str,
    target: Target,
    (out, staging): (&Path, &Staging),
    spent: &mut Spent,
) -> Result<Vec<String>, String> {
    let started = Instant::now();
    let outputs = emit::emit_agreement(agreement, source, target);
    *spent.emit.entry(target).or_default() += started.elapsed();
    let started = Instant::now();
    let mut staged = Vec::new();
    for output in outputs {
        match staging.stage(&output.file_name, output.contents.as_bytes()) {
            Ok(true) => staged.push(output.file_name),
            Ok(false) => {}
            Err(e) => {
                return Err(format!(
                    "cannot write `{}`: {}; nothing was changed",
                    out.join(&output.file_name).display(),
                    crate::workspace::describe(&e)
                ))
            }
        }
    }
    spent.write += started.elapsed();
    Ok(staged)
}
