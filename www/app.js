// @ts-check
// flowlens page: wires the table worker (decoder, table, queries: table-client.js) to the
// grid, the filter bar and the panels. This thread only renders and sends requests.
import { TableClient } from './table-client.js';
import { Grid } from './grid.js';
import { setCatalogue, catalogue, viewColumns, hiddenByDefault } from './catalogue.js';
import { flowCellRenderer, styleFlowRow, columnLabel, autosizeColumns } from './flowcells.js';
import { FilterBar } from './filterbar.js';
import { droppedSources, pickedSources, textSource, bytesSource, DEFAULT_MEMORY_BUDGET } from './ingest.js';
import { renderSummary, renderFacets, renderFiles, ErrorsPanel, Histogram } from './panels.js';
import { DetailPanel } from './detail.js';
import { readState, writeState, stateHash } from './state.js';
import { setReportLimits, embeddedReport, applyReportView, showReportBanner, hideReportBanner, checkReportLoaded, wireShares, copyRecord } from './report.js';
import { wireMenu, closeMenus, isOpen } from './menus.js';
import { el, fmtInt, fmtMiB, fmtTime, isoUtc, quoteValue, downloadBytes, copyText, errorText, afterNextFrame } from './util.js';
import { SAMPLE_BASE64, SAMPLE_NAME } from './sample-data.js';
import { decorateRow, widenForLabels, renderContextFiles, renderResourceFacet, HealthToggle, ReadView } from './context.js';
import { SAMPLE_CONTEXT } from './sample-context.js';
import { Selection } from './selection.js';

// The page's elements are of many kinds (inputs, dialogs, selects): looked up untyped.
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

// Shown on demand (Columns menu): the catalogue says which (constant in almost every log).
const defaultVisible = (/** @type {string} */ name) => !hiddenByDefault(name);

/**
 * The page's state.
 * @typedef {object} AppState
 * @property {any} table the decoded Table (a remote object), or null
 * @property {number} rowCount
 * @property {number} errorCount
 * @property {any[]} sources
 * @property {{name: string, reason: string}[]} skipped
 * @property {string} partial
 * @property {string} decodeInfo
 * @property {string} format
 * @property {{name: string, kind: string, about: string}[]} fields
 * @property {Set<string>} present
 * @property {any} total the summary of the whole table, or null
 * @property {string} filter
 * @property {{name: string, desc: boolean}[]} sort
 * @property {string | null} sortLink
 * @property {string[] | null} columns
 * @property {[number, number] | null} time
 * @property {boolean} local
 * @property {{abort: AbortController, done: Promise<any>} | null} busy
 * @property {number} lastQueryMs
 * @property {number} lastQueryAt
 * @property {number} viewCount
 * @property {any} [decodeWorkers]
 * @property {number} [decodeParts]
 * @property {string[]} [problems]
 */
/** @type {AppState} */
const S = {
  table: null,     // the decoded Table, a remote object in the worker (table-client.js)
  rowCount: 0,     // the table's record and error counts (fixed once decoded)
  errorCount: 0,
  sources: [],
  skipped: [],     // files of a folder left out: [{name, reason}]
  partial: '',     // why the table is incomplete (cancel, memory), '' when complete
  decodeInfo: '',
  format: '',
  fields: [],
  present: new Set(),
  total: null,
  filter: '',
  sort: [],        // [{name, desc}] as the core parsed it
  sortLink: null,  // sort text from a link, until a table parses it
  columns: null,   // visible column names, null = all
  time: null,      // [fromUnix, toUnix] from the histogram
  local: false,
  busy: null,      // {abort: AbortController, done: Promise}
  lastQueryMs: 0,
  lastQueryAt: 0,
  viewCount: 0,
};
let loadGen = 0;
const perf = (/** @type {string} */ name) => { try { performance.mark(`flowlens:${name}`); } catch { /* */ } };

// ── boot ─────────────────────────────────────────────────────────────────────
const selection = new Selection(() => grid.restyle());
const grid = new Grid($('grid-host'), {
  onSort: (name, additive) => { cycleSort(name, additive); grid.setSort(S.sort); applyQuery(); },
  onCellFilter: (name, value, exclude) => addFilter(name, value, exclude),
  onOpen: (i) => openDetail(i),
  // multi-row selection (selection.js) through the grid's hooks and a style listener
  onSource: () => selection.clear(),
  onRowClick: (i, e, active) => selection.click(i, e, active),
  onKey: (e, active, count) => selection.key(e, active, count),
});
grid.root.setAttribute('aria-multiselectable', 'true');
grid.root.hidden = true;
grid.setCellRenderer(flowCellRenderer(() => S.local));
grid.addStyleListener(styleFlowRow);
grid.addStyleListener(decorateRow); // label badges (context.js)
grid.addStyleListener((r, meta) => selection.style(r, meta.index));
const healthToggle = new HealthToggle(/** @type {HTMLElement} */ (document.querySelector('.filter-wrap')), async (on) => { await S.table?.hideHealthChecks(on); applyQuery(); });
const readView = new ReadView($('grid-host'), (i) => openDetail(i));

/** A gap between keystrokes this long (ms) is a pause: the filter is applied at once. */
const PAUSE_MS = 250;
let lastKeyAt = -Infinity; // when the filter was last typed in (performance.now())

