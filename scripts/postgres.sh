#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster (installing it first when missing) and
# makes a role and database for the tests of slac's shared store. Prints
# the URL to connect with; scripts/test.sh exports it as SLAC_TEST_POSTGRES.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-install.sh pg_ctlcluster:postgresql >&2
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
psql_q() { as_postgres psql -p "$port" -qtAc "$1"; }
[ "$(psql_q "SELECT 1 FROM pg_roles WHERE rolname = 'slac_test'")" = 1 ] ||
  psql_q "CREATE ROLE slac_test LOGIN PASSWORD 'slac_test'" >&2
[ "$(psql_q "SELECT 1 FROM pg_database WHERE datname = 'slac_test'")" = 1 ] ||
  as_postgres createdb -p "$port" -O slac_test slac_test >&2
echo "postgres://slac_test:slac_test@127.0.0.1:$port/slac_test"
