//! A `Document` as one self-contained HTML page (inline CSS and SVG, no
//! script, nothing fetched), ready to print. Every string is escaped, and
//! hidden control characters are written out as in the Markdown.

use super::svg::{self, escape};
use super::{Badge, Block, Column, Document, Line, Span, Tone};
use std::fmt::Write;

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{margin-top:1.6rem}
table{border-collapse:collapse;margin:.6rem 0 1rem}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;font-size:.9rem}
th{background:#f5f5f5}th.num,td.num{text-align:right;white-space:nowrap}.meta td:first-child{font-weight:600}
.status{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.8rem;font-weight:600}
.met{background:#e8f5e9;color:#1b5e20}.missed{background:#ffebee;color:#b71c1c}.no_data{background:#eee;color:#555}
.muted{color:#666;font-size:.9rem}
del{background:#ffebee;color:#b71c1c}ins{background:#e8f5e9;color:#1b5e20;text-decoration:underline}
svg.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}
.running{color:#666;font-size:.75rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-bottom:1rem}
@page{size:A4;margin:18mm 16mm 20mm}
@media print{body{margin:0;max-width:none;padding:0}.running{display:none}
h2,h3{break-after:avoid}tr,svg.chart{break-inside:avoid}}
";

/// A CSS string literal of `s`: every character but letters, digits and a
/// few safe marks is a hex escape, so no text can close the string or the
/// style element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | ',' | ':' | '(' | ')' | '-' | '_') {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", c as u32);
        }
    }
    out.push('"');
    out
}

/// The printed pages' margins: the running line at the foot of every page
/// and the page number.
fn page_margins(running: &str) -> String {
    format!(
        "@page{{@bottom-left{{content:{};font:8pt system-ui,sans-serif;color:#666}}@bottom-right{{content:counter(page) \" / \" counter(pages);font:8pt system-ui,sans-serif;color:#666}}}}",
        css_string(running)
    )
}

/// What a page carries besides its document.
pub struct Page<'a> {
    /// slac's version, for the generator tag.
    pub generator: &'a str,
    /// A line printed at the foot of every page (CSS page margin boxes)
    /// and shown once at the top on screen.
    pub running: Option<&'a str>,
}

pub fn write(d: &Document, page: &Page) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"slac {}\"><title>{}</title><style>{STYLE}{}</style></head><body>\n",
        escape(page.generator),
        escape(&d.title),
        page.running.map(page_margins).unwrap_or_default()
    );
    if let Some(running) = page.running {
        let _ = writeln!(o, "<div class=\"running\">{}</div>", escape(running));
    }
    for block in &d.blocks {
        write_block(&mut o, block);
        o.push('\n');
    }
    o.push_str("</body></html>\n");
    crate::text::visible(&o).into_owned()
}

fn write_block(o: &mut String, block: &Block) {
    match block {
        Block::Heading {
            level,
            line,
            anchor,
        } => {
            let id = anchor
                .as_ref()
                .map(|a| format!(" id=\"{}\"", escape(a)))
                .unwrap_or_default();
            let _ = write!(o, "<h{level}{id}>{}</h{level}>", inline(line));
        }
        Block::Paragraph(line) => {
            let _ = write!(o, "<p>{}</p>", inline(line));
        }
        Block::Facts(facts) => {
            o.push_str("<table class=\"meta\">");
            for (key, value) in facts {
                let _ = write!(o, "<tr><td>{key}</td><td>{}</td></tr>", inline(value));
            }
            o.push_str("</table>");
        }
        Block::Table { columns, rows } => table(o, columns, rows),
        Block::Items(items) => {
            o.push_str("<ul>");
            for item in items {
                let _ = write!(o, "<li>{}</li>", inline(item));
            }
            o.push_str("</ul>");
        }
        Block::Chart(chart) => o.push_str(&svg::render(chart)),
        Block::Histogram(h) => o.push_str(&super::histogram::render(h)),
        Block::Footer(line) => {
            let _ = write!(o, "<hr><p class=\"muted\">{}</p>", inline(line));
        }
    }
}

fn table(o: &mut String, columns: &[Column], rows: &[Vec<Line>]) {
    let class = |c: &Column| if c.numeric { " class=\"num\"" } else { "" };
    // A header in <thead> repeats on every printed page the table spans.
    o.push_str("<table><thead><tr>");
    for c in columns {
        let _ = write!(o, "<th{}>{}</th>", class(c), escape(&c.title));
    }
    o.push_str("</tr></thead><tbody>");
    for row in rows {
        o.push_str("<tr>");
        for (c, cell) in columns.iter().zip(row) {
            let _ = write!(o, "<td{}>{}</td>", class(c), inline(cell));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
}

fn inline(line: &Line) -> String {
    let mut s = String::new();
    for span in &line.0 {
        match span {
            Span::Text(t) => s.push_str(&escape(t)),
            Span::Code(c) => {
                let _ = write!(s, "<code>{}</code>", escape(c));
            }
            Span::Strong(t) => {
                let _ = write!(s, "<strong>{}</strong>", escape(t));
            }
            Span::Badge(b) => s.push_str(&badge(*b)),
            Span::Removed(t) => {
                let _ = write!(s, "<del>{}</del>", escape(t));
            }
            Span::Inserted(t) => {
                let _ = write!(s, "<ins>{}</ins>", escape(t));
            }
            Span::Link { anchor, text } => {
                let _ = write!(s, "<a href=\"#{}\">{}</a>", escape(anchor), escape(text));
            }
        }
    }
    s
}

fn badge(b: Badge) -> String {
    let class = match b.tone {
        Tone::Good => "met",
        Tone::Bad => "missed",
        Tone::Neutral => "no_data",
    };
    format!(r#"<span class="status {class}">{}</span>"#, escape(b.label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("a\"b</style><script>\\ · x");
        assert_eq!(
            s,
            "\"a\\22 b\\3c \\2f style\\3e \\3c script\\3e \\5c  \\b7  x\""
        );
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>']));
    }
}
