#!/usr/bin/env node
// Diagnostic (not part of npm test): drop a file in the page with a Chromium trace
// running, then list the main thread's tasks over 50 ms with what they spent time on.
//   node tests/e2e/trace-longtasks.mjs [FILE] [--filter] [--quiet] [--css=RULES] [--warm=SMALLFILE]
// (--css adds style rules, CSP bypassed, to try a change without a build.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, DIST, CHROME_ARGS, loadPlaywright, startServer } from './harness.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) || path.join(ROOT, 'bench-data', 'default-1m.log');
const { chromium } = loadPlaywright();
const server = await startServer(DIST);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROME_ARGS });
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: args.some((a) => a.startsWith('--css=')) });
  const page = await ctx.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('html[data-ready="yes"]');
  const css = args.find((a) => a.startsWith('--css='));
  if (css) await page.addStyleTag({ content: css.slice(6) });
  const warm = args.find((a) => a.startsWith('--warm='));
  if (warm) { // a small file first: what the big drop costs once the page has drawn a table
    await page.setInputFiles('#file-input', warm.slice(7));
    await page.waitForFunction(() => performance.getEntriesByName('flowlens:complete').length > 0, null, { timeout: 60000 });
    await page.waitForTimeout(1500);
  }
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => /^[\d,]+ of [\d,]+ records$/.test(document.getElementById('status').textContent) && document.getElementById('status').textContent.split(' of ')[0] === document.getElementById('status').textContent.split(' of ')[1].replace(' records', ''), null, { timeout: 120000 });
  await page.waitForTimeout(1500);
  if (args.includes('--filter')) {
    for (const f of ['dstport = 80', 'action = REJECT', 'srcaddr in 10.0.0.0/8', 'bytes > 1000', '']) {
      await page.fill('#filter', f);
      await page.waitForTimeout(600);
    }
  }
  const buf = await browser.stopTracing();
  const events = JSON.parse(buf.toString()).traceEvents;
  const names = new Map();
  for (const e of events) if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const main = [...names].filter(([, n]) => n === 'CrRendererMain').map(([k]) => k);
  const onMain = events.filter((e) => main.includes(`${e.pid}:${e.tid}`) && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur > 50000);
  const sum = (n) => onMain.filter((e) => e.name === n).reduce((a, e) => a + e.dur, 0) / 1000;
  console.log(`${tasks.length} main-thread tasks > 50 ms; Layout ${sum('Layout').toFixed(0)} ms, UpdateLayoutTree ${sum('UpdateLayoutTree').toFixed(0)} ms, Paint ${sum('Paint').toFixed(0)} ms, PrePaint ${sum('PrePaint').toFixed(0)} ms in all; ${onMain.filter((e) => e.name === 'Layout').reduce((a, e) => a + (e.args?.beginData?.dirtyObjects || 0), 0)} objects laid out, ${onMain.filter((e) => e.name === 'UpdateLayoutTree').reduce((a, e) => a + (e.args?.elementCount || 0), 0)} elements restyled`);
  if (args.includes('--quiet')) tasks.length = 0;
  for (const t of tasks) {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur);
    const by = new Map();
    for (const e of inside) {
      let k = e.name;
      if (e.name === 'FunctionCall' || e.name === 'EvaluateScript') k += ` ${(e.args?.data?.url || '').split('/').pop()}:${e.args?.data?.lineNumber ?? ''} ${e.args?.data?.functionName || ''}`;
      if (e.name === 'TimerFire' || e.name === 'EventDispatch' || e.name === 'FireAnimationFrame') k += ` ${e.args?.data?.type || ''}`;
      by.set(k, (by.get(k) || 0) + (e.dur || 0));
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, d]) => `    ${(d / 1000).toFixed(1)} ms  ${k}`).join('\n');
    console.log(`task ${(t.dur / 1000).toFixed(1)} ms at +${((t.ts - tasks[0].ts) / 1000).toFixed(0)} ms\n${top}`);
  }
  fs.writeFileSync(path.join(os.tmpdir(), 'flowlens-trace.json'), buf); // for a closer look (chrome://tracing)
} finally {
  await browser.close();
  server.close();
}
