// Hostile input through the JS API (issue 9): the wasm module stays usable and its
// memory bounded. Run after `npm run build`: node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
const wasm = wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
const memory = () => wasm.memory.buffer.byteLength;

const R = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const enc = (s) => new TextEncoder().encode(s);

test('a 512 MiB gzip bomb beside a good file: one bad line, wasm memory stays small', () => {
  const before = memory();
  const member = zlib.gzipSync(Buffer.alloc(1 << 20)); // one MiB of NUL bytes
  const dec = new wb.Decoder({});
  dec.beginFile('good.log');
  dec.push(enc(`${R}\n${R}\n`));
  dec.beginFile('bomb.log.gz');
  for (let i = 0; i < 512; i++) dec.push(member); // multi-member: 512 MiB inflated
  assert.ok(dec.heapBytes() < 4 << 20, `heapBytes ${dec.heapBytes()}`);
  const t = dec.finish();
  assert.equal(t.rowCount(), 2);
  assert.equal(t.errorCount(), 1);
  // nothing but NUL bytes: binary input, one message for the file
  assert.match(t.errors(0, 1)[0].message, /^this is binary data/);
  assert.ok(memory() - before < 32 << 20, `wasm memory grew by ${memory() - before} bytes`);
  t.free();
});

test('100,001 "!" in a filter: an answer, and the table and module keep working', () => {
  const t = wb.decode; // decode() still works afterwards too
  const dec = new wb.Decoder({});
  dec.push(enc(`${R}\n${R.replace(' 22 ', ' 80 ')}\n`));
  const table = dec.finish();
  let r = table.setQuery(`${'!'.repeat(100_001)}dstport = 22`, '');
  assert.deepEqual([r.ok, r.count], [true, 1]);
  r = table.setQuery(`${'('.repeat(100_000)}dstport = 22`, '');
  assert.equal(r.ok, false);
  assert.match(r.error.message, /nested too deeply/);
  r = table.setQuery('dstport = 22', Array(1000).fill('bytes').join(','));
  assert.deepEqual([r.ok, r.count], [true, 1]);
  assert.equal(table.window(0, 1, ['dstport']).rows[0][0], '22');
  assert.equal(t(enc(`${R}\n`), {}).records.length, 1);
  assert.ok(new wb.Decoder({}));
  table.free();
});

test('histogram over a century stays within its target; absent fields are named', () => {
  const far = R.replace('1418530010 1418530070', '1000000000 1000000060') + '\n' +
    R.replace('1418530010 1418530070', '4102444000 4102444800') + '\n';
  const dec = new wb.Decoder({});
  dec.push(enc(far));
  const table = dec.finish();
  const h = table.histogram(0, 120);
  assert.ok(h.records.length <= 120, `${h.records.length} buckets`);
  assert.ok(table.histogram(1, 120).records.length <= 10_000);
  const r = table.setQuery('tgw-id = tgw-1 or vpc-id exists', '');
  assert.deepEqual(r.absent, ['tgw-id', 'vpc-id']);
  table.free();
});

test('CSV export is formula-safe, NDJSON exact', () => {
  const dec = new wb.Decoder({});
  dec.push(enc(`${R.replace('eni-1235b8ca123456789', '@SUM(A1)')}\n`));
  const table = dec.finish();
  const csv = new TextDecoder().decode(table.exportView('csv'));
  assert.match(csv, /,'@SUM\(A1\),/);
  const nd = new TextDecoder().decode(table.exportView('ndjson'));
  assert.match(nd, /"interface-id":"@SUM\(A1\)"/);
  table.free();
});
