//! `slac report`: check the agreement, read the exported data, and print
//! (or write) the compliance report.

use super::check::check_inputs_with;
use super::output::{print_diagnostics, Format as DiagFormat};
use super::write::{identity, is_slac_report, replace};
use super::{fail, Color, EXIT_ERRORS, EXIT_OK};
use crate::check::{LoadError, Loader};
use crate::model::Agreement;
use crate::report::reader::Audience;
use crate::report::{self, periods, render_html, render_json, render_markdown, Options};
use crate::workspace::FsLoader;
use chrono::{DateTime, NaiveDate, Utc};
use clap::ValueEnum;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The agreement file
    #[arg(value_name = "AGREEMENT.sla")]
    path: PathBuf,
    /// Directory holding inquiries, posts, approvals, incidents and exclusions (.csv or .jsonl)
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "store",
        conflicts_with = "store"
    )]
    data: Option<PathBuf>,
    #[arg(long, value_name = "FILE", requires = "data", help = MAP_HELP, long_help = MAP_LONG_HELP)]
    map: Option<PathBuf>,
    /// Read the events from the store `slac serve` keeps instead: a SQLite
    /// file or a `postgres://` URL (docs/serve.md)
    #[arg(long, value_name = "PATH|URL")]
    store: Option<String>,
    /// Report only this period: 2026-03, 2026-W10, 2026-Q1, 2026 or 2026-03-05 (default: every period with data)
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// Judge open events at this instant: RFC 3339, or a date for its local midnight (default: the latest timestamp in the data)
    #[arg(long, value_name = "TS")]
    as_of: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,
    /// The agreement to report on, when the file has several
    #[arg(long, value_name = "NAME")]
    agreement: Option<String>,
    /// Write the report to FILE (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Let --out replace a file that is not a report slac wrote (never an input of the report)
    #[arg(long)]
    force: bool,
    /// Who reads it: internal (every id, file and rule), provider or client (plain words, no paths or internal names)
    #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
    audience: AudienceArg,
    /// How many of the worst misses to list per goal and period
    #[arg(long, value_name = "N", default_value_t = 10)]
    worst: usize,
}

/// `--map`'s help, shared by every command that reads a data directory.
pub(super) const MAP_HELP: &str =
    "Read another tool's export in DIR: a YAML file mapping its file, columns, values and timestamps onto slac's";

pub(super) const MAP_LONG_HELP: &str = "\
Read another tool's export in the data directory: a YAML file saying, per data file, which \
file of the directory it is, which column holds each of slac's fields, which values mean which of \
slac's, and how timestamps are written. For example:

  inquiries:
    file: tickets.csv              # the export's file in DIR
    columns:
      received_at: Created at      # slac's field: the export's column
      platform: Via
    values:
      platform:
        Instagram Direct: instagram
    fixed:
      audience: \"\"                 # the same value on every row
    minutes_after:
      first_response_at: received_at   # a column of minutes counted from a timestamp
    timestamps:
      format: \"%Y-%m-%d %H:%M:%S\"   # strftime; no offset, so a zone:
      zone: Europe/Berlin          # IANA, with its daylight-saving rules

maps/zendesk.yaml and maps/freshdesk.yaml read those tools' ticket exports; docs/report.md \
(\"Other tools' exports: --map\") explains every key.";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AudienceArg {
    /// The brand: results, credits and trends in plain words
    Client,
    /// The agency: the client's view plus what became of the data
    Provider,
    /// The team running slac: every id, file and rule (the default)
    Internal,
}

impl AudienceArg {
    fn audience(self) -> Audience {
        match self {
            AudienceArg::Client => Audience::Client,
            AudienceArg::Provider => Audience::Provider,
            AudienceArg::Internal => Audience::Internal,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// The report to send the client
    Markdown,
    /// Every number, machine-readable (schema slac-report/v1, docs/report.md)
    Json,
    /// One self-contained page with a chart per goal
    Html,
}

pub(super) fn pick<'a>(
    agreements: &'a [Agreement],
    name: Option<&str>,
    file: &str,
) -> Result<&'a Agreement, String> {
    let names = || {
        agreements
            .iter()
            .map(|a| format!("`{}`", a.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => agreements
            .iter()
            .find(|a| a.name == n)
            .ok_or_else(|| format!("`{file}` has no agreement `{n}` (it has {})", names())),
        None => match agreements {
            [one] => Ok(one),
            [] => Err(format!("`{file}` has no agreement to report on")),
            _ => Err(format!(
                "`{file}` has several agreements ({}): choose one with --agreement",
                names()
            )),
        },
    }
}

fn parse_as_of(s: &str, agreement: &Agreement) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(chrono::SubsecRound::trunc_subsecs(t.to_utc(), 6));
    }
    if let Ok(d) = s.trim().parse::<NaiveDate>() {
        return Ok(periods::midnight(agreement.timezone, d));
    }
    Err(format!(
        "--as-of `{s}` is neither an RFC 3339 timestamp (`2026-04-01T09:00:00+02:00`) nor a date (`2026-04-01`)"
    ))
}