const filterBar = new FilterBar({
  input: $('filter'), mirror: $('filter-mirror'), errorBox: $('filter-error'),
  helpBtn: $('help-btn'), helpPop: $('help-pop'), historyBtn: $('history-btn'), historyMenu: $('history-menu'),
}, {
  onChange: (text) => { S.filter = text; applyQuery(); },
  // Live results: a keystroke after a pause is answered at once; while typing fast on a
  // big table (queries cost more) keystrokes are coalesced into one trailing query. The
  // pause is the user's (since the last keystroke), not only the engine's (since the last
  // answer): an answer can come late because it waited behind the panels' work in the
  // table worker (about 200 ms after clearing the filter of 1M rows), and a key pressed
  // 400 ms after the one before then waited 150 ms more (tests/e2e/bench.mjs).
  delay: () => {
    const now = performance.now();
    const sinceKey = now - lastKeyAt;
    lastKeyAt = now;
    if (S.lastQueryMs < 8 || sinceKey > PAUSE_MS) return 0;
    const idle = now - S.lastQueryAt;
    return idle > 2 * S.lastQueryMs + 60 ? 0 : Math.min(150, 20 + S.lastQueryMs);
  },
  onEscape: () => { if (S.table) grid.focus(); },
});

const histogram = new Histogram($('histo'), $('histo-canvas'), {
  from: $('histo-from'), to: $('histo-to'), hint: $('histo-hint'), tip: $('histo-tip'),
}, (w) => { S.time = w; applyQuery(); });

const errorsPanel = new ErrorsPanel($('errors'));
const detail = new DetailPanel($('detail'), $('detail-body'), $('detail-title'), $('detail-close'), {
  onClose: () => grid.focus(),
  copyRecord: (i) => copyRecord(S.table, i),
});

let ready = false;
let charW = 0; // the monospace character width, in px (charWidth)
const client = new TableClient({ onTrap: (e) => recoverFromTrap(e) });
try {
  const info = await client.start();
  setReportLimits(info.reportLimits);
  setCatalogue(info.catalogue);
  ready = true;
  document.documentElement.dataset.flowlens = info.version;
  charWidth(); // measured now, while the page is idle: on the first rows it forces a layout of the whole new view
  // the decode pool (several files at once) starts once the page is up
  setTimeout(() => client.warmPool(), 500);
} catch (e) {
  notice(`Could not start the WebAssembly decoder: ${errorText(e)}. ` +
    'Use a current browser; if you opened dist/index.html from disk, open dist/flowlens.html instead.', 'error');
}

// A report file opens in its saved view (unless the URL already says otherwise).
const report = ready ? embeddedReport() : null;
if (report?.meta && !location.hash) history.replaceState(null, '', stateHash(report.meta.view || {}) || location.pathname + location.search);
const linked = readState();
Object.assign(S, linked, { sort: [], sortLink: linked.sort });
$('filter').value = S.filter;
updateTzButton();
wire();
wireShares({
  selection,
  get table() { return S.table; },
  get rowCount() { return S.rowCount; },
  get viewCount() { return S.viewCount; },
  fields: () => grid.columns.filter((c) => c.visible && !c.derived).map((c) => c.name),
  view: () => ({ filter: S.filter.trim(), sort: sortText(), columns: S.columns, time: S.time, local: S.local }),
  toast, notice,
});
setStatus('');
linkProblems(S.problems);
document.documentElement.dataset.ready = ready ? 'yes' : 'failed';
if (report?.error) notice(report.error, 'error');
else if (report) { const meta = /** @type {import('./report.js').ReportMeta} */ (report.meta); /* read: no error */ applyReportView(meta.view); showReportBanner(meta); load(report.sources ?? [], { format: '' }).then(() => checkReportLoaded(S.table && { rowCount: S.rowCount, errorCount: S.errorCount })); }

// ── loading ──────────────────────────────────────────────────────────────────
/**
 * Decodes `sources` into a new table. `skipped` lists files of a folder that were left
 * out ({name, reason}); they are named in a note and in the Files panel.
 */
