// The report and Markdown bindings through initSync: the page's buildReport (the report
// module's, called as the table worker calls it: www/report-writer.js) must write the
// same report as `flowlens report` for the same view, and refuse above the limit.
// Run after `npm run build`: node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
const rb = await import(pathToFileURL(path.join(root, 'pkg/flowlens_report.js')).href);
rb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_report_bg.wasm')) });
const cb = await import(pathToFileURL(path.join(root, 'pkg/flowlens_context.js')).href);
cb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_context_bg.wasm')) });
const { callReport } = await import(pathToFileURL(path.join(root, 'www/report-writer.js')).href);
/** `t.buildReport(template, options)` / `t.prepareReport(…)` as the page's worker answers them. */
const buildReport = (t, template, options) => callReport(rb, t, 'buildReport', [template, options]);
const prepareReport = (t, template, options) => callReport(rb, t, 'prepareReport', [template, options]);
const cli = path.join(root, 'target/debug/flowlens');
const TEMPLATE = '<!doctype html>\n<html><!-- single-file build of flowlens --><head><title>flowlens</title></head><body>app</body></html>\n';

function table(file) {
  const dec = new wb.Decoder({});
  dec.beginFile(file);
  dec.push(fs.readFileSync(path.join(root, 'tests/fixtures', file)));
  return dec.finish();
}

function payload(html) {
  const meta = JSON.parse(html.match(/id="flowlens-report">([\s\S]*?)<\/script>/)[1]);
  const data = meta.files.filter((f) => f.element).map((f) =>
    zlib.gunzipSync(Buffer.from(html.match(new RegExp(`id="${f.element}" data-encoding="gzip\\+base64">([^<]*)<`))[1], 'base64')).toString());
  return { meta, data };
}

test('buildReport writes the embedded view the CLI writes', () => {
  const t = table('v5-s3.log.gz');
  const filter = 'action = reject';
  assert.equal(t.setQuery(filter, 'bytes:desc').ok, true);
  const opts = { title: 'x', data: 'view', view: { filter, sort: 'bytes:desc', columns: null, time: null, local: false }, saved_at_ms: 0 };
  const r = buildReport(t, TEMPLATE, JSON.stringify(opts));
  assert.equal(r.ok, true);
  assert.equal(r.records, t.viewCount());
  assert.equal(r.size, r.html.length);
  const page = payload(Buffer.from(r.html).toString());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlens-node-report-'));
  fs.writeFileSync(path.join(dir, 't.html'), TEMPLATE);
  execFileSync(cli, ['report', '--filter', filter, '--sort', 'bytes:desc', '--title', 'x', '--template', path.join(dir, 't.html'),
    '-o', path.join(dir, 'r.html'), path.join(root, 'tests/fixtures', 'v5-s3.log.gz')], { stdio: 'ignore', cwd: path.join(root, 'tests/fixtures') });
  const native = payload(fs.readFileSync(path.join(dir, 'r.html'), 'utf8'));
  assert.deepEqual(page.data, native.data, 'same embedded lines');
  assert.equal(page.meta.records, native.meta.records);
  fs.rmSync(dir, { recursive: true, force: true });
  t.free();
});

test('buildReport refuses above max_bytes and reports the estimate', () => {
  const t = table('default-bad.log');
  const r = buildReport(t, TEMPLATE, JSON.stringify({ data: 'all', max_bytes: 500 }));
  assert.equal(r.ok, false);
  assert.equal(r.tooBig, true);
  assert.equal(r.limit, 500);
  assert.ok(r.estimate > 500, `estimate ${r.estimate}`);
  const bad = buildReport(t, '<html><body></body></html>', '{}');
  assert.equal(bad.ok, false);
  assert.match(bad.message, /not the single-file flowlens app/);
  assert.deepEqual(wb.reportLimits(), { warn: 25000000, max: 100000000 });
  assert.deepEqual(t.reportLimits(), wb.reportLimits(), 'the table answers for its own module instance');
  t.free();
});

