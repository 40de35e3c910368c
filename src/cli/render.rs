//! `slac render`: the agreement as a document to read and sign, in
//! Markdown, print-ready HTML or PDF (docs/render.md).

use super::check::check_inputs_with;
use super::output::{print_diagnostics, Format as DiagFormat};
use super::report::{check_out, pick, Recording};
use super::write::replace;
use super::{fail, Color, EXIT_ERRORS, EXIT_OK};
use crate::check::Loader;
use crate::document::html::{self, Page};
use crate::render::{self, Provenance, SourceFile};
use clap::ValueEnum;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The agreement file
    #[arg(value_name = "AGREEMENT.sla")]
    path: PathBuf,
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

/// Every file the agreement was checked from, the entry file first, with
/// its SHA-256. Paths are shown relative to the working directory when
/// they are below it.
fn provenance(entry: &Path, read: &[PathBuf]) -> Result<Provenance, String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let entry_real = crate::workspace::FsLoader
        .real_path(entry)
        .unwrap_or_else(|_| entry.to_path_buf());
    let mut paths: Vec<PathBuf> = vec![entry_real.clone()];
    for p in read {
        let real = crate::workspace::FsLoader
            .real_path(p)
            .unwrap_or_else(|_| p.clone());
        if !paths.contains(&real) {
            paths.push(real);
        }
    }
    let mut files = Vec::new();
    for p in paths {
        let bytes = crate::workspace::FsLoader
            .load(&p)
            .map_err(|e| format!("cannot read `{}` again to hash it: {e:?}", p.display()))?;
        let shown = p.strip_prefix(&cwd).unwrap_or(&p).display().to_string();
        files.push(SourceFile {
            path: shown,
            sha256: format!("{:x}", Sha256::digest(&bytes)),
        });
    }
    Ok(Provenance {
        slac_version: env!("CARGO_PKG_VERSION"),
        files,
    })
}

pub fn run(args: Args, color: Color) -> u8 {
    if args.format == RenderFormat::Pdf && args.out.is_none() {
        return fail("a PDF needs --out FILE: it is not written to a terminal");
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
        eprintln!("no document: fix the errors in the agreement first");
        return EXIT_ERRORS;
    }
    let Some(model) = checked.models.first() else {
        return fail(format!("no agreement in `{}`", args.path.display()));
    };
    let agreement = match pick(&model.agreements, args.agreement.as_deref(), &model.source) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let read = loader.read.take();
    let provenance = match provenance(&args.path, &read) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Some(out) = &args.out {
        let mut inputs = read.clone();
        inputs.push(args.path.clone());
        if let Err(e) = check_out(out, &inputs, args.force) {
            return fail(e);
        }
    }
    let doc = render::document(agreement, &provenance);
    let running = provenance.running_line(agreement);
    let bytes = match args.format {
        RenderFormat::Markdown => crate::document::markdown::write(&doc).into_bytes(),
        RenderFormat::Html | RenderFormat::Pdf => {
            let page = Page {
                generator: provenance.slac_version,
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
