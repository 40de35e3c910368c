//! Contact addresses: `email`, `slack` and `webhook` in roles, and the
//! addresses of `communication { channel ... }`. They travel into
//! Alertmanager receivers, so each must be exactly one address of its kind:
//! `email "a@x.example, evil@y.example"` would quietly add a recipient.

use crate::diagnostics::{tick, Code, Diagnostic};
use crate::source::FileId;
use crate::syntax::ast::{ContactKind, Str};

/// The longest Slack channel name Slack allows.
const MAX_SLACK_NAME: usize = 80;

/// Checks one address; `None` when it is fine.
pub fn check(file: FileId, kind: ContactKind, s: &Str) -> Option<Diagnostic> {
    let value = s.value.as_str();
    let (code, what, reason, help) = match kind {
        ContactKind::Email => (
            Code::E0323,
            "an email address",
            email(value).err()?,
            "write one address per `email` clause, like `care@agency.example`; give a second role or contact for a second recipient",
        ),
        ContactKind::Slack => (
            Code::E0324,
            "a Slack channel",
            slack(value).err()?,
            "write a channel as `#name` (lowercase letters, digits, `-` and `_`, at most 80) or as its id, like `C024BE91L`",
        ),
        ContactKind::Webhook => (
            Code::E0325,
            "a webhook URL",
            webhook(value).err()?,
            "write an absolute `https://` URL with a host, like `https://hooks.agency.example/care`; percent-encode spaces and other special characters",
        ),
    };
    let shown = crate::text::visible(value);
    Some(
        Diagnostic::new(code, format!("{} is not {what}", tick(shown)), file, s.span)
            .label(reason)
            .help(help),
    )
}

/// One `local@domain` address, without display names, comments, quoting or
/// lists.
pub fn email(s: &str) -> Result<(), String> {
    if let Some(c) = s.chars().find(|c| matches!(c, ',' | ';')) {
        return Err(format!("{} separates addresses: give one", tick(c)));
    }
    common(s)?;
    if let Some(c) = s
        .chars()
        .find(|c| matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\\' | ':'))
    {
        return Err(format!(
            "{} is not allowed: give the bare address, without a name",
            tick(c)
        ));
    }
    let (local, domain) = s
        .rsplit_once('@')
        .ok_or("no `@` between the mailbox and the domain")?;
    if local.contains('@') {
        return Err("more than one `@`".into());
    }
    if local.is_empty() {
        return Err("nothing before the `@`".into());
    }
    if local.len() > 64 {
        return Err("the part before the `@` is longer than 64 bytes".into());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("a dot at the start or end of the mailbox, or two in a row".into());
    }
    host(domain, false)
}

/// `#channel-name` or a channel id (`C024BE91L`).
pub fn slack(s: &str) -> Result<(), String> {
    common(s)?;
    if let Some(name) = s.strip_prefix('#') {
        if name.is_empty() {
            return Err("no name after `#`".into());
        }
        if name.chars().count() > MAX_SLACK_NAME {
            return Err(format!("longer than {MAX_SLACK_NAME} characters after `#`"));
        }
        return match name
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '_'))
        {
            None => Ok(()),
            Some(c) if c.is_uppercase() => Err("Slack channel names are lowercase".into()),
            Some(c) => Err(format!("{} cannot be in a channel name", tick(c))),
        };
    }
    let id = s.len() >= 9
        && s.len() <= 20
        && matches!(s.as_bytes()[0], b'C' | b'G')
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if id {
        Ok(())
    } else {
        Err("neither `#name` nor a channel id".into())
    }
}

/// An absolute `http://` or `https://` URL with a host.
pub fn webhook(s: &str) -> Result<(), String> {
    common(s)?;
    let lower = s.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return Err("not an `https://` or `http://` URL".into());
    };
    if let Some(c) = s.chars().find(|c| {
        !c.is_ascii() || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    }) {
        return Err(format!("{} must be percent-encoded in a URL", tick(c)));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = match authority.rsplit_once('@') {
        Some((_, h)) => h,
        None => authority,
    };
    let (host_part, port) = if host_port.starts_with('[') {
        match host_port.split_once(']') {
            Some((h, p)) => (&h[1..], p.strip_prefix(':')),
            None => return Err("an unclosed `[` in the host".into()),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err() {
            return Err(format!("{} is not a port", tick(p)));
        }
    }
    if host_port.starts_with('[') {
        if host_part.is_empty()
            || !host_part
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'))
        {
            return Err("not an IPv6 address between `[` and `]`".into());
        }
        return Ok(());
    }
    host(host_part, true)
}

/// Whitespace and control characters are never part of an address.
fn common(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_control() || crate::text::is_hidden_control(*c))
    {
        return Err(format!(
            "the control character {} is not allowed",
            tick(c.escape_unicode())
        ));
    }
    if s.chars().any(char::is_whitespace) {
        return Err("spaces are not allowed".into());
    }
    Ok(())
}

/// A domain name: dot-separated labels of letters, digits and `-` (any
/// script, for internationalised domains), none empty.
fn host(h: &str, url: bool) -> Result<(), String> {
    if h.is_empty() {
        return Err(if url {
            "no host"
        } else {
            "nothing after the `@`"
        }
        .into());
    }
    if h.len() > 253 {
        return Err("the domain is longer than 253 bytes".into());
    }
    for label in h.split('.') {
        if label.is_empty() {
            return Err("an empty part in the domain (a dot too many)".into());
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a domain part starts or ends with `-`".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_alphanumeric() || *c == '-' || (url && *c == '%')))
        {
            return Err(format!("{} cannot be in a domain", tick(c)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "care@bright.example",
            "a.b+tag@sub.x.example",
            "o'brien@x.io",
            "jürgen@müller.de",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in [
            "a@x, evil@y",
            "a@x;b@y",
            "Name <a@x>",
            "a@x evil@y",
            "a",
            "@x",
            "a@",
            "a@@x",
            "a@b@x",
            ".a@x",
            "a..b@x",
            "a@x..y",
            "a@-x",
            "a@x\nBcc: e@y",
            "a@x\u{202e}",
            "\"a b\"@x",
            "",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn slack_channels() {
        for ok in ["#acme-care", "#a_b-9", "C024BE91L", "G0123456789"] {
            assert_eq!(slack(ok), Ok(()), "{ok}");
        }
        for bad in [
            "#",
            "acme",
            "#Acme",
            "#a b",
            "#a,#b",
            "#a.b",
            "c024be91l",
            "@user",
            &format!("#{}", "a".repeat(81)),
        ] {
            assert!(slack(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn webhooks() {
        for ok in [
            "https://hooks.bright.example/acme",
            "http://localhost:9093/api?x=1#f",
            "HTTPS://x.example",
            "https://[::1]:8080/",
            "https://user@x.example/a%20b",
        ] {
            assert_eq!(webhook(ok), Ok(()), "{ok}");
        }
        for bad in [
            "hooks.example/x",
            "ftp://x.example",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://x.example/a b",
            "https://x.example/\u{1b}[2J",
            "https://x.example:99999/",
            "https://x.example:/",
            "https://x..example/",
            "https://x.example/<script>",
            "https://[zz]/",
        ] {
            assert!(webhook(bad).is_err(), "{bad:?}");
        }
    }
}
