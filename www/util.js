// @ts-check
// Small DOM and formatting helpers. Data is only ever placed with textContent.

/**
 * What a caught error says: its message (or, with none, its name), else the value as
 * text — for catch clauses, whose value may be anything.
 * @param {unknown} e
 */
export function errorText(e) {
  if (e && typeof e === 'object') {
    const { message, name } = /** @type {{message?: unknown, name?: unknown}} */ (e);
    if (message || name) return String(message || name);
  }
  return String(e);
}

/**
 * A new element: `props` sets `class`, `text`, `dataset`, `on<event>` listeners,
 * non-string properties, else attributes (`true` as an empty one); null and false
 * props and children are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [props] values of any kind, by key (see above)
 * @param {...(Node | string | number | boolean | null | undefined)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k in e && typeof v !== 'string') /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (e))[k] = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const nf = new Intl.NumberFormat('en-US');
export const fmtInt = (/** @type {number | bigint} */ n) => nf.format(n);

/** @param {number} n */
export function fmtBytes(n) {
  if (!Number.isFinite(n)) return '-';
  const u = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (Math.abs(n) >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${u[i]}`;
}

/** @param {number} n */
export function fmtMiB(n) {
  return `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
}

/** @param {number} secs */
export function fmtDuration(secs) {
  if (!Number.isFinite(secs)) return '-';
  secs = Math.round(secs);
  if (secs < 60) return `${secs}s`;
  const d = Math.floor(secs / 86400), h = Math.floor((secs % 86400) / 3600);
  const m = Math.floor((secs % 3600) / 60), s = secs % 60;
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  return s ? `${m}m ${s}s` : `${m}m`;
}

export const isoUtc = (/** @type {number} */ unixSecs) => new Date(unixSecs * 1000).toISOString().replace('.000Z', 'Z');

const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
/**
 * ISO-like local time with the UTC offset: 2025-11-26 01:00:02 +01:00
 * @param {number} unixSecs
 */
export function localTime(unixSecs, withOffset = true) {
  const d = new Date(unixSecs * 1000);
  let s = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (withOffset) {
    const off = -d.getTimezoneOffset();
    s += ` ${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  }
  return s;
}

/** @param {number} unixSecs @param {boolean} [local] */
export function fmtTime(unixSecs, local) {
  return local ? localTime(unixSecs) : isoUtc(unixSecs);
}

/**
 * A filter literal for a display value: bare when it is a simple token, else quoted.
 * @param {string} v
 */
export function quoteValue(v) {
  if (/^[A-Za-z0-9_.:/@+-]+$/.test(v) && !/^(and|or|not|in|has|exists)$/i.test(v)) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `fn` called `ms` (or `ms()`) milliseconds after the last call, with its arguments;
 * `.cancel()` drops a pending call.
 * @template {unknown[]} A
 * @param {(...a: A) => void} fn
 * @param {number | (() => number)} ms
 */
export function debounce(fn, ms) {
  let t = 0;
  const d = (/** @type {A} */ ...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), typeof ms === 'function' ? ms() : ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** Resolves on the next macrotask without the 4 ms setTimeout clamp. */
/** @type {MessageChannel | null} */
let chan = null; // made on first use: a listening port would keep Node (unit tests) alive
/** @type {(() => void)[]} */
const waiting = [];
export function yieldToEventLoop() {
  if (!chan) {
    chan = new MessageChannel();
    chan.port1.onmessage = () => { const r = waiting.shift(); if (r) r(); };
  }
  const c = chan;
  return new Promise((r) => { waiting.push(() => r(undefined)); c.port2.postMessage(0); });
}

/**
 * Resolves after the next frame is drawn (or 100 ms, where frames are not drawn: a
 * hidden tab), so that DOM work done after it lays out in a frame of its own instead
 * of adding to one long frame.
 * @returns {Promise<void>}
 */
export function afterNextFrame() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); resolve(); }, 0));
  });
}

/** @param {BlobPart} bytes @param {string} name @param {string} type */
export function downloadBytes(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** @param {string} text */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = el('textarea', { class: 'offscreen' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

/**
 * Progress of a decode spread over workers: the returned `report(force)` calls
 * `onProgress` at most every 100 ms (always when forced) with the sums `tally()` gives
 * ({read, records, errors}), `read` at most `total`.
 * @param {((p: {read: number, total: number, records: number, errors: number, ms: number}) => void) | null | undefined} onProgress
 * @param {number} total
 * @param {number} t0 a performance.now() time
 * @param {() => {read: number, records: number, errors: number}} tally
 * @returns {(force?: boolean) => void}
 */
export function throttledProgress(onProgress, total, t0, tally) {
  let lastUi = 0;
  return (force) => {
    const now = performance.now();
    if (!force && now - lastUi < 100) return;
    lastUi = now;
    const { read, records, errors } = tally();
    onProgress?.({ read: Math.min(read, total), total, records, errors, ms: now - t0 });
  };
}

/** @type {Map<string, {createScriptURL(url: string): any}>} */
const scriptUrlPolicies = new Map();

/**
 * `url` as a script URL the page's Trusted Types requirement lets a Worker start from
 * (the page requires Trusted Types for scripts, and a worker inherits that): through a
 * policy named `name` that admits that one URL and nothing else; the string itself where
 * Trusted Types is not enforced or not supported. (Trusted Types is not in TypeScript's
 * DOM lib: the policy's TrustedScriptURL is `any`, which Worker takes for its URL.)
 * @param {string} name @param {string} url
 * @returns {any}
 */
export function trustedScriptUrl(name, url) {
  const api = /** @type {any} */ (globalThis).trustedTypes;
  if (!api) return url;
  let policy = scriptUrlPolicies.get(name);
  if (!policy) {
    policy = /** @type {{createScriptURL(url: string): any}} */ (api.createPolicy(name, {
      createScriptURL: (/** @type {string} */ u) => {
        if (u !== url) throw new TypeError(`not the ${name} script: ${u}`);
        return u;
      },
    }));
    scriptUrlPolicies.set(name, policy);
  }
  return policy.createScriptURL(url);
}
