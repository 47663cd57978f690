#!/usr/bin/env node
// What labelling a table in the context module costs in Node (the page's path, see
// www/annotate.js): the main module's Table.annotationInput() (the columns labelling reads,
// as bytes), the context module's Annotator.annotate(…) (parse them, label every row,
// classify health checks, the annotations as bytes) and Table.setAnnotations(…).
//
//   node scripts/bench-annotate.mjs [FILE]      (default bench-data/default-1m.log)
//
// Best of FLOWLENS_BENCH_RUNS (default 3) per step; prints one JSON line:
//   {"bench":"annotate","impl":"wasm","records":…,"input_bytes":…,"output_bytes":…,
//    "input_s":…,"annotate_s":…,"set_s":…,"total_s":…,"context_memory_bytes":…,
//    "best_s", "rows", "note" (for the "Other benchmarks" table)}
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] || path.join(root, 'bench-data/default-1m.log');
const runs = Math.max(1, Number(process.env.FLOWLENS_BENCH_RUNS || 3));
const load = async (name) => {
  const m = await import(pathToFileURL(path.join(root, `pkg/${name}.js`)).href);
  return [m, m.initSync({ module: fs.readFileSync(path.join(root, `pkg/${name}_bg.wasm`)) })];
};
const [wb] = await load('flowlens');
const [cx, cxExports] = await load('flowlens_context');

const dec = new wb.Decoder({});
dec.beginFile(path.basename(file));
const bytes = fs.readFileSync(file);
for (let at = 0; at < bytes.length; at += 1 << 20) dec.push(bytes.subarray(at, at + (1 << 20)));
const table = dec.finish();

const best = { input: Infinity, annotate: Infinity, set: Infinity, total: Infinity };
let inputBytes = 0;
let outputBytes = 0;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const input = table.annotationInput();
  const t1 = performance.now();
  const a = new cx.Annotator();
  const out = a.annotate(input);
  a.free();
  const t2 = performance.now();
  table.setAnnotations(out);
  const t3 = performance.now();
  inputBytes = input.length;
  outputBytes = out.length;
  best.input = Math.min(best.input, t1 - t0);
  best.annotate = Math.min(best.annotate, t2 - t1);
  best.set = Math.min(best.set, t3 - t2);
  best.total = Math.min(best.total, t3 - t0);
  console.error(`  annotate run ${i + 1}: ${((t3 - t0) / 1000).toFixed(3)}s (input ${((t1 - t0) / 1000).toFixed(3)}s, context module ${((t2 - t1) / 1000).toFixed(3)}s, set ${((t3 - t2) / 1000).toFixed(3)}s)`);
}
const s = (ms) => Number((ms / 1000).toFixed(4));
console.log(JSON.stringify({
  bench: 'annotate', impl: 'wasm', case: path.basename(file), records: table.rowCount(),
  input_bytes: inputBytes, output_bytes: outputBytes,
  input_s: s(best.input), annotate_s: s(best.annotate), set_s: s(best.set), total_s: s(best.total),
  context_memory_bytes: cxExports.memory.buffer.byteLength,
  // for the "Other benchmarks" table of scripts/bench-table.mjs
  best_s: s(best.total), rows: table.rowCount(),
  note: `labels in the context module: ${(inputBytes / 1e6).toFixed(1)} MB of columns in (${s(best.input)} s), ` +
    `${s(best.annotate)} s there, ${(outputBytes / 1e6).toFixed(1)} MB of annotations back (${s(best.set)} s)`,
}));
