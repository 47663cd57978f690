// The view (filter, sort, columns, time window, time zone) in the URL fragment, so a
// link reproduces the view for someone with the same files. Never holds data.
//   #f=<filter>&s=<sort>&c=<visible columns>&t=<from>..<to>&tz=local

export function readState(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const st = { filter: p.get('f') || '', sort: p.get('s') || '', columns: null, time: null, local: p.get('tz') === 'local' };
  if (p.has('c')) st.columns = p.get('c').split(',').map((s) => s.trim()).filter(Boolean);
  const t = p.get('t');
  if (t) {
    const m = t.match(/^(\d+)\.\.(\d+)$/);
    if (m && Number(m[1]) < Number(m[2])) st.time = [Number(m[1]), Number(m[2])];
  }
  return st;
}

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

let lastWritten = null;
export function writeState(st) {
  const h = stateHash(st);
  if (h === (location.hash === '#' ? '' : location.hash)) return;
  lastWritten = h;
  history.replaceState(null, '', h || location.pathname + location.search);
}

/** True when a hashchange came from outside (a pasted link), not from writeState. */
export function isExternalChange() {
  const h = location.hash === '#' ? '' : location.hash;
  return h !== lastWritten;
}
