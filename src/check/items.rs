//! Checks the items other than agreements: holiday sets, enumerations,
//! calendars and metric declarations. Their checked values go into the
//! module's scope for agreements (and importers) to use.

use super::values::{self, weekday};
use super::{EnumValues, ItemKind, Lookup, ModuleId, Session};
use crate::diagnostics::{suggest, tick, Code, Diagnostic};
use crate::model::{self, ClosedDate, EventSource, MetricKind, OpenHours, Series};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, CalendarClause, ClosedEntry, Item, MetricClause};
use chrono::Weekday;
use std::collections::BTreeMap;

pub(super) fn check_items(s: &mut Session, m: ModuleId, file: FileId, ast: &ast::File) {
    let mut diags = Vec::new();
    // Holiday sets and enums first: calendars and goals refer to them.
    for item in &ast.items {
        match &item.kind {
            Item::Holidays(h) => {
                let v = holiday_set(file, h, &mut diags);
                if let Some(d) = s.modules[m.0].holidays.get_mut(&h.name.text) {
                    d.value.get_or_insert(v);
                }
            }
            Item::Enum(e) => {
                let v = enum_values(file, e, &mut diags);
                if let Some(d) = s.modules[m.0].enums.get_mut(&e.name.text) {
                    d.value.get_or_insert(v);
                }
            }
            _ => {}
        }
    }
    for item in &ast.items {
        match &item.kind {
            Item::Calendar(c) => {
                let v = calendar(s, m, file, item, c, &mut diags);
                if let Some(d) = s.modules[m.0].calendars.get_mut(&c.name.text) {
                    if d.span == c.name.span {
                        d.value = v;
                    }
                }
            }
            Item::Metric(md) => {
                let v = metric(file, item, md, &mut diags);
                if let Some(d) = s.modules[m.0].metrics.get_mut(&md.name.text) {
                    if d.span == md.name.span {
                        d.value = v;
                    }
                }
            }
            _ => {}
        }
    }
    s.diagnostics.extend(diags);
}

