//! The checker: loads a file and its imports, resolves every name, checks
//! types and sense, and builds the `Model`. Pure: files are read through the
//! `Loader` the caller provides.
//!
//! A `Session` checks any number of entry files; a file reached twice (as an
//! entry and as an import, or from two importers) is checked once.

mod agreement;
mod contacts;
mod items;
pub mod values;

use crate::diagnostics::{suggest, tick, Code, Diagnostic};
use crate::model::{self, Model};
use crate::parallel::Queue;
use crate::source::{
    FileId, SourceMap, Span, MAX_FILES, MAX_IMPORTS_PER_FILE, MAX_IMPORT_DEPTH, MAX_ITEMS_PER_FILE,
    MAX_SOURCE_BYTES,
};
use crate::stdlib;
use crate::syntax::{self, ast};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

/// Reads source files for the checker: the file system in the CLI, open
/// editor buffers in the LSP, a map in tests.
pub trait Loader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError>;

    /// Where the file at `path` really is, symbolic links resolved: the
    /// same file reached by two paths is one module, and an import whose
    /// real location is outside the project root is refused. `Err` when
    /// the loader cannot tell (the file does not exist yet, or the loader
    /// has no links, as this default says).
    fn real_path(&self, _path: &Path) -> Result<PathBuf, LoadError> {
        Err(LoadError::NotFound)
    }
}

