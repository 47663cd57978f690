// @ts-check
// The page's end of the table worker (worker.js): requests by message, answers as
// promises. A wasm object living in the worker (the Table, a ReportDraft, the Decoder
// while it decodes) is a `remote` here: every method call on it is a message and
// returns a promise of the worker's answer, e.g. `await table.summary(true)`.
//
// A trap inside the worker's wasm module poisons that instance: every pending and later
// call fails with {trap: true} and `onTrap` is told once; `restart()` starts a fresh
// worker (the page then decodes its inputs again).
import { wireSource, memoryStopMessage, DEFAULT_MEMORY_BUDGET, RESERVE_SHARE } from './ingest.js';
import { errorText, throttledProgress, trustedScriptUrl } from './util.js';
import { decodeSplit, splitThreshold } from './split-decode.js';

// The worker script's URL. The single-file build (scripts/inline.mjs) replaces the
// marked expression with the Blob URL of the bundled worker and its wasm.
const WORKER_URL = String(new URL('./worker.js', import.meta.url) /* worker */);
// The bundled worker is a classic script (file:// pages cannot start module workers
// from Blob URLs); the served one is the ES module worker.js.
const WORKER_TYPE = WORKER_URL.startsWith('blob:') ? 'classic' : 'module';

// The page requires Trusted Types for scripts: the worker's URL goes through a policy
// that lets that one URL through and nothing else (trustedScriptUrl).
function spawnWorker() {
  return new Worker(trustedScriptUrl('flowlens-worker', WORKER_URL), { type: WORKER_TYPE });
}

/** An error from the worker; `trap` when its wasm instance broke. */
export class WorkerError extends Error {
  /** @param {string} message @param {boolean} trap */
  constructor(message, trap) {
    super(message);
    this.name = trap ? 'RuntimeError' : 'Error';
    this.trap = trap;
  }
}

/**
 * A wasm object in the worker, as a Proxy (see remote()): any method name posts a call
 * and returns a promise of the answer, so its shape is the class's (untyped here).
 * @typedef {any} Remote
 */

/**
 * @typedef {{format?: string, budget?: number, signal?: AbortSignal, onProgress?(p: any): void, onPreview?(dec: any, rowCount: number): void, workers?: number, keepFor?: number}} DecodeRequest
 */

export class TableClient {
  /** @param {{onTrap?(error: WorkerError): void}} [hooks] */
  constructor({ onTrap } = {}) {
    this.onTrap = onTrap || (() => {});
    this.worker = null;
    /** @type {Map<number, {resolve(value: any): void, reject(e: unknown): void}>} */
    this.pending = new Map(); // id -> {resolve, reject}
    /** @type {Map<number, {onProgress?(p: any): void, onPreview?(dec: Remote, rowCount: number): void}>} */
    this.decodes = new Map(); // decode id -> {onProgress, onPreview}
    this.nextId = 1;
    /** @type {{version: string, reportLimits: any, catalogue: import('./pkg/flowlens.js').Catalogue} | null} */
    this.info = null;         // {version, reportLimits}
    /** @type {WorkerError | null} */
    this.trapped = null;
    /** @type {TableClient[]} */
    this.pool = [];           // decode workers (TableClients) of a parallel decode, kept for the next
    /** @type {Promise<unknown> | null} */
    this.starting = null;     // the promise of start() while this (pool) worker starts
  }

  /**
   * How many decode workers a parallel decode uses: one per core, leaving one for the
   * page (and the query worker, which only merges meanwhile); `?workers=N` in the URL
   * sets it (the benchmark compares 1 and 2).
   */
  static poolSize() {
    const q = Number(new URLSearchParams(globalThis.location?.search || '').get('workers'));
    if (q >= 1) return Math.min(16, Math.floor(q));
    return Math.max(1, (globalThis.navigator?.hardwareConcurrency || 2) - 1);
  }

  /**
   * How many decode workers one large file is split across: the pool of a decode of
   * several files (`?workers=N`, else one per core but one). On this project's 2-core
   * machine that is one, so a file is not split there unless `?workers=2`: measured
   * under load there, two workers splitting the 1M-record file were no faster than one
   * worker decoding it (README, Performance).
   */
  static splitPoolSize() {
    return TableClient.poolSize();
  }

