// End-to-end cases for Parquet input: an AWSLogs folder (Hive-style) with Parquet and
// gzip text files dropped and picked, row numbers in the detail panel, a broken file as
// one error, the memory budget and Cancel between row groups, and the single file from
// file:// reading Parquet through its embedded second module.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assert, eq, gen, DIST, ROOT } from './harness.mjs';

export const cases = [];
const test = (name, fn) => cases.push([name, fn]);
const fmt = (n) => n.toLocaleString('en-US');

const HIVE = 'AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=11/day=26';

/** Parquet written by pyarrow from a generated text file, with writer options. */
function rewrite(src, out, opts) {
  execFileSync('python3', [path.join(ROOT, 'tests/tools/write_parquet.py'), src, out, JSON.stringify(opts)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

/** A Hive-style AWSLogs tree: two Parquet hours and one gzip text hour, a README. */
function hiveTree(t) {
  if (t.fx.hive) return t.fx.hive;
  const root = path.join(t.fx.dir, 'hive');
  const files = [
    [`${HIVE}/hour=00/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20251126T0000Z_a1.log.parquet`, 'parquet', 31],
    [`${HIVE}/hour=01/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20251126T0100Z_b2.log.gz`, 's3', 32],
    [`${HIVE}/hour=02/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20251126T0200Z_c3.log.parquet`, 'parquet', 33],
  ];
  const truths = files.map(([rel, container, seed]) => {
    const out = path.join(root, rel);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const truth = path.join(t.fx.dir, `hive-${seed}.json`);
    gen(out, ['-n', '700', '--fields', 'v5', '--container', container, ...(container === 's3' ? ['--gzip'] : []), '--seed', String(seed), '--truth', truth]);
    // the text twin of each file, to compare with
    gen(path.join(t.fx.dir, `hive-${seed}.log`), ['-n', '700', '--fields', 'v5', '--container', 's3', '--seed', String(seed)]);
    return JSON.parse(fs.readFileSync(truth, 'utf8'));
  });
  fs.writeFileSync(path.join(root, 'AWSLogs', 'README.md'), '# synced with aws s3 sync\n');
  const sum = (k) => truths.reduce((a, tr) => a + (tr.action[k] || 0), 0);
  t.fx.hive = { root, files: files.map((f) => f[0]), records: 2100, reject: sum('REJECT'), accept: sum('ACCEPT') };
  return t.fx.hive;
}

test('Parquet: a Hive-style AWSLogs folder with Parquet and gzip text decodes like its text twin', async (t) => {
  const tree = hiveTree(t);
  await t.open();
  await t.page.setInputFiles('#dir-input', tree.root);
  await t.loaded(tree.records);
  const note = await t.page.textContent('#notice-text');
  assert(/^Decoded 3 files\. Skipped 1 file of the folder: README\.md \(a document, not a flow log\)\.$/.test(note), `note: ${note}`);
  await t.typeFilter('action = REJECT');
  await t.waitStatus(new RegExp(`^${fmt(tree.reject)} of ${fmt(tree.records)} records$`));
  await t.typeFilter('');
  await t.page.click('#files-panel summary');
  const listed = await t.page.$$eval('#files .file-list:not(.skipped-list) li', (ls) => ls.map((l) => ({
    name: l.querySelector('.fname').textContent, info: l.querySelector('.muted').textContent })));
  eq(listed.map((l) => l.name), tree.files.map((f) => `hive/${f}`), 'files by relative path');
  assert(/parquet/.test(listed[0].info) && /700 records/.test(listed[0].info), `Parquet file info: ${listed[0].info}`);
  assert(/gzip/.test(listed[1].info), `text file info: ${listed[1].info}`);
  assert(/Parquet schema: 29 columns/.test(await t.page.textContent('#files')), 'binding named');
  await t.page.$eval('#files-panel', (p) => p.scrollIntoView());
  await t.shot('parquet-00-files-panel');
  // the same values as the text twin: the first rows' bytes and addresses
  const twin = fs.readFileSync(path.join(t.fx.dir, 'hive-31.log'), 'utf8').split('\n').slice(1, 6).map((l) => l.split(' '));
  const bytes = (await t.column('bytes')).slice(0, 5);
  const src = (await t.column('srcaddr')).slice(0, 5);
  eq(src.map((s) => s.replace(/[a-z].*$/, '')), twin.map((v) => v[3] === '-' ? '-' : v[3]), 'srcaddr as in the text twin');
  assert(bytes.length === 5, `bytes column: ${bytes}`);
  // the detail panel names the row of the Parquet file
  await t.page.click('.grid-layer .grid-row:nth-child(3)');
  await t.page.keyboard.press('Enter');
  await t.page.waitForSelector('#detail[open]');
  const loc = await t.page.textContent('#detail .dloc');
  assert(/hour=00\/.*\.log\.parquet, row \d+$/.test(loc), `source: ${loc}`);
  const orig = await t.page.textContent('#detail pre.orig');
  assert(/^5 123456789012 eni-/.test(orig), `the record as text: ${orig}`);
  await t.shot('parquet-01-folder-detail');
  eq(await t.page.textContent('#errors-badge'), '0', 'no bad lines');
});

test('Parquet: a dropped folder with both kinds of file', async (t) => {
  const tree = hiveTree(t);
  await t.open();
  await t.page.evaluate(({ files }) => {
    const later = (fn) => setTimeout(fn, 1);
    const dir = (fullPath) => {
      const children = [];
      return { isFile: false, isDirectory: true, name: fullPath.split('/').pop(), fullPath, children,
        createReader() { let i = 0; return { readEntries(ok) { later(() => { const b = children.slice(i, i + 2); i += b.length; ok(b); }); } }; } };
    };
    const file = (fullPath, bytes) => ({ isFile: true, isDirectory: false, name: fullPath.split('/').pop(), fullPath,
      file(ok) { later(() => ok(new File([bytes], fullPath.split('/').pop()))); } });
    const root = dir('/hive');
    const dirs = new Map([['/hive', root]]);
    const mkdirs = (p) => {
      if (dirs.has(p)) return dirs.get(p);
      const d = dir(p);
      mkdirs(p.slice(0, p.lastIndexOf('/'))).children.push(d);
      dirs.set(p, d);
      return d;
    };
    const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    for (const f of files) {
      const full = `/hive/${f.path}`;
      mkdirs(full.slice(0, full.lastIndexOf('/'))).children.push(file(full, b64(f.b64)));
    }
    const dt = { items: [{ kind: 'file', webkitGetAsEntry: () => root, getAsFile: () => null }], files: [], types: ['Files'] };
    const ev = new DragEvent('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(ev, 'dataTransfer', { value: dt });
    document.body.dispatchEvent(ev);
  }, { files: tree.files.map((p) => ({ path: p, b64: fs.readFileSync(path.join(tree.root, p)).toString('base64') })) });
  await t.loaded(tree.records);
  await t.typeFilter('action = ACCEPT');
  await t.waitStatus(new RegExp(`^${fmt(tree.accept)} of ${fmt(tree.records)} records$`));
  const files = await t.page.textContent('#files');
  assert((files.match(/parquet ·/g) || []).length === 2, `two Parquet files: ${files.slice(0, 400)}`);
});

test('Parquet: a file cut short and a file of other data are one clear error each', async (t) => {
  const tree = hiveTree(t);
  const good = path.join(tree.root, tree.files[0]);
  const cut = path.join(t.fx.dir, 'cut.log.parquet');
  const bytes = fs.readFileSync(good);
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const other = path.join(t.fx.dir, 'cities.parquet');
  execFileSync('python3', ['-c', `import pyarrow as pa, pyarrow.parquet as pq\npq.write_table(pa.table({'city': ['Oslo']}), ${JSON.stringify(other)})`]);
  await t.open();
  await t.upload(cut, other, good);
  await t.loaded(700);
  eq(await t.page.textContent('#errors-badge'), '2', 'two errors');
  await t.page.click('#errors-panel summary');
  const errs = await t.page.$$eval('#errors li', (ls) => ls.map((l) => l.textContent));
  assert(errs.some((e) => /^cut\.log\.parquet.*Parquet file cut short or damaged: it starts with PAR1 but does not end with it/.test(e)), `cut: ${errs}`);
  assert(errs.some((e) => /^cities\.parquet.*not a flow log: none of its 1 column is a flow log field \(city\)/.test(e)), `other: ${errs}`);
  assert(errs.every((e) => !/:0/.test(e)), `no line 0 shown: ${errs}`);
  await t.page.$eval('#errors-panel', (p) => p.scrollIntoView());
  await t.shot('parquet-02-errors');
});

test('Parquet: the memory budget and Cancel stop between row groups and keep what was decoded', async (t) => {
  const src = gen(path.join(t.fx.dir, 'pq-mem.log'), ['-n', '40000', '--fields', 'v5', '--container', 's3', '--seed', '41']);
  const pq = rewrite(src, path.join(t.fx.dir, 'pq-mem.parquet'), { row_group_size: 2000 });
  await t.open();
  await t.page.evaluate(() => { globalThis.FLOWLENS_MEMORY_BUDGET = 600_000; });
  await t.upload(pq);
  await t.page.waitForSelector('#notice:not([hidden])');
  const msg = await t.page.textContent('#notice-text');
  assert(/memory budget/.test(msg) && /Showing the records decoded so far/.test(msg), `memory message: ${msg}`);
  const st = await t.waitStatus(/^[\d,]+ of [\d,]+ records$/);
  const n = Number(st.split(' of ')[1].split(' ')[0].replace(/,/g, ''));
  assert(n > 0 && n < 40000, `partial table kept: ${st}`);
  eq(await t.page.textContent('#errors-badge'), '0', 'no bad line from the stop');

  // Cancel right at the start: nothing decoded, the previous table stays
  await t.page.evaluate(() => { globalThis.FLOWLENS_MEMORY_BUDGET = 1.5e9; });
  await t.upload(t.fx.raw);
  await t.loaded(t.fx.rawTruth.records);
  await t.page.evaluate(() => {
    document.getElementById('file-input').addEventListener('change', () => document.getElementById('cancel-btn').click(), { once: true });
  });
  await t.upload(pq);
  await t.page.waitForSelector('#notice:not([hidden])');
  const note = await t.page.textContent('#notice-text');
  assert(/^Cancelled after/.test(note), `cancel note: ${note}`);
  await t.loaded(t.fx.rawTruth.records);
});

test('Parquet: the single file from file:// reads Parquet with its embedded second module', async (t) => {
  t.allowFile = true;
  const tree = hiveTree(t);
  await t.page.goto(`file://${path.join(DIST, 'flowlens.html')}`);
  await t.page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
  await t.upload(path.join(tree.root, tree.files[0]), path.join(tree.root, tree.files[2]));
  await t.loaded(1400);
  assert(/parquet/.test(await t.page.textContent('#files')), 'Parquet files listed');
  assert(t.requests.every((u) => u.startsWith('file://') || u.startsWith('data:') || u.startsWith('blob:')), `requests: ${t.requests}`);
  await t.shot('parquet-03-single-file');
});
