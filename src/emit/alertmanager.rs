//! The `alertmanager` target: a complete Alertmanager (0.25+) configuration
//! for one agreement (`NAME.alertmanager.yaml`).
//!
//! Routing follows the labels the Prometheus rules set (see `labels`):
//!
//! ```text
//! root (receiver slac/unrouted)
//! └── agreement="NAME"                         -> NAME/default (communication channels)
//!     ├── escalation="E", severity="TIER"      -> NAME/tier/E/TIER (the tier's notify roles), continue
//!     ├── approval="A", step="S"               -> NAME/approval/A/S (the step's approvers)
//!     ├── owner="ROLE"                         -> NAME/role/ROLE (the goal's owner)
//!     └── escalation="", clock="CAL"           -> NAME/default, in CAL's hours
//! ```
//!
//! Tier routes `continue`, so a goal that escalates reaches its tier and,
//! when it has one, its owner. The default receiver's calendar children
//! match only alerts without `escalation` (those that reached a tier are
//! not sent to the default as well).
//!
//! Each route has a child per calendar its alerts can run on
//! (`clock="CAL"`) that is active only in the calendar's opening hours
//! (`time_intervals` with its `location`) and muted on its closed dates.
//! Inhibit rules let a higher tier of an escalation silence its lower tiers
//! for the same subject only (`equal`: agreement, escalation, goal,
//! incident).

use super::labels as l;
use super::{header, promql, to_yaml};
use crate::model::{Agreement, Calendar, Clock, Contact, ContactKind, Escalation, Tier};
use chrono::Datelike;
use serde::Serialize;

pub const UNROUTED: &str = "slac/unrouted";
/// Placeholders to replace before deploying: `.invalid` names never resolve
/// (RFC 2606), so a forgotten one fails loudly. Port 587 is the mail
/// submission port, where relays offer STARTTLS.
pub const SMTP_SMARTHOST: &str = "smtp.example.invalid:587";
pub const SMTP_FROM: &str = "alertmanager@example.invalid";
/// The labels an inhibition compares: a higher tier silences a lower one
/// only for the same goal or the same incident of the same escalation.
/// Alertmanager reads a missing label as empty, so two incident alerts
/// (no `goal`) compare by `incident`, two goal alerts (no `incident`) by
/// `goal`, and a goal alert never silences an incident alert.
pub const INHIBIT_EQUAL: [&str; 4] = [l::AGREEMENT, l::ESCALATION, l::GOAL, l::INCIDENT];
/// Where Alertmanager reads the Slack webhook URL from (a secret, so not in
/// the generated file).
pub const SLACK_API_URL_FILE: &str = "/etc/alertmanager/secrets/slack_api_url";

#[derive(Serialize)]
struct Config {
    global: Global,
    route: Route,
    receivers: Vec<Receiver>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inhibit_rules: Vec<Inhibit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    time_intervals: Vec<TimeInterval>,
}

#[derive(Serialize)]
struct Global {
    resolve_timeout: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_smarthost: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_from: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    smtp_require_tls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slack_api_url_file: Option<&'static str>,
}

#[derive(Serialize, Default)]
struct Route {
    receiver: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matchers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    group_by: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_wait: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_interval: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat_interval: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    active_time_intervals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mute_time_intervals: Vec<String>,
    #[serde(rename = "continue", skip_serializing_if = "std::ops::Not::not")]
    continue_: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    routes: Vec<Route>,
}

#[derive(Serialize)]
struct Receiver {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_configs: Vec<Email>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    slack_configs: Vec<Slack>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    webhook_configs: Vec<Webhook>,
}

#[derive(Serialize)]
struct Email {
    to: String,
    send_resolved: bool,
}

#[derive(Serialize)]
struct Slack {
    channel: String,
    send_resolved: bool,
}

#[derive(Serialize)]
struct Webhook {
    url: String,
    send_resolved: bool,
}

#[derive(Serialize)]
struct Inhibit {
    source_matchers: Vec<String>,
    target_matchers: Vec<String>,
    equal: Vec<&'static str>,
}

#[derive(Serialize)]
struct TimeInterval {
    name: String,
    time_intervals: Vec<Interval>,
}

#[derive(Serialize, Default)]
struct Interval {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    weekdays: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    times: Vec<Times>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    days_of_month: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    months: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    years: Vec<String>,
    location: String,
}

#[derive(Serialize)]
struct Times {
    start_time: String,
    end_time: String,
}

/// `label="value"`, quoted as Alertmanager's matcher parser reads it.
pub fn matcher(label: &str, value: &str) -> String {
    format!("{}={}", promql::label_name(label), promql::string(value))
}

