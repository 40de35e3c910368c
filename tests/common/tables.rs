//! Data tables read from CSV text, the way `slac report` reads its files:
//! `table::<Inquiry>("inquiries.csv", HEADER, rows, &vocab)`.

use slac::report::events::Table;
use slac::report::read::{self, Format, Row, Vocabulary};

/// `header` then `rows`, read as the CSV file `file`; panics on bad rows.
pub fn table<T: Row>(file: &str, header: &str, rows: &str, vocab: &Vocabulary) -> Table<T> {
    let text = format!("{header}{rows}");
    let rows = read::read_rows::<T>(file, Format::Csv, text.as_bytes(), vocab, &mut |_| {});
    Table {
        file: Some(file.into()),
        rows: rows.unwrap(),
    }
}
