//! A read-only view of every file a request may look at, parsed and indexed
//! on first use: open buffers, files on disk and the standard library. It
//! resolves a use of a name to its declaration, following imports into
//! other files. One `World` lives for one request, so nothing goes stale.

use super::documents::{self, Documents};
pub use super::parsed::{FileKey, Parsed};
use crate::check::normalize;
use crate::source::MAX_SOURCE_BYTES;
use crate::stdlib;
use crate::syntax::index::{Ref, Scope, SymbolKind};
use lsp_types::Uri;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A declaration somewhere: a file and the position of the declaration in
/// its index (`None` for the file itself, as named by an import path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub file: FileKey,
    pub decl: Option<usize>,
}

pub struct World<'a> {
    documents: &'a Documents,
    cache: RefCell<HashMap<FileKey, Option<Rc<Parsed>>>>,
}

impl<'a> World<'a> {
    pub fn new(documents: &'a Documents) -> Self {
        World {
            documents,
            cache: RefCell::new(HashMap::new()),
        }
    }

    pub fn documents(&self) -> &Documents {
        self.documents
    }

    /// The open document at `uri`, parsed.
    pub fn document(&self, uri: &Uri) -> Option<Rc<Parsed>> {
        let doc = self.documents.get(uri)?;
        self.file(&FileKey::Path(doc.path.clone()))
    }

    pub fn file(&self, key: &FileKey) -> Option<Rc<Parsed>> {
        if let Some(hit) = self.cache.borrow().get(key) {
            return hit.clone();
        }
        let parsed = match key {
            FileKey::Std(name) => {
                stdlib::module(name).map(|t| Rc::new(Parsed::new(key.clone(), t)))
            }
            FileKey::Path(path) => match self.documents.by_path(path) {
                Some(doc) => Some(
                    doc.parsed
                        .get_or_init(|| Rc::new(Parsed::new(key.clone(), &doc.text)))
                        .clone(),
                ),
                None => crate::workspace::read_project_file(path, MAX_SOURCE_BYTES)
                    .ok()
                    .filter(|b| b.len() <= MAX_SOURCE_BYTES)
                    .and_then(|b| String::from_utf8(b).ok())
                    .map(|t| Rc::new(Parsed::new(key.clone(), &t))),
            },
        };
        self.cache.borrow_mut().insert(key.clone(), parsed.clone());
        parsed
    }

    pub fn prelude(&self) -> Option<Rc<Parsed>> {
        self.file(&FileKey::Std("prelude"))
    }

    /// The file an import path names, seen from `from`.
    pub fn import_target(&self, from: &FileKey, spec: &str) -> Option<FileKey> {
        if let Some(name) = spec.strip_prefix("std/") {
            return stdlib::names().find(|n| *n == name).map(FileKey::Std);
        }
        let FileKey::Path(from) = from else {
            return None;
        };
        Some(FileKey::Path(normalize(&from.parent()?.join(spec))))
    }

    /// The file imported as `alias` into `file`.
    pub fn alias_target(&self, file: &Parsed, alias: &str) -> Option<FileKey> {
        let import = file.index.imports.iter().find(|i| i.alias.text == alias)?;
        self.import_target(&file.key, &import.path.value)
    }

    /// The declaration a use names, following imports and falling back to
    /// the prelude as the checker does.
    pub fn resolve(&self, file: &Parsed, r: &Ref) -> Option<Target> {
        if let Some(alias) = &r.alias {
            let key = self.alias_target(file, alias)?;
            let other = self.file(&key)?;
            let decl = other.index.find(r.kind, &r.key, Scope::File)?;
            return Some(Target {
                file: key,
                decl: Some(decl),
            });
        }
        let local = |kind: SymbolKind, key: &str| {
            file.index.find(kind, key, r.scope).map(|decl| Target {
                file: file.key.clone(),
                decl: Some(decl),
            })
        };
        let prelude = |kind: SymbolKind, key: &str| {
            let p = self.prelude()?;
            let decl = p.index.find(kind, key, Scope::File)?;
            Some(Target {
                file: p.key.clone(),
                decl: Some(decl),
            })
        };
        if let Some(t) = local(r.kind, &r.key) {
            return Some(t);
        }
        match r.kind {
            // A platform is the agreement's own or one of the prelude's.
            SymbolKind::Platform => {
                let key = format!("platform.{}", r.key);
                local(SymbolKind::EnumValue, &key).or_else(|| prelude(SymbolKind::EnumValue, &key))
            }
            SymbolKind::Calendar
            | SymbolKind::Holidays
            | SymbolKind::Metric
            | SymbolKind::Enum
            | SymbolKind::EnumValue => prelude(r.kind, &r.key),
            _ => None,
        }
    }

    /// What the name at `offset` declares or names.
    pub fn target_at(&self, file: &Parsed, offset: usize) -> Option<Target> {
        if let Some(import) = file.index.import_at(offset) {
            return Some(Target {
                file: self.import_target(&file.key, &import.path.value)?,
                decl: None,
            });
        }
        if let Some(r) = file.index.ref_at(offset) {
            return self.resolve(file, r);
        }
        file.index.decl_at(offset).map(|decl| Target {
            file: file.key.clone(),
            decl: Some(decl),
        })
    }

    /// The URI editors open a file by; standard library modules are
    /// written out as read-only files for this.
    pub fn uri(&self, key: &FileKey) -> Option<Uri> {
        match key {
            FileKey::Path(p) => match self.documents.by_path(p) {
                Some(doc) => Some(doc.uri.clone()),
                None => documents::path_to_uri(p),
            },
            FileKey::Std(name) => documents::path_to_uri(&documents::std_path(name)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn uses_resolve_locally_then_in_the_prelude() {
        let mut docs = Documents::default();
        let src = "agreement a \"A\" {\n  client c \"C\"\n  provider p \"P\"\n  role r of p { email \"e\" }\n  goal g \"G\" {\n    metric response_time\n    where platform = x\n    owner r\n  }\n}\n";
        let uri = Uri::from_str("file:///w/a.sla").unwrap();
        docs.open(uri.clone(), src.to_string(), 1);
        let world = World::new(&docs);
        let file = world.document(&uri).unwrap();
        let at = |s: &str| src.find(s).unwrap() + 1;
        let role = world.target_at(&file, at("owner r") + 6).unwrap();
        assert_eq!(role.file, FileKey::Path("/w/a.sla".into()));
        assert_eq!(file.index.decls[role.decl.unwrap()].key, "r");
        let metric = world.target_at(&file, at("response_time")).unwrap();
        assert_eq!(metric.file, FileKey::Std("prelude"));
        let x = world.target_at(&file, at("= x") + 1).unwrap();
        let prelude = world.prelude().unwrap();
        assert_eq!(prelude.index.decls[x.decl.unwrap()].key, "platform.x");
    }
}
