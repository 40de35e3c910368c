//! A document: headings, paragraphs, tables, lists and charts made of
//! typed spans. The compliance report (`report::layout`) and the contract
//! (`render`) decide what they say as a `Document`, once; `markdown` and
//! `html` only decide how a span or a block looks. So the formats carry
//! the same sections and the same numbers by construction (and
//! `tests/report_formats.rs` checks that they do).

pub mod histogram;
pub mod html;
pub mod markdown;
pub mod svg;

use std::borrow::Cow;
use svg::Chart;

/// A piece of inline text.
#[derive(Clone, Debug)]
pub enum Span {
    /// Plain text, escaped by each renderer.
    Text(String),
    /// An identifier, a keyword or a file name, shown as code.
    Code(String),
    /// Emphasised text: a target, an amount owed.
    Strong(String),
    /// A verdict (met, missed, no data), coloured in HTML and emphasised
    /// in Markdown when bad.
    Badge(Badge),
    /// Text that links to a heading's anchor in formats that have links.
    Link { anchor: String, text: String },
    /// Text a redline deletes.
    Removed(String),
    /// Text a redline inserts.
    Inserted(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

#[derive(Clone, Copy, Debug)]
pub struct Badge {
    pub label: &'static str,
    pub tone: Tone,
}

/// A run of spans: a paragraph's text or a table cell.
#[derive(Clone, Debug, Default)]
pub struct Line(pub Vec<Span>);

impl Line {
    pub fn new() -> Line {
        Line(Vec::new())
    }

    pub fn text(s: impl Into<String>) -> Line {
        Line(vec![Span::Text(s.into())])
    }

    pub fn code(s: impl Into<String>) -> Line {
        Line(vec![Span::Code(s.into())])
    }

    /// Text in which `backticks` mark code spans: the form the report's
    /// notes are written in.
    pub fn ticked(s: &str) -> Line {
        let mut line = Line::new();
        for (i, part) in s.split('`').enumerate() {
            match (i % 2, part.is_empty()) {
                (_, true) => {}
                (0, false) => line = line.t(part),
                _ => line = line.c(part),
            }
        }
        line
    }

    /// Appends plain text.
    pub fn t(mut self, s: impl Into<String>) -> Line {
        self.0.push(Span::Text(s.into()));
        self
    }

    /// Appends code.
    pub fn c(mut self, s: impl Into<String>) -> Line {
        self.0.push(Span::Code(s.into()));
        self
    }

    /// Appends emphasised text.
    pub fn b(mut self, s: impl Into<String>) -> Line {
        self.0.push(Span::Strong(s.into()));
        self
    }

    pub fn push(mut self, span: Span) -> Line {
        self.0.push(span);
        self
    }

    pub fn extend(mut self, other: Line) -> Line {
        self.0.extend(other.0);
        self
    }
}

impl From<String> for Line {
    fn from(s: String) -> Line {
        Line::text(s)
    }
}

impl From<&str> for Line {
    fn from(s: &str) -> Line {
        Line::text(s)
    }
}

/// A table column: its title and whether it holds numbers (right-aligned
/// where the format can align).
#[derive(Clone, Debug)]
pub struct Column {
    pub title: Cow<'static, str>,
    pub numeric: bool,
}

pub const fn col(title: &'static str) -> Column {
    Column {
        title: Cow::Borrowed(title),
        numeric: false,
    }
}

pub const fn num(title: &'static str) -> Column {
    Column {
        title: Cow::Borrowed(title),
        numeric: true,
    }
}

pub enum Block {
    /// Level 1 is the title; `anchor` is the id a `Span::Link` points to.
    Heading {
        level: u8,
        line: Line,
        anchor: Option<String>,
    },
    Paragraph(Line),
    /// Key-value rows without a header: the report's front matter.
    Facts(Vec<(&'static str, Line)>),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<Line>>,
    },
    Items(Vec<Line>),
    /// A chart of what the table after it lists; formats without pictures
    /// leave it out, since the same numbers are in that table.
    Chart(Chart),
    /// A histogram of what the table after it lists; left out like a chart.
    Histogram(histogram::Histogram),
    /// The closing line, set apart from the body.
    Footer(Line),
}

pub struct Document {
    /// The title as plain text, for the HTML `<title>`.
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn heading(&mut self, level: u8, line: impl Into<Line>) {
        self.blocks.push(Block::Heading {
            level,
            line: line.into(),
            anchor: None,
        });
    }

    pub fn paragraph(&mut self, line: impl Into<Line>) {
        self.blocks.push(Block::Paragraph(line.into()));
    }

    pub fn table(&mut self, columns: &[Column], rows: Vec<Vec<Line>>) {
        self.blocks.push(Block::Table {
            columns: columns.to_vec(),
            rows,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_text_splits_code_spans() {
        let l = Line::ticked("1 window(s) (`client_delay`, `x`) did not stop");
        let kinds: Vec<String> =
            l.0.iter()
                .map(|s| match s {
                    Span::Text(t) => format!("t:{t}"),
                    Span::Code(c) => format!("c:{c}"),
                    _ => unreachable!(),
                })
                .collect();
        assert_eq!(
            kinds,
            [
                "t:1 window(s) (",
                "c:client_delay",
                "t:, ",
                "c:x",
                "t:) did not stop"
            ]
        );
    }
}
