// @ts-check
// The view (filter, sort, columns, time window, time zone) in the URL fragment, so a
// link reproduces the view for someone with the same files. Never holds data.
//   #f=<filter>&s=<sort>&c=<visible columns>&t=<from>..<to>&tz=local

// Links come from strangers: every part is checked, and what is refused is listed in
// `problems` (shown calmly) instead of breaking the page. The filter and sort texts are
// checked by the Rust core when applied (errors with positions, no recursion limit hit).
export const TIME_MIN = 100000000;    // 1973-03-03T09:46:40Z, as the decoder accepts
export const TIME_MAX = 4102444800;  // 2100-01-01T00:00:00Z
export const MAX_LINK_TEXT = 256 * 1024; // longest filter or sort taken from a link
const MAX_SORT_KEYS = 16;

/**
 * @typedef {{filter: string, sort: string, columns: string[] | null, time: [number, number] | null, local: boolean, problems: string[]}} ViewState
 */

/**
 * The view a URL fragment holds, with what was refused in `problems`.
 * @param {string} [hash]
 * @returns {ViewState}
 */
export function readState(hash = location.hash) {
  /** @type {string[]} */
  const problems = [];
  let p;
  try { p = new URLSearchParams(String(hash).replace(/^#/, '')); } catch { p = new URLSearchParams(); problems.push('the link could not be read'); }
  const text = (/** @type {string} */ key, /** @type {string} */ what) => {
    const v = p.get(key) || '';
    if (v.length <= MAX_LINK_TEXT) return v;
    problems.push(`its ${what} is ${v.length.toLocaleString('en-US')} characters long (at most ${MAX_LINK_TEXT.toLocaleString('en-US')})`);
    return '';
  };
  /** @type {ViewState} */
  const st = { filter: text('f', 'filter'), sort: text('s', 'sort'), columns: null, time: null, local: p.get('tz') === 'local', problems };
  const sortKeys = st.sort.split(',').filter((s) => s.trim());
  if (sortKeys.length > MAX_SORT_KEYS) {
    problems.push(`its sort has ${sortKeys.length} keys (at most ${MAX_SORT_KEYS})`);
    st.sort = '';
  }
  if (p.has('c')) {
    const cols = (p.get('c') || '').split(',').map((s) => s.trim()).filter((s) => /^[@A-Za-z0-9_-]{1,40}$/.test(s));
    st.columns = cols.length ? cols.slice(0, 200) : null;
  }
  const t = p.get('t');
  if (t) {
    const m = t.match(/^(\d{1,12})\.\.(\d{1,12})$/);
    const a = m ? Number(m[1]) : NaN, b = m ? Number(m[2]) : NaN;
    if (m && a < b && a >= TIME_MIN && b <= TIME_MAX) st.time = [a, b];
    else problems.push(`its time window '${t.slice(0, 40)}' is not two unix times from 1973-03-03 to 2100, earliest first`);
  }
  return st;
}

/** @param {Omit<ViewState, 'problems'>} st */
export function stateHash(st) {
  const p = new URLSearchParams();
  if (st.filter) p.set('f', st.filter);
  if (st.sort) p.set('s', st.sort);
  if (st.columns) p.set('c', st.columns.join(','));
  if (st.time) p.set('t', `${st.time[0]}..${st.time[1]}`);
  if (st.local) p.set('tz', 'local');
  const s = p.toString().replace(/\+/g, '%20');
  return s ? `#${s}` : '';
}

/** Puts the view in the URL (replaceState fires no hashchange). */
/** @param {Omit<ViewState, 'problems'>} st */
export function writeState(st) {
  const h = stateHash(st);
  if (h === (location.hash === '#' ? '' : location.hash)) return;
  history.replaceState(null, '', h || location.pathname + location.search);
}
