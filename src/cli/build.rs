//! `slac build`: check, then compile every agreement for the chosen targets.

use super::check::{check_inputs, report};
use super::output::{may_overwrite, plural, write_atomic, Format};
use super::{fail, Color, EXIT_ERRORS, EXIT_OK, EXIT_TROUBLE};
use crate::emit::{self, Target};
use clap::ValueEnum;
use std::collections::BTreeMap;
use std::path::PathBuf;

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

pub fn run(args: Args, color: Color) -> u8 {
    let checked = match check_inputs(&args.paths) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let (errors, _) = report(&checked, args.format, color);
    if errors > 0 {
        eprintln!("nothing was written: fix the errors above first");
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
            for out in emit::emit(model, *target) {
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
    eprintln!(
        "wrote {} to {}",
        plural(outputs.len(), "file"),
        args.out.display()
    );
    EXIT_OK
}
