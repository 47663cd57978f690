// @ts-check
// Sharing a finding: "Save as report…" (one HTML file with the app, the data and the
// view, optionally redacted), the report banner when such a file is opened, and the
// small shares (Markdown tables, a record as text). The report itself is built by the
// Rust core (table.buildReport), the same code as `flowlens report`.
import { bytesSource } from './ingest.js';
import { catalogue } from './catalogue.js';
import { el, fmtInt, fmtBytes, fmtTime, copyText, downloadBytes, errorText } from './util.js';

const META_ID = 'flowlens-report';
const MARKER = 'single-file build of flowlens';
const MD_ROWS = 100;
const PANELS = ['summary-panel', 'facets-panel', 'files-panel', 'errors-panel'];

/**
 * @typedef {import('./table-client.js').Remote} Remote
 * A report's metadata (the JSON the core embeds, src/report.rs): what the banner shows.
 * @typedef {{title?: string, note?: string, data: string, records: number, loaded_records: number,
 *   first_start: number | null, last_end: number | null, saved_at: string, version: string,
 *   files?: {name: string, element?: string, records: number, loaded_records: number}[],
 *   context?: ReportContext, redaction?: string, replaced_accounts?: number, replaced_addresses?: number,
 *   notes?: string[], view?: any}} ReportMeta `view`: the saved view (state.js fields, panels, facetMeasure)
 * @typedef {{element?: string, name: string, files?: string[], labels: number, healthchecks?: number}} ReportContext
 * What wireShares reads of the app's state (getters).
 * @typedef {{table: Remote, rowCount: number, viewCount: number, selection: import('./selection.js').Selection | null,
 *   fields(): string[], view(): Record<string, unknown>, toast(text: string): void, notice(text: string, kind?: string): void}} ShareContext
 */
// The core's report limits ({max, warn} bytes), told by the table worker at start.
let limits = { max: 0, warn: 0 };
const reportLimits = () => limits;
/** Called once the table worker has started (app.js). */
export function setReportLimits(/** @type {{max: number, warn: number}} */ l) { limits = l; }

// The single file (dist/flowlens.html, or a report made from it) is its own template: a
// copy of the document as parsed, taken before the app changes anything. The served
// multi-file page reads the single file next to it (same origin) when saving.
const SINGLE_FILE = !document.querySelector('script[type="module"][src]');
const pristine = SINGLE_FILE ? document.documentElement.cloneNode(true) : null;

/** The single-file app's HTML, without any embedded report. */
async function appTemplate() {
  let html;
  if (pristine) {
    const copy = /** @type {HTMLElement} */ (pristine.cloneNode(true));
    for (const e of copy.querySelectorAll(`script[id^="${META_ID}"]`)) e.remove();
    const t = copy.querySelector('title');
    if (t) t.textContent = 'flowlens — VPC Flow Logs in your browser';
    html = `<!doctype html>\n${copy.outerHTML}`;
  } else {
    const r = await fetch('flowlens.html', { cache: 'no-cache' });
    if (!r.ok) throw new Error(`flowlens.html (the single-file app) is not next to this page (${r.status}); run npm run build`);
    html = await r.text();
  }
  if (!html.includes(MARKER)) throw new Error('this page is not built as a single file; run npm run build');
  return html;
}