/// Why a file could not be read; `Display` words it for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    NotFound,
    /// A directory where a file was expected.
    IsDirectory,
    /// A FIFO, device or socket (the text says which): never read, since
    /// reading one may block or never end.
    NotRegular(&'static str),
    PermissionDenied,
    Other(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound => f.write_str("no such file"),
            LoadError::IsDirectory => f.write_str("it is a directory, not a file"),
            LoadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            LoadError::PermissionDenied => f.write_str("permission denied"),
            LoadError::Other(why) => f.write_str(why),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub usize);

/// A declaration in a module's scope, with its checked value (`None` when it
/// had errors, so that uses of it do not report again).
#[derive(Debug)]
pub struct Decl<T> {
    pub span: Span,
    pub value: Option<T>,
    pub used: Cell<bool>,
}

impl<T> Decl<T> {
    fn new(span: Span) -> Self {
        Decl {
            span,
            value: None,
            used: Cell::new(false),
        }
    }
}

#[derive(Debug)]
pub struct ImportEntry {
    pub module: Option<ModuleId>,
    pub span: Span,
    pub path_span: Span,
    pub used: Cell<bool>,
}

/// The values of an `enum` declaration.
#[derive(Debug, Clone)]
pub struct EnumValues {
    pub ordered: bool,
    pub values: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Module {
    pub file: Option<FileId>,
    /// The file's path; `None` for the standard library.
    pub path: Option<PathBuf>,
    /// The file parsed. Its syntax tree itself is dropped once the module
    /// is checked: the model and the declaration tables are all later
    /// stages read, and the trees were most of a large check's memory.
    pub parsed: bool,
    /// Set when the file failed to load or parse: names looked up in it are
    /// not reported as unknown, to avoid a cascade of follow-up errors.
    pub broken: bool,
    pub imports: BTreeMap<String, ImportEntry>,
    pub calendars: BTreeMap<String, Decl<model::Calendar>>,
    pub holidays: BTreeMap<String, Decl<Vec<model::ClosedDate>>>,
    pub metrics: BTreeMap<String, Decl<model::Metric>>,
    pub enums: BTreeMap<String, Decl<EnumValues>>,
    pub agreements: BTreeMap<String, Decl<()>>,
    pub model: Model,
}

pub struct Session<'a> {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    loader: &'a dyn Loader,
    root: PathBuf,
    /// `root` with symbolic links resolved, for the real-path import check.
    real_root: PathBuf,
    base: Option<PathBuf>,
    modules: Vec<Module>,
    /// Modules by the real path of their file (`Loader::real_path`), else
    /// by the path as reached: two links to one file are one module.
    by_key: HashMap<PathBuf, ModuleId>,
    real_paths: HashMap<PathBuf, Option<PathBuf>>,
    std_modules: HashMap<String, ModuleId>,
    stack: Vec<ModuleId>,
    prelude: ModuleId,
    /// Whether checked agreements are kept in their module's model (the
    /// default). A door that only reports turns it off, so an agreement's
    /// model is dropped as soon as it is checked: nothing else reads it.
    pub keep_models: bool,
    /// Files read by `read_ahead`, waiting for `parse_ahead`.
    unparsed: Vec<(PathBuf, String)>,
    /// Files read and parsed by `parse_ahead`, waiting to be checked.
    ahead: HashMap<PathBuf, (String, Parsed)>,
}

/// A parse result made before the file had its `FileId`: diagnostics point
/// at a placeholder until `check_module` retargets them.
type Parsed = Result<ast::File, Diagnostic>;

impl<'a> Session<'a> {
    /// `root` bounds imports (no file outside it may be imported); file
    /// names are shown relative to `base` when they lie below it.
    pub fn new(loader: &'a dyn Loader, root: &Path, base: Option<&Path>) -> Self {
        let root = normalize(root);
        let mut s = Session {
            sources: SourceMap::new(),
            diagnostics: Vec::new(),
            loader,
            real_root: loader.real_path(&root).unwrap_or_else(|_| root.clone()),
            root,
            base: base.map(normalize),
            modules: Vec::new(),
            by_key: HashMap::new(),
            real_paths: HashMap::new(),
            std_modules: HashMap::new(),
            stack: Vec::new(),
            prelude: ModuleId(0),
            keep_models: true,
            unparsed: Vec::new(),
            ahead: HashMap::new(),
        };
        s.prelude = s.std_module("prelude").expect("the prelude is embedded");
        s
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0]
    }

    /// Moves a module's model out, leaving an empty one: for callers done
    /// with checking (every import is resolved) that keep only the models.
    pub fn take_model(&mut self, id: ModuleId) -> Model {
        std::mem::take(&mut self.modules[id.0].model)
    }

    pub fn model(&self, id: ModuleId) -> &Model {
        &self.modules[id.0].model
    }

    /// The module a source file was read for (the LSP maps diagnostics
    /// in imported files back to their paths with this).
    pub fn module_of_file(&self, file: FileId) -> Option<&Module> {
        self.modules.iter().find(|m| m.file == Some(file))
    }

    pub fn prelude(&self) -> ModuleId {
        self.prelude
    }

    /// The diagnostics so far, sorted and without duplicates.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        // Unused declarations are known only once every importer is checked.
        for id in 0..self.modules.len() {
            if let Some(file) = self.modules[id].file.filter(|_| self.modules[id].parsed) {
                self.report_unused(ModuleId(id), file);
            }
        }
        let mut d = std::mem::take(&mut self.diagnostics);
        crate::diagnostics::normalize(&mut d);
        d
    }

    /// Checks the file at `path` (and its imports), read through the loader.
    /// Load failures are reported as `Err` (they have no span to point at).
    pub fn check_path(&mut self, path: &Path) -> Result<ModuleId, LoadError> {
        let path = normalize(path);
        let key = self.key(&path);
        if let Some(id) = self.by_key.get(&key) {
            return Ok(*id);
        }
        if let Some((text, parsed)) = self.ahead.remove(&key) {
            let id = self.new_module(&path);
            let name = self.display_name(&path);
            self.check_module(id, name, text, Some(parsed));
            return Ok(id);
        }
        let bytes = self.loader.load(&path)?;
        Ok(self.check_bytes(&path, &bytes))
    }

    /// Reads files that will be checked next, for `parse_ahead`. Files
    /// that cannot be read, are not UTF-8 or are too large are left for
    /// `check_path` to report.
    pub fn read_ahead(&mut self, paths: &[PathBuf]) {
        let mut texts = std::mem::take(&mut self.unparsed);
        for path in paths.iter().map(|p| normalize(p)) {
            let key = self.key(&path);
            if self.by_key.contains_key(&key)
                || self.ahead.contains_key(&key)
                || texts.iter().any(|(k, _)| *k == key)
            {
                continue;
            }
            if let Ok(Ok(text)) = self.loader.load(&path).map(|b| decode(&b)) {
                if text.len() <= MAX_SOURCE_BYTES {
                    texts.push((key, text));
                }
            }
        }
        self.unparsed = texts;
    }

    /// Parses the files `read_ahead` read, on every core: parsing is most
    /// of checking, and files do not depend on each other until their
    /// imports are resolved. (Separate from reading so that a door can
    /// time the two.)
    pub fn parse_ahead(&mut self) {
        let texts = std::mem::take(&mut self.unparsed);
        let queue = Queue::new(&texts);
        let parse = || {
            let mut done = Vec::new();
            while let Some((i, (_, text))) = queue.take() {
                done.push((i, syntax::parse(FileId(0), text)));
            }
            done
        };
        let mut parsed: Vec<(usize, Parsed)> = queue.run(parse).into_iter().flatten().collect();
        parsed.sort_by_key(|(i, _)| *i);
        for ((path, text), (_, result)) in texts.into_iter().zip(parsed) {
            self.ahead.insert(path, (text, result));
        }
    }

    /// Checks `text` as if it were the file at `path` (standard input, an
    /// unsaved editor buffer).
    pub fn check_text(&mut self, path: &Path, text: &str) -> ModuleId {
        let path = normalize(path);
        self.check_bytes(&path, text.as_bytes())
    }

    /// How a path is shown in diagnostics: relative to `base` (with `..`
    /// steps when it lies outside), so messages do not depend on where the
    /// project is checked out.
    fn display_name(&self, path: &Path) -> String {
        let shown = match &self.base {
            Some(base) => relative_to(base, path),
            None => path.to_path_buf(),
        };
        shown.to_string_lossy().replace('\\', "/")
    }

    /// The key a file's module is known by: its real path when the loader
    /// knows it, else the (normalised) path itself.
    fn key(&mut self, path: &Path) -> PathBuf {
        self.real_path(path).unwrap_or_else(|| path.to_path_buf())
    }

    /// `Loader::real_path`, asked once per path.
    fn real_path(&mut self, path: &Path) -> Option<PathBuf> {
        if let Some(known) = self.real_paths.get(path) {
            return known.clone();
        }
        let real = self.loader.real_path(path).ok();
        self.real_paths.insert(path.to_path_buf(), real.clone());
        real
    }

    /// Registers the module of the file at `path`, not yet checked.
    fn new_module(&mut self, path: &Path) -> ModuleId {
        let id = ModuleId(self.modules.len());
        self.modules.push(Module {
            path: Some(path.to_path_buf()),
            ..Module::default()
        });
        let key = self.key(path);
        self.by_key.insert(key, id);
        self.modules[id.0].model.source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.display_name(path));
        id
    }

    fn check_bytes(&mut self, path: &Path, bytes: &[u8]) -> ModuleId {
        let name = self.display_name(path);
        let id = self.new_module(path);
        let text = match decode(bytes) {
            // Loaders stop reading one byte past the limit, which may cut
            // a character in two: the size is the problem to report.
            _ if bytes.len() > MAX_SOURCE_BYTES => String::from_utf8_lossy(bytes).into_owned(),
            Ok(text) => text,
            Err((text, bad)) => {
                let file = self.sources.add(name, text);
                self.modules[id.0].file = Some(file);
                self.modules[id.0].broken = true;
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0002,
                        "file is not valid UTF-8",
                        file,
                        Span::new(bad, bad),
                    )
                    .label("invalid byte here")
                    .help("save the file as UTF-8"),
                );
                return id;
            }
        };
        self.check_module(id, name, text, None);
        id
    }

    fn std_module(&mut self, name: &str) -> Option<ModuleId> {
        if let Some(id) = self.std_modules.get(name) {
            return Some(*id);
        }
        let text = stdlib::module(name)?;
        let id = ModuleId(self.modules.len());
        self.modules.push(Module::default());
        self.std_modules.insert(name.to_string(), id);
        self.check_module(id, format!("std/{name}"), text.to_string(), None);
        Some(id)
    }

    /// Checks one module's text; `parsed` is its parse from `parse_ahead`.
    fn check_module(&mut self, id: ModuleId, name: String, text: String, parsed: Option<Parsed>) {
        let too_large = text.len() > MAX_SOURCE_BYTES;
        let text = if too_large {
            // Only the start is kept to point at: a diagnostic quoting an
            // 8 MiB line helps no one (and `/dev/zero` has no newline).
            let mut end = text.find('\n').unwrap_or(text.len()).min(120);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text[..end].to_string()
        } else {
            text
        };
        let file = self.sources.add(name, text);
        let module = &mut self.modules[id.0];
        module.file = Some(file);
        if too_large {
            module.broken = true;
            self.diagnostics.push(
                Diagnostic::new(Code::E0003, "file is too large", file, Span::new(0, 0))
                    .label(format!("larger than {} MiB", MAX_SOURCE_BYTES >> 20))
                    .help("split the agreements over several files and import shared calendars"),
            );
            return;
        }
        let source = self.sources.get(file).text.clone();
        let parsed = match parsed {
            Some(parsed) => parsed.map_err(|mut d| {
                d.primary.file = file;
                d.secondary.iter_mut().for_each(|l| l.file = file);
                d
            }),
            None => syntax::parse(file, &source),
        };
        // Warned about even when the file does not parse: an invisible
        // control may be why it does not.
        self.diagnostics.extend(syntax::bidi::check(file, &source));
        let ast = match parsed {
            Ok(ast) => {
                self.diagnostics
                    .extend(syntax::escapes::check(file, &source));
                ast
            }
            Err(d) => {
                self.modules[id.0].broken = true;
                self.diagnostics.push(d);
                return;
            }
        };
        let items = ast.items.len()
            + ast
                .items
                .iter()
                .map(|i| match &i.kind {
                    ast::Item::Agreement(a) => a.clauses.len(),
                    _ => 0,
                })
                .sum::<usize>();
        if items > MAX_ITEMS_PER_FILE {
            self.modules[id.0].broken = true;
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0006,
                    "the file has too many items",
                    file,
                    Span::new(0, 0),
                )
                .label(format!(
                    "{items} items and clauses; at most {MAX_ITEMS_PER_FILE}"
                ))
                .help("split the agreements over several files"),
            );
            return;
        }
        self.modules[id.0].parsed = true;
        self.stack.push(id);
        self.declare(id, file, &ast);
        self.load_imports(id, file, &ast);
        items::check_items(self, id, file, &ast);
        let agreements = agreement::check_agreements(self, id, file, &ast);
        self.modules[id.0].model.agreements = agreements;
        self.stack.pop();
    }

    /// Enters every item's name into the module's scope.
    fn declare(&mut self, id: ModuleId, file: FileId, ast: &ast::File) {
        let mut diags = Vec::new();
        let mut seen: BTreeMap<(&str, &str), Span> = BTreeMap::new();
        let m = &mut self.modules[id.0];
        for item in &ast.items {
            let name = item.kind.name();
            let kind = match &item.kind {
                ast::Item::Import { .. } => "import",
                ast::Item::Calendar(_) => "calendar",
                ast::Item::Agreement(_) => "agreement",
                ast::Item::Metric(_) => "metric",
                ast::Item::Holidays(_) => "holidays",
                ast::Item::Enum(_) => "enum",
            };
            if let Some(first) = seen.get(&(kind, name.text.as_str())) {
                diags.push(duplicate(file, kind, name, *first));
                continue;
            }
            if kind == "calendar" && name.text == "always" {
                diags.push(
                    Diagnostic::new(
                        Code::E0209,
                        "`always` is the built-in calendar",
                        file,
                        name.span,
                    )
                    .label("this name is taken")
                    .help("choose another name for this calendar"),
                );
                continue;
            }
            seen.insert((kind, &name.text), name.span);
            let decl_span = name.span;
            match &item.kind {
                ast::Item::Import { .. } => {}
                ast::Item::Calendar(_) => {
                    m.calendars.insert(name.text.clone(), Decl::new(decl_span));
                }
                ast::Item::Agreement(_) => {
                    m.agreements.insert(name.text.clone(), Decl::new(decl_span));
                }
                ast::Item::Metric(_) => {
                    m.metrics.insert(name.text.clone(), Decl::new(decl_span));
                }
                ast::Item::Holidays(_) => {
                    m.holidays.insert(name.text.clone(), Decl::new(decl_span));
                }
                ast::Item::Enum(_) => {
                    m.enums.insert(name.text.clone(), Decl::new(decl_span));
                }
            }
        }
        self.diagnostics.extend(diags);
    }

    fn load_imports(&mut self, id: ModuleId, file: FileId, ast: &ast::File) {
        let imports = ast.items.iter().filter_map(|item| match &item.kind {
            ast::Item::Import { path, alias } => Some((path, alias)),
            _ => None,
        });
        for (n, (path, alias)) in imports.enumerate() {
            if self.modules[id.0].imports.contains_key(&alias.text) {
                let first = self.modules[id.0].imports[&alias.text].span;
                self.diagnostics
                    .push(duplicate(file, "import", alias, first));
                continue;
            }
            let target = if n < MAX_IMPORTS_PER_FILE {
                self.import(id, file, path)
            } else {
                self.diagnostics.push(
                    Diagnostic::new(Code::E0105, "too many imports in one file", file, path.span)
                        .label(format!(
                            "import number {}; at most {MAX_IMPORTS_PER_FILE}",
                            n + 1
                        ))
                        .help("gather shared declarations into fewer library files"),
                );
                None
            };
            self.modules[id.0].imports.insert(
                alias.text.clone(),
                ImportEntry {
                    module: target,
                    span: alias.span,
                    path_span: path.span,
                    used: Cell::new(false),
                },
            );
        }
    }

    /// Resolves and checks one imported module; `None` (with a diagnostic)
    /// when it cannot be had.
    fn import(&mut self, from: ModuleId, file: FileId, path: &ast::Str) -> Option<ModuleId> {
        let spec = path.value.as_str();
        if let Some(name) = spec.strip_prefix("std/") {
            let found = self.std_module(name);
            if found.is_none() {
                let others = || stdlib::names().filter(|n| *n != "prelude");
                let help = match suggest::closest(name, others()) {
                    Some(c) => format!("did you mean `std/{c}`?"),
                    None => format!(
                        "the standard library has {}",
                        others()
                            .map(|n| format!("`std/{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0104,
                        format!("unknown standard library module {}", tick(spec)),
                        file,
                        path.span,
                    )
                    .label("no such module")
                    .help(help),
                );
            }
            return found;
        }
        let Some(dir) = self.modules[from.0].path.as_ref().and_then(|p| p.parent()) else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0101,
                    "the standard library cannot import files",
                    file,
                    path.span,
                )
                .label("not allowed here"),
            );
            return None;
        };
        let target = normalize(&dir.join(spec));
        if !target.starts_with(&self.root) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0103,
                    format!("import {} escapes the project root", tick(spec)),
                    file,
                    path.span,
                )
                .label(format!("resolves to `{}`", self.display_name(&target)))
                .help(format!(
                    "import only files inside `{}`; copy shared calendars into the project",
                    self.display_name(&self.root).if_empty(".")
                )),
            );
            return None;
        }
        // The text stays inside the root; a symbolic link on the way may
        // still lead out of it, so the real location is checked too.
        let real = self.real_path(&target);
        if let Some(real) = real.as_ref().filter(|r| !r.starts_with(&self.real_root)) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0103,
                    format!("import {} escapes the project root", tick(spec)),
                    file,
                    path.span,
                )
                .label(format!(
                    "a symbolic link leads to `{}`",
                    real.to_string_lossy().replace('\\', "/")
                ))
                .help(format!(
                    "import only files inside `{}`; copy shared calendars into the project",
                    self.display_name(&self.root).if_empty(".")
                )),
            );
            return None;
        }
        let key = real.unwrap_or_else(|| target.clone());
        if let Some(existing) = self.by_key.get(&key).copied() {
            if let Some(pos) = self.stack.iter().position(|m| *m == existing) {
                let chain: Vec<String> = self.stack[pos..]
                    .iter()
                    .chain(std::iter::once(&existing))
                    .map(|m| {
                        self.modules[m.0]
                            .file
                            .map(|f| self.sources.get(f).name.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                self.diagnostics.push(
                    Diagnostic::new(Code::E0102, "import cycle", file, path.span)
                        .label(format!("imports {}", chain.join(" → ")))
                        .help("move the shared declarations into a file that imports neither"),
                );
                return None;
            }
            return Some(existing);
        }
        if self.stack.len() >= MAX_IMPORT_DEPTH {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::E0105,
                    "imports are nested too deeply",
                    file,
                    path.span,
                )
                .label(format!("more than {MAX_IMPORT_DEPTH} files deep"))
                .help("flatten the chain of imports"),
            );
            return None;
        }
        if self.modules.len() >= MAX_FILES {
            self.diagnostics.push(
                Diagnostic::new(Code::E0105, "too many files in one check", file, path.span)
                    .label(format!("one check reads at most {MAX_FILES} files"))
                    .help("check the project's directories one at a time"),
            );
            return None;
        }
        match self.loader.load(&target) {
            Ok(bytes) => Some(self.check_bytes(&target, &bytes)),
            Err(e) => {
                let (label, help) = match e {
                    LoadError::NotFound => (
                        format!("no file at `{}`", self.display_name(&target)),
                        "paths are relative to the importing file",
                    ),
                    LoadError::IsDirectory => (
                        format!("`{}` is a directory", self.display_name(&target)),
                        "import a `.sla` file inside it",
                    ),
                    LoadError::NotRegular(_) => (
                        e.to_string(),
                        "import a regular `.sla` file; slac does not read pipes or devices",
                    ),
                    LoadError::PermissionDenied => (e.to_string(), "check the file's permissions"),
                    LoadError::Other(msg) => (msg, "check that the file can be read"),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0101,
                        format!("cannot import {}", tick(spec)),
                        file,
                        path.span,
                    )
                    .label(label)
                    .help(help),
                );
                None
            }
        }
    }

    fn report_unused(&mut self, id: ModuleId, file: FileId) {
        let m = &self.modules[id.0];
        if m.path.is_none() {
            return;
        }
        let mut diags = Vec::new();
        for (alias, imp) in &m.imports {
            if !imp.used.get() && imp.module.is_some() {
                diags.push(
                    Diagnostic::new(
                        Code::W0007,
                        format!("unused import {}", tick(alias)),
                        file,
                        imp.span,
                    )
                    .label("never used")
                    .help("remove the import, or use a name from it as `alias.name`"),
                );
            }
        }
        // A file without agreements is a library: its declarations are for others.
        if !m.agreements.is_empty() {
            for (name, cal) in &m.calendars {
                if !cal.used.get() {
                    diags.push(
                        Diagnostic::new(
                            Code::W0002,
                            format!("unused calendar {}", tick(name)),
                            file,
                            cal.span,
                        )
                        .label("no clock uses this calendar")
                        .help(format!("use it with `clock {name}`, or remove it")),
                    );
                }
            }
        }
        self.diagnostics.extend(diags);
    }
}