fn holiday_set(file: FileId, h: &ast::HolidaySet, diags: &mut Vec<Diagnostic>) -> Vec<ClosedDate> {
    let mut seen: BTreeMap<chrono::NaiveDate, Span> = BTreeMap::new();
    let mut out = Vec::new();
    for day in &h.days {
        match values::date(file, &day.kind.date) {
            Ok(date) => {
                if let Some(first) = seen.get(&date) {
                    diags.push(
                        Diagnostic::new(
                            Code::E0209,
                            format!("date {} is listed twice", tick(&day.kind.date.text)),
                            file,
                            day.kind.date.span,
                        )
                        .label("listed again here")
                        .with_secondary(file, *first, "first listed here")
                        .help("remove one of the entries"),
                    );
                    continue;
                }
                seen.insert(date, day.kind.date.span);
                out.push(ClosedDate {
                    date,
                    name: Some(day.kind.name.value.clone()),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    out.sort_by_key(|c| c.date);
    out
}

fn enum_values(file: FileId, e: &ast::EnumDecl, diags: &mut Vec<Diagnostic>) -> EnumValues {
    let mut values: Vec<String> = Vec::new();
    for v in &e.values {
        if let Some(first) = e
            .values
            .iter()
            .find(|o| o.text == v.text && o.span != v.span)
        {
            if first.span.start < v.span.start {
                diags.push(
                    Diagnostic::new(
                        Code::E0209,
                        format!("duplicate value {}", tick(&v.text)),
                        file,
                        v.span,
                    )
                    .label("listed again here")
                    .with_secondary(file, first.span, "first listed here")
                    .help("remove the duplicate"),
                );
                continue;
            }
        }
        values.push(v.text.clone());
    }
    EnumValues {
        ordered: e.ordered,
        values,
    }
}

/// Reports a clause that may appear only once.
pub(super) fn once<K>(
    file: FileId,
    seen: &mut BTreeMap<&'static str, Span>,
    what: &'static str,
    node: &ast::Node<K>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(first) = seen.get(what) {
        diags.push(
            Diagnostic::new(
                Code::E0317,
                format!("`{what}` is given twice"),
                file,
                node.span,
            )
            .label("given again here")
            .with_secondary(file, *first, "first given here")
            .help(format!("keep one `{what}` clause")),
        );
        return false;
    }
    seen.insert(what, node.span);
    true
}

pub(super) fn missing(
    file: FileId,
    span: Span,
    what: &str,
    owner: &str,
    example: &str,
) -> Diagnostic {
    Diagnostic::new(Code::E0316, format!("{owner} has no `{what}`"), file, span)
        .label(format!("`{what}` is required here"))
        .help(format!("add `{example}`"))
}

/// Checks a time zone name against tzdb.
pub(super) fn time_zone(
    file: FileId,
    tz: &ast::Str,
    diags: &mut Vec<Diagnostic>,
) -> Option<chrono_tz::Tz> {
    if let Ok(zone) = tz.value.parse::<chrono_tz::Tz>() {
        return Some(zone);
    }
    let help = match suggest::time_zone(&tz.value) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "use an IANA time zone name like `Europe/Berlin` or `America/New_York`".into(),
    };
    diags.push(
        Diagnostic::new(
            Code::E0308,
            format!("unknown time zone {}", tick(&tz.value)),
            file,
            tz.span,
        )
        .label("not in the time zone database")
        .help(help),
    );
    None
}

fn day_range(from: Weekday, to: Weekday) -> Vec<Weekday> {
    let mut days = vec![from];
    let mut d = from;
    while d != to {
        d = d.succ();
        days.push(d);
    }
    days
}

fn calendar(
    s: &Session,
    m: ModuleId,
    file: FileId,
    item: &ast::Node<Item>,
    c: &ast::Calendar,
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Calendar> {
    let mut ok = true;
    let mut seen = BTreeMap::new();
    let mut timezone = None;
    let mut open: Vec<(OpenHours, Span)> = Vec::new();
    let mut closed: BTreeMap<chrono::NaiveDate, Option<String>> = BTreeMap::new();
    for clause in &c.clauses {
        match &clause.kind {
            CalendarClause::Timezone(tz) => {
                if once(file, &mut seen, "timezone", clause, diags) {
                    timezone = time_zone(file, tz, diags);
                    ok &= timezone.is_some();
                }
            }
            CalendarClause::Open { days, start, end } => {
                let start_min = values::time_of_day(file, start, false);
                let end_min = values::time_of_day(file, end, true);
                let (start_min, end_min) = match (start_min, end_min) {
                    (Ok(a), Ok(b)) => (a, b),
                    (a, b) => {
                        diags.extend(a.err());
                        diags.extend(b.err());
                        ok = false;
                        continue;
                    }
                };
                if start_min == end_min {
                    diags.push(
                        Diagnostic::new(
                            Code::E0306,
                            format!("opening hours `{}-{}` are empty", start.text, end.text),
                            file,
                            start.span.to(end.span),
                        )
                        .label("starts and ends at the same time")
                        .help("give the hours a length, like `09:00-17:00`, or remove the line"),
                    );
                    ok = false;
                    continue;
                }
                if start_min > end_min {
                    diags.push(
                        Diagnostic::new(
                            Code::E0306,
                            format!("opening hours `{}-{}` end before they start", start.text, end.text),
                            file,
                            start.span.to(end.span),
                        )
                        .label("the end must be later than the start")
                        .help("hours cannot cross midnight: split them into two `open` lines, one ending at `24:00`"),
                    );
                    ok = false;
                    continue;
                }
                let mut list: Vec<Weekday> = Vec::new();
                for d in days {
                    let from = weekday(&d.from.text);
                    let to = d.to.as_ref().map_or(from, |t| weekday(&t.text));
                    list.extend(day_range(from, to));
                }
                open.push((
                    OpenHours {
                        days: list,
                        start: start_min,
                        end: end_min,
                    },
                    clause.span,
                ));
            }
            CalendarClause::Closed(entries) => {
                for e in entries {
                    match e {
                        ClosedEntry::Date(lit) => match values::date(file, lit) {
                            Ok(d) => {
                                closed.entry(d).or_insert(None);
                            }
                            Err(d) => {
                                diags.push(d);
                                ok = false;
                            }
                        },
                        ClosedEntry::Set(name) => {
                            match s.lookup(
                                m,
                                file,
                                name,
                                ItemKind::Holidays,
                                |m| &m.holidays,
                                diags,
                            ) {
                                Lookup::Found(decl) => {
                                    for h in decl.value.iter().flatten() {
                                        closed.entry(h.date).or_insert_with(|| h.name.clone());
                                    }
                                }
                                Lookup::Missing => ok = false,
                            }
                        }
                    }
                }
            }
        }
    }
    if !seen.contains_key("timezone") {
        diags.push(missing(
            file,
            c.name.span,
            "timezone",
            &format!("calendar {}", tick(&c.name.text)),
            "timezone \"Europe/Berlin\"",
        ));
        ok = false;
    }
    if open.is_empty() && ok {
        diags.push(
            Diagnostic::new(
                Code::E0315,
                format!("calendar {} is never open", tick(&c.name.text)),
                file,
                c.name.span,
            )
            .label("no `open` line")
            .help(
                "add opening hours like `open mon-fri 09:00-17:00`, or use the built-in `always`",
            ),
        );
        ok = false;
    }
    ok &= check_overlaps(file, &open, diags);
    if !ok {
        return None;
    }
    Some(model::Calendar {
        name: c.name.text.clone(),
        title: c.title.as_ref().map(|t| t.value.clone()),
        description: item.doc_text(),
        timezone: timezone?,
        open: open.into_iter().map(|(o, _)| o).collect(),
        closed: closed
            .into_iter()
            .map(|(date, name)| ClosedDate { date, name })
            .collect(),
    })
}

/// No two `open` lines (nor one line with a repeated day) may cover the same
/// minute of the same weekday.
fn check_overlaps(file: FileId, open: &[(OpenHours, Span)], diags: &mut Vec<Diagnostic>) -> bool {
    let mut ok = true;
    for (i, (a, span_a)) in open.iter().enumerate() {
        for (b, span_b) in &open[..=i] {
            let same = std::ptr::eq(a, b);
            let shared: Vec<Weekday> = if same {
                let mut dup = Vec::new();
                for (k, d) in a.days.iter().enumerate() {
                    if a.days[..k].contains(d) && !dup.contains(d) {
                        dup.push(*d);
                    }
                }
                dup
            } else {
                a.days
                    .iter()
                    .filter(|d| b.days.contains(d))
                    .copied()
                    .collect()
            };
            if shared.is_empty() || (!same && (a.end <= b.start || b.end <= a.start)) {
                continue;
            }
            let days = shared
                .iter()
                .map(|d| crate::model::DayKeyword::keyword(*d))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = Diagnostic::new(
                Code::E0307,
                format!("opening hours overlap on {days}"),
                file,
                *span_a,
            )
            .help("merge the overlapping hours into one `open` line, or make them disjoint");
            d = if same {
                d.label("this line names a day twice")
            } else {
                d.label("overlaps an earlier line").with_secondary(
                    file,
                    *span_b,
                    "the earlier line",
                )
            };
            diags.push(d);
            ok = false;
        }
    }
    ok
}

fn metric(
    file: FileId,
    item: &ast::Node<Item>,
    md: &ast::MetricDecl,
    diags: &mut Vec<Diagnostic>,
) -> Option<model::Metric> {
    let mut seen = BTreeMap::new();
    let (mut kind, mut events, mut measure, mut series) = (None, None, None, None);
    let mut numerator = None;
    let mut denominators: Vec<Series> = Vec::new();
    let mut labels = Vec::new();
    let mut ok = true;
    for clause in &md.clauses {
        match &clause.kind {
            MetricClause::Kind(k) => {
                if once(file, &mut seen, "kind", clause, diags) {
                    kind = match k.text.as_str() {
                        "latency" => Some(MetricKind::Latency),
                        "ratio" => Some(MetricKind::Ratio),
                        "count" => Some(MetricKind::Count),
                        _ => {
                            diags.push(unknown_value(
                                file,
                                k,
                                "metric kind",
                                &["latency", "ratio", "count"],
                            ));
                            ok = false;
                            None
                        }
                    }
                }
            }
            MetricClause::Events(e) => {
                if once(file, &mut seen, "events", clause, diags) {
                    events = EventSource::ALL.into_iter().find(|s| s.keyword() == e.text);
                    if events.is_none() {
                        let names: Vec<&str> =
                            EventSource::ALL.iter().map(|s| s.keyword()).collect();
                        diags.push(unknown_value(file, e, "event source", &names));
                        ok = false;
                    }
                }
            }
            MetricClause::Measure { from, to } => {
                if once(file, &mut seen, "measure", clause, diags) {
                    measure = Some((from.text.clone(), to.text.clone()));
                }
            }
            MetricClause::Series(s) => {
                if once(file, &mut seen, "series", clause, diags) {
                    series = Some(s.value.clone());
                }
            }
            MetricClause::Numerator { name, series } => {
                if once(file, &mut seen, "numerator", clause, diags) {
                    numerator = Some(Series {
                        name: name.text.clone(),
                        series: series.value.clone(),
                    });
                }
            }
            MetricClause::Denominator { name, series } => {
                if denominators.iter().any(|d| d.name == name.text) {
                    diags.push(
                        Diagnostic::new(
                            Code::E0209,
                            format!("duplicate denominator {}", tick(&name.text)),
                            file,
                            name.span,
                        )
                        .label("declared again here")
                        .help("give each denominator its own name"),
                    );
                    ok = false;
                }
                denominators.push(Series {
                    name: name.text.clone(),
                    series: series.value.clone(),
                });
            }
            MetricClause::Labels(names) => {
                if once(file, &mut seen, "labels", clause, diags) {
                    labels = names.iter().map(|n| n.text.clone()).collect();
                }
            }
            MetricClause::Unit(_) => {
                once(file, &mut seen, "unit", clause, diags);
            }
        }
    }
    let what = format!("metric {}", tick(&md.name.text));
    let Some(kind) = kind else {
        if ok {
            diags.push(missing(file, md.name.span, "kind", &what, "kind latency"));
        }
        return None;
    };
    let Some(events) = events else {
        if ok {
            diags.push(missing(
                file,
                md.name.span,
                "events",
                &what,
                "events inquiries",
            ));
        }
        return None;
    };
    let wrong = |msg: String, help: &str| {
        Diagnostic::new(Code::E0320, msg, file, md.name.span)
            .label(format!("this {} metric", kind.keyword()))
            .help(help.to_string())
    };
    match kind {
        MetricKind::Latency if measure.is_none() => {
            diags.push(wrong(
                format!("latency {what} needs a `measure`"),
                "add the event fields it measures between, like `measure received_at to first_response_at`",
            ));
            return None;
        }
        MetricKind::Latency if series.is_none() => {
            diags.push(wrong(
                format!("latency {what} needs a `series`"),
                "add the Prometheus histogram it reads, like `series \"my_latency_seconds\"`",
            ));
            return None;
        }
        MetricKind::Count if series.is_none() => {
            diags.push(wrong(
                format!("count {what} needs a `series`"),
                "add `series \"counter_name\"`",
            ));
            return None;
        }
        MetricKind::Ratio if numerator.is_none() || denominators.is_empty() => {
            diags.push(wrong(
                format!("ratio {what} needs a `numerator` and a `denominator`"),
                "add `numerator good \"good_total\"` and `denominator all \"all_total\"`",
            ));
            return None;
        }
        _ => {}
    }
    if !ok {
        return None;
    }
    Some(model::Metric {
        name: md.name.text.clone(),
        title: md.title.value.clone(),
        description: item.doc_text(),
        kind,
        events,
        measure,
        series,
        numerator,
        denominators,
        labels,
    })
}

/// "unknown VALUE_KIND `x`" with a suggestion from the allowed values.
pub(super) fn unknown_value(
    file: FileId,
    name: &ast::Name,
    what: &str,
    allowed: &[&str],
) -> Diagnostic {
    let help = suggest::did_you_mean_or_list(&name.text, allowed, "expected one of");
    Diagnostic::new(
        Code::E0212,
        format!("unknown {what} {}", tick(&name.text)),
        file,
        name.span,
    )
    .label(format!("not a known {what}"))
    .help(help)
}
