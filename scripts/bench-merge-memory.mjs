#!/usr/bin/env node
// The capacity a merged folder holds while it is merged, with and without the
// reservation for the rest of the input (README, Memory: `Merger.expectRest` and
// `Decoder.expectFileBytes` of the bytes left in all), on the same build in Node.
//   node scripts/bench-merge-memory.mjs [DIR=bench-data/split8] [--json]
// Two ways a folder is decoded in the page:
//   merger:  each file in its own Decoder, `toBytes`, `Merger.append` (the parallel decode)
//   decoder: every file through one Decoder (one decode worker)
// Prints the largest `heapBytes` seen after a file (what the memory budget is checked
// against) and the finished table's; --json prints JSON lines for scripts/bench-table.mjs.
// PKG=dir loads another build's flowlens.js and flowlens_bg.wasm instead of pkg/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const dir = args.find((a) => !a.startsWith('--')) || path.join(root, 'bench-data', 'split8');
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
if (names.length < 2) throw new Error(`${dir}: fewer than two .log files (scripts/bench-data.sh makes split8)`);
const files = names.map((n) => ({ name: n, bytes: fs.readFileSync(path.join(dir, n)) }));
const total = files.reduce((a, f) => a + f.bytes.length, 0);
const BUDGET = 1.5e9; // the page's default; reservations get 80 % of it, as in the page
const CHUNK = 4 << 20;

const pkg = process.env.PKG ? path.resolve(process.env.PKG) : path.join(root, 'pkg');
const wb = await import(pathToFileURL(path.join(pkg, 'flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(pkg, 'flowlens_bg.wasm')) });

/** @param {any} dec @param {Uint8Array} bytes */
function pushAll(dec, bytes) {
  for (let at = 0; at < bytes.length; at += CHUNK) dec.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
}

function viaMerger(reserve) {
  const m = new wb.Merger();
  let read = 0, peak = 0;
  files.forEach((f, i) => {
    const d = new wb.Decoder({ format: '' });
    d.beginFile(f.name);
    d.expectFileBytes(f.bytes.length, BUDGET * 0.8); // as a decode worker does for its file
    pushAll(d, f.bytes);
    d.endFile();
    const t = d.finish();
    const b = t.toBytes();
    t.free(); d.free();
    m.append(b);
    read += f.bytes.length;
    if (reserve && i === 0) m.expectRest(read, total, BUDGET * 0.8);
    peak = Math.max(peak, m.heapBytes());
  });
  const t = m.finish();
  const out = { peak, finished: t.heapBytes(), rows: t.rowCount() };
  t.free(); m.free();
  return out;
}

function viaDecoder(reserve) {
  const d = new wb.Decoder({ format: '' });
  let read = 0, peak = 0;
  for (const f of files) {
    d.beginFile(f.name);
    d.expectFileBytes(reserve ? total - read : f.bytes.length, BUDGET * 0.8);
    pushAll(d, f.bytes);
    d.endFile();
    read += f.bytes.length;
    peak = Math.max(peak, d.heapBytes());
  }
  const t = d.finish();
  const out = { peak, finished: t.heapBytes(), rows: t.rowCount() };
  t.free(); d.free();
  return out;
}

const mb = (n) => (n / 1e6).toFixed(1);
for (const [way, run] of [['merger', viaMerger], ['decoder', viaDecoder]]) {
  for (const reserve of [false, true]) {
    const r = run(reserve);
    const ratio = r.peak / r.finished;
    const what = `${way}, ${reserve ? 'reserved for the rest' : 'each file only (before round 11)'}`;
    if (json) {
      console.log(JSON.stringify({
        bench: 'merge-memory', case: `${names.length} files (${path.basename(dir)}): ${what}`, impl: 'wasm',
        best_s: null, rows: r.rows,
        note: `largest heapBytes ${mb(r.peak)} MB while merging, ${mb(r.finished)} MB finished (${ratio.toFixed(2)}×)`,
      }));
    } else {
      console.log(`${what.padEnd(48)} ${r.rows.toLocaleString('en-US')} rows: largest ${mb(r.peak)} MB, finished ${mb(r.finished)} MB (${ratio.toFixed(2)}×)`);
    }
  }
}
