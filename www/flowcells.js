// @ts-check
// How flow-log values look in the generic grid (grid.js): the cell renderer (action
// glyphs, status tags, address-scope badges, hints beside ports, local times, durations)
// and the row style listener (rejected rows, NODATA/SKIPDATA rows with the reason in
// their first empty cell). What a value means comes from the core: `window()` gives the
// number behind times and durations and each row's state; the catalogue says which
// hints go beside the value and what badge an address scope gets.
import { el, localTime, fmtDuration } from './util.js';
import { catalogue, hintBeside } from './catalogue.js';

/** @typedef {import('./grid.js').CellMeta} CellMeta @typedef {import('./grid.js').CellLook} CellLook @typedef {import('./grid.js').RowMeta} RowMeta */

/**
 * The cell renderer; `local()` says whether times are shown in local time.
 * @param {() => boolean} local
 * @returns {(meta: CellMeta) => CellLook}
 */
export function flowCellRenderer(local) {
  /** @type {Map<string, string> | null} */
  let badges = null; // read on first use: the catalogue comes once the module has started
  return (meta) => {
    badges ||= new Map(catalogue().scopes.map((s) => [s.name, s.badge]));
    const { column: col, text, hint, secs } = meta;
    if (meta.isNull) return {};
    /** @type {CellLook} */
    const look = {};
    if (col.kind === 'time' && local() && secs != null) {
      look.text = localTime(secs, false);
      look.title = `${text} (UTC)${hint ? `\n${hint}` : ''}`;
    } else if (col.kind === 'duration' && secs != null) {
      look.text = fmtDuration(secs);
    }
    if (col.kind === 'address' && badges.has(hint)) {
      look.after = [el('span', { class: `aux scope scope-${hint}`, text: badges.get(hint) })];
      look.title = `${hint} address`;
    } else if (hintBeside(col.name) && hint && hint !== text) {
      look.after = [el('span', { class: 'aux', text: hint })];
    }
    return look;
  };
}

/**
 * Classes of the `action` and `log-status` cells, from the row state the core gives.
 * @param {HTMLElement} row
 * @param {RowMeta} meta
 */
export function styleFlowRow(row, meta) {
  const state = meta.window.states?.[meta.k] || {};
  row.classList.toggle('is-reject', state.action === 'reject');
  row.classList.toggle('is-nodata', state.status === 'nodata' || state.status === 'skipdata');
  let explained = !state.note;
  meta.columns.forEach((col, c) => {
    const cell = /** @type {HTMLElement} */ (row.children[c]);
    const v = cell.querySelector('.v');
    if (cell.classList.contains('null')) {
      // say why a NODATA/SKIPDATA row is empty, in its first empty cell
      if (!explained && v) { explained = true; v.textContent = state.note; v.classList.add('why'); }
      return;
    }
    if (col.name === 'action' && v) {
      v.classList.add(state.action || 'other');
      if (state.action) {
        const ok = state.action === 'accept';
        cell.prepend(el('span', { class: `glyph ${ok ? 'ok' : 'bad'}`, 'aria-hidden': 'true', text: ok ? '✓' : '✕' }));
      }
    } else if (col.name === 'log-status' && v && state.status && state.status !== 'ok') {
      v.classList.add('tag', `st-${state.status}`);
    }
  });
}

/** Header text: time columns say their time zone. */
export function columnLabel(/** @type {{name: string, kind: string}} */ col, /** @type {boolean} */ local) {
  return col.kind === 'time' ? `${col.name} ${local ? '(local)' : '(UTC)'}` : col.name;
}

// Room (in characters) kept for the hint shown beside a value (a port's service name, a
// path's label): a look, not flow-log knowledge — which fields show a hint beside them
// comes from the catalogue (`hint_beside`).
/** @type {Record<string, number>} */
const HINT_ROOM = { srcport: 8, dstport: 8, 'traffic-path': 14, 'encryption-status': 14 };

/**
 * Widths from the header and the first rows' text, in monospace character units, with
 * room for the badges and hints that flowCellRenderer adds.
 * @param {{name: string, kind: string, width: number}[]} columns
 * @param {import('./grid.js').GridWindow} sample a window of the first rows, in `names` order
 * @param {string[]} names
 * @param {number} charW
 */
export function autosizeColumns(columns, sample, names, charW) {
  const idx = new Map(names.map((f, i) => [f, i]));
  for (const c of columns) {
    let chars = c.name.length + (c.kind === 'time' ? 7 : 0) + 2;
    const j = idx.get(c.name);
    if (j != null) {
      for (const r of sample.rows) {
        const text = r[j] || '';
        let len = text.length;
        if (c.kind === 'address') len += 6;
        if (c.name === 'action') len += 2;
        len += HINT_ROOM[c.name] || 0;
        chars = Math.max(chars, len);
      }
    }
    if (c.kind === 'duration') chars = Math.max(chars, 8);
    if (c.kind === 'time') chars = Math.max(chars, 21);
    if (c.kind === 'address') chars = Math.min(chars, 32);
    c.width = Math.round(Math.min(340, Math.max(46, chars * charW + 18)));
  }
}
