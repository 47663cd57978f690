#!/usr/bin/env node
// The page's per-frame call: Table.window(start, 60, columns) at random offsets of a
// 1M-row table (bench-data/default-1m.log), every column the grid shows plus the derived
// duration, through pkg/flowlens.js in Node. One JSON line ("Other benchmarks" table):
//   {"bench":"window","case":"60 rows × 15 columns","impl":"wasm","rows":…,"best_s":…}
// best_s is one call, best of FLOWLENS_BENCH_RUNS (default 5) runs of 500 calls.
//   node scripts/bench-window.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Math.max(1, Number(process.env.FLOWLENS_BENCH_RUNS || 5));
const CALLS = 500;
const ROWS = 60;
const input = path.join(root, 'bench-data/default-1m.log');
if (!fs.existsSync(input)) {
  console.error('bench-window: bench-data/default-1m.log missing: run scripts/bench-data.sh first');
  process.exit(1);
}
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });

const dec = new wb.Decoder({});
dec.beginFile('default-1m.log');
const bytes = fs.readFileSync(input);
for (let o = 0; o < bytes.length; o += 1 << 20) dec.push(bytes.subarray(o, o + (1 << 20)));
const table = dec.finish();
table.setQuery('', '');
// the grid's columns: the table's fields with each derived column after its anchor
const derived = wb.catalogue().derived;
const names = table.fields().flatMap((f) => [f.name, ...derived.filter((d) => d.after === f.name).map((d) => d.name)]);
const span = table.viewCount() - ROWS;
let seed = 12345;
let best = Infinity;
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    table.window(seed % span, ROWS, names);
  }
  best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / CALLS);
}
console.log(JSON.stringify({ bench: 'window', case: `${ROWS} rows × ${names.length} columns`, impl: 'wasm', rows: table.rowCount(), runs, best_s: Number(best.toFixed(6)) }));
table.free();
