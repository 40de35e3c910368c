//! `--map FILE`: another tool's export read as slac's data. Each shipped
//! mapping reads its sample export to the same report as the same
//! inquiries in slac's own columns; errors name the mapping's line and the
//! export's row; `slac diff --with-data` and `slac serve --import` take
//! the mapping too.

mod common;

use assert_cmd::Command;
use common::live;
use serde_json::Value;
use std::path::Path;

const AGREEMENT: &str = "examples/exports/helpdesk.sla";

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The JSON report, with the data files' paths left out (the export and
/// slac's own file differ in nothing else).
fn report(args: &[&str]) -> Value {
    let mut all = vec!["report", AGREEMENT, "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    let mut v: Value = serde_json::from_str(&out).unwrap();
    drop_files(&mut v);
    v
}

fn drop_files(v: &mut Value) {
    drop_key(v, "file");
}

fn drop_key(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            m.remove(key);
            m.values_mut().for_each(|x| drop_key(x, key));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| drop_key(x, key)),
        _ => {}
    }
}

/// Every result of every goal, for a report that is not empty.
fn counted(v: &Value) -> u64 {
    v["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["results"].as_array().unwrap())
        .map(|r| r["counted"].as_u64().unwrap_or(0))
        .sum()
}

/// A directory holding a tool's sample export alone (the sample's own
/// directory also holds the same inquiries in slac's columns).
fn export_only(tool: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = format!("examples/exports/{tool}/tickets.csv");
    std::fs::copy(from, dir.path().join("tickets.csv")).unwrap();
    dir
}

#[test]
fn each_shipped_mapping_reads_its_export_as_slacs_own_columns() {
    for tool in ["zendesk", "freshdesk"] {
        let export = export_only(tool);
        let map = format!("maps/{tool}.yaml");
        let mapped = report(&["--data", export.path().to_str().unwrap(), "--map", &map]);
        let own = report(&["--data", &format!("examples/exports/{tool}")]);
        assert_eq!(mapped, own, "{tool}");
        assert!(counted(&own) >= 15, "{tool}: the sample counts too little");
    }
}

/// The instants of the Zendesk sample around the switch to summer time
/// (Europe/Berlin, 29 March 2026 02:00 → 03:00), as slac's own file has
/// them: the local times of the export are read with the zone's rules.
#[test]
fn local_times_follow_the_zones_daylight_saving_rules() {
    let own = std::fs::read_to_string("examples/exports/zendesk/inquiries.csv").unwrap();
    assert!(own.contains("4111,facebook,public_comment,normal,,2026-03-29T01:30:00+01:00"));
    assert!(own.contains("4112,instagram,dm,urgent,,2026-03-29T03:30:00+02:00"));
    let export = std::fs::read_to_string("examples/exports/zendesk/tickets.csv").unwrap();
    assert!(export.contains(",2026-03-29 01:30:00,") && export.contains(",2026-03-29 03:30:00,"));
}

/// The line of `maps/zendesk.yaml` holding `text`.
fn zendesk_line(text: &str) -> usize {
    let map = std::fs::read_to_string("maps/zendesk.yaml").unwrap();
    map.lines().position(|l| l.trim() == text).unwrap() + 1
}

/// A copy of the Zendesk sample with some cells replaced.
fn broken_zendesk(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("examples/exports/zendesk/tickets.csv").unwrap();
    std::fs::write(dir.path().join("tickets.csv"), edit(text)).unwrap();
    dir
}

#[test]
fn every_bad_row_is_named_with_the_mapping_line_behind_it() {
    let dir = broken_zendesk(|t| {
        t.replacen(",2026-03-02 16:40:05,", ",03/02/2026 9:15,", 1)
            .replacen(",Twitter DM,", ",Email,", 1)
    });
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        data,
        "--map",
        "maps/zendesk.yaml",
    ]);
    assert_eq!(code, 2, "{err}");
    let file = dir.path().join("tickets.csv");
    let created = zendesk_line("received_at: Created at");
    let via = zendesk_line("platform: Via");
    assert!(
        err.contains(&format!(
            "`{}` row 3, column `Created at` (mapped to `received_at` by maps/zendesk.yaml line {created}): `03/02/2026 9:15` does not match `%Y-%m-%d %H:%M:%S`",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "`{}` row 7, column `Via` (mapped to `platform` by maps/zendesk.yaml line {via}): unknown platform `Email`",
            file.display()
        )),
        "{err}"
    );
}

