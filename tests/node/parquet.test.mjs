// The two wasm modules in Node through initSync: the Parquet module reads the footer
// and row groups of tests/fixtures/v5.log.parquet into row batches, the main module's
// Decoder.pushRows decodes them, and the records equal the native CLI's on the file's
// text twin (tests/fixtures/v5-twin.log, the generator's same seed).
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
const pq = await import(pathToFileURL(path.join(root, 'pkg/flowlens_parquet.js')).href);
pq.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_parquet_bg.wasm')) });
const cli = path.join(root, 'target/debug/flowlens');
const fixture = (n) => path.join(root, 'tests/fixtures', n);

function native(file) {
  const out = execFileSync(cli, ['-o', 'ndjson', file], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  return out.toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** The page's way: the footer from the end, then each row group's byte range alone. */
function decodeParquet(dec, name, bytes, batchRows = 8192) {
  const size = bytes.length;
  dec.beginFile(name);
  let r;
  try {
    const need = pq.footerLength(bytes.subarray(Math.max(0, size - 8)), size);
    r = new pq.ParquetReader(bytes.subarray(size - need), size);
  } catch (e) {
    dec.pushRows(pq.fileError(e.message, size));
    return;
  }
  dec.pushRows(r.binding());
  for (let i = 0; i < r.rowGroups(); i++) {
    const [s, e] = r.rowGroupRange(i);
    dec.pushRows(r.beginRowGroup(i, bytes.slice(s, e)));
    for (let b = r.next(batchRows); b.length; b = r.next(batchRows)) dec.pushRows(b);
  }
  r.free();
}

test('Parquet through both modules equals the CLI on the text twin', () => {
  const bytes = fs.readFileSync(fixture('v5.log.parquet'));
  for (const batch of [1, 7, 8192]) {
    const dec = new wb.Decoder({});
    decodeParquet(dec, 'v5.log.parquet', bytes, batch);
    const t = dec.finish();
    assert.equal(t.rowCount(), 300);
    assert.equal(t.errorCount(), 0);
    t.setQuery('', '');
    const nd = new TextDecoder().decode(t.exportView('ndjson')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(nd, native(fixture('v5-twin.log')));
    // the original-lines export: a header, then the records as the text twin has them
    const lines = new TextDecoder().decode(t.exportView('lines'));
    assert.equal(lines, fs.readFileSync(fixture('v5-twin.log'), 'utf8'));
    const files = t.files();
    assert.equal(files[0].shape, 'parquet');
    assert.equal(files[0].bytes, bytes.length);
    t.free();
  }
  // and the CLI reads the Parquet file itself the same way
  assert.deepEqual(native(fixture('v5.log.parquet')), native(fixture('v5-twin.log')));
});

test('a Parquet file cut short is one error for the file', () => {
  const bytes = fs.readFileSync(fixture('v5.log.parquet'));
  const dec = new wb.Decoder({});
  decodeParquet(dec, 'cut.parquet', bytes.subarray(0, 3000));
  const t = dec.finish();
  assert.equal(t.rowCount(), 0);
  assert.equal(t.errorCount(), 1);
  const [e] = t.errors(0, 10);
  assert.equal(e.line, 0);
  assert.match(e.message, /^Parquet file cut short or damaged/);
  t.free();
});
