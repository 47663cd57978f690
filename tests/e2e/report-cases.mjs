// End-to-end cases for sharing: report files (saved from the page and written by the
// CLI, opened from file:// with no network), redaction, the size limit, and the
// Markdown / record-as-text copies. Appended to the cases of cases.mjs.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { assert, eq, ROOT, DIST } from './harness.mjs';
import { contextFixture } from './context-cases.mjs';

export const reportCases = [];
const test = (name, fn) => reportCases.push([name, fn]);
const fmt = (n) => n.toLocaleString('en-US');

/** Opens the Export menu's "Save as report…" and waits for the size line. */
async function openReportDialog(t) {
  await t.page.click('#export-btn');
  await t.page.click('[data-report]');
  await t.page.waitForSelector('dialog#report-dialog[open]');
  await waitSize(t);
}

async function waitSize(t) {
  await t.page.waitForFunction(() => /Report size|Too large|Cannot save/.test(document.getElementById('report-size')?.textContent || ''), null, { timeout: 20000 });
  // a change re-measures after a short pause
  await t.sleep(300);
  await t.page.waitForFunction(() => /Report size|Too large|Cannot save/.test(document.getElementById('report-size')?.textContent || ''), null, { timeout: 20000 });
}

/** Clicks "Save report" and returns the downloaded file's text and a copy's path. */
async function saveReport(t, name) {
  const [dl] = await Promise.all([t.page.waitForEvent('download'), t.page.click('#report-save')]);
  const file = path.join(t.fx.dir, name);
  await dl.saveAs(file);
  assert(/^flowlens-report-\d+-records?\.html$/.test(dl.suggestedFilename()), `file name: ${dl.suggestedFilename()}`);
  return { file, html: fs.readFileSync(file, 'utf8') };
}

/**
 * Opens a report from file:// in a new page of the test's context, with every request
 * that is not file://, data: or blob: aborted and recorded. Returns the page.
 */
async function openOffline(t, file) {
  t.allowFile = true;
  const page = await t.context.newPage();
  const outside = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file://') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    outside.push(u);
    return route.abort();
  });
  page.on('request', (r) => t.requests.push(r.url()));
  page.on('pageerror', (e) => t.problems.push(`report page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') t.problems.push(`report console error: ${m.text()}`); });
  await page.goto(`file://${file}`);
  await page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
  page.outside = outside;
  return page;
}

const status = (page) => page.textContent('#status');
async function waitStatus(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent), re.source, { timeout: 20000 })
    .catch(async () => { throw new Error(`status ${re} not reached; status is "${await status(page)}"`); });
  return status(page);
}

/** The status is written once the view's count is known; its rows come from the worker after. */
async function rowsPainted(page) {
  await page.waitForSelector('.grid-layer .grid-row:not([hidden])', { timeout: 10000 });
}

async function columnOf(page, name) {
  await rowsPainted(page);
  return page.evaluate((n) => {
    const heads = [...document.querySelectorAll('.grid-head [role=columnheader]')];
    const i = heads.findIndex((h) => h.dataset.name === n);
    if (i < 0) return null;
    return [...document.querySelectorAll('.grid-layer .grid-row:not([hidden])')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((r) => r.children[i].textContent);
  }, name);
}

/** The embedded files of a report: [{name, text}] (gunzipped), and its metadata. */
function readReport(html) {
  const m = html.match(/<script type="application\/json" id="flowlens-report">([\s\S]*?)<\/script>/);
  assert(m, 'report metadata element');
  const meta = JSON.parse(m[1]);
  const files = meta.files.filter((f) => f.element).map((f) => {
    const d = html.match(new RegExp(`id="${f.element}" data-encoding="gzip\\+base64">([^<]*)</script>`));
    assert(d, `data element ${f.element}`);
    return { name: f.name, text: zlib.gunzipSync(Buffer.from(d[1], 'base64')).toString('utf8') };
  });
  let labels = null;
  if (meta.context) {
    const d = html.match(new RegExp(`id="${meta.context.element}" data-encoding="gzip\\+base64">([^<]*)</script>`));
    assert(d, `labels element ${meta.context.element}`);
    labels = zlib.gunzipSync(Buffer.from(d[1], 'base64')).toString('utf8');
  }
  return { meta, files, labels };
}

/** The label badges of the rows shown, in view order: one string per row. */
async function rowBadges(page) {
  await rowsPainted(page);
  return page.evaluate(() => [...document.querySelectorAll('.grid-layer .grid-row:not([hidden])')]
    .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
    .map((r) => [...r.querySelectorAll('.lbl')].map((b) => b.textContent).join(' | ')));
}

// Public in the sense of the redaction: not private (RFC 1918, 100.64/10), loopback,
// link-local, multicast, 0/8, nor the documentation / benchmarking pools.
function isPublicV4(a) {
  const p = a.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) return false;
  const [x, y, z] = p;
  return !(x === 10 || x === 0 || x === 127 || x >= 224 || (x === 172 && y >= 16 && y < 32) || (x === 192 && y === 168)
    || (x === 100 && y >= 64 && y < 128) || (x === 169 && y === 254) || (x === 192 && y === 0 && z === 2)
    || (x === 198 && y === 51 && z === 100) || (x === 203 && y === 0 && z === 113) || (x === 198 && (y === 18 || y === 19)));
}
function isPublicV6(a) {
  const s = a.toLowerCase();
  return s.includes(':') && !/^(fe[89ab]|f[cd]|ff|2001:db8:|::1$|::$|::ffff:)/.test(s);
}

