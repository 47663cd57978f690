// The page's end of the table worker (worker.js): requests by message, answers as
// promises. A wasm object living in the worker (the Table, a ReportDraft, the Decoder
// while it decodes) is a `remote` here: every method call on it is a message and
// returns a promise of the worker's answer, e.g. `await table.summary(true)`.
//
// A trap inside the worker's wasm module poisons that instance: every pending and later
// call fails with {trap: true} and `onTrap` is told once; `restart()` starts a fresh
// worker (the page then decodes its inputs again).
import { wireSource } from './ingest.js';

// The worker script's URL. The single-file build (scripts/inline.mjs) replaces the
// marked expression with the Blob URL of the bundled worker and its wasm.
const WORKER_URL = String(new URL('./worker.js', import.meta.url) /* worker */);
// The bundled worker is a classic script (file:// pages cannot start module workers
// from Blob URLs); the served one is the ES module worker.js.
const WORKER_TYPE = WORKER_URL.startsWith('blob:') ? 'classic' : 'module';

// The page requires Trusted Types for scripts: the worker's URL goes through a policy
// that lets that one URL through and nothing else.
const workerPolicy = globalThis.trustedTypes?.createPolicy('flowlens-worker', {
  createScriptURL: (url) => {
    if (url !== WORKER_URL) throw new TypeError(`not the flowlens worker: ${url}`);
    return url;
  },
});

function spawnWorker() {
  return new Worker(workerPolicy ? workerPolicy.createScriptURL(WORKER_URL) : WORKER_URL, { type: WORKER_TYPE });
}

/** An error from the worker; `trap` when its wasm instance broke. */
export class WorkerError extends Error {
  constructor(message, trap) {
    super(message);
    this.name = trap ? 'RuntimeError' : 'Error';
    this.trap = trap;
  }
}

export class TableClient {
  /** @param {{onTrap(error)}} hooks */
  constructor({ onTrap } = {}) {
    this.onTrap = onTrap || (() => {});
    this.worker = null;
    this.pending = new Map(); // id -> {resolve, reject}
    this.decodes = new Map(); // decode id -> {onProgress, onPreview}
    this.nextId = 1;
    this.info = null;         // {version, reportLimits}
    this.trapped = null;
  }

  /** Starts the worker and its wasm module; resolves to {version, reportLimits}. */
  async start() {
    this.trapped = null;
    const w = spawnWorker();
    this.worker = w;
    w.onmessage = (ev) => this.receive(w, ev.data);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      this.failAll(w, new WorkerError(`the table worker failed: ${ev.message || 'could not start'}`, false));
    };
    this.info = await this.request({ op: 'init' });
    return this.info;
  }

  /** Ends the current worker (and every object in it) and starts a fresh one. */
  async restart() {
    const old = this.worker;
    this.worker = null;
    old?.terminate();
    this.failAll(old, new WorkerError('the table worker was restarted', false));
    return this.start();
  }

  failAll(w, err) {
    if (w !== this.worker && this.worker) return;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.decodes.clear();
  }

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

  /** {__remote: handle} (top level or one level down) → a remote object. */
  revive(v) {
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      if (typeof v.__remote === 'number') return this.remote(v.__remote);
      if (!Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (x && typeof x.__remote === 'number') v[k] = this.remote(x.__remote);
    }
    return v;
  }

  request(msg, transfer = []) {
    if (this.trapped) return Promise.reject(this.trapped);
    if (!this.worker) return Promise.reject(new WorkerError('the table worker is not running', false));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /**
   * A wasm object in the worker: `obj.method(...args)` posts a call and returns a
   * promise; `obj.free()` releases it. Not thenable (awaiting it gives it back).
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
        return (...args) => (client.worker === worker
          ? client.request({ op: 'call', handle, method: name, args })
          : Promise.reject(new WorkerError('this data belongs to a table worker that was restarted', false)));
      },
    });
  }

  /**
   * Decodes `sources` in the worker. Resolves to {table (remote), rowCount, errorCount,
   * stopped, message, ms, read, total} (see decode.js). Callbacks: onProgress(p),
   * onPreview(decoder remote, rowCount). `signal` aborts (Cancel).
   */
  decode(sources, { format = '', budget, signal, onProgress, onPreview } = {}) {
    const id = this.nextId; // the id request() gives this message
    this.decodes.set(id, { onProgress, onPreview });
    const cancel = () => this.worker?.postMessage({ op: 'cancel', decode: id });
    signal?.addEventListener('abort', cancel, { once: true });
    return this.request({ op: 'decode', sources: sources.map(wireSource), format, budget })
      .finally(() => { this.decodes.delete(id); signal?.removeEventListener('abort', cancel); });
  }
}