/** @param {any[]} sources @param {{format?: string, skipped?: {name: string, reason: string}[]}} [opts] */
async function load(sources, { format = S.format, skipped = [] } = {}) {
  if (!ready) return;
  if (!sources.length) {
    notice(skipped.length
      ? `Nothing to decode: none of the ${fmtInt(skipped.length)} files found looks like a flow log (${namesList(skipped)}).`
      : 'Nothing to decode: no files found in what was dropped.', skipped.length ? 'warn' : 'info');
    return;
  }
  const gen = ++loadGen;
  if (S.busy) { S.busy.abort.abort(); await S.busy.done; }
  if (gen !== loadGen) return;
  perf('input');
  hideNotice();
  if (!sources.some((s) => s.fromReport)) hideReportBanner();
  detail.close();
  const abort = new AbortController();
  /** @type {(v?: any) => void} */
  let resolveDone = () => {};
  S.busy = { abort, done: new Promise((r) => { resolveDone = r; }) };
  const prevTable = S.table;
  const prevSources = S.sources;
  const prevFormat = S.format;
  /** @type {'none' | 'drawing' | 'shown'} the first preview: not yet, being drawn (its columns not set yet), drawn */
  let preview = 'none';
  showProgress(true);
  setBusyUi(true);
  let result;
  try {
    result = await client.decode(sources, {
      format,
      signal: abort.signal,
      budget: memoryBudget(),
      onProgress: (p) => updateProgress(p),
      onPreview: async (dec, rowCount) => {
        if (gen !== loadGen) return;
        if (preview === 'none') {
          preview = 'drawing';
          try { await showPreviewGrid(dec, rowCount, gen); } finally { preview = 'shown'; }
          perf('first-rows');
        } else if (preview === 'shown') {
          // (while the first preview is still being drawn, its columns are not set yet:
          // a later preview would ask the new decoder for the old table's columns)
          grid.setSource({ count: rowCount, window: (s, n, f) => dec.window(s, n, f) });
        }
        if (gen === loadGen && S.busy) setStatus(`Decoding… ${fmtInt(rowCount)} records so far`);
      },
    });
  } catch (e) {
    // A bad format string: keep what was shown before.
    showProgress(false);
    setBusyUi(false);
    S.busy = null;
    resolveDone();
    if (gen !== loadGen || /** @type {any} */ (e)?.trap) return; // a trap: recoverFromTrap() takes over
    notice(`${errorText(e)}`, 'error');
    if (prevTable) { S.table = prevTable; S.sources = prevSources; S.format = prevFormat; showTable(); }
    else showEmpty();
    return;
  }
  showProgress(false);
  setBusyUi(false);
  S.busy = null;
  resolveDone();
  if (gen !== loadGen) {
    // superseded by a newer load: drop this result without touching the page
    try { result.table?.free(); } catch { /* */ }
    return;
  }
  const cut = `${fmtMiB(result.read)} of ${fmtMiB(result.total)}`;
  if (result.stopped === 'cancel' && result.table && result.rowCount === 0) {
    // Cancelled before the first record: nothing new to show, so keep what was there.
    try { result.table.free(); } catch { /* */ }
    if (prevTable) notice(`Cancelled after ${cut}, before any record was decoded. Still showing the previous data.`, 'warn');
    else { showEmpty(); notice(`Cancelled after ${cut}, before any record was decoded.`, 'warn'); }
    return;
  }
  S.sources = sources;
  S.skipped = skipped;
  S.format = format;
  S.table = result.table;
  S.rowCount = result.rowCount;
  S.decodeWorkers = result.workers || 1;
  S.decodeParts = result.parts || 0;
  S.errorCount = result.errorCount;
  // The old table is freed only once nothing points at it any more.
  const freeOld = () => { if (prevTable && prevTable !== S.table) { try { prevTable.free(); } catch { /* */ } } };
  if (!S.table) { notice(result.message, 'error'); showEmpty(); freeOld(); return; }
  // A partial table stays marked in the status bar after the note is dismissed.
  S.partial = result.stopped === 'cancel' ? `partial: cancelled after ${cut}`
    : result.stopped ? `partial: stopped after ${cut}` : '';
  const skipNote = !skipped.length ? ''
    : skipped.length === 1 ? ` Skipped 1 file of the folder: ${namesList(skipped)} (${skipped[0].reason}).`
      : ` Skipped ${fmtInt(skipped.length)} files of the folder: ${namesList(skipped)} (reasons under “Files & format”).`;
  if (result.stopped === 'cancel') notice(`Cancelled after ${cut}. Showing the ${fmtInt(S.rowCount)} records decoded so far.${skipNote}`, 'warn');
  else if (result.stopped) notice(result.message + skipNote, 'error');
  else if (skipNote) notice(`Decoded ${fmtInt(sources.length)} file${sources.length === 1 ? '' : 's'}.${skipNote}`, 'info');
  await showTable({ decodeMs: result.ms, previewShown: previewLoad === gen });
  freeOld();
  perf('complete');
  if (S.rowCount === 0 && S.errorCount === 0) notice('No flow log records found in this input.', 'warn');
}

/** "a.log, b.txt and 3 more" @param {{name: string}[]} items @param {number} [max] */
function namesList(items, max = 3) {
  const names = items.slice(0, max).map((i) => i.name.split('/').pop());
  return items.length > max ? `${names.join(', ')} and ${fmtInt(items.length - max)} more` : names.join(', ');
}

function memoryBudget() {
  const q = Number(new URLSearchParams(location.search).get('budget'));
  // FLOWLENS_MEMORY_BUDGET: a test's override, if set
  return Number(/** @type {any} */ (globalThis).FLOWLENS_MEMORY_BUDGET) || (q > 0 ? q : DEFAULT_MEMORY_BUDGET);
}

/** The load whose preview the grid shows (a decode that ends first shows none). */
let previewLoad = 0;

/**
 * @param {import('./table-client.js').Remote} dec the Decoder (remote) @param {number} rowCount
 * @param {number} gen the load it belongs to (loadGen)
 */
async function showPreviewGrid(dec, rowCount, gen) {
  // the columns decoded so far that have a value in the first rows
  /** @type {{name: string, kind: string, about: string}[]} */
  const fields = (await dec.fields().catch(() => null)) || [];
  const names = fields.map((f) => f.name);
  /** @type {{rows: string[][]}} */
  const sample = (await dec.window(0, 200, names).catch(() => null)) || { rows: [] };
  if (!S.busy || gen !== loadGen) return; // the decode ended meanwhile: showTable() draws the grid
  previewLoad = gen;
  document.body.classList.remove('no-data');
  const keep = new Set(names.filter((_, j) => sample.rows.some((r) => r[j] !== '-' && r[j] !== '')));
  const cols = fields.filter((f) => keep.has(f.name)).map((f) => ({ name: f.name, label: columnLabel(f, S.local), kind: f.kind, about: f.about, width: 100, visible: S.columns ? S.columns.includes(f.name) : defaultVisible(f.name) }));
  autosizeColumns(cols, sample, names, charWidth());
  $('empty').hidden = true;
  // the rows decoded so far exist only as the grid's preview: the read view (of the old
  // table) steps aside until the new table is shown, with Read still on
  readView.show(false);
  grid.root.hidden = false;
  grid.setColumns(cols);
  grid.setSort([]);
  await grid.setSource({ count: rowCount, window: (s, n, f) => dec.window(s, n, f) }, { reset: true });
}

/** Header labels follow the time zone. */
function labelColumns() {
  for (const c of grid.columns) c.label = columnLabel(c, S.local);
}