/// Every event of `agreement` in the store `slac serve` keeps.
fn from_store(spec: &str, agreement: &Agreement) -> Result<crate::report::events::Data, String> {
    if !spec.contains("://") && !std::path::Path::new(spec).is_file() {
        return Err(format!(
            "no store at `{spec}`: give the file `slac serve --store` writes"
        ));
    }
    let mut store = crate::store::open(spec).map_err(|e| e.to_string())?;
    crate::store::codec::load_data(store.as_mut(), agreement, None)
}

/// Reads like `FsLoader` and remembers every file read: the inputs that
/// `--out` must never replace.
#[derive(Default)]
pub(super) struct Recording {
    pub(super) read: RefCell<Vec<PathBuf>>,
}

impl Loader for Recording {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        self.read.borrow_mut().push(path.to_path_buf());
        FsLoader.load(path)
    }

    fn real_path(&self, path: &Path) -> Result<PathBuf, LoadError> {
        FsLoader.real_path(path)
    }
}

/// Whether the report may be written to `out`: never over one of its
/// inputs (the same file, by whatever path or link), and over an existing
/// file only if it is a report slac wrote, or with `--force`.
pub(super) fn check_out(out: &Path, inputs: &[PathBuf], force: bool) -> Result<(), String> {
    if let Some(id) = identity(out) {
        if let Some(input) = inputs.iter().find(|p| identity(p) == Some(id)) {
            return Err(format!(
                "`{}` is `{}`, an input of this report: choose another --out (--force does not allow this)",
                out.display(),
                input.display()
            ));
        }
    }
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => Err(format!("`{}` is a directory", out.display())),
        Ok(_) if force => Ok(()),
        Ok(m) if m.is_file() && is_slac_report(out) => Ok(()),
        Ok(_) => Err(format!(
            "refusing to overwrite `{}`: it is not a report slac wrote\nhelp: choose another --out, move the file away, or pass --force",
            out.display()
        )),
    }
}

pub fn run(args: Args, color: Color) -> u8 {
    if args.format == ReportFormat::Json && args.audience != AudienceArg::Internal {
        return fail(
            "--audience shapes the markdown and html reports; the JSON always has every number",
        );
    }
    let loader = Recording::default();
    let checked = match check_inputs_with(std::slice::from_ref(&args.path), &loader) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut errors = 0;
    for (sources, diags) in &checked.groups {
        errors += print_diagnostics(diags, sources, DiagFormat::Human, color).0;
    }
    if errors > 0 {
        eprintln!("no report: fix the errors in the agreement first");
        return EXIT_ERRORS;
    }
    let Some(model) = checked.models.first() else {
        return fail(format!("no agreement in `{}`", args.path.display()));
    };
    let agreement = match pick(&model.agreements, args.agreement.as_deref(), &model.source) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let range = match &args.period {
        None => None,
        Some(p) => match periods::parse_range(p) {
            Some((from, to)) => Some((from, to, p.trim().to_string())),
            None => {
                return fail(format!(
                    "--period `{p}` is not a period: write 2026-03, 2026-W10, 2026-Q1, 2026 or 2026-03-05"
                ))
            }
        },
    };
    let map = match crate::workspace::map::read_opt(args.map.as_deref()) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    if let Some(out) = &args.out {
        let mut inputs = loader.read.take();
        inputs.push(args.path.clone());
        if let Some(dir) = &args.data {
            inputs.extend(crate::workspace::data::candidates(dir, map.as_ref()));
        }
        inputs.extend(args.map.clone());
        if let Some(store) = args.store.as_ref().filter(|s| !s.contains("://")) {
            inputs.push(PathBuf::from(store));
        }
        if let Err(e) = check_out(out, &inputs, args.force) {
            return fail(e);
        }
    }
    let loaded = match (&args.data, &args.store) {
        (Some(dir), _) => crate::workspace::data::load(dir, agreement, map.as_ref()),
        (None, Some(store)) => from_store(store, agreement),
        (None, None) => Err("give --data DIR or --store PATH".to_string()),
    };
    let data = match loaded {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let as_of = match &args.as_of {
        Some(s) => match parse_as_of(s, agreement) {
            Ok(t) => t,
            Err(e) => return fail(e),
        },
        None => data.latest().unwrap_or_else(Utc::now),
    };
    let options = Options {
        as_of,
        range,
        worst: args.worst,
    };
    let report = match report::build(&model.source, agreement, &data, &options) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let text = match args.format {
        ReportFormat::Markdown => {
            render_markdown::render_for(&report, agreement, args.audience.audience())
        }
        ReportFormat::Json => render_json::render(&report),
        ReportFormat::Html => render_html::render_for(&report, agreement, args.audience.audience()),
    };
    let s = &report.summary;
    let owed = s
        .credit_owed
        .as_ref()
        .map(|m| format!("; credit owed {m}"))
        .unwrap_or_default();
    let summary = format!(
        "{} goal-periods: {} met, {} missed, {} no data{owed}",
        s.results, s.met, s.missed, s.no_data
    );
    match &args.out {
        Some(path) => {
            if let Err(e) = replace(path, text.as_bytes()) {
                return fail(e);
            }
            eprintln!("wrote {}: {summary}", path.display());
        }
        None => {
            print!("{text}");
            eprintln!("{summary}");
        }
    }
    EXIT_OK
}
