//! The shared store: a PostgreSQL database that several `slac serve`
//! replicas write to and read from. Sums are changed in the same
//! transaction as the events, so every replica serves the same numbers.

use super::{Deltas, Each, Open, Record, Result, SeriesRow, Store, StoreError, Worth, REBUILD};
use postgres::{Client, NoTls, Transaction};

pub struct Postgres {
    client: Client,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS slac_events (
    agreement TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    start_us BIGINT,
    open BOOLEAN NOT NULL,
    PRIMARY KEY (agreement, kind, key)
);
CREATE INDEX IF NOT EXISTS slac_events_start ON slac_events (agreement, start_us);
CREATE INDEX IF NOT EXISTS slac_events_open ON slac_events (agreement) WHERE open;
CREATE INDEX IF NOT EXISTS slac_events_case ON slac_events (agreement, key COLLATE \"C\")
    WHERE kind IN ('waits', 'messages');
CREATE TABLE IF NOT EXISTS slac_series (
    agreement TEXT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    le TEXT NOT NULL,
    scale INTEGER NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (agreement, id)
);
CREATE TABLE IF NOT EXISTS slac_versions (
    agreement TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS slac_plans (
    agreement TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
";

fn err(e: postgres::Error) -> StoreError {
    StoreError(format!("PostgreSQL: {e}"))
}

impl Postgres {
    pub fn open(url: &str) -> Result<Postgres> {
        let mut client = Client::connect(url, NoTls)
            .map_err(|e| StoreError(format!("cannot connect to the PostgreSQL store: {e}")))?;
        // Replicas starting together must not race to create the tables.
        let mut tx = client.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock(7041581)", &[])
            .map_err(err)?;
        tx.batch_execute(SCHEMA).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(Postgres { client })
    }
}

fn add_deltas(tx: &mut Transaction, agreement: &str, deltas: &Deltas) -> Result<()> {
    let stmt = tx
        .prepare(
            "INSERT INTO slac_series (agreement, id, name, labels, le, scale, value)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (agreement, id) DO UPDATE SET value = slac_series.value + excluded.value",
        )
        .map_err(err)?;
    // A fixed order of rows: two replicas updating the same sums cannot
    // deadlock.
    for (row, v) in deltas {
        tx.execute(
            &stmt,
            &[
                &agreement,
                &row.id(),
                &row.name,
                &row.labels,
                &row.le,
                &row.scale,
                v,
            ],
        )
        .map_err(err)?;
    }
    // A scrape reads an agreement's sums again only when this moves.
    tx.execute(
        "INSERT INTO slac_versions (agreement, version) VALUES ($1, 1)
         ON CONFLICT (agreement) DO UPDATE SET version = slac_versions.version + 1",
        &[&agreement],
    )
    .map_err(err)?;
    Ok(())
}

/// The stored case of inquiry `id` (`super::Related`), read in `tx`. The
/// key range is compared byte by byte (`COLLATE "C"`, and an index of its
/// own): in a linguistic collation the unit separator may sort anywhere.
fn case(tx: &mut Transaction, agreement: &str, id: &str) -> Result<Vec<(String, String, String)>> {
    let (from, to) = super::case_range(id);
    let rows = tx
        .query(
            "SELECT kind, key, body FROM slac_events WHERE agreement = $1 AND kind = 'inquiries' AND key = $2
             UNION ALL
             SELECT kind, key, body FROM slac_events WHERE agreement = $1 AND kind IN ('waits', 'messages')
               AND key COLLATE \"C\" >= $3 AND key COLLATE \"C\" < $4",
            &[&agreement, &id, &from, &to],
        )
        .map_err(err)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// A `Related` reader over `tx` that keeps the first error in `failed`.
type Reader<'t> = Box<dyn FnMut(&str) -> Vec<(String, String, String)> + 't>;

fn related<'t, 'c: 't>(
    tx: &'t mut Transaction<'c>,
    agreement: &'t str,
    failed: &'t mut Option<StoreError>,
) -> Reader<'t> {
    Box::new(move |id| match case(tx, agreement, id) {
        Ok(rows) => rows,
        Err(e) => {
            failed.get_or_insert(e);
            Vec::new()
        }
    })
}

fn lock_agreement(tx: &mut Transaction, agreement: &str) -> Result<()> {
    // Serialises writers of one agreement across replicas: the old body a
    // delta is computed from must still be the stored one at commit.
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&agreement])
        .map_err(err)?;
    Ok(())
}

impl Store for Postgres {
    fn apply(&mut self, records: &[Record], worth: &mut Worth) -> Result<()> {
        let mut tx = self.client.transaction().map_err(err)?;
        let mut agreements: Vec<&str> = records.iter().map(|r| r.agreement.as_str()).collect();
        agreements.sort_unstable();
        agreements.dedup();
        for a in &agreements {
            lock_agreement(&mut tx, a)?;
        }
        let select = tx
            .prepare("SELECT body FROM slac_events WHERE agreement = $1 AND kind = $2 AND key = $3")
            .map_err(err)?;
        let upsert = tx
            .prepare(
                "INSERT INTO slac_events (agreement, kind, key, body, start_us, open)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (agreement, kind, key) DO UPDATE SET
                   body = excluded.body, start_us = excluded.start_us, open = excluded.open",
            )
            .map_err(err)?;
        let mut by_agreement: std::collections::BTreeMap<String, Deltas> = Default::default();
        for (i, r) in records.iter().enumerate() {
            let old: Option<String> = tx
                .query_opt(&select, &[&r.agreement, &r.kind, &r.key])
                .map_err(err)?
                .map(|row| row.get(0));
            // Stored first: the case `worth` reads includes the record.
            tx.execute(
                &upsert,
                &[&r.agreement, &r.kind, &r.key, &r.body, &r.start_us, &r.open],
            )
            .map_err(err)?;
            let mut failed = None;
            worth(
                old.as_deref(),
                i,
                r,
                &mut related(&mut tx, &r.agreement, &mut failed),
                by_agreement.entry(r.agreement.clone()).or_default(),
            );
            if let Some(e) = failed {
                return Err(e);
            }
        }
        for (agreement, deltas) in &by_agreement {
            add_deltas(&mut tx, agreement, deltas)?;
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
        let mut tx = self.client.transaction().map_err(err)?;
        lock_agreement(&mut tx, agreement)?;
        let mut deltas = Deltas::new();
        let mut flips = Vec::new();
        let rows = tx
            .query(
                "SELECT kind, key, body, start_us, open FROM slac_events WHERE agreement = $1",
                &[&agreement],
            )
            .map_err(err)?;
        for row in rows {
            let r = Record {
                agreement: agreement.to_string(),
                kind: row.get(0),
                key: row.get(1),
                body: row.get(2),
                start_us: row.get(3),
                open: row.get(4),
            };
            let mut failed = None;
            worth(
                None,
                REBUILD,
                &r,
                &mut related(&mut tx, agreement, &mut failed),
                &mut deltas,
            );
            if let Some(e) = failed {
                return Err(e);
            }
            if open(&r) != r.open {
                flips.push((r.kind, r.key, !r.open));
            }
        }
        for (kind, key, open) in flips {
            tx.execute(
                "UPDATE slac_events SET open = $4 WHERE agreement = $1 AND kind = $2 AND key = $3",
                &[&agreement, &kind, &key, &open],
            )
            .map_err(err)?;
        }
        tx.execute(
            "DELETE FROM slac_series WHERE agreement = $1",
            &[&agreement],
        )
        .map_err(err)?;
        add_deltas(&mut tx, agreement, &deltas)?;
        tx.execute(
            "INSERT INTO slac_plans (agreement, fingerprint) VALUES ($1, $2)
             ON CONFLICT (agreement) DO UPDATE SET fingerprint = excluded.fingerprint",
            &[&agreement, &fingerprint],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn fingerprint(&mut self, agreement: &str) -> Result<Option<String>> {
        let row = self
            .client
            .query_opt(
                "SELECT fingerprint FROM slac_plans WHERE agreement = $1",
                &[&agreement],
            )
            .map_err(err)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn scan(
        &mut self,
        agreement: &str,
        kinds: &[&str],
        since_us: Option<i64>,
        each: &mut Each,
    ) -> Result<()> {
        let since = since_us.unwrap_or(i64::MIN);
        let rows = self
            .client
            .query(
                "SELECT kind, body FROM slac_events WHERE agreement = $1 AND start_us >= $2
                 UNION ALL
                 SELECT kind, body FROM slac_events WHERE agreement = $1 AND start_us IS NULL",
                &[&agreement, &since],
            )
            .map_err(err)?;
        for row in rows {
            let kind: String = row.get(0);
            if kinds.is_empty() || kinds.contains(&kind.as_str()) {
                each(&kind, row.get(1));
            }
        }
        Ok(())
    }

    fn open_items(&mut self, agreement: &str, each: &mut Each) -> Result<()> {
        let rows = self
            .client
            .query(
                "SELECT kind, body FROM slac_events WHERE agreement = $1 AND open",
                &[&agreement],
            )
            .map_err(err)?;
        for row in rows {
            each(row.get(0), row.get(1));
        }
        Ok(())
    }

    fn series(&mut self, agreement: &str) -> Result<Vec<(SeriesRow, i64)>> {
        let rows = self
            .client
            .query(
                "SELECT name, labels, le, scale, value FROM slac_series WHERE agreement = $1",
                &[&agreement],
            )
            .map_err(err)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    SeriesRow {
                        name: r.get(0),
                        labels: r.get(1),
                        le: r.get(2),
                        scale: r.get(3),
                    },
                    r.get(4),
                )
            })
            .collect())
    }

    fn versions(&mut self) -> Result<std::collections::BTreeMap<String, i64>> {
        let rows = self
            .client
            .query("SELECT agreement, version FROM slac_versions", &[])
            .map_err(err)?;
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