/// What kind of item a name refers to, for lookups and messages.
#[derive(Clone, Copy)]
pub(crate) enum ItemKind {
    Calendar,
    Holidays,
    Metric,
}

impl ItemKind {
    fn noun(self) -> &'static str {
        match self {
            ItemKind::Calendar => "calendar",
            ItemKind::Holidays => "holiday set",
            ItemKind::Metric => "metric",
        }
    }
    fn code(self) -> Code {
        match self {
            ItemKind::Calendar => Code::E0203,
            ItemKind::Holidays => Code::E0210,
            ItemKind::Metric => Code::E0204,
        }
    }
}

/// Result of looking a name up: found (perhaps with an invalid value), or
/// not found (already reported).
pub(crate) enum Lookup<'s, T> {
    Found(&'s Decl<T>),
    Missing,
}

impl Session<'_> {
    /// Looks up an item name (plain or `alias.name`) from module `m`. Plain
    /// names are searched in the module, then in the prelude.
    pub(crate) fn lookup<T>(
        &self,
        m: ModuleId,
        file: FileId,
        name: &ast::Name,
        kind: ItemKind,
        table: fn(&Module) -> &BTreeMap<String, Decl<T>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Lookup<'_, T> {
        let module = &self.modules[m.0];
        let (scope_ids, local): (Vec<ModuleId>, &str) = match name.split() {
            (Some(alias), local) => match module.imports.get(alias) {
                Some(imp) => {
                    imp.used.set(true);
                    match imp.module {
                        Some(target) => (vec![target], local),
                        None => return Lookup::Missing,
                    }
                }
                None => {
                    let help =
                        suggest::did_you_mean(alias, module.imports.keys().map(String::as_str))
                            .unwrap_or_else(|| {
                                format!("import the file first: `import \"FILE.sla\" as {alias}`")
                            });
                    diags.push(
                        Diagnostic::new(
                            Code::E0208,
                            format!("unknown import alias {}", tick(alias)),
                            file,
                            Span::new(name.span.start, name.span.start + alias.len()),
                        )
                        .label("no import has this alias")
                        .help(help),
                    );
                    return Lookup::Missing;
                }
            },
            (None, local) => (vec![m, self.prelude], local),
        };
        for id in &scope_ids {
            if let Some(decl) = table(&self.modules[id.0]).get(local) {
                decl.used.set(true);
                return Lookup::Found(decl);
            }
        }
        if scope_ids.iter().any(|id| self.modules[id.0].broken) {
            return Lookup::Missing;
        }
        let candidates: Vec<&str> = scope_ids
            .iter()
            .flat_map(|id| table(&self.modules[id.0]).keys().map(String::as_str))
            .collect();
        let mut help =
            suggest::closest(local, candidates.iter().copied()).map(|c| match name.split().0 {
                Some(alias) => format!("did you mean `{alias}.{c}`?"),
                None => format!("did you mean `{c}`?"),
            });
        if help.is_none() && name.split().0.is_none() {
            // A name declared in an imported file must be qualified.
            for (alias, imp) in &module.imports {
                if let Some(t) = imp.module {
                    if table(&self.modules[t.0]).contains_key(local) {
                        // The import was meant for this name: not unused.
                        imp.used.set(true);
                        help = Some(format!(
                            "did you mean `{alias}.{local}`? imported names are qualified"
                        ));
                    }
                }
            }
        }
        diags.push(
            Diagnostic::new(
                kind.code(),
                format!("unknown {} {}", kind.noun(), tick(&name.text)),
                file,
                name.span,
            )
            .label(format!("no {} of this name", kind.noun()))
            .help(help.unwrap_or_else(|| match name.split().0 {
                Some(alias) => format!(
                    "the file imported as `{alias}` declares no {} `{local}`",
                    kind.noun()
                ),
                None => format!(
                    "declare it with `{} {local} ...`",
                    match kind {
                        ItemKind::Holidays => "holidays",
                        other => other.noun(),
                    }
                ),
            })),
        );
        Lookup::Missing
    }
}

