// @ts-check
// Side panels: summary, top-N facets, files & format, errors; and the time histogram.
import { el, fmtInt, fmtBytes, fmtDuration, fmtTime } from './util.js';
import { catalogue } from './catalogue.js';

/**
 * Table.summary's answer (src/output.rs `Summary`; `table_bytes` for the whole table).
 * @typedef {{records: number, errors: number, skipped: number, not_records: number, files: number,
 *   first_start: number | null, last_end: number | null, bytes: number, packets: number, accept: number,
 *   reject: number, nodata: number, skipdata: number, table_bytes?: number, absent?: string[],
 *   first_event_ms?: number | null, last_event_ms?: number | null}} Summary
 * Table.histogram's answer: per bucket of `bucket_secs` from `start`, bucketed by `field`
 * (`start`, or `@timestamp` in a table without start times).
 * @typedef {{field: string, start: number, bucket_secs: number, records: number[], rejects: number[], bytes: number[]}} HistogramData
 * @typedef {import('./table-client.js').Remote} Remote
 */

const pct = (/** @type {number} */ a, /** @type {number} */ b) => (b ? `${((100 * a) / b).toFixed(a && (100 * a) / b < 1 ? 1 : 0)}%` : '');

/** The ACCEPT / REJECT counts and their bar. @param {HTMLElement[]} rows @param {Summary} s */
function renderActions(rows, s) {
  const ar = el('div', { class: 'kv accept-reject' },
    el('span', { class: 'k', text: 'Action' }),
    el('span', { class: 'v mono' },
      el('span', { class: 'accept', title: 'ACCEPT: allowed by security groups and network ACLs' }, el('span', { class: 'glyph ok', 'aria-hidden': 'true', text: '✓ ' }), `ACCEPT ${fmtInt(s.accept)} `, el('span', { class: 'muted', text: pct(s.accept, s.records) })),
      el('br'),
      el('span', { class: 'reject', title: 'REJECT: blocked by a security group, network ACL or Block Public Access' }, el('span', { class: 'glyph bad', 'aria-hidden': 'true', text: '✕ ' }), `REJECT ${fmtInt(s.reject)} `, el('span', { class: 'muted', text: pct(s.reject, s.records) }))));
  rows.push(ar);
  const bar = el('div', { class: 'ar-bar', 'aria-hidden': 'true' });
  const tot = s.accept + s.reject;
  if (tot) {
    const a = el('span', { class: 'a' }); a.style.width = `${(100 * s.accept) / tot}%`;
    const r = el('span', { class: 'r' }); r.style.width = `${(100 * s.reject) / tot}%`;
    bar.append(a, r);
    rows.push(bar);
  }
}

/**
 * @param {HTMLElement} box @param {Summary} s the view's @param {Summary} total the table's
 * @param {{local: boolean, onShowErrors: () => void}} opts
 */
