//! `slac build`'s all-or-nothing write into the output directory OUT.
//!
//! 1. A lock on OUT itself keeps two builds apart, and lets
//!    this one recover what an interrupted build left (`recover`).
//! 2. Every output that differs from the file in OUT is written to
//!    `OUT/.slac-staging-RANDOM/new/`; an output equal to its file is not
//!    written at all (the file keeps its mtime).
//! 3. `commit`: each file about to be replaced is hard-linked (or copied)
//!    into `old/`, then a journal naming the files is written and synced,
//!    then the new files are renamed into place one by one. Each rename is
//!    atomic; a rename that fails rolls every earlier one back from `old/`.
//! 4. Deleting the journal marks the build done; the staging directory is
//!    removed.
//!
//! A build killed before step 3's journal leaves only a staging directory:
//! the next build removes it. Killed after it, the journal is still there:
//! the next build rolls the half-done commit back, so OUT is as it was
//! before the killed build. docs/cli.md ("What a build changes") says the same.

use super::write::TEMP_PREFIX;
use crate::emit::HEADER_MARK;
use crate::workspace::describe;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

const STAGING_PREFIX: &str = ".slac-staging-";
const JOURNAL: &str = "journal";

/// What a commit in progress changes, written before the first rename.
#[derive(Serialize, Deserialize, Default)]
struct Journal {
    /// Files that existed: their old version is in `old/`.
    replaced: Vec<String>,
    /// Files that did not exist.
    created: Vec<String>,
}

/// The lock on an output directory, held for the build's lifetime.
#[derive(Debug)]
pub struct Lock {
    _dir: Option<File>,
}

/// Takes the output directory's lock (an advisory `flock` on the directory
/// itself, so no lock file is left behind); an error if another build
/// holds it. Released when the process ends, however it ends.
pub fn lock(out: &Path) -> Result<Lock, String> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        let file = File::open(out)
            .map_err(|e| format!("cannot lock `{}`: {}", out.display(), describe(&e)))?;
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(format!(
                "another `slac build` is writing to `{}`; wait for it to finish",
                out.display()
            ));
        }
        Ok(Lock { _dir: Some(file) })
    }
    // Elsewhere directories cannot be opened as files: no lock.
    #[cfg(not(unix))]
    {
        let _ = out;
        Ok(Lock { _dir: None })
    }
}

/// What `recover` found and undid, for a note to the user.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// Files restored from an interrupted commit.
    pub restored: usize,
    /// Staging directories and temporary files removed.
    pub removed: usize,
}

/// Cleans up after interrupted builds (with the lock held): rolls back a
/// commit whose journal is still there, removes staging directories, and
/// removes temporary files older versions of slac left (`.NAME.PID.tmp`
/// holding generated output).
pub fn recover(out: &Path) -> Result<Recovered, String> {
    let mut done = Recovered::default();
    let entries = match fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(done),
        Err(e) => return Err(format!("cannot read `{}`: {}", out.display(), describe(&e))),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if name.starts_with(STAGING_PREFIX) && kind.is_dir() {
            if let Some(journal) = read_journal(&path) {
                done.restored += roll_back(out, &path, &journal);
            }
            fs::remove_dir_all(&path)
                .map_err(|e| format!("cannot remove `{}`: {}", path.display(), describe(&e)))?;
            done.removed += 1;
        } else if kind.is_file()
            && is_stale_temp(&name)
            && starts_with_header(&path)
            && fs::remove_file(&path).is_ok()
        {
            done.removed += 1;
        }
    }
    Ok(done)
}

/// `.slac-XXXX.tmp` (this version) or `.NAME.yaml.PID.tmp` (before it).
fn is_stale_temp(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".tmp") else {
        return false;
    };
    if name.starts_with(TEMP_PREFIX) {
        return true;
    }
    let Some((before, pid)) = stem.rsplit_once('.') else {
        return false;
    };
    name.starts_with('.')
        && before.ends_with(".yaml")
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_header(path: &Path) -> bool {
    let Ok((file, _)) = crate::workspace::read::open_regular(path) else {
        return false;
    };
    let mut head = Vec::new();
    let _ = file.take(HEADER_MARK.len() as u64).read_to_end(&mut head);
    head == HEADER_MARK.as_bytes()
}

fn read_journal(staging: &Path) -> Option<Journal> {
    let bytes = crate::workspace::read_limited(&staging.join(JOURNAL), 64 << 20).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A plain file name (one normal component), as every output has: a
/// journal planted by a pull request cannot name `../x` or `/etc/x`.
fn plain(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(_)), None)
    ) && !name.starts_with('.')
}

