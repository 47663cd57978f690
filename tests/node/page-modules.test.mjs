// The page's pure ES modules under node --test: formatting (util.js), the link state
// (state.js, fuzzed with random strings: a link from a stranger never throws and only
// valid parts are taken), the filter bar's clause and offset helpers, and the columns
// the page builds from the core's catalogue (catalogue.js, flowcells.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.env.TZ = 'UTC';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = (m) => import(pathToFileURL(path.join(root, 'www', m)).href);
const util = await www('util.js');
const state = await www('state.js');
const { withClause, charRange } = await www('filterbar.js');
const { setCatalogue, viewColumns, hiddenByDefault, hintBeside } = await www('catalogue.js');
const { columnLabel, autosizeColumns } = await www('flowcells.js');
const wb = await import(pathToFileURL(path.join(root, 'pkg/flowlens.js')).href);
wb.initSync({ module: fs.readFileSync(path.join(root, 'pkg/flowlens_bg.wasm')) });
setCatalogue(wb.catalogue());

/** A small deterministic PRNG (xorshift32) for the fuzz cases. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

test('util: numbers, sizes, durations and times as the page shows them', () => {
  assert.equal(util.fmtInt(1234567), '1,234,567');
  assert.deepEqual([0, 999, 1000, 1500, 12_345, 1_640_000_000].map(util.fmtBytes), ['0 B', '999 B', '1.00 KB', '1.50 KB', '12.3 KB', '1.64 GB']);
  assert.equal(util.fmtBytes(NaN), '-');
  assert.equal(util.fmtMiB(5 * 1048576), '5.0 MB');
  assert.equal(util.fmtMiB(50 * 1048576), '50 MB');
  assert.deepEqual([0, 59.4, 60, 65, 3600, 3725, 90061].map(util.fmtDuration), ['0s', '59s', '1m', '1m 5s', '1h 0m', '1h 2m', '1d 1h 1m']);
  assert.equal(util.fmtDuration(Infinity), '-');
  assert.equal(util.isoUtc(1764115200), '2025-11-26T00:00:00Z');
  assert.equal(util.localTime(1764115200), '2025-11-26 00:00:00 +00:00');
  assert.equal(util.localTime(1764115200, false), '2025-11-26 00:00:00');
  assert.equal(util.fmtTime(1764115200, false), '2025-11-26T00:00:00Z');
});

test('util: quoteValue keeps simple tokens bare and quotes the rest', () => {
  assert.equal(util.quoteValue('10.0.0.1'), '10.0.0.1');
  assert.equal(util.quoteValue('eni-0a1b'), 'eni-0a1b');
  assert.equal(util.quoteValue('2001:db8::/32'), '2001:db8::/32');
  assert.equal(util.quoteValue('and'), '"and"');
  assert.equal(util.quoteValue('a b'), '"a b"');
  assert.equal(util.quoteValue('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"');
});

test('util: debounce runs once, after the last call; cancel stops it', async () => {
  let n = 0;
  const d = util.debounce(() => n++, 5);
  d(); d(); d();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(n, 1);
  d(); d.cancel();
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(n, 1);
});

test('state: a link gives filter, sort, columns, time window and time zone', () => {
  const st = state.readState('#f=action%20%3D%20REJECT&s=bytes:desc,start&c=srcaddr,dstaddr,duration&t=1764115200..1764118800&tz=local');
  assert.deepEqual(st, {
    filter: 'action = REJECT', sort: 'bytes:desc,start', columns: ['srcaddr', 'dstaddr', 'duration'],
    time: [1764115200, 1764118800], local: true, problems: [],
  });
  assert.equal(state.stateHash(st), '#f=action%20%3D%20REJECT&s=bytes%3Adesc%2Cstart&c=srcaddr%2Cdstaddr%2Cduration&t=1764115200..1764118800&tz=local');
  assert.deepEqual(state.readState(state.stateHash(st)), st);
  assert.equal(state.stateHash({ filter: '', sort: '', columns: null, time: null, local: false }), '');
});

test('state: refused parts are named, the rest is kept', () => {
  let st = state.readState('#f=x&t=5..1');
  assert.equal(st.filter, 'x');
  assert.equal(st.time, null);
  assert.match(st.problems[0], /time window '5\.\.1' is not two unix times/);
  st = state.readState(`#t=${state.TIME_MIN - 1}..${state.TIME_MIN + 10}`);
  assert.equal(st.time, null);
  st = state.readState(`#s=${Array(17).fill('bytes').join(',')}`);
  assert.equal(st.sort, '');
  assert.match(st.problems[0], /sort has 17 keys \(at most 16\)/);
  st = state.readState(`#f=${'a'.repeat(state.MAX_LINK_TEXT + 1)}`);
  assert.equal(st.filter, '');
  assert.match(st.problems[0], /filter is 262,145 characters long/);
  st = state.readState('#c=srcaddr,<img>,dst%20addr,,dstport');
  assert.deepEqual(st.columns, ['srcaddr', 'dstport']);
  assert.equal(state.readState('#c=%3Cb%3E').columns, null);
});

test('state: fuzzed links never throw and only ever yield valid parts', () => {
  const rand = rng(20251126);
  const alphabet = Array.from('ftsc=&#%.,:;-_ 0123456789abcdefXYZ<>"\'\\/\u00e9\u{1F600}\u0000\n');
  const pick = () => alphabet[Math.floor(rand() * alphabet.length)];
  const keys = ['f', 's', 'c', 't', 'tz'];
  for (let i = 0; i < 5000; i++) {
    let h = '#';
    const parts = Math.floor(rand() * 6);
    for (let p = 0; p < parts; p++) {
      const k = keys[Math.floor(rand() * keys.length)];
      let v = '';
      const len = Math.floor(rand() * 30);
      for (let j = 0; j < len; j++) v += pick();
      if (k === 't' && rand() < 0.5) v = `${Math.floor(rand() * 5e9)}..${Math.floor(rand() * 5e9)}`;
      h += `${p ? '&' : ''}${k}=${rand() < 0.5 ? encodeURIComponent(v) : v}`;
    }
    const st = state.readState(h);
    assert.equal(typeof st.filter, 'string');
    assert.ok(st.filter.length <= state.MAX_LINK_TEXT && st.sort.length <= state.MAX_LINK_TEXT);
    assert.ok(st.sort.split(',').filter((s) => s.trim()).length <= 16);
    assert.ok(Array.isArray(st.problems));
    if (st.columns) {
      assert.ok(st.columns.length >= 1 && st.columns.length <= 200);
      for (const c of st.columns) assert.match(c, /^[@A-Za-z0-9_-]{1,40}$/);
    }
    if (st.time) {
      const [a, b] = st.time;
      assert.ok(Number.isInteger(a) && Number.isInteger(b) && a < b && a >= state.TIME_MIN && b <= state.TIME_MAX, h);
    }
    // what was taken survives a round trip through the link
    const again = state.readState(state.stateHash(st));
    assert.deepEqual([again.filter, again.sort, again.columns, again.time, again.local], [st.filter, st.sort, st.columns, st.time, st.local], h);
  }
});

test('filter bar: clauses join with and, an or is bracketed; byte offsets become string indexes', () => {
  assert.equal(withClause('', 'a = 1'), 'a = 1');
  assert.equal(withClause('  x = 2 ', 'a = 1'), 'x = 2 and a = 1');
  assert.equal(withClause('x = 2 or y = 3', 'a = 1'), '(x = 2 or y = 3) and a = 1');
  assert.equal(withClause('(x = 2 or y = 3)', 'a = 1'), '(x = 2 or y = 3) and a = 1');
  assert.deepEqual(charRange('srcaddr = x', 10, 11), [10, 11]);
  // é is 2 UTF-8 bytes, 😀 4 bytes and 2 UTF-16 units
  assert.deepEqual(charRange('é = 😀 x', 0, 2), [0, 1]);
  assert.deepEqual(charRange('é = 😀 x', 5, 9), [4, 6]);
  assert.deepEqual(charRange('abc', 10, 20), [3, 3]);
});

test('catalogue: the page columns of a table, with duration after end', () => {
  const f = (name, kind) => ({ name, kind, about: '' });
  const cols = viewColumns([f('srcaddr', 'address'), f('start', 'time'), f('end', 'time'), f('action', 'text')]);
  assert.deepEqual(cols.map((c) => [c.name, c.kind, c.derived]), [
    ['srcaddr', 'address', false], ['start', 'time', false], ['end', 'time', false], ['duration', 'duration', true], ['action', 'text', false]]);
  assert.deepEqual(viewColumns([f('end', 'time')]).map((c) => c.name), ['end']);
  assert.equal(hiddenByDefault('version'), true);
  assert.equal(hiddenByDefault('srcaddr'), false);
  assert.equal(hintBeside('dstport'), true);
  assert.equal(hintBeside('dstaddr'), false);
  assert.equal(columnLabel({ name: 'start', kind: 'time' }, true), 'start (local)');
  assert.equal(columnLabel({ name: 'start', kind: 'time' }, false), 'start (UTC)');
  assert.equal(columnLabel({ name: 'bytes', kind: 'integer' }, true), 'bytes');
});

test('flowcells: column widths leave room for the badges and hints', () => {
  const cols = [{ name: 'dstport', kind: 'integer', width: 0 }, { name: 'srcaddr', kind: 'address', width: 0 },
    { name: 'start', kind: 'time', width: 0 }, { name: 'duration', kind: 'duration', width: 0 }];
  autosizeColumns(cols, { rows: [['443', '10.0.0.1', '2025-11-26T00:00:00Z', '65']], hints: [['https', 'private', '', '']] }, cols.map((c) => c.name), 10);
  // dstport: "443" + room for its hint; srcaddr: 8 chars + 6 for the scope badge; start: 21 chars
  assert.deepEqual(cols.map((c) => c.width), [(3 + 8) * 10 + 18, (8 + 6) * 10 + 18, 21 * 10 + 18, 10 * 10 + 18]);
});