#[test]
fn a_missing_mapped_column_and_a_duplicate_are_header_errors() {
    let dir = broken_zendesk(|t| t.replacen("Solved at", "Created at", 1));
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        data,
        "--map",
        "maps/zendesk.yaml",
    ]);
    assert_eq!(code, 2);
    let created = zendesk_line("received_at: Created at");
    let solved = zendesk_line("resolved_at: Solved at");
    assert!(err.contains(&format!("row 1, column `Created at` (mapped to `received_at` by maps/zendesk.yaml line {created}): column `Created at` appears twice: as column 17 and column 23")), "{err}");
    assert!(err.contains(&format!("row 1, column `Solved at` (mapped to `resolved_at` by maps/zendesk.yaml line {solved}): missing required column `Solved at`")), "{err}");
}

/// Rows keep the numbers of the file's lines under a mapping too: a byte
/// order mark, `\r\n` endings and blank lines included.
#[test]
fn rows_are_numbered_like_the_files_lines() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "inquiries:\n  file: export.csv\n  columns:\n    id: Ticket\n    received_at: Opened\n  fixed:\n    platform: x\n    channel: dm\n    priority: normal\n    audience: \"\"\n    first_response_at: \"\"\n    resolved_at: \"\"\n  timestamps:\n    format: \"%d.%m.%Y %H:%M\"\n    zone: Europe/Berlin\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("export.csv"),
        "\u{feff}Ticket,Opened\r\n\r\nt1,02.03.2026 09:15\r\nt1,02.03.2026 10:15\r\nt3,2.3.2026\r\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        dir.path().to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("row 4, column `Ticket` (mapped to `id` by"),
        "{err}"
    );
    assert!(err.contains("duplicate id `t1`"), "{err}");
    assert!(
        err.contains("row 5, column `Opened` (mapped to `received_at` by"),
        "{err}"
    );
    assert!(
        err.contains("`2.3.2026` does not match `%d.%m.%Y %H:%M`"),
        "{err}"
    );
}

#[test]
fn a_bad_mapping_file_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "inquiries:\n  columns:\n    id: Id\n    recieved_at: Created at\n",
    )
    .unwrap();
    let m = map.to_str().unwrap();
    let (code, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        "examples/exports/zendesk",
        "--map",
        m,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("`{m}` line 4, column 5: inquiries.columns: inquiries has no field `recieved_at`: did you mean `received_at`?")),
        "{err}"
    );
    std::fs::write(
        &map,
        "inquiries:\n  timestamps:\n    format: \"%Y-%m-%d %H:%M\"\n    zone: Berlin/Europe\n",
    )
    .unwrap();
    let (_, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        "examples/exports/zendesk",
        "--map",
        m,
    ]);
    assert!(err.contains(&format!("`{m}` line 4, column 11: inquiries.timestamps.zone: `Berlin/Europe` is not an IANA time zone")), "{err}");
    let (code, _, err) = run(&[
        "report",
        AGREEMENT,
        "--data",
        "examples/exports/zendesk",
        "--map",
        "maps/none.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the mapping `maps/none.yaml`"),
        "{err}"
    );
}

#[test]
fn diff_with_data_reads_through_the_mapping() {
    let export = export_only("freshdesk");
    let replay = |data: &str, extra: &[&str]| {
        let mut args = vec![
            "diff",
            AGREEMENT,
            AGREEMENT,
            "--format",
            "json",
            "--with-data",
            data,
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["replay"].clone()
    };
    let mapped = replay(
        export.path().to_str().unwrap(),
        &["--map", "maps/freshdesk.yaml"],
    );
    assert_eq!(mapped, replay("examples/exports/freshdesk", &[]));
    assert_eq!(mapped[0]["periods"], serde_json::json!(["2026-03"]));
    let (code, _, err) = run(&["diff", AGREEMENT, AGREEMENT, "--map", "maps/freshdesk.yaml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn serve_import_reads_through_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("events.db");
    let store = store.to_str().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let export = export_only("zendesk");
    let data = export.path().to_str().unwrap();
    let server = live::start(
        &[
            AGREEMENT,
            "--store",
            store,
            "--import",
            data,
            "--map",
            "maps/zendesk.yaml",
        ],
        root,
    );
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .contains(&format!("imported 14 events from `{data}`")),
        "{}",
        server.log.lock().unwrap()
    );
    drop(server);
    // The store numbers events as they came, not by the file's lines.
    let mut stored = report(&["--store", store]);
    let mut own = report(&["--data", "examples/exports/zendesk"]);
    drop_key(&mut stored, "row");
    drop_key(&mut own, "row");
    assert_eq!(stored["goals"], own["goals"]);
    assert!(counted(&own) >= 15);
}
