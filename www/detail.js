// @ts-check
// The detail panel: every field of one record, decoded and raw, and its original line.
import { el, copyText, localTime } from './util.js';
import { contextDetail } from './context.js';

export class DetailPanel {
  /**
   * @param {HTMLDialogElement} root @param {HTMLElement} body @param {HTMLElement} title @param {HTMLElement} closeBtn
   * @param {{onClose?(): void, copyRecord?(index: number): Promise<boolean>}} cb
   */
  constructor(root, body, title, closeBtn, cb) {
    this.root = root; this.body = body; this.title = title; this.cb = cb;
    closeBtn.addEventListener('click', () => this.close());
    root.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); this.close(); } });
  }

  get open() { return this.root.open; }

  /**
   * @param {import('./pkg/flowlens.js').RowDetail | null | undefined} d
   * @param {{index: number, count: number, local: boolean}} where
   */
  show(d, { index, count, local }) {
    if (!d) return;
    this.title.textContent = `Record ${(index + 1).toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`;
    const loc = d.parquet ? `${d.file}, row ${d.line}` : `${d.file}:${d.line}`;
    const rows = d.fields.map((f) => {
      // times come with their unix seconds: shown in local time without re-parsing
      const display = local && f.secs != null ? `${localTime(f.secs)}  (${f.display})` : f.display;
      return el('tr', null,
        el('th', { scope: 'row', class: 'mono', title: f.about, text: f.name }),
        el('td', { class: 'mono dv', text: display }),
        el('td', { class: 'mono rv', text: f.raw }),
        el('td', { class: 'hv', text: f.hint }));
    });
    this.body.replaceChildren(
      el('div', { class: 'dloc' }, el('span', { class: 'muted', text: 'Source ' }), el('span', { class: 'mono', text: loc })),
      contextDetail(d) || '',
      el('div', { class: 'orig-head' },
        el('span', { class: 'k', text: d.parquet ? 'The record as text (from Parquet)' : 'Original line' }),
        el('span', null,
          el('button', { type: 'button', class: 'btn small', text: 'Copy', onclick: async (/** @type {MouseEvent} */ e) => { /** @type {HTMLElement} */ (e.target).textContent = (await copyText(d.original)) ? 'Copied' : 'Copy failed'; } }),
          this.cb.copyRecord ? el('button', { type: 'button', class: 'btn small', id: 'copy-record', title: 'The original line and every decoded field, as text', text: 'Copy record as text', onclick: async (/** @type {MouseEvent} */ e) => { /** @type {HTMLElement} */ (e.target).textContent = (await /** @type {(i: number) => Promise<boolean>} */ (this.cb.copyRecord)(index)) ? 'Copied record' : 'Copy failed'; } }) : null)),
      el('pre', { class: 'orig mono', text: d.original }),
      el('table', { class: 'dtable' },
        el('thead', null, el('tr', null, el('th', { text: 'Field' }), el('th', { text: 'Decoded' }), el('th', { text: 'Raw' }), el('th', { text: 'Meaning' }))),
        el('tbody', null, ...rows)),
      el('p', { class: 'small muted', text: 'Esc closes · ↑/↓ in the table moves to the next record and Enter shows it.' }),
    );
    if (!this.root.open) this.root.show(); // not modal: the table stays usable beside it
    this.root.focus();
  }

  close() {
    if (!this.root.open) return;
    this.root.close();
    this.cb.onClose?.();
  }
}
