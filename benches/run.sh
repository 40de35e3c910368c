#!/usr/bin/env bash
# Times whole slac commands with hyperfine, side by side with a reference,
# on a generated workspace, and measures peak memory with GNU time. Writes
# everything under target/bench/ and prints the figures BENCHMARKS.md quotes.
#
#   benches/run.sh                       # 200,000 lines, the figures in BENCHMARKS.md
#   SLAC_BENCH_LINES=20000 benches/run.sh   # a quick look
#
# Installs hyperfine, GNU time, jq and promtool (Debian packages hyperfine,
# time, jq, prometheus) when missing. Takes about 4 minutes on 2 cores,
# a quarter of it promtool validating the generated rules.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${SLAC_BENCH_LINES:-200000}
RUNS=${SLAC_BENCH_RUNS:-10}
# promtool takes tens of seconds per run on the full workspace.
PROMTOOL_RUNS=${SLAC_BENCH_PROMTOOL_RUNS:-3}
OUT=target/bench
WS=$OUT/workspace
started=$(date +%s)

section() { printf '\n== %s ==\n' "$1"; }

section "tools"
bash scripts/apt-install.sh hyperfine:hyperfine /usr/bin/time:time jq:jq promtool:prometheus
hyperfine --version
promtool --version 2>&1 | head -1

section "build"
cargo build --release --quiet --bin slac --example gen_workspace --example serve_bench
SLAC=$PWD/target/release/slac

