// @ts-check
// Readable flow logs on the page: context files (describe-network-interfaces & co.)
// recognised beside the logs, label badges in cells, the "by resource" facet, the
// "Hide health checks" toggle, the "read" view of sentences and the detail panel's
// labels, health-check verdict and client notes. Everything is computed by the core
// (labels come with the window/detail calls); this module only renders text.
import { el, fmtInt } from './util.js';

/** @typedef {import('./pkg/flowlens.js').Label} Label */
/**
 * A context file's info (the context module's addContext, Table.contextFiles).
 * @typedef {{name: string, kind: string, source: string, items: number, error?: {line: number, reason: string} | null}} ContextFileInfo
 */

/** @type {Record<string, 'src' | 'dst' | 'iface'>} */
const BADGE_FIELDS = { srcaddr: 'src', dstaddr: 'dst', 'interface-id': 'iface', 'pkt-srcaddr': 'src', 'pkt-dstaddr': 'dst' };

/**
 * The context files, listed in the files panel.
 * @param {HTMLElement} box @param {ContextFileInfo[] | null | undefined} files
 */
export function renderContextFiles(box, files) {
  if (!files || !files.length) return;
  box.append(el('p', { class: 'small skipped-head', text: `Context (${files.length} file${files.length === 1 ? '' : 's'}, not flow logs):` }));
  const list = el('ul', { class: 'file-list context-list' });
  for (const f of files) {
    list.append(el('li', null, el('span', { class: 'mono', text: f.name }),
      el('div', { class: `small ${f.error ? 'ctx-error' : 'muted'}`, text: f.error
        ? `${f.source}: not used, line ${f.error.line}: ${f.error.reason}`
        : `context · ${f.source} · ${fmtInt(f.items)} ${itemsWord(f.kind)}` })));
  }
  box.append(list);
}

/** @param {string} kind */
function itemsWord(kind) {
  return /** @type {Record<string, string>} */ ({ 'network-interfaces': 'interfaces', instances: 'instances', 'load-balancers': 'load balancers', 'target-groups': 'target groups', 'ip-ranges': 'prefixes' })[kind] || 'items';
}

/** @param {Label} l */
function labelTitle(l) {
  return `${l.text}\nfrom ${l.source}${l.guess ? `\nguess — ${l.guess}` : ''}`;
}

/**
 * Grid style listener: a badge with the label after addresses and the interface id.
 * @param {HTMLElement} rowEl
 * @param {import('./grid.js').RowMeta} meta
 */
export function decorateRow(rowEl, { columns: cols, window: win, k }) {
  const labels = win.labels?.[k];
  rowEl.classList.toggle('is-hc', !!labels?.hc);
  if (!labels) return;
  for (let c = 0; c < cols.length; c++) {
    const side = BADGE_FIELDS[cols[c].name];
    if (!side) continue;
    const l = labels[side];
    // generic labels (public, private, "VPC address", an interface's own address) add
    // nothing to the scope badge: they are in the detail panel only
    if (!l || l.kind === 'public' || l.kind === 'private' || l.kind === 'vpc') continue;
    if (cols[c].name.startsWith('pkt-')) continue;
    const cell = /** @type {HTMLElement} */ (rowEl.children[c]);
    cell.append(el('span', { class: `lbl lbl-${l.kind}${l.guess ? ' guess' : ''}`, text: l.guess ? `${l.text}?` : l.text, title: labelTitle(l) }));
    cell.title = `${labelTitle(l)}\n${cell.title}`;
  }
}

/**
 * The "by resource" facet: the view's records per interface label.
 * @param {HTMLElement} box @param {import('./table-client.js').Remote} table
 * @param {(clause: string) => void} onFilter @param {() => boolean} [current] false once the facet is stale
 */
