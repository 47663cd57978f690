#!/usr/bin/env node
// WebAssembly query timings in Node: the same cases as `bench_queries` in
// benches/decode.rs, through the page's API (pkg/flowlens.js).
//
//   node scripts/bench-wasm-query.mjs [case-filter…]
//
// Builds the query table once: bench-data/default-1m.log pushed ten times into one
// wasm Decoder (beginFile per copy, 1 MiB chunks) → finish() → Table (10M rows). Then
// times, best of FLOWLENS_BENCH_RUNS (default 5; at most 3 for sorts):
//   filters     table.setQuery(filter, '')          select + (empty) sort, end to end
//   sorts       table.setQuery('', sort)            select-all + sort
//   top         table.top(fields, by, 10)           over the whole view
//   histogram   table.histogram(0, 120)             over the whole view
// Prints one JSON line per case on stdout, the shape of the native lines:
//   {"bench":"query","impl":"wasm","case":"filter dstport = 22","rows":10000000,
//    "matched":…,"runs":…,"best_s":…,"rows_per_s":…,"wasm_memory_bytes":…}
// If the 10M table cannot be built (wasm memory), it falls back to 5M rows and says so
// in "note". Cases run when no filter is given or a filter word occurs in
// "query <case>" (as in benches/decode.rs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = Math.max(1, Number(process.env.FLOWLENS_BENCH_RUNS || 5));
const sortRuns = Math.min(runs, 3);
const CHUNK = 1 << 20;
const COPIES = 10;

// Keep in step with QUERY_FILTERS / QUERY_SORTS / the top cases in benches/decode.rs.
const FILTERS = [
  'dstport = 22',
  'action = reject',
  'srcaddr in 10.0.0.0/8',
  'bytes > 1MB and protocol = tcp',
  'interface-id ~ 0a',
  'eni-3d26',
];
const SORTS = ['bytes:desc', 'start,bytes:desc'];
const TOPS = [
  { case: 'top srcaddr by bytes', fields: 'srcaddr', by: 'bytes' },
  { case: 'top srcaddr,dstport by count', fields: 'srcaddr,dstport', by: 'count' },
];
const HIST = 'histogram auto 120';

const selected = (c) => filter.length === 0 || filter.some((f) => `query ${c}`.includes(f));
const cases = [
  ...FILTERS.map((f) => ({ case: `filter ${f}`, kind: 'filter', text: f })),
  ...SORTS.map((s) => ({ case: `sort ${s}`, kind: 'sort', text: s })),
  ...TOPS.map((t) => ({ ...t, kind: 'top' })),
  { case: HIST, kind: 'histogram' },
].filter((c) => selected(c.case));
if (cases.length === 0) process.exit(0);

const glue = path.join(root, 'pkg/flowlens.js');
const wasmFile = path.join(root, 'pkg/flowlens_bg.wasm');
if (!fs.existsSync(glue)) {
  console.error('bench-wasm-query: pkg/flowlens.js missing: run scripts/build.sh first');
  process.exit(1);
}
const input = path.join(root, 'bench-data/default-1m.log');
if (!fs.existsSync(input)) {
  console.error('bench-wasm-query: bench-data/default-1m.log missing: run scripts/bench-data.sh first');
  process.exit(1);
}
const bytes = new Uint8Array(fs.readFileSync(input));
const wasmBytes = fs.readFileSync(wasmFile);

// A fresh module instance per attempt (a trapped instance is not reusable): the glue is
// imported under a distinct query string so it keeps its own `wasm` binding.
async function instance(tag) {
  const wb = await import(`${pathToFileURL(glue).href}?instance=${tag}`);
  const exports = wb.initSync({ module: wasmBytes });
  return { wb, memory: exports.memory };
}

async function buildTable(copies) {
  const { wb, memory } = await instance(copies);
  const t0 = process.hrtime.bigint();
  const d = new wb.Decoder();
  for (let i = 0; i < copies; i++) {
    d.beginFile(`default-1m.log#${i + 1}`);
    for (let off = 0; off < bytes.length; off += CHUNK) {
      d.push(bytes.subarray(off, Math.min(off + CHUNK, bytes.length)));
    }
  }
  const table = d.finish();
  d.free?.();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(`wasm query table: ${table.rowCount()} rows from ${copies} × default-1m.log in ${secs.toFixed(2)}s`
    + ` (${(table.heapBytes() / 1e6).toFixed(0)} MB held, wasm memory ${(memory.buffer.byteLength / 1e6).toFixed(0)} MB)`);
  return { table, memory };
}

let built;
let note;
try {
  built = await buildTable(COPIES);
} catch (e) {
  console.error(`bench-wasm-query: building the ${COPIES}M-row table failed (${e?.message ?? e}); falling back to 5M rows`);
  note = `5M rows: ${COPIES}M failed in wasm (${String(e?.message ?? e).slice(0, 60)})`;
  built = await buildTable(5);
}
const { table, memory } = built;
const rows = table.rowCount();

function bestOf(n, label, prep, f) {
  let best = Infinity;
  let out;
  for (let i = 0; i < n; i++) {
    prep();
    const t0 = process.hrtime.bigint();
    out = f();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, dt);
    console.error(`  wasm ${label} run ${i + 1}: ${dt.toFixed(4)}s`);
  }
  return { best, out };
}

const resetView = () => {
  const r = table.setQuery('', '');
  if (!r?.ok) throw new Error('setQuery("", "") failed');
};
const nothing = () => {};

function setQuery(f, s, label) {
  const r = table.setQuery(f, s);
  if (!r?.ok) throw new Error(`${label}: ${JSON.stringify(r?.error)}`);
  return r.count;
}

for (const c of cases) {
  let n = runs;
  let extra;
  let best;
  if (c.kind === 'filter') {
    const r = bestOf(n, c.case, nothing, () => setQuery(c.text, '', c.case));
    best = r.best;
    extra = { matched: r.out };
  } else if (c.kind === 'sort') {
    n = sortRuns;
    // Each run starts from the unsorted view; the sort itself restarts from table order.
    const r = bestOf(n, c.case, resetView, () => setQuery('', c.text, c.case));
    best = r.best;
    extra = { matched: r.out };
  } else if (c.kind === 'top') {
    resetView();
    const r = bestOf(n, c.case, nothing, () => table.top(c.fields, c.by, 10));
    best = r.best;
    extra = { groups: r.out.length };
  } else {
    resetView();
    const r = bestOf(n, c.case, nothing, () => table.histogram(0, 120));
    best = r.best;
    extra = { buckets: r.out.records.length };
  }
  console.log(JSON.stringify({
    bench: 'query',
    impl: 'wasm',
    case: c.case,
    rows,
    ...extra,
    runs: n,
    best_s: Number(best.toFixed(6)),
    rows_per_s: Math.round(rows / best),
    wasm_memory_bytes: memory.buffer.byteLength,
    ...(note ? { note } : {}),
  }));
}
table.free?.();