export function renderSummary(box, s, total, { local, onShowErrors }) {
  /** @type {HTMLElement[]} */
  const rows = [];
  /** @param {string} label @param {string} value @param {Node | null} [extra] @param {string} [title] */
  const add = (label, value, extra, title) => rows.push(el('div', { class: 'kv', title },
    el('span', { class: 'k', text: label }), el('span', { class: 'v mono', text: value }), extra || null));
  add('Records', s.records === total.records ? fmtInt(s.records) : `${fmtInt(s.records)} of ${fmtInt(total.records)}`);
  if (s.first_start != null && s.last_end != null) {
    add('From', fmtTime(s.first_start, local));
    add('To', fmtTime(s.last_end, local));
    add('Span', fmtDuration(s.last_end - s.first_start));
  } else if (s.first_event_ms != null && s.last_event_ms != null) {
    // No start/end (a Logs Insights export of some fields): the events' times, said so.
    const why = 'These records have no start or end field: CloudWatch event times (when each record was logged), not the flows\' aggregation windows';
    add('Events from', fmtTime(s.first_event_ms / 1000, local), null, why);
    add('Events to', fmtTime(s.last_event_ms / 1000, local), null, why);
  } else {
    add('Time span', '-');
  }
  // A total of a field these records do not have is "-" (with the reason), never 0.
  const absent = (/** @type {string} */ field) => (s.absent || []).includes(field);
  const none = (/** @type {string} */ field) => `These records have no ${field} field`;
  if (absent('bytes')) add('Bytes', '-', null, none('bytes'));
  else add('Bytes', fmtBytes(s.bytes), null, `${fmtInt(s.bytes)} bytes`);
  if (absent('packets')) add('Packets', '-', null, none('packets'));
  else add('Packets', fmtInt(s.packets));
  if (absent('action')) add('Action', '-', null, none('action'));
  else renderActions(rows, s);
  if (absent('log-status')) {
    add('NODATA', '-', null, none('log-status'));
    add('SKIPDATA', '-', null, none('log-status'));
  } else {
    add('NODATA', fmtInt(s.nodata), null, 'NODATA: the interface had no traffic during the aggregation interval');
    add('SKIPDATA', fmtInt(s.skipdata), null, 'SKIPDATA: some flow records were skipped during the interval (capacity or an internal error)');
  }
  add('Files', fmtInt(total.files));
  const errBtn = total.errors ? el('button', { type: 'button', class: 'linkish', text: 'show', onclick: onShowErrors }) : null;
  add('Bad lines', fmtInt(total.errors), errBtn);
  if (total.skipped) add('Skipped', fmtInt(total.skipped), null, 'Lines that are not records (headers, blank lines, JSON framing)');
  if (total.not_records) add('Not records', fmtInt(total.not_records), null, 'Of the skipped lines: prompts, command echoes, prose, Markdown fences, aws CLI token rows and YAML keys around the records — counted, not errors (reasons under “Files & format”)');
  if (total.table_bytes) add('Memory', fmtBytes(total.table_bytes), null, 'Size of the decoded columnar table');
  box.replaceChildren(...rows);
}

/**
 * The top values of each facet of the view. `table` answers with promises (a remote
 * table, see table-client.js); the panel is redrawn only once every answer is in, and
 * not at all when `current()` says a newer view replaced this one meanwhile.
 * @param {HTMLElement} box @param {Remote} table @param {string} measure 'count', 'bytes' or 'packets'
 * @param {Set<string>} present the fields the table has
 * @param {(field: string, value: string, exclude: boolean) => void} onFilter
 * @param {() => boolean} [current]
 */
export async function renderFacets(box, table, measure, present, onFilter, current = () => true) {
  const facets = catalogue().facets.filter(({ field }) => present.has(field));
  const [viewTotal, ...answers] = await Promise.all([table.viewCount().catch(() => 0),
    ...facets.map(({ field }) => table.facet(field, measure, 6).catch(() => null))]);
  if (!current()) return;
  box.replaceChildren();
  for (let f = 0; f < facets.length; f++) {
    const { field, label } = facets[f];
    if (!answers[f]) continue;
    // the core never ranks the rows with no value among the values: they come apart
    const { values, missing } = /** @type {{values: any[], missing: any}} */ (answers[f]);
    const sec = el('section', { class: 'facet' }, el('h3', { text: label, title: field }));
    const list = el('ol', { class: 'facet-list' });
    const max = [...values, ...(missing ? [missing] : [])].reduce((a, t) => Math.max(a, t[measure] || 0), 0) || 1;
    /**
     * One entry: `key` its value, or null for the rows with no value.
     * @param {any} t a facet row (the core's JSON: keys, filters, count, bytes, packets)
     * @param {string | null} key
     */
    const item = (t, key) => {
      const v = t[measure] || 0;
      const bar = el('span', { class: 'fbar', 'aria-hidden': 'true' });
      bar.style.width = `${(100 * v) / max}%`;
      const shown = measure === 'bytes' ? fmtBytes(v) : fmtInt(v);
      const what = key === null ? `${field} has no value (-)` : `${field} = ${key}`;
      const dataset = key === null ? { field, missing: '' } : { field, value: key };
      return el('li', null, el('button', {
        type: 'button', class: key === null ? 'facet-item facet-missing' : 'facet-item', dataset,
        title: `${what}: ${fmtInt(t.count)} records, ${fmtBytes(t.bytes)}, ${fmtInt(t.packets)} packets` +
          `${measure === 'count' && viewTotal ? ` (${pct(t.count, viewTotal)})` : ''}\nClick to filter · Alt/Shift+click to exclude`,
        // the filter value: '' for no value (`not field exists`), else the stored text
        onclick: (/** @type {MouseEvent} */ e) => onFilter(field, key === null ? '' : (t.filters && t.filters[0]) || key, e.altKey || e.shiftKey),
      }, bar, el('span', { class: key === null ? 'fk' : 'fk mono', text: key === null ? '(no value)' : key }),
      el('span', { class: 'fv mono', text: shown })));
    };
    for (const t of values) list.append(item(t, t.keys[0]));
    if (missing) list.append(item(missing, null));
    if (!values.length && !missing) list.append(el('li', { class: 'muted small', text: 'no records' }));
    sec.append(list);
    box.append(sec);
  }
}