test('markdownTop and recordText agree with the CLI', () => {
  const t = table('default-bad.log');
  const file = path.join(root, 'tests/fixtures', 'default-bad.log');
  const md = execFileSync(cli, ['--top', 'dstport', '--limit', '5', '-o', 'markdown', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  assert.equal(t.markdownTop('dstport', 'count', 5), md);
  const text = t.recordText(0);
  assert.match(text, /^default-bad\.log:\d+\n/);
  assert.equal(t.recordText(1e9), undefined);
  t.free();
});

test('a report draft: size() is the finished size, title changes keep the data', () => {
  const t = table('v5-s3.log.gz');
  const opts = (title) => JSON.stringify({ title, data: 'all', redact: { accounts: 'last4', ips: true, tags: true }, view: { filter: '' }, saved_at_ms: 0 });
  const one = buildReport(t, TEMPLATE, opts('first'));
  const d = prepareReport(t, TEMPLATE, opts('ignored'));
  assert.equal(d.ok, true);
  const draft = d.draft;
  assert.equal(draft.records(), t.rowCount());
  const n = draft.size(TEMPLATE, opts('first'));
  const a = draft.finish(TEMPLATE, opts('first'));
  assert.equal(a.size, n);
  assert.deepEqual(Buffer.from(a.html), Buffer.from(one.html), 'the same file as buildReport');
  const b = draft.finish(TEMPLATE, opts('a longer second title'));
  assert.equal(b.size, n + 'a longer second title'.length * 2 - 'first'.length * 2);
  assert.deepEqual(payload(Buffer.from(b.html).toString()).data, payload(Buffer.from(a.html).toString()).data);
  assert.ok(draft.replacedAddresses() > 0);
  draft.free();
  t.free();
});

test('a labelled, redacted report: the page (context module → main → report module) writes the CLI\'s file', () => {
  const fixtures = path.join(root, 'tests/fixtures');
  const context = ['context/describe-network-interfaces.json', 'context/ip-ranges.json'];
    const a = new cb.Annotator();
  for (const name of context) assert.ok(a.addContext(name, fs.readFileSync(path.join(fixtures, name))), name);
  const dec = new wb.Decoder({});
  dec.beginFile('context/flows.log');
  dec.push(fs.readFileSync(path.join(fixtures, 'context/flows.log')));
  const t = dec.finish();
  assert.equal(t.annotationBytes(), undefined, 'no labels yet');
  t.setAnnotations(a.annotate(t.annotationInput()));
  a.free();
  const filter = 'action = accept';
  assert.equal(t.setQuery(filter, 'bytes:desc').ok, true);
  const opts = { title: 'x', note: '', data: 'view', redact: { accounts: 'last4', ips: true, tags: true },
    view: { filter, sort: 'bytes:desc', columns: null, time: null, local: false }, saved_at_ms: 0 };
  const r = buildReport(t, TEMPLATE, JSON.stringify(opts));
  assert.equal(r.ok, true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowlens-node-report-'));
  fs.writeFileSync(path.join(dir, 't.html'), TEMPLATE);
  execFileSync(cli, ['report', '--filter', filter, '--sort', 'bytes:desc', '--title', 'x', '--redact', 'all',
    ...context.flatMap((c) => ['--context', c]), '--template', path.join(dir, 't.html'), '-o', path.join(dir, 'r.html'),
    'context/flows.log'], { stdio: 'ignore', cwd: fixtures });
  // the CLI saves at its clock's time: the one difference
  const savedAt = (html) => html.replace(/"saved_at":"[^"]*"/, '"saved_at":""');
  const page = savedAt(Buffer.from(r.html).toString());
  const native = savedAt(fs.readFileSync(path.join(dir, 'r.html'), 'utf8'));
  assert.ok(page.includes('id="flowlens-report-context"'), 'the report carries the labels');
  assert.ok(payload(page).meta.context.labels > 0);
  assert.equal(page, native, 'the same file');
  fs.rmSync(dir, { recursive: true, force: true });
  t.free();
});
