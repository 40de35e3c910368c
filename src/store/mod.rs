//! Where `slac serve` keeps what it was told: every event (upserted by its
//! key) and the sums of every series, changed in one transaction so that a
//! batch is stored whole or not at all, and durable before the 2xx.
//!
//! Two stores share one interface: SQLite (embedded, the default; WAL and
//! `synchronous=FULL`) and PostgreSQL (several replicas share it). Bodies
//! are the event's fields as a JSON object, normalised: the same object a
//! `.jsonl` data file holds, so reading them back goes through the report's
//! own reader.

pub mod codec;
mod postgres;
mod sqlite;

use std::collections::BTreeMap;

/// One stored event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub agreement: String,
    /// The data file it belongs to: `inquiries`, `posts`, ...
    pub kind: String,
    /// Unique within agreement and kind: a later record with the same key
    /// replaces the earlier one.
    pub key: String,
    pub body: String,
    /// Microseconds since the epoch of the instant that attributes the
    /// event to a period; `None` for exclusion windows.
    pub start_us: Option<i64>,
    /// Whether a live gauge may still measure it (`codec::is_open`): a
    /// scrape reads only the open events.
    pub open: bool,
}

/// A change to a series' stored sum.
pub type Deltas = BTreeMap<SeriesRow, i64>;

/// A series as stored: its name, its labels in text form, its unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesRow {
    pub name: String,
    pub labels: String,
    /// A histogram bucket's bound (`3600`, `+Inf`), empty for other series.
    pub le: String,
    /// 0: a count; 6: microseconds shown as seconds.
    pub scale: i32,
}

/// Computes the change to the sums that replacing `old` (if any) by the
/// record at this index makes (`REBUILD` as the index: every stored record
/// is handed over once, with no old body, to sum the series from nothing).
/// `Related` reads the stored case of an inquiry in the same transaction,
/// as it stands after the record was stored.
pub type Worth<'a> = dyn FnMut(Option<&str>, usize, &Record, &mut Related, &mut Deltas) + 'a;

/// Whether a stored record is open under the plan being rebuilt to (a
/// `warn at` added or removed changes which inquiries are).
pub type Open<'a> = dyn FnMut(&Record) -> bool + 'a;

/// The index `Worth` gets during a rebuild.
pub const REBUILD: usize = usize::MAX;

/// The stored case of an inquiry id: its inquiry, waits and messages, as
/// `(kind, key, body)`. A failed read makes the whole apply fail.
pub type Related<'a> = dyn FnMut(&str) -> Vec<(String, String, String)> + 'a;

/// The key range of the waits and messages of inquiry `id` within their
/// kind: their keys start with the id and the unit separator
/// (`codec::key`), so `[id\u{1f}, id\u{20})` holds exactly them.
pub fn case_range(id: &str) -> (String, String) {
    (format!("{id}\u{1f}"), format!("{id}\u{20}"))
}

/// The kinds a case is made of.
pub const CASE_KINDS: [&str; 3] = ["inquiries", "waits", "messages"];

/// What a scan hands over for each event: its kind and body.
pub type Each<'a> = dyn FnMut(&str, &str) + 'a;

#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub trait Store: Send {
    /// Upserts `records` and applies the deltas `worth` computes for each,
    /// all in one durable transaction.
    fn apply(&mut self, records: &[Record], worth: &mut Worth) -> Result<()>;
    /// Replaces every sum of `agreement` by those `worth` computes over all
    /// of its stored events (after its clocks or its plan changed), marks
    /// each event open or not as `open` says, and remembers `fingerprint`
    /// as the plan they were computed with.
    fn rebuild(
        &mut self,
        agreement: &str,
        fingerprint: &str,
        worth: &mut Worth,
        open: &mut Open,
    ) -> Result<()>;
    /// The plan fingerprint the sums of `agreement` were computed with.
    fn fingerprint(&mut self, agreement: &str) -> Result<Option<String>>;
    /// Every event of `agreement` of the given kinds (all when empty) that
    /// started at or after `since_us` (exclusion windows always come).
    fn scan(
        &mut self,
        agreement: &str,
        kinds: &[&str],
        since_us: Option<i64>,
        each: &mut Each,
    ) -> Result<()>;
    /// The open events of `agreement` (`Record::open`).
    fn open_items(&mut self, agreement: &str, each: &mut Each) -> Result<()>;
    /// Every stored sum of `agreement`.
    fn series(&mut self, agreement: &str) -> Result<Vec<(SeriesRow, i64)>>;
    /// Sets how much memory the store may keep as cache, in KiB (readers
    /// need less than the writer).
    fn set_cache_kib(&mut self, _kib: i64) {}
    /// A number per agreement that grows whenever its sums change (a scrape
    /// reads again only the agreements whose number moved).
    fn versions(&mut self) -> Result<BTreeMap<String, i64>>;
}

/// Opens the store a `--store` argument names: `postgres://...` or
/// `postgresql://...` for PostgreSQL, anything else a SQLite file path.
pub fn open(spec: &str) -> Result<Box<dyn Store>> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        Ok(Box::new(postgres::Postgres::open(spec)?))
    } else {
        Ok(Box::new(sqlite::Sqlite::open(std::path::Path::new(spec))?))
    }
}

impl SeriesRow {
    /// A stable 64-bit id of the series within its agreement (FNV-1a of
    /// name, labels and bound): the stored sums are keyed by it, so an
    /// update compares one integer instead of a long label text.
    pub fn id(&self) -> i64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [&self.name, &self.labels, &self.le] {
            for b in part.bytes().chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h as i64
    }
}

/// Sums `new` deltas for the same row.
pub fn merge(into: &mut Deltas, row: SeriesRow, v: i64) {
    *into.entry(row).or_default() += v;
}