/**
 * Files & format. The format field goes to `formatHost` (a bar above the table) when the
 * columns were inferred from header-less data, so it is seen; else into the files panel.
 */
/**
 * @param {HTMLElement} box @param {any[]} files
 * @param {{format: string, onFormat: (format: string) => void, formatHost: HTMLElement, skipped?: {name: string, reason: string}[]}} opts
 */
export function renderFiles(box, files, { format, onFormat, formatHost, skipped = [] }) {
  box.replaceChildren();
  formatHost.replaceChildren();
  const best = files.find((f) => f.records > 0 && f.bindings?.length) || files.find((f) => f.bindings?.length);
  const b = best?.bindings?.[0];
  // The format field: prefilled from what the decoder inferred or read from a header.
  const input = el('input', {
    type: 'text', class: 'mono format-input', id: 'format-input', spellcheck: 'false', autocomplete: 'off',
    'aria-label': 'Log format (field names in order)', placeholder: 'auto-detect (e.g. ${version} ${srcaddr} …)',
  });
  input.value = format || (b ? b.fields.join(' ') : '');
  const conf = b ? el('span', { class: `conf ${b.confidence >= 0.9 ? 'hi' : b.confidence >= 0.6 ? 'mid' : 'lo'}`, text: confText(b, format) }) : null;
  const apply = () => onFormat(input.value.trim() === (b ? b.fields.join(' ') : '') && !format ? '' : input.value.trim());
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); apply(); } });
  const fmt = el('div', { class: 'format-box' },
    el('div', { class: 'format-head' }, el('label', { for: 'format-input', class: 'k', text: 'Format (fields in order)' }), conf),
    input,
    el('div', { class: 'format-actions' },
      el('button', { type: 'button', class: 'btn small', text: 'Re-decode with this format', onclick: apply }),
      format ? el('button', { type: 'button', class: 'btn small', text: 'Auto-detect', onclick: () => onFormat('') }) : null),
    b?.description ? el('p', { class: 'small muted', text: b.description }) : null);
  // A guess below the confidence threshold: ask the user to confirm it (or edit it).
  const guessed = !format && !!b?.guessed;
  if (guessed) {
    fmt.classList.add('guessed');
    fmt.insertBefore(el('p', { class: 'guess-ask', role: 'alert' },
      el('strong', { text: `These columns are a guess (${Math.round(b.confidence * 100)}% sure). ` }),
      'Check the column names against your flow log’s format, then ',
      el('button', { type: 'button', class: 'btn small primary', id: 'confirm-format', text: 'Confirm this format', onclick: () => onFormat(input.value.trim()) }),
      ' or edit it and re-decode.'), fmt.firstChild);
  }
  if (b?.ambiguous?.length) {
    const amb = el('ul', { class: 'small ambiguous' });
    // group neighbouring positions with the same candidates: "positions 2–5: a / b / c"
    /** @type {{key: string, from: number, to: number}[]} */
    const groups = [];
    for (const [pos, names] of b.ambiguous) {
      const key = names.join(' / ');
      const g = groups.at(-1);
      if (g && g.key === key && g.to === pos - 1) g.to = pos; else groups.push({ key, from: pos, to: pos });
    }
    for (const g of groups) {
      amb.append(el('li', { text: `${g.from === g.to ? `position ${g.from + 1}` : `positions ${g.from + 1}–${g.to + 1}`}: ${g.key}` }));
    }
    fmt.append(el('p', { class: 'small', text: 'Columns that look alike (check their order):' }), amb);
  }
  // Shown above the table when the columns were guessed (not for a header or a
  // certain match of a standard layout such as the default format).
  const uncertain = !!format || guessed || (!!b && (b.origin === 'inferred' || b.ambiguous?.length > 0 ||
    (b.origin === 'layout' && b.confidence < 0.95)));
  if (uncertain) {
    fmt.classList.add('in-bar');
    formatHost.append(fmt);
  } else {
    box.append(fmt);
  }
  formatHost.hidden = !uncertain;
  const list = el('ul', { class: 'file-list' });
  for (const f of files) {
    const bind = f.bindings?.[0];
    list.append(el('li', null,
      fileName(f.name),
      el('div', { class: 'small muted', text: [
        f.shape + (f.gzip ? ' · gzip' : ''), fmtBytes(f.bytes), `${fmtInt(f.records)} records`,
        f.errors ? `${fmtInt(f.errors)} bad` : '', f.skipped ? `${fmtInt(f.skipped)} skipped` : '',
        f.not_records ? `${fmtInt(f.not_records)} not records (${(f.not_record_reasons || []).map((/** @type {[string, number]} */ [why, n]) => `${fmtInt(n)} × ${why}`).join('; ')})` : '',
        bind ? `fields: ${bind.origin}${bind.origin === 'inferred' ? ` ${Math.round(bind.confidence * 100)}%` : ''}` : '',
        f.bindings?.length > 1 ? `${f.bindings.length} formats` : '',
        ...(f.bindings || []).flatMap((/** @type {{extra_names?: [unknown, string][]}} */ bb) => (bb.extra_names || []).map(([, name]) => `unknown field '${name}' kept as text`)),
      ].filter(Boolean).join(' · ') })));
  }
  box.append(list);
  if (skipped.length) {
    box.append(el('p', { class: 'small skipped-head', text: `Skipped ${fmtInt(skipped.length)} file${skipped.length === 1 ? '' : 's'} of the folder (not decoded):` }));
    const sl = el('ul', { class: 'file-list skipped-list' });
    for (const s of skipped) {
      sl.append(el('li', null, fileName(s.name), el('div', { class: 'small muted', text: s.reason })));
    }
    box.append(sl);
  }
  return b;
}

