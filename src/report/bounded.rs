//! Reading data files within fixed bounds (issue #11): physical lines and
//! CSV records that never hold more than a set number of bytes in memory,
//! whatever the input. A header of 300 MB of commas is refused after its
//! first 64 KiB, not parsed into 300 million fields.
//!
//! Lines are numbered from 1 like an editor numbers them: `\n` ends a line
//! (a `\r` before it belongs to the line ending), blank lines count, and a
//! CSV record is numbered by the line it starts on.

use std::io::{self, BufRead, Read};

/// The most bytes a CSV header row may take.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most columns a CSV header may name.
pub const MAX_COLUMNS: usize = 256;
/// The most bytes one cell may hold.
pub const MAX_CELL_BYTES: usize = 64 * 1024;
/// The most bytes one CSV record or one JSON Lines line may take.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Sizes as the error messages spell them.
pub fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// What reading one physical line gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A line (in the buffer, without its `\n`).
    Read,
    /// The line is longer than the limit; the buffer holds its start.
    TooLong,
    /// The end of the input.
    End,
}

/// The physical lines of an input, each read through a bounded `take`, so
/// no line costs more memory than the limit it is read with.
pub struct Lines<R> {
    input: R,
    /// The number of the line last read (0 before the first).
    pub line: u64,
    /// Bytes consumed so far (for progress).
    pub bytes: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(input: R) -> Self {
        Lines {
            input,
            line: 0,
            bytes: 0,
        }
    }

    /// Reads the next line into `buf` (cleared first), at most `limit`
    /// bytes of it. A byte order mark before the first line is dropped.
    pub fn next(&mut self, buf: &mut Vec<u8>, limit: usize) -> io::Result<Line> {
        buf.clear();
        let n = (&mut self.input)
            .take(limit as u64 + 1)
            .read_until(b'\n', buf)?;
        if n == 0 {
            return Ok(Line::End);
        }
        self.bytes += n as u64;
        self.line += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        } else if buf.len() > limit {
            return Ok(Line::TooLong);
        }
        if self.line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        Ok(Line::Read)
    }
}

/// One CSV record: the line it starts on, and its fields (at most the
/// limit it was read with; `fields` counts them all). The cells lie back to
/// back in one buffer that the next record reuses, so reading a file
/// allocates nothing per row.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    text: Vec<u8>,
    /// Where each kept cell ends in `text`.
    ends: Vec<usize>,
    pub fields: usize,
}

impl Record {
    /// The kept cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(a, b)| &self.text[a..*b])
    }

    /// How many cells were kept.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn clear(&mut self, line: u64) {
        self.line = line;
        self.text.clear();
        self.ends.clear();
        self.fields = 0;
    }

    /// Ends the cell that started at `start`: kept while there is room,
    /// counted either way.
    fn finish(&mut self, start: usize, max_fields: usize) {
        self.fields += 1;
        if self.ends.len() < max_fields {
            self.ends.push(self.text.len());
        } else {
            self.text.truncate(start);
        }
    }
}

/// Why a CSV record could not be read. All but `Io` leave the reader at
/// the line after the record where that is known; the callers stop anyway.
#[derive(Debug)]
pub enum CsvError {
    Io(io::Error),
    /// The record (from `line`) is longer than `limit` bytes.
    RecordTooLong {
        line: u64,
        limit: usize,
    },
    /// A cell of the record starting on `line` is longer than the cell limit.
    CellTooLong {
        line: u64,
    },
    /// A quoted cell starting on `line` is still open at the end of the file.
    Unclosed {
        line: u64,
    },
}

/// CSV as RFC 4180 writes it: `,` separates fields, `"` quotes a field
/// (`""` is a quote inside it; a quoted field may span lines), a line
/// ending (`\n` or `\r\n`) outside quotes ends a record. A quote inside an
/// unquoted field, or text after a closing quote, is kept as written.
/// Blank (or all-blank) lines between records are skipped.
pub struct Csv<R> {
    pub lines: Lines<R>,
    buf: Vec<u8>,
}

impl<R: BufRead> Csv<R> {
    pub fn new(input: R) -> Self {
        Csv {
            lines: Lines::new(input),
            buf: Vec::new(),
        }
    }

