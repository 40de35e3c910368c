#!/usr/bin/env node
// Validates JSON documents against a JSON Schema with ajv.
// Usage: node validate.js SCHEMA FILE...   (SCHEMA may be "sarif" for the
// official SARIF 2.1.0 schema shipped in @microsoft/jest-sarif).
// Prints one line per file and "N passed, M failed"; exits 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');

const [schemaArg, ...files] = process.argv.slice(2);
const schemaPath = schemaArg === 'sarif'
  ? path.join(__dirname, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')
  : schemaArg;
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const dialect = schema.$schema || '';
const Ajv = dialect.includes('2020-12') ? require('ajv/dist/2020')
  : dialect.includes('draft-04') ? require('ajv-draft-04')
  : require('ajv');
// unicodeRegExp off: the SARIF schema has a pattern (language tags) that is only
// valid as a non-unicode regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
require('ajv-formats')(ajv);
const validate = ajv.compile(schema);

let passed = 0;
let failed = 0;
for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (validate(doc)) {
    passed++;
  } else {
    failed++;
    console.log(`${file}: invalid`);
    for (const e of validate.errors.slice(0, 10)) {
      console.log(`  ${e.instancePath || '/'} ${e.message}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