export async function renderResourceFacet(box, table, onFilter, current = () => true) {
  /** @type {any[]} */
  let groups;
  try { groups = (await table.byResource(8)) || []; } catch { return; }
  if (!current()) return;
  if (!groups.length || (groups.length === 1 && groups[0].kind === '')) return;
  const sec = el('section', { class: 'facet', id: 'facet-resource' }, el('h3', { text: 'By resource', title: 'interface.label: what each interface is, from the context files' }));
  const list = el('ol', { class: 'facet-list' });
  const max = groups.reduce((a, g) => Math.max(a, g.count), 0) || 1;
  for (const g of groups) {
    const bar = el('span', { class: 'fbar', 'aria-hidden': 'true' });
    bar.style.width = `${(100 * g.count) / max}%`;
    const named = g.kind !== '';
    list.append(el('li', null, el('button', {
      type: 'button', class: 'facet-item', dataset: { label: g.label },
      title: `${g.label}: ${fmtInt(g.count)} records\nClick to filter · Alt/Shift+click to exclude`,
      onclick: (/** @type {MouseEvent} */ e) => onFilter(named ? `interface.label ${e.altKey || e.shiftKey ? '!=' : '='} ${quote(g.label)}`
        : `${e.altKey || e.shiftKey ? '' : 'not '}interface.label ~ ""`),
    }, bar, el('span', { class: 'fk', text: g.label }), el('span', { class: 'fv mono', text: fmtInt(g.count) }))));
  }
  sec.append(list);
  box.prepend(sec);
}

