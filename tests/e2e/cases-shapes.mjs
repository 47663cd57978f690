// End-to-end cases of issue 7: every new paste/file shape pasted and dropped, noise
// counted as "not records", binary and event-less JSON explained, and a low-confidence
// guess that asks to be confirmed. Appended to `cases` by cases.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { assert, eq, gen, ROOT } from './harness.mjs';

export const shapeCases = [];
const test = (name, fn) => shapeCases.push([name, fn]);
const FX = path.join(ROOT, 'tests/fixtures/shapes');
const fx = (name) => path.join(FX, name);

// [fixture, shape name shown, lines that are not records]
const SHAPES = [
  ['prompt-grep.txt', 'message-lines', 2],
  ['get-log-events.txt', 'aws-cli-text', 2],
  ['filter-log-events.txt', 'aws-cli-text', 2],
  ['query-messages.txt', 'aws-cli-text', 0],
  ['get-log-events.yaml', 'aws-cli-yaml', 10],
  ['filter-log-events.yaml', 'aws-cli-yaml', 16],
  ['events.ndjson', 'json', 0],
  ['zgrep.txt', 'paste', 0],
  ['grep-n.txt', 'paste', 0],
  ['chat.md', 'paste', 4],
  // a Slack copy (time stamps, smart quotes, non-breaking spaces) and an e-mail reply
  // whose client wrapped each quoted record at a space (rejoined, counted as not records)
  ['slack.txt', 'paste', 3],
  ['email-wrapped.txt', 'paste', 4],
  ['jq-messages.txt', 'message-lines', 2],
  // a plain file with remarks between its records and a header field flowlens does
  // not know (shown as a column under its own name, below)
  ['prose.log', 'lines', 2],
  // Logs Insights results of a `fields` query (no @message): the CSV and JSON
  // downloads and `aws logs get-query-results`, a column per field
  ['insights-fields.csv', 'csv', 0],
  ['insights-fields.json', 'json', 0],
  ['get-query-results-fields.json', 'json', 0],
  // rows of the CloudWatch console's log events table copied: time, tab, message
  ['console-copy.txt', 'paste', 0],
  // the page's own "Copy as Markdown" posted in a chat: prose, the table's alignment row
  ['markdown-table.md', 'paste', 3],
];

