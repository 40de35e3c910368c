//! The JSON report: the `Report` itself, serialized with a stable schema
//! (`slac-report/v1`, documented in docs/report.md). Fields only ever get
//! added within a schema version.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("the report serializes");
    s.push('\n');
    s
}
