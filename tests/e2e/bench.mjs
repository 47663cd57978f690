#!/usr/bin/env node
// Browser benchmark (Chromium): drop → first rows and → complete for 1M default-format
// records (~113 MB), and filter keystroke latency on the 1M-row table.
//
//   node tests/e2e/bench.mjs [--records N] [--runs K]
//
// Prints `name: value ms` lines. The input is generated once with the shared generator
// into bench-data/ (git-ignored) and reused.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, DIST, CHROME_ARGS, gen, loadPlaywright, startServer } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const N = opt('--records', 1_000_000);
const RUNS = opt('--runs', 3);

const dataDir = path.join(ROOT, 'bench-data');
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `default-${N}.log`);
if (!fs.existsSync(file)) {
  console.error(`bench: generating ${N} records → ${path.relative(ROOT, file)}`);
  gen(file, ['-n', String(N)]);
}
const mb = fs.statSync(file).size / 1e6;

const { chromium } = loadPlaywright();
const server = await startServer(DIST);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROME_ARGS });
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const fmt = (v) => v.toFixed(1);

try {
  const first = [];
  const complete = [];
  let page;
  for (let run = 0; run < RUNS; run++) {
    if (page) await page.context().close();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await ctx.newPage();
    await page.goto(`${origin}/index.html`);
    await page.waitForSelector('html[data-ready="yes"]');
    await page.setInputFiles('#file-input', file);
    const want = `${N.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} records`;
    await page.waitForFunction((w) => document.getElementById('status').textContent === w, want, { timeout: 120000 });
    const m = await page.evaluate(() => {
      const t = (n) => performance.getEntriesByName(`flowlens:${n}`).at(-1)?.startTime;
      return { input: t('input'), first: t('first-rows'), complete: t('complete') };
    });
    first.push(m.first - m.input);
    complete.push(m.complete - m.input);
  }
  console.log(`input: ${N} records, ${mb.toFixed(1)} MB, ${RUNS} runs (median)`);
  console.log(`drop to first rows (1M records, ${mb.toFixed(0)} MB): ${fmt(median(first))} ms`);
  console.log(`drop to complete (1M records): ${fmt(median(complete))} ms`);

  // Filter keystroke latency on the last page (1M rows loaded): the time from a key
  // press in the filter to the status line showing the new count.
  await page.waitForTimeout(500);
  const cases = [['dstport = 8', '0'], ['action = REJEC', 'T'], ['srcaddr in 10.0.0.0/', '8'], ['bytes > 1', '0'], ['protocol = TC', 'P'], ['tcp-flags has SY', 'N']];
  const keyMs = [];
  const engineMs = [];
  for (let k = 0; k < 2; k++) {
    for (const [base, key] of cases) {
      await page.fill('#filter', '');
      await page.fill('#filter', base);
      await page.waitForTimeout(400);
      await page.evaluate(() => {
        const s = document.getElementById('status');
        window.__lat = new Promise((resolve) => {
          let t0 = 0;
          document.getElementById('filter').addEventListener('keydown', () => { t0 = performance.now(); }, { once: true, capture: true });
          const mo = new MutationObserver(() => { if (t0) { mo.disconnect(); resolve(performance.now() - t0); } });
          mo.observe(s, { childList: true, characterData: true, subtree: true });
        });
      });
      await page.press('#filter', key);
      const ms = await page.evaluate(() => window.__lat);
      keyMs.push(ms);
      engineMs.push(await page.evaluate(() => globalThis.flowlens.lastQueryMs));
      await page.waitForTimeout(400);
    }
  }
  console.log(`filter keystroke to count (1M rows, median of ${keyMs.length}): ${fmt(median(keyMs))} ms`);
  console.log(`filter keystroke to count (1M rows, max): ${fmt(Math.max(...keyMs))} ms`);
  console.log(`filter setQuery in wasm (1M rows, median): ${fmt(median(engineMs))} ms`);
} finally {
  await browser.close();
  server.close();
}
