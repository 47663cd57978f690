// @ts-check
// Virtual grid: only the visible rows are in the DOM. Handles millions of rows: the
// scroll spacer is capped at MAX_SPACER px and scrollTop is mapped to a row index, so
// the browsers' element-height caps never cut off the end of a big table.
// ARIA grid semantics: role=grid with aria-rowcount, rows with aria-rowindex.
//
// The grid knows nothing about flow logs. In the manner of regular-table, its data comes
// from a listener (`setSource`: `window(start, n, names)` answers the visible rows) and
// what a cell or row looks like from hooks: `setCellRenderer(fn)` turns a cell's value
// into text, classes and badges, `addStyleListener(fn)` restyles each row after it is
// drawn (see flowcells.js and context.js for the flow-log ones).
//
// `window` may answer with a promise (the table lives in a worker, see table-client.js):
// the grid then asks for the visible rows plus a margin, keeps one request in flight,
// paints from the rows it holds, drops answers for a replaced source, and while a query
// runs (`hold()`) keeps showing the old rows instead of asking the old source again.
import { el } from './util.js';

const MAX_SPACER = 8_000_000;
const WINDOW_MARGIN = 64; // rows fetched above and below the visible ones (async sources)

/**
 * @typedef {{name: string, label?: string, kind: string, about?: string, width: number, visible: boolean, sortable?: boolean} & Record<string, unknown>} GridColumn  (the app may keep more on a column)
 * @typedef {{rows: string[][], hints?: string[][], filters?: string[][], secs?: (number|null)[][], ids?: number[], states?: any[], labels?: any[]}} GridWindow
 * @typedef {{count: number, window(start: number, n: number, names: string[]): GridWindow | null | undefined | Promise<GridWindow | null | undefined>}} GridSource
 * @typedef {{source: GridSource, key: string, start: number, count: number, end: boolean, win: GridWindow}} HeldRows
 * @typedef {{column: GridColumn, text: string, filter: string, hint: string, secs: number | null | undefined, isNull: boolean}} CellMeta
 * @typedef {{text?: string, title?: string, valueClass?: string[], before?: Node[], after?: Node[]}} CellLook
 * @typedef {{index: number, k: number, columns: GridColumn[], window: GridWindow}} RowMeta
 */

let gridSeq = 0;

/** Sets a style property unless it already has that value. @param {CSSStyleDeclaration} style @param {string} name @param {string} value */
function setStyle(style, name, value) {
  if (style.getPropertyValue(name) !== value) style.setProperty(name, value);
}

/** @type {WeakMap<HTMLElement, string>} what each row element was last drawn from */
const rowKeys = new WeakMap();

/**
 * Everything a row is drawn from: its part of each per-row array of the window (values,
 * hints, filters, seconds, states, labels…) and `extra` (epoch, index, active cell).
 * @param {GridWindow} win @param {number} k @param {string} extra
 */
function rowKey(win, k, extra) {
  /** @type {unknown[]} */
  const parts = [extra];
  for (const [name, arr] of Object.entries(win)) if (Array.isArray(arr)) parts.push(name, arr[k]);
  return JSON.stringify(parts);
}

