//! Reading one file the way a hostile checkout cannot abuse: only regular
//! files (a FIFO would block, `/dev/zero` never ends), never more than a
//! limit, and errors worded for people.

use crate::check::LoadError;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// What kind of thing a non-regular file is, for messages: "a FIFO".
pub fn kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Words an I/O error for people ("permission denied", not `Os { code: 13, .. }`).
pub fn load_error(e: &std::io::Error) -> LoadError {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => LoadError::NotFound,
        ErrorKind::PermissionDenied => LoadError::PermissionDenied,
        ErrorKind::IsADirectory => LoadError::IsDirectory,
        _ => LoadError::Other(describe(e)),
    }
}

/// An I/O error as a lowercase phrase without the `(os error N)` tail.
pub fn describe(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "unknown error".to_string(),
    }
}

/// Opens a file for reading without blocking on a FIFO, and checks, on the
/// open handle (no race with a swap), that it is a regular file.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), LoadError> {
    // Checked before opening too: a directory gives a clearer error, and
    // on systems without non-blocking opens a FIFO must not be opened.
    let meta = std::fs::metadata(path).map_err(|e| load_error(&e))?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(LoadError::NotRegular(kind(&meta)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| load_error(&e))?;
    let meta = file.metadata().map_err(|e| load_error(&e))?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(LoadError::NotRegular(kind(&meta)));
    }
    Ok((file, meta))
}

/// Reads a regular file, at most `limit + 1` bytes: a caller that gets
/// more than `limit` knows the file is too large without having read it all.
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, LoadError> {
    let (file, meta) = open_regular(path)?;
    let cap = (limit as u64).saturating_add(1);
    let mut buf = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap)
        .read_to_end(&mut buf)
        .map_err(|e| load_error(&e))?;
    Ok(buf)
}

/// Reads all of `reader` up to `limit + 1` bytes (standard input).
pub fn read_all_limited(reader: impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader
        .take((limit as u64).saturating_add(1))
        .read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_phrases() {
        let e = std::io::Error::from_raw_os_error(13);
        assert_eq!(describe(&e), "permission denied");
        assert_eq!(load_error(&e).to_string(), "permission denied");
    }

    #[test]
    fn a_read_stops_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.sla");
        std::fs::write(&p, vec![b'x'; 100]).unwrap();
        assert_eq!(read_limited(&p, 10).unwrap().len(), 11);
        assert_eq!(read_limited(&p, 1000).unwrap().len(), 100);
        assert_eq!(read_limited(dir.path(), 10), Err(LoadError::IsDirectory));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_not_read() {
        let e = read_limited(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(e, LoadError::NotRegular("a device"));
    }
}