section "workspace"
mkdir -p "$OUT"
target/release/examples/gen_workspace "$WS" --lines "$LINES" | tee "$OUT/workspace.txt"
bytes=$(find "$WS" -name '*.sla' -print0 | xargs -0 cat | wc -c)
"$SLAC" check "$WS" --deny-warnings
# The rules promtool validates: produced once here, timed below.
rm -rf "$OUT/prometheus" "$OUT/all"
"$SLAC" build "$WS" --target prometheus --out "$OUT/prometheus" 2>/dev/null
rules=$(promtool check rules "$OUT"/prometheus/*.prometheus.yaml | awk '/SUCCESS/ { n += $2 } END { print n }')
echo "the workspace compiles to $rules Prometheus rules"

# `slac build` keeps OUT/.slac-build-cache.json and compiles again only the
# agreements that changed: a figure of compiling everything removes it first.
uncached() { echo "rm -f $1/.slac-build-cache.json &&"; }

# hyperfine NAME... -- COMMANDS: one comparison, exported as JSON and markdown.
bench() {
  local name=$1 runs=$2
  shift 2
  hyperfine --style basic --warmup 1 --runs "$runs" \
    --export-json "$OUT/$name.json" --export-markdown "$OUT/$name.md" "$@"
}
# mean seconds of command number $2 in $OUT/$1.json
mean() { jq ".results[$2].mean" "$OUT/$1.json"; }

section "200,000-line workspace: check and build --target all"
bench workspace "$RUNS" \
  -n "bare read of the sources" "find $WS -name '*.sla' -exec cat {} + >/dev/null" \
  -n "slac check" "$SLAC check $WS" \
  -n "slac build --target all" "$(uncached $OUT/all) $SLAC build $WS --target all --force --out $OUT/all"

section "check + build all on tmpfs (/dev/shm), rebuilding over a previous output"
SHM=$(mktemp -d /dev/shm/slac-bench.XXXXXX)
trap 'rm -rf "$SHM"' EXIT
cp -r "$WS" "$SHM/ws"
"$SLAC" build "$SHM/ws" --target all --out "$SHM/all" 2>/dev/null
bench tmpfs "$RUNS" \
  -n "bare read of the sources (tmpfs)" "find $SHM/ws -name '*.sla' -exec cat {} + >/dev/null" \
  -n "slac check + build all (tmpfs)" "$SLAC check $SHM/ws && $SLAC build $SHM/ws --target all --out $SHM/all"

section "check + build all on disk, rebuilding over a previous output"
bench disk "$RUNS" \
  -n "slac check + build all (disk)" "$SLAC check $WS && $SLAC build $WS --target all --out $OUT/all" \
  -n "slac check + build all (disk), every agreement compiled" "$SLAC check $WS && $(uncached $OUT/all) $SLAC build $WS --target all --out $OUT/all"

section "slac fmt --check vs slac check on the same input"
bench fmt "$RUNS" \
  -n "slac check" "$SLAC check $WS" \
  -n "slac fmt --check" "$SLAC fmt --check $WS"

section "slac build --target prometheus vs promtool check rules on its output"
bench prometheus "$PROMTOOL_RUNS" \
  -n "slac build --target prometheus" "$(uncached $OUT/prometheus) $SLAC build $WS --target prometheus --force --out $OUT/prometheus" \
  -n "promtool check rules" "promtool check rules $OUT/prometheus/*.prometheus.yaml >/dev/null"

section "cold check of examples/acme-social.sla"
bench acme 50 -N \
  -n "slac --version (process start)" "$SLAC --version" \
  -n "slac check examples/acme-social.sla" "$SLAC check examples/acme-social.sla"

section "peak memory"
rss() { # peak resident set in KB of a command
  /usr/bin/time -f "%M" -o "$OUT/rss.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$OUT/rss.txt" # after "Command exited with non-zero status" if any
}
rss_check=$(rss "$SLAC" check "$WS")
rm -f "$OUT/all/.slac-build-cache.json"
rss_build=$(rss "$SLAC" build "$WS" --target all --force --out "$OUT/all")
rm -f "$OUT/all/.slac-build-cache.json"
/usr/bin/time -v "$SLAC" build "$WS" --target all --force --out "$OUT/all" 2>"$OUT/time-v-build-all.txt" >/dev/null || true

section "one big file: peak memory, and slac diff vs checking both sides"
# The whole workspace as one agreement file (the shared modules stay
# imported): every agreement body after the same four imports. NEW moves
# every `target 90%` to `target 95%`, so diff has hundreds of changes to name.
BIG=$OUT/big/agreements/all
rm -rf "$OUT/big"
mkdir -p "$BIG"
cp -r "$WS/shared" "$WS/slac.toml" "$OUT/big/"
{
  printf 'import "std/holidays" as holidays\nimport "../../shared/calendars.sla" as cal\n'
  printf 'import "../../shared/holidays.sla" as agency\nimport "../../shared/metrics.sla" as m\n'
  find "$WS/agreements" -name '*.sla' | sort | xargs grep -hv '^import '
} >"$BIG/old.sla"
sed 's/target 90%/target 95%/' "$BIG/old.sla" >"$BIG/new.sla"
big_bytes=$(wc -c <"$BIG/old.sla")
"$SLAC" check "$BIG/old.sla" --deny-warnings
rss_big_check=$(rss "$SLAC" check "$BIG/old.sla")
rm -rf "$OUT/big-out"
rss_big_build=$(rss "$SLAC" build "$BIG/old.sla" --target all --force --out "$OUT/big-out")
# `slac diff` exits 1 when something changed: hyperfine must not call that a failure.
bench diff "$RUNS" -i \
  -n "slac check OLD && slac check NEW" "$SLAC check $BIG/old.sla && $SLAC check $BIG/new.sla" \
  -n "slac diff OLD NEW" "$SLAC diff $BIG/old.sla $BIG/new.sla --color never"
rss_diff=$(rss "$SLAC" diff "$BIG/old.sla" "$BIG/new.sla" --color never)

section "scaling: time and peak memory from 20k to 400k lines"
# wall seconds and peak KB of one command, as "S KB"
wall_rss() {
  /usr/bin/time -f "%e %M" -o "$OUT/wall_rss.txt" "$@" >/dev/null 2>&1
  cat "$OUT/wall_rss.txt"
}
{
  echo "| lines | source bytes | check s | check peak | build all s | build all peak |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for n in 20000 50000 100000 200000 400000; do
    ws=$OUT/scale-$n
    rm -rf "$ws" "$ws.out"
    target/release/examples/gen_workspace "$ws" --lines "$n" >/dev/null
    b=$(find "$ws" -name '*.sla' -print0 | xargs -0 cat | wc -c)
    read -r cs ck <<<"$(wall_rss "$SLAC" check "$ws")"
    read -r bs bk <<<"$(wall_rss "$SLAC" build "$ws" --target all --out "$ws.out")"
    jq -rn --argjson n "$n" --argjson b "$b" --argjson cs "$cs" --argjson ck "$ck" \
      --argjson bs "$bs" --argjson bk "$bk" '
      def x: . * 10 | round / 10 | tostring + "x";
      "| \($n) | \($b) | \($cs) | \($ck / 1024 | round) MB = \($ck * 1024 / $b | x) | \($bs) | \($bk / 1024 | round) MB = \($bk * 1024 / $b | x) |"'
    rm -rf "$ws" "$ws.out"
  done
} | tee "$OUT/scaling.md"

section "phase timings of one build --target all"
rm -f "$OUT/all/.slac-build-cache.json"
"$SLAC" build "$WS" --target all --force --out "$OUT/all" --timings 2>&1 | sed -n '/^timings:/,$p' | tee "$OUT/timings.txt"

section "slac serve: ingest, scrape and memory"
# 100 agreements, a million events posted in batches, then 200 scrapes
# (about two minutes); SLAC_BENCH_SERVE_EVENTS=100000 for a quick look.
target/release/examples/serve_bench "$SLAC" "$OUT/serve" --agreements 100 \
  --events "${SLAC_BENCH_SERVE_EVENTS:-1000000}" | tee "$OUT/serve.txt"

# ---- slac report (begin) ---------------------------------------------------
# `slac report` over generated inquiries (100k, 1M, 10M rows by default; set
# SLAC_BENCH_REPORT_ROWS="100000 1000000" for a quicker look) against DuckDB
# computing the nearest SQL aggregate (benches/support/duckdb_report.py says
# exactly what) on the same file, in the same hyperfine run; peak RSS per
# size with GNU time. The other data files are examples/data's.
section "slac report: rows/s, DuckDB, scaling"
cargo build --release --quiet --example gen_inquiries
[ -x "$OUT/venv/bin/python" ] || python3 -m venv "$OUT/venv"
"$OUT/venv/bin/python" -c 'import duckdb' 2>/dev/null ||
  "$OUT/venv/bin/python" -m pip install --quiet duckdb
echo "duckdb $("$OUT/venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
REPORT_RUNS=${SLAC_BENCH_REPORT_RUNS:-3}
: >"$OUT/report-scaling.txt"
for rows in ${SLAC_BENCH_REPORT_ROWS:-100000 1000000 10000000}; do
  dir=$OUT/report-$rows
  [ -s "$dir/inquiries.csv" ] || target/release/examples/gen_inquiries "$dir" --rows "$rows"
  cp examples/data/{posts,approvals,incidents,exclusions}.csv "$dir/"
  bench "report-$rows" "$REPORT_RUNS" \
    -n "slac report, $rows rows" "$SLAC report examples/acme-social.sla --data $dir --format json --out $dir/report.json --force" \
    -n "duckdb, $rows rows" "$OUT/venv/bin/python benches/support/duckdb_report.py $dir/inquiries.csv >/dev/null"
  rss_report=$(rss "$SLAC" report examples/acme-social.sla --data "$dir" --format json)
  # CPU seconds (user + system) too: on a shared machine wall time waits.
  cpu() { jq ".results[$2].user + .results[$2].system" "$OUT/$1.json"; }
  echo "$rows $(mean "report-$rows" 0) $(mean "report-$rows" 1) $rss_report $(cpu "report-$rows" 0) $(cpu "report-$rows" 1)" >>"$OUT/report-scaling.txt"
done
{
  echo "| rows | slac report | rows/s | DuckDB | slac / DuckDB | CPU: slac / DuckDB | peak RSS | RSS per row |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  while read -r rows slac duck kb scpu dcpu; do
    jq -rn --argjson rows "$rows" --argjson s "$slac" --argjson d "$duck" --argjson kb "$kb" \
      --argjson sc "$scpu" --argjson dc "$dcpu" '
      def r2: . * 100 | round / 100;
      "| \($rows) | \($s * 1000 | round) ms | \($rows / $s | round) | \($d * 1000 | round) ms | \($s / $d | r2)x | \($sc | r2) s / \($dc | r2) s = \($sc / $dc | r2)x | \($kb / 1024 | round) MB | \($kb * 1024 / $rows | round) B |"'
  done <"$OUT/report-scaling.txt"
} | tee "$OUT/report-summary.md"
# ---- slac report (end) -----------------------------------------------------

section "figures"
read_s=$(mean workspace 0)
check_s=$(mean workspace 1)
all_s=$(mean workspace 2)
shm_read_s=$(mean tmpfs 0)
shm_both_s=$(mean tmpfs 1)
disk_both_s=$(mean disk 0)
disk_full_s=$(mean disk 1)
fmt_check_s=$(mean fmt 0)
fmt_s=$(mean fmt 1)
both_s=$(mean diff 0)
diff_s=$(mean diff 1)
prom_s=$(mean prometheus 0)
promtool_s=$(mean prometheus 1)
version_s=$(mean acme 0)
acme_s=$(mean acme 1)
{
  echo "| figure | measured | target | met |"
  echo "| --- | --- | --- | --- |"
  jq -rn --argjson read "$read_s" --argjson check "$check_s" --argjson all "$all_s" \
    --argjson prom "$prom_s" --argjson promtool "$promtool_s" \
    --argjson version "$version_s" --argjson acme "$acme_s" \
    --argjson bytes "$bytes" --argjson rss_check "$rss_check" --argjson rss_build "$rss_build" \
    --argjson lines "$LINES" --argjson rules "$rules" \
    --argjson shm_read "$shm_read_s" --argjson shm_both "$shm_both_s" --argjson disk_both "$disk_both_s" --argjson disk_full "$disk_full_s" \
    --argjson fmt_check "$fmt_check_s" --argjson fmt "$fmt_s" \
    --argjson big_bytes "$big_bytes" --argjson rss_big_check "$rss_big_check" \
    --argjson rss_big_build "$rss_big_build" --argjson rss_diff "$rss_diff" \
    --argjson both "$both_s" --argjson diff "$diff_s" '
    def ms: . * 1000 | . * 10 | round / 10 | tostring + " ms";
    def x: . * 100 | round / 100 | tostring + "x";
    def yes($ok): if $ok then "yes" else "no" end;
    "| slac check, \($lines) lines | \($check | ms) (\($check / $read | x) a bare read) | | |",
    "| slac build --target all | \($all | ms) | | |",
    "| check + build all, on disk over a previous output of the same sources (build cache) | \($disk_both | ms) (\($disk_both / $read | x) a bare read) | < 1000 ms | \(yes($disk_both < 1)) |",
    "| check + build all, on disk over a previous output, every agreement compiled (no build cache) | \($disk_full | ms) | | |",
    "| check + build all, tmpfs over a previous output of the same sources (build cache) | \($shm_both | ms) (\($shm_both / $shm_read | x) a bare read) | < 500 ms | \(yes($shm_both < 0.5)) |",
    "| slac fmt --check / slac check | \($fmt | ms) / \($fmt_check | ms) = \($fmt / $fmt_check | x) | < 2x | \(yes($fmt < 2 * $fmt_check)) |",
    "| peak RSS, check | \($rss_check / 1024 | round) MB = \($rss_check * 1024 / $bytes | x) the source | < 10x | \(yes($rss_check * 1024 < 10 * $bytes)) |",
    "| peak RSS, build all | \($rss_build / 1024 | round) MB = \($rss_build * 1024 / $bytes | x) the source | < 10x | \(yes($rss_build * 1024 < 10 * $bytes)) |",
    "| peak RSS, check of one \($big_bytes) B file | \($rss_big_check / 1024 | round) MB = \($rss_big_check * 1024 / $big_bytes | x) the source | < 10x | \(yes($rss_big_check * 1024 < 10 * $big_bytes)) |",
    "| peak RSS, build all of one \($big_bytes) B file | \($rss_big_build / 1024 | round) MB = \($rss_big_build * 1024 / $big_bytes | x) the source | < 10x | \(yes($rss_big_build * 1024 < 10 * $big_bytes)) |",
    "| slac diff OLD NEW / check OLD && check NEW (one big file each) | \($diff | ms) / \($both | ms) = \($diff / $both | x); peak \($rss_diff / 1024 | round) MB | < 2x | \(yes($diff < 2 * $both)) |",
    "| build --target prometheus / promtool check rules (\($rules) rules) | \($prom | ms) / \($promtool | ms) = \($prom / $promtool | x) | < 0.05x | \(yes($prom < 0.05 * $promtool)) |",
    "| cold slac check examples/acme-social.sla | \($acme | ms) (process start alone \($version | ms)) | < 10 ms | \(yes($acme < 0.010)) |"
  '
  sed -n 's/^row: //p' "$OUT/serve.txt"
  echo
  cat "$OUT/scaling.md"
  echo
  echo "source: $bytes bytes; workspace: $(cat "$OUT/workspace.txt")"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(rustc --version), $(date -u +%Y-%m-%d)"
  echo "script time: $(( $(date +%s) - started )) s"
} | tee "$OUT/summary.md"