async function showTable(/** @type {{decodeMs?: number, previewShown?: boolean}} */ { decodeMs, previewShown = false } = {}) {
  const t = S.table;
  const [fields, total, files, contextFiles] = await Promise.all([t.fields(), t.summary(false), t.files(), t.contextFiles()]);
  if (t !== S.table) return;
  S.fields = fields;
  S.present = new Set(S.fields.map((f) => f.name));
  S.total = total;
  const cols = viewColumns(S.fields).map((c) => ({ ...c, label: columnLabel(c, S.local), width: 100, visible: true }));
  for (const c of cols) c.visible = S.columns ? S.columns.includes(c.name) : defaultVisible(c.name);
  if (!cols.some((c) => c.visible)) for (const c of cols) c.visible = true;
  const names = cols.map((c) => c.name);
  const sample = (await t.window(0, 200, names)) || { rows: [] };
  if (t !== S.table) return;
  // the columns change together with the rows built for them (setColumns below): no
  // await in between, or the grid would paint new columns into the old row cells
  grid.columns = cols;
  autosizeColumns(cols, sample, names, charWidth());
  widenForLabels(cols, sample);
  $('empty').hidden = true;
  // Read on: the new table's sentences (applyQuery below gives the read view its rows)
  const reading = readOn();
  grid.root.hidden = reading;
  readView.show(reading, false);
  // The preview's rows stay on screen until the table's own (the same records) replace
  // them; otherwise no rows of an older table are shown meanwhile.
  if (previewShown) grid.hold();
  else grid.source = { count: 0, window: (s, n, f) => t.window(s, n, f) };
  grid.setColumns(cols);
  $('side').hidden = false;
  $('histo').hidden = false;
  document.querySelector('.layout')?.classList.remove('no-data');
  document.body.classList.remove('no-data');
  $('filter').disabled = false;
  $('cols-btn').disabled = false;
  $('export-btn').disabled = false;
  buildColumnsMenu();
  renderFiles($('files'), files, { format: S.format, skipped: S.skipped, formatHost: $('format-bar'), onFormat: (f) => load(S.sources, { format: f, skipped: S.skipped }) });
  renderContextFiles($('files'), contextFiles);
  await t.hideHealthChecks(healthToggle.on);
  $('files-badge').textContent = fmtInt(S.total.files);
  errorsPanel.show(t, S.errorCount);
  $('errors-badge').textContent = fmtInt(S.errorCount);
  $('errors-badge').classList.toggle('has', S.errorCount > 0);
  if (decodeMs) S.decodeInfo = S.partial || `decoded in ${(decodeMs / 1000).toFixed(2)} s`;
  $('decode-info').title = (S.decodeParts || 0) > 1 ? `one file in ${S.decodeParts} parts, ${S.decodeWorkers} at a time, in parallel workers`
    : S.decodeWorkers > 1 ? `${S.decodeWorkers} files at a time, in parallel workers` : '';
  $('decode-info').textContent = S.decodeInfo || '';
  $('decode-info').classList.toggle('partial', !!S.partial);
  await applyQuery({ reset: true });
}

/** The Read button is pressed: the table is shown as sentences instead of the grid. */
function readOn() { return $('read-btn').getAttribute('aria-pressed') === 'true'; }

function showEmpty() {
  grid.root.hidden = true;
  readView.show(false);
  $('empty-view').hidden = true;
  $('empty').hidden = false;
  $('side').hidden = true;
  $('histo').hidden = true;
  $('format-bar').hidden = true;
  document.querySelector('.layout')?.classList.add('no-data');
  document.body.classList.add('no-data');
  $('decode-info').textContent = '';
  setStatus('');
}

// ── the view ─────────────────────────────────────────────────────────────────
/** @param {[number, number]} window */
function timeClause([a, b]) {
  // the field the histogram charts, which the core's window selects on too
  const f = histogram.data?.field ?? 'start';
  return `${f} >= ${isoUtc(a)} and ${f} < ${isoUtc(b)}`;
}

function sortText() {
  if (S.sortLink != null) return S.sortLink;
  return S.sort.map((s) => (s.desc ? `${s.name}:desc` : s.name)).join(',');
}

/** @param {string} name @param {boolean} additive */
function cycleSort(name, additive) {
  S.sortLink = null;
  const i = S.sort.findIndex((s) => s.name === name);
  if (!additive) {
    if (i === 0 && S.sort.length === 1) {
      if (!S.sort[0].desc) S.sort = [{ name, desc: true }];
      else S.sort = [];
    } else S.sort = [{ name, desc: false }];
  } else if (i < 0) S.sort = [...S.sort, { name, desc: false }];
  else if (!S.sort[i].desc) S.sort = S.sort.map((s, j) => (j === i ? { name, desc: true } : s));
  else S.sort = S.sort.filter((_, j) => j !== i);
}

let panelTimer = 0;
/** @type {any} the table whose view the grid was last given (applyQuery) */
let gridTable = null;
let panelsPending = false; // panels are to be redrawn for the current view
let panelsDrawing = 0; // updatePanels() runs (it waits for frames between panels, with no call pending)
let queryGen = 0; // the latest query: an answer to an older one is dropped
let staleAnswers = 0; // how many were dropped (a test hook reads it)
/**
 * Applies the filter, time window and sort in the worker. Queries are answered in order;
 * while one runs the grid keeps its rows (grid.hold) and a newer query makes the older
 * answer stale: it is dropped unseen. Resolves once the grid shows the new view.
 */
