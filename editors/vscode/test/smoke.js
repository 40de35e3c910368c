// Smoke test for the compiled extension, run by editors/test.sh after `tsc`:
// loads out/extension.js (and so vscode-languageclient) against a stand-in
// `vscode` module, then checks how `slac.server.path` is resolved.
'use strict';

const assert = require('assert');
const Module = require('module');
const path = require('path');

// Any property of the stand-in is a callable stand-in too.
const handler = { get: (target, prop) => (prop in target ? target[prop] : new Proxy(function () {}, handler)) };
const fakeVscode = new Proxy({}, handler);
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return fakeVscode;
  return originalLoad.call(this, request, parent, isMain);
};

const ext = require(path.join(__dirname, '..', 'out', 'extension.js'));
assert.strictEqual(typeof ext.activate, 'function');
assert.strictEqual(typeof ext.deactivate, 'function');

const r = ext.resolveServerPath;
assert.strictEqual(r('slac', '/ws'), 'slac');
assert.strictEqual(r('', '/ws'), 'slac');
assert.strictEqual(r('  ', undefined), 'slac');
assert.strictEqual(r('/opt/slac/bin/slac', '/ws'), '/opt/slac/bin/slac');
assert.strictEqual(r('./target/debug/slac', '/ws'), path.join('/ws', 'target/debug/slac'));
assert.strictEqual(r('target/release/slac', undefined), 'target/release/slac');
assert.strictEqual(r('~/bin/slac', '/ws', '/home/u'), path.join('/home/u', 'bin/slac'));

// findExecutable: PATH lookup and explicit paths, as spawn would see them.
const fs = require('fs');
const os = require('os');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slac-smoke-'));
try {
  const exe = path.join(dir, 'slac');
  fs.writeFileSync(exe, '#!/bin/sh\n');
  fs.chmodSync(exe, 0o755);
  fs.writeFileSync(path.join(dir, 'not-executable'), '');
  const env = { PATH: ['/nonexistent', dir].join(path.delimiter) };
  assert.strictEqual(ext.findExecutable('slac', env, 'linux'), exe);
  assert.strictEqual(ext.findExecutable(exe, {}, 'linux'), exe);
  assert.strictEqual(ext.findExecutable('not-executable', env, 'linux'), undefined);
  assert.strictEqual(ext.findExecutable('slac', { PATH: '/nonexistent' }, 'linux'), undefined);
  assert.strictEqual(ext.findExecutable(path.join(dir, 'missing'), env, 'linux'), undefined);
  assert.strictEqual(ext.findExecutable(dir, env, 'linux'), undefined, 'a directory is not an executable');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

// package.json contributes what the extension relies on.
const pkg = require(path.join(__dirname, '..', 'package.json'));
const lang = pkg.contributes.languages.find((l) => l.id === 'slac');
assert.ok(lang && lang.extensions.includes('.sla'), 'language slac with .sla');
assert.strictEqual(pkg.contributes.grammars[0].scopeName, 'source.slac');
assert.strictEqual(pkg.contributes.configuration.properties['slac.server.path'].default, 'slac');

console.log('vscode extension smoke test: ok');
