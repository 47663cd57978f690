// @ts-check
// Rows the user selected in the grid (Ctrl/⌘+click, Shift+click, Ctrl/⌘+A), by view
// index, for "Copy rows as Markdown table". App-level state: the grid styles rows
// through a style listener (style) and hands over, through its hooks, the clicks and
// keys it does not use itself. A new view (filter, sort, data) clears the selection, since view
// indices then point at other records.
export class Selection {
  constructor(onChange = () => {}) {
    /** @type {Set<number>} */
    this.rows = new Set();
    this.anchor = -1; // where a Shift range starts
    this.all = 0;     // > 0: every row of a view of this many rows (Ctrl+A), not listed
    this.onChange = onChange;
  }

  get size() { return this.all || this.rows.size; }

  /** @param {number} i */
  has(i) { return this.all ? i < this.all : this.rows.has(i); }

  clear() {
    if (!this.size && this.anchor < 0) return;
    this.rows.clear(); this.all = 0; this.anchor = -1;
    this.onChange();
  }

  /** Ctrl/⌘+click: adds or removes one row; it becomes the anchor of a Shift range. */
  /** @param {number} i */
  toggle(i) {
    this.expand();
    if (this.rows.has(i)) this.rows.delete(i); else this.rows.add(i);
    this.anchor = i;
    this.onChange();
  }

  /** Shift+click: the rows from the anchor (or the active row) to `i`, added. */
  /** @param {number} i @param {number} from */
  extend(i, from) {
    this.expand();
    const a = this.anchor >= 0 ? this.anchor : Math.max(0, from);
    for (let k = Math.min(a, i); k <= Math.max(a, i); k++) this.rows.add(k);
    this.anchor = a;
    this.onChange();
  }

  /** Ctrl/⌘+A: every row of a view of `count` rows. */
  /** @param {number} count */
  selectAll(count) {
    this.rows.clear(); this.all = count; this.anchor = -1;
    this.onChange();
  }

  /** The selected view indices in view order, at most `limit`. */
  /** @param {number} limit */
  indices(limit) {
    if (this.all) return Array.from({ length: Math.min(this.all, limit) }, (_, k) => k);
    return [...this.rows].sort((a, b) => a - b).slice(0, limit);
  }

  // a Ctrl+A selection turned into a list before one row is changed (a view that big
  // is not listed: beyond 100,000 rows only the first ones are kept)
  expand() {
    if (!this.all) return;
    const n = Math.min(this.all, 100000);
    this.all = 0;
    for (let k = 0; k < n; k++) this.rows.add(k);
  }

  /** A grid style listener: the row's `selected` class and, while rows are selected, its aria-selected. */
  /** @param {HTMLElement} r @param {number} i */
  style(r, i) {
    const on = this.has(i);
    r.classList.toggle('selected', on);
    if (this.size) r.setAttribute('aria-selected', on ? 'true' : 'false');
  }

  /**
   * Grid hooks: a click (true when it was a selection click) and a key (true when
   * handled). Shift+click on a value keeps its meaning (exclude the value from the
   * filter); elsewhere on a row it selects a range.
   * @param {number} i @param {MouseEvent} e @param {number} active
   */
  click(i, e, active) {
    if (e.ctrlKey || e.metaKey) {
      if (e.shiftKey) this.extend(i, active); else this.toggle(i);
      return true;
    }
    if (e.shiftKey && !/** @type {Element} */ (e.target).closest('.v')) { this.extend(i, active); return true; }
    return false;
  }

  /** @param {KeyboardEvent} e @param {number} active @param {number} count */
  key(e, active, count) {
    if ((e.ctrlKey || e.metaKey) && (e.key === 'a' || e.key === 'A')) { this.selectAll(count); return true; }
    if (e.key === ' ' && active >= 0) { this.toggle(active); return true; }
    if (e.key === 'Escape' && this.size) { this.clear(); return true; }
    return false;
  }
}