/** A file's path: its folder on a small line above the name, both cut at the start. @param {string} name */
function fileName(name) {
  const i = name.lastIndexOf('/');
  const part = (/** @type {string} */ cls, /** @type {string} */ text) => el('span', { class: cls }, el('bdi', { text }));
  return el('div', { class: 'fname mono', title: name },
    i >= 0 ? part('fdir', name.slice(0, i + 1)) : null, part('fbase', name.slice(i + 1)));
}

/** @param {{confidence?: number, origin: string}} b a binding (Table.files) @param {string} format */
function confText(b, format) {
  if (format) return 'set by you';
  const c = `${Math.round((b.confidence ?? 1) * 100)}% confidence`;
  switch (b.origin) {
    case 'header': return 'from the file header';
    case 'format': return 'as given';
    case 'layout': return `by layout · ${c}`;
    case 'parquet': return 'from the Parquet schema';
    default: return `inferred · ${c}`;
  }
}

export class ErrorsPanel {
  /** @param {HTMLElement} box */
  constructor(box) {
    this.box = box;
    /** @type {Remote} a Table (remote), or null */
    this.table = null;
    this.count = 0;
    this.shown = 0;
    this.list = el('ol', { class: 'error-list' });
    this.more = el('button', { type: 'button', class: 'btn small', onclick: () => this.page() });
  }

