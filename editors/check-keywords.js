#!/usr/bin/env node
// Keyword agreement between grammar/slac.pest (the source of truth) and the
// editor grammars. Run by editors/test.sh after `tree-sitter generate` and
// `npm ci` in editors/vscode:
//
//   node editors/check-keywords.js
//
// Every literal of a `kw_*` rule in the pest grammar must be
//   - a keyword of the tree-sitter grammar (src/grammar.json), which may have
//     no other words besides weekdays, periods and rate units;
//   - highlighted by queries/highlights.scm and by the Helix queries;
//   - tokenized as a keyword (`keyword.*` or `storage.*`) by the TextMate
//     grammar, checked with vscode-textmate itself;
//   - named in the Vim syntax file.
// Prints one line per problem and exits 1 if there is any.

'use strict';

const fs = require('fs');
const path = require('path');

const editors = __dirname;
const root = path.dirname(editors);
const read = (...p) => fs.readFileSync(path.join(...p), 'utf8');

// Words the pest grammar matches with `!id_char` guards outside `kw_*` rules.
const LITERAL_WORDS = new Set([
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
  'daily', 'weekly', 'monthly', 'quarterly', 'yearly',
  'day', 'week', 'month', 'quarter', 'year',
]);

function pestKeywords() {
  const text = read(root, 'grammar', 'slac.pest');
  const keywords = new Set();
  for (const m of text.matchAll(/^kw_\w+\s*=\s*@\{\s*"([^"]+)"/gm)) keywords.add(m[1]);
  const rules = (text.match(/^kw_\w+\s*=/gm) || []).length;
  if (rules !== keywords.size) {
    throw new Error(`grammar/slac.pest: ${rules} kw_* rules but ${keywords.size} literals extracted`);
  }
  return keywords;
}

function treeSitterWords() {
  const file = path.join(editors, 'tree-sitter-slac', 'src', 'grammar.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`tree-sitter generate\` in editors/tree-sitter-slac`);
  }
  const words = new Set();
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      if (node.type === 'STRING' && /^[A-Za-z_]\w*$/.test(node.value)) words.add(node.value);
      Object.values(node).forEach(walk);
    }
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')).rules);
  return words;
}

function queryStrings(file) {
  const words = new Set();
  for (const m of read(file).matchAll(/"([A-Za-z_]\w*)"/g)) words.add(m[1]);
  return words;
}

async function textMateScopes(keywords) {
  const vscodeDir = path.join(editors, 'vscode');
  const req = (name) => require(require.resolve(name, { paths: [vscodeDir] }));
  const vsctm = req('vscode-textmate');
  const oniguruma = req('vscode-oniguruma');
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma', { paths: [vscodeDir] })), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.slac') return null;
      const file = path.join(vscodeDir, 'syntaxes', 'slac.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.slac');
  const scopes = new Map();
  for (const keyword of keywords) {
    const { tokens } = grammar.tokenizeLine(keyword, vsctm.INITIAL);
    const token = tokens.find((t) => t.startIndex === 0 && t.endIndex === keyword.length);
    scopes.set(keyword, token ? token.scopes : []);
  }
  return scopes;
}

async function main() {
  const problems = [];
  const keywords = pestKeywords();

  const ts = treeSitterWords();
  for (const k of keywords) if (!ts.has(k)) problems.push(`tree-sitter grammar.js: missing keyword \`${k}\``);
  for (const w of ts) {
    if (!keywords.has(w) && !LITERAL_WORDS.has(w)) {
      problems.push(`tree-sitter grammar.js: word \`${w}\` is not a keyword of grammar/slac.pest`);
    }
  }

  const queries = [
    path.join(editors, 'tree-sitter-slac', 'queries', 'highlights.scm'),
    path.join(editors, 'helix', 'queries', 'slac', 'highlights.scm'),
  ];
  for (const q of queries) {
    const strings = queryStrings(q);
    for (const k of keywords) {
      if (!strings.has(k)) problems.push(`${path.relative(root, q)}: keyword \`${k}\` is not highlighted`);
    }
  }

  const scopes = await textMateScopes(keywords);
  for (const [k, s] of scopes) {
    if (!s.some((scope) => /^(keyword|storage)\./.test(scope))) {
      problems.push(`vscode TextMate grammar: \`${k}\` is not tokenized as a keyword (scopes: ${s.join(' ') || 'none'})`);
    }
  }

  const vim = read(editors, 'vim', 'syntax', 'slac.vim');
  for (const k of keywords) {
    if (!new RegExp(`(^|[^\\w])${k}([^\\w]|$)`, 'm').test(vim)) {
      problems.push(`vim syntax/slac.vim: keyword \`${k}\` is missing`);
    }
  }

  for (const p of problems) console.log(p);
  console.log(`keywords: ${keywords.size} in grammar/slac.pest; ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error.message || error);
  process.exit(1);
});
