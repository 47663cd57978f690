// @ts-check
// One large plain-text file decoded by the whole decode pool (table-client.js decides
// when): the file is cut after a `\n` into parts (Blob.slice); the first part decodes
// alone and fixes the container and the binding, exactly as a decode of the whole file
// would; the other parts then decode at once in the pool workers, each assuming the
// state the first part ended in (a PartStart, see src/carry.rs). In the query worker a
// Merger joins them in order (Merger.appendPart: rows, errors and lines moved down, one
// file entry) after checking each assumption against the part before it
// (Merger.splitHolds); a part whose assumption was wrong — a header inside the part
// before changed the binding, say — is decoded again from the right state, so the
// table is never other than the one a single decode gives. The rules are the Rust
// core's (src/parts.rs `Splice`); this module only runs the parts.
import { memoryStopMessage, RESERVE_SHARE } from './ingest.js';
import { errorText, throttledProgress } from './util.js';

/** A file at least this big is split (when the pool has two workers or more). */
export const SPLIT_MIN_BYTES = 16 * 1024 * 1024;
/** The first part: enough lines to fix the binding, small enough to show rows early. */
const FIRST_PART = 4 * 1024 * 1024;
/** How far past a cut a newline is looked for, a slice at a time. */
const SEEK = 64 * 1024;

/**
 * The split threshold in bytes (0: never split): `?split=N` in the page's URL sets it
 * (`?split=0` turns splitting off; the tests compare the two), else SPLIT_MIN_BYTES.
 */
export function splitThreshold() {
  const q = new URLSearchParams(globalThis.location?.search || '').get('split');
  if (q !== null && q !== '' && Number(q) >= 0) return Math.floor(Number(q));
  return SPLIT_MIN_BYTES;
}

/**
 * The position just after the first `\n` at or after `pos`, or -1 when there is none.
 * @param {{size: number, slice(a: number, b: number): Promise<Uint8Array>}} src
 * @param {number} pos
 */
async function newlineAfter(src, pos) {
  for (let at = pos; at < src.size; at += SEEK) {
    const bytes = await src.slice(at, Math.min(src.size, at + SEEK));
    const i = bytes.indexOf(10);
    if (i >= 0) return at + i + 1;
  }
  return -1;
}

/**
 * The parts of `src`: a first part of about `first` bytes, then `parts - 1` equal ones,
 * each ending just after a `\n` (as src/parts.rs `line_cuts`). [{start, end}].
 * @param {{size: number, slice(a: number, b: number): Promise<Uint8Array>}} src
 * @param {number} first @param {number} parts
 */
export async function lineParts(src, first, parts) {
  /** @type {number[]} */
  const cuts = [];
  const step = Math.floor((src.size - first) / Math.max(1, parts - 1));
  let last = 0;
  for (let k = 0; k < parts - 1; k++) {
    const nominal = Math.max(1, first + step * k);
    if (nominal <= last) continue; // inside the part before (its last line is long)
    const cut = await newlineAfter(src, nominal - 1);
    if (cut < 0 || cut >= src.size) break;
    if (cut > last) { cuts.push(cut); last = cut; }
  }
  /** @type {{start: number, end: number}[]} */
  const out = [];
  let start = 0;
  for (const c of [...cuts, src.size]) { out.push({ start, end: c }); start = c; }
  return out;
}

/**
 * Decodes the one large source `src` in parts across `pool` (TableClients of decode
 * workers), merged in `client`'s query worker. Resolves to the result of
 * TableClient.decode, with `parts` (how many) and `redone` (parts decoded again), or to
 * null when the file is not one to split (gzip, Parquet, a context file, a shape other
 * than plain lines): the caller then decodes it in one worker.
 * @param {import('./table-client.js').TableClient} client
 * @param {import('./table-client.js').TableClient[]} pool
 * @param {import('./ingest.js').Source} src
 * @param {import('./table-client.js').DecodeRequest} opts
 */
