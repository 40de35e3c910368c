#!/usr/bin/env bash
# Tests the editor support in editors/: the tree-sitter grammar, the VS Code
# extension (TextMate grammar, TypeScript client, .vsix packaging), the Helix
# queries, the Vim runtime files, and the keyword agreement of all of them
# with grammar/slac.pest.
#
#   bash editors/test.sh        (from anywhere; the main test script calls it
#                                from the repository root)
#
# Installs what it needs when missing: the npm packages of editors/vscode
# (`npm ci`, from the committed package-lock.json) and the tree-sitter CLI
# (`cargo install tree-sitter-cli`, ~4 minutes, only when `tree-sitter` is
# neither on PATH nor in ~/.cargo/bin). Vim tests are skipped when `vim` is
# not installed. Ends with `editors: N passed, M failed[, K skipped]` and exits
# non-zero on any failure.
set -euo pipefail

EDITORS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$EDITORS")"
TS_DIR="$EDITORS/tree-sitter-slac"
VSCODE_DIR="$EDITORS/vscode"
TREE_SITTER_CLI_VERSION="${TREE_SITTER_CLI_VERSION:-0.27.1}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
skipped=0
failures=()

# run_step NAME COMMAND...: runs COMMAND with `set -e` in a subshell, logs its
# output, and prints the log only when it fails. A step may write a one-line
# note (such as a test count) to $WORK/note.
run_step() {
  local name="$1"
  shift
  local log="$WORK/step.log" rc note=""
  rm -f "$WORK/note"
  set +e
  (
    set -euo pipefail
    "$@"
  ) >"$log" 2>&1
  rc=$?
  set -e
  [ -s "$WORK/note" ] && note=" ($(head -n 1 "$WORK/note"))"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %s%s\n' "$name" "$note"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL  %s (exit %d)\n' "$name" "$rc"
    tail -n 60 "$log" | sed 's/^/      /'
  fi
}

skip_step() {
  skipped=$((skipped + 1))
  printf 'skip  %s (%s)\n' "$1" "$2"
}

# ------------------------------------------------------------------ tools

export PATH="$HOME/.cargo/bin:$PATH"
# The grammar needs tree-sitter.json support and last-wins highlight queries.
TREE_SITTER_MIN_VERSION="0.25.0"

tree_sitter_version() {
  tree-sitter --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1
}

install_tree_sitter() {
  local have
  have="$(command -v tree-sitter >/dev/null 2>&1 && tree_sitter_version || true)"
  if [ -z "$have" ] ||
    [ "$(printf '%s\n%s\n' "$TREE_SITTER_MIN_VERSION" "$have" | sort -V | head -n 1)" != "$TREE_SITTER_MIN_VERSION" ]; then
    echo "installing tree-sitter-cli $TREE_SITTER_CLI_VERSION with cargo (found: ${have:-none}; takes a few minutes)"
    cargo install tree-sitter-cli --locked --version "$TREE_SITTER_CLI_VERSION"
    hash -r
  fi
  tree-sitter --version
}

install_npm_packages() {
  command -v node >/dev/null || { echo "node is not installed"; return 1; }
  cd "$VSCODE_DIR"
  # Reinstall when the lock file changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  node --version
}

run_step "install tree-sitter CLI" install_tree_sitter
run_step "install npm packages (editors/vscode)" install_npm_packages

# Compile the parser into this run's own folder, never reusing a library built
# from other sources (the CLI caches by grammar name).
export TREE_SITTER_LIBDIR="$WORK/tree-sitter-lib"
mkdir -p "$TREE_SITTER_LIBDIR"

# Config for the tree-sitter CLI: the highlight theme of the tests, and the
# editors folder as the only parser directory.
TS_CONFIG="$WORK/tree-sitter-config.json"
sed "s|\"parser-directories\": \[\]|\"parser-directories\": [\"$EDITORS\"]|" \
  "$TS_DIR/test/config.json" >"$TS_CONFIG"

# ------------------------------------------------------------ tree-sitter

ts_generate() {
  cd "$TS_DIR"
  tree-sitter generate
}

ts_test() {
  cd "$TS_DIR"
  tree-sitter test --config-path "$TS_CONFIG" | tee "$WORK/ts-test.txt"
  local corpus highlight
  corpus="$(grep -o 'Total parses: [0-9]*' "$WORK/ts-test.txt" | grep -o '[0-9]*$')"
  highlight="$(grep -o '([0-9]* assertions)' "$WORK/ts-test.txt" | grep -o '[0-9]*' | awk '{ s += $1 } END { print s + 0 }')"
  echo "$corpus corpus tests, $highlight highlight assertions" >"$WORK/note"
}