/** @param {string} s */
function quote(s) { return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`; }

/** The "Hide health checks" toggle; `onChange(on)` re-runs the query. */
export class HealthToggle {
  /** @param {HTMLElement} host @param {(on: boolean) => void} onChange */
  constructor(host, onChange) {
    this.on = false;
    this.btn = el('button', { type: 'button', class: 'btn', id: 'hc-btn', 'aria-pressed': 'false', hidden: true,
      title: 'Load-balancer health checks: steady, small connections from a load balancer to its targets' });
    this.btn.addEventListener('click', () => { this.on = !this.on; onChange(this.on); });
    host.append(this.btn);
  }
  /** After each query: `n` health checks among the filtered records. @param {number} n */
  update(n) {
    this.btn.hidden = !n && !this.on;
    this.btn.setAttribute('aria-pressed', this.on ? 'true' : 'false');
    this.btn.textContent = this.on ? `Health checks hidden (${fmtInt(n)}) · show` : `Hide health checks (${fmtInt(n)})`;
  }
}

/** The compact "read" view: one sentence per record, virtual like the grid. */
export class ReadView {
  /** @param {HTMLElement} host @param {(index: number) => void} onOpen */
  constructor(host, onOpen) {
    this.rowH = 22;
    this.root = el('div', { class: 'readview', id: 'readview', tabindex: '0', role: 'list', 'aria-label': 'Records as sentences', hidden: true });
    this.spacer = el('div', { class: 'rv-spacer' });
    this.layer = el('div', { class: 'rv-layer' });
    this.spacer.append(this.layer);
    this.root.append(this.spacer);
    host.append(this.root);
    /** @type {import('./table-client.js').Remote} a Table (remote), or null */
    this.table = null;
    this.count = 0;
    this.root.addEventListener('scroll', () => this.render(), { passive: true });
    const rowOf = (/** @type {MouseEvent} */ e) => /** @type {HTMLElement | null} */ (/** @type {Element} */ (e.target).closest('.rv-row'));
    this.layer.addEventListener('dblclick', (e) => { const r = rowOf(e); if (r) onOpen(Number(r.dataset.index)); });
    this.layer.addEventListener('click', (e) => { const r = rowOf(e); if (r && e.detail === 1) onOpen(Number(r.dataset.index)); });
  }
  get shown() { return !this.root.hidden; }
  /** Shows or hides the view; `render` false when a setSource() follows to give it rows. */
  /** @param {boolean} on @param {boolean} [render] */
  show(on, render = true) { this.root.hidden = !on; if (on && render) this.render(); }
  /** @param {import('./table-client.js').Remote} table @param {number} count */
  setSource(table, count) { this.table = table; this.count = count; this.root.scrollTop = 0; if (this.shown) this.render(); }
  /** Asks the (remote) table for the visible sentences; an answer overtaken by a newer render is dropped. */
  async render() {
    if (!this.table || this.root.hidden) return;
    const seq = (this.seq = (this.seq || 0) + 1);
    const table = this.table;
    const capped = Math.min(this.count * this.rowH, 8_000_000);
    this.spacer.style.height = `${capped}px`;
    const scale = this.count * this.rowH > capped ? (this.count * this.rowH - this.root.clientHeight) / Math.max(1, capped - this.root.clientHeight) : 1;
    const first = Math.min(Math.floor((this.root.scrollTop * scale) / this.rowH), Math.max(0, this.count - 1));
    const n = Math.ceil(this.root.clientHeight / this.rowH) + 1;
    /** @type {{sentences: string[], labels: import('./pkg/flowlens.js').RowLabels[]}} */
    const w = (await table.readWindow(first, n).catch(() => null)) || { sentences: [], labels: [] };
    if (seq !== this.seq || table !== this.table) return;
    this.layer.style.transform = `translateY(${this.root.scrollTop}px)`;
    this.layer.replaceChildren(...w.sentences.map((s, k) => el('div', {
      class: `rv-row mono${w.labels[k]?.hc ? ' is-hc' : ''}${/ REJECTED /.test(s) ? ' is-reject' : ''}`,
      role: 'listitem', dataset: { index: String(first + k) }, text: s, title: s,
    })));
  }
}

/**
 * The detail panel's readable part: sentence, labels, direction, health check, client.
 * @param {import('./pkg/flowlens.js').RowDetail | null | undefined} d
 */
export function contextDetail(d) {
  if (!d || !d.sentence) return null;
  const box = el('div', { class: 'ctx-detail' });
  box.append(el('p', { class: 'sentence mono', text: d.sentence }));
  const dl = el('dl', { class: 'ctx-labels' });
  for (const [k, name] of /** @type {['iface' | 'src' | 'dst', string][]} */ ([['iface', 'Interface'], ['src', 'Source'], ['dst', 'Destination']])) {
    const l = d.labels?.[k];
    if (!l) continue;
    dl.append(el('dt', { text: name }), el('dd', null,
      el('span', { class: `lbl lbl-${l.kind}${l.guess ? ' guess' : ''}`, text: l.text }),
      el('span', { class: 'small muted', text: ` from ${l.source}${l.guess ? ` · guess: ${l.guess}` : ''}` })));
  }
  if (d.direction) dl.append(el('dt', { text: 'Direction' }), el('dd', { text: `${d.direction[0]} (${d.direction[1]})` }));
  if (dl.children.length) box.append(dl);
  box.append(el('p', { class: `hc-verdict ${d.health ? 'yes' : 'no'}`, text: d.health || 'Not a health check: no steady series of small connections between these addresses and port.' }));
  for (const c of d.client || []) box.append(el('p', { class: 'client-note small', text: c }));
  return box;
}

/**
 * Makes room for the label badges in address and interface columns (after autosize).
 * @param {{name: string, width: number}[]} cols
 * @param {{labels?: import('./pkg/flowlens.js').RowLabels[]} | null | undefined} sample a window
 */
export function widenForLabels(cols, sample) {
  if (!sample?.labels?.length) return;
  for (const c of cols) {
    const side = BADGE_FIELDS[c.name];
    if (!side || c.name.startsWith('pkt-')) continue;
    let longest = 0;
    for (const l of sample.labels) {
      const x = l[side];
      if (x && x.kind !== 'public' && x.kind !== 'private' && x.kind !== 'vpc') longest = Math.max(longest, x.text.length + (x.guess ? 1 : 0));
    }
    if (longest) c.width = Math.min(560, c.width + Math.round(longest * 6.2 + 20));
  }
}
