//! The live loop end to end, with the real consumers: `slac serve` takes
//! events, the real Prometheus (Debian's package) scrapes it and evaluates
//! the rules `slac build` compiled, the real Alertmanager routes the alerts
//! with the configuration `slac build` compiled, and a webhook receiver of
//! this test's own hears who is paged.
//!
//! Everything runs at once so the test waits for the rules' real `for`
//! durations only once (about three minutes in all):
//! - a breach of a goal on a calendar open now pages its tier and its owner;
//! - the same breach on a calendar closed today pages no one;
//! - an unrelated goal's higher-tier alert does not silence it;
//! - a critical incident silences the lower tier of that incident only;
//! - the contract gauges Prometheus scraped equal `slac report --store`.

mod common;

use chrono::{Duration as Days, SecondsFormat, Utc};
use common::live;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A Debian binary the test needs, or `None` (a skip) outside the suite.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("SLAC_REQUIRE_TOOLS").is_err(),
            "`{name}` is missing: apt-get install prometheus prometheus-alertmanager"
        );
        eprintln!("skipped: `{name}` is not installed (apt-get install prometheus prometheus-alertmanager)");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Notifications heard: `(path, JSON body)`.
type Heard = Arc<Mutex<Vec<(String, Value)>>>;

/// A webhook receiver: answers 200 to every POST and keeps what it heard.
fn webhook_sink() -> (u16, Heard) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heard: Heard = Arc::default();
    let sink = heard.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut length = 0;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            if let Ok(v) = serde_json::from_slice(&body) {
                sink.lock().unwrap().push((path, v));
            }
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, heard)
}

fn agreement(hook: u16) -> String {
    let today = Utc::now().date_naive();
    let (from, to) = (today - Days::days(30), today + Days::days(30));
    let tomorrow = today + Days::days(1);
    format!(
        r#"calendar open_now {{
  timezone "UTC"
  open mon-sun 00:00-24:00
}}

calendar closed_now {{
  timezone "UTC"
  open mon-sun 00:00-24:00
  closed {today}, {tomorrow}
}}

agreement e2e "End to end" {{
  client brand "Brand"
  provider agency "Agency"
  effective {from} to {to}
  platforms x, facebook, instagram

  role care of agency {{ webhook "http://127.0.0.1:{hook}/care" }}
  role lead of agency {{ webhook "http://127.0.0.1:{hook}/lead" }}
  role comms of brand {{ webhook "http://127.0.0.1:{hook}/comms" }}

  goal open_goal "Replies while the office is open" {{
    metric response_time
    where platform = x
    target 90% within 1h
    clock open_now
    owner care
    on breach {{ escalate crisis.minor }}
  }}

  goal closed_goal "Replies while the office is closed" {{
    metric response_time
    where platform = facebook
    target 90% within 1h
    clock closed_now
    owner care
    on breach {{ escalate crisis.minor }}
  }}

  goal other_goal "An unrelated goal" {{
    metric response_time
    where platform = instagram
    target 90% within 1h
    owner lead
    on breach {{ escalate crisis.major }}
  }}

  escalation crisis "Crisis" {{
    clock always
    tier minor {{
      notify care
      acknowledge within 1h
    }}
    tier major {{
      notify lead
      acknowledge within 30m
    }}
    tier critical {{
      notify comms
      acknowledge within 15m
    }}
  }}
}}
"#
    )
}

fn spawn(program: &Path, args: &[String], log: &Path) -> Proc {
    let out = std::fs::File::create(log).unwrap();
    Proc(
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start"),
    )
}

fn get_json(addr: &str, path: &str) -> Option<Value> {
    let (status, body) = live::request(addr, "GET", path, &[], b"");
    (status == 200)
        .then(|| serde_json::from_str(&body).ok())
        .flatten()
}

fn stamp(secs_ago: i64) -> String {
    (Utc::now() - Days::seconds(secs_ago)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn inquiries(platform: &str, received: &str, answered: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                r#"{{"kind":"inquiry","id":"{platform}-{i}","platform":"{platform}","channel":"dm","priority":"normal","audience":"","received_at":"{received}","first_response_at":"{answered}","resolved_at":null}}"#
            )
        })
        .collect()
}