export class Grid {
  /**
   * @param {HTMLElement} host
   * @param {{onSort(name: string, additive: boolean): void, onCellFilter(name: string, value: string, exclude: boolean): void, onOpen(index: number): void, onColumnsResized?(): void, onSource?(): void, onRowClick?(index: number, e: MouseEvent, active: number): boolean, onKey?(e: KeyboardEvent, active: number, count: number): boolean}} cb
   *   onSource: a new source (view); onRowClick / onKey: a click or key the app takes
   *   (true: handled), e.g. a multi-row selection
   */
  constructor(host, cb) {
    this.cb = cb;
    this.uid = `g${++gridSeq}`;
    this.rowH = 24;
    /** @type {GridColumn[]} */
    this.columns = [];
    /** @type {GridSource | null} */
    this.source = null;
    /** @type {{name: string, desc: boolean}[]} */
    this.sort = [];
    /** @type {(meta: CellMeta) => CellLook} */
    this.cellRenderer = () => ({});
    /** @type {((row: HTMLElement, meta: RowMeta) => void)[]} */
    this.styleListeners = [];
    this.resizing = false;
    this.rowShape = ''; // the shown columns the row elements were built for
    this.headSig = '';  // the header cells were built for
    /** @type {HTMLElement[]} */
    this.rowEls = [];
    this.active = -1;    // view index of the active row
    this.activeCol = 0;  // index into visibleColumns()
    this.topPx = 0;      // virtual scroll offset (px) of the first visible pixel
    this.expectScroll = -1;
    this.knownScroll = 0; // root.scrollTop as last set or scrolled to
    this.pending = 0;
    /** @type {HeldRows | null} the rows held from the last answer of an async source */
    this.win = null;
    this.inflight = false;
    this.held = false;   // a new source is on its way (a query runs): keep the rows shown
    this.settled = true; // the rows shown are the source's (no request pending)
    /** @type {(() => void)[]} */
    this.waiters = [];
    // Bumped whenever something outside the window's data changes how rows look (cell
    // renderer state, columns, labels, selection): a row drawn under another epoch is
    // drawn again even when its data is the same.
    this.epoch = 0;
    /** @type {{rootH: number, headH: number} | null} heights kept by the ResizeObserver */
    this.box = null;

    this.root = el('div', {
      class: 'grid', role: 'grid', tabindex: '0', 'aria-label': 'Flow log records',
      'aria-rowcount': '1', 'aria-colcount': '0', 'aria-multiselectable': 'false',
    });
    this.head = el('div', { class: 'grid-head', role: 'rowgroup' });
    this.headRow = el('div', { class: 'grid-row head', role: 'row', 'aria-rowindex': '1' });
    this.head.append(this.headRow);
    this.body = el('div', { class: 'grid-body', role: 'rowgroup' });
    this.layer = el('div', { class: 'grid-layer' });
    this.body.append(this.layer);
    this.root.append(this.head, this.body);
    host.append(this.root);

    this.root.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.root.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.root.addEventListener('keydown', (e) => this.onKey(e));
    this.layer.addEventListener('click', (e) => this.onClick(e));
    this.layer.addEventListener('dblclick', (e) => {
      const t = /** @type {Element} */ (e.target); // a click inside the layer
      const r = /** @type {HTMLElement | null} */ (t.closest('.grid-row'));
      if (r && !t.closest('.v')) this.cb.onOpen(Number(r.dataset.index));
    });
    // Heights are read here, where layout is already done, and kept: reading them in
    // metrics() would force a synchronous layout on every render while rows change.
    this.ro = new ResizeObserver(() => {
      this.box = { rootH: this.root.clientHeight, headH: this.head.offsetHeight };
      this.layout();
    });
    this.ro.observe(this.root);
    this.ro.observe(this.head);
  }

  visibleColumns() { return this.columns.filter((c) => c.visible); }

  /** @param {GridColumn[]} columns */
  setColumns(columns) {
    this.columns = columns;
    this.activeCol = Math.min(this.activeCol, Math.max(0, this.visibleColumns().length - 1));
    this.buildHeader();
    // The row cells depend only on the shown columns' names and kinds: the same ones
    // again (new widths or labels, the preview's columns once decoding completes) keep
    // the rows and what is drawn in them.
    if (this.shapeOfColumns() !== this.rowShape) this.buildRows();
    this.layout();
  }

  /** @param {{name: string, desc: boolean}[]} sort */
  setSort(sort) {
    this.sort = sort;
    this.updateHeaderSort();
  }

  /**
   * How a cell's value is shown: `fn(meta)` returns `{text, title, valueClass, before, after}`.
   * @param {(meta: CellMeta) => CellLook} fn
   */
  setCellRenderer(fn) {
    this.cellRenderer = fn;
    this.epoch++;
  }

