//! The readers on small files written in the tests.

use super::*;

fn vocab() -> Vocabulary {
    Vocabulary {
        platforms: vec!["x".into(), "instagram".into()],
        channels: vec!["dm".into(), "mention".into()],
        priorities: vec!["low".into(), "normal".into(), "high".into()],
        audiences: vec!["fans".into()],
        steps: vec![
            ("publish".into(), "review".into()),
            ("publish".into(), "legal".into()),
        ],
        tiers: vec![
            ("crisis".into(), "minor".into()),
            ("other".into(), "minor".into()),
        ],
    }
}

const HEAD: &str =
    "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n";

fn inquiries(text: &str) -> Result<Vec<Inquiry>, DataErrors> {
    read_rows::<Inquiry>(
        "inquiries.csv",
        Format::Csv,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
}

#[test]
fn reads_a_csv_row_with_empty_stops() {
    let rows = inquiries(&format!(
        "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00+01:00,,\n"
    ))
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].row, 2);
    assert_eq!(
        rows[0].received_at.to_rfc3339(),
        "2026-03-02T08:15:00+00:00"
    );
    assert_eq!(rows[0].first_response_at, None);
    assert!(rows[0].requires_response);
}

#[test]
fn errors_name_file_row_and_column() {
    let e = inquiries(&format!(
        "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00+01:00,,\nq2,x,dm,high,,2026-03-02 9:15,,\n"
    ))
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("received_at")));
    assert_eq!(
            e.to_string().lines().next().unwrap(),
            "`inquiries.csv` row 3, column `received_at`: `2026-03-02 9:15` is not an RFC 3339 timestamp with an offset"
        );
    let e =
        inquiries("id,platform,channel,priority,audience,received,first_response_at,resolved_at\n")
            .unwrap_err()
            .errors
            .remove(0);
    assert_eq!(e.message, "missing required column `received_at`");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `received`? (columns are matched exactly)")
    );
    let e = inquiries(&format!(
        "{HEAD}q1,Instagram,dm,high,,2026-03-02T09:15:00Z,,\n"
    ))
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!(e.message, "unknown platform `Instagram`");
    let e = inquiries(&format!(
        "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z,2026-03-02T09:00:00Z,\n"
    ))
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!(
        (e.column.as_deref(), e.message.as_str()),
        (
            Some("first_response_at"),
            "`2026-03-02T09:00:00Z` is before `received_at`"
        )
    );
    let e = inquiries(&format!(
        "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z,,\nq1,x,dm,high,,2026-03-02T09:15:00Z,,\n"
    ))
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!((e.row, e.message.as_str()), (Some(3), "duplicate id `q1`"));
    let e = inquiries(&format!("{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z\n"))
        .unwrap_err()
        .errors
        .remove(0);
    assert_eq!(
        (e.row, e.message.as_str()),
        (Some(2), "the row has 6 fields but the header has 8")
    );
}

#[test]
fn reads_json_lines_with_omitted_and_null_fields() {
    let text = r#"{"id":"p1","platform":"instagram","audience":"fans","published_at":"2026-03-02T10:00:00+01:00","impressions":1000,"reach":800,"engagements":41,"followers":5000,"tags":["launch","regulated"]}

{"id":"p2","platform":"x","audience":null,"published_at":"2026-03-03T10:00:00Z","impressions":"10","reach":9,"engagements":1,"followers":5000}
"#;
    let posts = read_rows::<Post>(
        "posts.jsonl",
        Format::Jsonl,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].tags, vec!["launch", "regulated"]);
    assert_eq!(
        (
            posts[1].row,
            posts[1].impressions,
            posts[1].audience.as_str()
        ),
        (3, 10, "")
    );
    let e = read_rows::<Post>(
        "posts.jsonl",
        Format::Jsonl,
        "[1]\n".as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!((e.row, e.message.as_str()), (Some(1), "not a JSON object"));
}