/// Puts OUT back as it was before the commit the journal describes;
/// returns how many files it restored or removed. Only files slac made are
/// removed, and only names that are plain file names are touched.
fn roll_back(out: &Path, staging: &Path, journal: &Journal) -> usize {
    let mut n = 0;
    for name in journal.replaced.iter().filter(|n| plain(n)) {
        let old = staging.join("old").join(name);
        let target = out.join(name);
        if fs::symlink_metadata(&old).is_err() || same_inode(&old, &target) {
            continue; // not replaced yet
        }
        if fs::rename(&old, &target).is_ok() {
            n += 1;
        }
    }
    for name in journal.created.iter().filter(|n| plain(n)) {
        let path = out.join(name);
        let generated =
            fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) && starts_with_header(&path);
        if generated && fs::remove_file(&path).is_ok() {
            n += 1;
        }
    }
    n
}

/// Whether two paths are one file (links not followed).
fn same_inode(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// The staging directory of one build; removed when dropped.
pub struct Staging {
    out: PathBuf,
    dir: tempfile::TempDir,
}

impl Staging {
    /// Makes `OUT/.slac-staging-RANDOM/new/` (with the lock held).
    pub fn new(out: &Path) -> Result<Staging, String> {
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(|e| format!("cannot write in `{}`: {}", out.display(), describe(&e)))?;
        fs::create_dir(dir.path().join("new"))
            .map_err(|e| format!("cannot write in `{}`: {}", out.display(), describe(&e)))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
        })
    }

    /// Stages `contents` as OUT/`name`; false (nothing written) when the
    /// file in OUT already holds exactly these bytes.
    pub fn stage(&self, name: &str, contents: &[u8]) -> std::io::Result<bool> {
        if unchanged(&self.out.join(name), contents) {
            return Ok(false);
        }
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.dir.path().join("new").join(name))?;
        f.write_all(contents)?;
        Ok(true)
    }

    /// Moves the staged files (`names`) into OUT, all or none (see the
    /// module comment). On error OUT is as it was.
    pub fn commit(self, names: &[String]) -> Result<(), String> {
        let mut names = names.to_vec();
        names.sort();
        let old = self.dir.path().join("old");
        let new = self.dir.path().join("new");
        let fail = |what: &str, name: &str, e: std::io::Error| {
            format!(
                "cannot {what} `{}`: {}; nothing was changed",
                self.out.join(name).display(),
                describe(&e)
            )
        };
        fs::create_dir(&old).map_err(|e| fail("write in", "", e))?;
        let mut journal = Journal::default();
        for name in &names {
            let target = self.out.join(name);
            match fs::symlink_metadata(&target) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    journal.created.push(name.clone())
                }
                Err(e) => return Err(fail("read", name, e)),
                Ok(m) if m.is_dir() => {
                    return Err(format!(
                        "cannot write `{}`: a directory is in the way; nothing was changed",
                        target.display()
                    ))
                }
                Ok(m) => {
                    let backup = old.join(name);
                    if fs::hard_link(&target, &backup).is_err() {
                        if !m.is_file() {
                            return Err(format!(
                                "cannot replace `{}`: it is not a regular file; nothing was changed",
                                target.display()
                            ));
                        }
                        fs::copy(&target, &backup).map_err(|e| fail("back up", name, e))?;
                    }
                    journal.replaced.push(name.clone());
                }
            }
        }
        self.write_journal(&journal)
            .map_err(|e| fail("write the journal for", "", e))?;
        for (i, name) in names.iter().enumerate() {
            if let Err(e) = fs::rename(new.join(name), self.out.join(name)) {
                let done = Journal {
                    replaced: journal
                        .replaced
                        .iter()
                        .filter(|n| names[..i].contains(n))
                        .cloned()
                        .collect(),
                    created: journal
                        .created
                        .iter()
                        .filter(|n| names[..i].contains(n))
                        .cloned()
                        .collect(),
                };
                roll_back(&self.out, self.dir.path(), &done);
                let _ = fs::remove_file(self.dir.path().join(JOURNAL));
                return Err(fail("write", name, e));
            }
        }
        // The build is done once the journal is gone.
        fs::remove_file(self.dir.path().join(JOURNAL))
            .map_err(|e| format!("cannot finish the build: {}", describe(&e)))?;
        Ok(())
    }

    fn write_journal(&self, journal: &Journal) -> std::io::Result<()> {
        let tmp = self.dir.path().join("journal.tmp");
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(&serde_json::to_vec(journal).expect("a journal serializes"))?;
        f.sync_all()?;
        fs::rename(&tmp, self.dir.path().join(JOURNAL))?;
        #[cfg(unix)]
        if let Ok(d) = File::open(self.dir.path()) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Whether the regular file at `path` (not a link) holds exactly `contents`.
fn unchanged(path: &Path, contents: &[u8]) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() != contents.len() as u64 {
        return false;
    }
    let Ok((file, _)) = crate::workspace::read::open_regular(path) else {
        return false;
    };
    let mut have = Vec::with_capacity(contents.len());
    file.take(contents.len() as u64 + 1)
        .read_to_end(&mut have)
        .is_ok()
        && have == contents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn gen(text: &str) -> String {
        format!("{HEADER_MARK} test\n{text}\n")
    }

    #[test]
    fn commit_moves_changed_files_and_leaves_equal_ones_alone() {
        let out = tempfile::tempdir().unwrap();
        let d = out.path();
        fs::write(d.join("same.yaml"), gen("same")).unwrap();
        fs::write(d.join("old.yaml"), gen("old")).unwrap();
        let before = fs::metadata(d.join("same.yaml"))
            .unwrap()
            .modified()
            .unwrap();
        let staging = Staging::new(d).unwrap();
        let mut staged = Vec::new();
        for (name, text) in [
            ("same.yaml", "same"),
            ("old.yaml", "new"),
            ("add.yaml", "add"),
        ] {
            if staging.stage(name, gen(text).as_bytes()).unwrap() {
                staged.push(name.to_string());
            }
        }
        assert_eq!(staged, ["old.yaml", "add.yaml"]);
        staging.commit(&staged).unwrap();
        assert_eq!(names(d), ["add.yaml", "old.yaml", "same.yaml"]);
        assert_eq!(fs::read_to_string(d.join("old.yaml")).unwrap(), gen("new"));
        let after = fs::metadata(d.join("same.yaml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn a_rename_failing_partway_rolls_every_file_back() {
        let out = tempfile::tempdir().unwrap();
        let d = out.path();
        for n in ["a", "b", "c", "d"] {
            fs::write(d.join(format!("{n}.yaml")), gen("old")).unwrap();
        }
        let staging = Staging::new(d).unwrap();
        let all: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|n| format!("{n}.yaml"))
            .collect();
        for name in &all {
            assert!(staging.stage(name, gen("new").as_bytes()).unwrap());
        }
        // The last rename fails: its staged file has gone.
        fs::remove_file(staging.dir.path().join("new/e.yaml")).unwrap();
        let err = staging.commit(&all).unwrap_err();
        assert!(err.contains("nothing was changed"), "{err}");
        assert_eq!(names(d), ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]);
        for n in ["a", "b", "c", "d"] {
            assert_eq!(
                fs::read_to_string(d.join(format!("{n}.yaml"))).unwrap(),
                gen("old")
            );
        }
    }

    #[test]
    fn recovery_rolls_back_an_interrupted_commit() {
        let out = tempfile::tempdir().unwrap();
        let d = out.path();
        // As a build killed after its journal and two renames leaves it.
        let staging = d.join(".slac-staging-killed");
        fs::create_dir_all(staging.join("old")).unwrap();
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("old/a.yaml"), gen("old a")).unwrap();
        fs::write(d.join("a.yaml"), gen("new a")).unwrap();
        fs::write(d.join("b.yaml"), gen("new b")).unwrap();
        fs::write(staging.join("new/c.yaml"), gen("new c")).unwrap();
        fs::write(d.join("hand.txt"), "mine").unwrap();
        let journal = r#"{"replaced":["a.yaml"],"created":["b.yaml","c.yaml","hand.txt","../x"]}"#;
        fs::write(staging.join(JOURNAL), journal).unwrap();
        // Leftovers of an older slac and of this one.
        fs::write(d.join(".a.yaml.123.tmp"), gen("x")).unwrap();
        fs::write(d.join(".slac-abc.tmp"), gen("x")).unwrap();
        fs::write(d.join(".slac-kept.tmp"), "not slac's output").unwrap();
        let done = recover(d).unwrap();
        assert_eq!(
            done,
            Recovered {
                restored: 2,
                removed: 3
            }
        );
        assert_eq!(names(d), [".slac-kept.tmp", "a.yaml", "hand.txt"]);
        assert_eq!(fs::read_to_string(d.join("a.yaml")).unwrap(), gen("old a"));
    }

    #[test]
    fn file_names_from_a_journal_must_be_plain() {
        assert!(plain("a.rules.yaml"));
        for bad in ["../a", "/etc/passwd", "a/b", ".hidden", ""] {
            assert!(!plain(bad), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_second_build_cannot_take_the_lock() {
        let out = tempfile::tempdir().unwrap();
        let held = lock(out.path()).unwrap();
        assert!(lock(out.path()).unwrap_err().contains("another"));
        drop(held);
        lock(out.path()).unwrap();
    }
}
