#!/usr/bin/env node
// Report files in wasm (Node): decode a bench case, then time table.buildReport of
// everything loaded (what "Save as report…" does: the table's bytes into the report
// module, as the table worker passes them, www/report-writer.js), plain and with every
// redaction, into
// dist/flowlens.html. Best of FLOWLENS_BENCH_RUNS (default 3). One JSON line per run
// kind on stdout ({"bench":"report",…}: the "Other benchmarks" table).
//
//   node scripts/bench-report.mjs [case-filter…]      (default: default-1m)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const runs = Math.max(1, Number(process.env.FLOWLENS_BENCH_RUNS || 3));
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
const rb = await import(pathToFileURL(path.join(root, 'pkg/flowlens_report.js')).href);
rb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_report_bg.wasm')) });
const { callReport } = await import(pathToFileURL(path.join(root, 'www/report-writer.js')).href);
const template = fs.readFileSync(path.join(root, 'dist/flowlens.html'), 'utf8');
const tsv = path.join(root, 'bench-data/cases.tsv');
if (!fs.existsSync(tsv)) { console.error('bench-report: bench-data/cases.tsv missing: run scripts/bench-data.sh'); process.exit(1); }
const cases = fs.readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'))
  .filter(([name]) => (filter.length ? filter.some((f) => name.includes(f)) : name === 'default-1m'));

for (const [name, file] of cases) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(root, 'bench-data', file)));
  const dec = new wb.Decoder({});
  dec.beginFile(file);
  for (let off = 0; off < bytes.length; off += 1 << 20) dec.push(bytes.subarray(off, off + (1 << 20)));
  const t = dec.finish();
  for (const [kind, redact] of [['plain', {}], ['redacted', { accounts: 'last4', ips: true, tags: true }]]) {
    let best = Infinity;
    let size = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = callReport(rb, t, 'buildReport', [template, JSON.stringify({ data: 'all', redact, saved_at_ms: 0, max_bytes: 1e9 })]);
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (!r.ok) { console.error(`bench-report: ${r.message}`); process.exit(1); }
      size = r.size;
      best = Math.min(best, dt);
      console.error(`  report ${name} ${kind} run ${i + 1}: ${dt.toFixed(3)}s, ${(r.size / 1e6).toFixed(1)} MB`);
    }
    console.log(JSON.stringify({ bench: 'report', impl: 'wasm', case: `${name} ${kind}`, rows: t.rowCount(), best_s: Number(best.toFixed(4)),
      note: `${(size / 1e6).toFixed(1)} MB file from ${(bytes.length / 1e6).toFixed(0)} MB input` }));
  }
  t.free();
}
