// @ts-check
// The filter bar: live (debounced) filtering, the error position marked inline,
// a help popover with examples, and a history of recent filters.
import { el } from './util.js';
import { wireMenu, openMenu, isOpen } from './menus.js';

const EXAMPLES = [
  ['action = REJECT', 'rejected traffic'],
  ['dstport in (22, 3389) and action = REJECT', 'blocked SSH / RDP'],
  ['srcaddr in 10.0.0.0/8 and not dstaddr in 10.0.0.0/8', 'private → outside'],
  ['addr = 10.0.5.179', 'either address'],
  ['port in 1024..65535', 'either port in a range'],
  ['protocol = UDP and dstport = 53', 'DNS'],
  ['bytes > 1.5MB', 'big flows (KB, MB, GB)'],
  ['tcp-flags has SYN and not tcp-flags has ACK', 'bare SYNs'],
  ['log-status != OK', 'NODATA / SKIPDATA records'],
  ['interface-id ~ eni-0a', 'text contains'],
  ['pkt-dst-aws-service exists', 'field has a value'],
  ['time >= 2025-11-26T10:00:00Z', 'after a time (UTC)'],
  ['duration > 300', 'flows longer than 5 minutes'],
  ['(action = REJECT or log-status = NODATA) and vpc-id ~ 0a1b', 'and / or / not / ( )'],
  ['not healthcheck', 'leave out load-balancer health checks'],
  ['interface.type = elb', 'by resource type (with context files)'],
  ['srcaddr.label ~ web', 'by name (labels)'],
];

const HISTORY_KEY = 'flowlens.filterHistory';
// Every page opened from file:// shares one localStorage, so filter history (which can
// name addresses and accounts) is kept there only when the page is served from an origin
// of its own; from disk it lives for the session only.
const PERSIST_HISTORY = typeof location !== 'undefined' && location.protocol !== 'file:';
const HISTORY_MAX = 20;

/**
 * @typedef {{input: HTMLInputElement, mirror: HTMLElement, errorBox: HTMLElement, helpBtn: HTMLElement,
 *   helpPop: HTMLElement, historyBtn: HTMLElement, historyMenu: HTMLElement}} FilterBarEls
 * @typedef {{onChange(text: string): void, delay?(): number, onEscape?(): void}} FilterBarHooks
 * @typedef {{message: string, start: number, end: number, text?: string}} FilterError `text`: the filter text it was marked in
 */