  /** `table` answers with promises (table-client.js); `n`: its error count. @param {Remote} table @param {number} n */
  show(table, n) {
    this.table = table;
    this.count = n;
    this.shown = 0;
    this.box.replaceChildren();
    if (!n) { this.box.append(el('p', { class: 'muted small', text: 'No bad lines. Every line decoded.' })); return; }
    this.list = el('ol', { class: 'error-list' });
    this.more = el('button', { type: 'button', class: 'btn small', onclick: () => this.page() });
    this.box.append(el('p', { class: 'small muted', text: `${fmtInt(n)} line${n === 1 ? '' : 's'} could not be decoded:` }), this.list, this.more);
    this.page();
  }

  async page() {
    const t = this.table;
    const n = this.count;
    const list = this.list;
    const batch = (await t.errors(this.shown, 200).catch(() => null)) || [];
    if (t !== this.table || list !== this.list) return; // other data meanwhile
    for (const e of batch) {
      this.list.append(el('li', { class: 'error-item' },
        el('div', { class: 'eloc mono' }, el('span', { class: 'efile', text: e.file, title: e.file }), el('span', { class: 'eline', text: e.line ? `:${e.line}` : '' })),
        el('div', { class: 'emsg', text: e.message }),
        // line 0: an error about the whole file (a damaged Parquet footer), with no line
        e.line === 0 && e.raw === '' ? null : el('pre', { class: 'eraw mono', text: e.raw === '' ? '(empty line)' : e.raw })));
    }
    this.shown += batch.length;
    this.more.hidden = this.shown >= n;
    this.more.textContent = `Show more (${fmtInt(n - this.shown)} left)`;
  }
}

export class Histogram {
  /**
   * @param {HTMLElement} root @param {HTMLCanvasElement} canvas
   * @param {{from: HTMLElement, to: HTMLElement, hint: HTMLElement, tip: HTMLElement}} els
   * @param {(window: [number, number]) => void} onWindow
   */
  constructor(root, canvas, els, onWindow) {
    this.root = root; this.canvas = canvas; this.els = els; this.onWindow = onWindow;
    /** @type {HistogramData | null} */
    this.data = null;
    /** @type {{x0: number, x1: number} | null} */
    this.drag = null;
    this.local = false;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointerleave', () => { if (!this.drag) els.tip.hidden = true; });
    new ResizeObserver(() => this.draw()).observe(root);
  }

  /** Drawing width: the histogram box without its padding. */
  width() {
    const cs = getComputedStyle(this.root);
    return Math.max(10, this.root.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
  }

  targetBuckets() { return Math.max(12, Math.min(240, Math.floor((this.width() || 600) / 6))); }

  /**
   * `table` answers with promises; nothing is drawn when `current()` turned false.
   * @param {Remote} table @param {boolean} local @param {() => boolean} [current]
   */
  async update(table, local, current = () => true) {
    const data = table ? await table.histogram(0, this.targetBuckets()).catch(() => null) : null;
    if (!current()) return;
    this.local = local;
    this.data = data;
    this.draw();
  }

  span() {
    const d = this.data;
    return d ? [d.start, d.start + d.records.length * d.bucket_secs] : [0, 0];
  }

  draw() {
    const c = this.canvas, d = this.data;
    const w = this.width(), h = 64;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(w * dpr)); c.height = Math.round(h * dpr);
    c.style.width = `${w}px`; c.style.height = `${h}px`;
    const g = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')); // a canvas gives a 2d context
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    if (!d || !d.records.length) {
      this.els.from.textContent = ''; this.els.to.textContent = '';
      // An answer with no buckets: no record of the view has a start time (none at all in
      // a Logs Insights export without start/end), so there is nothing to drag over.
      this.els.hint.textContent = d ? 'no flow start or event times to chart' : 'drag to select a time window';
      return;
    }
    const css = getComputedStyle(this.root);
    const cBar = css.getPropertyValue('--accent').trim() || '#1f6feb';
    const cRej = css.getPropertyValue('--bad').trim() || '#d1242f';
    const cSel = css.getPropertyValue('--sel').trim() || 'rgba(31,111,235,.2)';
    const n = d.records.length;
    const max = Math.max(1, ...d.records);
    const bw = w / n;
    for (let i = 0; i < n; i++) {
      const bh = (d.records[i] / max) * (h - 4);
      const rh = (d.rejects[i] / max) * (h - 4);
      const x = i * bw;
      g.fillStyle = cBar;
      g.globalAlpha = 0.75;
      g.fillRect(x + 0.5, h - bh, Math.max(1, bw - 1), bh - rh);
      g.globalAlpha = 0.9;
      g.fillStyle = cRej;
      g.fillRect(x + 0.5, h - rh, Math.max(1, bw - 1), rh);
    }
    g.globalAlpha = 1;
    if (this.drag && Math.abs(this.drag.x1 - this.drag.x0) > 0) {
      g.fillStyle = cSel;
      const a = Math.min(this.drag.x0, this.drag.x1), b = Math.max(this.drag.x0, this.drag.x1);
      g.fillRect(a, 0, b - a, h);
    }
    const [t0, t1] = this.span();
    this.els.from.textContent = fmtTime(t0, this.local);
    this.els.to.textContent = fmtTime(t1, this.local);
    // a table without start times (a Logs Insights export of some fields) is charted by
    // its events' @timestamp, and says so
    const by = d.field === 'start' ? '' : ` of ${d.field} (the data has no start times)`;
    this.els.hint.textContent = `${fmtDuration(d.bucket_secs)} buckets${by} · red: REJECT · drag to select a time window`;
  }