  /**
   * `fn(rowEl, meta)` runs after each row is drawn, in the order added.
   * @param {(row: HTMLElement, meta: RowMeta) => void} fn
   */
  addStyleListener(fn) {
    this.styleListeners.push(fn);
  }

  /** Header labels or cell rendering changed: draws both again. */
  refresh() {
    this.epoch++;
    this.buildHeader();
    this.render();
  }

  /** Something the style listeners read outside the window (the selection) changed: draws the rows again. */
  restyle() {
    this.epoch++;
    this.render();
  }

  /**
   * A new data source (new table, new filter or sort): keeps the scroll position unless
   * reset. Resolves once the new source's rows are painted.
   * @param {GridSource} source
   * @returns {Promise<void>}
   */
  setSource(source, { reset = false } = {}) {
    this.source = source;
    this.cb.onSource?.(); // hook: a new view (the app's row selection is cleared)
    this.held = false;
    this.win = null;
    this.settled = false;
    if (reset) { this.topPx = 0; this.active = -1; if (this.knownScroll !== 0) this.root.scrollTop = 0; this.knownScroll = 0; }
    if (this.active >= source.count) this.active = source.count - 1;
    this.root.setAttribute('aria-rowcount', String(source.count + 1));
    this.layout();
    return this.painted();
  }

  /**
   * The source's rows changed in place (labels came in): asks for the visible rows again,
   * keeping the scroll position, the active row and the app's selection.
   */
  reload() {
    this.win = null;
    this.epoch++;
    this.render();
  }

  /** A new source is being made (a query runs): ask for no rows of the old one meanwhile. */
  hold() { this.held = true; }
  /** The old source stays after all (the query failed). */
  release() { this.held = false; this.render(); }

