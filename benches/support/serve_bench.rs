//! Load for `slac serve`: many agreements, a million events posted in
//! batches, then scrapes; prints the figures BENCHMARKS.md quotes.
//!
//!   serve_bench SLAC_BINARY OUT_DIR [--agreements 100] [--events 1000000]
//!
//! - ingest: events per second acknowledged (durable: SQLite WAL with
//!   synchronous=FULL), against the floor of inserting the same rows into
//!   a bare SQLite table with the same durability and batches;
//! - scrape: p50 and p99 of `GET /metrics` over 200 scrapes;
//! - memory: the server's resident set after each tenth of the events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BATCH: usize = 2_000;
const PLATFORMS: [&str; 3] = ["x", "instagram", "facebook"];
const CHANNELS: [&str; 2] = ["dm", "mention"];
const PRIORITIES: [&str; 2] = ["normal", "urgent"];

fn agreement(i: usize) -> String {
    format!(
        r#"calendar office_{i} {{
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
  closed 2026-12-24, 2026-12-25
}}

agreement client_{i:03} "Client {i}" {{
  client brand "Brand {i}"
  provider agency "Agency"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  fee 5000 EUR per month
  platforms x, instagram, facebook
  role care of agency {{ email "care@agency.example" }}
  goal first_response "First reply" {{
    metric response_time
    target 90% within 1h
    clock office_{i}
    owner care
    on breach {{ credit 5% }}
  }}
  goal urgent "Urgent replies" {{
    metric response_time
    where priority = urgent
    target p95 <= 30m
    owner care
  }}
  goal answer_everyone "Response rate" {{
    metric response_rate
    target >= 95%
    owner care
  }}
}}
"#
    )
}

/// Event `n` of agreement `a`: spread over the year so far.
fn event(a: usize, n: usize) -> String {
    let minute = (n * 7919 + a * 131) % (334 * 24 * 60);
    let received = chrono::DateTime::from_timestamp(1_767_225_600 + minute as i64 * 60, 0).unwrap();
    let answered = received + chrono::Duration::seconds(((n * 37) % 7200) as i64 + 30);
    let f = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!(
        r#"{{"kind":"inquiry","agreement":"client_{a:03}","id":"q{n}","platform":"{}","channel":"{}","priority":"{}","audience":"","received_at":"{}","first_response_at":"{}","resolved_at":null}}"#,
        PLATFORMS[n % 3],
        CHANNELS[n % 2],
        PRIORITIES[(n / 7) % 2],
        f(received),
        f(answered)
    )
}

