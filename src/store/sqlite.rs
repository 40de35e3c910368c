//! The embedded store: one SQLite file in WAL mode with `synchronous=FULL`,
//! so a committed batch survives `kill -9` and power loss alike.

use super::{Deltas, Each, Open, Record, Result, SeriesRow, Store, StoreError, Worth, REBUILD};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

pub struct Sqlite {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    agreement TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    start_us INTEGER,
    open INTEGER NOT NULL,
    UNIQUE (agreement, kind, key)
);
CREATE INDEX IF NOT EXISTS events_start ON events (agreement, start_us);
CREATE INDEX IF NOT EXISTS events_open ON events (agreement) WHERE open = 1;
CREATE TABLE IF NOT EXISTS series (
    agreement TEXT NOT NULL,
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    le TEXT NOT NULL,
    scale INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (agreement, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (
    agreement TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS plans (
    agreement TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
";

fn err(e: rusqlite::Error) -> StoreError {
    StoreError(format!("SQLite: {e}"))
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite> {
        let conn = Connection::open(path)
            .map_err(|e| StoreError(format!("cannot open `{}`: {e}", path.display())))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        // 32 MiB of page cache (the default is 2 MiB): the index of a
        // million events stays in memory, and memory stays bounded.
        conn.pragma_update(None, "cache_size", -32 * 1024)
            .map_err(err)?;
        // Checkpoint the WAL every 40 MB rather than every 4 MB: fewer,
        // larger copies into the database under sustained ingest.
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)
            .map_err(err)?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| StoreError(format!("`{}` is not a slac store ({e})", path.display())))?;
        Ok(Sqlite { conn })
    }
}

/// Stores `r`; returns the body it replaced, if any. A new event (the
/// common case) costs one statement.
fn upsert_event(tx: &Transaction, r: &Record) -> rusqlite::Result<Option<String>> {
    let inserted = tx
        .prepare_cached(
            "INSERT INTO events (agreement, kind, key, body, start_us, open)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            r.agreement,
            r.kind,
            r.key,
            r.body,
            r.start_us,
            r.open
        ])?;
    if inserted == 1 {
        return Ok(None);
    }
    let old: String = tx
        .prepare_cached("SELECT body FROM events WHERE agreement = ?1 AND kind = ?2 AND key = ?3")?
        .query_row(params![r.agreement, r.kind, r.key], |row| row.get(0))?;
    tx.prepare_cached(
        "UPDATE events SET body = ?4, start_us = ?5, open = ?6
         WHERE agreement = ?1 AND kind = ?2 AND key = ?3",
    )?
    .execute(params![
        r.agreement,
        r.kind,
        r.key,
        r.body,
        r.start_us,
        r.open
    ])?;
    Ok(Some(old))
}

fn add_deltas(tx: &Transaction, agreement: &str, deltas: &Deltas) -> rusqlite::Result<()> {
    let mut update =
        tx.prepare_cached("UPDATE series SET value = value + ?3 WHERE agreement = ?1 AND id = ?2")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO series (agreement, id, name, labels, le, scale, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (row, v) in deltas {
        if update.execute(params![agreement, row.id(), v])? == 0 {
            insert.execute(params![
                agreement,
                row.id(),
                row.name,
                row.labels,
                row.le,
                row.scale,
                v
            ])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO versions (agreement, version) VALUES (?1, 1)
         ON CONFLICT (agreement) DO UPDATE SET version = version + 1",
    )?
    .execute(params![agreement])?;
    Ok(())
}

/// The stored case of inquiry `id` (`super::Related`): the inquiry under
/// its key, its waits and messages in their key range.
fn case(
    conn: &Connection,
    agreement: &str,
    id: &str,
) -> rusqlite::Result<Vec<(String, String, String)>> {
    let (from, to) = super::case_range(id);
    let mut stmt = conn.prepare_cached(
        "SELECT kind, key, body FROM events WHERE agreement = ?1 AND kind = 'inquiries' AND key = ?2
         UNION ALL
         SELECT kind, key, body FROM events WHERE agreement = ?1 AND kind IN ('waits', 'messages')
           AND key >= ?3 AND key < ?4",
    )?;
    let rows = stmt.query_map(params![agreement, id, from, to], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    rows.collect()
}

/// A `Related` reader over `conn` that keeps the first error in `failed`.
fn related<'c>(
    conn: &'c Connection,
    agreement: &'c str,
    failed: &'c mut Option<rusqlite::Error>,
) -> impl FnMut(&str) -> Vec<(String, String, String)> + 'c {
    move |id| match case(conn, agreement, id) {
        Ok(rows) => rows,
        Err(e) => {
            failed.get_or_insert(e);
            Vec::new()
        }
    }
}

fn scan_rows(
    stmt: &mut rusqlite::Statement,
    params: &[&dyn rusqlite::ToSql],
    each: &mut Each,
) -> rusqlite::Result<()> {
    let mut rows = stmt.query(params)?;
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let body: String = row.get(1)?;
        each(&kind, &body);
    }
    Ok(())
}

impl Store for Sqlite {
    fn apply(&mut self, records: &[Record], worth: &mut Worth) -> Result<()> {
        let tx = self.conn.transaction().map_err(err)?;
        let mut by_agreement: std::collections::BTreeMap<&str, Deltas> = Default::default();
        for (i, r) in records.iter().enumerate() {
            let old = upsert_event(&tx, r).map_err(err)?;
            let mut failed = None;
            worth(
                old.as_deref(),
                i,
                r,
                &mut related(&tx, &r.agreement, &mut failed),
                by_agreement.entry(&r.agreement).or_default(),
            );
            if let Some(e) = failed {
                return Err(err(e));
            }
        }
        for (agreement, deltas) in &by_agreement {
            add_deltas(&tx, agreement, deltas).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn rebuild(
        &mut self,
        agreement: &str,
        fingerprint: &str,
        worth: &mut Worth,
        open: &mut Open,
    ) -> Result<()> {
        let tx = self.conn.transaction().map_err(err)?;
        let mut deltas = Deltas::new();
        let mut flips = Vec::new();
        {
            let mut stmt = tx
                .prepare("SELECT kind, key, body, start_us, open FROM events WHERE agreement = ?1")
                .map_err(err)?;
            let mut rows = stmt.query(params![agreement]).map_err(err)?;
            while let Some(row) = rows.next().map_err(err)? {
                let r = Record {
                    agreement: agreement.to_string(),
                    kind: row.get(0).map_err(err)?,
                    key: row.get(1).map_err(err)?,
                    body: row.get(2).map_err(err)?,
                    start_us: row.get(3).map_err(err)?,
                    open: row.get(4).map_err(err)?,
                };
                let mut failed = None;
                worth(
                    None,
                    REBUILD,
                    &r,
                    &mut related(&tx, agreement, &mut failed),
                    &mut deltas,
                );
                if let Some(e) = failed {
                    return Err(err(e));
                }
                if open(&r) != r.open {
                    flips.push((r.kind, r.key, !r.open));
                }
            }
        }
        for (kind, key, open) in flips {
            tx.execute(
                "UPDATE events SET open = ?4 WHERE agreement = ?1 AND kind = ?2 AND key = ?3",
                params![agreement, kind, key, open],
            )
            .map_err(err)?;
        }
        tx.execute(
            "DELETE FROM series WHERE agreement = ?1",
            params![agreement],
        )
        .map_err(err)?;
        add_deltas(&tx, agreement, &deltas).map_err(err)?;
        tx.execute(
            "INSERT INTO plans (agreement, fingerprint) VALUES (?1, ?2)
             ON CONFLICT (agreement) DO UPDATE SET fingerprint = excluded.fingerprint",
            params![agreement, fingerprint],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn fingerprint(&mut self, agreement: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT fingerprint FROM plans WHERE agreement = ?1",
                params![agreement],
                |row| row.get(0),
            )
            .optional()
            .map_err(err)
    }

    fn scan(
        &mut self,
        agreement: &str,
        kinds: &[&str],
        since_us: Option<i64>,
        each: &mut Each,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(
                // Two index ranges, not an OR that would scan every event
                // of the agreement: the events since, then the windows.
                "SELECT kind, body FROM events WHERE agreement = ?1 AND start_us >= ?2
                 UNION ALL
                 SELECT kind, body FROM events WHERE agreement = ?1 AND start_us IS NULL",
            )
            .map_err(err)?;
        let since = since_us.unwrap_or(i64::MIN);
        let mut filtered = |kind: &str, body: &str| {
            if kinds.is_empty() || kinds.contains(&kind) {
                each(kind, body)
            }
        };
        scan_rows(&mut stmt, &[&agreement, &since], &mut filtered).map_err(err)
    }

    fn open_items(&mut self, agreement: &str, each: &mut Each) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, body FROM events WHERE agreement = ?1 AND open = 1")
            .map_err(err)?;
        scan_rows(&mut stmt, &[&agreement], each).map_err(err)
    }

    fn series(&mut self, agreement: &str) -> Result<Vec<(SeriesRow, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, labels, le, scale, value FROM series WHERE agreement = ?1",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(params![agreement], |row| {
                Ok((
                    SeriesRow {
                        name: row.get(0)?,
                        labels: row.get(1)?,
                        le: row.get(2)?,
                        scale: row.get(3)?,
                    },
                    row.get(4)?,
                ))
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    fn versions(&mut self) -> Result<std::collections::BTreeMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT agreement, version FROM versions")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)
    }

    fn set_cache_kib(&mut self, kib: i64) {
        let _ = self.conn.pragma_update(None, "cache_size", -kib);
    }
}