test('report: save a filtered, sorted view; open it from file:// offline: same count, rows, sort, filter', async (t) => {
  await t.open('#f=action%20%3D%20reject&s=bytes%3Adesc&c=srcaddr,dstaddr,dstport,bytes,action');
  await t.upload(t.fx.raw);
  const tr = t.fx.rawTruth;
  const st = await t.waitStatus(new RegExp(`^[\\d,]+ of ${fmt(tr.records)} records$`));
  const n = Number(st.split(' of ')[0].replace(/,/g, ''));
  eq(n, tr.action.REJECT, 'filtered view count');
  const src = await t.column('srcaddr');
  const bytes = await t.column('bytes');
  await t.page.click('#files-panel summary'); // an open panel travels with the report
  await openReportDialog(t);
  await t.page.fill('#report-title', 'Rejected traffic, largest first');
  await t.page.fill('#report-note', 'Scanners hitting the web tier.\nSecond line.');
  await waitSize(t);
  assert(/^Report size: [\d.]+ (KB|MB) \(/.test(await t.page.textContent('#report-size')), `size shown: ${await t.page.textContent('#report-size')}`);
  await t.shot('40-report-dialog');
  const { file, html } = await saveReport(t, 'view-report.html');
  const { meta, files } = readReport(html);
  eq(meta.records, n, 'metadata record count');
  eq(meta.data, 'view', 'the view by default');
  eq(meta.view.filter, 'action = reject', 'saved filter');
  eq(meta.view.panels['files-panel'], true, 'open panel saved');
  eq(files.length, 1, 'one embedded file');
  const lines = files[0].text.split('\n').filter(Boolean);
  eq(lines.length, n + 1, 'a header line plus the original lines');
  const original = new Set(fs.readFileSync(t.fx.raw, 'utf8').split('\n'));
  assert(lines.slice(1).every((l) => original.has(l)), 'embedded lines are original lines');

  const page = await openOffline(t, file);
  await waitStatus(page, new RegExp(`^${fmt(n)} of ${fmt(n)} records$`));
  eq(await page.inputValue('#filter'), 'action = reject', 'filter restored');
  eq(await page.getAttribute('.grid-head [data-name="bytes"]', 'aria-sort'), 'descending', 'sort restored');
  const heads = await page.$$eval('.grid-head [role=columnheader]', (hs) => hs.map((h) => h.dataset.name));
  eq(heads, ['srcaddr', 'dstaddr', 'dstport', 'bytes', 'action'], 'columns restored');
  // the banner takes some height: compare the rows both pages show
  const src2 = await columnOf(page, 'srcaddr');
  assert(src2.length >= 10, `rows shown: ${src2.length}`);
  eq(src2, src.slice(0, src2.length), 'same rows in the same order (srcaddr)');
  eq(await columnOf(page, 'bytes'), bytes.slice(0, src2.length), 'same rows in the same order (bytes)');
  assert(await page.evaluate(() => document.getElementById('files-panel').open), 'files panel open as saved');
  const banner = await page.textContent('#report-banner');
  assert(banner.includes('Report') && banner.includes('Rejected traffic, largest first') && banner.includes('Scanners hitting the web tier.'), `banner: ${banner}`);
  assert(banner.includes(`${fmt(n)} records (the view when saved, of ${fmt(tr.records)} loaded)`), `banner counts: ${banner}`);
  assert(/raw\.log/.test(banner) && /saved \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ with flowlens \d+\.\d+\.\d+/.test(banner), `banner file, time, version: ${banner}`);
  assert(/full data is not in this file/.test(banner), 'says the full data is not there');
  eq(await page.title(), 'Rejected traffic, largest first — flowlens report', 'page title');
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', '41-report-opened.png') });
  // still explorable: narrow further, then export within the report's rows
  await page.fill('#filter', 'action = reject and dstport = 22');
  const st2 = await waitStatus(page, new RegExp(`^[\\d,]+ of ${fmt(n)} records$`));
  const m = Number(st2.split(' of ')[0].replace(/,/g, ''));
  assert(m > 0 && m < n, `narrowed within the report: ${st2}`);
  await page.click('#export-btn');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="lines"]')]);
  const exported = fs.readFileSync(await dl.path(), 'utf8').split('\n').filter(Boolean);
  eq(exported.length, m, 'export within the report');
  // A report saved from the single file itself (its template is its own DOM, as parsed)
  await page.click('#export-btn');
  await page.click('[data-report]');
  await page.waitForFunction(() => /Report size/.test(document.getElementById('report-size')?.textContent || ''), null, { timeout: 20000 });
  eq(await page.inputValue('#report-title'), 'Rejected traffic, largest first', 'title carried over');
  await page.fill('#report-title', 'SSH only');
  await page.waitForTimeout(400);
  const [dl2] = await Promise.all([page.waitForEvent('download'), page.click('#report-save')]);
  const second = path.join(t.fx.dir, 'second-report.html');
  await dl2.saveAs(second);
  const html2 = fs.readFileSync(second, 'utf8');
  eq(html2.split('id="flowlens-report"').length - 1, 1, 'one report in the file, not two');
  eq(readReport(html2).meta.records, m, 'second report holds the narrowed view');
  eq(page.outside, [], 'no request from the report');
  await page.close();
  const page2 = await openOffline(t, second);
  await waitStatus(page2, new RegExp(`^${fmt(m)} of ${fmt(m)} records$`));
  assert((await page2.textContent('#report-banner')).includes('SSH only'), 'second report banner');
  eq(page2.outside, [], 'no request from the second report');
  await page2.close();
});

