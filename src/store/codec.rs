//! Events as the store keeps them: a key that makes a later event replace an
//! earlier one, and a body that is the event's `.jsonl` object, read back
//! through the report's own reader.

use super::{Record, Store};
use crate::model::Agreement;
use crate::report::events::{Data, Event, Time};
use crate::report::read::{self, DataError, FileKind, Vocabulary};
use chrono::SecondsFormat;
use serde_json::{Map, Value};

/// The data file an event belongs to.
pub fn file_kind(ev: &Event) -> FileKind {
    match ev {
        Event::Inquiry(_) => FileKind::Inquiries,
        Event::Post(_) => FileKind::Posts,
        Event::Approval(_) => FileKind::Approvals,
        Event::Incident(_) => FileKind::Incidents,
        Event::Exclusion(_) => FileKind::Exclusions,
        Event::Message(_) => FileKind::Messages,
        Event::Wait(_) => FileKind::Waits,
    }
}

/// A file kind from its stem (`inquiries`).
pub fn kind_of_stem(stem: &str) -> Option<FileKind> {
    FileKind::ALL.into_iter().find(|k| k.stem() == stem)
}

fn time(t: Time) -> Value {
    Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

fn opt_time(t: Option<Time>) -> Value {
    t.map(time).unwrap_or(Value::Null)
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// The event as the JSON object a `.jsonl` data file would hold.
pub fn to_json(ev: &Event) -> Map<String, Value> {
    let pairs: Vec<(&str, Value)> = match ev {
        Event::Inquiry(i) => vec![
            ("id", text(&i.id)),
            ("platform", text(&i.platform)),
            ("channel", text(&i.channel)),
            ("priority", text(&i.priority)),
            ("audience", text(&i.audience)),
            ("received_at", time(i.received_at)),
            ("first_response_at", opt_time(i.first_response_at)),
            ("resolved_at", opt_time(i.resolved_at)),
            ("requires_response", Value::Bool(i.requires_response)),
        ],
        Event::Post(p) => vec![
            ("id", text(&p.id)),
            ("platform", text(&p.platform)),
            ("audience", text(&p.audience)),
            ("published_at", time(p.published_at)),
            ("impressions", p.impressions.into()),
            ("reach", p.reach.into()),
            ("engagements", p.engagements.into()),
            ("followers", p.followers.into()),
            ("tags", p.tags.iter().map(|t| text(t)).collect()),
        ],
        Event::Approval(a) => vec![
            ("post_id", text(&a.post_id)),
            ("approval", text(&a.approval)),
            ("step", text(&a.step)),
            ("requested_at", time(a.requested_at)),
            ("decided_at", opt_time(a.decided_at)),
            ("decision", text(&a.decision)),
        ],
        Event::Incident(i) => vec![
            ("id", text(&i.id)),
            ("tier", text(&format!("{}.{}", i.escalation, i.tier))),
            ("detected_at", time(i.detected_at)),
            ("acknowledged_at", opt_time(i.acknowledged_at)),
            ("resolved_at", opt_time(i.resolved_at)),
            ("platform", text(&i.platform)),
        ],
        Event::Exclusion(w) => vec![
            ("kind", text(w.kind.keyword())),
            ("platform", text(&w.platform)),
            ("start", time(w.start)),
            ("end", time(w.end)),
        ],
        Event::Message(m) => vec![
            ("inquiry", text(&m.inquiry)),
            ("at", time(m.at)),
            ("kind", text(m.kind.keyword())),
            (
                "direction",
                m.direction.map_or(Value::Null, |d| text(d.keyword())),
            ),
            (
                "author",
                m.author.map_or(Value::Null, |a| text(a.keyword())),
            ),
        ],
        Event::Wait(w) => vec![
            ("inquiry", text(&w.inquiry)),
            ("on", text(w.on.keyword())),
            ("from", time(w.from)),
            ("to", opt_time(w.to)),
        ],
    };
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The key that identifies an event within its agreement and kind.
pub fn key(ev: &Event) -> String {
    match ev {
        Event::Inquiry(i) => i.id.clone(),
        Event::Post(p) => p.id.clone(),
        Event::Incident(i) => i.id.clone(),
        Event::Approval(a) => format!("{}.{}\u{1f}{}", a.approval, a.step, a.post_id),
        Event::Exclusion(w) => format!(
            "{}\u{1f}{}\u{1f}{}",
            w.kind.keyword(),
            w.platform,
            w.start.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        ),
        // Two rows of one conversation at one instant of one kind are the
        // same row sent twice.
        Event::Message(m) => format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
            m.inquiry,
            m.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            m.kind.keyword(),
            m.direction.map_or("", |d| d.keyword())
        ),
        Event::Wait(w) => format!(
            "{}\u{1f}{}\u{1f}{}",
            w.inquiry,
            w.on.keyword(),
            w.from.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        ),
    }
}

/// The record the store keeps for an event of agreement `a`.
pub fn record(a: &Agreement, ev: &Event) -> Record {
    // A wait or a message is kept at its own instant, never before its
    // inquiry's: a scan from an instant brings those of every inquiry it
    // brings (and maybe some of older ones, `load_data` drops them).
    let start = crate::report::live::start_of(ev).or(match ev {
        Event::Wait(w) => Some(w.from),
        Event::Message(m) => Some(m.at),
        _ => None,
    });
    Record {
        agreement: a.name.clone(),
        kind: file_kind(ev).stem().to_string(),
        key: key(ev),
        body: Value::Object(to_json(ev)).to_string(),
        start_us: start.map(|t| t.timestamp_micros()),
        open: is_open(a, ev),
    }
}

/// Whether a live gauge of agreement `a` may still measure `ev`: an
/// approval step undecided, an incident unacknowledged, or an open item of
/// a goal with `warn at`. Nothing else is open, so a scrape reads only the
/// events it measures, however many answered inquiries the store holds.
pub fn is_open(a: &Agreement, ev: &Event) -> bool {
    match ev {
        Event::Approval(r) if r.decided_at.is_none() => true,
        Event::Incident(i) if i.acknowledged_at.is_none() => true,
        Event::Inquiry(_) | Event::Approval(_) | Event::Incident(_) => {
            crate::report::warn_live::watched(a, ev)
        }
        _ => false,
    }
}

/// Whether events of a stored kind can be open at all (a rebuild parses
/// only those again to set their flag).
pub fn may_be_open(stem: &str) -> bool {
    matches!(
        kind_of_stem(stem),
        Some(FileKind::Inquiries | FileKind::Approvals | FileKind::Incidents)
    )
}

/// A stored body read back as a typed event; `row` numbers it in errors.
pub fn parse(stem: &str, body: &str, row: u64, vocab: &Vocabulary) -> Result<Event, DataError> {
    let file = format!("store:{stem}");
    let kind = kind_of_stem(stem).ok_or_else(|| DataError::new(&file, "unknown kind of event"))?;
    let map: Map<String, Value> = serde_json::from_str(body)
        .map_err(|e| DataError::new(&file, format!("a stored event is not a JSON object: {e}")))?;
    read::event_from_json(kind, &file, row, &map, vocab)
}

/// Every stored event of `agreement` that started at or after `since_us`
/// (all when `None`), as the report's `Data`.
pub fn load_data(
    store: &mut dyn Store,
    agreement: &crate::model::Agreement,
    since_us: Option<i64>,
) -> Result<Data, String> {
    let vocab = Vocabulary::for_agreement(agreement);
    let mut data = Data::default();
    // Rows are numbered within each kind, in the order of their start.
    let mut rows: std::collections::BTreeMap<String, u64> = Default::default();
    let mut failed: Option<DataError> = None;
    let mut each = |stem: &str, body: &str| {
        let row = rows.entry(stem.to_string()).or_default();
        *row += 1;
        match parse(stem, body, *row, &vocab) {
            Ok(ev) => push(&mut data, ev),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    };
    store
        .scan(&agreement.name, &[], since_us, &mut each)
        .map_err(|e| e.to_string())?;
    if let Some(e) = failed {
        return Err(format!(
            "{e}\nhelp: the store holds an event the agreement no longer accepts"
        ));
    }
    if since_us.is_some() {
        // Waits and messages of inquiries received before `since_us` are
        // not cases of these periods.
        let ids: std::collections::HashSet<&str> =
            data.inquiries.rows.iter().map(|q| q.id.as_str()).collect();
        let (waits, messages) = (
            std::mem::take(&mut data.waits.rows),
            std::mem::take(&mut data.messages.rows),
        );
        let keep_w: Vec<_> = waits
            .into_iter()
            .filter(|w| ids.contains(w.inquiry.as_str()))
            .collect();
        let keep_m: Vec<_> = messages
            .into_iter()
            .filter(|m| ids.contains(m.inquiry.as_str()))
            .collect();
        data.waits.rows = keep_w;
        data.messages.rows = keep_m;
    }
    for kind in FileKind::ALL {
        let name = Some(format!("store:{}", kind.stem()));
        match kind {
            FileKind::Inquiries => data.inquiries.file = name,
            FileKind::Posts => data.posts.file = name,
            FileKind::Approvals => data.approvals.file = name,
            FileKind::Incidents => data.incidents.file = name,
            FileKind::Exclusions => data.exclusions.file = name,
            // Named only when the store holds some, as a data directory
            // without `messages.csv` has none.
            FileKind::Messages if data.messages.rows.is_empty() => {}
            FileKind::Messages => data.messages.file = name,
            FileKind::Waits => data.waits.file = name,
        }
    }
    Ok(data)
}

/// Adds an event to the table of its kind.
pub fn push(data: &mut Data, ev: Event) {
    match ev {
        Event::Inquiry(i) => data.inquiries.rows.push(i),
        Event::Post(p) => data.posts.rows.push(p),
        Event::Approval(a) => data.approvals.rows.push(a),
        Event::Incident(i) => data.incidents.rows.push(i),
        Event::Exclusion(w) => data.exclusions.rows.push(w),
        Event::Message(m) => data.messages.rows.push(m),
        Event::Wait(w) => data.waits.rows.push(w),
    }
}
