// The table worker (issue 10): decoding, queries and panels run in a dedicated Worker;
// the page renders and sends requests. These cases check the worker path itself: where
// the wasm runs, a query overtaken by a newer one, the grid while a query runs, the
// single file's Blob-URL worker and its recovery from a trap.
import path from 'node:path';
import fs from 'node:fs';
import { DIST, assert, eq, gen } from './harness.mjs';
import { contextFixture } from './context-cases.mjs';

export function workerCases(test) {
  test('worker: the table lives in a dedicated worker; the page thread runs no wasm', async (t) => {
    await t.open();
    await t.upload(t.fx.raw);
    await t.loaded(t.fx.rawTruth.records);
    const workers = t.page.workers().map((w) => w.url());
    assert(workers.some((u) => u.endsWith('/worker.js')), `a worker from worker.js: ${workers}`);
    // The wasm is fetched and run by the worker only (Chromium lists the worker's module
    // scripts in the page's resource timing, but a fetch lands in the fetcher's own).
    const pageLoads = await t.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert(!pageLoads.some((u) => /_bg\.wasm/.test(u)), `no wasm fetched by the page: ${pageLoads}`);
    const w = t.page.workers().find((x) => x.url().endsWith('/worker.js'));
    const workerLoads = await w.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert(workerLoads.some((u) => /pkg\/flowlens_bg\.wasm$/.test(u)), `the worker fetched the wasm: ${workerLoads}`);
    eq(await t.page.evaluate(() => globalThis.flowlens.rowCount), t.fx.rawTruth.records, 'records held by the worker');
  });

  test('worker: a query answered while a newer one is on its way is dropped; the view is the newer one', async (t) => {
    await t.open();
    await t.upload(t.fx.bigLog()); // 400k records: each query takes a while
    await t.waitStatus(/^400,000 of 400,000 records$/, 60000);
    const before = await t.page.evaluate(() => globalThis.flowlens.staleAnswers);
    // Two views from links in one task: the first query is still running in the worker
    // when the second is sent, so its answer arrives stale.
    await t.page.evaluate(() => {
      location.hash = '#f=dstport%20%3D%2022';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      location.hash = '#f=action%20%3D%20REJECT';
    });
    const st = await t.waitStatus(/^[\d,]+ of 400,000 records$/);
    await t.settled();
    eq(await t.page.inputValue('#filter'), 'action = REJECT', 'the newer filter is shown');
    const after = await t.page.evaluate(() => globalThis.flowlens.staleAnswers);
    assert(after > before, `the older answer was dropped (${before} → ${after})`);
    const actions = new Set(await t.column('action'));
    eq([...actions], ['✕REJECT'], 'the grid shows the newer view');
    const n = Number(st.split(' ')[0].replace(/,/g, ''));
    assert(n > 1000 && n < 400000, `REJECT count: ${st}`);
    // …and the status agrees with a fresh query of the same filter
    await t.typeFilter('dstport = 22');
    await t.waitStatus(/^[\d,]+ of 400,000 records$/);
    await t.typeFilter('action = REJECT');
    eq(await t.waitStatus(/^[\d,]+ of 400,000 records$/), st, 'same count as the fresh query');
  });

  test('worker: the grid scrolls while a query runs and then shows the new view', async (t) => {
    await t.open();
    await t.upload(t.fx.bigLog());
    await t.waitStatus(/^400,000 of 400,000 records$/, 60000);
    await t.page.focus('[role=grid]');
    // a sort of 400k rows keeps the worker busy; scrolling meanwhile must not throw or
    // paint rows of the wrong view
    await t.page.click('.grid-head [data-name="bytes"]');
    for (let i = 0; i < 5; i++) await t.page.mouse.wheel(0, 2000);
    await t.settled();
    const bytes = (await t.column('bytes')).map(Number).filter((n) => !Number.isNaN(n));
    assert(bytes.length > 5 && bytes.every((b, i) => i === 0 || bytes[i - 1] <= b), `sorted rows after scrolling: ${bytes.slice(0, 5)}`);
    eq(await t.page.getAttribute('.grid-head [data-name="bytes"]', 'aria-sort'), 'ascending', 'sort shown');
  });

  test('worker: the single file starts its worker from a Blob URL; a trap restarts it and decodes again', async (t) => {
    t.allowFile = true;
    t.allowProblems = [/unreachable|recursive use of an object|out of bounds|call stack/];
    await t.page.goto(`file://${path.join(DIST, 'flowlens.html')}`);
    await t.page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
    const csp = await t.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert(/worker-src blob:(;|$)/.test(csp) && /connect-src 'none'/.test(csp), `CSP: ${csp}`);
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of 4,997 records$/);
    const workers = t.page.workers().map((w) => w.url());
    assert(workers.length >= 1 && workers.every((u) => u.startsWith('blob:')), `a Blob-URL worker: ${workers}`);
    const trapped = await t.page.evaluate(() => globalThis.flowlens.simulateTrap());
    assert(/RuntimeError|unreachable/i.test(trapped), `the hook trapped: ${trapped}`);
    await t.page.waitForFunction(() => /restarted and the data decoded again/.test(document.getElementById('notice-text').textContent), null, { timeout: 30000 });
    await t.waitStatus(/^4,997 of 4,997 records$/);
    await t.typeFilter('action = REJECT');
    await t.waitStatus(/^1,652 of 4,997 records$/);
    await t.shot('w1-single-file-after-trap');
  });

  test('worker: a large file is read by a reader worker of its own, served and from file://; every record decoded', async (t) => {
    const file = t.fx.bigLog(); // 45 MB: over the 32 MB from which a reader worker reads
    const tr = t.fx.bigTruth();
    for (const where of ['served', 'file']) {
      if (where === 'file') {
        t.allowFile = true;
        await t.page.goto(`file://${path.join(DIST, 'flowlens.html')}`);
        await t.page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
      } else {
        await t.open();
      }
      await t.settled();
      // the reader is a worker named flowlens-reader that starts with the read and ends
      // with it
      /** @type {Promise<{name: string, ended: Promise<boolean>}>[]} */
      const started = [];
      const seen = (/** @type {any} */ w) => {
        const ended = new Promise((r) => w.on('close', () => r(true)));
        started.push(w.evaluate(() => self.name).catch(() => '?').then((name) => ({ name, ended })));
      };
      t.page.on('worker', seen);
      await t.upload(file);
      await t.waitStatus(/^400,000 of 400,000 records$/, 60000);
      t.page.off('worker', seen);
      const readers = (await Promise.all(started)).filter((w) => w.name === 'flowlens-reader');
      eq(readers.length, 1, `${where}: one reader worker`);
      await readers[0].ended; // (the test's timeout if it were left running)
      eq(await t.page.textContent('#errors-badge'), '0', `${where}: no bad line`);
      await t.typeFilter('action = REJECT');
      await t.waitStatus(new RegExp(`^${tr.action.REJECT.toLocaleString('en-US')} of 400,000 records$`));
    }
  });

  test('worker: progress and first rows while a big file decodes, Cancel answered at once', async (t) => {
    await t.open();
    await t.upload(t.fx.giantLog()); // 3.6M records: still decoding after the looks below
    await t.page.waitForSelector('#progress:not([hidden])');
    await t.waitStatus(/^Decoding… [\d,]+ records so far$/, 30000);
    await t.settled();
    const rows = await t.page.locator('.grid-layer .grid-row:not([hidden])').count();
    assert(rows > 5, `first rows shown while decoding: ${rows}`);
    await t.shot('w2-decoding-in-worker');
    const progress = await t.page.textContent('#progress-text');
    assert(/ of [\d.]+ MB · [\d,]+ records/.test(progress), `progress: ${progress}`);
    const t0 = Date.now();
    await t.page.click('#cancel-btn');
    await t.page.waitForSelector('#progress', { state: 'hidden', timeout: 10000 });
    const ms = Date.now() - t0;
    assert(ms < 5000, `Cancel answered in ${ms} ms`);
    const st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
    const n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
    assert(n > 0 && n < 3600000, `partial table kept: ${st}`);
    eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the cut');
  });

  test('parallel decode: two and three decoders give the table one gives (file order, errors, context files; the query worker\'s own tables and the pool\'s bytes merged in order)', async (t) => {
    const ctx = contextFixture(t);
    const files = [t.fx.raw, t.fx.s3, t.fx.bad, t.fx.cwlJson, t.fx.csv, ctx.log, ...ctx.ctx];
    const seen = {};
    for (const workers of [1, 2, 3]) {
      await t.page.goto(`${t.origin}/index.html?workers=${workers}`);
      await t.page.waitForSelector('html[data-ready="yes"]');
      await t.upload(...files);
      const status = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
      await t.page.click('#files-panel summary');
      await t.page.click('#errors-panel summary');
      seen[workers] = {
        status,
        files: await t.page.textContent('#files'),
        errors: await t.page.textContent('#errors'),
        badge: await t.page.textContent('#errors-badge'),
        srcaddr: await t.column('srcaddr'),
        hc: await t.page.textContent('#hc-btn'),
        title: await t.page.getAttribute('#decode-info', 'title'),
      };
      if (workers === 2) await t.shot('w3-parallel-decode');
    }
    const [one, two, three] = [seen[1], seen[2], seen[3]];
    const total = t.fx.rawTruth.records + t.fx.s3Truth.records + t.fx.badTruth.records + 500 + 25 + 5000;
    assert(new RegExp(`of ${total.toLocaleString('en-US')} records$`).test(one.status), `every record: ${one.status}`);
    for (const k of ['status', 'files', 'errors', 'badge', 'srcaddr', 'hc']) {
      eq(two[k], one[k], `two decoders: ${k}`);
      eq(three[k], one[k], `three decoders: ${k}`);
    }
    assert(Number(one.badge.replace(/,/g, '')) > 10, `bad lines kept: ${one.badge}`);
    assert(/bad\.log:\d+/.test(one.errors), `errors with file:line: ${one.errors.slice(0, 200)}`);
    assert(/Context \(5 files/.test(one.files), 'context files listed');
    assert(/Hide health checks \([1-9]/.test(one.hc), `labels from the context files: ${one.hc}`);
    eq(two.title, '2 files at a time, in parallel workers', 'the status bar says the decode was parallel');
    eq(three.title, '3 files at a time, in parallel workers', 'three decoders');
    eq(one.title, '', 'one worker: no note');
  });

  test('parallel decode: the memory budget and Cancel stop it and keep what was decoded', async (t) => {
    const big = t.fx.bigLog(); // 400k records
    const huge = t.fx.hugeLog(); // 1.2M records
    await t.page.goto(`${t.origin}/index.html?workers=2&budget=20000000`);
    await t.page.waitForSelector('html[data-ready="yes"]');
    await t.upload(big, huge);
    await t.page.waitForFunction(() => /memory budget/.test(document.getElementById('notice-text').textContent) && !globalThis.flowlens.busy, null, { timeout: 180000 });
    const msg = await t.page.textContent('#notice-text');
    assert(/Showing the records decoded so far/.test(msg), `memory message: ${msg}`);
    let st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
    let n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
    assert(n >= 400000 && n < 1600000, `the first file whole, the second cut: ${st}`);
    eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the cut');
    assert(/^partial: stopped after/.test(await t.page.textContent('#decode-info')), 'marked partial');

    await t.page.goto(`${t.origin}/index.html?workers=2`);
    await t.page.waitForSelector('html[data-ready="yes"]');
    await t.upload(huge, big);
    await t.page.waitForSelector('#progress:not([hidden])');
    await t.page.waitForFunction(() => /[1-9][\d,]* records/.test(document.getElementById('progress-text').textContent), null, { timeout: 30000 });
    await t.page.click('#cancel-btn');
    await t.page.waitForSelector('#progress', { state: 'hidden', timeout: 10000 });
    st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
    n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
    assert(n > 0 && n < 1600000, `partial table kept: ${st}`);
    assert(/^partial: cancelled after/.test(await t.page.textContent('#decode-info')), 'marked partial');
    eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the cut');
  });

  test('split decode: one large file decoded in parts by two workers gives the table one decode gives (counts, error lines, first and last rows, one file)', async (t) => {
    // two exports one after the other (the second with a header: the binding changes
    // inside a part, and the parts after it are decoded again), bad lines in both
    const dir = t.fx.dir;
    const a = gen(path.join(dir, 'split-a.log'), ['-n', '60000', '--bad-rate', '0.01', '--seed', '12', '--truth', path.join(dir, 'split-a.truth.json')]);
    const b = gen(path.join(dir, 'split-b.log'), ['-n', '40000', '--fields', 'v5', '--container', 's3', '--bad-rate', '0.01', '--seed', '13']);
    const file = path.join(dir, 'one-big-file.log');
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(a), fs.readFileSync(b)]));
    const truthA = JSON.parse(fs.readFileSync(path.join(dir, 'split-a.truth.json'), 'utf8'));
    const seen = {};
    for (const split of ['0', '1000000']) {
      await t.page.goto(`${t.origin}/index.html?workers=2&split=${split}`);
      await t.page.waitForSelector('html[data-ready="yes"]');
      await t.upload(file);
      const status = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/, 60000);
      await t.page.click('#files-panel summary');
      await t.page.click('#errors-panel summary');
      const detail = async (key) => {
        await t.page.focus('[role=grid]');
        await t.page.keyboard.press(key);
        await t.settled();
        await t.page.keyboard.press('Enter');
        await t.page.waitForSelector('#detail[open]');
        const d = { title: await t.page.textContent('#detail-title'), loc: await t.page.textContent('#detail .dloc'), orig: await t.page.textContent('#detail .orig') };
        await t.page.keyboard.press('Escape');
        return d;
      };
      seen[split] = {
        status,
        badge: await t.page.textContent('#errors-badge'),
        errors: await t.page.textContent('#errors'),
        files: await t.page.textContent('#files'),
        filesBadge: await t.page.textContent('#files-badge'),
        srcaddr: await t.column('srcaddr'),
        first: await detail('Home'),
        last: await detail('End'),
        title: await t.page.getAttribute('#decode-info', 'title'),
      };
    }
    const [whole, parts] = [seen['0'], seen['1000000']];
    const num = (text) => Number(text.replace(/,/g, ''));
    const rows = num(whole.status.split(' of ')[1].split(' ')[0]);
    assert(rows > 98000 && rows + num(whole.badge) <= 100000, `the records: ${whole.status}, ${whole.badge} bad`);
    for (const k of ['status', 'badge', 'errors', 'files', 'filesBadge', 'srcaddr', 'first', 'last']) eq(parts[k], whole[k], `split in parts: ${k}`);
    assert(/^one file in \d+ parts, 2 at a time, in parallel workers$/.test(parts.title), `the split decode says so: ${parts.title}`);
    eq(whole.title, '', 'not split: no note');
    eq(parts.filesBadge, '1', 'one file in the Files panel');
    assert(Number(whole.badge.replace(/,/g, '')) > 500, `bad lines: ${whole.badge}`);
    // the error lines are the file's true lines: bad lines the generator made
    const listed = [...parts.errors.matchAll(/one-big-file\.log:(\d+)/g)].map((m) => Number(m[1]));
    const bad = new Set(truthA['bad-lines']);
    const inA = listed.filter((l) => l <= 60000);
    assert(inA.length > 20 && inA.every((l) => bad.has(l)), `error lines are bad lines of the file: ${inA.slice(0, 20)}`);
    assert(/one-big-file\.log:1\b/.test(parts.first.loc), `first row at line 1: ${parts.first.loc}`);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    eq(parts.last.orig, lines.at(-1), 'the last row\'s original line');
    assert(parts.last.loc.includes(`one-big-file.log:${lines.length}`), `the last row at the file's last line ${lines.length}: ${parts.last.loc}`);
  });

  test('split decode: Cancel and the memory budget stop it and keep the parts decoded so far, in order', async (t) => {
    const huge = t.fx.hugeLog(); // 1.2M records, one file
    await t.page.goto(`${t.origin}/index.html?workers=2`);
    await t.page.waitForSelector('html[data-ready="yes"]');
    await t.upload(huge);
    await t.waitStatus(/^Decoding… [\d,]+ records so far$/, 30000); // the first part's rows
    await t.page.click('#cancel-btn');
    await t.page.waitForSelector('#progress', { state: 'hidden', timeout: 10000 });
    let st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
    let n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
    assert(n > 0 && n < 1200000, `partial table kept: ${st}`);
    assert(/^partial: cancelled after/.test(await t.page.textContent('#decode-info')), 'marked partial');
    eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the cut');

    await t.page.goto(`${t.origin}/index.html?workers=2&budget=30000000`);
    await t.page.waitForSelector('html[data-ready="yes"]');
    await t.upload(huge);
    await t.page.waitForFunction(() => /memory budget/.test(document.getElementById('notice-text').textContent) && !globalThis.flowlens.busy, null, { timeout: 120000 });
    assert(/Showing the records decoded so far/.test(await t.page.textContent('#notice-text')), 'memory message');
    st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
    n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
    assert(n > 0 && n < 1200000, `cut at the budget: ${st}`);
    eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the cut');
    // the rows kept are the file's first ones, in order: the last row is line n
    await t.page.focus('[role=grid]');
    await t.page.keyboard.press('End');
    await t.settled();
    await t.page.keyboard.press('Enter');
    await t.page.waitForSelector('#detail[open]');
    const loc = await t.page.textContent('#detail .dloc');
    assert(loc.includes(`huge.log:${n}`), `the last row kept is line ${n}: ${loc}`);
  });
}