/// Alerts Alertmanager holds, as `(labels, state)`.
fn am_alerts(am: &str) -> Vec<(Value, String)> {
    get_json(am, "/api/v2/alerts")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            (
                a["labels"].clone(),
                a["status"]["state"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn heard_by(heard: &Heard, receiver_part: &str, goal_or_incident: (&str, &str)) -> bool {
    heard.lock().unwrap().iter().any(|(_, v)| {
        v["receiver"]
            .as_str()
            .is_some_and(|r| r.contains(receiver_part))
            && v["alerts"].as_array().is_some_and(|alerts| {
                alerts.iter().any(|a| {
                    a["status"] == "firing" && a["labels"][goal_or_incident.0] == goal_or_incident.1
                })
            })
    })
}

#[test]
fn events_page_the_right_people_through_real_prometheus_and_alertmanager() {
    let (Some(prometheus), Some(alertmanager)) =
        (tool("prometheus"), tool("prometheus-alertmanager"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (hook, heard) = webhook_sink();
    std::fs::write(d.join("e2e.sla"), agreement(hook)).unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_slac"))
        .args([
            "build",
            "e2e.sla",
            "--target",
            "prometheus,alertmanager",
            "--out",
            "out",
        ])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let serve = live::start(&["e2e.sla", "--store", "events.db", "--refresh", "3600"], d);
    let (am_port, prom_port) = (free_port(), free_port());
    let am = format!("127.0.0.1:{am_port}");
    let prom = format!("127.0.0.1:{prom_port}");
    std::fs::write(
        d.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - out/e2e.prometheus.yaml\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['{am}']\nscrape_configs:\n  - job_name: slac\n    static_configs:\n      - targets: ['{}']\n",
            serve.addr
        ),
    )
    .unwrap();
    let _am = spawn(
        &alertmanager,
        &[
            format!(
                "--config.file={}",
                d.join("out/e2e.alertmanager.yaml").display()
            ),
            format!("--storage.path={}", d.join("am").display()),
            format!("--web.listen-address={am}"),
            "--cluster.listen-address=".into(),
        ],
        &d.join("alertmanager.log"),
    );
    let _prom = spawn(
        &prometheus,
        &[
            format!("--config.file={}", d.join("prometheus.yml").display()),
            format!("--storage.tsdb.path={}", d.join("tsdb").display()),
            format!("--web.listen-address={prom}"),
        ],
        &d.join("prometheus.log"),
    );
    let log = |name: &str| std::fs::read_to_string(d.join(name)).unwrap_or_default();
    assert!(
        live::eventually(Duration::from_secs(60), || get_json(
            &prom,
            "/api/v1/targets"
        )
        .is_some_and(|v| v.to_string().contains("\"health\":\"up\""))),
        "Prometheus did not scrape slac serve:\n{}",
        log("prometheus.log")
    );
    assert!(
        live::eventually(Duration::from_secs(30), || get_json(&am, "/api/v2/status")
            .is_some()),
        "Alertmanager did not start:\n{}",
        log("alertmanager.log")
    );
    // Let Prometheus see the empty histograms first, so the breaches below
    // are an increase it can rate.
    let warmup: Vec<String> = ["x", "facebook", "instagram"]
        .iter()
        .flat_map(|p| inquiries(p, &stamp(7200), &stamp(7190), 1))
        .map(|l| l.replace("-0\"", "-warm\""))
        .collect();
    assert_eq!(live::post(&serve.addr, &warmup.join("\n"), None).0, 200);
    std::thread::sleep(Duration::from_secs(5));

    // Breaches: two hours to answer, everywhere. On `closed_now` they
    // happened yesterday (the clock is open then) and today it is closed.
    let yesterday = |h: i64| {
        (Utc::now().date_naive() - Days::days(1))
            .and_hms_opt(h as u32, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    };
    let mut events = inquiries("x", &stamp(3 * 3600), &stamp(3600), 20);
    events.extend(inquiries("facebook", &yesterday(9), &yesterday(12), 20));
    events.extend(inquiries("instagram", &stamp(3 * 3600), &stamp(3600), 20));
    events.push(format!(
        r#"{{"kind":"incident","id":"I1","tier":"crisis.critical","detected_at":"{}","acknowledged_at":null,"resolved_at":null}}"#,
        stamp(3600)
    ));
    events.push(format!(
        r#"{{"kind":"incident","id":"I2","tier":"crisis.minor","detected_at":"{}","acknowledged_at":null,"resolved_at":null}}"#,
        stamp(2 * 3600)
    ));
    let (status, body) = live::post(&serve.addr, &events.join("\n"), None);
    assert_eq!(status, 200, "{body}");

    // The open-clock breach pages the minor tier and the goal's owner.
    let paged = live::eventually(Duration::from_secs(300), || {
        heard_by(&heard, "tier", ("goal", "open_goal"))
            && heard_by(&heard, "role", ("goal", "open_goal"))
    });
    let notes = || format!("{:#?}", heard.lock().unwrap());
    assert!(
        paged,
        "open_goal paged neither tier and owner:\n{}\nalerts: {:?}",
        notes(),
        am_alerts(&am)
    );

    // The unrelated major alert fired, and did not silence open_goal.
    assert!(
        live::eventually(Duration::from_secs(60), || heard_by(
            &heard,
            "tier",
            ("goal", "other_goal")
        )),
        "{}",
        notes()
    );
    let alerts = am_alerts(&am);
    let state_of = |key: &str, value: &str, severity: &str| {
        alerts
            .iter()
            .filter(|(l, _)| l[key] == value && l["severity"] == severity)
            .map(|(_, s)| s.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        state_of("goal", "open_goal", "minor")
            .iter()
            .all(|s| s == "active"),
        "{alerts:?}"
    );
    assert!(
        !state_of("goal", "open_goal", "minor").is_empty(),
        "{alerts:?}"
    );

    // The closed clock: no alert in Prometheus, nothing paged.
    let closed = get_json(
        &prom,
        "/api/v1/query?query=ALERTS%7Bgoal%3D%22closed_goal%22%7D",
    )
    .unwrap();
    assert_eq!(closed["data"]["result"], Value::Array(vec![]), "{closed}");
    assert!(!heard
        .lock()
        .unwrap()
        .iter()
        .any(|(_, v)| v.to_string().contains("closed_goal")));

    // Incidents: both page; a lower-tier alert of the critical incident is
    // silenced by it, the other incident's is not.
    assert!(
        live::eventually(Duration::from_secs(120), || heard_by(
            &heard,
            "tier",
            ("incident", "I1")
        ) && heard_by(
            &heard,
            "tier",
            ("incident", "I2")
        )),
        "{}",
        notes()
    );
    let (i2_labels, _) = alerts
        .iter()
        .chain(am_alerts(&am).iter())
        .find(|(l, _)| l["incident"] == "I2")
        .cloned()
        .expect("the minor incident's alert");
    let mut same_incident = i2_labels.clone();
    same_incident["incident"] = "I1".into();
    let post = serde_json::json!([{ "labels": same_incident }]).to_string();
    let (status, body) = live::request(
        &am,
        "POST",
        "/api/v2/alerts",
        &[("Content-Type", "application/json")],
        post.as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    let silenced = live::eventually(Duration::from_secs(30), || {
        let now = am_alerts(&am);
        let state = |incident: &str| {
            now.iter()
                .find(|(l, _)| l["incident"] == incident && l["severity"] == "minor")
                .map(|(_, s)| s.clone())
        };
        state("I1").as_deref() == Some("suppressed") && state("I2").as_deref() == Some("active")
    });
    assert!(silenced, "{:?}", am_alerts(&am));

    // The contract gauges Prometheus holds are the report's numbers.
    let q = |expr: &str| {
        let v = get_json(&prom, &format!("/api/v1/query?query={expr}")).unwrap();
        v["data"]["result"][0]["value"][1]
            .as_str()
            .map(str::to_string)
    };
    let as_of: i64 = q("slac_contract_as_of_seconds").unwrap().parse().unwrap();
    let counted = q("slac_goal_counted%7Bgoal%3D%22open_goal%22%7D").unwrap();
    let misses = q("slac_goal_misses%7Bgoal%3D%22open_goal%22%7D").unwrap();
    let as_of = chrono::DateTime::from_timestamp(as_of, 0).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_slac"))
        .args([
            "report",
            "e2e.sla",
            "--store",
            "events.db",
            "--format",
            "json",
        ])
        .args(["--as-of", &as_of.to_rfc3339()])
        .args(["--period", &as_of.format("%Y-%m").to_string()])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let goal = report["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "open_goal")
        .unwrap();
    let result = &goal["results"][0];
    assert_eq!(counted, result["counted"].to_string());
    assert_eq!(misses, result["misses"].to_string());
    assert_eq!(result["misses"], 20, "{result}");
}
