// @ts-check
// Getting data in: files, folders (drag and drop of directory trees), paste. A source
// keeps what it was made from (`file` or `bytes`), which is what is posted to the table
// worker (see table-client.js); its readers (chunks, slice) run in the worker, where
// decode.js streams it into the wasm Decoder. No DOM use at module level: the worker
// imports this module too.
import { fmtMiB, errorText, trustedScriptUrl } from './util.js';

const FIRST_CHUNK = 256 * 1024;       // small first slice: first rows show quickly
const CHUNK = 4 * 1024 * 1024;
const READ_AHEAD = 3;                // slices being read at once (chunks())
export const DEFAULT_MEMORY_BUDGET = 1.5e9;
/** The share of the memory budget columns may be reserved for ahead (the rest is the
 * margin for dictionaries and pending lines): `Decoder.expectFileBytes`, `Merger.expectRest`. */
export const RESERVE_SHARE = 0.8;

/** @param {number} b bytes */
function budgetText(b) {
  if (b >= 1e9) return `${(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
  return `${Math.max(1, Math.round(b / 1e3))} KB`;
}

/**
 * Why a decode stopped at the memory budget (the same words for one worker or a pool).
 * @param {number} read @param {number} total @param {number} budget bytes
 */
export function memoryStopMessage(read, total, budget) {
  return `Stopped after ${fmtMiB(read)} of ${fmtMiB(total)}: the decoded table reached ` +
    `the memory budget of ${budgetText(budget)}${budget >= DEFAULT_MEMORY_BUDGET ? ', about as much as a browser tab can hold' : ''}. ` +
    'Showing the records decoded so far; filter the input files to see the rest.';
}

/**
 * A source: what it was made from (`file` or `bytes`), random access (`slice`) and a
 * sequential read (`chunks`); `fromReport` marks the data a saved report carries.
 * @typedef {{name: string, size: number, file?: Blob, bytes?: Uint8Array,
 *   slice(start: number, end: number): Promise<Uint8Array>,
 *   chunks(): AsyncGenerator<Uint8Array, void, unknown>, fromReport?: boolean}} Source
 */
/** What wireSource posts to the worker for a source. @typedef {{name: string, file?: Blob, bytes?: Uint8Array}} WireSource */
/** A file left out, and why. @typedef {{name: string, reason: string}} Skipped */

/**
 * A source reading a File, or a Blob (a part of a file, from sliceSource, which always
 * gives the name).
 * @param {Blob} file
 * @param {string} [name]
 * @returns {Source}
 */
export function fileSource(file, name) {
  // a Blob has no webkitRelativePath or name: read only when `name` is not given, for a File
  const f = /** @type {File} */ (file);
  return {
    name: name || f.webkitRelativePath || f.name,
    size: file.size,
    file,
    // random access, for Parquet (footer first, then row groups)
    async slice(/** @type {number} */ start, /** @type {number} */ end) { return new Uint8Array(await file.slice(start, end).arrayBuffer()); },
    chunks() { return file.size >= READER_WORKER_MIN ? workerChunks(file) : sliceChunks(file); },
  };
}

/**
 * Reads a Blob in slices on this thread: READ_AHEAD slices are being read while the
 * current one is decoded. Chromium reads a Blob slice in about 20 ms per 4 MB here,
 * mostly latency, and with one slice in flight a 1M-record drop waited about 0.35 s for
 * its data (one slice at a time read 113 MB in 0.5-0.7 s; three at a time in 0.3-0.45 s).
 * @param {Blob} file
 * @returns {AsyncGenerator<Uint8Array, void, unknown>}
 */
async function* sliceChunks(file, from = 0) {
  let requested = from;
  /** @type {Promise<ArrayBuffer>[]} */
  const pending = [];
  const request = () => {
    const end = Math.min(file.size, requested + (requested === 0 ? FIRST_CHUNK : CHUNK));
    pending.push(file.slice(requested, end).arrayBuffer());
    requested = end;
  };
  // the first, small slice alone: read beside two 4 MB ones it came ~0.1-0.2 s later,
  // and it is what the first rows wait for
  if (file.size > from) request();
  while (pending.length) {
    const buf = await /** @type {Promise<ArrayBuffer>} */ (pending.shift());
    while (pending.length < READ_AHEAD && requested < file.size) request();
    yield new Uint8Array(buf);
  }
}

/**
 * The reader worker's whole program (started from a Blob URL of its source text, so the
 * hosted page and the single file start it the same way): reads the posted Blob from
 * `from` in slices of `chunk` bytes, up to `ahead` of them at once, and transfers each
 * slice's buffer to the worker that started it, in order. It reads ahead
 * at most `ahead` slices beyond those taken (`{take: 1}` per slice), so a slow decoder
 * holds at most that much of the file in memory.
 */
function readerWorkerMain() {
  let outstanding = 0;
  /** @type {null | (() => void)} */
  let wake = null;
  self.onmessage = (e) => {
    const m = e.data;
    if (m.take) {
      outstanding -= m.take;
      if (wake) { const w = wake; wake = null; w(); }
      return;
    }
    read(m).catch((err) => self.postMessage({ error: String((err && err.message) || err) }));
  };
  /** @param {{file: Blob, from: number, chunk: number, ahead: number}} m */
  async function read({ file, from, chunk, ahead }) {
    /** @type {Promise<ArrayBuffer>[]} */
    const pending = [];
    let requested = from;
    for (;;) {
      while (outstanding < ahead && requested < file.size) {
        const end = Math.min(file.size, requested + chunk);
        pending.push(file.slice(requested, end).arrayBuffer());
        requested = end;
        outstanding += 1;
      }
      if (!pending.length) {
        if (requested >= file.size) break;
        await new Promise((r) => { wake = () => r(undefined); });
        continue;
      }
      const buf = await /** @type {Promise<ArrayBuffer>} */ (pending.shift());
      self.postMessage({ buf }, { transfer: [buf] });
    }
    self.postMessage({ done: true });
  }
}

/** Files at least this large are read by a reader worker (workerChunks). */
const READER_WORKER_MIN = 32 * 1024 * 1024;
/** @type {string | null} */
let readerUrl = null;

/**
 * Reads a large Blob in a reader worker of its own, which transfers the slices here.
 * Why: reading a Blob slice costs the thread that asked for it about as much time
 * again as decoding it (Chromium copies the slice's bytes into the ArrayBuffer on that
 * thread, in many small tasks between the decoder's chunks); in the reader worker that
 * work runs on another core while this thread decodes. A file under READER_WORKER_MIN,
 * or a browser that cannot start the worker (no nested workers, or a CSP without
 * `worker-src blob:`), reads on this thread instead (sliceChunks), from where the
 * reader stopped.
 * @param {Blob} file
 * @returns {AsyncGenerator<Uint8Array, void, unknown>}
 */
async function* workerChunks(file) {
  /** @type {Worker} */
  let worker;
  try {
    if (typeof Worker !== 'function') throw new Error('no Worker here');
    readerUrl ||= URL.createObjectURL(new Blob([`(${readerWorkerMain})()`], { type: 'text/javascript' }));
    // (the page's Trusted Types requirement holds in workers too)
    worker = new Worker(trustedScriptUrl('flowlens-reader', readerUrl), { name: 'flowlens-reader' });
  } catch {
    yield* sliceChunks(file);
    return;
  }
  /** @type {Uint8Array[]} */
  const ready = [];
  let done = false;
  let failed = /** @type {string | null} */ (null);
  let broken = false; // the worker could not start or died: read the rest here
  /** @type {null | (() => void)} */
  let wake = null;
  const poke = () => { if (wake) { const w = wake; wake = null; w(); } };
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.buf) ready.push(new Uint8Array(m.buf));
    else if (m.done) done = true;
    else if (m.error) failed = m.error;
    poke();
  };
  worker.onerror = (e) => { e.preventDefault(); broken = true; poke(); };
  let at;
  try {
    // The first, small slice is read here while the worker starts (it is what the first
    // rows wait for; through a worker just started it came about 0.1 s later); then
    // the worker reads the rest.
    const first = new Uint8Array(await file.slice(0, FIRST_CHUNK).arrayBuffer());
    worker.postMessage({ file, from: first.length, chunk: CHUNK, ahead: READ_AHEAD + 1 });
    at = first.length;
    yield first;
    for (;;) {
      const next = ready.shift();
      if (next) {
        worker.postMessage({ take: 1 });
        at += next.length;
        yield next;
        continue;
      }
      if (done) return;
      if (failed) throw new Error(failed);
      if (broken) { yield* sliceChunks(file, at); return; }
      await new Promise((r) => { wake = () => r(undefined); });
    }
  } finally {
    worker.terminate();
  }
}

/** @param {string} name @param {Uint8Array} bytes @returns {Source} */
export function bytesSource(name, bytes) {
  return {
    name,
    size: bytes.length,
    bytes,
    async slice(/** @type {number} */ start, /** @type {number} */ end) { return bytes.subarray(start, end); },
    async *chunks() {
      for (let off = 0; off < bytes.length; off += CHUNK) yield bytes.subarray(off, off + CHUNK);
    },
  };
}

/** @param {string} name @param {string} text */
export function textSource(name, text) {
  return bytesSource(name, new TextEncoder().encode(text));
}

// Hidden and system files are left out silently.
const skipName = (/** @type {string} */ n) => /(^|\/)\.[^/]*$/.test(n) || /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(n);
const byName = (/** @type {{name: string}} */ a, /** @type {{name: string}} */ b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Why a file found inside a folder is not decoded, or null to decode it. Files chosen
 * one by one are always decoded (the user picked them); in a folder (an AWSLogs/… tree,
 * a CloudWatch export) only names that can hold flow log text are read, so a README or
 * a screenshot next to the logs does not turn into thousands of "bad lines".
 * @param {string} path
 */
export function folderSkipReason(path) {
  const base = /** @type {string} */ (path.split('/').pop()); // split gives at least one part
  if (/^aws-logs-write-test$/i.test(base)) return 'the permission-check file of a CloudWatch Logs export';
  if (/^(readme|license|licence|changelog|changes|notice|copying|authors|manifest)([._-].*)?$/i.test(base)) return 'a document, not a flow log';
  if (!base.includes('.')) return null; // e.g. CloudWatch export parts without an extension
  if (/\.(log|txt|json|jsonl|ndjson|csv|tsv|gz|gzip|parquet)$/i.test(base)) return null;
  return 'not a flow log, by its file name';
}

/**
 * Sorted sources plus what was left out: {sources, skipped: [{name, reason}]}.
 * @param {Source[]} found @param {Skipped[]} skipped
 */
function collect(found, skipped) {
  const sources = found.filter((s) => !skipName(s.name)).sort(byName);
  return { sources, skipped: skipped.filter((s) => !skipName(s.name)).sort(byName) };
}

/**
 * Files from a drop. Must be called synchronously inside the drop handler (the
 * DataTransferItems are only valid there); the directory walk itself is async.
 * Resolves to {sources, skipped} (see folderSkipReason).
 * @param {DataTransfer} dt
 */
export function droppedSources(dt) {
  /** @type {FileSystemEntry[]} */
  const entries = [];
  /** @type {File[]} */
  const loose = [];
  for (const item of dt.items || []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else { const f = item.getAsFile(); if (f) loose.push(f); }
  }
  if (!entries.length && !loose.length) loose.push(...(dt.files || []));
  return (async () => {
    const out = loose.map((f) => fileSource(f));
    /** @type {Skipped[]} */
    const skipped = [];
    for (const e of entries) await walk(e, out, skipped, false);
    return collect(out, skipped);
  })();
}

/**
 * Walks a FileSystemEntry tree; `inFolder` is false only for an entry dropped by itself.
 * @param {FileSystemEntry} entry @param {Source[]} out @param {Skipped[]} skipped @param {boolean} inFolder
 */
export async function walk(entry, out, skipped, inFolder) {
  const name = (entry.fullPath || entry.name || '').replace(/^\//, '');
  if (entry.isFile) {
    const reason = inFolder && !skipName(name) ? folderSkipReason(name) : null;
    if (reason) { skipped.push({ name, reason }); return; }
    try {
      /** @type {File} */
      const file = await new Promise((res, rej) => /** @type {FileSystemFileEntry} */ (entry).file(res, rej));
      out.push(fileSource(file, name));
    } catch (e) {
      skipped.push({ name, reason: `could not be read: ${errorText(e)}` });
    }
  } else if (entry.isDirectory) {
    const reader = /** @type {FileSystemDirectoryEntry} */ (entry).createReader();
    // readEntries returns batches (100 in Chrome) until an empty one.
    for (;;) {
      /** @type {FileSystemEntry[]} */
      let batch;
      try {
        batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      } catch (e) {
        skipped.push({ name: `${name}/`, reason: `folder could not be read: ${errorText(e)}` });
        break;
      }
      if (!batch.length) break;
      for (const e of batch) await walk(e, out, skipped, true);
    }
  }
}

/**
 * Files from a file input (or pasted files): {sources, skipped}.
 * @param {Iterable<File>} fileList
 */
export function pickedSources(fileList) {
  /** @type {Source[]} */
  const out = [];
  /** @type {Skipped[]} */
  const skipped = [];
  for (const f of fileList) {
    const name = f.webkitRelativePath || f.name;
    const reason = f.webkitRelativePath && !skipName(name) ? folderSkipReason(name) : null;
    if (reason) skipped.push({ name, reason });
    else out.push(fileSource(f, name));
  }
  return collect(out, skipped);
}

/**
 * Bytes `start`..`end` of a source, as a source of the same name (a part of a file).
 * @param {Source} src @param {number} start @param {number} end
 */
export function sliceSource(src, start, end) {
  if (src.file) return fileSource(src.file.slice(start, end), src.name);
  return bytesSource(src.name, /** @type {Uint8Array} */ (src.bytes).subarray(start, end)); // a source has a file or bytes
}

/**
 * What is posted to the worker for a source: its name and the File or bytes it reads.
 * @param {Source} src
 * @returns {WireSource}
 */
export function wireSource(src) {
  return { name: src.name, file: src.file, bytes: src.bytes };
}

/**
 * A source again from what wireSource posted (in the worker).
 * @param {WireSource} w
 */
export function readSource(w) {
  return w.file ? fileSource(w.file, w.name) : bytesSource(w.name, /** @type {Uint8Array} */ (w.bytes));
}
