//! Open editor buffers, and where the text of any file comes from: the
//! buffer when the file is open (unsaved edits count), else the disk, else
//! the embedded standard library. File URIs are converted here.

use super::parsed::Parsed;
use crate::check::{normalize, LoadError, Loader};
use crate::source::SourceFile;
use crate::workspace::FsLoader;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::str::FromStr;
use std::sync::Mutex;

pub struct Document {
    pub uri: Uri,
    /// The file's path, or a made-up one for buffers that are not files
    /// (`untitled:`), so that imports still resolve against something.
    pub path: PathBuf,
    pub text: String,
    pub version: i32,
    /// The text parsed and indexed, made on first use after each change:
    /// hovers and completions on a large file do not parse it every time.
    pub parsed: OnceCell<Rc<Parsed>>,
}

#[derive(Default)]
pub struct Documents {
    by_uri: HashMap<String, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        let path = uri_to_path(&uri).unwrap_or_else(|| synthetic_path(&uri));
        self.by_uri.insert(
            uri.as_str().to_string(),
            Document {
                uri,
                path,
                text,
                version,
                parsed: OnceCell::new(),
            },
        );
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.by_uri.remove(uri.as_str())
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.by_uri.get(uri.as_str())
    }

    pub fn all(&self) -> impl Iterator<Item = &Document> {
        self.by_uri.values()
    }

    pub fn by_path(&self, path: &Path) -> Option<&Document> {
        self.by_uri.values().find(|d| d.path == path)
    }

    /// Applies a client's edits in order; a change without a range replaces
    /// the whole text. Returns false for an unknown document.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let Some(doc) = self.by_uri.get_mut(uri.as_str()) else {
            return false;
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let file = SourceFile::new("", doc.text.as_str());
                    let a = super::position::offset(&file, range.start);
                    let b = super::position::offset(&file, range.end);
                    let (start, end) = (a.min(b), a.max(b));
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = version;
        doc.parsed = OnceCell::new();
        true
    }
}

/// Reads files for the checker: open buffers first, then the disk.
pub struct BufferLoader<'a> {
    pub documents: &'a Documents,
}

impl Loader for BufferLoader<'_> {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        match self.documents.by_path(path) {
            Some(doc) => Ok(doc.text.clone().into_bytes()),
            None => FsLoader.load(path),
        }
    }

    /// As on disk: an import whose real location leaves the project is
    /// refused in the editor too, and one file is one module.
    fn real_path(&self, path: &Path) -> Result<PathBuf, LoadError> {
        FsLoader.real_path(path)
    }
}

/// The path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.get(..7).filter(|p| p.eq_ignore_ascii_case("file://"))?;
    let rest = &s[rest.len()..];
    // Skip the authority (empty or `localhost`).
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `/C:/dir` on Windows is the path `C:/dir`.
    let decoded = match decoded.as_bytes() {
        [b'/', d, b':', ..] if cfg!(windows) && d.is_ascii_alphabetic() => decoded[1..].to_string(),
        _ => decoded,
    };
    Some(normalize(Path::new(&decoded)))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A stand-in path for a buffer that is not a file: in the working
/// directory, so relative imports resolve from there as for standard input.
fn synthetic_path(uri: &Uri) -> PathBuf {
    let name: String = uri
        .as_str()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    crate::workspace::cwd().join(format!("{name}.sla"))
}

/// The private directory the standard library's modules are copied to,
/// made on first use: fresh, with a random name, mode 0700 on Unix. A fixed
/// path in the shared temporary directory could be made in advance by
/// another user, with links that would turn the copy into a write to one
/// of the victim's files.
static STD_DIR: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);

/// Where the standard library's module `name` is written so that editors
/// can open it (go to definition of `response_time`): a read-only copy in a
/// private directory that lives as long as the server.
pub fn std_path(name: &str) -> Option<PathBuf> {
    let text = crate::stdlib::module(name)?;
    let mut guard = STD_DIR.lock().unwrap_or_else(|e| e.into_inner());
    if guard.is_none() {
        let mut builder = tempfile::Builder::new();
        builder.prefix(concat!("slac-", env!("CARGO_PKG_VERSION"), "-std-"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // mkdir with a fresh random name fails on anything already there.
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir().ok()?;
        *guard = Some(dir);
    }
    let dir = guard.as_ref()?.path();
    let path = dir.join(format!("{name}.sla"));
    // Only this process writes here; a file that exists is the copy it made.
    if std::fs::symlink_metadata(&path).is_err() {
        write_new(&path, text).ok()?;
    }
    Some(path)
}

/// Creates `path`, failing if anything (a link included) is already there,
/// and leaves it read-only so that an editor warns before changing it.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o400);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    let mut perms = file.metadata()?.permissions();
    perms.set_readonly(true);
    file.set_permissions(perms)
}

/// Removes the copies of the standard library when the session ends.
pub fn remove_std_copy() {
    let dir = STD_DIR.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(dir) = dir {
        // Read-only files in a writable directory can be removed on Unix.
        let _ = dir.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn uri(s: &str) -> Uri {
        Uri::from_str(s).unwrap()
    }

    #[test]
    fn file_uris_convert_both_ways() {
        let p = uri_to_path(&uri("file:///tmp/a%20b/x%C3%BC.sla")).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/a b/xü.sla"));
        assert_eq!(
            path_to_uri(&p).unwrap().as_str(),
            "file:///tmp/a%20b/x%C3%BC.sla"
        );
        assert_eq!(
            uri_to_path(&uri("file://localhost/x/./y.sla")),
            Some(PathBuf::from("/x/y.sla"))
        );
        assert_eq!(uri_to_path(&uri("untitled:Untitled-1")), None);
    }

    #[test]
    fn incremental_changes_apply_in_utf16() {
        let mut docs = Documents::default();
        let u = uri("file:///t.sla");
        docs.open(u.clone(), "a😀c\nline two\n".into(), 1);
        let at = |l, c| Position::new(l, c);
        let change = |start, end, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(start, end)),
            range_length: None,
            text: text.into(),
        };
        assert!(docs.change(
            &u,
            2,
            vec![
                change(at(0, 3), at(0, 4), "b"),
                change(at(1, 0), at(1, 4), "")
            ]
        ));
        assert_eq!(docs.get(&u).unwrap().text, "a😀b\n two\n");
        // Out-of-range positions clamp instead of panicking.
        assert!(docs.change(&u, 3, vec![change(at(9, 9), at(0, 99), "!")]));
        assert_eq!(docs.get(&u).unwrap().text, "a😀b!");
        assert!(!docs.change(&uri("file:///other.sla"), 1, vec![]));
    }
}