export class FilterBar {
  /** @param {FilterBarEls} els @param {FilterBarHooks} cb */
  constructor(els, cb) {
    this.els = els;
    this.cb = cb; // {onChange(text), delay(): ms}
    this.timer = 0;
    this.history = loadHistory();
    /** @type {FilterError | null} */
    this.error = null;
    const { input } = els;
    input.addEventListener('input', () => {
      this.syncMirror();
      clearTimeout(this.timer);
      const d = cb.delay ? cb.delay() : 120;
      if (d <= 0) this.fire(); else this.timer = setTimeout(() => this.fire(), d);
    });
    input.addEventListener('scroll', () => this.syncScroll());
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        clearTimeout(this.timer);
        this.fire();
        this.remember(input.value);
        e.preventDefault();
      } else if (e.key === 'Escape') {
        if (isOpen(els.historyMenu) || isOpen(els.helpPop)) { this.closeMenus(); e.stopPropagation(); }
        else { this.remember(input.value); cb.onEscape?.(); }
        e.preventDefault();
      } else if (e.key === 'ArrowDown' && e.altKey) {
        this.openHistory();
        e.preventDefault();
      }
    });
    input.addEventListener('blur', () => this.remember(input.value));
    wireMenu(els.helpBtn, els.helpPop, { build: () => this.buildHelp() });
    wireMenu(els.historyBtn, els.historyMenu, { build: () => this.buildHistory() });
  }

  get value() { return this.els.input.value; }

  fire() {
    this.cb.onChange(this.els.input.value);
  }

  /** Sets the text (from a click, a facet, the URL) and applies it at once. */
  /** @param {string} text @param {{apply?: boolean, remember?: boolean}} [opts] */
  setText(text, { apply = true, remember = true } = {}) {
    this.els.input.value = text;
    this.syncMirror();
    if (remember) this.remember(text);
    if (apply) { clearTimeout(this.timer); this.fire(); }
  }

  /** Appends a clause with `and` (replacing nothing). */
  /** @param {string} clause */
  addClause(clause) {
    this.setText(withClause(this.els.input.value, clause));
  }

  /** err: null or {message, start, end} with UTF-16 offsets into the filter text (as setQuery gives them). */
  /** @param {FilterError | null} err */
  showError(err) {
    const { input, errorBox } = this.els;
    this.error = err;
    if (!err) {
      input.removeAttribute('aria-invalid');
      errorBox.hidden = true;
      errorBox.replaceChildren();
    } else {
      input.setAttribute('aria-invalid', 'true');
      const [s, e] = clampRange(input.value, err.start, err.end);
      const col = s + 1;
      errorBox.replaceChildren(
        el('span', { class: 'err-icon', 'aria-hidden': 'true', text: '⚠' }),
        el('span', { class: 'err-msg', text: err.message }),
        el('span', { class: 'err-pos muted', text: ` (at column ${col}${e > s + 1 ? `–${e}` : ''})` }),
      );
      errorBox.hidden = false;
    }
    this.syncMirror();
  }

  syncMirror() {
    const { mirror, input } = this.els;
    const text = input.value;
    mirror.replaceChildren();
    if (this.error && this.error.text !== undefined && this.error.text !== text) this.error = null;
    if (this.error) {
      const [s, e] = clampRange(text, this.error.start, this.error.end);
      this.error.text = text;
      const bad = text.slice(s, e);
      mirror.append(
        el('span', { class: 'pre', text: text.slice(0, s) }),
        el('span', { class: bad.trim() ? 'bad' : 'bad at-end', text: bad || ' ' }),
        el('span', { class: 'post', text: text.slice(e) }),
      );
    }
    this.syncScroll();
  }

  syncScroll() {
    this.els.mirror.scrollLeft = this.els.input.scrollLeft;
  }

  /** @param {string} text */
  remember(text) {
    text = text.trim();
    if (!text || (this.error && this.error.text === this.els.input.value)) return;
    this.history = [text, ...this.history.filter((h) => h !== text)].slice(0, HISTORY_MAX);
    if (PERSIST_HISTORY) try { localStorage.setItem(HISTORY_KEY, JSON.stringify(this.history)); } catch { /* storage off */ }
  }

  closeMenus() {
    for (const pop of [this.els.helpPop, this.els.historyMenu]) if (isOpen(pop)) pop.hidePopover();
  }

  openHistory() {
    openMenu(this.els.historyMenu);
  }

  buildHistory() {
    const m = this.els.historyMenu;
    m.replaceChildren();
    if (!this.history.length) {
      m.append(el('div', { class: 'menu-empty', text: 'No recent filters yet. Filters you apply are kept here (in this browser only).' }));
      return;
    }
    for (const h of this.history) {
      m.append(el('button', {
        type: 'button', role: 'menuitem', text: h, title: h,
        onclick: () => { this.closeMenus(); this.setText(h); this.els.input.focus(); },
      }));
    }
    m.append(el('hr'), el('button', {
      type: 'button', role: 'menuitem', class: 'muted', text: 'Clear history',
      onclick: () => { this.history = []; try { localStorage.removeItem(HISTORY_KEY); } catch { /* */ } this.closeMenus(); },
    }));
  }

  buildHelp() {
    const p = this.els.helpPop;
    if (p.childElementCount) return;
    const list = el('div', { class: 'help-examples' });
    for (const [ex, what] of EXAMPLES) {
      list.append(el('button', {
        type: 'button', class: 'help-ex', title: 'Use this filter',
        onclick: () => { this.closeMenus(); this.setText(ex); this.els.input.focus(); },
      }, el('code', { text: ex }), el('span', { class: 'muted', text: what })));
    }
    p.append(
      el('h3', { text: 'Filter syntax' }),
      el('p', { class: 'small', text: 'field op value with = != < <= > >=; field in (a, b); in a CIDR (10.0.0.0/8) or a range (1024..65535); ~ contains; has (tcp-flags); exists; and / or / not / parentheses. Pseudo-fields: addr, port (either side), time, duration. A bare word matches any text field. Field names as in AWS (dstport, log-status), underscored or camelCase (dstPort).' }),
      list,
      el('p', { class: 'small muted', text: 'Click a cell value to add field = value; Alt/Shift+click excludes it. In the table, = and ! do the same for the active cell. Press / to focus the filter, Enter to keep it in history.' }),
    );
    p.addEventListener('keydown', (e) => { if (e.key === 'Escape') { this.closeMenus(); this.els.helpBtn.focus(); } });
  }
}

/** @returns {string[]} */
function loadHistory() {
  if (!PERSIST_HISTORY) return [];
  try {
    const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
    return Array.isArray(h) ? h.filter((x) => typeof x === 'string').slice(0, HISTORY_MAX) : [];
  } catch {
    return [];
  }
}

/**
 * `cur and clause`, with `cur` in parentheses when it has a bare `or`.
 * @param {string} cur @param {string} clause
 */
export function withClause(cur, clause) {
  cur = cur.trim();
  if (!cur) return clause;
  if (/\bor\b/i.test(cur) && !/^\(.*\)$/.test(cur)) return `(${cur}) and ${clause}`;
  return `${cur} and ${clause}`;
}

/**
 * Converts the engine's UTF-8 byte offsets to string (UTF-16) indexes.
 * @param {string} text @param {number | null | undefined} start @param {number | null | undefined} end
 * @returns {[number, number]}
 */
export function charRange(text, start, end) {
  const enc = new TextEncoder();
  const toChar = (/** @type {number} */ b) => {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      if (bytes >= b) return i;
      const cp = /** @type {number} */ (text.codePointAt(i)); // i < text.length
      bytes += enc.encode(String.fromCodePoint(cp)).length;
      if (cp > 0xffff) i++;
    }
    return text.length;
  };
  const s = toChar(Math.max(0, start || 0));
  const e = Math.max(s, toChar(Math.max(start || 0, end || 0)));
  return [s, e];
}

/**
 * Clamps the engine's UTF-16 offsets (what setQuery gives) to the text: [start, end].
 * @param {string} text @param {number} start @param {number} end
 * @returns {[number, number]}
 */
function clampRange(text, start, end) {
  const at = (/** @type {number} */ n) => Math.min(text.length, Math.max(0, n || 0));
  const s = at(start);
  return [s, Math.max(s, at(end))];
}
