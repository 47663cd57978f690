#!/usr/bin/env node
// Times the wasm decode of one plain-text file in Node with and without
// `Decoder.expectFileBytes` (columns reserved for the whole file, README "Columns
// reserved for the whole file"), alternating, pushed in 4 MiB chunks as the page does.
//   node scripts/bench-reserve.mjs [FILE=bench-data/default-1m.log] [RUNS=2]
// Prints one line per run (seconds, wasm linear memory) and the best of each.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] || path.join(root, 'bench-data', 'default-1m.log');
const runs = Number(process.argv[3] || 2);
const CHUNK = 4 << 20;
const all = fs.readFileSync(file);
const best = { plain: Infinity, reserved: Infinity };
for (let r = 0; r < runs; r++) {
  for (const mode of ['plain', 'reserved']) {
    // a fresh instance per run: linear memory never shrinks
    const wb = await import(`../pkg/flowlens.js?run=${r}-${mode}`);
    const exports = wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg', 'flowlens_bg.wasm')) });
    const t0 = performance.now();
    const dec = new wb.Decoder({ format: '' });
    dec.beginFile(path.basename(file));
    if (mode === 'reserved') dec.expectFileBytes(all.length, 1.2e9);
    for (let off = 0; off < all.length; off += CHUNK) dec.push(all.subarray(off, Math.min(all.length, off + CHUNK)));
    dec.endFile();
    const t = dec.finish();
    const s = (performance.now() - t0) / 1000;
    best[mode] = Math.min(best[mode], s);
    console.log(`${mode.padEnd(8)} run ${r + 1}: ${s.toFixed(2)} s, ${t.rowCount().toLocaleString('en-US')} records, wasm memory ${(exports.memory.buffer.byteLength / 1e6).toFixed(0)} MB`);
    t.free();
  }
}
console.log(`best: ${best.plain.toFixed(2)} s without, ${best.reserved.toFixed(2)} s with the reservation (${(best.plain / best.reserved).toFixed(2)}×)`);
