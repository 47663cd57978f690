#!/usr/bin/env node
// Prints the benchmark table from JSON-lines result files.
//   node scripts/bench-table.mjs target/bench/*.jsonl
//
// Decode rows: {"bench":"decode","impl":"native"|"wasm"|"browser", "case", "input_bytes",
// "records", "mb_s", "rec_s", "heap_bytes"}; one row per case, one column pair per impl
// (a "browser" column pair appears as soon as any browser line exists — HOOK for
// browser timings). Query lines {"bench":"query","impl","case","rows","matched"|"groups"|
// "buckets","best_s","rows_per_s"} make the "Query" table: one row per case, one
// ms / Mrows/s column pair per impl, plus a check of the targets. Any other "bench" is
// listed in a last table, one row per line: bench | case | impl | best_s | rows | note.
// Lines {"bench":"size", "name", "bytes", "gzip_bytes"} make the size table.
import fs from 'node:fs';

const lines = [];
for (const f of process.argv.slice(2)) {
  if (!fs.existsSync(f)) continue;
  for (const l of fs.readFileSync(f, 'utf8').split('\n')) {
    const t = l.trim();
    if (!t.startsWith('{')) continue;
    try { lines.push(JSON.parse(t)); } catch { /* not ours */ }
  }
}

const fmtInt = (n) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));
const fmt1 = (n) => (n == null ? '—' : Number(n).toFixed(1));
function table(headers, rows, alignRight) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => (alignRight(i) ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join(' | ') + ' |';
  console.log(line(headers));
  console.log('|' + w.map((x, i) => (alignRight(i) ? '-'.repeat(x + 1) + ':' : ':' + '-'.repeat(x + 1))).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

// ── decode table
const decode = lines.filter((l) => l.bench === 'decode');
const cases = [...new Set(decode.map((l) => l.case))];
const impls = ['native', 'wasm', ...(decode.some((l) => l.impl === 'browser') ? ['browser'] : [])];
const headers = ['case', 'input MB', 'records'];
for (const i of impls) headers.push(`${i} MB/s`, `${i} rec/s`);
headers.push('bytes/record held');
const rows = cases.map((c) => {
  const by = Object.fromEntries(decode.filter((l) => l.case === c).map((l) => [l.impl, l]));
  const any = by.native ?? by.wasm ?? by.browser;
  const r = [c, fmt1(any.input_bytes / 1e6), fmtInt(any.records)];
  for (const i of impls) r.push(fmt1(by[i]?.mb_s), fmtInt(by[i]?.rec_s));
  const held = by.native?.heap_bytes ?? by.wasm?.heap_bytes;
  r.push(held == null ? '—' : fmt1(held / Math.max(1, any.records)));
  return r;
});
if (rows.length) {
  console.log('\nDecode throughput (best of N; MB = 10^6 bytes of input as pushed, compressed for .gz)\n');
  table(headers, rows, (i) => i > 0);
  const mismatch = cases.filter((c) => new Set(decode.filter((l) => l.case === c).map((l) => l.records)).size > 1);
  if (mismatch.length) console.log(`\nWARNING: native and wasm record counts differ for: ${mismatch.join(', ')}`);
  const errs = decode.filter((l) => l.errors > 0);
  for (const e of errs) console.log(`note: ${e.impl} ${e.case}: ${e.errors} decode errors`);
}

// ── ratios against baselines measured in the same run (scripts/bench-baseline.py)
const baseline = lines.filter((l) => l.bench === 'baseline');
if (baseline.length) {
  const secs = (l) => (l?.mb_s ? l.input_bytes / (l.mb_s * 1e6) : null);
  const findDecode = (c, impl) => decode.find((l) => l.case === c && l.impl === impl);
  const ratios = [];
  for (const b of baseline) {
    if (b.best_s == null) { ratios.push([b.case, b.impl, '—', '—', '—', b.note ?? '']); continue; }
    const target = b.impl.startsWith('duckdb') ? { native: 6, wasm: 3 } : { native: 1 };
    for (const impl of Object.keys(target)) {
      const s = secs(findDecode(b.case, impl));
      if (s == null) continue;
      const r = b.best_s / s;
      ratios.push([b.case, `${impl} vs ${b.impl}`, (s * 1e3).toFixed(0), (b.best_s * 1e3).toFixed(0),
        `${r.toFixed(2)}×`, `target ≥ ${target[impl]}×: ${r >= target[impl] ? 'ok' : 'MISS'}; ${b.note ?? ''}`]);
    }
  }
  console.log('\nRatios (same run; > 1 means flowlens is faster than the baseline)\n');
  table(['case', 'comparison', 'flowlens ms', 'baseline ms', 'ratio', 'note'], ratios, (i) => i >= 2 && i <= 4);
}

// ── sizes
const sizes = lines.filter((l) => l.bench === 'size');
if (sizes.length) {
  console.log('\nSizes\n');
  table(['artifact', 'bytes', 'KiB', 'gzip -9 bytes', 'gzip KiB'],
    sizes.map((s) => [s.name, fmtInt(s.bytes), fmt1(s.bytes / 1024), fmtInt(s.gzip_bytes), fmt1(s.gzip_bytes / 1024)]),
    (i) => i > 0);
  // budget (issue 13): the main module, which every page load pays for, ≤ 250 KB gzip;
  // the modules loaded on first use are not in it
  const main = sizes.find((s) => s.name === 'flowlens_bg.wasm');
  if (main) {
    const kb = main.gzip_bytes / 1000;
    console.log(`
targets: main wasm module ≤ 250 KB gzip: ${kb <= 250 ? 'ok' : 'MISS'} (${kb.toFixed(0)} KB)`);
  }
}

// ── queries (filter / sort / top / histogram on the 10M-row table)
const query = lines.filter((l) => l.bench === 'query');
if (query.length) {
  const qcases = [...new Set(query.map((l) => l.case))];
  const qimpls = ['native', 'wasm', 'browser'].filter((i) => query.some((l) => l.impl === i));
  const rowCounts = [...new Set(query.map((l) => l.rows))];
  const mrows = (n) => `${Number((n / 1e6).toFixed(1))}M`;
  const title = rowCounts.length === 1
    ? `Query (${mrows(rowCounts[0])} rows)`
    : `Query (${qimpls.map((i) => {
      const r = query.find((l) => l.impl === i)?.rows;
      return `${i} ${r == null ? '?' : mrows(r)}`;
    }).join(', ')} rows)`;
  const result = (l) => (l == null ? '—'
    : l.matched != null ? fmtInt(l.matched)
      : l.groups != null ? `${fmtInt(l.groups)} groups`
        : l.buckets != null ? `${fmtInt(l.buckets)} buckets` : '—');
  const qheaders = ['case', 'matched'];
  for (const i of qimpls) qheaders.push(`${i} ms`, `${i} Mrows/s`);
  const qrows = qcases.map((c) => {
    const by = Object.fromEntries(query.filter((l) => l.case === c).map((l) => [l.impl, l]));
    const r = [c, result(by.native ?? by.wasm ?? by.browser)];
    for (const i of qimpls) {
      const l = by[i];
      r.push(l?.best_s == null ? '—' : (l.best_s * 1e3).toFixed(1),
        l?.best_s == null ? '—' : (l.rows / l.best_s / 1e6).toFixed(1));
    }
    return r;
  });
  console.log(`\n${title}: best of N; filters in wasm are table.setQuery(filter, '') end to end,`
    + ` sorts setQuery('', sort); Mrows/s = input rows / best time\n`);
  table(qheaders, qrows, (i) => i > 0);
  const differ = qcases.filter((c) => {
    const ls = query.filter((l) => l.case === c && l.rows === query[0].rows);
    return new Set(ls.map((l) => result(l))).size > 1;
  });
  if (differ.length) console.log(`\nWARNING: native and wasm results differ for: ${differ.join(', ')}`);
  for (const n of new Set(query.map((l) => l.note).filter(Boolean))) console.log(`note: ${n}`);
  // targets (issue): simple predicates ≥ 100M rows/s in wasm; 10M rows by bytes < 1 s native
  const checks = [];
  const simple = query.filter((l) => l.impl === 'wasm' && l.case.startsWith('filter '));
  if (simple.length) {
    const slow = simple.filter((l) => l.rows / l.best_s < 100e6);
    checks.push(`wasm filters ≥ 100 Mrows/s: ${slow.length ? `MISS (${slow.map((l) => l.case).join(', ')})` : 'ok'}`
      + ` — slowest ${Math.min(...simple.map((l) => l.rows / l.best_s / 1e6)).toFixed(0)} Mrows/s`);
  }
  const sortNative = query.find((l) => l.impl === 'native' && l.case === 'sort bytes:desc');
  if (sortNative) {
    checks.push(`native sort bytes:desc of ${mrows(sortNative.rows)} rows < 1 s: `
      + `${sortNative.best_s < 1 ? 'ok' : 'MISS'} (${sortNative.best_s.toFixed(3)} s)`);
  }
  if (checks.length) console.log(`\ntargets: ${checks.join('; ')}`);
}

// ── HOOK: other benchmarks (browser timings, …)
const other = lines.filter((l) => !['decode', 'size', 'query', 'baseline'].includes(l.bench));
if (other.length) {
  console.log('\nOther benchmarks\n');
  table(['bench', 'case', 'impl', 'best s', 'rows', 'note'],
    other.map((l) => [l.bench, l.case ?? '', l.impl ?? '', l.best_s == null ? '—' : Number(l.best_s).toFixed(4), fmtInt(l.rows), l.note ?? '']),
    (i) => i === 3 || i === 4);
}
if (!lines.length) {
  console.error('bench-table: no results');
  process.exit(1);
}