async function paste(t, text) {
  await t.page.evaluate((txt) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', txt);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

async function checkThree(t, what) {
  await t.loaded(3);
  // cells show an address with its scope badge, a NODATA row's empty fields as a note
  // (a documentation-range address also carries its range label after the badge)
  const want = ['10.0.1.5pvt', '203.0.113.9pub', 'NODATA · no traffic'];
  const got = await t.column('srcaddr');
  assert(got.length === 3 && got.every((c, i) => c.startsWith(want[i])), `${what}: srcaddr ${JSON.stringify(got)}`);
  eq((await t.column('dstport')).slice(0, 2), ['443https', '22ssh'], `${what}: dstport`);
  eq((await t.column('action')).slice(0, 2), ['✓ACCEPT', '✕REJECT'], `${what}: action`);
}

test('issue 7: every paste shape pasted gives the three records exactly', async (t) => {
  for (const [name, shape, noise] of SHAPES) {
    await t.open();
    await paste(t, fs.readFileSync(fx(name), 'utf8'));
    await checkThree(t, name);
    eq(await t.page.textContent('#errors-badge'), '0', `${name}: no bad lines`);
    const files = await t.page.textContent('#files');
    assert(files.includes(shape), `${name}: shape ${shape} in ${files}`);
    if (noise) {
      assert(files.includes(`${noise} not records`), `${name}: ${noise} not records in ${files}`);
      const summary = await t.page.textContent('#summary');
      assert(summary.includes(`Not records${noise}`), `${name}: summary ${summary}`);
    }
    if (name === 'prose.log') {
      eq((await t.column('ecn-codepoint')), ['0', '2', '-'], 'the unknown field is a column under its own name');
      assert(files.includes("unknown field 'ecn-codepoint' kept as text"), `unknown field noted: ${files}`);
      await t.typeFilter('ecn-codepoint = 2');
      await t.waitStatus(/^1 of 3 records$/);
      // sorted by a header click, the column keeps its own name (not extra-N) through
      // the worker's answer: the indicator, the rows and the link agree
      await t.typeFilter('');
      await t.waitStatus(/^3 of 3 records$/);
      const h = '.grid-head [data-name="ecn-codepoint"]';
      await t.page.click(h);
      await t.page.click(h);
      await t.settled();
      eq(await t.page.getAttribute(h, 'aria-sort'), 'descending', 'sorted by the unknown column');
      eq(await t.column('ecn-codepoint'), ['2', '0', '-'], 'rows sorted by it');
      assert(/s=ecn-codepoint%3Adesc|s=ecn-codepoint:desc/.test(await t.page.evaluate(() => location.hash)), `sort in URL: ${await t.page.evaluate(() => location.hash)}`);
      await t.page.click(h);
      await t.settled();
    }
    if (name === 'prompt-grep.txt') await t.shot('20-pasted-terminal-prompt');
    if (name === 'chat.md') await t.shot('21-pasted-chat');
  }
});

test('issue 7: the paste shapes dropped together, plus Parquet and describe-network-interfaces', async (t) => {
  await t.open();
  await t.drop(...SHAPES.map(([n]) => fx(n)), fx('parquet.bin'), fx('describe-network-interfaces.json'));
  await t.loaded(3 * SHAPES.length);
  // describe-network-interfaces is context (listed, not an error); the PAR1 bytes go to
  // the Parquet reader, which reports its damaged footer once
  eq(await t.page.textContent('#errors-badge'), '1', 'one message for the broken Parquet file');
  const files = await t.page.$$eval('#files .file-list li', (ls) => ls.map((l) => l.textContent));
  eq(files.length, SHAPES.length + 2, 'every file listed');
  assert(files.some((f) => /parquet\.bin/.test(f) && /parquet/.test(f)), `parquet listed: ${files.join(' | ')}`);
  await t.page.click('#errors-panel > summary');
  const errs = await t.page.textContent('#errors');
  assert(/damaged Parquet footer/.test(errs), `parquet message: ${errs.slice(0, 300)}`);
  await t.shot('22-dropped-shapes');
});

test('UTF-16 files (Windows PowerShell\'s > and Out-File, Excel\'s Unicode Text) decode as their UTF-8', async (t) => {
  // little-endian with a byte-order mark, as PowerShell 5.1 writes; big-endian too
  const utf16 = (name, big) => {
    const text = fs.readFileSync(fx(name), 'utf8');
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    if (big) le.swap16();
    const out = path.join(t.fx.dir, `utf16-${big ? 'be' : 'le'}-${name}`);
    fs.writeFileSync(out, le);
    return out;
  };
  // and a sheet saved as Excel's "Unicode Text": UTF-16 tab-separated fields
  const sheet = path.join(t.fx.dir, 'sheet-unicode.txt');
  const tsv = fs.readFileSync(fx('insights-fields.csv'), 'utf8').replaceAll(',', '\t');
  fs.writeFileSync(sheet, Buffer.from(`\ufeff${tsv}`, 'utf16le'));
  await t.open();
  await t.drop(utf16('events.ndjson', false), utf16('get-log-events.txt', true), sheet);
  await t.loaded(9);
  eq(await t.page.textContent('#errors-badge'), '0', 'no bad line');
  const files = await t.page.$$eval('#files .file-list li', (ls) => ls.map((l) => l.textContent));
  assert(files.some((f) => /utf16-le-events\.ndjson/.test(f) && /json/.test(f)), `json listed: ${files.join(' | ')}`);
  assert(files.some((f) => /utf16-be-get-log-events/.test(f) && /aws-cli-text/.test(f)), `text listed: ${files.join(' | ')}`);
  assert(files.some((f) => /sheet-unicode/.test(f) && /tsv/.test(f)), `sheet listed: ${files.join(' | ')}`);
  const src = await t.column('srcaddr');
  const three = ['10.0.1.5pvt', '203.0.113.9pubdocumentation range (RFC 5737)', 'NODATA · no traffic'];
  eq(src.slice(0, 6), [...three, ...three], 'the records of each file, as its UTF-8 gives them');
  eq(src.length, 9, 'nine rows');
});

test('a quoted paste (an e-mail reply): a quoted JSON document and a quoted Markdown table read as the originals', async (t) => {
  const quote = (name, marker) => fs.readFileSync(fx(name), 'utf8').split('\n').map((l) => `${marker}${l}`).join('\n');
  await t.open();
  await paste(t, quote('get-query-results-fields.json', '> '));
  await t.loaded(3);
  eq(await t.page.textContent('#errors-badge'), '0', 'quoted JSON: no bad line');
  await paste(t, `On Tue, Jane wrote:\n\n${quote('markdown-table.md', '>> ')}\n\nThanks!`);
  await t.loaded(3);
  eq(await t.page.textContent('#errors-badge'), '0', 'quoted table in a reply: no bad line');
  const src = (await t.column('srcaddr')).map((s) => s.split(/[a-z]/)[0]);
  eq(src.length, 3, 'three rows');
});

test('a terminal session saved with its colours (script, aws logs tail --color on) reads as the screen text', async (t) => {
  const text = fs.readFileSync(fx('prompt-grep.txt'), 'utf8').split('\n')
    .map((l, i) => `\u001b[0${i % 2};3${i % 7}m${l}\u001b[0m`).join('\n');
  const file = path.join(t.fx.dir, 'typescript.txt');
  fs.writeFileSync(file, `\u001b]0;ec2-user@ip-10-0-1-5:~\u0007${text}`);
  await t.open();
  await t.drop(file);
  await t.loaded(3);
  eq(await t.page.textContent('#errors-badge'), '0', 'no bad line');
  const files = await t.page.$$eval('#files .file-list li', (ls) => ls.map((l) => l.textContent));
  assert(files.some((f) => /typescript/.test(f) && /message-lines/.test(f)), `shape: ${files.join(' | ')}`);
});

test('CSV pasted in a chat among prose: each block read as CSV, the prose not records', async (t) => {
  await t.open();
  await paste(t, fs.readFileSync(fx('chat-csv.txt'), 'utf8'));
  await t.loaded(6);
  eq(await t.page.textContent('#errors-badge'), '0', 'no bad line');
  const src = (await t.column('srcaddr')).map((s) => s.split(/[a-z]/)[0]);
  eq(src, ['10.0.1.5', '203.0.113.9', 'NODATA · no tr', '10.0.1.5', '203.0.113.9', '10.0.1.5'].map((s) => s.split(/[a-z]/)[0]), 'the rows of both blocks and the fenced record');
  await t.shot('22c-chat-csv');
});

test('a Logs Insights export of some fields: their columns, and "-" totals for the fields it lacks', async (t) => {
  await t.open();
  await paste(t, [
    '"@timestamp","srcAddr","dstAddr","dstPort","bytes","action"',
    '"2025-11-26 00:01:00.000","10.0.1.5","10.0.2.9","443","4800","ACCEPT"',
    '"2025-11-26 00:01:01.000","203.0.113.9","10.0.1.5","22","40","REJECT"',
    '"2025-11-26 00:01:02.000","203.0.113.9","10.0.1.5"',
  ].join('\n'));
  await t.loaded(2);
  const got = await t.column('srcaddr');
  assert(got[0].startsWith('10.0.1.5') && got[1].startsWith('203.0.113.9'), `srcaddr ${JSON.stringify(got)}`);
  eq((await t.column('dstport')), ['443https', '22ssh'], 'dstport');
  eq(await t.page.textContent('#errors-badge'), '1', 'the short row is a bad line');
  const summary = await t.page.textContent('#summary');
  for (const part of ['Events from2025-11-26', 'Events to2025-11-26', 'Bytes4.84 KB', 'Packets-', 'ACCEPT 1', 'REJECT 1', 'NODATA-', 'SKIPDATA-']) {
    assert(summary.includes(part), `${part} in summary: ${summary}`);
  }
  const files = await t.page.textContent('#files');
  assert(files.includes('csv'), `csv shape: ${files}`);
  // no start times: the histogram charts the events' @timestamp, says so, and its window
  // selects on it
  eq(await t.page.textContent('#histo-hint'), '1s buckets of @timestamp (the data has no start times) · red: REJECT · drag to select a time window', 'the histogram says what it charts');
  await t.shot('22b-insights-fields');
  const box = await t.page.locator('#histo-canvas').boundingBox();
  await t.page.mouse.move(box.x + 2, box.y + 30);
  await t.page.mouse.down();
  await t.page.mouse.move(box.x + box.width * 0.3, box.y + 30, { steps: 5 });
  await t.page.mouse.up();
  await t.page.waitForSelector('#time-chip:not([hidden])');
  await t.waitStatus(/^1 of 2/);
  eq((await t.column('srcaddr')).map((s) => s.slice(0, 8)), ['10.0.1.5'], 'the window keeps the first event');
  const title = await t.page.getAttribute('#time-chip', 'title');
  eq(title, 'Time window from the histogram: @timestamp >= 2025-11-26T00:01:00Z and @timestamp < 2025-11-26T00:01:01Z', 'the chip names the field');
});

test('issue 7: a low-confidence guess asks to be confirmed, confirming binds the format', async (t) => {
  const file = gen(path.join(t.fx.dir, 'custom-guess.log'), ['-n', '40', '--fields', 'custom', '--seed', '12']);
  await t.open();
  await paste(t, fs.readFileSync(file, 'utf8'));
  await t.loaded(40);
  await t.page.waitForSelector('#format-bar .guess-ask');
  const ask = await t.page.textContent('#format-bar .guess-ask');
  assert(/These columns are a guess \(\d+% sure\)/.test(ask), `asks: ${ask}`);
  await t.shot('23-guess-asks-confirmation');
  const guessed = await t.page.inputValue('#format-input');
  await t.page.click('#confirm-format');
  await t.loaded(40);
  await t.page.waitForFunction(() => !document.querySelector('#format-bar .guess-ask'));
  eq(await t.page.inputValue('#format-input'), guessed, 'the confirmed format is the one guessed');
  const conf = await t.page.textContent('#format-bar .conf');
  assert(/set by you/.test(conf), `confirmed: ${conf}`);
});
