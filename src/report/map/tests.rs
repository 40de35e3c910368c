use super::*;
use crate::report::events::Inquiry;
use crate::report::read::{read_mapped, Vocabulary};

const MAP: &str = "\
# an export of tickets
inquiries:
  file: tickets.csv
  columns:
    id: Ticket
    received_at: Created at
    first_response_at: First reply (min)
    platform: Via
    channel: Via
  values:
    platform:
      Instagram DM: instagram
      Facebook Post: facebook
    channel:
      Instagram DM: dm
      Facebook Post: public_comment
  fixed:
    priority: normal
    audience: \"\"
  minutes_after:
    first_response_at: received_at
  timestamps:
    format: \"%d/%m/%Y %H:%M\"
    zone: Europe/Berlin
";

fn vocab() -> Vocabulary {
    Vocabulary {
        platforms: vec!["instagram".into(), "facebook".into()],
        channels: vec!["dm".into(), "public_comment".into()],
        priorities: vec!["normal".into()],
        ..Vocabulary::default()
    }
}

fn read(csv: &str) -> Result<Vec<Inquiry>, String> {
    let m = parse(MAP, "map.yaml").unwrap();
    let f = m.file(FileKind::Inquiries);
    read_mapped(
        "tickets.csv",
        Format::Csv,
        csv.as_bytes(),
        f,
        &vocab(),
        &mut |_| {},
    )
    .map_err(|e| e.to_string())
}

#[test]
fn a_mapping_is_typed_data_with_lines() {
    let m = parse(MAP, "map.yaml").unwrap();
    let f = m.file(FileKind::Inquiries).unwrap();
    assert_eq!(
        m.source(FileKind::Inquiries),
        Some(("tickets.csv", Format::Csv))
    );
    assert_eq!(f.column("received_at"), Some("Created at"));
    assert_eq!(f.column("priority"), None);
    assert_eq!(f.column("resolved_at"), Some("resolved_at"));
    assert_eq!(f.field("received_at").unwrap().line, Some(6));
    assert_eq!(
        f.field("platform").unwrap().values[1],
        ("Facebook Post".into(), "facebook".into(), 13)
    );
    assert_eq!(f.timestamps.as_ref().unwrap().line, 23);
}

#[test]
fn rows_are_read_in_slac_terms_with_the_zone_rules() {
    let rows = read(
        "Ticket,Via,Created at,First reply (min),resolved_at\n\
         t1,Instagram DM,02/03/2026 09:15,30,\n\
         t2,Facebook Post,01/07/2026 09:15,,\n",
    )
    .unwrap();
    assert_eq!(rows[0].platform, "instagram");
    assert_eq!(rows[0].channel, "dm");
    assert_eq!(rows[0].priority, "normal");
    assert_eq!(
        rows[0].received_at.to_rfc3339(),
        "2026-03-02T08:15:00+00:00"
    );
    assert_eq!(
        rows[0].first_response_at.unwrap().to_rfc3339(),
        "2026-03-02T08:45:00+00:00"
    );
    // Summer time: two hours ahead of UTC.
    assert_eq!(
        rows[1].received_at.to_rfc3339(),
        "2026-07-01T07:15:00+00:00"
    );
    assert_eq!(rows[1].channel, "public_comment");
    assert!(rows[1].first_response_at.is_none());
}

#[test]
fn errors_name_the_row_the_column_and_the_mapping_line() {
    let e = read(
        "Ticket,Via,Created at,First reply (min),resolved_at\r\n\
         \r\n\
         t1,Instagram DM,03/02/2026 9:15 pm,30,\r\n\
         t2,Email,02/03/2026 09:15,x,\r\n\
         t3,Email,02/03/2026 09:15,,\r\n\
         t3,Instagram DM,29/03/2026 02:30,,\r\n",
    )
    .unwrap_err();
    let lines: Vec<&str> = e.lines().filter(|l| !l.starts_with("help")).collect();
    assert_eq!(lines, [
        "`tickets.csv` row 3, column `Created at` (mapped to `received_at` by map.yaml line 6): `03/02/2026 9:15 pm` does not match `%d/%m/%Y %H:%M`",
        "error: `tickets.csv` row 4, column `First reply (min)` (mapped to `first_response_at` by map.yaml line 7): `x` is not a whole number of minutes",
        "error: `tickets.csv` row 5, column `Via` (mapped to `platform` by map.yaml line 8): unknown platform `Email`",
        "error: `tickets.csv` row 6, column `Created at` (mapped to `received_at` by map.yaml line 6): `29/03/2026 02:30` does not exist in Europe/Berlin (the clocks skip it going forward)",
    ]);
}