/// A name declared twice in one scope.
fn duplicate(file: FileId, kind: &str, name: &ast::Name, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0209,
        format!("duplicate {kind} {}", tick(&name.text)),
        file,
        name.span,
    )
    .label("declared again here")
    .with_secondary(file, first, "first declared here")
    .help("rename one of them or remove the duplicate")
}

/// Decodes UTF-8, or returns a lossy text and the offset of the first bad byte.
fn decode(bytes: &[u8]) -> Result<String, (String, usize)> {
    // A byte order mark is not text: columns count from after it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err((String::from_utf8_lossy(bytes).into_owned(), e.valid_up_to())),
    }
}

/// `path` relative to `base`, climbing with `..` where the two share a
/// directory (`../shared/x.sla`); `path` as given when they share nothing
/// but the root, where `/tmp/x.sla` reads better than `../../tmp/x.sla`.
fn relative_to(base: &Path, path: &Path) -> PathBuf {
    if let Ok(below) = path.strip_prefix(base) {
        return below.to_path_buf();
    }
    let (b, p): (Vec<_>, Vec<_>) = (base.components().collect(), path.components().collect());
    let shared = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let only_root = b[..shared]
        .iter()
        .all(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
    if only_root
        || b[shared..]
            .iter()
            .any(|c| matches!(c, Component::ParentDir))
    {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in shared..b.len() {
        out.push("..");
    }
    for c in &p[shared..] {
        out.push(c.as_os_str());
    }
    out
}

/// Lexically normalises a path: drops `.`, folds `..` (no file system access).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

trait IfEmpty {
    fn if_empty(self, other: &str) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, other: &str) -> String {
        if self.is_empty() {
            other.to_string()
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::relative_to;
    use std::path::Path;

    #[test]
    fn paths_outside_the_base_climb_with_parent_steps() {
        let base = Path::new("/work/main");
        let shown = |p: &str| {
            relative_to(base, Path::new(p))
                .to_string_lossy()
                .into_owned()
        };
        assert_eq!(shown("/work/main/a/b.sla"), "a/b.sla");
        assert_eq!(shown("/work/shared/c.sla"), "../shared/c.sla");
        assert_eq!(shown("/elsewhere/d.sla"), "/elsewhere/d.sla");
        assert_eq!(shown("relative/e.sla"), "relative/e.sla");
    }
}