fn request(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let status = String::from_utf8_lossy(&raw[..raw.len().min(16)])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw)
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The floor: the same bodies into a bare table, same batches, same
/// durability.
fn floor(dir: &Path, agreements: usize, events: usize) -> f64 {
    let db = rusqlite::Connection::open(dir.join("floor.db")).unwrap();
    db.pragma_update(None, "journal_mode", "WAL").unwrap();
    db.pragma_update(None, "synchronous", "FULL").unwrap();
    db.execute_batch("CREATE TABLE e (agreement TEXT, kind TEXT, key TEXT, body TEXT, PRIMARY KEY (agreement, kind, key)) WITHOUT ROWID").unwrap();
    let start = Instant::now();
    let mut db = db;
    for chunk in (0..events).collect::<Vec<_>>().chunks(BATCH) {
        let tx = db.transaction().unwrap();
        for n in chunk {
            let a = n % agreements;
            tx.prepare_cached("INSERT INTO e VALUES (?1, 'inquiries', ?2, ?3)")
                .unwrap()
                .execute(rusqlite::params![
                    format!("client_{a:03}"),
                    format!("q{n}"),
                    event(a, *n)
                ])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    events as f64 / start.elapsed().as_secs_f64()
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (slac, out) = (&args[1], Path::new(&args[2]));
    let agreements = arg(&args, "--agreements", 100);
    let events = arg(&args, "--events", 1_000_000);
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out.join("agreements")).unwrap();
    for i in 0..agreements {
        std::fs::write(
            out.join(format!("agreements/client_{i:03}.sla")),
            agreement(i),
        )
        .unwrap();
    }
    let mut child = Command::new(slac)
        .args([
            "serve",
            "agreements",
            "--store",
            "events.db",
            "--listen",
            "127.0.0.1:0",
            "--refresh",
            "15",
        ])
        .current_dir(out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start slac serve");
    let pid = child.id();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve output").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    println!("serving {agreements} agreements at {addr} (pid {pid})");
    let (_, idle_hwm) = rss_kib(pid);
    // Scrapes while events arrive, every 250 ms, as Prometheus would.
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let scraper = {
        let (addr, busy) = (addr.clone(), busy.clone());
        std::thread::spawn(move || {
            let mut times = Vec::new();
            while busy.load(std::sync::atomic::Ordering::SeqCst) {
                let t = Instant::now();
                let (status, _) = request(&addr, "GET", "/metrics", b"");
                assert_eq!(status, 200);
                times.push(t.elapsed());
                std::thread::sleep(Duration::from_millis(250));
            }
            times.sort();
            times
        })
    };
    let start = Instant::now();
    let mut memory = Vec::new();
    let tenth = (events / 10).max(1);
    for (b, chunk) in (0..events).collect::<Vec<_>>().chunks(BATCH).enumerate() {
        let body: Vec<String> = chunk.iter().map(|n| event(n % agreements, *n)).collect();
        let (status, raw) = request(&addr, "POST", "/v1/events", body.join("\n").as_bytes());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&raw));
        let done = (b + 1) * BATCH;
        if done % tenth < BATCH {
            memory.push((done.min(events), rss_kib(pid).0));
        }
    }
    let ingest = start.elapsed();
    busy.store(false, std::sync::atomic::Ordering::SeqCst);
    let during = scraper.join().unwrap();
    let during_p99 =
        during[((during.len() as f64 * 0.99).ceil() as usize).clamp(1, during.len()) - 1];
    let rate = events as f64 / ingest.as_secs_f64();
    std::thread::sleep(Duration::from_secs(2));
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..200 {
        let t = Instant::now();
        let (status, raw) = request(&addr, "GET", "/metrics", b"");
        times.push(t.elapsed());
        assert_eq!(status, 200);
        size = raw.len();
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q).ceil() as usize).min(times.len()) - 1];
    let (rss, hwm) = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();
    let floor = floor(out, agreements, events);
    println!("ingest: {events} events in {:.2} s = {rate:.0} events/s (floor, bare SQLite inserts: {floor:.0}/s, ratio {:.2}x)", ingest.as_secs_f64(), floor / rate);
    println!(
        "scrape: {size} bytes; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} scrapes",
        p(0.5).as_secs_f64() * 1e3,
        p(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        times.len()
    );
    println!(
        "scrape during ingest: p99 {:.1} ms over {} scrapes",
        during_p99.as_secs_f64() * 1e3,
        during.len()
    );
    println!("memory: idle peak {idle_hwm} KiB; after the events: rss {rss} KiB, peak {hwm} KiB");
    for (n, kib) in &memory {
        println!("memory at {n:>8} events: {kib} KiB");
    }
    // Rows for BENCHMARKS.md's table (benches/run.sh collects them).
    let yes = |ok: bool| if ok { "yes" } else { "no" };
    println!(
        "row: | slac serve, durable ingest ({agreements} agreements, {events} events, batches of {BATCH}) | {rate:.0} events/s (bare SQLite inserts of the same rows: {floor:.0}/s, {:.1}x) | >= 20,000/s | {} |",
        floor / rate,
        yes(rate >= 20_000.0)
    );
    let p99 = p(0.99).as_secs_f64() * 1e3;
    println!(
        "row: | slac serve, GET /metrics p99 ({events} stored events, {agreements} agreements, {:.1} MB) | {p99:.1} ms (p50 {:.1} ms); {:.1} ms while ingesting | < 100 ms | {} |",
        size as f64 / 1e6,
        p(0.5).as_secs_f64() * 1e3,
        during_p99.as_secs_f64() * 1e3,
        yes(p99 < 100.0 && during_p99.as_secs_f64() < 0.1)
    );
    let first = memory.first().map(|m| m.1).unwrap_or(0);
    let last = memory.last().map(|m| m.1).unwrap_or(0);
    let flat = last as f64 <= first as f64 * 1.5;
    println!(
        "row: | slac serve, resident memory from {} to {events} stored events | {} MB to {} MB | flat | {} |",
        memory.first().map(|m| m.0).unwrap_or(0),
        first / 1024,
        last / 1024,
        yes(flat)
    );
}