/// Whether Alertmanager accepts `url` as a webhook URL: http(s) with a host
/// and only characters that need no escaping.
pub fn is_webhook_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c))
}

fn receiver(name: String, contacts: &[&Contact]) -> Receiver {
    let mut r = Receiver {
        name,
        email_configs: Vec::new(),
        slack_configs: Vec::new(),
        webhook_configs: Vec::new(),
    };
    let mut seen: Vec<(ContactKind, &str)> = Vec::new();
    for c in contacts {
        if seen.contains(&(c.kind, c.value.as_str())) {
            continue;
        }
        seen.push((c.kind, &c.value));
        match c.kind {
            // Both fields are Go templates: escaped so they read as written.
            ContactKind::Email => r.email_configs.push(Email {
                to: promql::template_text(&c.value),
                send_resolved: true,
            }),
            ContactKind::Slack => r.slack_configs.push(Slack {
                channel: promql::template_text(&c.value),
                send_resolved: true,
            }),
            // A URL Alertmanager would reject is left out rather than
            // making the whole configuration invalid.
            ContactKind::Webhook if is_webhook_url(&c.value) => r.webhook_configs.push(Webhook {
                url: c.value.clone(),
                send_resolved: true,
            }),
            ContactKind::Webhook => {}
        }
    }
    r
}

fn contacts_of<'a>(a: &'a Agreement, roles: &[String]) -> Vec<&'a Contact> {
    roles
        .iter()
        .filter_map(|r| a.role(r))
        .flat_map(|r| r.contacts.iter())
        .collect()
}

