#!/usr/bin/env node
// End-to-end tests of the flowlens page: playwright-core driving Debian's Chromium
// against dist/ (run `npm run build` first). Zero dependencies besides playwright-core.
//
//   node tests/e2e/run.mjs [name-substring…]
//
// Env: FLOWLENS_SHARED (default <repo>/../shared) for tools/gen_flowlogs.py,
//      CHROMIUM (default /usr/bin/chromium), FLOWLENS_DIST (default <repo>/dist).
// Screenshots of the main states go to test-results/screenshots/*.png.
import { harness } from './harness.mjs';
import { cases as mainCases } from './cases.mjs';
import { cases as parquetCases } from './parquet-cases.mjs';

const cases = [...mainCases, ...parquetCases];

const only = process.argv.slice(2);
const h = await harness();
let passed = 0;
let failed = 0;
try {
  for (const [name, fn] of cases) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    const t0 = Date.now();
    const r = await h.run(name, fn);
    const ms = Date.now() - t0;
    if (r.ok) { passed++; console.log(`ok   ${name} (${ms} ms)`); }
    else { failed++; console.log(`FAIL ${name} (${ms} ms)\n     ${String(r.error).split('\n').join('\n     ')}`); }
  }
} finally {
  await h.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
