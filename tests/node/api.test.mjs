// The JS API in Node 20+ through initSync({ module }): decode() and the streaming
// Decoder must agree with the native CLI on the same bytes.
// Run after `npm run build`: node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });

const fixtures = ['default-bad.log', 'v5-s3.log.gz', 'filter-log-events.json', 'custom.log'];
const cli = path.join(root, 'target/debug/flowlens');

function native(file) {
  const out = execFileSync(cli, ['-o', 'ndjson', file], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  return out.toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

for (const name of fixtures) {
  test(`decode() agrees with the native CLI: ${name}`, () => {
    const file = path.join(root, 'tests/fixtures', name);
    const bytes = fs.readFileSync(file);
    const { fields, records, errors } = wb.decode(bytes, {});
    assert.ok(fields.length >= 14);
    assert.deepEqual(records, native(file));
    for (const e of errors) {
      assert.equal(typeof e.line, 'number');
      assert.match(e.message, /^(line has|field \d+)/);
    }
  });
}

test('the streaming Decoder gives the same counts and a table handle', () => {
  const dec = new wb.Decoder({});
  let total = 0;
  let errors = 0;
  for (const name of fixtures) {
    const bytes = fs.readFileSync(path.join(root, 'tests/fixtures', name));
    const whole = wb.decode(bytes, {});
    total += whole.records.length;
    errors += whole.errors.length;
    dec.beginFile(name);
    for (let o = 0; o < bytes.length; o += 4093) dec.push(bytes.subarray(o, o + 4093));
  }
  const table = dec.finish();
  assert.equal(table.rowCount(), total);
  assert.equal(table.errorCount(), errors);
  const r = table.setQuery('action = reject', 'bytes:desc');
  assert.equal(r.ok, true);
  assert.equal(table.viewCount(), r.count);
  const w = table.window(0, 3, ['action', 'bytes']);
  assert.deepEqual(w.rows.map((row) => row[0]), ['REJECT', 'REJECT', 'REJECT'].slice(0, w.rows.length));
  const csv = new TextDecoder().decode(table.exportView('csv'));
  assert.equal(csv.trim().split('\r\n').length, r.count + 1);
  table.free();
});

test('a bad format is an error, a custom format decodes', () => {
  assert.throws(() => wb.decode(new Uint8Array(), { format: 'srcaddr dstprt' }), /dstprt/);
  const out = wb.decode(new TextEncoder().encode('10.0.0.1 22\n'), { format: '${srcaddr} ${dstport}' });
  assert.deepEqual(out.records, [{ srcaddr: '10.0.0.1', dstport: 22 }]);
});

test('warmUp decodes its synthetic default-format records in the module, all without error', () => {
  assert.equal(wb.warmUp(0, 1), 0);
  assert.equal(wb.warmUp(1000, 3), 1000);
});