#[test]
fn header_errors_name_the_export_column() {
    let e = read("Ticket,Via,Via,First reply (min),resolved_at\nt1,a,b,1,\n").unwrap_err();
    assert!(e.starts_with("`tickets.csv` row 1, column `Via` (mapped to `platform` by map.yaml line 8): column `Via` appears twice"), "{e}");
    assert!(e.contains("column `Created at` (mapped to `received_at` by map.yaml line 6): missing required column `Created at`"), "{e}");
}

fn err(text: &str) -> String {
    parse(text, "m.yaml").unwrap_err()
}

#[test]
fn bad_mappings_are_located() {
    for (text, want) in [
        ("inquries:\n  file: a.csv\n", "`m.yaml` line 1, column 1: unknown field `inquries`"),
        ("inquiries:\n  colums: {}\n", "`m.yaml` line 2, column 3: inquiries: unknown field `colums`"),
        ("inquiries:\n  columns:\n    recieved_at: Created\n", "`m.yaml` line 3, column 5: inquiries.columns: inquiries has no field `recieved_at`: did you mean `received_at`?"),
        ("posts:\n  columns:\n    received_at: Created\n", "`m.yaml` line 3, column 5: posts.columns: posts has no field `received_at`"),
        ("inquiries:\n  timestamps:\n    format: \"%Y-%m-%d %Q\"\n    zone: UTC\n", "`m.yaml` line 3, column 13: inquiries.timestamps.format: `%Y-%m-%d %Q` is not a valid strftime format"),
        ("inquiries:\n  timestamps:\n    format: \"%Y-%m-%d\"\n    zone: UTC\n", "`m.yaml` line 3, column 13: inquiries.timestamps.format: `%Y-%m-%d` does not give a full date and time"),
        ("inquiries:\n  timestamps:\n    format: \"%Y-%m-%d %H:%M\"\n    zone: Europe/Berln\n", "`m.yaml` line 4, column 11: inquiries.timestamps.zone: `Europe/Berln` is not an IANA time zone: did you mean `Europe/Berlin`?"),
        ("inquiries:\n  timestamps:\n    format: \"%Y-%m-%d %H:%M\"\n", "`m.yaml` line 3: `%Y-%m-%d %H:%M` has no offset"),
        ("inquiries:\n  file: ../x.csv\n", "`m.yaml` line 2, column 9: inquiries.file: `../x.csv` is not a file name"),
        ("inquiries:\n  file: x.csv\nposts:\n  file: x.csv\n", "`m.yaml` line 4: `inquiries` and `posts` both read `x.csv`"),
        ("inquiries:\n  columns:\n    id: A\n  fixed:\n    id: B\n", "`m.yaml` line 5: `id` is in both `columns` and `fixed`"),
        ("inquiries:\n  minutes_after:\n    first_response_at: platform\n", "`m.yaml` line 3, column 24: inquiries.minutes_after.first_response_at: inquiries has no timestamp field `platform`: its timestamp fields are `received_at`"),
        ("inquiries:\n  columns:\n    id: A\n    id: B\n", "`m.yaml` line 3, column 5: inquiries.columns: `id` is given twice"),
        ("", "`m.yaml` is empty"),
        ("inquiries: [1]\n", "`m.yaml` line 1, column 12: inquiries: invalid type: sequence, expected a map of `file`"),
        ("inquiries:\n  file: \"a.csv\n", "`m.yaml` line 3, column 1: found unexpected end of stream, while scanning a quoted scalar"),
    ] {
        let e = err(text);
        assert!(e.starts_with(want), "{text:?}\n got: {e}\nwant: {want}");
    }
}

#[test]
fn json_lines_are_mapped_by_their_keys() {
    let m = parse(MAP, "map.yaml").unwrap();
    let lines = "{\"Ticket\": \"t1\", \"Via\": \"Instagram DM\", \"Created at\": \"02/03/2026 09:15\", \"First reply (min)\": 5}\n\n{\"Ticket\": 7, \"Via\": \"Instagram DM\", \"Created at\": \"2026-03-02\"}\n";
    let e = read_mapped::<Inquiry>(
        "t.jsonl",
        Format::Jsonl,
        lines.as_bytes(),
        m.file(FileKind::Inquiries),
        &vocab(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(e.errors.len(), 1, "{e}");
    assert!(e.to_string().starts_with("`t.jsonl` row 3, column `Created at` (mapped to `received_at` by map.yaml line 6): `2026-03-02` does not match"), "{e}");
    let ok = read_mapped::<Inquiry>(
        "t.jsonl",
        Format::Jsonl,
        lines.lines().next().unwrap().as_bytes(),
        m.file(FileKind::Inquiries),
        &vocab(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        ok[0].first_response_at.unwrap().to_rfc3339(),
        "2026-03-02T08:20:00+00:00"
    );
}