    /// Reads the next record into `rec`, keeping at most `max_fields`
    /// cells, within `max_bytes` in all; `false` at the end of the input.
    pub fn record(
        &mut self,
        rec: &mut Record,
        max_fields: usize,
        max_bytes: usize,
    ) -> Result<bool, CsvError> {
        // Skip blank lines.
        loop {
            match self
                .lines
                .next(&mut self.buf, max_bytes)
                .map_err(CsvError::Io)?
            {
                Line::End => return Ok(false),
                Line::TooLong => {
                    return Err(CsvError::RecordTooLong {
                        line: self.lines.line,
                        limit: max_bytes,
                    })
                }
                Line::Read => {
                    if !self.buf.iter().all(u8::is_ascii_whitespace) {
                        break;
                    }
                }
            }
        }
        rec.clear(self.lines.line);
        if !self.buf.contains(&b'"') {
            return self.plain(rec, max_fields).map(|()| true);
        }
        let mut used = self.buf.len();
        let mut start = 0;
        // Inside quotes; and, inside quotes, whether the last byte was a
        // quote (closing, or the first of a doubled one).
        let (mut quoted, mut quote) = (false, false);
        let mut at_start = true;
        loop {
            let line_len = self.buf.len();
            for (i, &b) in self.buf.iter().enumerate() {
                if rec.text.len() - start > MAX_CELL_BYTES {
                    return Err(CsvError::CellTooLong { line: rec.line });
                }
                if quoted {
                    if quote {
                        quote = false;
                        if b == b'"' {
                            rec.text.push(b'"');
                            continue;
                        }
                        quoted = false;
                    } else if b == b'"' {
                        quote = true;
                        continue;
                    } else {
                        rec.text.push(b);
                        continue;
                    }
                }
                match b {
                    b',' => {
                        rec.finish(start, max_fields);
                        start = rec.text.len();
                        at_start = true;
                        continue;
                    }
                    b'"' if at_start => quoted = true,
                    b'\r' if i + 1 == line_len => {}
                    _ => rec.text.push(b),
                }
                at_start = false;
            }
            if rec.text.len() - start > MAX_CELL_BYTES {
                return Err(CsvError::CellTooLong { line: rec.line });
            }
            if quoted && quote {
                // The line ended right after a closing quote.
                quoted = false;
            }
            if !quoted {
                rec.finish(start, max_fields);
                return Ok(true);
            }
            // A quoted cell goes on past the line ending.
            rec.text.push(b'\n');
            let room = max_bytes.saturating_sub(used);
            match self.lines.next(&mut self.buf, room).map_err(CsvError::Io)? {
                Line::End => return Err(CsvError::Unclosed { line: rec.line }),
                Line::TooLong => {
                    return Err(CsvError::RecordTooLong {
                        line: rec.line,
                        limit: max_bytes,
                    })
                }
                Line::Read => used += self.buf.len() + 1,
            }
        }
    }

    /// A line without quotes: its cells are the text between commas (the
    /// common case, split without looking at every byte twice).
    fn plain(&mut self, rec: &mut Record, max_fields: usize) -> Result<(), CsvError> {
        let line = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
        for cell in line.split(|b| *b == b',') {
            if cell.len() > MAX_CELL_BYTES {
                return Err(CsvError::CellTooLong { line: rec.line });
            }
            let start = rec.text.len();
            rec.text.extend_from_slice(cell);
            rec.finish(start, max_fields);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut csv = Csv::new(text);
        let mut out = Vec::new();
        let mut r = Record::default();
        while csv.record(&mut r, 100, 1000).unwrap() {
            out.push((
                r.line,
                r.cells()
                    .map(|c| String::from_utf8(c.to_vec()).unwrap())
                    .collect(),
            ));
        }
        out
    }

    fn row(line: u64, cells: &[&str]) -> (u64, Vec<String>) {
        (line, cells.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on() {
        assert_eq!(
            records(b"a,b\r\n1,2\r\n\r\n\r\n3,\"x\r\ny\"\r\n4,\"\"\"q\"\"\"\n"),
            vec![
                row(1, &["a", "b"]),
                row(2, &["1", "2"]),
                row(5, &["3", "x\r\ny"]),
                row(7, &["4", "\"q\""]),
            ]
        );
        // A byte order mark, a last line without an ending, an empty cell
        // at the end, text after a closing quote and a stray quote.
        assert_eq!(
            records(b"\xEF\xBB\xBFa,b\n\"1\"x,y\"z\n2,"),
            vec![
                row(1, &["a", "b"]),
                row(2, &["1x", "y\"z"]),
                row(3, &["2", ""])
            ]
        );
    }

    #[test]
    fn bounds_hold_whatever_the_input() {
        let mut r = Record::default();
        let mut csv = Csv::new(&b"a,b,c,d\n"[..]);
        assert!(csv.record(&mut r, 2, 1000).unwrap());
        assert_eq!((r.len(), r.fields), (2, 4));
        let mut csv = Csv::new(&b"\"a\",b,c,d\n"[..]);
        assert!(csv.record(&mut r, 2, 1000).unwrap());
        assert_eq!((r.len(), r.fields), (2, 4));
        let long = vec![b','; 5000];
        let mut csv = Csv::new(&long[..]);
        assert!(matches!(
            csv.record(&mut r, 100, 1000),
            Err(CsvError::RecordTooLong { line: 1, .. })
        ));
        let mut text = b"\"".to_vec();
        text.extend(vec![b'x'; 600]);
        text.extend(b"\n".repeat(3));
        text.extend(vec![b'y'; 600]);
        let mut csv = Csv::new(&text[..]);
        assert!(matches!(
            csv.record(&mut r, 100, 1000),
            Err(CsvError::RecordTooLong { line: 1, .. })
        ));
        let cell = vec![b'x'; MAX_CELL_BYTES + 1];
        let mut csv = Csv::new(&cell[..]);
        assert!(matches!(
            csv.record(&mut r, 100, MAX_RECORD_BYTES),
            Err(CsvError::CellTooLong { line: 1 })
        ));
        let mut csv = Csv::new(&b"a\n\"open\n"[..]);
        csv.record(&mut r, 100, 1000).unwrap();
        assert!(matches!(
            csv.record(&mut r, 100, 1000),
            Err(CsvError::Unclosed { line: 2 })
        ));
    }
}