async function applyQuery({ reset = false } = {}) {
  const t = S.table;
  if (!t) return;
  const gen = ++queryGen;
  const stale = () => {
    if (gen === queryGen && t === S.table) return false;
    staleAnswers++;
    return true;
  };
  const filter = S.filter.trim();
  const t0 = performance.now();
  let r;
  grid.hold();
  try {
    r = await t.setQuery(filter, sortText(), S.time);
    if (stale()) return;
    if (!r.ok && r.error?.kind === 'sort') {
      notice(`Cannot sort: ${r.error.message}`, 'warn');
      S.sort = [];
      S.sortLink = null;
      r = await t.setQuery(filter, '', S.time);
      if (stale()) return;
    }
  } catch (e) {
    if (!stale()) { grid.release(); queryFailed(e); }
    return;
  }
  S.lastQueryAt = performance.now();
  S.lastQueryMs = S.lastQueryAt - t0;
  if (!r.ok) {
    const e = r.error || { message: 'invalid filter', start: 0, end: 0 };
    filterBar.showError({ message: e.message, start: e.start || 0, end: e.end || 0 });
    // The view is unchanged: say which one is shown, not a stale "Decoding…".
    // A new table's first query (a bad filter from the link): the grid still holds the
    // preview's or the previous table's rows, so the table's own view (all records) is
    // shown, with its panels and labels.
    const fresh = gridTable !== t;
    if (!fresh) grid.release();
    S.viewCount = await t.viewCount().catch(() => (fresh ? 0 : S.viewCount));
    if (stale()) return;
    if (fresh) {
      gridTable = t;
      const painted = grid.setSource({ count: S.viewCount, window: (s, n, f) => t.window(s, n, f) }, { reset });
      readView.setSource(t, S.viewCount);
      schedulePanels();
      annotateLater(t, painted);
    }
    setStatus(`${fmtInt(S.viewCount)} of ${fmtInt(S.rowCount)} records · the filter has an error ` +
      (fresh ? '(all records are shown, unfiltered)' : '(the previous view is shown)'));
    return;
  }
  filterBar.showError(null);
  S.viewCount = r.count;
  S.sort = r.sort;
  S.sortLink = null;
  grid.setSort(S.sort);
  gridTable = t;
  const painted = grid.setSource({ count: r.count, window: (s, n, f) => t.window(s, n, f) }, { reset });
  healthToggle.update(r.healthchecks ?? 0);
  readView.setSource(t, r.count);
  const absent = r.absent || [];
  setStatus(`${fmtInt(r.count)} of ${fmtInt(S.rowCount)} records${absent.length
    ? ` · this data has no field ${absent.join(', ')}: ${absent.length === 1 ? 'its tests match' : 'their tests match'} no record` : ''}`);
  const ev = $('empty-view');
  ev.hidden = r.count > 0;
  if (!r.count) {
    ev.textContent = S.rowCount === 0
      ? `No records were decoded${S.errorCount ? `: ${fmtInt(S.errorCount)} bad lines (see Errors)` : ''}. If the logs have no header, check the format under “Files & format”.`
      : absent.length ? `No records match: this data has no field ${absent.join(', ')} (its columns are listed under “Columns”).`
        : 'No records match this view. Loosen the filter or clear the time window.';
  }
  updateTimeChip();
  writeState({ filter: S.filter.trim(), sort: sortText(), columns: S.columns, time: S.time, local: S.local });
  perf('query');
  schedulePanels();
  // labels and health checks are built once the view is shown (see annotateLater)
  if (r.healthchecks == null) annotateLater(t, painted);
  await painted; // the rows of the new view come from the worker too
}

/**
 * A fresh table is shown before its labels and health checks exist (building them takes
 * about 1–2 s per million records in wasm, and a table decoded with context files has
 * them already). Once the rows are painted they are built: in the table worker, or for a
 * big table in a worker of their own (TableClient.labelAside); then the health-check
 * toggle gets its count, the label columns widen for the labels and the rows are drawn
 * again with them.
 * @param {any} t the table @param {Promise<void>} painted
 */
async function annotateLater(t, painted) {
  await painted;
  if (t !== S.table) return;
  const gen = queryGen;
  // a big table is labelled in a worker of its own: the table worker answers meanwhile
  if (S.rowCount >= TableClient.labelAsideRows()) await client.labelAside(t).catch(() => {});
  if (t !== S.table) return;
  const r = await t.annotate().catch(() => null);
  if (!r || t !== S.table) return;
  if (gen === queryGen) healthToggle.update(r.healthchecks);
  const names = grid.columns.map((c) => c.name);
  const sample = await t.window(0, 200, names).catch(() => null);
  if (t !== S.table) return;
  widenForLabels(grid.columns, sample);
  grid.setColumns(grid.columns);
  grid.reload();
}

/** A query that threw: a trap poisons the module, anything else is shown as is. @param {unknown} e */
function queryFailed(e) {
  if (isTrap(e)) recoverFromTrap(e);
  else {
    notice(`Could not apply the view: ${errorText(e)}`, 'error');
    setStatus('');
  }
}