  /**
   * Resolves once the rows shown are the current source's (for tests and status).
   * @returns {Promise<void>}
   */
  painted() {
    return this.settled ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  get count() { return this.source ? this.source.count : 0; }

  // ── geometry ────────────────────────────────────────────────────────────────
  metrics() {
    // measured once before the ResizeObserver's first call, then kept by it
    const box = this.box || (this.box = { rootH: this.root.clientHeight, headH: this.head.offsetHeight });
    const viewH = Math.max(this.rowH, box.rootH - box.headH);
    const virtualH = this.count * this.rowH;
    const spacerH = Math.min(virtualH, MAX_SPACER);
    return {
      viewH, virtualH, spacerH,
      maxVirtual: Math.max(0, virtualH - viewH),
      maxScroll: Math.max(0, spacerH - viewH),
      visibleRows: Math.ceil(viewH / this.rowH),
    };
  }

  scrollFromTop(m = this.metrics()) {
    return m.maxVirtual > 0 ? (this.topPx * m.maxScroll) / m.maxVirtual : 0;
  }

  layout() {
    const m = this.metrics();
    const width = this.visibleColumns().reduce((a, c) => a + c.width, 0);
    // set only when changed: a custom property set again restyles every cell under it
    setStyle(this.body.style, 'height', `${m.spacerH}px`);
    setStyle(this.root.style, '--row-w', `${width}px`);
    setStyle(this.root.style, '--cols', this.visibleColumns().map((c) => `${c.width}px`).join(' ') || '1fr');
    this.topPx = Math.min(this.topPx, m.maxVirtual);
    this.setScrollTop(this.scrollFromTop(m));
    this.ensurePool(m.visibleRows + 1);
    this.render();
  }

  /**
   * Scrolls to `v` without reading scrollTop back (a read forces a layout of whatever
   * changed since the last frame): the position is the one last set or scrolled to.
   * @param {number} v
   */
  setScrollTop(v) {
    if (Math.abs(this.knownScroll - v) >= 1) { this.root.scrollTop = v; this.knownScroll = v; }
    this.expectScroll = this.knownScroll;
  }

  onScroll() {
    const m = this.metrics();
    const st = this.root.scrollTop;
    this.knownScroll = st;
    if (Math.abs(st - this.expectScroll) > 1) {
      this.topPx = m.maxScroll > 0 ? (st * m.maxVirtual) / m.maxScroll : 0;
      this.expectScroll = st;
    }
    this.schedule();
  }

  /** @param {WheelEvent} e */
  onWheel(e) {
    const m = this.metrics();
    // Native scrolling is exact while the spacer is not scaled; when it is, one wheel
    // notch would jump many rows, so wheel deltas are applied to the virtual offset.
    if (m.virtualH <= MAX_SPACER || e.ctrlKey) return;
    const k = e.deltaMode === 1 ? this.rowH : e.deltaMode === 2 ? m.viewH : 1;
    if (!e.deltaY) return;
    e.preventDefault();
    if (e.deltaX) this.root.scrollLeft += e.deltaX * k;
    this.topPx = Math.max(0, Math.min(m.maxVirtual, this.topPx + e.deltaY * k));
    this.setScrollTop(this.scrollFromTop(m));
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  /** Scrolls so that view row `i` is visible. @param {number} i */
  reveal(i) {
    const m = this.metrics();
    const top = i * this.rowH;
    if (top < this.topPx) this.topPx = top;
    else if (top + this.rowH > this.topPx + m.viewH) this.topPx = top + this.rowH - m.viewH;
    this.topPx = Math.max(0, Math.min(m.maxVirtual, this.topPx));
    this.setScrollTop(this.scrollFromTop(m));
    const col = this.visibleColumns();
    if (col.length) {
      let x = 0;
      for (let c = 0; c < this.activeCol; c++) x += col[c].width;
      const w = col[this.activeCol]?.width || 0;
      if (x < this.root.scrollLeft) this.root.scrollLeft = x;
      else if (x + w > this.root.scrollLeft + this.root.clientWidth) this.root.scrollLeft = x + w - this.root.clientWidth;
    }
    this.render();
  }

  // ── header ──────────────────────────────────────────────────────────────────
  buildHeader() {
    const cols = this.visibleColumns();
    // the same header again (new widths, or the preview's columns once decoding
    // completes): kept, since the handlers below find their column by name
    const sig = JSON.stringify(cols.map((c) => [c.name, c.label, c.about, c.kind, c.sortable]));
    if (sig === this.headSig) { this.updateHeaderSort(); return; }
    this.headSig = sig;
    this.root.setAttribute('aria-colcount', String(cols.length));
    /** @param {string} name */
    const column = (name) => this.columns.find((x) => x.name === name);
    this.headRow.replaceChildren(...cols.map((c, i) => {
      const label = c.label || c.name;
      const h = el('div', {
        class: `grid-cell hcell kind-${c.kind}`, role: 'columnheader', 'aria-colindex': String(i + 1),
        title: `${c.about || c.name}\nClick to sort (asc → desc → none); Shift+click adds a sort key.`,
        dataset: { name: c.name },
      },
      el('span', { class: 'hlabel', text: label }),
      el('span', { class: 'sort-ind', 'aria-hidden': 'true' }),
      el('span', { class: 'resizer', 'aria-hidden': 'true', title: 'Drag to resize' }));
      h.addEventListener('click', (e) => {
        if (/** @type {Element} */ (e.target).classList.contains('resizer') || this.resizing) return;
        if (column(c.name)?.sortable === false) return;
        this.cb.onSort(c.name, e.shiftKey);
      });
      /** @type {HTMLElement} */ (h.querySelector('.resizer')).addEventListener('pointerdown', (e) => { const col = column(c.name); if (col) this.startResize(e, col); });
      return h;
    }));
    this.updateHeaderSort();
  }

  updateHeaderSort() {
    for (const h of /** @type {HTMLCollectionOf<HTMLElement>} */ (this.headRow.children)) {
      const i = this.sort.findIndex((s) => s.name === h.dataset.name);
      const ind = /** @type {HTMLElement} */ (h.querySelector('.sort-ind')); // built in buildHeader
      if (i < 0) {
        h.setAttribute('aria-sort', 'none');
        ind.textContent = '';
      } else {
        const s = this.sort[i];
        h.setAttribute('aria-sort', i === 0 ? (s.desc ? 'descending' : 'ascending') : 'other');
        ind.textContent = (s.desc ? '▼' : '▲') + (this.sort.length > 1 ? String(i + 1) : '');
      }
      h.classList.toggle('sorted', i >= 0);
    }
  }

  /** @param {PointerEvent} e @param {GridColumn} col */
  startResize(e, col) {
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX, w0 = col.width;
    const target = /** @type {HTMLElement} */ (e.target); // the resizer
    target.setPointerCapture(e.pointerId);
    this.resizing = true;
    const move = (/** @type {PointerEvent} */ ev) => {
      col.width = Math.max(40, Math.round(w0 + ev.clientX - x0));
      this.root.style.setProperty('--cols', this.visibleColumns().map((c) => `${c.width}px`).join(' '));
      this.root.style.setProperty('--row-w', `${this.visibleColumns().reduce((a, c) => a + c.width, 0)}px`);
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      setTimeout(() => { this.resizing = false; }, 0);
      this.cb.onColumnsResized?.();
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }

  // ── rows ────────────────────────────────────────────────────────────────────
  shapeOfColumns() { return this.visibleColumns().map((c) => `${c.name}:${c.kind}`).join(' '); }

  buildRows() {
    this.rowShape = this.shapeOfColumns();
    this.epoch++;
    this.layer.replaceChildren();
    this.rowEls = [];
  }

  /** @param {number} n */
  ensurePool(n) {
    const cols = this.visibleColumns();
    while (this.rowEls.length < n) {
      const r = el('div', { class: 'grid-row', role: 'row' });
      for (let i = 0; i < cols.length; i++) {
        r.append(el('div', { class: `grid-cell kind-${cols[i].kind}`, role: 'gridcell', 'aria-colindex': String(i + 1) }));
      }
      this.rowEls.push(r);
      this.layer.append(r);
    }
  }

  render() {
    const m = this.metrics();
    const cols = this.visibleColumns();
    const names = cols.map((c) => c.name);
    const n = this.count;
    const first = Math.min(Math.floor(this.topPx / this.rowH), Math.max(0, n - 1));
    const frac = this.topPx - first * this.rowH;
    const want = Math.min(m.visibleRows + 1, Math.max(0, n - first));
    const key = names.join('\u0001');
    const held = this.win;
    if (want <= 0 || !this.source) {
      this.paint(first, frac, { rows: [] });
    } else if (held && held.source === this.source && held.key === key && held.start <= first &&
      (held.end || held.start + held.count >= first + want)) {
      this.paint(first, frac, sliceWindow(held.win, first - held.start, want));
    } else {
      if (!this.held) this.fetch(first, want, key, names);
      return;
    }
    this.settled = true;
    for (const w of this.waiters.splice(0)) w();
  }

  /**
   * Asks the source for the rows around `first`; one request at a time. A synchronous
   * answer is used at once; a promise's answer re-renders when it comes (and is dropped
   * when the source was replaced meanwhile).
   * @param {number} first @param {number} want @param {string} key @param {string[]} names
   */
  fetch(first, want, key, names) {
    if (this.inflight) return; // its answer re-renders, which asks again if still needed
    const src = /** @type {GridSource} */ (this.source);
    const start = Math.max(0, first - WINDOW_MARGIN);
    const count = Math.min(src.count - start, want + (first - start) + WINDOW_MARGIN);
    /** @param {GridWindow | null | undefined} w */
    const take = (w) => {
      const rows = w && w.rows ? w.rows.length : 0;
      this.win = { source: src, key, start, count: rows, end: rows < count, win: w && w.rows ? w : { rows: [] } };
    };
    let answer;
    try { answer = src.window(start, count, names); } catch (e) { answer = Promise.reject(e); }
    if (!(answer instanceof Promise)) {
      // a synchronous source is asked again on every render (it may have changed in place)
      take(answer); this.render(); this.win = null; return;
    }
    this.inflight = true;
    answer.catch(() => null).then((w) => {
      this.inflight = false;
      if (src === this.source) take(w); // else a stale answer: dropped
      this.render();
    });
  }

  /**
   * Draws the rows of `win` (starting at view row `first`) into the row pool.
   * @param {number} first @param {number} frac @param {GridWindow} win
   */
  paint(first, frac, win) {
    this.layer.style.transform = `translateY(${Math.round(this.knownScroll - frac)}px)`;
    const cols = this.visibleColumns();
    if (this.rowEls[0] && this.rowEls[0].children.length !== cols.length) {
      // columns were replaced without setColumns(): rebuild the rows for them
      const n = this.rowEls.length;
      this.buildHeader();
      this.buildRows();
      this.ensurePool(n);
    }
    for (let k = 0; k < this.rowEls.length; k++) {
      const r = this.rowEls[k];
      const vals = win.rows[k];
      if (!vals) { r.hidden = true; r.removeAttribute('aria-rowindex'); rowKeys.delete(r); continue; }
      const i = first + k;
      const activeRow = i === this.active;
      // The same row drawn the same way as last time (a preview while decoding, a query
      // answering with the same first rows): nothing to touch, so no layout to redo.
      const key = rowKey(win, k, `${this.epoch}|${i}|${activeRow ? this.activeCol : -1}|${cols.length}`);
      if (rowKeys.get(r) === key) continue;
      rowKeys.set(r, key);
      r.hidden = false;
      r.dataset.index = String(i);
      r.id = `${this.uid}-r${i}`;
      r.setAttribute('aria-rowindex', String(i + 2));
      r.classList.toggle('odd', i % 2 === 1);
      r.classList.toggle('active', activeRow);
      r.setAttribute('aria-selected', activeRow ? 'true' : 'false'); // a style listener may say otherwise
      for (let c = 0; c < cols.length; c++) {
        const cell = /** @type {HTMLElement} */ (r.children[c]);
        const text = vals[c];
        this.fill(cell, {
          column: cols[c], text, hint: win.hints?.[k]?.[c] || '',
          // the stored value where the shown text is not it (tags decoded, escaped or cut)
          filter: win.filters?.[k]?.[c] || text,
          secs: win.secs?.[k]?.[c], isNull: text === '-' || text === '' || text == null,
        });
        cell.id = `${this.uid}-c${i}-${c}`;
        cell.classList.toggle('active-cell', activeRow && c === this.activeCol);
      }
      for (const fn of this.styleListeners) fn(r, { index: i, k, columns: cols, window: win });
    }
    this.updateActiveDescendant();
  }

  /** Fills one cell as the cell renderer says. Text only, never markup. */
  fill(/** @type {HTMLElement} */ cell, /** @type {CellMeta} */ meta) {
    cell.replaceChildren();
    cell.dataset.value = meta.isNull ? '' : meta.filter;
    cell.classList.toggle('null', meta.isNull);
    const look = this.cellRenderer(meta) || {};
    if (meta.isNull) {
      cell.append(el('span', { class: 'v null-v', text: '-' }));
      cell.title = look.title || meta.hint || 'no value';
      return;
    }
    const v = el('span', { class: 'v', text: look.text ?? meta.text });
    if (look.valueClass) v.classList.add(...look.valueClass);
    cell.append(...(look.before || []), v, ...(look.after || []));
    const title = look.title ?? meta.hint;
    cell.title = title ? `${title}\nClick to filter · Alt/Shift+click to exclude` : 'Click to filter · Alt/Shift+click to exclude';
  }

  updateActiveDescendant() {
    const id = this.active >= 0 ? `${this.uid}-c${this.active}-${this.activeCol}` : '';
    if (id && document.getElementById(id)) this.root.setAttribute('aria-activedescendant', id);
    else this.root.removeAttribute('aria-activedescendant');
  }

  /** @param {number} i @param {number} [col] */
  setActive(i, col = this.activeCol) {
    const n = this.count;
    if (!n) return;
    this.active = Math.max(0, Math.min(n - 1, i));
    this.activeCol = Math.max(0, Math.min(this.visibleColumns().length - 1, col));
    this.reveal(this.active);
  }

  // ── input ───────────────────────────────────────────────────────────────────
  /** @param {MouseEvent} e */
  onClick(e) {
    const t = /** @type {Element} */ (e.target); // a click inside the layer
    const cell = /** @type {HTMLElement | null} */ (t.closest('.grid-cell'));
    const row = /** @type {HTMLElement | null} */ (t.closest('.grid-row'));
    if (!row || !row.dataset.index) return;
    const i = Number(row.dataset.index);
    const c = cell ? Array.prototype.indexOf.call(row.children, cell) : this.activeCol;
    // hook: a selection click (Ctrl/⌘, Shift) is the app's, not a filter
    if (this.cb.onRowClick?.(i, e, this.active)) {
      this.active = i;
      this.activeCol = Math.max(0, c);
      this.render();
      this.root.focus({ preventScroll: true });
      return;
    }
    this.active = i;
    this.activeCol = Math.max(0, c);
    this.render();
    this.root.focus({ preventScroll: true });
    if (t.closest('.v') && cell && cell.dataset.value) {
      const col = this.visibleColumns()[c];
      this.cb.onCellFilter(col.name, cell.dataset.value, e.altKey || e.shiftKey);
    }
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    if (e.target !== this.root) return;
    const m = this.metrics();
    const page = Math.max(1, m.visibleRows - 1);
    const cur = this.active < 0 ? (e.key === 'ArrowDown' || e.key === 'PageDown' ? -1 : 0) : this.active;
    const cols = this.visibleColumns();
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': this.setActive(cur + 1); break;
      case 'ArrowUp': this.setActive(cur - 1); break;
      case 'ArrowRight': this.setActive(Math.max(cur, 0), this.activeCol + 1); break;
      case 'ArrowLeft': this.setActive(Math.max(cur, 0), this.activeCol - 1); break;
      case 'PageDown': this.setActive(cur + page); break;
      case 'PageUp': this.setActive(cur - page); break;
      case 'Home': this.setActive(0, e.ctrlKey ? 0 : this.activeCol); break;
      case 'End': this.setActive(this.count - 1, e.ctrlKey ? cols.length - 1 : this.activeCol); break;
      case 'Enter': if (this.active >= 0) this.cb.onOpen(this.active); else handled = false; break;
      case '=': case '!': {
        const cell = document.getElementById(`${this.uid}-c${this.active}-${this.activeCol}`);
        if (cell && cell.dataset.value) this.cb.onCellFilter(cols[this.activeCol].name, cell.dataset.value, e.key === '!');
        else handled = false;
        break;
      }
      default: handled = !!this.cb.onKey?.(e, this.active, this.count); // hook: the app's keys
    }
    if (handled) e.preventDefault();
  }

  focus() {
    this.root.focus({ preventScroll: true });
    if (this.active < 0 && this.count) this.setActive(0);
  }
}

/**
 * Rows `from`…`from + n` of a window: every per-row array is cut, the rest kept.
 * @param {GridWindow} win @param {number} from @param {number} n
 * @returns {GridWindow}
 */
function sliceWindow(win, from, n) {
  /** @type {Record<string, unknown>} */
  const out = {};
  const rows = win.rows.length;
  for (const [k, v] of Object.entries(win)) out[k] = Array.isArray(v) && v.length === rows ? v.slice(from, from + n) : v;
  return /** @type {GridWindow} */ (out);
}
