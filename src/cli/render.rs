//! `slac render`: the agreement as a document to read and sign, in
//! Markdown, print-ready HTML or PDF (docs/render.md).

use super::check::check_inputs_with;
use super::git::{self, RevLoader};
use super::output::{print_diagnostics, Format as DiagFormat};
use super::report::{check_out, pick};
use super::write::replace;
use super::{fail, Color, EXIT_ERRORS, EXIT_OK};
use crate::check::{LoadError, Loader};
use crate::document::html::{self, Page};
use crate::document::Document;
use crate::model::Agreement;
use crate::render::{self, Provenance, SourceFile};
use crate::workspace::FsLoader;
use clap::ValueEnum;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The agreement file (with --git: the file to compare with its version at REV)
    #[arg(value_name = "AGREEMENT.sla", required_unless_present = "diff")]
    path: Option<PathBuf>,
    /// A redline of NEW against OLD: each changed clause with deleted and inserted text
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with_all = ["path", "git"])]
    diff: Option<Vec<PathBuf>>,
    /// A redline of AGREEMENT against its version at the git revision REV
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = RenderFormat::Markdown)]
    format: RenderFormat,
    /// The agreement to render, when the file has several
    #[arg(long, value_name = "NAME")]
    agreement: Option<String>,
    /// Write the document to FILE (atomically) instead of standard output; required for PDF
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Let --out replace a file that slac did not write (never an input)
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RenderFormat {
    /// For reading in a pull request or an editor
    Markdown,
    /// One self-contained, print-ready page
    Html,
    /// The HTML printed by headless Chromium, fonts embedded
    Pdf,
}

/// A loader that keeps the SHA-256 of every file it reads: the exact
/// bytes the agreement was checked from.
struct Hashing<'a> {
    inner: &'a dyn Loader,
    files: RefCell<Vec<(PathBuf, String)>>,
}

impl Loader for Hashing<'_> {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        let bytes = self.inner.load(path)?;
        let hash = format!("{:x}", Sha256::digest(&bytes));
        let mut files = self.files.borrow_mut();
        if !files.iter().any(|(p, _)| p == path) {
            files.push((path.to_path_buf(), hash));
        }
        Ok(bytes)
    }

    fn real_path(&self, path: &Path) -> Result<PathBuf, LoadError> {
        self.inner.real_path(path)
    }
}

/// One version of the agreement, checked: its document and what it was
/// made from.
struct Version {
    agreement: Agreement,
    provenance: Provenance,
    /// Every file read, which --out must never replace.
    inputs: Vec<PathBuf>,
}

/// Checks `path` through `loader`; prints the diagnostics and returns the
/// exit code when it has errors.
fn version(
    path: &Path,
    loader: &dyn Loader,
    name: Option<&str>,
    color: Color,
) -> Result<Version, u8> {
    let hashing = Hashing {
        inner: loader,
        files: RefCell::default(),
    };
    let checked = check_inputs_with(&[path.to_path_buf()], &hashing).map_err(fail)?;
    let mut errors = 0;
    for (sources, diags) in &checked.groups {
        errors += print_diagnostics(diags, sources, DiagFormat::Human, color).0;
    }
    if errors > 0 {
        eprintln!("no document: fix the errors in `{}` first", path.display());
        return Err(EXIT_ERRORS);
    }
    let model = checked
        .models
        .first()
        .ok_or_else(|| fail(format!("no agreement in `{}`", path.display())))?;
    let agreement = pick(&model.agreements, name, &model.source).map_err(fail)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let files = hashing.files.into_inner();
    let inputs = files.iter().map(|(p, _)| p.clone()).collect();
    let files = files
        .into_iter()
        .map(|(p, sha256)| SourceFile {
            path: p.strip_prefix(&cwd).unwrap_or(&p).display().to_string(),
            sha256,
        })
        .collect();
    Ok(Version {
        agreement: agreement.clone(),
        provenance: Provenance {
            slac_version: env!("CARGO_PKG_VERSION"),
            files,
        },
        inputs,
    })
}

/// The document to write and the line every printed page carries.
fn document(args: &Args, color: Color) -> Result<(Document, String, Vec<PathBuf>), u8> {
    let name = args.agreement.as_deref();
    let (old, new) = match (&args.diff, &args.git, &args.path) {
        (Some(pair), _, _) => (
            version(&pair[0], &FsLoader, name, color)?,
            version(&pair[1], &FsLoader, name, color)?,
        ),
        (None, Some(rev), Some(path)) => {
            let cwd = crate::workspace::cwd();
            let top = git::toplevel(&cwd).map_err(fail)?;
            git::verify_rev(rev, &cwd).map_err(fail)?;
            let abs = crate::check::normalize(&cwd.join(path));
            let at_rev = RevLoader {
                rev: rev.clone(),
                top,
            };
            (
                version(&abs, &at_rev, name, color)?,
                version(path, &FsLoader, name, color)?,
            )
        }
        (None, None, Some(path)) => {
            let v = version(path, &FsLoader, name, color)?;
            let doc = render::document(&v.agreement, &v.provenance);
            let running = v.provenance.running_line(&v.agreement);
            return Ok((doc, running, v.inputs));
        }
        _ => return Err(fail("give an AGREEMENT, or --diff OLD NEW")),
    };
    let before = render::document(&old.agreement, &old.provenance);
    let after = render::document(&new.agreement, &new.provenance);
    let title = format!("Redline: {}", new.agreement.title);
    let doc = render::redline::redline(&before, &after, title);
    let short = |v: &Version| {
        v.provenance
            .files
            .first()
            .map(|f| f.sha256[..16].to_string())
            .unwrap_or_default()
    };
    let running = format!(
        "Redline of {} ({}) · slac {} · source sha256 {} → {}",
        new.agreement.title,
        new.agreement.name,
        env!("CARGO_PKG_VERSION"),
        short(&old),
        short(&new)
    );
    let mut inputs = old.inputs;
    inputs.extend(new.inputs);
    Ok((doc, running, inputs))
}

pub fn run(args: Args, color: Color) -> u8 {
    if args.format == RenderFormat::Pdf && args.out.is_none() {
        return fail("a PDF needs --out FILE: it is not written to a terminal");
    }
    let (doc, running, inputs) = match document(&args, color) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if let Some(out) = &args.out {
        if let Err(e) = check_out(out, &inputs, args.force) {
            return fail(e);
        }
    }
    let bytes = match args.format {
        RenderFormat::Markdown => crate::document::markdown::write(&doc).into_bytes(),
        RenderFormat::Html | RenderFormat::Pdf => {
            let page = Page {
                generator: env!("CARGO_PKG_VERSION"),
                running: Some(&running),
            };
            let page = html::write(&doc, &page);
            if args.format == RenderFormat::Html {
                page.into_bytes()
            } else {
                match super::pdf::print(&page) {
                    Ok(pdf) => pdf,
                    Err(e) => return fail(e),
                }
            }
        }
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = replace(path, &bytes) {
                return fail(e);
            }
            eprintln!("wrote {}: {}", path.display(), running);
        }
        None => super::write_stdout(&String::from_utf8_lossy(&bytes)),
    }
    EXIT_OK
}
