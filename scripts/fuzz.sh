#!/usr/bin/env bash
# Fuzzes slac with cargo-fuzz on the stable toolchain: every target (or the
# ones named as arguments) runs for FUZZ_SECONDS, one after the other. Any
# crash, hang (FUZZ_TIMEOUT) or memory blow-up (FUZZ_RSS_MB) fails the run;
# the input is kept in fuzz/artifacts/TARGET/. Prints executions, duration
# and corpus size per target. See docs/fuzzing.md.
#
#   scripts/fuzz.sh                          # the short run of scripts/test.sh
#   FUZZ_SECONDS=600 scripts/fuzz.sh check   # a long run of one target
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-20}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
# A fixed seed makes the short run in scripts/test.sh repeat the same
# mutations, so CI does not pass or fail by chance; FUZZ_SEED=0 lets
# libFuzzer pick one (long runs, new ground).
fuzz_seed=${FUZZ_SEED:-1}
all=(parse check fmt emit_rules emit_prometheus emit_alertmanager emit_openslo diff report render lsp_wire data_files)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

# cargo-fuzz needs nightly flags (-Zsanitizer and friends); stable accepts
# them with RUSTC_BOOTSTRAP. Without a sanitizer libFuzzer still finds
# panics, hangs and memory blow-ups, which is what slac must never do.
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Seeds: every .sla file in the repository, plus inputs in each target's
# format (NUL separates the files of one input). Copied on every run, never
# committed; what the fuzzer adds stays in fuzz/corpus/ between runs.
seed() { # seed TARGET NAME < contents
  mkdir -p "fuzz/corpus/$1"
  cat >"fuzz/corpus/$1/seed-$2"
}
sla_files=$(find examples stdlib tests/corpus -name '*.sla' | sort)
# An agreement with its imports: main.sla, then a.sla, then lib/b.sla.
with_imports() { # with_imports MAIN 'sed script' [A [B]]
  sed "$2" "$1"
  for f in "${@:3}"; do printf '\0'; [ -n "$f" ] && cat "$f"; done
}
for t in "${targets[@]}"; do
  case $t in
    parse | check | fmt | emit_* | render)
      for f in $sla_files; do
        seed "$t" "$(echo "$f" | tr / _)" <"$f"
      done
      with_imports examples/acme-social.sla 's#"calendars.sla"#"a.sla"#' examples/calendars.sla |
        seed "$t" acme-with-imports
      with_imports examples/agency-portfolio.sla 's#"calendars.sla"#"a.sla"#' examples/calendars.sla |
        seed "$t" agency-with-imports
      with_imports tests/corpus/valid/imports-shared-library.sla \
        's#"shared/agency-calendars.sla"#"lib/b.sla"#' "" tests/corpus/valid/shared/agency-calendars.sla |
        seed "$t" shared-library-with-imports
      ;;
    diff)
      with_imports examples/minimal.sla '' examples/minimal.sla | seed diff minimal-same
      with_imports examples/minimal.sla '' <(sed 's/90%/95%/; s/1h/2h/' examples/minimal.sla) |
        seed diff minimal-changed
      for f in tests/corpus/valid/*.sla; do
        with_imports "$f" '' examples/minimal.sla | seed diff "$(basename "$f")"
      done
      ;;
    report)
      # The example data, a few rows of each file, in FileKind order; then
      # a period. A JSON Lines variant of the inquiries covers that reader.
      {
        for f in inquiries posts approvals incidents exclusions; do
          head -n 12 "examples/data/$f.csv"
          printf '\0'
        done
        printf '2026-03'
      } | seed report example-data
      {
        head -n 4 examples/data/inquiries.csv | tail -n 3 |
          awk -F, '{printf "{\"id\":\"%s\",\"platform\":\"%s\",\"channel\":\"%s\",\"priority\":\"%s\",\"audience\":\"%s\",\"received_at\":\"%s\",\"first_response_at\":\"%s\",\"resolved_at\":\"%s\",\"requires_response\":%s}\n",$1,$2,$3,$4,$5,$6,$7,$8,$9}'
        printf '\0\0\0\0\0%s' 2026-W06
      } | seed report jsonl-inquiries
      ;;
    lsp_wire)
      # Frames as an editor sends them, then the hostile ones of issue #11.
      frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
      {
        frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
        frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.sla","languageId":"slac","version":1,"text":"calendar c {"}}}'
        frame '{"jsonrpc":"2.0","id":"x","method":"shutdown"}'
        frame '{"jsonrpc":"2.0","method":"exit"}'
      } | seed lsp_wire session
      frame '{"jsonrpc":"2.0","method":"n","params":{"text":"\ud800 \udc00 \ud83d\ude00"}}' | seed lsp_wire surrogates
      frame '{"jsonrpc":"2.0","id":1.5,"method":"x"}{"id":[1],"method":3}' | seed lsp_wire ids
      printf 'Content-Length: 4611686018427387904\r\n\r\n{}' | seed lsp_wire huge
      printf 'content-length:2\r\nContent-Type: x\r\n\r\n{}Content-Length: 3\r\n\r\n{]' | seed lsp_wire headers
      ;;
    data_files)
      # One byte picks the file kind (FileKind order) and format (+5:
      # JSON Lines), then the file: the example data as exported (CRLF),
      # and a JSON Lines variant of the inquiries.
      i=0
      for f in inquiries posts approvals incidents exclusions; do
        { printf "\\$(printf '%03o' $i)"; head -n 40 "examples/data/$f.csv"; } | seed data_files "$f-csv"
        i=$((i + 1))
      done
      {
        printf '\005'
        head -n 6 examples/data/inquiries.csv | tail -n 5 |
          awk -F, '{printf "{\"id\":\"%s\",\"platform\":\"%s\",\"channel\":\"%s\",\"priority\":\"%s\",\"received_at\":\"%s\",\"first_response_at\":\"%s\"}\r\n",$1,$2,$3,$4,$6,$7}'
      } | seed data_files inquiries-jsonl
      ;;
    *)
      echo "unknown fuzz target \`$t\` (targets: ${all[*]})" >&2
      exit 2
      ;;
  esac
done

cd fuzz
echo "== building the fuzz targets"
cargo fuzz build --sanitizer none

mkdir -p artifacts
failed=()
summary=()
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  log="artifacts/$t.log"
  start=$(date +%s)
  set +e
  cargo fuzz run --sanitizer none "$t" -- \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" -seed="$fuzz_seed" \
    -dict="$root/fuzz/slac.dict" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  took=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(find "corpus/$t" -type f | wc -l)
  line=$(printf '%-18s %12s execs %6ss %7s corpus files' "$t" "${execs:-?}" "$took" "$corpus")
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    line="$line  FAILED (exit $rc)"
    echo "-- $t failed; from its log ($root/fuzz/$log):"
    grep -m 1 -A 30 -E 'panicked at|ALARM|ERROR: libFuzzer|out-of-memory' "$log" | cut -c1-300
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "== fuzz summary (${seconds}s per target, timeout ${timeout}s, rss limit ${rss_mb} MB, seed ${fuzz_seed})"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