// A wasm trap leaves the worker's module instance unusable (its stack pointer and
// wasm-bindgen's borrow flags are not restored), so the table cannot be used again. The
// page ends that worker, starts a fresh one (also in the single file: the worker comes
// from a Blob URL) and decodes the same inputs again, without the view that failed.
var recovering = false; // var: a trap may be met during boot (a report file), before this line
/** @param {any} e a caught value (a WorkerError with `trap`): anything */
async function recoverFromTrap(e) {
  if (recovering) return;
  recovering = true;
  const { sources, format, skipped } = S;
  S.table = null; // poisoned: never touched again (not even free())
  S.busy?.abort.abort();
  grid.setSource({ count: 0, window: () => ({ rows: [] }) }, { reset: true });
  S.filter = ''; S.time = null; S.sort = []; S.sortLink = null;
  filterBar.setText('', { apply: false, remember: false });
  writeState({ filter: '', sort: '', columns: S.columns, time: null, local: S.local });
  const why = e && e.message ? e.message : String(e);
  try {
    await client.restart();
  } catch {
    recovering = false;
    notice(`The decoder failed on this view (${why}) and the loaded data can no longer be used in this tab. ` +
      'The filter was cleared from the link: reload the page and load the files again.', 'error');
    setStatus('');
    return;
  }
  if (S.busy) await S.busy.done;
  await load(sources, { format, skipped });
  recovering = false;
  notice(`The decoder failed on that view (${why}); it was restarted and the data decoded again. The filter was cleared.`, 'warn');
}

/** The panels are redrawn for the view just shown, a little later after a slow query. */
function schedulePanels() {
  clearTimeout(panelTimer);
  panelsPending = true;
  panelTimer = setTimeout(updatePanels, S.lastQueryMs > 30 ? 120 : 0);
}

/** The side panels and the histogram, each filled in as its answer arrives. */
async function updatePanels() {
  panelsPending = false;
  panelsDrawing++;
  try { await drawPanels(); } finally { panelsDrawing--; }
}

/** updatePanels' work: one panel per frame, each dropped once a newer view is asked for. */
async function drawPanels() {
  const t = S.table;
  if (!t) return;
  const gen = queryGen;
  const current = () => t === S.table && gen === queryGen;
  const summary = await t.summary(true).catch(() => null);
  if (!current() || !summary) return;
  // one panel per frame: together they would make one long frame of layout
  await afterNextFrame();
  if (!current()) return;
  renderSummary($('summary'), summary, S.total, { local: S.local, onShowErrors: showErrors });
  await afterNextFrame();
  if (!current()) return;
  await renderFacets($('facets'), t, $('facet-measure').value, S.present, (f, v, ex) => addFilter(f, v, ex), current);
  if (!current()) return;
  await renderResourceFacet($('facets'), t, (clause) => filterBar.addClause(clause), current);
  await afterNextFrame();
  if (!current()) return;
  await histogram.update(t, S.local, current);
  perf('panels');
}

/** @param {string} name @param {string | null | undefined} value @param {boolean} exclude */
function addFilter(name, value, exclude) {
  let clause;
  if (value === '' || value == null) clause = exclude ? `${name} exists` : `not ${name} exists`;
  else clause = `${name} ${exclude ? '!=' : '='} ${quoteValue(value)}`;
  filterBar.addClause(clause);
}

function updateTimeChip() {
  const chip = $('time-chip');
  chip.hidden = !S.time;
  if (S.time) {
    $('time-chip-text').textContent = `${fmtTime(S.time[0], S.local)} → ${fmtTime(S.time[1], S.local)}`;
    chip.title = `Time window from the histogram: ${timeClause(S.time)}`;
  }
}

/** @param {number} i */
async function openDetail(i) {
  const t = S.table;
  if (!t) return;
  const d = await t.rowDetail(i).catch(() => null);
  if (d && t === S.table) detail.show(d, { index: i, count: S.viewCount, local: S.local });
}

function showErrors() {
  const p = $('errors-panel');
  p.open = true;
  p.scrollIntoView({ block: 'start', behavior: 'smooth' });
  p.querySelector('summary').focus();
}

// ── chrome ───────────────────────────────────────────────────────────────────
/** @param {string} text */
function setStatus(text) {
  const s = $('status');
  if (s.textContent !== text) s.textContent = text;
}

/** @param {boolean} on */
function showProgress(on) {
  $('progress').hidden = !on;
  if (on) { $('progress-bar').value = 0; $('progress-text').textContent = 'Starting…'; }
}

/** @param {{read: number, total: number, ms: number, records?: number, errors?: number}} p a decode's progress */
function updateProgress(p) {
  const frac = p.total ? p.read / p.total : 0;
  $('progress-bar').value = frac;
  const mbs = p.ms > 0 ? p.read / 1048576 / (p.ms / 1000) : 0;
  $('progress-text').textContent = `${fmtMiB(p.read)} of ${fmtMiB(p.total)} · ${fmtInt(p.records || 0)} records · ` +
    `${fmtInt(p.errors || 0)} errors · ${mbs.toFixed(0)} MB/s`;
}

/** @param {boolean} on */
function setBusyUi(on) {
  document.body.classList.toggle('busy', on);
  $('cancel-btn').disabled = !on;
}

var noticeTimer = 0; // var: notice() may run during boot, before this line
/** @param {string} text @param {string} [kind] 'info', 'warn' or 'error' */
function notice(text, kind = 'info') {
  const n = $('notice');
  n.className = `notice ${kind}`;
  $('notice-text').textContent = text;
  n.hidden = false;
  clearTimeout(noticeTimer);
  if (kind === 'info') noticeTimer = setTimeout(hideNotice, 6000);
}
function hideNotice() { $('notice').hidden = true; }

let toastTimer = 0;
/** @param {string} text */
function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

function updateTzButton() {
  const b = $('tz-btn');
  b.textContent = S.local ? 'Local time' : 'UTC';
  b.setAttribute('aria-pressed', S.local ? 'true' : 'false');
  b.title = S.local ? 'Times are shown in local time; click for UTC' : 'Times are shown in UTC; click for local time';
}

function charWidth() {
  if (charW) return charW;
  const probe = el('span', { class: 'mono probe', text: 'x'.repeat(100) });
  document.body.append(probe);
  charW = probe.getBoundingClientRect().width / 100 || 7.2;
  probe.remove();
  return charW;
}

