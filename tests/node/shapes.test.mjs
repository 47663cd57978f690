// The JS API on the shapes of issue 7: decode() gives the same records as the CLI for
// every new paste shape, reports the shape and the not-record counts per file, and
// returns the confidence, the unsure positions and whether the fields were guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
const cli = path.join(root, 'target/debug/flowlens');
const fx = (name) => path.join(root, 'tests/fixtures/shapes', name);

function native(file) {
  const out = execFileSync(cli, ['-o', 'ndjson', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out.toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const SHAPES = {
  'prompt-grep.txt': ['message-lines', 2],
  'get-log-events.txt': ['aws-cli-text', 2],
  'filter-log-events.txt': ['aws-cli-text', 2],
  'query-messages.txt': ['aws-cli-text', 0],
  'get-log-events.yaml': ['aws-cli-yaml', 10],
  'filter-log-events.yaml': ['aws-cli-yaml', 16],
  'events.ndjson': ['json', 0],
  'zgrep.txt': ['paste', 0],
  'grep-n.txt': ['paste', 0],
  'chat.md': ['paste', 4],
};

for (const [name, [shape, noise]] of Object.entries(SHAPES)) {
  test(`decode() on ${name}: the CLI's records, shape ${shape}, ${noise} not records`, () => {
    const out = wb.decode(fs.readFileSync(fx(name)), {});
    assert.deepEqual(out.records, native(fx(name)));
    assert.equal(out.records.length, 3);
    assert.deepEqual(out.records.map((r) => r.action), ['ACCEPT', 'REJECT', null]);
    assert.deepEqual(out.errors, []);
    assert.equal(out.files[0].shape, shape);
    assert.equal(out.files[0].not_records, noise);
    assert.equal(out.files[0].not_record_reasons.reduce((a, [, n]) => a + n, 0), noise);
    assert.ok(out.files[0].bindings.every((b) => !b.guessed && b.confidence >= 0.9));
  });
}

test('decode() says when fields were guessed: confidence and unsure positions', () => {
  const lines = [
    'eni-0a 10.0.1.5 10.0.1.5 10.0.2.9 10.0.2.9 40001 5432 6 19 120 98000 1764115200 1764115260 ACCEPT OK egress 1 5',
    'eni-0b 8.8.4.4 8.8.4.4 10.0.2.9 10.0.2.9 50002 22 6 2 1 44 1764115201 1764115261 REJECT OK ingress - 5',
  ].join('\n');
  const out = wb.decode(new TextEncoder().encode(lines), {});
  const b = out.files[0].bindings[0];
  assert.equal(b.origin, 'inferred');
  assert.equal(b.guessed, true);
  assert.ok(b.confidence < 0.9, `confidence ${b.confidence}`);
  const unsure = b.ambiguous.map(([pos]) => pos);
  assert.ok(unsure.includes(1) && unsure.includes(5), `unsure positions ${JSON.stringify(b.ambiguous)}`);
  // the same lines with the format given are not a guess
  const given = wb.decode(new TextEncoder().encode(lines), { format: b.fields.join(' ') });
  assert.equal(given.files[0].bindings[0].guessed, false);
  assert.deepEqual(given.records, out.records);
});

test('binary input and JSON without events get one clear message', () => {
  const pq = wb.decode(fs.readFileSync(fx('parquet.bin')), {});
  assert.equal(pq.records.length, 0);
  assert.equal(pq.errors.length, 1);
  assert.match(pq.errors[0].message, /Parquet file/);
  assert.equal(pq.files[0].shape, 'parquet');
  const dni = wb.decode(fs.readFileSync(fx('describe-network-interfaces.json')), {});
  assert.equal(dni.errors.length, 1);
  assert.match(dni.errors[0].message, /holds no flow log events/);
});
