#!/usr/bin/env bash
# Runs every test of slac. Installs what the suite needs first (Debian
# packages via apt-get, editor tooling via npm and cargo), so a fresh machine
# passes. Slow parts: the first Rust build (~4 min), the tree-sitter CLI
# install on a fresh machine (~4 min, skipped when present), the fuzz build
# (~5 min the first time), the fuzz run (~4 min) and tests/live_e2e.rs
# (~3 min: real Prometheus and Alertmanager, waiting for real `for`s).
set -euo pipefail
cd "$(dirname "$0")/.."

# A test that needs an external tool fails instead of skipping.
export SLAC_REQUIRE_TOOLS=1

section() { printf '\n== %s ==\n' "$1"; }

section "tools"
bash scripts/apt-install.sh promtool:prometheus amtool:prometheus-alertmanager chromium:chromium pdfinfo:poppler-utils
echo "promtool: $(promtool --version 2>&1 | head -1)"
echo "amtool:   $(amtool --version 2>&1 | head -1)"
echo "chromium: $(chromium --version 2>/dev/null || echo missing)"
echo "poppler:  $(pdfinfo -v 2>&1 | head -1)"
# JSON Schema and SARIF validators (ajv) used by tests/schemas.rs.
npm ci --prefix tests/tools --silent --no-audit --no-fund

# The shared store of `slac serve` is tested against a real PostgreSQL
# server (tests/serve.rs); this starts Debian's cluster and makes a database.
export SLAC_TEST_POSTGRES="$(bash scripts/postgres.sh)"
echo "postgres: $SLAC_TEST_POSTGRES"

section "format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

section "rust tests"
# --no-fail-fast: one failing suite must not hide the failures of the others.
cargo test --all-targets --quiet --no-fail-fast

section "fuzz (20 s a target)"
# Builds the fuzz targets (a few minutes the first time) and runs each one
# briefly; FUZZ_SECONDS=600 scripts/fuzz.sh is the long run (docs/fuzzing.md).
bash scripts/fuzz.sh

if [ -f editors/test.sh ]; then
  section "editor grammars and extension"
  bash editors/test.sh
fi

section "done"
echo "all tests passed"