/// Children of a route, one per calendar its alerts can run on (their
/// `clock` label), each active only while that calendar is open.
fn clock_routes(a: &Agreement, receiver: &str, clocks: &[&Clock]) -> Vec<Route> {
    let mut names: Vec<&str> = clocks
        .iter()
        .filter_map(|c| match c {
            Clock::Always => None,
            Clock::Calendar(n) => Some(n.as_str()),
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| a.calendars.get(name).map(|cal| (name, cal)))
        .map(|(name, cal)| Route {
            receiver: receiver.to_string(),
            matchers: vec![matcher(l::CLOCK, name)],
            active_time_intervals: vec![open_interval_name(a, name)],
            mute_time_intervals: if cal.closed.is_empty() {
                Vec::new()
            } else {
                vec![closed_interval_name(a, name)]
            },
            ..Route::default()
        })
        .collect()
}

fn open_interval_name(a: &Agreement, calendar: &str) -> String {
    format!("{}.{calendar}.open", a.name)
}

fn closed_interval_name(a: &Agreement, calendar: &str) -> String {
    format!("{}.{calendar}.closed", a.name)
}

fn route(a: &Agreement, receiver: String, matchers: Vec<String>, clocks: &[&Clock]) -> Route {
    Route {
        routes: clock_routes(a, &receiver, clocks),
        receiver,
        matchers,
        ..Route::default()
    }
}

const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn time_intervals(a: &Agreement, name: &str, cal: &Calendar) -> Vec<TimeInterval> {
    let open = cal
        .open
        .iter()
        .map(|o| {
            let mut days: Vec<u32> = o.days.iter().map(|d| d.num_days_from_sunday()).collect();
            days.sort_unstable();
            days.dedup();
            Interval {
                weekdays: crate::emit::plan::weekdays::runs(&days)
                    .into_iter()
                    .map(|(a, b)| {
                        if a == b {
                            WEEKDAYS[a as usize].to_string()
                        } else {
                            format!("{}:{}", WEEKDAYS[a as usize], WEEKDAYS[b as usize])
                        }
                    })
                    .collect(),
                times: vec![Times {
                    start_time: hhmm(o.start),
                    end_time: hhmm(o.end),
                }],
                location: cal.timezone.name().to_string(),
                ..Interval::default()
            }
        })
        .collect();
    let mut out = vec![TimeInterval {
        name: open_interval_name(a, name),
        time_intervals: open,
    }];
    if !cal.closed.is_empty() {
        // One entry a month: the closed days of that month, in local time.
        let mut months: Vec<((i32, u32), Vec<String>)> = Vec::new();
        for c in &cal.closed {
            let key = (c.date.year(), c.date.month0());
            match months.last_mut() {
                Some((k, days)) if *k == key => days.push(c.date.day().to_string()),
                _ => months.push((key, vec![c.date.day().to_string()])),
            }
        }
        out.push(TimeInterval {
            name: closed_interval_name(a, name),
            time_intervals: months
                .into_iter()
                .map(|((year, month0), days)| Interval {
                    days_of_month: days,
                    months: vec![MONTHS[month0 as usize]],
                    years: vec![year.to_string()],
                    location: cal.timezone.name().to_string(),
                    ..Interval::default()
                })
                .collect(),
        });
    }
    out
}

/// The agreement's own communication channels (email and slack; 0.25 has
/// no Teams integration) as contacts of the default receiver.
fn channel_contacts(a: &Agreement) -> Vec<Contact> {
    a.communication
        .channels
        .iter()
        .filter_map(|c| {
            match c.kind.as_str() {
                "email" => Some(ContactKind::Email),
                "slack" => Some(ContactKind::Slack),
                _ => None,
            }
            .map(|kind| Contact {
                kind,
                value: c.address.clone(),
            })
        })
        .collect()
}

/// The clocks of a tier's alerts: goals escalating to it, and its own
/// incidents.
fn tier_clocks<'a>(a: &'a Agreement, e: &'a Escalation, t: &Tier) -> Vec<&'a Clock> {
    let mut clocks: Vec<&Clock> = a
        .goals
        .iter()
        .filter(|g| {
            g.escalate
                .as_ref()
                .is_some_and(|r| r.escalation == e.id && r.tier == t.id)
        })
        .map(|g| &g.clock)
        .collect();
    if t.acknowledge.is_some() {
        clocks.push(&e.clock);
    }
    clocks
}

/// Tier routes: they `continue`, so an escalating goal also reaches its owner.
fn tier_routes(a: &Agreement, receivers: &mut Vec<Receiver>) -> Vec<Route> {
    let mut routes = Vec::new();
    for e in &a.escalations {
        for t in &e.tiers {
            let name = l::tier_receiver(a, &e.id, &t.id);
            receivers.push(receiver(name.clone(), &contacts_of(a, &t.notify)));
            let matchers = vec![matcher(l::ESCALATION, &e.id), matcher(l::SEVERITY, &t.id)];
            let mut r = route(a, name, matchers, &tier_clocks(a, e, t));
            r.continue_ = true;
            routes.push(r);
        }
    }
    routes
}

fn step_routes(a: &Agreement, receivers: &mut Vec<Receiver>) -> Vec<Route> {
    let mut routes = Vec::new();
    for ap in &a.approvals {
        for s in &ap.steps {
            let name = l::step_receiver(a, &ap.id, &s.id);
            receivers.push(receiver(name.clone(), &contacts_of(a, &s.by)));
            let matchers = vec![matcher(l::APPROVAL, &ap.id), matcher(l::STEP, &s.id)];
            routes.push(route(a, name, matchers, &[&s.clock]));
        }
    }
    routes
}

/// Owner routes: every goal of the owner, escalating or not.
fn owner_routes(a: &Agreement, receivers: &mut Vec<Receiver>) -> Vec<Route> {
    let mut owners: Vec<&str> = a.goals.iter().filter_map(|g| g.owner.as_deref()).collect();
    owners.sort_unstable();
    owners.dedup();
    owners
        .into_iter()
        .map(|owner| {
            let name = l::role_receiver(a, owner);
            receivers.push(receiver(
                name.clone(),
                &contacts_of(a, &[owner.to_string()]),
            ));
            let clocks: Vec<&Clock> = a
                .goals
                .iter()
                .filter(|g| g.owner.as_deref() == Some(owner))
                .map(|g| &g.clock)
                .collect();
            route(a, name, vec![matcher(l::OWNER, owner)], &clocks)
        })
        .collect()
}

/// Within an escalation, each tier silences every lower tier, for the same
/// subject only (`INHIBIT_EQUAL`).
fn inhibit_rules(a: &Agreement) -> Vec<Inhibit> {
    let mut out = Vec::new();
    for e in &a.escalations {
        for (i, higher) in e.tiers.iter().enumerate() {
            for lower in &e.tiers[..i] {
                let m = |tier: &str| {
                    vec![
                        matcher(l::AGREEMENT, &a.name),
                        matcher(l::ESCALATION, &e.id),
                        matcher(l::SEVERITY, tier),
                    ]
                };
                out.push(Inhibit {
                    source_matchers: m(&higher.id),
                    target_matchers: m(&lower.id),
                    equal: INHIBIT_EQUAL.to_vec(),
                });
            }
        }
    }
    out
}

/// The route of the agreement: its specific routes, then, for goals that
/// escalate to no tier and have no owner, the default receiver per clock.
fn agreement_route(a: &Agreement, receivers: &mut Vec<Receiver>) -> Route {
    let mut routes = tier_routes(a, receivers);
    routes.extend(step_routes(a, receivers));
    routes.extend(owner_routes(a, receivers));
    let clocks: Vec<&Clock> = a
        .goals
        .iter()
        .filter(|g| g.escalate.is_none() && g.owner.is_none())
        .map(|g| &g.clock)
        .collect();
    let mut default = route(
        a,
        l::default_receiver(a),
        vec![matcher(l::AGREEMENT, &a.name)],
        &clocks,
    );
    // An alert that reached a tier (and continued) must not end up here too.
    for child in &mut default.routes {
        child.matchers.insert(0, matcher(l::ESCALATION, ""));
    }
    routes.append(&mut default.routes);
    default.routes = routes;
    default
}

/// The header: what to set before deploying.
fn notes(a: &Agreement, email: bool, slack: bool) -> String {
    let mut notes = format!(
        "# Alertmanager configuration of agreement `{}`.\n\
         # Before deploying, replace the placeholders:\n",
        a.name
    );
    if email {
        notes.push_str(&format!(
            "# - global.smtp_smarthost: your mail relay as host:port, in place of\n\
             #   {SMTP_SMARTHOST} (a name that never resolves).\n\
             # - global.smtp_from: a sender address your relay accepts, in place of\n\
             #   {SMTP_FROM}.\n\
             # - global.smtp_require_tls is true, Alertmanager's default: the relay\n\
             #   must offer STARTTLS, or every email fails with \"does not advertise\n\
             #   the STARTTLS extension\". For a relay without TLS (such as a local\n\
             #   MTA on localhost:25) set it to false. If the relay needs a login, add\n\
             #   smtp_auth_username and smtp_auth_password_file.\n"
        ));
    }
    if slack {
        notes.push_str(&format!(
            "# - the Slack incoming-webhook URL (https://hooks.slack.com/services/...):\n\
             #   write it into {SLACK_API_URL_FILE}, readable by Alertmanager.\n"
        ));
    }
    notes.push_str("# Then check the file with `amtool check-config` and reload Alertmanager.\n");
    notes
}

pub fn emit(a: &Agreement, source: &str) -> String {
    let mut receivers = vec![receiver(UNROUTED.into(), &[])];
    // The agreement's own communication channels catch what nothing else routes.
    let channels = channel_contacts(a);
    receivers.push(receiver(
        l::default_receiver(a),
        &channels.iter().collect::<Vec<_>>(),
    ));
    let agreement = agreement_route(a, &mut receivers);
    let any = |kind: ContactKind| {
        receivers.iter().any(|r| match kind {
            ContactKind::Email => !r.email_configs.is_empty(),
            ContactKind::Slack => !r.slack_configs.is_empty(),
            ContactKind::Webhook => !r.webhook_configs.is_empty(),
        })
    };
    let (email, slack) = (any(ContactKind::Email), any(ContactKind::Slack));
    let config = Config {
        global: Global {
            resolve_timeout: "5m",
            smtp_smarthost: email.then_some(SMTP_SMARTHOST),
            smtp_from: email.then_some(SMTP_FROM),
            smtp_require_tls: email.then_some(true),
            slack_api_url_file: slack.then_some(SLACK_API_URL_FILE),
        },
        route: Route {
            receiver: UNROUTED.into(),
            group_by: vec![l::AGREEMENT, "alertname", l::GOAL],
            group_wait: Some("30s"),
            group_interval: Some("5m"),
            repeat_interval: Some("4h"),
            routes: vec![agreement],
            ..Route::default()
        },
        receivers,
        inhibit_rules: inhibit_rules(a),
        time_intervals: a
            .calendars
            .iter()
            .flat_map(|(name, cal)| time_intervals(a, name, cal))
            .collect(),
    };
    format!(
        "{}{}{}",
        header(source),
        notes(a, email, slack),
        to_yaml(&config)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_alertmanager_accepts() {
        assert!(is_webhook_url("https://hooks.harbour.example/northwind"));
        assert!(is_webhook_url("http://localhost:9095/x?y=1"));
        assert!(!is_webhook_url("ftp://x"));
        assert!(!is_webhook_url("https://"));
        assert!(!is_webhook_url("https://a/{{ .Values }}"));
        assert!(!is_webhook_url("https://a/b c"));
    }

    #[test]
    fn matchers_quote_their_values() {
        assert_eq!(matcher("severity", "minor"), r#"severity="minor""#);
        assert_eq!(matcher("goal", r#"a"}or"#), r#"goal="a\"}or""#);
    }
}