test('report: a redacted report holds no original account id or public address', async (t) => {
  await t.open();
  await t.drop(t.fx.s3); // its name holds the account id
  const tr = t.fx.s3Truth;
  await t.loaded(tr.records);
  const text = zlib.gunzipSync(fs.readFileSync(t.fx.s3)).toString('utf8');
  const accounts = new Set();
  const publics = new Set();
  const headerFields = text.split('\n')[0].split(' ');
  const addrCols = headerFields.map((f, i) => (/addr$/.test(f) ? i : -1)).filter((i) => i >= 0);
  const acctCol = headerFields.indexOf('account-id');
  for (const line of text.split('\n').slice(1).filter(Boolean)) {
    const v = line.split(' ');
    if (v[acctCol] && v[acctCol] !== '-') accounts.add(v[acctCol]);
    for (const i of addrCols) if (isPublicV4(v[i]) || isPublicV6(v[i])) publics.add(v[i]);
  }
  assert(accounts.size >= 1 && publics.size > 20, `originals found: ${accounts.size} accounts, ${publics.size} public addresses`);
  const someIp = [...publics][0];
  const acct = [...accounts][0];
  await t.typeFilter(`srcaddr = ${someIp} or dstaddr = ${someIp} or action = reject`);
  await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
  await openReportDialog(t);
  await t.page.check('input[name=report-data][value=all]');
  await t.page.fill('#report-title', `Traffic of ${someIp} in ${acct}`);
  await t.page.fill('#report-note', `Account ${acct}, address ${someIp}.`);
  await t.page.check('#report-acct');
  await t.page.check('#report-ips');
  await t.page.check('#report-tags');
  await waitSize(t);
  const { file, html } = await saveReport(t, 'redacted-report.html');
  const { meta, files } = readReport(html);
  eq(meta.records, tr.records, 'everything loaded');
  const payload = files.map((f) => f.text).join('\n');
  // The HTML is the app (the same for every report; its built-in sample's file name holds
  // the generator's account id) plus what the report added: the title and the elements.
  const app = fs.readFileSync(path.join(DIST, 'flowlens.html'), 'utf8');
  const a = html.indexOf('<script type="application/octet-stream" id="flowlens-report-data-');
  const b = html.indexOf('</script>', html.indexOf('<script type="application/json" id="flowlens-report">')) + 9;
  assert(a > 0 && b > a, 'the elements the report added');
  const added = html.slice(a, b) + html.match(/<title>[^<]*<\/title>/)[0];
  const count = (s, v) => s.split(v).length - 1;
  for (const v of [...accounts, ...publics]) {
    assert(!payload.includes(v), `decompressed payload holds ${v}`);
    assert(!added.includes(v), `the report's elements or title hold ${v}`);
    eq(count(html, v), count(app, v), `${v} anywhere in the HTML only as often as in the app itself`);
  }
  assert(payload.includes(`xxxxxxxx${acct.slice(-4)}`), 'masked account with its last 4 digits');
  assert(/ 10\.\d+\.\d+\.\d+ /.test(payload), 'private addresses kept');
  assert(/203\.0\.113\.\d+/.test(payload), 'documentation-range pseudonyms');
  assert(!meta.files[0].name.includes(acct) && meta.files[0].name.includes(`xxxxxxxx${acct.slice(-4)}`), `file name redacted: ${meta.files[0].name}`);
  assert(!meta.view.filter.includes(someIp) && /^srcaddr = \S+ or dstaddr = \S+ or action = reject$/.test(meta.view.filter), `filter redacted: ${meta.view.filter}`);
  assert(/account IDs masked/.test(meta.redaction), `redaction described: ${meta.redaction}`);

  const page = await openOffline(t, file);
  const st = await waitStatus(page, new RegExp(`^[\\d,]+ of ${fmt(tr.records)} records$`));
  const before = await t.status();
  eq(st, before, 'the rewritten filter selects the same records as the original one');
  const banner = await page.textContent('#report-banner');
  assert(/Redacted: account IDs masked/.test(banner), `banner says redacted: ${banner}`);
  assert(new RegExp(`\\(1 account ID and ${fmt(publics.size)} public addresses replaced\\)`).test(banner), `replacement counts: ${banner}`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', '42-report-redacted.png') });
  eq(page.outside, [], 'no request from the report');
  await page.close();
});

test('report: the size limit refuses everything loaded and offers the current view', async (t) => {
  await t.open();
  await t.upload(t.fx.raw);
  await t.loaded(t.fx.rawTruth.records);
  await t.typeFilter('dstport = 22');
  await t.waitStatus(/^[\d,]+ of 2,000 records$/);
  await openReportDialog(t);
  const viewBytes = Number(await t.page.getAttribute('#report-size', 'data-bytes'));
  assert(viewBytes > 100000, `view report size ${viewBytes}`);
  // The documented test override: FLOWLENS_REPORT_LIMIT (or ?reportLimit=) in bytes.
  await t.page.evaluate((n) => { globalThis.FLOWLENS_REPORT_LIMIT = n; }, viewBytes + 10000);
  await t.page.check('input[name=report-data][value=all]');
  await waitSize(t);
  const msg = await t.page.textContent('#report-size');
  assert(/^Too large to save: the report would be about [\d.]+ MB, over the limit of [\d.]+ MB\./.test(msg), `refusal: ${msg}`);
  assert(/wasm heap/.test(msg) && /file:\/\//.test(msg), `explains why: ${msg}`);
  assert(await t.page.isDisabled('#report-save'), 'save disabled');
  assert(await t.page.isVisible('#report-only-view'), 'offers the current view');
  await t.shot('43-report-too-large');
  await t.page.click('#report-only-view');
  await waitSize(t);
  assert(/^Report size:/.test(await t.page.textContent('#report-size')), 'the view fits');
  assert(!(await t.page.isDisabled('#report-save')), 'save enabled again');
  eq(await t.page.isChecked('input[name=report-data][value=view]'), true, 'switched to the view');
});

const MD_LOG = [
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-tag',
  '11 123456789012 eni-0a1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK Name=web%7Cprod',
  '11 123456789012 eni-0a1 10.0.0.1 10.0.0.9 53 5353 17 1 40 1764115201 1764115261 ACCEPT OK Name=a%5Cb%0Anext',
  '11 123456789012 eni-0b2 10.0.0.2 10.0.0.9 80 8080 6 5 500 1764115202 1764115262 ACCEPT OK -',
].join('\n') + '\n';

test('markdown: rows, top values and a record copy exactly', async (t) => {
  await t.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.origin });
  const f = path.join(t.fx.dir, 'md.log');
  fs.writeFileSync(f, MD_LOG);
  await t.open('#s=bytes%3Adesc&c=srcaddr,dstport,protocol,bytes,instance-tag');
  await t.upload(f);
  await t.waitStatus(/^3 of 3 records$/);
  const clip = () => t.page.evaluate(() => navigator.clipboard.readText());
  await t.page.click('#export-btn');
  await t.page.click('[data-md-rows]');
  await t.sleep(200);
  const head = ['| srcaddr | dstport | protocol | bytes | instance-tag |', '| --- | ---: | --- | ---: | --- |'];
  const mdRows = [
    '| 10.0.0.1 | 22 | TCP | 840 | Name=web\\|prod |',
    '| 10.0.0.2 | 8080 | TCP | 500 | - |',
    '| 10.0.0.1 | 5353 | UDP | 40 | Name=a\\\\b<br>next |',
  ];
  eq(await clip(), [...head, ...mdRows, ''].join('\n'), 'rows as Markdown');
  // multi-row selection: Ctrl+click the first row, Shift+click (not on a value) the
  // third selects the range; Ctrl+click the second takes it out again
  const row = (i) => `.grid-layer .grid-row[data-index="${i}"]`;
  await t.page.click(`${row(0)} .grid-cell`, { modifiers: ['Control'], position: { x: 2, y: 4 } });
  await t.page.click(`${row(2)} .grid-cell`, { modifiers: ['Shift'], position: { x: 2, y: 4 } });
  eq(await t.page.$$eval('.grid-layer .grid-row.selected', (rs) => rs.map((r) => r.dataset.index)), ['0', '1', '2'], 'shift range');
  await t.page.click(`${row(1)} .grid-cell`, { modifiers: ['Control'], position: { x: 2, y: 4 } });
  eq(await t.page.$$eval('.grid-layer .grid-row.selected', (rs) => rs.map((r) => r.dataset.index)), ['0', '2'], 'ctrl toggles');
  eq(await t.page.getAttribute(row(1), 'aria-selected'), 'false', 'aria-selected follows the selection');
  await t.page.click('#export-btn');
  await t.page.click('[data-md-rows]');
  await t.sleep(200);
  eq(await clip(), [...head, mdRows[0], mdRows[2], ''].join('\n'), 'selected rows as Markdown');
  // Ctrl+A selects the whole view, Escape clears; a new view clears too
  await t.page.focus('.grid');
  await t.page.keyboard.press('Control+a');
  eq((await t.page.$$('.grid-layer .grid-row.selected')).length, 3, 'ctrl+A');
  await t.page.keyboard.press('Escape');
  eq((await t.page.$$('.grid-layer .grid-row.selected')).length, 0, 'escape clears');
  await t.page.click(`${row(0)} .grid-cell`, { modifiers: ['Control'], position: { x: 2, y: 4 } });
  await t.typeFilter('bytes > 100');
  await t.waitStatus(/^2 of 3 records$/);
  eq((await t.page.$$('.grid-layer .grid-row.selected')).length, 0, 'a new view clears the selection');
  await t.typeFilter('');
  await t.waitStatus(/^3 of 3 records$/);
  await t.page.click('#facets-md');
  await t.sleep(200);
  const top = await clip();
  const source = [
    '**Source** (`srcaddr`)',
    '',
    '| srcaddr | records | packets | bytes |',
    '| --- | ---: | ---: | ---: |',
    '| 10.0.0.1 | 2 | 11 | 880 |',
    '| 10.0.0.2 | 1 | 5 | 500 |',
    '',
    '_top 2 by records of 3 records_',
    '',
  ].join('\n');
  assert(top.startsWith(`${source}\n**Destination** (\`dstaddr\`)\n`), `top values as Markdown:\n${top}`);
  for (const h of ['**Destination port** (`dstport`)', '**ENI** (`interface-id`)', '**Protocol** (`protocol`)', '**Action** (`action`)']) assert(top.includes(h), `has ${h}`);
  // the detail panel: the second row in view order is the eni-0b2 record
  await t.page.evaluate(() => document.querySelector('.grid-layer .grid-row[data-index="1"]').dispatchEvent(new MouseEvent('dblclick', { bubbles: true })));
  await t.page.waitForSelector('#detail[open]');
  await t.page.click('#copy-record');
  await t.sleep(200);
  eq(await clip(), [
    'md.log:4',
    '11 123456789012 eni-0b2 10.0.0.2 10.0.0.9 80 8080 6 5 500 1764115202 1764115262 ACCEPT OK -',
    '',
    'version       11',
    'account-id    123456789012',
    'interface-id  eni-0b2',
    'srcaddr       10.0.0.2',
    'dstaddr       10.0.0.9',
    'srcport       80',
    'dstport       8080',
    'protocol      TCP  (6)',
    'packets       5',
    'bytes         500',
    'start         2025-11-26T00:00:02Z  (1764115202)',
    'end           2025-11-26T00:01:02Z  (1764115262)',
    'action        ACCEPT',
    'log-status    OK',
    'instance-tag  -',
    '',
  ].join('\n'), 'record as text');
  await t.shot('44-detail-copy-record');
});