#[test]
fn steps_and_tiers_resolve_or_explain() {
    let head = "post_id,step,requested_at,decided_at,decision\n";
    let text = format!("{head}p1,review,2026-03-02T09:00:00Z,,\np1,publish.legal,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,approved\n");
    let rows = read_rows::<ApprovalRequest>(
        "approvals.csv",
        Format::Csv,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        (rows[1].approval.as_str(), rows[1].step.as_str()),
        ("publish", "legal")
    );
    let text = format!("{head}p1,reveiw,2026-03-02T09:00:00Z,,\n");
    let e = read_rows::<ApprovalRequest>(
        "approvals.csv",
        Format::Csv,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!(e.help.as_deref(), Some("did you mean `review`?"));
    let head = "id,tier,detected_at,acknowledged_at,resolved_at\n";
    let e = read_rows::<Incident>(
        "i.csv",
        Format::Csv,
        format!("{head}i1,minor,2026-03-02T09:00:00Z,,\n").as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!(e.message, "`minor` is ambiguous");
    let ok = read_rows::<Incident>(
        "i.csv",
        Format::Csv,
        format!("{head}i1,crisis.minor,2026-03-02T09:00:00Z,,\n").as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(ok[0].escalation, "crisis");
}

#[test]
fn exclusion_windows_must_end_after_they_start() {
    let text =
        "kind,platform,start,end\nplatform_outage,x,2026-03-02T10:00:00Z,2026-03-02T09:00:00Z\n";
    let e = read_rows::<ExclusionWindow>(
        "exclusions.csv",
        Format::Csv,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err()
    .errors
    .remove(0);
    assert_eq!(e.column.as_deref(), Some("end"));
}

fn errors(text: &[u8]) -> DataErrors {
    read_rows::<Inquiry>("inquiries.csv", Format::Csv, text, &vocab(), &mut |_| {}).unwrap_err()
}

const ROW: &str = "x,dm,high,,2026-03-02T09:15:00+01:00,,";

#[test]
fn rows_are_the_lines_an_editor_shows() {
    // CRLF endings, a byte order mark, blank lines (one with a lone
    // `\r`, one with spaces) and a quoted cell over two lines: each
    // record is numbered by the line it starts on. Before, CRLF made
    // every row one too low (the first data row was "row 1", the
    // header's) and a record after blank lines took the number of the
    // first blank line.
    let text = format!(
        "\u{feff}{}q1,{ROW}\r\n\r\n\r\n   \r\nq2,{ROW}\r\n\"q\r\n3\",{ROW}\r\nq4,{ROW}",
        HEAD.replace('\n', "\r\n")
    );
    let rows = inquiries(&text).unwrap();
    let numbered: Vec<(&str, u64)> = rows.iter().map(|r| (r.id.as_str(), r.row)).collect();
    assert_eq!(
        numbered,
        vec![("q1", 2), ("q2", 6), ("q\r\n3", 7), ("q4", 9)]
    );
    // An error on a row after blank lines names that row's line.
    let text = format!("{HEAD}\n\nq1,x,dm,high,,yesterday,,\r\n");
    let e = errors(text.as_bytes());
    assert_eq!(e.first().row, Some(4));
}

#[test]
fn a_duplicated_column_an_empty_file_and_every_bad_row() {
    let e = errors(format!("id,{}", HEAD).as_bytes());
    assert_eq!(
        (e.first().row, e.first().column.as_deref()),
        (Some(1), Some("id"))
    );
    assert_eq!(
        e.first().message,
        "column `id` appears twice: as column 1 and column 2"
    );
    for empty in ["", "\n\r\n  \n", "\u{feff}"] {
        let e = errors(empty.as_bytes());
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (None, "the file is empty: expected a header row")
        );
    }
    // Every missing column at once.
    let e = errors(b"id,platform\n");
    assert_eq!(e.errors.len(), 6);
    // Every bad row, not just the first: rows 3 and 5 are bad, row 4
    // repeats q1's id.
    let text = format!(
            "{HEAD}q1,{ROW}\nq2,x,dm,urgent,,2026-03-02T09:15:00Z,,\nq1,{ROW}\nq3,{ROW},extra\nq5,{ROW}\n"
        );
    let e = errors(text.as_bytes());
    let found: Vec<(Option<u64>, &str)> = e
        .errors
        .iter()
        .map(|e| (e.row, e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (Some(3), "unknown priority `urgent`"),
            (Some(4), "duplicate id `q1`"),
            (Some(5), "the row has 9 fields but the header has 8"),
        ]
    );
    // Beyond 20, the rest are counted.
    let mut text = HEAD.to_string();
    for i in 0..25 {
        text += &format!("q{i},x,dm,high,,never,,\n");
    }
    let e = errors(text.as_bytes());
    assert_eq!((e.errors.len(), e.more), (20, 5));
    let shown = e.to_string();
    assert_eq!(shown.matches("\nerror: `inquiries.csv` row").count(), 19);
    assert!(
        shown.ends_with("\nerror: and 5 more errors in `inquiries.csv` (the first 20 are shown)"),
        "{shown}"
    );
}

#[test]
fn every_bound_is_an_error_with_file_and_row() {
    // The header: at most 64 KiB and 256 columns.
    let e = errors(&vec![b','; 300 * 1024]);
    assert_eq!(
        (e.first().row, e.first().message.as_str()),
        (Some(1), "the header is longer than 64 KiB")
    );
    let wide = (0..300)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let e = errors(wide.as_bytes());
    assert_eq!(
        e.first().message,
        "the header has 300 columns, more than the 256 allowed"
    );
    // A cell: at most 64 KiB; a record: at most 1 MiB.
    let text = format!(
        "{HEAD}q1,{ROW}\nq2,x,dm,high,\"{}\",,,\n",
        "a".repeat(65 * 1024)
    );
    let e = errors(text.as_bytes());
    assert_eq!(
        (e.first().row, e.first().message.as_str()),
        (Some(3), "a cell of the row is longer than 64 KiB")
    );
    let cell = "a".repeat(60 * 1024);
    let big = vec![cell.as_str(); 20].join("\",\"");
    let text = format!("{HEAD}q1,{ROW}\n\"{big}\"\n");
    let e = errors(text.as_bytes());
    assert_eq!(
        (e.first().row, e.first().message.as_str()),
        (Some(3), "the row is longer than 1 MiB")
    );
    // A quote never closed.
    let e = errors(format!("{HEAD}\"q1,{ROW}\n").as_bytes());
    assert_eq!(
        (e.first().row, e.first().message.as_str()),
        (
            Some(2),
            "a quoted cell of the row is not closed before the end of the file"
        )
    );
    // A JSON Lines line: at most 1 MiB.
    let line = format!("{{\"id\":\"{}\"}}\n", "a".repeat(1024 * 1024));
    let e = read_rows::<Post>(
        "posts.jsonl",
        Format::Jsonl,
        format!("\n{line}").as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        (e.first().row, e.first().message.as_str()),
        (Some(2), "the line is longer than 1 MiB")
    );
}

#[test]
fn json_lines_report_every_bad_line_and_take_crlf_and_a_bom() {
    let ok = r#"{"id":"p1","platform":"x","audience":"","published_at":"2026-03-02T10:00:00Z","impressions":1,"reach":1,"engagements":1,"followers":1}"#;
    let text = format!(
        "\u{feff}{ok}\r\n\r\nnot json\r\n[1]\r\n{}\r\n",
        ok.replace("p1", "p2")
    );
    let e = read_rows::<Post>(
        "posts.jsonl",
        Format::Jsonl,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err();
    let rows: Vec<Option<u64>> = e.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![Some(3), Some(4)]);
    let text = format!("\u{feff}{ok}\r\n\r\n{}\r\n", ok.replace("p1", "p2"));
    let posts = read_rows::<Post>(
        "posts.jsonl",
        Format::Jsonl,
        text.as_bytes(),
        &vocab(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!((posts[0].row, posts[1].row), (1, 3));
}
