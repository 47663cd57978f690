// Test harness: the static server for dist/ (scripts/serve.mjs), Chromium via playwright-core, generated
// fixtures, and small helpers shared by the cases.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.FLOWLENS_DIST || path.join(ROOT, 'dist');
export const SHARED = process.env.FLOWLENS_SHARED || path.resolve(ROOT, '..', 'shared');
export const GEN = path.join(SHARED, 'tools', 'gen_flowlogs.py');
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function loadPlaywright() {
  const req = createRequire(path.join(ROOT, 'package.json'));
  try {
    return req('playwright-core');
  } catch {
    console.error('playwright-core is missing: run `npm ci` (it is a devDependency)');
    process.exit(2);
  }
}

// The one static server, shared with `npm start`.
export { startServer };

export function gen(out, args) {
  execFileSync('python3', [GEN, ...args, '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

/** Fixtures in every export shape, generated into a temp dir. */
export function makeFixtures() {
  if (!fs.existsSync(GEN)) { console.error(`generator not found: ${GEN} (set FLOWLENS_SHARED)`); process.exit(2); }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlens-e2e-'));
  const f = { dir };
  const truth = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  f.raw = gen(path.join(dir, 'raw.log'), ['-n', '2000', '--truth', path.join(dir, 'raw.truth.json')]);
  f.rawTruth = truth('raw.truth.json');
  f.s3 = gen(path.join(dir, '123456789012_vpcflowlogs_us-east-1_fl-1_20251126T0000Z_abc.log.gz'),
    ['-n', '3000', '--fields', 'v5', '--container', 's3', '--gzip', '--seed', '7', '--truth', path.join(dir, 's3.truth.json')]);
  f.s3Truth = truth('s3.truth.json');
  f.cwlJson = gen(path.join(dir, 'get-log-events.json'), ['-n', '500', '--container', 'cwl-json', '--seed', '3']);
  f.cwlFilter = gen(path.join(dir, 'filter-log-events.json'), ['-n', '400', '--container', 'cwl-filter-json', '--seed', '4']);
  f.cwlMessages = gen(path.join(dir, 'messages.txt'), ['-n', '300', '--container', 'cwl-messages', '--seed', '5']);
  f.bad = gen(path.join(dir, 'bad.log'), ['-n', '1000', '--bad-rate', '0.02', '--seed', '9', '--truth', path.join(dir, 'bad.truth.json')]);
  f.badTruth = truth('bad.truth.json');
  // A CloudWatch console / Logs Insights CSV download, made by hand.
  const msgs = fs.readFileSync(f.raw, 'utf8').split('\n').filter(Boolean).slice(0, 25);
  f.csv = path.join(dir, 'insights.csv');
  fs.writeFileSync(f.csv, '"@timestamp","@message"\n' +
    msgs.map((m, i) => `"2025-11-26 00:00:${String(i).padStart(2, '0')}.000","${m.replace(/"/g, '""')}"`).join('\n') + '\n');
  // Log lines holding HTML must show as text.
  f.html = path.join(dir, 'html.log');
  fs.writeFileSync(f.html, [
    '2 123456789012 eni-0123456789abcdef0 10.0.1.5 10.0.2.6 443 49152 6 10 840 1764115200 1764115260 ACCEPT OK',
    '2 123456789012 <img/src=x/onerror=alert(1)> 10.0.1.5 10.0.2.6 443 49152 6 10 840 1764115200 1764115260 ACCEPT OK',
    '2 123456789012 eni-0123456789abcdef0 <img src=x onerror=alert(1)> 10.0.2.6 443 49152 6 10 840 1764115200 1764115260 ACCEPT OK',
    // HTML alone on a line is prose among records (not a record, never shown); HTML in
    // a broken record is a bad line whose raw text the errors panel shows
    '<b>bold</b><script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2">',
    '2 123456789012 <b>bold</b><script>window.__pwned=1</script> 10.0.1.5 10.0.2.6 443 <img src=x onerror="window.__pwned=2">',
  ].join('\n') + '\n');
  // Bigger inputs, made on first use: 400k default-format records (~45 MB), and that
  // file three times over (~135 MB) for tests that need a decode lasting a while.
  f.bigLog = () => f._big || (f._big = gen(path.join(dir, 'big.log'), ['-n', '400000', '--seed', '2', '--truth', path.join(dir, 'big.truth.json')]));
  f.bigTruth = () => { f.bigLog(); return truth('big.truth.json'); };
  /** A file made on first use: `from()`'s file three times over, as `name`. */
  const thrice = (name, from) => {
    let made = null;
    return () => {
      if (made) return made;
      const src = fs.readFileSync(from());
      fs.writeFileSync(path.join(dir, name), Buffer.concat([src, src, src]));
      made = path.join(dir, name);
      return made;
    };
  };
  f.hugeLog = thrice('huge.log', f.bigLog);
  // ~405 MB (3.6M records), for a test that looks around the page while it decodes and
  // then cancels: on a fast machine the 135 MB one can end before that
  f.giantLog = thrice('giant.log', f.hugeLog);
  return f;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function harness() {
  const { chromium } = loadPlaywright();
  if (!fs.existsSync(path.join(DIST, 'index.html'))) { console.error(`${DIST}/index.html missing: run npm run build`); process.exit(2); }
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('FAILED-')) fs.rmSync(path.join(SHOTS, f));
  const fixtures = makeFixtures();
  const server = await startServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROME_ARGS });

  async function run(name, fn) {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests = [];
    const problems = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('dialog', (d) => { problems.push(`unexpected dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
    const t = makeT(page, context, { origin, fixtures, requests, problems });
    try {
      await fn(t);
      for (const u of requests) {
        if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:' + origin) || (t.allowFile && (u.startsWith('file://') || u.startsWith('blob:null/'))))) {
          throw new Error(`request left the origin: ${u}`);
        }
      }
      const bad = problems.filter((p) => !(t.allowProblems || []).some((re) => re.test(p)));
      if (bad.length) throw new Error(bad.join('\n'));
      return { ok: true };
    } catch (e) {
      try { await page.screenshot({ path: path.join(SHOTS, `FAILED-${name.replace(/\W+/g, '_')}.png`) }); } catch { /* */ }
      const msg = e && e.stack ? e.stack.split('\n').slice(0, 4).join('\n') : String(e);
      return { ok: false, error: problems.length ? `${msg}\n(page problems: ${problems.join('; ')})` : msg };
    } finally {
      await context.close();
    }
  }

  async function close() {
    await browser.close();
    server.close();
    fs.rmSync(fixtures.dir, { recursive: true, force: true });
  }
  return { run, close, origin, fixtures, browser };
}

function makeT(page, context, { origin, fixtures, requests, problems }) {
  const t = {
    page, context, origin, fx: fixtures, requests, problems, sleep,
    async open(hash = '') {
      await page.goto(`${origin}/index.html${hash}`);
      await page.waitForSelector('html[data-ready="yes"]', { timeout: 15000 });
    },
    async upload(...files) {
      await page.setInputFiles('#file-input', files);
    },
    /** A synthetic drop of files (DataTransfer built in the page) onto the body. */
    async drop(...files) {
      const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
      const dt = await page.evaluateHandle((items) => {
        const d = new DataTransfer();
        for (const it of items) {
          const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
          d.items.add(new File([bin], it.name));
        }
        return d;
      }, payload);
      await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
      await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
      await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    },
    /** Waits until no request to the table worker is pending and the grid shows the current view. */
    settled: () => page.evaluate(() => globalThis.flowlens.settled()),
    status: () => page.textContent('#status'),
    async waitStatus(re, timeout = 20000) {
      await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent), re.source, { timeout })
        .catch(async () => { throw new Error(`status ${re} not reached; status is "${await page.textContent('#status')}"`); });
      // the panels and the grid fill in from the table worker's answers after the status
      await page.evaluate(() => globalThis.flowlens?.settled?.());
      return page.textContent('#status');
    },
    async loaded(total) {
      const n = total.toLocaleString('en-US');
      return t.waitStatus(new RegExp(`^[\\d,]+ of ${n} records$`));
    },
    async typeFilter(text) {
      await page.fill('#filter', '');
      await page.type('#filter', text, { delay: 5 });
      await sleep(250);
    },
    /** Texts of a column's visible cells. */
    async column(name) {
      await page.evaluate(() => globalThis.flowlens?.settled?.()); // rows come from the table worker
      return page.evaluate((n) => {
        const heads = [...document.querySelectorAll('.grid-head [role=columnheader]')];
        const i = heads.findIndex((h) => h.dataset.name === n);
        if (i < 0) return null;
        return [...document.querySelectorAll('.grid-layer .grid-row:not([hidden])')].map((r) => r.children[i].textContent);
      }, name);
    },
    async shot(name) {
      await sleep(150);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    },
  };
  return t;
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}
export function eq(a, b, msg) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}
