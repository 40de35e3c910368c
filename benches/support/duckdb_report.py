"""The DuckDB peer of `slac report` in benches/run.sh.

Over the same inquiries.csv it computes the nearest aggregate to the
`first_response` goal of examples/acme-social.sla that plain SQL allows:
per local month (Europe/Berlin) of `received_at`, among the inquiries that
require a response on x, facebook or instagram by dm, mention or
public_comment, how many have a first response within one hour of
wall-clock time, out of all of them (unanswered ones count as misses).
Unlike slac it counts wall-clock, not business hours (no calendar,
holidays or exclusion windows), has no as-of (nothing is pending), checks
no id, platform or timestamp, and computes one goal, not five.

    python duckdb_report.py inquiries.csv
"""

import sys

import duckdb

QUERY = """
SELECT strftime(timezone('Europe/Berlin', received_at), '%Y-%m') AS month,
       count(*) FILTER (WHERE first_response_at IS NOT NULL
                        AND first_response_at - received_at <= INTERVAL 1 HOUR) AS good,
       count(*) AS total
FROM read_csv(?, header = true, columns = {
    'id': 'VARCHAR', 'platform': 'VARCHAR', 'channel': 'VARCHAR',
    'priority': 'VARCHAR', 'audience': 'VARCHAR',
    'received_at': 'TIMESTAMPTZ', 'first_response_at': 'TIMESTAMPTZ',
    'resolved_at': 'TIMESTAMPTZ', 'requires_response': 'BOOLEAN'})
WHERE requires_response
  AND platform IN ('x', 'facebook', 'instagram')
  AND channel IN ('dm', 'mention', 'public_comment')
GROUP BY month
ORDER BY month
"""

for month, good, total in duckdb.execute(QUERY, [sys.argv[1]]).fetchall():
    print(f"{month} {good}/{total}")
