#!/usr/bin/env node
// WebAssembly decode throughput in Node (same cases as benches/decode.rs).
//
//   node scripts/bench-wasm.mjs [case-filter…]
//
// Loads pkg/flowlens.js (scripts/build.sh) with initSync({ module: bytes }), then per
// case times: new Decoder() → push(1 MiB Uint8Array chunks) → finish() → rowCount(),
// best of FLOWLENS_BENCH_RUNS (default 5). Prints one JSON line per case on stdout:
//   {"bench":"decode","impl":"wasm","case":…,"input_bytes":…,"records":…,"best_s":…,
//    "mb_s":…,"rec_s":…,"wasm_memory_bytes":…}
// Inputs: bench-data/cases.tsv (scripts/bench-data.sh).
// FLOWLENS_PKG=dir loads the main module from another wasm-bindgen output directory
// (default pkg/), to compare two builds of it in one session.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = Math.max(1, Number(process.env.FLOWLENS_BENCH_RUNS || 5));
const CHUNK = 1 << 20;

const pkg = process.env.FLOWLENS_PKG ? path.resolve(process.env.FLOWLENS_PKG) : path.join(root, 'pkg');
const glue = path.join(pkg, 'flowlens.js');
if (!fs.existsSync(glue)) {
  console.error('bench-wasm: pkg/flowlens.js missing: run scripts/build.sh first');
  process.exit(1);
}
const wb = await import(pathToFileURL(glue).href);
const exports = wb.initSync({ module: fs.readFileSync(path.join(pkg, 'flowlens_bg.wasm')) });
const memory = exports.memory;

const tsv = path.join(root, 'bench-data/cases.tsv');
if (!fs.existsSync(tsv)) {
  console.error('bench-wasm: bench-data/cases.tsv missing: run scripts/bench-data.sh first');
  process.exit(1);
}
const cases = fs.readFileSync(tsv, 'utf8').trim().split('\n')
  .map((l) => l.split('\t'))
  .map(([name, file]) => ({ name, file }))
  .filter((c) => filter.length === 0 || filter.some((f) => c.name.includes(f)));

const call = (obj, names, ...args) => {
  for (const n of names) if (typeof obj[n] === 'function') return obj[n](...args);
  return undefined;
};

// The Parquet reader is the second module: loaded only when a case is Parquet.
let pq = null;
const isParquet = (b) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
async function loadParquet() {
  if (pq) return pq;
  pq = await import(pathToFileURL(path.join(root, 'pkg/flowlens_parquet.js')).href);
  pq.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_parquet_bg.wasm')) });
  return pq;
}

/** As the page does it: the footer from the end, then each row group's bytes alone. */
function decodeParquetOnce(file, bytes) {
  const d = new wb.Decoder();
  d.beginFile(file);
  const size = bytes.length;
  const need = pq.footerLength(bytes.subarray(size - 8), size);
  const r = new pq.ParquetReader(bytes.subarray(size - need), size);
  d.pushRows(r.binding());
  for (let i = 0; i < r.rowGroups(); i++) {
    const [s, e] = r.rowGroupRange(i);
    d.pushRows(r.beginRowGroup(i, bytes.subarray(s, e)));
    for (let b = r.next(8192); b.length; b = r.next(8192)) d.pushRows(b);
  }
  r.free();
  const t = d.finish();
  return { t, rows: t.rowCount() };
}

function decodeOnce(file, bytes) {
  if (isParquet(bytes)) return decodeParquetOnce(file, bytes);
  const d = new wb.Decoder();
  call(d, ['beginFile', 'begin_file'], file);
  // plain text: the columns reserved for the file's size, as the page does (www/decode.js)
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) call(d, ['expectFileBytes'], bytes.length, 1.5e9 * 0.8);
  for (let off = 0; off < bytes.length; off += CHUNK) {
    d.push(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)));
  }
  const t = d.finish();
  const rows = call(t, ['rowCount', 'row_count', 'len']);
  return { t, rows: typeof rows === 'bigint' ? Number(rows) : rows };
}

for (const c of cases) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(root, 'bench-data', c.file)));
  if (isParquet(bytes)) await loadParquet();
  let best = Infinity;
  let records = null;
  let heap = null;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const { t, rows } = decodeOnce(c.file, bytes);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, dt);
    records ??= rows;
    heap ??= call(t, ['heapBytes', 'heap_bytes']) ?? null;
    console.error(`  wasm ${c.name} run ${i + 1}: ${dt.toFixed(3)}s`);
    t.free?.(); // outside the timed region
  }
  console.log(JSON.stringify({
    bench: 'decode',
    impl: 'wasm',
    case: c.name,
    file: c.file,
    input_bytes: bytes.length,
    records,
    runs,
    best_s: Number(best.toFixed(6)),
    mb_s: Number((bytes.length / 1e6 / best).toFixed(2)),
    rec_s: records == null ? null : Math.round(records / best),
    heap_bytes: heap == null ? null : Number(heap),
    wasm_memory_bytes: memory?.buffer?.byteLength ?? null,
  }));
}
