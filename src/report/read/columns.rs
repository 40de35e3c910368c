//! Each column a row parser reads, by its position in the file kind's
//! `columns()` (required, then optional) and its name for messages: a cell
//! is found by index, not by comparing names per cell. The positions are
//! checked against `FileKind::columns` by a test.

/// One column of a file kind: where `Cells` holds it, and its name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Col {
    pub at: usize,
    pub name: &'static str,
}

macro_rules! cols {
    ($($c:ident = $at:literal $name:literal),* $(,)?) => {
        $(pub(crate) const $c: Col = Col { at: $at, name: $name };)*
        /// Every column above, for the test against `FileKind::columns`.
        #[cfg(test)]
        pub(crate) const ALL: &[Col] = &[$($c),*];
    };
}

/// The `id` column: the first of every file kind that has one.
pub(crate) const ID: Col = Col { at: 0, name: "id" };

pub(crate) mod inquiry {
    use super::Col;
    cols!(ID = 0 "id", PLATFORM = 1 "platform", CHANNEL = 2 "channel",
        PRIORITY = 3 "priority", AUDIENCE = 4 "audience", RECEIVED_AT = 5 "received_at",
        FIRST_RESPONSE_AT = 6 "first_response_at", RESOLVED_AT = 7 "resolved_at",
        REQUIRES_RESPONSE = 8 "requires_response");
}

pub(crate) mod post {
    use super::Col;
    cols!(ID = 0 "id", PLATFORM = 1 "platform", AUDIENCE = 2 "audience",
        PUBLISHED_AT = 3 "published_at", IMPRESSIONS = 4 "impressions", REACH = 5 "reach",
        ENGAGEMENTS = 6 "engagements", FOLLOWERS = 7 "followers", TAGS = 8 "tags");
}

pub(crate) mod approval {
    use super::Col;
    cols!(POST_ID = 0 "post_id", STEP = 1 "step", REQUESTED_AT = 2 "requested_at",
        DECIDED_AT = 3 "decided_at", DECISION = 4 "decision", APPROVAL = 5 "approval");
}

pub(crate) mod incident {
    use super::Col;
    cols!(ID = 0 "id", TIER = 1 "tier", DETECTED_AT = 2 "detected_at",
        ACKNOWLEDGED_AT = 3 "acknowledged_at", RESOLVED_AT = 4 "resolved_at",
        PLATFORM = 5 "platform");
}

pub(crate) mod exclusion {
    use super::Col;
    cols!(KIND = 0 "kind", PLATFORM = 1 "platform", START = 2 "start", END = 3 "end");
}

pub(crate) mod message {
    use super::Col;
    cols!(INQUIRY = 0 "inquiry", AT = 1 "at", KIND = 2 "kind", DIRECTION = 3 "direction",
        AUTHOR = 4 "author");
}

pub(crate) mod wait {
    use super::Col;
    cols!(INQUIRY = 0 "inquiry", ON = 1 "on", FROM = 2 "from", TO = 3 "to");
}

#[cfg(test)]
mod tests {
    use super::super::FileKind;
    use super::*;

    #[test]
    fn positions_match_the_file_kinds_columns() {
        let kinds = [
            (FileKind::Inquiries, inquiry::ALL),
            (FileKind::Posts, post::ALL),
            (FileKind::Approvals, approval::ALL),
            (FileKind::Incidents, incident::ALL),
            (FileKind::Exclusions, exclusion::ALL),
            (FileKind::Messages, message::ALL),
            (FileKind::Waits, wait::ALL),
        ];
        for (kind, cols) in kinds {
            let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
            assert_eq!(names, kind.columns(), "{kind:?}");
            for (i, c) in cols.iter().enumerate() {
                assert_eq!(c.at, i, "{kind:?} {}", c.name);
            }
            if kind.required().contains(&"id") {
                assert_eq!(kind.columns()[ID.at], ID.name, "{kind:?}");
            }
        }
    }
}