export async function decodeSplit(client, pool, src, { format = '', budget = 0, signal, onProgress, onPreview }) {
  const t0 = performance.now();
  const total = src.size;
  const parts = await lineParts(src, Math.min(FIRST_PART, Math.floor(total / 8)), 1 + 3 * pool.length);
  if (parts.length < 2) return null;
  /** @type {Map<number, {cancel(): void, p: any}>} */
  const live = new Map(); // part index -> {cancel, p: progress so far (a worker's progress message)}
  let read = 0;           // bytes of the parts appended
  const counted = { records: 0, errors: 0 }; // records and bad lines of the parts appended
  const progress = throttledProgress(onProgress, total, t0, () => {
    let r = read, records = counted.records, errors = counted.errors;
    for (const { p } of live.values()) { r += p.read || 0; records += p.records || 0; errors += p.errors || 0; }
    return { read: r, records, errors };
  });
  /** @type {string | null} 'cancel', 'memory' or 'error' */
  let stopped = null;
  let message = '';
  const stopAll = () => { for (const l of live.values()) l.cancel(); };
  const onAbort = () => { if (!stopped) { stopped = 'cancel'; stopAll(); } };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  /**
   * Part `i` decoded in pool worker `pw` from `from` (PartStart bytes; null: the first).
   * Resolves to the worker's answer (see TableClient.decodePart), or {failed}.
   * @param {import('./table-client.js').TableClient} pw @param {number} i @param {Uint8Array | null} from
   * @returns {Promise<any>} a structured-clone answer of the worker
   */
  const decodePart = async (pw, i, from, end = parts[i].end) => {
    const job = pw.decodePart(src, parts[i].start, end, from, {
      format,
      budget,
      onProgress: (/** @type {any} */ p) => { const l = live.get(i); if (l) l.p = p; progress(false); },
    });
    live.set(i, { cancel: job.cancel, p: {} });
    try {
      return await job.done;
    } catch (e) {
      if (/** @type {any} */ (e)?.trap) { stopped = stopped || 'error'; stopAll(); }
      return { failed: `Decoding stopped in ${src.name}: ${errorText(e)}.` };
    } finally {
      live.delete(i);
    }
  };

  /** @type {any} */
  let merger;
  let redone = 0;
  try {
    const first = await decodePart(pool[0], 0, null);
    if (first.unsplittable) return null;
    if (first.failed) { stopped = 'error'; message = first.failed; }
    merger = await client.request({ op: 'merge-begin' });
    if (first.bytes) {
      await client.request({ op: 'call', handle: merger.handle, method: 'append', args: [first.bytes] }, [first.bytes.buffer]);
    }
    const assumed = first.stopped || first.failed ? null : await merger.splitBegin(src.name, first.partEnd);
    if (!stopped && !first.stopped && !assumed) { // no state to carry: the file in one go
      merger.free();
      return null;
    }
    read += first.read || 0;
    // the merged columns reserved once for the rest of the file at the first part's
    // rows per byte, not doubled part by part (see Merger.expectRest)
    if (!first.stopped && !first.failed) await merger.expectRest(read, total, budget * RESERVE_SHARE);
    counted.records += first.records || 0;
    counted.errors += first.errors || 0;
    if (first.stopped) {
      stopped = first.stopped;
      message = first.stopped === 'memory' ? memoryStopMessage(read, total, budget) : first.message;
    }
    const rows = await merger.rowCount();
    if (onPreview && rows > 0) onPreview(merger, rows);

    // The other parts, decoded ahead from `assumed` by whichever worker is free.
    const results = new Array(parts.length).fill(null).map(() => {
      let resolve = (/** @type {any} */ _) => {}; // a part's answer (see decodePart), or null
      const promise = new Promise((r) => { resolve = r; });
      return { promise, resolve };
    });
    let next = 1;
    const run = async (/** @type {import('./table-client.js').TableClient} */ pw) => {
      while (!stopped && next < parts.length) {
        const i = next++;
        results[i].resolve(await decodePart(pw, i, assumed));
      }
      for (let k = next; k < parts.length; k++) results[k].resolve(null); // never started
    };
    const runners = stopped ? [] : pool.map(run);
    let lastPreview = performance.now();
    for (let i = 1; i < parts.length && !stopped; i++) {
      let r = await results[i].promise;
      if (!r) break;
      if (r.failed) { stopped = 'error'; message = r.failed; break; }
      if (!(await merger.splitHolds(r.partEnd))) {
        if (stopped) break;
        redone++;
        r = await decodePart(pool[i % pool.length], i, await merger.splitStart());
        if (r.failed) { stopped = 'error'; message = r.failed; break; }
      }
      const last = i === parts.length - 1 || !!r.stopped;
      let rest = await client.request({ op: 'call', handle: merger.handle, method: 'appendPart', args: [r.bytes, r.partEnd, last] }, [r.bytes.buffer]);
      if (rest) {
        // the part ended in a state that cannot be carried: the rest of the file as one part
        for (let k = i + 1; k < parts.length; k++) results[k].resolve(null);
        next = parts.length;
        stopAll();
        redone++;
        r = await decodePart(pool[0], i, rest, total);
        if (r.failed) { stopped = 'error'; message = r.failed; break; }
        rest = await client.request({ op: 'call', handle: merger.handle, method: 'appendPart', args: [r.bytes, r.partEnd, true] }, [r.bytes.buffer]);
        i = parts.length;
      }
      read += r.read || 0;
      counted.records += r.records || 0;
      counted.errors += r.errors || 0;
      progress(false);
      if (r.stopped && !stopped) {
        stopped = r.stopped;
        message = r.stopped === 'memory' ? memoryStopMessage(read, total, budget) : r.message;
      }
      if (!stopped && await merger.heapBytes() > budget) {
        stopped = 'memory';
        message = memoryStopMessage(read, total, budget);
      }
      if (stopped) { stopAll(); break; }
      const now = performance.now();
      if (onPreview && now - lastPreview > 400) {
        lastPreview = now;
        onPreview(merger, await merger.rowCount());
      }
    }
    next = parts.length; // nothing more is handed out
    stopAll();
    for (const r of results) r.resolve(null);
    await Promise.all(runners);
    await merger.splitFlush(); // lines still waiting for their field count's binding
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  progress(true);
  client.trimPool(pool);
  const table = await client.request({ op: 'merge-finish', handle: merger.handle });
  merger.free();
  const [rowCount, errorCount] = await Promise.all([table.rowCount(), table.errorCount()]);
  if (stopped === 'error' && !message) message = 'Decoding stopped: a decode worker failed.';
  return { table, rowCount, errorCount, stopped, message: message || '', ms: performance.now() - t0, read, total, workers: pool.length, parts: parts.length, redone };
}