function buildColumnsMenu() {
  const m = $('cols-menu');
  m.replaceChildren();
  const commit = () => {
    const vis = grid.columns.filter((c) => c.visible).map((c) => c.name);
    const isDefault = grid.columns.every((c) => c.visible === defaultVisible(c.name));
    S.columns = isDefault ? null : vis;
    grid.setColumns(grid.columns);
    applyQuery();
  };
  m.append(el('div', { class: 'menu-actions' },
    el('button', { type: 'button', class: 'linkish', text: 'Show all', onclick: () => { for (const c of grid.columns) c.visible = true; buildColumnsMenu(); commit(); } }),
    el('button', { type: 'button', class: 'linkish', text: 'Essentials', onclick: () => {
      const ess = new Set(catalogue().essentials);
      for (const c of grid.columns) c.visible = ess.has(c.name);
      buildColumnsMenu(); commit();
    } })));
  for (const c of grid.columns) {
    const cb = el('input', { type: 'checkbox', checked: c.visible });
    cb.addEventListener('change', () => {
      c.visible = cb.checked;
      if (!grid.columns.some((x) => x.visible)) { c.visible = true; cb.checked = true; return; }
      commit();
    });
    m.append(el('label', { class: 'menu-check', title: c.about }, cb, el('span', { class: 'mono', text: c.name })));
  }
}


/** @param {string} title @param {string} text @param {boolean} copied */
function showQueryDialog(title, text, copied) {
  let d = /** @type {HTMLDialogElement | null} */ ($('query-dialog'));
  if (!d) {
    d = /** @type {HTMLDialogElement} */ (el('dialog', { id: 'query-dialog', class: 'query-dialog', 'aria-labelledby': 'query-title', tabindex: '-1' }));
    document.body.append(d);
    const dialog = d;
    d.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); dialog.close(); } });
  }
  const ta = el('textarea', { class: 'mono', readonly: true, rows: '8', 'aria-label': title, spellcheck: 'false' });
  ta.value = text;
  d.replaceChildren(
    el('div', { class: 'detail-head' }, el('h2', { id: 'query-title', text: title }),
      el('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close', text: '✕', onclick: () => d.close() })),
    ta,
    el('div', { class: 'paste-actions' },
      el('button', { type: 'button', class: 'btn primary', text: 'Copy', onclick: async () => { toast((await copyText(text)) ? 'Copied to the clipboard' : 'Copy failed: select the text and copy it'); } }),
      el('span', { class: 'muted small', text: copied ? 'Copied to the clipboard.' : '' })));
  if (!d.open) d.show();
  ta.focus();
  ta.select();
}

/** @param {string} ext */
function exportName(ext) {
  const n = S.viewCount;
  return `flowlens-${n}-record${n === 1 ? '' : 's'}.${ext}`;
}