  /**
   * Labels below this many rows are built in the table worker itself rather than in a
   * labelling worker: measured on a 200,000-row table (2026-12-02, two runs each), the
   * labels came 0.30 s after the table was shown when built in the table worker (which
   * answered nothing meanwhile) and 0.56 s after when built aside (the worker's start and
   * the context module's compilation); above about 250,000 rows the table worker would
   * be held for half a second or more. `?labels-aside=N` in the URL sets it (the tests
   * use 1).
   */
  static labelAsideRows() {
    const q = new URLSearchParams(globalThis.location?.search || '').get('labels-aside');
    if (q !== null && q !== '' && Number(q) >= 0) return Math.floor(Number(q));
    return 250_000;
  }

  /** A fresh worker, answering this client. */
  attach() {
    this.trapped = null;
    const w = spawnWorker();
    this.worker = w;
    w.onmessage = (ev) => this.receive(w, ev.data);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      this.failAll(w, new WorkerError(`the table worker failed: ${ev.message || 'could not start'}`, false));
    };
  }

  /** Starts the worker and its wasm module; resolves to {version, reportLimits}. */
  async start() {
    this.attach();
    /** @type {NonNullable<TableClient['info']>} */
    const info = await this.request({ op: 'init' });
    this.info = info;
    return info;
  }

  /** Ends the current worker (and every object in it) and starts a fresh one. */
  async restart() {
    const old = this.worker;
    this.worker = null;
    old?.terminate();
    for (const p of this.pool.splice(0)) p.worker?.terminate();
    this.failAll(old, new WorkerError('the table worker was restarted', false));
    return this.start();
  }

  /** @param {Worker | null} w @param {WorkerError} err */
  failAll(w, err) {
    if (w !== this.worker && this.worker) return;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.decodes.clear();
  }

  /** @param {Worker} w @param {any} m a message of the worker (worker.js) */
  receive(w, m) {
    if (w !== this.worker) return; // an answer from a worker that was replaced
    if (m.op === 'progress') { this.decodes.get(m.decode)?.onProgress?.(m.p); return; }
    if (m.op === 'preview') { this.decodes.get(m.decode)?.onPreview?.(this.remote(m.decoder), m.rowCount); return; }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) { p.resolve(this.revive(m.value)); return; }
    const err = new WorkerError(m.error.message, m.error.trap);
    p.reject(err);
    if (err.trap && !this.trapped) {
      this.trapped = err;
      this.onTrap(err);
    }
  }

  /** How many calls wait for an answer (a running decode is not counted). */
  callsPending() {
    let n = 0;
    for (const id of this.pending.keys()) if (!this.decodes.has(id)) n++;
    return n;
  }

  /**
   * {__remote: handle} (top level or one level down) → a remote object.
   * @param {any} v a worker's answer (structured clone)
   * @returns {any}
   */
  revive(v) {
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      if (typeof v.__remote === 'number') return this.remote(v.__remote);
      if (!Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (x && typeof x.__remote === 'number') v[k] = this.remote(x.__remote);
    }
    return v;
  }

  /**
   * @param {Record<string, unknown>} msg a request (worker.js lists them)
   * @param {Transferable[]} [transfer]
   * @returns {Promise<any>} the worker's answer (structured clone, remotes revived)
   */
  request(msg, transfer = []) {
    if (this.trapped) return Promise.reject(this.trapped);
    if (!this.worker) return Promise.reject(new WorkerError('the table worker is not running', false));
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /**
   * A wasm object in the worker: `obj.method(...args)` posts a call and returns a
   * promise; `obj.free()` releases it. Not thenable (awaiting it gives it back).
   * @param {number} handle
   * @returns {Remote}
   */
  remote(handle) {
    const client = this;
    const worker = this.worker;
    return new Proxy({ handle }, {
      get(target, name) {
        if (name === 'then' || typeof name === 'symbol') return undefined;
        if (name === 'handle') return handle;
        if (name === 'free') {
          return () => (client.worker === worker ? client.request({ op: 'free', handle }).catch(() => {}) : Promise.resolve());
        }
        return (/** @type {unknown[]} */ ...args) => (client.worker === worker
          ? client.request({ op: 'call', handle, method: name, args })
          : Promise.reject(new WorkerError('this data belongs to a table worker that was restarted', false)));
      },
    });
  }

  /**
   * Builds the labels and health-check verdicts of `table` (a remote Table without them)
   * in a worker of their own, so that the table worker answers queries meanwhile
   * (labelling takes about 2 s per million rows in wasm). The table worker hands over
   * the columns labelling reads (annotationInput, about 26 bytes a row, transferred); a fresh
   * worker loads the context module alone, labels them and is ended (its memory, which
   * labelling grows, with it); the labels go back to the table (setAnnotations). A call
   * that needs labels meanwhile waits for them in the table worker; if the labelling
   * worker fails, the table worker labels the table itself on the next such call.
   * Resolves once the table has its labels, or they could not be built aside.
   * @param {Remote} table
   */
  async labelAside(table) {
    /** @type {Uint8Array | null} */
    const input = await this.request({ op: 'label-begin', handle: table.handle });
    if (!input) return; // labelled already
    /** @type {Uint8Array | null} */
    let labels = null;
    const helper = new TableClient();
    try {
      helper.attach();
      labels = await helper.request({ op: 'label', input }, [input.buffer]);
    } catch {
      // no labels from it: the table worker builds them on the next call that needs them (callLabelled)
    } finally {
      helper.worker?.terminate();
    }
    await this.request({ op: 'label-end', handle: table.handle, bytes: labels }, labels ? [labels.buffer] : []);
  }

  /**
   * The view of `table` (a remote Table) as Athena SQL or a Logs Insights query
   * (`kind`: 'athena' or 'insights'): `{ok, text}`. The translation module is loaded in
   * the worker, never on the page.
   * @param {Remote} table @param {string} kind 'athena' or 'insights'
   * @returns {Promise<{ok: boolean, text: string}>}
   */
  translate(table, kind) {
    return this.request({ op: 'translate', handle: table.handle, kind });
  }

  /**
   * Decodes `sources` in the worker. Resolves to {table (remote), rowCount, errorCount,
   * stopped, message, ms, read, total} (see decode.js). Callbacks: onProgress(p),
   * onPreview(decoder remote, rowCount). `signal` aborts (Cancel). Several files with a
   * pool of two or more workers decode in parallel (decodeParallel).
   * @param {any[]} sources
   * @param {DecodeRequest} [opts]
   */
  async decode(sources, opts = {}) {
    const workers = opts.workers ?? TableClient.poolSize();
    if (sources.length >= 2 && workers >= 2) return this.decodeParallel(sources, { ...opts, workers });
    const split = splitThreshold();
    const splitWorkers = opts.workers ?? TableClient.splitPoolSize();
    if (sources.length === 1 && split > 0 && sources[0].size >= split && splitWorkers >= 2) {
      const { format = '', budget = DEFAULT_MEMORY_BUDGET } = opts;
      await this.request({ op: 'check-format', format }); // a bad format fails here, as in one worker
      const result = await decodeSplit(this, await this.poolOf(splitWorkers), sources[0], { ...opts, format, budget });
      if (result) return result;
    }
    return this.decodeOne(sources, opts);
  }

  /** @param {any[]} sources @param {DecodeRequest} opts */
  decodeOne(sources, opts) {
    const { format = '', budget, signal, onProgress, onPreview } = opts;
    const id = this.nextId; // the id request() gives this message
    this.decodes.set(id, { onProgress, onPreview });
    const cancel = () => this.worker?.postMessage({ op: 'cancel', decode: id });
    signal?.addEventListener('abort', cancel, { once: true });
    return this.request({ op: 'decode', sources: sources.map(wireSource), format, budget })
      .finally(() => { this.decodes.delete(id); signal?.removeEventListener('abort', cancel); });
  }

  /**
   * One file in a pool worker: {bytes | context, stopped, message, read, …}.
   * @param {import('./ingest.js').Source} source @param {DecodeRequest} opts
   */
  decodeFile(source, { format, budget, onProgress, keepFor }) {
    return this.poolJob({ op: 'decode-file', source: wireSource(source), format, budget, keepFor }, onProgress);
  }

  /**
   * A decode request to this (pool) worker: {done: the answer, cancel()}.
   * @param {Record<string, unknown>} msg @param {((p: any) => void) | undefined} onProgress
   * @returns {{done: Promise<any>, cancel(): void}}
   */
  poolJob(msg, onProgress) {
    const id = this.nextId; // the id request() gives this message
    this.decodes.set(id, { onProgress });
    const cancel = () => this.worker?.postMessage({ op: 'cancel', decode: id });
    const done = this.request(msg).finally(() => this.decodes.delete(id));
    return { done, cancel };
  }

  /**
   * Bytes `start`..`end` of one large plain-text file in a pool worker, begun from
   * `from` (PartStart bytes; null for the file's first part): {done, cancel}; done
   * resolves to {bytes, partEnd, stopped, message, read, records, errors} or
   * {unsplittable: true} (see split-decode.js).
   * @param {import('./ingest.js').Source} source @param {number} start @param {number} end
   * @param {Uint8Array | null} from @param {DecodeRequest} opts
   */
  decodePart(source, start, end, from, { format, budget, onProgress }) {
    return this.poolJob({ op: 'decode-part', source: wireSource(source), start, end, from, format, budget }, onProgress);
  }

  /** Starts the decode pool ahead of its first use (each worker compiles the wasm once). */
  warmPool() {
    const n = TableClient.poolSize();
    if (n >= 2) this.poolOf(n).catch(() => { /* started again on first use */ });
  }

  /**
   * A decode worker's wasm memory never shrinks: one that grew past 64 MB (it decoded a
   * big file) is ended, to start afresh on next use, rather than hold that memory idle.
   * @param {TableClient[]} used
   */
  trimPool(used) {
    for (const p of used) {
      p.request({ op: 'memory' }).then((/** @type {number} */ bytes) => {
        if (bytes > 64 * 1024 * 1024 && this.pool.includes(p) && !p.pending.size) { // idle: not taken by a newer decode
          p.worker?.terminate();
          this.pool.splice(this.pool.indexOf(p), 1);
        }
      }, () => {});
    }
  }

  /**
   * The pool's first `n` workers, started (a trapped one is replaced). A worker still
   * starting (warmPool) is waited for: its wasm answers nothing before its init.
   * @param {number} n
   */
  async poolOf(n) {
    while (this.pool.length < n) this.pool.push(new TableClient({ onTrap: () => {} }));
    await Promise.all(this.pool.slice(0, n).map((p) => {
      if (!p.worker) p.starting = p.start();
      else if (p.trapped) p.starting = p.restart();
      return p.starting;
    }));
    return this.pool.slice(0, n);
  }

  /**
   * Parallel decode: each file decodes in this (query) worker or a pool worker into its
   * own table, which a pool worker sends back as bytes; each is appended, in file
   * order, to a Merger in the query worker
   * (rows, lines and errors kept, dictionaries merged: Table::append). Context files go
   * to the Merger whole. A stop (Cancel, the memory budget, an error) keeps the files
   * before it and what the stopped file decoded, as a one-worker decode does.
   */
  /** @param {any[]} sources @param {DecodeRequest} opts */
  async decodeParallel(sources, { format = '', budget = DEFAULT_MEMORY_BUDGET, signal, onProgress, onPreview, workers = 2 }) {
    const t0 = performance.now();
    const total = sources.reduce((a, s) => a + s.size, 0);
    await this.request({ op: 'check-format', format }); // a bad format fails here, as in one worker
    // The query worker is one of the decoders: it would otherwise only merge, idle
    // between appends, while each pool worker takes a core of its own. So `workers`
    // decoders are this worker and workers - 1 pool workers; the tables of its own
    // files stay in it (merge-kept, no bytes) and are appended in file order with the
    // pool's.
    const pool = await this.poolOf(Math.min(workers, sources.length) - 1);
    const decoders = [this, ...pool];
    const merger = await this.request({ op: 'merge-begin' });
    /** @type {Map<number, {cancel(): void, p: any}>} */
    const live = new Map(); // file index -> {cancel, p: progress so far (a progress message)}
    /** @type {any[]} the pool workers' answers (structured clones; see decodeFile) */
    const results = new Array(sources.length);
    /** @type {string | null} 'cancel', 'memory' or 'error' */
    let stopped = null;
    let message = '';
    let next = 0;        // next file to hand out
    let merged = 0;      // files appended so far (in order)
    let ended = false;   // a file stopped the decode: nothing after it is appended
    let expected = false; // Merger.expectRest called
    let read = 0;        // bytes of the files appended
    let counts = { records: 0, errors: 0 };
    let lastPreview = -Infinity;
    const progress = throttledProgress(onProgress, total, t0, () => {
      let r = read, records = counts.records, errors = counts.errors;
      for (const { p } of live.values()) { r += p.read || 0; records += p.records || 0; errors += p.errors || 0; }
      for (let i = merged; i < results.length; i++) if (results[i] && !results[i].failed) { r += results[i].read || 0; records += results[i].records || 0; errors += results[i].errors || 0; }
      return { read: r, records, errors };
    });
    const stopAll = () => { for (const l of live.values()) l.cancel(); };
    const onAbort = () => { if (!stopped) { stopped = 'cancel'; stopAll(); } };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();

    // Appends the finished files that come next in order.
    let flushing = Promise.resolve();
    const flush = () => (flushing = flushing.then(async () => {
      while (!ended && merged < sources.length && results[merged]) {
        const r = results[merged];
        if (r.failed) { stopped = stopped || 'error'; message = message || r.failed; ended = true; break; }
        if (r.context) {
          await this.request({ op: 'merge-context', handle: merger.handle, source: wireSource(sources[merged]) });
        } else if (r.kept) {
          await this.request({ op: 'merge-kept', handle: merger.handle, kept: r.kept });
        } else if (r.bytes) {
          await this.request({ op: 'call', handle: merger.handle, method: 'append', args: [r.bytes] }, [r.bytes.buffer]);
          r.bytes = null;
        }
        read += r.read || (r.context ? sources[merged].size : 0);
        counts = { records: counts.records + (r.records || 0), errors: counts.errors + (r.errors || 0) };
        merged++;
        // after the first file of records: the merged columns reserved once for the
        // rest at its rows per byte, not doubled file by file (see Merger.expectRest)
        if (!expected && !r.context && read < total) {
          expected = true;
          await merger.expectRest(read, total, budget * RESERVE_SHARE);
        }
        if (r.stopped) { // the first stopped file ends the decode there
          stopped = r.stopped === 'cancel' && stopped === null ? 'cancel' : (stopped || r.stopped);
          if (r.stopped === 'memory') message = memoryStopMessage(read, total, budget);
          else message = message || r.message;
          stopAll();
          ended = true;
          break;
        }
        if (!stopped && await merger.heapBytes() > budget) {
          stopped = 'memory';
          message = memoryStopMessage(read, total, budget);
          stopAll();
          ended = true;
          break;
        }
        // first rows as soon as the first file is in, then at most every 400 ms
        const now = performance.now();
        if (onPreview && now - lastPreview > 400) {
          const rows = await merger.rowCount();
          if (rows > 0) { lastPreview = now; onPreview(merger, rows); }
        }
      }
    }));

    // Each pool worker takes the next file until none is left or the decode stopped.
    const run = async (/** @type {TableClient} */ pw) => {
      while (!stopped && next < sources.length) {
        const i = next++;
        // this worker's own files stay in it for the merge (keepFor), no bytes between
        const keepFor = pw === this ? merger.handle : undefined;
        const job = pw.decodeFile(sources[i], { format, budget, keepFor, onProgress: (/** @type {any} */ p) => { const l = live.get(i); if (l) l.p = p; progress(false); } });
        live.set(i, { cancel: job.cancel, p: {} });
        try {
          results[i] = await job.done;
        } catch (e) {
          results[i] = { failed: `Decoding stopped in ${sources[i].name}: ${errorText(e)}.` };
          if (/** @type {any} */ (e)?.trap) { stopped = stopped || 'error'; stopAll(); }
        }
        live.delete(i);
        progress(false);
        flush(); // appends in the query worker while this worker takes the next file
      }
    };
    try {
      await Promise.all(decoders.map(run));
      await flush();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    progress(true);
    this.trimPool(pool);
    const table = await this.request({ op: 'merge-finish', handle: merger.handle }); // labelled there
    merger.free();
    const [rowCount, errorCount] = await Promise.all([table.rowCount(), table.errorCount()]);
    if (stopped === 'error' && !message) message = 'Decoding stopped: a decode worker failed.';
    return { table, rowCount, errorCount, stopped, message: message || '', ms: performance.now() - t0, read, total, workers: decoders.length };
  }
}
