// The catalogue and the table seams the page relies on: fields and kinds from the core,
// numbers behind times and durations, row states, parsed sort keys, and unknown names
// or measures refused instead of dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
// labels and health checks (the row detail's sentence) come from the context module
const cx = await import(pathToFileURL(path.join(root, 'pkg/flowlens_context.js')).href);
cx.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_context_bg.wasm')) });

const LINES = [
  '2 123456789012 eni-1 10.0.0.1 8.8.8.8 443 49152 6 10 840 1764115200 1764115265 REJECT OK',
  '2 123456789012 eni-1 - - - - - - - 1764115200 1764115260 - NODATA',
  '2 123456789012 eni-2 10.0.0.2 10.0.0.1 22 50000 6 5 400 1764115300 1764115301 ACCEPT OK',
].join('\n') + '\n';

function table(text = LINES) {
  const dec = new wb.Decoder({});
  dec.beginFile('t.log');
  dec.push(new TextEncoder().encode(text));
  return dec.finish();
}

test('the catalogue names every field with its kind, and what the page shows by default', () => {
  const c = wb.catalogue();
  const by = Object.fromEntries(c.fields.map((f) => [f.name, f]));
  assert.equal(by.start.kind, 'time');
  assert.equal(by.srcaddr.kind, 'address');
  assert.equal(by.bytes.kind, 'integer');
  assert.equal(by.action.kind, 'text');
  assert.equal(by['tgw-id'].family, 'transit-gateway');
  assert.deepEqual(c.fields.filter((f) => f.hidden).map((f) => f.name), ['version', 'account-id']);
  assert.deepEqual(c.fields.filter((f) => f.hint_beside).map((f) => f.name), ['srcport', 'dstport', 'traffic-path', 'reject-reason', 'encryption-status']);
  assert.deepEqual(c.derived.map((d) => [d.name, d.kind, d.after, d.needs]), [['duration', 'duration', 'end', ['start', 'end']]]);
  assert.ok(c.essentials.includes('duration') && c.essentials.includes('srcaddr'));
  assert.deepEqual(c.facets.map((f) => f.field), ['srcaddr', 'dstaddr', 'dstport', 'interface-id', 'protocol', 'action']);
  assert.deepEqual(c.scopes.map((s) => s.name).sort(), ['link-local', 'loopback', 'multicast', 'private', 'public']);
  assert.deepEqual(c.vocabularies.find((v) => v.field === 'log-status').values, ['OK', 'NODATA', 'SKIPDATA']);
  assert.deepEqual(c.measures, ['count', 'bytes', 'packets']);
});

test('window() gives the seconds behind times and durations, and each row state', () => {
  const t = table();
  t.setQuery('', '');
  const w = t.window(0, 3, ['start', 'duration', 'srcaddr', 'action']);
  assert.deepEqual(w.rows[0], ['2025-11-26T00:00:00Z', '65', '10.0.0.1', 'REJECT']);
  assert.deepEqual(w.secs[0], [1764115200, 65, null, null]);
  assert.equal(w.hints[0][1], '65 seconds (end − start)');
  assert.equal(w.hints[0][2], 'private');
  assert.deepEqual(w.states, [
    { action: 'reject', status: 'ok', note: '' },
    { status: 'nodata', note: 'NODATA · no traffic' },
    { action: 'accept', status: 'ok', note: '' },
  ]);
  assert.equal(w.hints[1][2], 'NODATA: no traffic in the interval');
  // the detail needs the labels, which the context module builds (as the table worker does)
  assert.throws(() => t.rowDetail(0), /labels are not built/);
  const a = new cx.Annotator();
  t.setAnnotations(a.annotate(t.annotationInput()));
  a.free();
  const d = t.rowDetail(0);
  assert.equal(d.fields.find((f) => f.name === 'end').secs, 1764115265);
  assert.equal(d.fields.find((f) => f.name === 'bytes').secs, null);
  t.free();
});

test('unknown field names and measures are errors, never dropped', () => {
  const t = table();
  t.setQuery('', '');
  assert.throws(() => t.window(0, 1, ['srcaddr', 'nope', 'bytes']), /unknown field 'nope'/);
  assert.throws(() => t.markdownRows(['srcaddr', 'nope'], 5), /unknown field 'nope'/);
  assert.throws(() => t.markdownRows(['duration'], 5), /not a stored field/);
  assert.throws(() => t.top('srcaddr', 'octets', 5), /unknown measure 'octets'/);
  assert.throws(() => t.markdownTop('srcaddr', 'octets', 5), /unknown measure 'octets'/);
  assert.equal(t.top('srcaddr', 'bytes', 5)[0].keys[0], '10.0.0.1');
  t.free();
});

test('setQuery returns the sort keys as parsed (repeats once, time means start)', () => {
  const t = table();
  const r = t.setQuery('', 'bytes:desc, time, BYTES, duration:desc');
  assert.equal(r.ok, true);
  assert.deepEqual(r.sort, [{ name: 'bytes', desc: true }, { name: 'start', desc: false }, { name: 'duration', desc: true }]);
  t.free();
});

test('the decoder serves its columns while decoding', () => {
  const dec = new wb.Decoder({});
  dec.beginFile('t.log');
  // enough lines for the decoder to settle the layout and emit rows before the end
  dec.push(new TextEncoder().encode(LINES.repeat(1000)));
  assert.ok(dec.rowCount() > 0);
  const names = dec.fields().map((f) => f.name);
  assert.ok(names.includes('srcaddr') && names.includes('log-status'));
  assert.deepEqual(dec.window(0, 1, ['dstaddr']).rows, [['8.8.8.8']]);
  dec.finish().free();
});