function wire() {
  const pick = (/** @type {HTMLInputElement} */ input) => input.addEventListener('change', () => {
    const files = input.files;
    if (files && files.length) { const p = pickedSources(files); load(p.sources, { format: '', skipped: p.skipped }); }
    input.value = '';
  });
  pick($('file-input'));
  pick($('file-input-2'));
  pick($('dir-input'));

  const togglePaste = () => {
    const box = $('paste-box');
    box.hidden = !box.hidden;
    $('paste-toggle').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) $('paste-text').focus();
  };
  $('paste-toggle').addEventListener('click', togglePaste);
  $('paste-toggle-2').addEventListener('click', togglePaste);
  $('paste-cancel').addEventListener('click', togglePaste);
  $('paste-go').addEventListener('click', () => {
    const text = $('paste-text').value;
    if (!text.trim()) { $('paste-text').focus(); return; }
    $('paste-box').hidden = true;
    $('paste-toggle').setAttribute('aria-expanded', 'false');
    load([textSource('pasted text', text)], { format: '' });
  });

  const sample = () => {
    const bin = Uint8Array.from(atob(SAMPLE_BASE64), (c) => c.charCodeAt(0));
    load([bytesSource(SAMPLE_NAME, bin)], { format: '' });
  };
  $('sample-btn').addEventListener('click', sample);
  $('sample-ctx-btn').hidden = !SAMPLE_CONTEXT.files.length;
  $('sample-ctx-btn').addEventListener('click', () => load(SAMPLE_CONTEXT.files.map((f) => (f.base64
    ? bytesSource(f.name, Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)))
    : textSource(f.name, /** @type {string} */ (f.text)))), { format: '' }));
  $('read-btn').addEventListener('click', () => {
    const on = !readView.shown;
    $('read-btn').setAttribute('aria-pressed', on ? 'true' : 'false');
    readView.show(on);
    grid.root.hidden = on || !S.table;
  });
  $('sample-btn-2').addEventListener('click', sample);
  $('cancel-btn').addEventListener('click', () => S.busy?.abort.abort());
  $('notice-close').addEventListener('click', hideNotice);
  $('time-chip-clear').addEventListener('click', () => { S.time = null; applyQuery(); });
  $('facet-measure').addEventListener('change', updatePanels);
  $('tz-btn').addEventListener('click', () => {
    S.local = !S.local;
    updateTzButton();
    labelColumns();
    grid.refresh();
    applyQuery();
  });

  wireMenu($('cols-btn'), $('cols-menu'));
  wireMenu($('export-btn'), $('export-menu'));
  $('export-menu').addEventListener('click', async (/** @type {MouseEvent} */ e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest('button');
    if (!b || !S.table) return;
    closeMenus();
    if (b.dataset.export) {
      const kind = b.dataset.export;
      const bytes = await S.table.exportView(kind);
      const ext = kind === 'lines' ? 'log' : kind === 'text' ? 'txt' : kind;
      downloadBytes(bytes, exportName(ext), kind === 'csv' ? 'text/csv' : kind === 'ndjson' ? 'application/x-ndjson' : 'text/plain');
      toast(`Downloaded ${fmtInt(S.viewCount)} records as ${kind === 'lines' ? 'original lines' : kind.toUpperCase()}`);
    } else if (b.dataset.translate) {
      const kind = b.dataset.translate;
      const r = await client.translate(S.table, kind);
      const title = kind === 'athena' ? 'Athena SQL' : 'CloudWatch Logs Insights query';
      if (!r.ok) { notice(`Cannot translate to ${title}: ${r.text}`, 'warn'); return; }
      const ok = await copyText(r.text);
      showQueryDialog(title, r.text, ok);
    } else if (b.hasAttribute('data-copy-link')) {
      toast((await copyText(location.href)) ? 'Link to this view copied (it holds the view, never the data)' : 'Copy failed');
    }
  });

  // Drag and drop anywhere, including folders.
  let dragDepth = 0;
  const hasFiles = (/** @type {DragEvent} */ e) => [...(e.dataTransfer?.types || [])].includes('Files');
  window.addEventListener('dragenter', (e) => { if (!hasFiles(e)) return; dragDepth++; $('drop-overlay').hidden = false; e.preventDefault(); });
  window.addEventListener('dragover', (e) => { if (!hasFiles(e)) return; e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('dragleave', () => { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) $('drop-overlay').hidden = true; });
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    $('drop-overlay').hidden = true;
    if (!e.dataTransfer) return;
    perf('input');
    const pending = droppedSources(e.dataTransfer);
    pending.then((p) => load(p.sources, { format: '', skipped: p.skipped }), (err) => notice(`Could not read the dropped items: ${err.message || err}`, 'error'));
  });

  // Paste anywhere (outside text fields).
  document.addEventListener('paste', (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    const cd = e.clipboardData;
    if (!cd) return;
    if (cd.files && cd.files.length) { e.preventDefault(); const p = pickedSources(cd.files); load(p.sources, { format: '', skipped: p.skipped }); return; }
    const text = cd.getData('text/plain');
    if (text && text.trim()) { e.preventDefault(); load([textSource('pasted text', text)], { format: '' }); }
  });

  document.addEventListener('keydown', (e) => {
    const t = /** @type {HTMLElement} */ (e.target);
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (!$('filter').disabled) { e.preventDefault(); $('filter').focus(); $('filter').select(); }
    } else if (e.key === 'Escape') {
      if (isOpen($('cols-menu')) || isOpen($('export-menu'))) { closeMenus(); return; }
      const q = /** @type {HTMLDialogElement | null} */ ($('query-dialog'));
      if (q?.open) { q.close(); return; }
      if (detail.open) { detail.close(); return; }
      if (!$('paste-box').hidden && t === $('paste-text')) { $('paste-box').hidden = true; return; }
    }
  });

  window.addEventListener('hashchange', () => {
    // While the worker restarts after a trap, the link keeps the cleared view.
    if (recovering) { writeState({ filter: '', sort: '', columns: S.columns, time: null, local: S.local }); return; }
    const st = readState();
    linkProblems(st.problems);
    const zoneChanged = st.local !== S.local;
    S.filter = st.filter; S.time = st.time; S.local = st.local; S.columns = st.columns;
    S.sortLink = st.sort;
    filterBar.setText(S.filter, { apply: false, remember: false });
    updateTzButton();
    if (S.table) {
      for (const c of grid.columns) c.visible = S.columns ? S.columns.includes(c.name) : defaultVisible(c.name);
      labelColumns();
      grid.setColumns(grid.columns);
      // the cells' times follow the zone: setColumns keeps rows of the same columns as drawn
      if (zoneChanged) grid.refresh();
      buildColumnsMenu();
      applyQuery();
    }
  });
}

/** Says calmly what part of a link was refused (see state.js). */
/** @param {string[] | null | undefined} problems */
function linkProblems(problems) {
  if (problems && problems.length) notice(`Ignored part of the link: ${problems.join('; ')}.`, 'warn');
}

/** A failure inside the worker's wasm module (a trap) leaves it unusable. */
/** @param {any} e a caught value: anything */
function isTrap(e) {
  return !!(e && e.trap);
}

// Test and benchmark hooks (read-only view of the state; never data leaving the page).
globalThis.flowlens = {
  get rowCount() { return S.table ? S.rowCount : 0; },
  get viewCount() { return S.viewCount; },
  get lastQueryMs() { return S.lastQueryMs; },
  get busy() { return !!S.busy; },
  /** Bytes of the table worker's wasm memory (the benchmarks report it). */
  wasmMemory() { return client.request({ op: 'memory' }); },
  /** Query answers dropped because a newer query had been sent meanwhile. */
  get staleAnswers() { return staleAnswers; },
  /**
   * Resolves once no call to the table worker is pending (a running decode aside), no
   * panel is due and the grid shows the current view's rows: what an action started is
   * then on the page.
   */
  async settled() {
    for (;;) {
      await grid.painted();
      await new Promise((r) => setTimeout(r, 5));
      if (!client.callsPending() && grid.settled && !panelsPending && !panelsDrawing) return;
    }
  },
  /** Test hook: makes the table trap as a stack overflow did, to test the recovery. */
  async simulateTrap() { try { await S.table?.trapForTests(); } catch (e) { return String(e); } return 'no trap'; },
};
