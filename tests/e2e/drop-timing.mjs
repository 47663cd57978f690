#!/usr/bin/env node
// Diagnostic (not part of npm test): drops FILE (or several files, as one drop) in the
// page RUNS times, each in a fresh context DELAY ms after the page is ready (a person
// takes a moment; the table worker and the decode pool warm up meanwhile), and prints
// the page's marks relative to the drop:
//   node tests/e2e/drop-timing.mjs FILE... [--runs=3] [--delay=1500] [--dist=DIR] [--workers=N]
// DIR defaults to dist/; pass another build's directory to compare two builds in turn.
// --workers=N opens the page with ?workers=N (the decoders of a drop of several files).
// DROP_LOG=1 prints the page's console (for timings a build logs while debugging).
import path from 'node:path';
import { ROOT, DIST, CHROME_ARGS, loadPlaywright, startServer } from './harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const a = args.find((x) => x.startsWith(`--${name}=`)); return a ? a.slice(name.length + 3) : dflt; };
const named = args.filter((a) => !a.startsWith('--'));
const files = named.length ? named : [path.join(ROOT, 'bench-data', 'default-1m.log')];
const workers = opt('workers', '');
const runs = Number(opt('runs', '3'));
const delay = Number(opt('delay', '1500'));
const { chromium } = loadPlaywright();
const server = await startServer(opt('dist', DIST));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROME_ARGS });
try {
  for (let run = 0; run < runs; run++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    if (process.env.DROP_LOG) page.on('console', (m) => console.log(`  ${m.text()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html${workers ? `?workers=${workers}` : ''}`);
    await page.waitForSelector('html[data-ready="yes"]');
    await page.waitForTimeout(delay);
    await page.setInputFiles('#file-input', files);
    await page.waitForFunction(() => performance.getEntriesByName('flowlens:complete').length > 0, null, { timeout: 120000 });
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark')
      .filter((e) => e.name.startsWith('flowlens:')).map((e) => [e.name.slice(9), e.startTime])));
    const at = (n) => (marks[n] === undefined ? '—' : `${Math.round(marks[n] - marks.input)} ms`);
    console.log(`run ${run + 1}: first rows ${at('first-rows')}, complete ${at('complete')}`);
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}
