// Context files through the JS API: addContext, labels in window/readWindow/rowDetail,
// health checks in setQuery, exports with label columns — agreeing with the CLI.
// Run after `npm run build`: node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
const tr = await import(pathToFileURL(path.join(root, 'pkg/flowlens_translate.js')).href);
tr.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_translate_bg.wasm')) });
// the view's translation, as www/translate.js does it: the table's input, the module's text
const translate = (t, kind) => {
  const i = t.translateInput();
  return tr.translate(kind, i.filter, i.sort, i.fields, i.format);
};
const cli = path.join(root, 'target/debug/flowlens');
const dir = path.join(root, 'tests/fixtures/context');
const ctxFiles = ['describe-network-interfaces.json', 'describe-instances.json', 'ip-ranges.json'];

function table() {
  const dec = new wb.Decoder({});
  for (const f of ctxFiles) {
    const bytes = fs.readFileSync(path.join(dir, f));
    assert.ok(wb.contextKind(bytes.subarray(0, 4096)), f);
    const info = dec.addContext(f, bytes);
    assert.equal(info.error, null, f);
  }
  assert.equal(dec.addContext('flows.log', fs.readFileSync(path.join(dir, 'flows.log'))), null, 'a flow log is not context');
  assert.equal(wb.contextKind(fs.readFileSync(path.join(dir, 'flows.log'))), undefined);
  dec.beginFile('flows.log');
  dec.push(fs.readFileSync(path.join(dir, 'flows.log')));
  return dec.finish();
}

test('context files are listed; labels come with the window', () => {
  const t = table();
  assert.deepEqual(t.contextFiles().map((f) => [f.kind, f.items]), [['network-interfaces', 8], ['instances', 1], ['ip-ranges', 7]]);
  t.setQuery('', '');
  const w = t.window(0, 3, ['interface-id', 'srcaddr']);
  assert.equal(w.labels[0].iface.text, 'EC2 i-0abc1234567890def (bastion)');
  assert.equal(w.labels[0].src.text, 'documentation range (RFC 5737)');
  assert.equal(w.labels[1].dst.text, 'S3 us-east-1');
  assert.equal(w.labels[1].dst.source, 'ip-ranges.json');
  assert.equal(w.labels[2].iface.kind, 'lambda');
});

test('sentences in readWindow and rowDetail agree with the CLI -o text', () => {
  const t = table();
  t.setQuery('', '');
  const text = execFileSync(cli, ['-o', 'text', path.join(dir, 'flows.log'), ...ctxFiles.map((f) => path.join(dir, f))],
    { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim().split('\n');
  const r = t.readWindow(0, 100);
  assert.deepEqual(r.sentences, text);
  const d = t.rowDetail(0);
  assert.equal(d.sentence, text[0]);
  assert.deepEqual(d.direction, ['ingress', "the interface's own address (describe-network-interfaces)"]);
  assert.equal(d.health, null);
});

test('filter terms, byResource and exports with labels', () => {
  const t = table();
  assert.equal(t.setQuery('interface.type = efs', '').count, 1);
  const r = t.setQuery('addr.label ~ s3', '');
  assert.equal(r.count, 3);
  assert.equal(r.healthchecks, 0);
  const csv = new TextDecoder().decode(t.exportView('csv')).split('\r\n');
  assert.match(csv[0], /,srcaddr\.label,dstaddr\.label,interface\.label,interface\.type,healthcheck$/);
  const nd = new TextDecoder().decode(t.exportView('ndjson')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(nd.map((o) => o['dstaddr.label']), ['S3 us-east-1', 'S3 us-east-1', 'S3 us-east-1']);
  t.setQuery('', '');
  const g = t.byResource(3);
  assert.deepEqual(g[0], { label: 'EC2 i-0abc1234567890def (bastion)', kind: 'ec2', count: 4, bytes: 4660 });
  assert.equal(translate(t, 'athena').ok, true);
  t.setQuery('healthcheck', '');
  const athena = translate(t, 'athena');
  assert.equal(athena.ok, false);
  assert.match(athena.text, /cannot be translated/);
});

test('hideHealthChecks leaves them out and setQuery counts them', () => {
  // two targets checked every 30 s by one source: a load balancer's rhythm
  let s = '';
  for (let i = 0; i < 6; i++) {
    for (const [dst, off] of [['10.0.2.2', 0], ['10.0.2.3', 1]]) {
      const t0 = 1764158400 + 30 * i + off;
      s += `2 1 eni-2 10.0.8.8 ${dst} ${50000 + i * 2 + off} 443 6 4 300 ${t0} ${t0 + 30} ACCEPT OK\n`;
    }
  }
  s += '2 1 eni-2 10.0.8.8 10.0.2.2 60000 443 6 40 30000 1764158417 1764158477 ACCEPT OK\n';
  const dec = new wb.Decoder({});
  dec.beginFile('x');
  dec.push(new TextEncoder().encode(s));
  const t = dec.finish();
  // health checks are classified on first need: setQuery does not wait for them
  assert.deepEqual(t.setQuery('', ''), { ok: true, count: 13, absent: [], healthchecks: null, sort: [] });
  assert.equal(t.contextFiles().length, 0);
  assert.equal(t.window(0, 1).labels, undefined, 'no labels before annotate');
  assert.deepEqual(t.annotate(), { healthchecks: 12 });
  assert.equal(t.window(0, 1).labels.length, 1, 'labels after annotate');
  assert.deepEqual(t.setQuery('', ''), { ok: true, count: 13, absent: [], healthchecks: 12, sort: [] });
  t.hideHealthChecks(true);
  assert.deepEqual(t.setQuery('', ''), { ok: true, count: 1, absent: [], healthchecks: 12, sort: [] });
  assert.match(t.rowDetail(0).sentence, /40 packets/);
  t.hideHealthChecks(false);
  t.setQuery('healthcheck', '');
  assert.match(t.rowDetail(0).health, /^Health check: 10\.0\.8\.8 \(not named by context/);
});
