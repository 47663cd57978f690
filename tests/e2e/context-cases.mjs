// End-to-end cases for context files, labels, health checks and sentences (issue 11):
// the generator's conversations with their context files dropped together.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assert, eq, gen, DIST } from './harness.mjs';

const fmt = (n) => n.toLocaleString('en-US');

/** 5,000 v5 conversation records, per-record truth and the context files. */
export function contextFixture(t) {
  if (t.fx._ctx) return t.fx._ctx;
  const dir = path.join(t.fx.dir, 'vpc');
  fs.mkdirSync(dir, { recursive: true });
  const log = gen(path.join(dir, 'flows.log'), ['-n', '5000', '--seed', '11', '--fields', 'v5', '--conversations',
    '--labels', path.join(dir, 'labels.ndjson'), '--context', path.join(dir, 'ctx')]);
  const kinds = fs.readFileSync(path.join(dir, 'labels.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).kind);
  const ctx = fs.readdirSync(path.join(dir, 'ctx')).sort().map((f) => path.join(dir, 'ctx', f));
  const enis = JSON.parse(fs.readFileSync(path.join(dir, 'ctx', 'describe-network-interfaces.json'), 'utf8')).NetworkInterfaces;
  const elbEnis = new Set(enis.filter((e) => e.Description.startsWith('ELB ')).map((e) => e.NetworkInterfaceId));
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const elbRecords = lines.filter((l) => elbEnis.has(l.split(' ')[2])).length;
  t.fx._ctx = { log, ctx, kinds, healthchecks: kinds.filter((k) => k === 'healthcheck').length, elbRecords };
  return t.fx._ctx;
}

export function addContextCases(test) {
  test('without context files the table shows first; health checks and labels follow from the log alone', async (t) => {
    const fx = contextFixture(t);
    await t.open();
    await t.drop(fx.log);
    await t.loaded(5000);
    // built after the rows are shown (Table.annotate): the toggle appears with its count
    await t.page.waitForFunction(() => /Hide health checks \(\d/.test(document.getElementById('hc-btn')?.textContent || ''),
      null, { timeout: 20000 });
    const hc = Number((await t.page.textContent('#hc-btn')).match(/\(([\d,]+)\)/)[1].replace(/,/g, ''));
    assert(hc > 0, `health checks found without context: ${hc}`);
    // the rows on screen are drawn again with their health-check marks, without a new query
    // (the generator's truth has health checks among the first rows: the premise is checked)
    assert(fx.kinds.slice(0, 15).includes('healthcheck'), 'health checks among the first rows');
    await t.page.waitForFunction(() => document.querySelectorAll('.grid-layer .grid-row.is-hc:not([hidden])').length > 0,
      null, { timeout: 20000 });
    await t.typeFilter('healthcheck');
    await t.waitStatus(new RegExp(`^${fmt(hc)} of 5,000 records$`));
  });

  test('a big table is labelled in a worker of its own: the same labels and health checks; a health-check filter typed at once waits for them', async (t) => {
    const fx = contextFixture(t);
    /** What a table of the log alone shows, labelled in the table worker (`inWorker`) or aside (also in the single file, `file`). */
    const run = async (inWorker, file = false) => {
      const ended = [];
      const onWorker = (w) => w.on('close', () => ended.push(w.url()));
      t.page.on('worker', onWorker);
      // ?labels-aside=N: tables of N rows or more are labelled aside (100,000 by default)
      const query = inWorker ? '?labels-aside=100000000' : '?labels-aside=1';
      if (file) {
        // the single file: the labelling worker comes from the same Blob URL as the table worker
        t.allowFile = true;
        await t.page.goto(`${pathToFileURL(path.join(DIST, 'flowlens.html')).href}${query}`);
        await t.page.waitForSelector('html[data-ready="yes"]', { timeout: 20000 });
      } else {
        await t.open(query);
      }
      await t.drop(fx.log);
      await t.loaded(5000);
      // at once: in the aside case the labels may still be on their way, and the filter waits for them
      await t.typeFilter('healthcheck');
      const filtered = await t.waitStatus(/^[\d,]+ of 5,000 records$/);
      await t.typeFilter('');
      await t.waitStatus(/^5,000 of 5,000 records$/);
      await t.page.waitForFunction(() => /Hide health checks \(\d/.test(document.getElementById('hc-btn')?.textContent || ''),
        null, { timeout: 20000 });
      await t.page.waitForFunction(() => document.querySelectorAll('.grid-layer .grid-row:not([hidden]) .lbl').length > 0,
        null, { timeout: 20000 });
      const badges = await t.page.$$eval('.grid-layer .grid-row:not([hidden])', (rows) => rows
        .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
        .map((r) => [...r.querySelectorAll('.lbl')].map((b) => b.textContent).join(' | ')));
      const button = await t.page.textContent('#hc-btn');
      t.page.off('worker', onWorker); // the next run's navigation ends this page's workers
      return { filtered, button, badges, ended: [...ended] };
    };
    const aside = await run(false);
    const here = await run(true);
    const single = await run(false, true);
    // the labelling worker is ended once it has answered; the table worker lives on
    assert(aside.ended.length >= 1, `a worker ended after labelling aside: ${aside.ended.length}`);
    eq(here.ended.length, 0, 'no worker ended when labelling in the table worker');
    const hc = Number(aside.button.match(/\(([\d,]+)\)/)[1].replace(/,/g, ''));
    assert(hc > 0, `health checks found: ${aside.button}`);
    eq(aside.filtered, `${fmt(hc)} of 5,000 records`, 'the health-check filter typed at once counts them all');
    eq(aside.button, here.button, 'the same health-check count either way');
    eq(aside.filtered, here.filtered, 'the same health-check filter either way');
    assert(aside.badges.length >= 8 && aside.badges.some((b) => b), `labels shown: ${aside.badges.slice(0, 4)}`);
    eq(aside.badges, here.badges, 'the same label badges, row by row');
    assert(single.ended.length >= 1 && single.ended.every((u) => u.startsWith('blob:')), `the single file labelled aside in a Blob URL worker: ${single.ended}`);
    eq([single.filtered, single.button, single.badges], [aside.filtered, aside.button, aside.badges], 'the single file labels aside the same');
  });

  test('context files dropped beside the logs: named interfaces, health checks hidden in one click, sentences', async (t) => {
    const fx = contextFixture(t);
    await t.open();
    await t.drop(fx.log, ...fx.ctx);
    await t.loaded(5000);
    // the context files are listed as context, not decoded as logs
    await t.page.click('#files-panel summary');
    const files = await t.page.textContent('#files');
    assert(/Context \(5 files/.test(files), `context listed: ${files.slice(0, 300)}`);
    assert(/describe-network-interfaces.*42 interfaces/.test(files), `interfaces counted: ${files}`);
    eq(await t.page.textContent('#files-badge'), '1', 'one flow log file');
    // label badges in the cells
    const badges = await t.page.$$eval('.grid-layer .grid-row:not([hidden]) .lbl', (b) => b.map((x) => x.textContent));
    assert(badges.some((b) => /^ELB app\/web-alb \(zone [abc], internet-facing\)$/.test(b)), `ELB badge: ${badges.slice(0, 8)}`);
    assert(badges.some((b) => /^EC2 i-[0-9a-f]+ \(web-\d+\)$/.test(b)), `EC2 badge with Name tag: ${badges.slice(0, 8)}`);
    await t.shot('ctx-01-labels');
    // the by-resource facet
    const facet = await t.page.textContent('#facet-resource');
    assert(/NAT gateway nat-/.test(facet) || /ELB app\/web-alb/.test(facet), `by resource facet: ${facet}`);
    // one click hides the health checks, and says how many
    const hc = await t.page.textContent('#hc-btn');
    eq(hc, `Hide health checks (${fmt(fx.healthchecks)})`, 'toggle shows the count');
    await t.page.click('#hc-btn');
    await t.waitStatus(new RegExp(`^${fmt(5000 - fx.healthchecks)} of 5,000 records$`));
    assert(/hidden/.test(await t.page.textContent('#hc-btn')), 'toggle pressed');
    await t.page.click('#hc-btn');
    await t.waitStatus(/^5,000 of 5,000 records$/);
    // filter terms
    await t.typeFilter('healthcheck');
    await t.waitStatus(new RegExp(`^${fmt(fx.healthchecks)} of 5,000 records$`));
    await t.typeFilter('interface.type = elb');
    await t.waitStatus(new RegExp(`^${fmt(fx.elbRecords)} of 5,000 records$`));
    await t.typeFilter('srcaddr.label ~ "web-alb" and not healthcheck');
    const n = Number((await t.status()).split(' ')[0].replace(/,/g, ''));
    assert(n > 0 && n < 5000, `label filter keeps some: ${n}`);
    // a label term cannot be translated: refused with the reason
    await t.page.click('#export-btn');
    await t.page.click('[data-translate=athena]');
    await t.settled();
    // the translation module loads on first use: the notice comes once it has
    await t.page.waitForFunction(() => /cannot be translated/.test(document.querySelector('#notice-text')?.textContent || ''), null, { timeout: 10000 });
    const note = await t.page.textContent('#notice-text');
    assert(/cannot be translated: Athena has no labels/.test(note), `translation refused: ${note}`);
    await t.page.click('#notice-close');
    // detail panel of a health check: sentence, labels, verdict with its reason
    await t.typeFilter('healthcheck and interface.type = ec2');
    await t.page.focus('[role=grid]');
    await t.page.keyboard.press('Home');
    await t.page.keyboard.press('Enter');
    await t.page.waitForSelector('#detail[open] .ctx-detail');
    const sentence = await t.page.textContent('#detail .sentence');
    assert(/^\d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC · /.test(sentence) && /ELB app\/web-alb|ELB net\/api-nlb/.test(sentence) && / · health check$/.test(sentence),
      `sentence: ${sentence}`);
    assert(/web-\d+ \(i-[0-9a-f]{4}…/.test(sentence), `instance named in the sentence: ${sentence}`);
    const verdict = await t.page.textContent('#detail .hc-verdict');
    assert(/^Health check: .* every 30 s/.test(verdict), `verdict explained: ${verdict}`);
    await t.shot('ctx-02-detail-healthcheck');
    await t.page.click('#detail-close');
    // the read view renders sentences of the same view
    await t.typeFilter('');
    await t.page.click('#read-btn');
    await t.page.waitForSelector('#readview:not([hidden]) .rv-row');
    const rows = await t.page.$$eval('#readview .rv-row', (r) => r.map((x) => x.textContent));
    assert(rows.length > 5 && rows.every((r) => /UTC · /.test(r)), `read rows: ${rows.slice(0, 2)}`);
    assert(rows.some((r) => / → .*(ELB|EC2|web-|worker-|NAT|RDS|Lambda)/.test(r)), `names in sentences: ${rows.slice(0, 3)}`);
    await t.shot('ctx-03-read-view');
    // a new load while reading: its table is read too, not shown in the grid beside it
    await t.drop(fx.log);
    await t.loaded(5000);
    await t.page.waitForSelector('#readview:not([hidden]) .rv-row');
    assert(await t.page.isHidden('.grid'), 'the grid stays hidden in Read mode after a new load');
    eq(await t.page.getAttribute('#read-btn', 'aria-pressed'), 'true', 'Read stays on');
    // exports carry the labels
    const csvHead = await t.page.evaluate(() => new TextDecoder().decode(window.__flowlensTable?.exportView('csv').slice(0, 2000) || new Uint8Array()));
    if (csvHead) assert(/interface\.label/.test(csvHead.split('\n')[0]), `csv header: ${csvHead.split('\n')[0]}`);
  });

  test('a broken context file is listed with its line and reason; the logs still decode', async (t) => {
    const fx = contextFixture(t);
    const bad = path.join(t.fx.dir, 'vpc', 'broken-target-groups.json');
    fs.writeFileSync(bad, '{"TargetGroups": [\n  {"Port": 80,\n]}');
    await t.open();
    await t.drop(fx.log, bad);
    await t.loaded(5000);
    await t.page.click('#files-panel summary');
    const files = await t.page.textContent('#files');
    assert(/not used, line 3/.test(files), `broken context reported: ${files}`);
  });

  test('"Sample with context" shows named interfaces', async (t) => {
    await t.open();
    assert(await t.page.isVisible('#sample-ctx-btn'), 'button shown (sample generated at build time)');
    await t.page.click('#sample-ctx-btn');
    await t.waitStatus(/^5,000 of 5,000 records$/);
    const n = await t.page.locator('.grid-layer .lbl').count();
    assert(n > 0, 'labels shown');
    assert(/Hide health checks \(\d+/.test(await t.page.textContent('#hc-btn')), 'health checks found');
    await t.shot('ctx-04-sample-with-context');
  });
}