# Every normative example (and every valid corpus file of the Rust tests)
# must parse without ERROR or MISSING nodes.
ts_parse_valid_files() {
  cd "$TS_DIR"
  local files=("$ROOT"/examples/*.sla)
  if [ -d "$ROOT/tests/corpus/valid" ]; then
    shopt -s nullglob
    files+=("$ROOT"/tests/corpus/valid/*.sla)
    shopt -u nullglob
  fi
  echo "parsing ${#files[@]} files"
  local out="$WORK/parse.txt" rc=0
  tree-sitter parse --config-path "$TS_CONFIG" "${files[@]}" >"$out" || rc=$?
  if [ "$rc" -ne 0 ] || grep -Eq '\((ERROR|MISSING)' "$out"; then
    grep -En '\((ERROR|MISSING)' "$out" | head -20
    tree-sitter parse --config-path "$TS_CONFIG" --quiet "${files[@]}" || true
    return 1
  fi
  echo "${#files[@]} files" >"$WORK/note"
}

# Every query file must compile against the grammar (node and field names).
ts_queries() {
  cd "$TS_DIR"
  local q
  for q in queries/*.scm "$EDITORS"/helix/queries/slac/*.scm; do
    echo "query $q"
    tree-sitter query --config-path "$TS_CONFIG" "$q" "$ROOT/examples/acme-social.sla" >/dev/null
  done
}

run_step "tree-sitter generate" ts_generate
run_step "tree-sitter test (corpus and highlight tests)" ts_test
run_step "tree-sitter parse examples/ and tests/corpus/valid/" ts_parse_valid_files
run_step "tree-sitter and Helix queries compile" ts_queries

# ---------------------------------------------------------------- VS Code

vscode_grammar_tests() {
  cd "$VSCODE_DIR"
  node_modules/.bin/vscode-tmgrammar-test "test/*.test.sla"
  local files assertions
  files="$(ls test/*.test.sla | wc -l)"
  assertions="$(grep -Ec '^//\s*(<[~-]|\s*\^)' test/*.test.sla | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')"
  echo "$files files, $assertions assertion lines" >"$WORK/note"
}

vscode_compile() {
  cd "$VSCODE_DIR"
  node_modules/.bin/tsc -p ./
  node test/smoke.js
}

vscode_package() {
  cd "$VSCODE_DIR"
  local vsix="$WORK/slac.vsix"
  node_modules/.bin/vsce package --allow-missing-repository --out "$vsix"
  local listing="$WORK/vsix.txt"
  unzip -l "$vsix" >"$listing"
  local f
  for f in extension/package.json extension/out/extension.js extension/syntaxes/slac.tmLanguage.json \
    extension/language-configuration.json extension/LICENSE.txt \
    extension/node_modules/vscode-languageclient/node.js; do
    grep -q " $f\$" "$listing" || { echo "missing from the .vsix: $f"; return 1; }
  done
}

run_step "vscode TextMate grammar tests" vscode_grammar_tests
run_step "vscode extension compiles (tsc) and loads" vscode_compile
run_step "vscode extension packages (vsce)" vscode_package

# ------------------------------------------------- keywords and other editors

check_keywords() {
  node "$EDITORS/check-keywords.js" | tee "$WORK/keywords.txt"
  grep -o '^keywords: [0-9]*' "$WORK/keywords.txt" | sed 's/keywords: \(.*\)/\1 keywords checked/' >"$WORK/note"
}

run_step "keywords of grammar/slac.pest in every grammar" check_keywords

vim_tests() {
  local result="$WORK/vim.txt"
  vim -Nu NONE -i NONE -Es --cmd "let g:slac_test_result = '$result'" \
    -c "source $EDITORS/vim/test/run.vim" -- "$EDITORS"/vim/test/*.sla "$ROOT"/examples/*.sla </dev/null || {
    cat "$result" 2>/dev/null
    return 1
  }
  cat "$result"
  tail -n 1 "$result" | sed 's/^vim syntax: \([0-9]*\) passed.*/\1 checks/' >"$WORK/note"
}

if command -v vim >/dev/null 2>&1; then
  run_step "vim syntax, filetype and indent" vim_tests
else
  skip_step "vim syntax, filetype and indent" "vim is not installed"
fi

# ---------------------------------------------------------------- summary

if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
  echo "editors: $passed passed, $failed failed, $skipped skipped"
else
  echo "editors: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