function cliBinary() {
  for (const p of ['target/debug/flowlens', 'target/release/flowlens']) if (fs.existsSync(path.join(ROOT, p))) return path.join(ROOT, p);
  execFileSync('cargo', ['build', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  return path.join(ROOT, 'target/debug/flowlens');
}

test('report: the CLI-written report opens the same way', async (t) => {
  const out = path.join(t.fx.dir, 'cli-report.html');
  execFileSync(cliBinary(), ['report', '--filter', 'action = reject and dstport in (22, 3389)', '--sort', 'bytes:desc',
    '--title', 'CLI: SSH and RDP rejects', '--note', 'From the command line.', '--template', path.join(DIST, 'flowlens.html'),
    '-o', out, t.fx.raw], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = fs.readFileSync(t.fx.raw, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));
  const expected = lines.filter((v) => v[12] === 'REJECT' && (v[6] === '22' || v[6] === '3389'));
  const bytesDesc = expected.map((v) => Number(v[9])).sort((a, b) => b - a);
  const { meta } = readReport(fs.readFileSync(out, 'utf8'));
  eq(meta.records, expected.length, 'CLI report records');
  const page = await openOffline(t, out);
  await waitStatus(page, new RegExp(`^${fmt(expected.length)} of ${fmt(expected.length)} records$`));
  eq(await page.inputValue('#filter'), 'action = reject and dstport in (22, 3389)', 'filter');
  eq(await page.getAttribute('.grid-head [data-name="bytes"]', 'aria-sort'), 'descending', 'sort');
  const shown = (await columnOf(page, 'bytes')).map((s) => Number(s.replace(/,/g, '')));
  eq(shown, bytesDesc.slice(0, shown.length), 'rows in bytes order');
  const banner = await page.textContent('#report-banner');
  assert(banner.includes('CLI: SSH and RDP rejects') && banner.includes('From the command line.'), `banner: ${banner}`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', '45-cli-report.png') });
  eq(page.outside, [], 'no request from the report');
  assert(await page.isHidden('#report-check'), 'an intact report raises no doubt');
  await page.close();
  // A copy cut short on the way (half of its data gone) says so instead of passing as whole.
  const html = fs.readFileSync(out, 'utf8');
  const cut = html.replace(/(data-encoding="gzip\+base64">)([^<]*)</, (_, a, b64) => `${a}${b64.slice(0, Math.floor(b64.length / 8) * 4)}<`);
  const damaged = path.join(t.fx.dir, 'damaged-report.html');
  fs.writeFileSync(damaged, cut);
  const p2 = await openOffline(t, damaged);
  await p2.waitForSelector('#report-check:not([hidden])', { timeout: 20000 });
  const why = await p2.textContent('#report-check');
  assert(new RegExp(`^This report says it holds ${expected.length} records, but [\\d,]+ were decoded`).test(why) && /cut or changed/.test(why), `damage reported: ${why}`);
  await p2.close();
});

test('report: time window, local time zone and facet measure travel; the size warning', async (t) => {
  // a 30-second window of the generator's records, local time
  const from = 1764115200;
  const to = from + 30; // the generator's records start within the first ~80 s
  await t.open(`#t=${from}..${to}&tz=local`);
  await t.upload(t.fx.raw);
  const st = await t.waitStatus(/^(?!2,000 of)[\d,]+ of 2,000 records$/);
  const n = Number(st.split(' of ')[0].replace(/,/g, ''));
  assert(n > 0 && n < 2000, `windowed: ${st}`);
  await t.page.selectOption('#facet-measure', 'bytes');
  await t.page.evaluate(() => { globalThis.FLOWLENS_REPORT_WARN = 1000; });
  await openReportDialog(t);
  const msg = await t.page.textContent('#report-size');
  assert(/^Report size: .* That is over 1\.00 KB: mail and chat often refuse attachments this large\.$/.test(msg), `warning: ${msg}`);
  assert(!(await t.page.isDisabled('#report-save')), 'a warning still saves');
  const { file } = await saveReport(t, 'window-report.html');
  const page = await openOffline(t, file);
  await waitStatus(page, new RegExp(`^${fmt(n)} of ${fmt(n)} records$`));
  assert(await page.isVisible('#time-chip'), 'time window chip shown');
  eq(await page.textContent('#tz-btn'), 'Local time', 'time zone restored');
  eq(await page.inputValue('#facet-measure'), 'bytes', 'facet measure restored');
  assert(new URL(page.url()).hash.includes(`t=${from}..${to}`), `window in the URL: ${page.url()}`);
  eq(page.outside, [], 'no request from the report');
  await page.close();
});

test('report with context: it opens from file:// with the labels, names and health checks of the page that saved it', async (t) => {
  const fx = contextFixture(t);
  await t.open('#c=start,interface-id,srcaddr,dstaddr,dstport,action');
  await t.drop(fx.log, ...fx.ctx);
  await t.loaded(5000);
  // a view that leaves out most of each health-check series' neighbours
  await t.typeFilter('dstport = 80');
  const st = await t.waitStatus(/^[\d,]+ of 5,000 records$/);
  const n = Number(st.split(' of ')[0].replace(/,/g, ''));
  const hc = await t.page.textContent('#hc-btn');
  assert(/^Hide health checks \(\d+/.test(hc), `health checks in the view: ${hc}`);
  const badges = await rowBadges(t.page);
  assert(badges.some((b) => /ELB app\/web-alb/.test(b)) && badges.some((b) => /EC2 i-[0-9a-f]+ \(web-\d+\)/.test(b)), `labels shown: ${badges.slice(0, 5)}`);
  await openReportDialog(t);
  assert(/labels and health-check verdicts of the context files/.test(await t.page.textContent('#report-dialog')), 'the dialog says the labels come along');
  await t.page.fill('#report-title', 'Port 80 with names');
  await waitSize(t);
  await t.shot('46-report-dialog-context');
  const { file, html } = await saveReport(t, 'context-report.html');
  const { meta, labels } = readReport(html);
  assert(meta.context && labels, 'the report carries the labels');
  eq(meta.context.files.length, 5, 'five context files named');
  assert(!/"NetworkInterfaces"|"Reservations"|"prefixes"/.test(labels), 'the derived labels, not the raw files');

  const page = await openOffline(t, file);
  await waitStatus(page, new RegExp(`^${fmt(n)} of ${fmt(n)} records$`));
  eq(await page.textContent('#hc-btn'), hc, 'the same health-check count');
  const shown = await rowBadges(page);
  assert(shown.length >= 8, `rows shown: ${shown.length}`);
  eq(shown, badges.slice(0, shown.length), 'the same label badges, row by row');
  const banner = await page.textContent('#report-banner');
  assert(/Labels from 5 context files .*describe-network-interfaces\.json/.test(banner) && /the files themselves are not in the report/.test(banner), `banner: ${banner}`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', '47-report-with-context.png') });
  // the files panel lists where the labels came from
  await page.click('#files-panel summary');
  const files = await page.textContent('#files');
  assert(/Context \(6 files/.test(files) && /labels saved with this report/.test(files) && /describe-network-interfaces\.json/.test(files), `files panel: ${files.slice(0, 400)}`);
  // a health check's detail: the same verdict and names as on the page that saved it
  await page.fill('#filter', 'dstport = 80 and healthcheck and interface.type = ec2');
  await waitStatus(page, /^[\d,]+ of [\d,]+ records$/);
  await page.focus('[role=grid]');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#detail[open] .ctx-detail');
  const verdict = await page.textContent('#detail .hc-verdict');
  const sentence = await page.textContent('#detail .sentence');
  assert(/^Health check: .* every 30 s/.test(verdict), `verdict: ${verdict}`);
  assert(/web-\d+ \(i-[0-9a-f]{4}…/.test(sentence), `instance named in the sentence: ${sentence}`);
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'screenshots', '48-report-context-detail.png') });
  eq(page.outside, [], 'no request from the report');
  await page.close();
  // the same row's detail on the page that saved it
  await t.typeFilter('dstport = 80 and healthcheck and interface.type = ec2');
  await t.waitStatus(/^[\d,]+ of 5,000 records$/);
  await t.page.focus('[role=grid]');
  await t.page.keyboard.press('Home');
  await t.page.keyboard.press('Enter');
  await t.page.waitForSelector('#detail[open] .ctx-detail');
  eq(await t.page.textContent('#detail .hc-verdict'), verdict, 'the same verdict');
  eq(await t.page.textContent('#detail .sentence'), sentence, 'the same sentence');
});

test('report with context, redacted: no account id, public address or tag value of the context files remains; labels still attach', async (t) => {
  const fx = contextFixture(t);
  await t.open('#c=start,interface-id,srcaddr,dstaddr,dstport,action');
  await t.drop(fx.log, ...fx.ctx);
  await t.loaded(5000);
  const dir = path.dirname(fx.ctx[0]);
  const enis = JSON.parse(fs.readFileSync(path.join(dir, 'describe-network-interfaces.json'), 'utf8')).NetworkInterfaces;
  const reservations = JSON.parse(fs.readFileSync(path.join(dir, 'describe-instances.json'), 'utf8')).Reservations;
  const accounts = new Set(enis.map((e) => e.OwnerId));
  const publics = new Set(enis.map((e) => e.Association?.PublicIp).filter(Boolean));
  const tags = new Set([...enis.flatMap((e) => e.TagSet || []), ...reservations.flatMap((r) => r.Instances.flatMap((i) => i.Tags || []))].map((x) => x.Value));
  // and the public addresses of the records
  for (const line of fs.readFileSync(fx.log, 'utf8').split('\n').filter(Boolean)) {
    for (const v of line.split(' ')) if (isPublicV4(v) || isPublicV6(v)) publics.add(v);
  }
  assert(accounts.size >= 1 && publics.size >= 3 && tags.size >= 5, `originals: ${accounts.size} accounts, ${publics.size} public addresses, ${tags.size} tag values`);
  await openReportDialog(t);
  await t.page.check('input[name=report-data][value=all]');
  await t.page.check('#report-acct');
  await t.page.check('#report-ips');
  await t.page.check('#report-tags');
  await waitSize(t);
  const { file, html } = await saveReport(t, 'context-redacted.html');
  const { files, labels } = readReport(html);
  const payload = files.map((f) => f.text).join('\n');
  assert(labels && labels.length > 100, 'labels embedded');
  const app = fs.readFileSync(path.join(DIST, 'flowlens.html'), 'utf8');
  const count = (s, v) => s.split(v).length - 1;
  // a tag value as a word: `web-1` is not in `web-10`
  const word = (s, v) => new RegExp(`(^|[^\\w-])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(s);
  for (const v of [...accounts, ...publics]) {
    assert(!labels.includes(v), `the labels hold ${v}`);
    assert(!payload.includes(v), `the records hold ${v}`);
    eq(count(html, v), count(app, v), `${v} anywhere in the HTML only as often as in the app itself`);
  }
  for (const v of tags) {
    assert(!word(labels, v), `the labels hold the tag value ${v}`);
    assert(!word(payload, v), `the records hold the tag value ${v}`);
    eq(count(html, v), count(app, v), `tag value ${v} anywhere in the HTML only as often as in the app itself`);
  }
  const page = await openOffline(t, file);
  await waitStatus(page, /^5,000 of 5,000 records$/);
  const shown = (await rowBadges(page)).join('\n');
  assert(/ELB app\/web-alb|ELB net\/api-nlb|NAT gateway nat-/.test(shown), `labels attach after redaction: ${shown.slice(0, 300)}`);
  assert(!/\((web|worker|ecs-host)-\d+\)/.test(shown), `no Name tag in the labels: ${shown.slice(0, 300)}`);
  assert(/Hide health checks \(\d+/.test(await page.textContent('#hc-btn')), 'health checks kept');
  eq(page.outside, [], 'no request from the report');
  await page.close();
});