/** @param {string} text @returns {Uint8Array} */
function fromBase64(text) {
  const s = text.replace(/\s+/g, '');
  const U8 = /** @type {any} */ (Uint8Array); // fromBase64: not in every browser yet
  if (typeof U8.fromBase64 === 'function') return U8.fromBase64(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The report embedded in this page, if it is one: {meta, sources} (sources to decode,
 * gzip bytes each), or {error} when the embedded data cannot be read.
 */
export function embeddedReport() {
  const m = document.getElementById(META_ID);
  if (!m) return null;
  try {
    /** @type {ReportMeta} */
    const meta = JSON.parse(m.textContent || '');
    /** @type {import('./ingest.js').Source[]} */
    const sources = [];
    // the labels of the context files it was saved with: read as one more context file
    if (meta.context?.element) {
      const e = document.getElementById(meta.context.element);
      if (!e) throw new Error('the labels saved with it are missing');
      const src = bytesSource(meta.context.name, fromBase64(e.textContent || ''));
      src.fromReport = true;
      sources.push(src);
    }
    for (const f of meta.files || []) {
      if (!f.element) continue;
      const e = document.getElementById(f.element);
      if (!e) throw new Error(`the data of ${f.name} is missing`);
      const src = bytesSource(f.name, fromBase64(e.textContent || ''));
      src.fromReport = true;
      sources.push(src);
    }
    return { meta, sources };
  } catch (e) {
    return { error: `This report's embedded data cannot be read: ${errorText(e)}` };
  }
}

/**
 * Opens the saved panels and the facet measure (before the data is shown).
 * @param {any} view a report's saved view (JSON from a file: checked as it is read)
 */
export function applyReportView(view) {
  const p = view && view.panels;
  const byId = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
  if (p) for (const id of PANELS) if (id in p && byId(id)) byId(id).open = !!p[id];
  const m = byId('facet-measure');
  if (view && view.facetMeasure && m && [...m.options].some((o) => o.value === view.facetMeasure)) m.value = view.facetMeasure;
}

/** @type {HTMLElement | null} */
let banner = null;
/** @type {ReportMeta | null} */
let shown = null; // the metadata of the report on screen
/**
 * The banner of an opened report: title, note, what it holds, when and how it was made.
 * @param {ReportMeta} meta
 */
export function showReportBanner(meta) {
  hideReportBanner();
  shown = meta;
  const files = (meta.files || []).map((f) => /** @type {string} */ (f.name.split('/').pop()));
  const span = meta.first_start != null && meta.last_end != null
    ? `${fmtTime(meta.first_start, false)} → ${fmtTime(meta.last_end, false)}` : 'no time span';
  const what = meta.data === 'all'
    ? `${fmtInt(meta.records)} records (everything that was loaded)`
    : `${fmtInt(meta.records)} records (the view when saved, of ${fmtInt(meta.loaded_records)} loaded)`;
  const b = el('section', { class: 'report-banner', id: 'report-banner', 'aria-label': 'Report' },
    el('div', { class: 'report-head' },
      el('span', { class: 'report-badge', text: 'Report' }),
      el('h2', { class: 'report-title', text: meta.title || 'Untitled report' }),
      el('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Hide the report banner', text: '✕', onclick: () => { b.hidden = true; } })),
    meta.note ? el('p', { class: 'report-note', text: meta.note }) : null,
    el('p', { class: 'report-facts small' },
      el('span', { text: what }), ' · ', el('span', { class: 'mono', text: span }), ' · ',
      el('span', { title: (meta.files || []).map((f) => `${f.name}: ${fmtInt(f.records)} of ${fmtInt(f.loaded_records)} records`).join('\n'),
        text: `${files.length === 1 ? 'file' : `${fmtInt(files.length)} files`}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${fmtInt(files.length - 3)} more` : ''}` }),
      ' · ', el('span', { text: `saved ${meta.saved_at} with flowlens ${meta.version}` })),
    meta.context ? el('p', { class: 'report-context small', id: 'report-context', text: contextText(meta.context, !!meta.redaction) }) : null,
    meta.redaction ? el('p', { class: 'report-redaction small', text: `Redacted: ${meta.redaction}${replacedText(meta.replaced_accounts, meta.replaced_addresses)}.` }) : null,
    el('p', { class: 'report-notes small', id: 'report-check', hidden: true }),
    ...(meta.notes || []).map((n) => el('p', { class: 'report-notes small', text: n })),
    el('p', { class: 'small muted', text: 'The full data is not in this file: only these records travel with it, so opening the full data is not possible here. Filter, sort and export work within them; line numbers refer to this report\u2019s copy of each file.' }));
  banner = b;
  document.querySelector('.topbar')?.after(b);
}

/** What the banner says of the labels a report carries. @param {ReportContext} c @param {boolean} redacted */
function contextText(c, redacted) {
  const files = c.files || [];
  const from = files.length ? `${files.length === 1 ? 'the context file' : `${fmtInt(files.length)} context files`} ${files.map((f) => f.split('/').pop()).join(', ')}` : 'context files';
  return `Labels from ${from}, as they were when saved: ${fmtInt(c.labels)} label${c.labels === 1 ? '' : 's'}` +
    `${c.healthchecks ? `, ${fmtInt(c.healthchecks)} health check${c.healthchecks === 1 ? '' : 's'}` : ''}` +
    ` (the files themselves are not in the report${redacted ? '; the labels are redacted like the records' : ''}).`;
}

/** @param {number | undefined} accounts @param {number | undefined} addresses */
function replacedText(accounts, addresses) {
  const parts = [];
  if (accounts) parts.push(`${fmtInt(accounts)} account ID${accounts === 1 ? '' : 's'}`);
  if (addresses) parts.push(`${fmtInt(addresses)} public address${addresses === 1 ? '' : 'es'}`);
  return parts.length ? ` (${parts.join(' and ')} replaced)` : '';
}

/**
 * After the embedded data is decoded: says so in the banner when it does not hold what
 * the report says it holds (a file cut or altered on the way).
 * @param {{rowCount: number, errorCount: number} | null | undefined} counts
 */
export function checkReportLoaded(counts) {
  const p = document.getElementById('report-check');
  if (!p || !shown || !counts) return;
  const got = counts.rowCount;
  const bad = counts.errorCount;
  if (got === shown.records && !bad) return;
  p.textContent = `This report says it holds ${fmtInt(shown.records)} records, but ${fmtInt(got)} were decoded` +
    `${bad ? ` and ${fmtInt(bad)} lines could not be` : ''}: the file may have been cut or changed on the way.`;
  p.hidden = false;
}

export function hideReportBanner() {
  if (banner) { banner.remove(); banner = null; }
  shown = null;
}

// The limits come from the table, so from the module instance that holds the data (after
// a trap the page decodes again in a fresh instance: the old one must not be called).
/** @param {Remote} t */
function reportLimit(t) {
  const q = Number(new URLSearchParams(location.search).get('reportLimit'));
  // FLOWLENS_REPORT_LIMIT: a test's override, if set
  return Number(/** @type {any} */ (globalThis).FLOWLENS_REPORT_LIMIT) || (q > 0 ? q : reportLimits().max);
}

function panelsState() {
  /** @type {Record<string, boolean>} */
  const panels = {};
  for (const id of PANELS) { const d = /** @type {HTMLDetailsElement | null} */ (document.getElementById(id)); if (d) panels[id] = d.open; }
  return panels;
}

/**
 * Wires "Save as report…", "Copy rows as Markdown table", the facets' "Copy as
 * Markdown". `ctx`: {table, viewCount, selection, fields(), view(), toast, notice}
 * (getters into the app's state).
 * @param {ShareContext} ctx
 */
export function wireShares(ctx) {
  document.querySelector('[data-report]')?.addEventListener('click', () => { if (ctx.table) openDialog(ctx); });
  document.querySelector('[data-md-rows]')?.addEventListener('click', async () => {
    const t = ctx.table;
    if (!t) return;
    // the selected rows (Ctrl/⌘+click, Shift+click, Ctrl/⌘+A), else the view's first rows
    const sel = ctx.selection;
    if (sel && sel.size) {
      const md = await t.markdownSelected(Uint32Array.from(sel.indices(MD_ROWS)), ctx.fields());
      const n = Math.min(sel.size, MD_ROWS);
      ctx.toast((await copyText(md)) ? `Copied ${fmtInt(n)} selected row${n === 1 ? '' : 's'} as a Markdown table${sel.size > MD_ROWS ? ` (the first ${MD_ROWS} of ${fmtInt(sel.size)} selected)` : ''}` : 'Copy failed');
      return;
    }
    const md = await t.markdownRows(ctx.fields(), MD_ROWS);
    const n = Math.min(ctx.viewCount, MD_ROWS);
    ctx.toast((await copyText(md)) ? `Copied ${fmtInt(n)} row${n === 1 ? '' : 's'} as a Markdown table${ctx.viewCount > MD_ROWS ? ` (the first ${MD_ROWS} of ${fmtInt(ctx.viewCount)})` : ''}` : 'Copy failed');
  });
  document.getElementById('facets-md')?.addEventListener('click', async () => {
    const t = ctx.table;
    if (!t) return;
    const measure = /** @type {HTMLSelectElement | null} */ (document.getElementById('facet-measure'))?.value || 'count';
    const present = new Set((await t.fields()).map((/** @type {{name: string}} */ f) => f.name));
    const facets = catalogue().facets.filter(({ field }) => present.has(field));
    const tables = await Promise.all(facets.map(({ field }) => t.markdownTop(field, measure, 6)));
    const parts = facets.map(({ field, label }, i) => `**${label}** (\`${field}\`)\n\n${tables[i]}`);
    ctx.toast((await copyText(parts.join('\n'))) ? 'Copied the top values as Markdown tables' : 'Copy failed');
  });
}

/**
 * Copies one record (its original line and every decoded field) as text.
 * @param {Remote} table @param {number} viewIndex
 */
export async function copyRecord(table, viewIndex) {
  const text = table && await table.recordText(viewIndex);
  return text ? copyText(text) : false;
}

// ── the dialog ───────────────────────────────────────────────────────────────
/** @type {HTMLDialogElement | null} */
let dialog = null;
/** @type {Remote} */
let draft = null; // the ReportDraft (remote) of the dialog's data and redaction

/** @param {ShareContext} ctx */
async function openDialog(ctx) {
  if (!dialog) {
    // a modal <dialog> like the page's other dialogs: focus stays in it, Escape closes it
    dialog = /** @type {HTMLDialogElement} */ (el('dialog', { id: 'report-dialog', class: 'query-dialog report-dialog', 'aria-labelledby': 'report-dialog-title', tabindex: '-1' }));
    dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeDialog(); } });
    document.body.append(dialog);
  }
  const t = ctx.table;
  const prev = shown; // saving from a report: start from its title and note
  const total = ctx.rowCount;
  const viewN = ctx.viewCount;
  const id = (/** @type {string} */ s) => `report-${s}`;
  const title = el('input', { type: 'text', id: id('title'), class: 'report-input', placeholder: 'e.g. Rejected SSH attempts from the internet', value: prev?.title || '' });
  const note = el('textarea', { id: id('note'), class: 'report-input', rows: '3', placeholder: 'What the reader should look at, and why', spellcheck: 'true' });
  note.value = prev?.note || '';
  const radio = (/** @type {string} */ value, /** @type {string} */ text, /** @type {boolean} */ checked) => el('label', { class: 'report-choice' },
    el('input', { type: 'radio', name: 'report-data', value, checked }), el('span', { text }));
  const dataView = radio('view', `The current view: ${fmtInt(viewN)} record${viewN === 1 ? '' : 's'}`, true);
  const dataAll = radio('all', `Everything loaded: ${fmtInt(total)} record${total === 1 ? '' : 's'}`, false);
  const acct = el('input', { type: 'checkbox', id: id('acct') });
  const acctMode = el('select', { id: id('acct-mode'), 'aria-label': 'How account IDs are masked' },
    el('option', { value: 'last4', text: 'keep the last 4 digits' }), el('option', { value: 'pseudonym', text: 'stable pseudonyms (acct-0001…)' }));
  const ips = el('input', { type: 'checkbox', id: id('ips') });
  const tags = el('input', { type: 'checkbox', id: id('tags') });
  const size = el('p', { class: 'report-size', id: id('size'), role: 'status', 'aria-live': 'polite', text: 'Working out the size…' });
  const onlyView = el('button', { type: 'button', class: 'btn small', id: id('only-view'), text: 'Save only the current view', hidden: true });
  const save = el('button', { type: 'button', class: 'btn primary', id: id('save'), text: 'Save report', disabled: true });
  const form = el('div', { class: 'report-form' },
    el('label', { for: id('title'), class: 'k', text: 'Title' }), title,
    el('label', { for: id('note'), class: 'k', text: 'Note' }), note,
    el('fieldset', { class: 'report-set' }, el('legend', { text: 'Data' }), dataView, dataAll,
      el('p', { class: 'small muted', text: 'Embedded as the original lines (gzip, base64); the filter, sort, columns, time window, time zone and open panels come along, and so do the labels and health-check verdicts of the context files loaded (not the files themselves).' })),
    el('fieldset', { class: 'report-set' }, el('legend', { text: 'Redaction (optional)' }),
      el('label', { class: 'report-choice' }, acct, el('span', { text: 'Mask account IDs: ' }), acctMode),
      el('label', { class: 'report-choice' }, ips, el('span', { text: 'Replace public IP addresses with stable pseudonyms from the documentation ranges (203.0.113.0/24, 198.51.100.0/24, 192.0.2.0/24, 2001:db8::/32); private addresses are kept' })),
      el('label', { class: 'report-choice' }, tags, el('span', { text: 'Drop the tag fields (instance, interface and Auto Scaling group tags), and the Name tags the context labels show' })),
      el('p', { class: 'small muted', text: 'Redaction rewrites the embedded records, the file names, the filter, the title, the note and the labels of the context files: no original value stays in the file.' })),
    size, onlyView);
  dialog.replaceChildren(
    el('div', { class: 'detail-head' }, el('h2', { id: 'report-dialog-title', text: 'Save as report' }),
      el('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close', text: '✕', onclick: closeDialog })),
    form,
    el('div', { class: 'paste-actions' }, save,
      el('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: closeDialog }),
      el('span', { class: 'muted small', text: 'One HTML file that opens offline in any browser.' })));
  if (!dialog.open) dialog.showModal();
  title.focus();

  // The view is taken with the data (prepare): the report's rows and its filter agree
  // even if the view changes while the dialog is open.
  /** @type {Record<string, unknown> | null} */
  let view = null;
  const currentView = () => ({ ...ctx.view(), panels: panelsState(), facetMeasure: /** @type {HTMLSelectElement | null} */ (document.getElementById('facet-measure'))?.value || 'count' });
  const options = () => ({
    title: title.value, note: note.value,
    data: /** @type {HTMLInputElement | null} */ (dialog?.querySelector('input[name=report-data]:checked'))?.value || 'view',
    redact: { accounts: acct.checked ? acctMode.value : 'keep', ips: ips.checked, tags: tags.checked },
    view: view || currentView(),
    saved_at_ms: Date.now(),
    max_bytes: reportLimit(t),
  });
  const stale = () => {
    if (ctx.table === t) return false;
    freeDraft();
    refuse({ message: 'other data was loaded since this dialog opened: close it and choose Save as report… again' }, {});
    return true;
  };
  /** @type {string | null} the single-file app's HTML (appTemplate) */
  let template = null;
  let timer = 0;
  // The data is compressed once per choice of data and redaction (a draft, in wasm);
  // the title and note only change the few bytes around it.
  // FLOWLENS_REPORT_WARN: a test's override, if set
  const warn = Number(/** @type {any} */ (globalThis).FLOWLENS_REPORT_WARN) || reportLimits().warn;
  /** @param {number} n @param {number} records @param {number} accounts @param {number} addresses */
  const showSize = (n, records, accounts, addresses) => {
    size.dataset.bytes = String(n);
    onlyView.hidden = true;
    save.disabled = false;
    const big = n > warn;
    size.className = `report-size${big ? ' warn' : ''}`;
    size.textContent = `Report size: ${fmtBytes(n)} (${fmtInt(records)} records${replacedText(accounts, addresses).replace(/^ \((.*)\)$/, ', $1')}).` +
      (big ? ` That is over ${fmtBytes(warn)}: mail and chat often refuse attachments this large.` : '');
  };
  /**
   * @param {{tooBig: true, estimate: number, limit: number} | {tooBig?: false, message: string}} r why not (the core's answer, or ours)
   * @param {{data?: string}} o the options asked with
   */
  const refuse = (r, o) => {
    save.disabled = true;
    size.className = 'report-size refuse';
    size.dataset.bytes = '';
    size.textContent = r.tooBig
      ? `Too large to save: the report would be about ${fmtBytes(r.estimate)}, over the limit of ${fmtBytes(r.limit)}. ` +
        'A report is opened from file:// as one page and decoded into this browser\u2019s memory (the wasm heap), which sets the limit. ' +
        'Save only the current view, or narrow it with a filter or a time window.'
      : `Cannot save a report: ${r.message}`;
    onlyView.hidden = !(r.tooBig && o.data === 'all');
  };
  // The draft lives in the table worker: each answer is awaited, and one overtaken by a
  // newer size or prepare (sizeSeq) is dropped.
  let sizeSeq = 0;
  const sizeNow = async () => {
    if (!draft) return;
    const d = draft;
    const seq = ++sizeSeq;
    const o = options();
    const [n, records, accounts, addresses] = await Promise.all([d.size(template, JSON.stringify(o)), d.records(), d.replacedAccounts(), d.replacedAddresses()]);
    if (seq !== sizeSeq || d !== draft) return;
    if (n > o.max_bytes) refuse({ tooBig: true, estimate: n, limit: o.max_bytes }, o);
    else showSize(n, records, accounts, addresses);
  };
  const prepare = async () => {
    freeDraft();
    save.disabled = true;
    size.className = 'report-size';
    size.textContent = 'Working out the size…';
    delete size.dataset.bytes;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    try { template = template || await appTemplate(); } catch (e) { refuse({ message: errorText(e) }, {}); return; }
    if (stale()) return;
    view = currentView();
    const o = options();
    const seq = ++sizeSeq;
    const r = await t.prepareReport(template, JSON.stringify(o));
    if (seq !== sizeSeq) { try { r.draft?.free(); } catch { /* */ } return; }
    if (stale()) { try { r.draft?.free(); } catch { /* */ } return; }
    if (!r.ok) { refuse(r, o); return; }
    draft = r.draft;
    await sizeNow();
  };
  const later = (/** @type {() => void} */ fn, /** @type {number} */ ms) => () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  for (const e of [acct, acctMode, ips, tags, ...dialog.querySelectorAll('input[name=report-data]')]) e.addEventListener('change', later(prepare, 150));
  for (const e of [title, note]) e.addEventListener('input', later(sizeNow, 100));
  onlyView.addEventListener('click', () => { /** @type {HTMLInputElement} */ (dataView.querySelector('input')).checked = true; later(prepare, 0)(); });
  save.addEventListener('click', async () => {
    clearTimeout(timer);
    if (stale() || !draft) return;
    const o = options(); // the final title, note and time
    const r = await draft.finish(template, JSON.stringify(o));
    if (!r.ok) { refuse(r, o); return; }
    downloadBytes(r.html, `flowlens-report-${r.records}-record${r.records === 1 ? '' : 's'}.html`, 'text/html');
    closeDialog();
    ctx.toast(`Saved a report of ${fmtInt(r.records)} records (${fmtBytes(r.size)})`);
  });
  await prepare();
}

function freeDraft() {
  try { draft?.free(); } catch { /* already freed */ }
  draft = null;
}

/** Closes the dialog and frees the compressed data it held. */
function closeDialog() {
  if (dialog?.open) dialog.close();
  freeDraft();
}