  /** Only while there is data (a drag). @param {number} x @param {boolean} roundUp */
  xToTime(x, roundUp) {
    const d = /** @type {HistogramData} */ (this.data);
    const w = this.width();
    const n = d.records.length;
    let i = (x / w) * n;
    i = roundUp ? Math.ceil(i) : Math.floor(i);
    i = Math.max(0, Math.min(n, i));
    return d.start + i * d.bucket_secs;
  }

  /** @param {PointerEvent} e */
  local_x(e) { return e.clientX - this.canvas.getBoundingClientRect().left; }

  /** @param {PointerEvent} e */
  down(e) {
    if (!this.data || !this.data.records.length) return;
    this.canvas.setPointerCapture(e.pointerId);
    const x = this.local_x(e);
    this.drag = { x0: x, x1: x };
  }

  /** @param {PointerEvent} e */
  move(e) {
    const x = this.local_x(e);
    if (this.drag) { this.drag.x1 = x; this.draw(); }
    const d = this.data;
    if (!d || !d.records.length) return;
    const n = d.records.length;
    const i = Math.max(0, Math.min(n - 1, Math.floor((x / this.width()) * n)));
    const tip = this.els.tip;
    if (this.drag && Math.abs(this.drag.x1 - this.drag.x0) > 3) {
      const a = this.xToTime(Math.min(this.drag.x0, this.drag.x1), false);
      const b = this.xToTime(Math.max(this.drag.x0, this.drag.x1), true);
      tip.textContent = `${fmtTime(a, this.local)} → ${fmtTime(b, this.local)}`;
    } else {
      const t = d.start + i * d.bucket_secs;
      tip.textContent = `${fmtTime(t, this.local)} · ${fmtInt(d.records[i])} records · ${fmtInt(d.rejects[i])} rejected · ${fmtBytes(d.bytes[i])}`;
    }
    tip.hidden = false;
    const w = this.root.clientWidth;
    tip.style.left = `${Math.min(Math.max(0, x + 10), Math.max(0, w - tip.offsetWidth))}px`;
  }

  /** @param {PointerEvent} e */
  up(e) {
    if (!this.drag) return;
    const { x0 } = this.drag;
    const x1 = this.local_x(e);
    this.drag = null;
    this.els.tip.hidden = true;
    this.draw();
    const lo = Math.min(x0, x1), hi = Math.max(x0, x1);
    // A click selects one bucket; a drag selects the buckets it covers.
    const a = this.xToTime(lo, false);
    let b = this.xToTime(hi, true);
    if (b <= a) b = a + /** @type {HistogramData} */ (this.data).bucket_secs; // a drag begins only with data
    this.onWindow([a, b]);
  }
}
