//! What `slac build` remembers of its last build into OUT, so that a build
//! over unchanged agreements compiles nothing (as cargo does with its
//! fingerprints).
//!
//! For each agreement and target the cache (`OUT/.slac-build-cache.json`)
//! keeps a fingerprint of everything the outputs are made from (the
//! agreement as checked, the file it came from, the target) and the size
//! and modification time each output had when the build ended. A job is
//! skipped only when its fingerprint is the same, the cache was written
//! by this very slac binary, and every output is still a regular file of
//! that size and time: an output edited, removed or replaced by a link is
//! compiled again. A cache that is missing, unreadable or from another
//! binary is ignored, and one that cannot be written is not an error: it
//! only makes the next build slower.

use super::write::temp_in;
use crate::emit::Target;
use crate::model::Agreement;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::hash::Hasher;
use std::io::{Read, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The cache's file name in OUT (a dot file: never an output's name).
pub const FILE: &str = ".slac-build-cache.json";

/// A cache larger than this is not read (it is rewritten).
const MAX_BYTES: u64 = 64 << 20;

#[derive(Serialize, Deserialize, Default)]
pub struct Cache {
    /// The slac binary that wrote it (`tool`).
    tool: String,
    /// By `key`.
    jobs: BTreeMap<String, Entry>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
struct Entry {
    inputs: String,
    files: Vec<Stamp>,
}

/// An output as the build left it.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
struct Stamp {
    name: String,
    len: u64,
    modified_ns: u128,
}

/// The running binary: its version, size and modification time. Another
/// build of slac (even of the same version) compiles everything again.
fn tool() -> String {
    let exe = std::env::current_exe().and_then(fs::metadata);
    let (len, ns) = exe.map(|m| (m.len(), modified_ns(&m))).unwrap_or((0, None));
    format!(
        "slac {} {len} {}",
        env!("CARGO_PKG_VERSION"),
        ns.map_or("?".to_string(), |n| n.to_string())
    )
}

fn modified_ns(m: &fs::Metadata) -> Option<u128> {
    let t = m.modified().ok()?;
    Some(t.duration_since(UNIX_EPOCH).ok()?.as_nanos())
}

/// The cache key of one job.
pub fn key(a: &Agreement, target: Target) -> String {
    format!("{}\u{1f}{}", a.name, target.name())
}

/// A fingerprint of what an agreement's outputs are made from: the
/// agreement as checked and the name of its source file.
pub fn fingerprint(a: &Agreement, source: &str) -> u64 {
    /// Feeds formatted text straight into the hasher, with no string.
    struct Feed<'h>(&'h mut std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    // The model has no hash maps: its Debug text is deterministic.
    let _ = std::fmt::Write::write_fmt(&mut Feed(&mut h), format_args!("{source}\u{1f}{a:?}"));
    h.finish()
}

/// The fingerprint of one job: the agreement's, for one target.
pub fn inputs(fingerprint: u64, target: Target) -> String {
    format!("{fingerprint:016x}-{}", target.name())
}

impl Cache {
    /// The cache in `out`, or an empty one (never an error).
    pub fn load(out: &Path) -> Cache {
        let path = out.join(FILE);
        let read = || -> Option<Cache> {
            let m = fs::symlink_metadata(&path).ok()?;
            if !m.is_file() || m.len() > MAX_BYTES {
                return None;
            }
            let mut text = String::new();
            fs::File::open(&path).ok()?.read_to_string(&mut text).ok()?;
            serde_json::from_str(&text).ok()
        };
        match read() {
            Some(c) if c.tool == tool() => c,
            _ => Cache::default(),
        }
    }

    /// Whether job `key` was built from `inputs` and its outputs `names`
    /// are in `out` as that build left them.
    pub fn fresh(&self, out: &Path, key: &str, inputs: &str, names: &[String]) -> bool {
        let Some(e) = self.jobs.get(key) else {
            return false;
        };
        e.inputs == inputs
            && e.files.len() == names.len()
            && e.files
                .iter()
                .zip(names)
                .all(|(s, name)| s.name == *name && stamp(out, name).as_ref() == Some(s))
    }

    /// Records job `key` as built from `inputs` into `names` (after the
    /// commit: the stamps are the files as they are now). A file that
    /// cannot be read leaves the job out.
    pub fn record(&mut self, out: &Path, key: String, inputs: String, names: &[String]) {
        let files: Option<Vec<Stamp>> = names.iter().map(|n| stamp(out, n)).collect();
        match files {
            Some(files) => {
                self.jobs.insert(key, Entry { inputs, files });
            }
            None => {
                self.jobs.remove(&key);
            }
        }
    }

    /// Forgets the jobs whose outputs are no longer as recorded (changed
    /// by this build or another hand, or gone).
    pub fn prune(&mut self, out: &Path) {
        self.jobs.retain(|_, e| {
            e.files
                .iter()
                .all(|s| stamp(out, &s.name).as_ref() == Some(s))
        });
    }

    /// Writes the cache into `out` (a new file renamed over the old one).
    pub fn save(mut self, out: &Path) -> std::io::Result<()> {
        self.tool = tool();
        let mut tmp = temp_in(out, 0o644)?;
        tmp.write_all(&serde_json::to_vec(&self).expect("the cache serializes"))?;
        tmp.persist(out.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

/// An output as it is now: a regular file (not a link), its size and time.
fn stamp(out: &Path, name: &str) -> Option<Stamp> {
    let m = fs::symlink_metadata(out.join(name)).ok()?;
    if !m.is_file() {
        return None;
    }
    Some(Stamp {
        name: name.to_string(),
        len: m.len(),
        modified_ns: modified_ns(&m)?,
    })
}
