// @ts-check
// The table worker: holds the wasm module, the Decoder while a decode runs and the
// decoded Table, and answers the page's requests (table-client.js is the other end).
// The page never calls wasm itself, so a long decode, query, panel or export never
// blocks its main thread.
//
// Protocol (all messages are plain objects):
//   page → worker  {id, op: 'init'}                              → {version, reportLimits, catalogue}
//                  {id, op: 'call', handle, method, args}        → the method's result (a
//                  Table's prepareReport/buildReport: the report module's, report-writer.js)
//                  {id, op: 'free', handle}
//                  {id, op: 'memory'}                            → the wasm memory's size in bytes
//                  {id, op: 'translate', handle, kind}           → {ok, text} (the Table's view as a query)
//                  {id, op: 'decode', sources, format, budget}   → {table, rowCount, …}
//                  {op: 'cancel', decode}                        (no answer: the decode stops)
//   parallel decode (table-client.js runs it; see decodeParallel there):
//     a pool worker {id, op: 'decode-file', source, format, budget} → {bytes (the table,
//                  Table.toBytes, transferred) | context: true, stopped, message, read, …};
//                  the query worker decodes files too, with keepFor (its Merger's handle):
//                  → {kept: id, …}, the table kept here for merge-kept
//     (merge-begin's worker) {id, op: 'merge-kept', handle, kept} appends a kept table
//     a pool worker {id, op: 'decode-part', source, start, end, from, format, budget}
//                  → {bytes, partEnd, stopped, message, read, …} | {unsplittable: true}:
//                  bytes start..end of one large plain-text file (split-decode.js), its
//                  first part (`from` null) or a later one begun from `from` (PartStart bytes)
//     the query worker {id, op: 'check-format', format} (throws as a Decoder would),
//                  {id, op: 'merge-begin'} → a Merger; its append(bytes) is a call;
//                  {id, op: 'merge-context', handle, source} reads a context file for it;
//                  {id, op: 'merge-finish', handle} → the merged Table, labelled
//   labelling a big table in a worker of its own (TableClient.labelAside):
//     the table worker {id, op: 'label-begin', handle} → the Table's annotationInput
//                  (transferred), or null when it is labelled already; until
//                  {id, op: 'label-end', handle, bytes} (the labels, or null when they
//                  could not be built) a call that needs them waits for them
//     a labelling worker {id, op: 'label', input} → the labels (Annotator.annotate's
//                  bytes, transferred); it loads the context module only (no init)
//   worker → page  {id, ok: true, value} | {id, ok: false, error: {message, trap}}
//                  {op: 'progress', decode, p} | {op: 'preview', decode, decoder, rowCount}
// A wasm object in a result (a Table, a ReportDraft, the Decoder) stays here and goes
// out as {__remote: handle}; the page calls its methods through that handle.
import init, { version, reportLimits, catalogue, Merger, Decoder, warmUp } from './pkg/flowlens.js';
import { decodeSources, headOf, isContextSource, takeContext } from './decode.js';
import { ContextFiles, callLabelled, labelColumns, needsLabels } from './annotate.js';
import { readSource, sliceSource } from './ingest.js';
import { isParquetHead } from './parquet.js';
import { translateView } from './translate.js';
import { loadModule } from './modules.js';
import { REPORT_METHODS, callReport } from './report-writer.js';

// A request (`m` below) is a structured-clone message of the shapes above: typed `any`.
/** @type {Map<number, any>} handle -> wasm object (a Table, Merger, Decoder, ReportDraft: called by a method name from a message) */
const objects = new Map(); // handle -> wasm object
let nextHandle = 1;
/** @type {Map<number, AbortController>} */
const decodes = new Map(); // decode id -> AbortController
let trapped = '';
/** @type {import('./pkg/flowlens.js').InitOutput | null} */
let wasm = null; // the module's exports (its memory, for the memory hook)
/** @type {Map<number, {merge: number, table: any}>} decode id -> a table this worker decoded for its own merge (decode-file with `keepFor`), waiting for merge-kept */
const kept = new Map();
/** @type {WeakMap<Merger, ContextFiles>} */
const mergeContext = new WeakMap(); // Merger -> the ContextFiles of its merge

/** @type {Map<number, {coming: Promise<void>, arrived(): void}>} Table handle -> its labels being built in a labelling worker (label-begin … label-end) */
const labelsAside = new Map();

/** The labels of table `handle` came from the labelling worker, or will not: calls waiting for them go on. @param {number} handle */
function labelsEnded(handle) {
  labelsAside.get(handle)?.arrived();
  labelsAside.delete(handle);
}

/** Whether `table` has its labels (Table.annotate then answers). @param {any} table a Table */
function labelled(table) {
  try {
    table.annotate();
    return true;
  } catch (e) {
    if (needsLabels(e)) return false;
    throw e;
  }
}

/** A wasm-bindgen class instance (it owns memory in the module). */
const isWasmObject = (/** @type {any} */ v) => v !== null && typeof v === 'object' && typeof v.free === 'function' && '__wbg_ptr' in v;

/** @param {any} obj a wasm object */
function register(obj) {
  const handle = nextHandle++;
  objects.set(handle, obj);
  return handle;
}

/**
 * A result as posted: wasm objects (top level or one level down) become handles.
 * @param {any} v any result of a request
 * @returns {any}
 */
function outward(v) {
  if (isWasmObject(v)) return { __remote: register(v) };
  if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    /** @type {Record<string, unknown> | null} */
    let copy = null;
    for (const [k, x] of Object.entries(v)) {
      if (isWasmObject(x)) { copy = copy || /** @type {Record<string, unknown>} */ ({ ...v }); copy[k] = { __remote: register(x) }; }
    }
    return copy || v;
  }
  return v;
}

/**
 * Buffers of a result worth moving instead of copying (exports, report files).
 * @param {unknown} v
 */
function transferables(v) {
  /** @type {ArrayBufferLike[]} */
  const out = [];
  const take = (/** @type {unknown} */ x) => {
    if (x instanceof Uint8Array && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength && x.byteLength > 65536 &&
      !out.includes(x.buffer)) out.push(x.buffer);
  };
  take(v);
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) take(x);
  return out;
}

/**
 * A failure inside the wasm module (a trap) leaves the instance unusable.
 * @param {any} e a caught value: anything
 */
function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError || /recursive use of an object|unreachable|memory access out of bounds/i.test(String(e && e.message));
}

// The warm-up (src/warmup.rs): synthetic records decoded (a plain default-format file
// and a gzip'd S3 file with a header), and the passes a completed decode makes over its
// table run over them, while the worker is idle, so that the browser's optimising
// compiler has taken over those paths when a file is dropped (the first 4 MB of a drop
// otherwise ran in baseline code, 146 ms instead of about 25; the first MB of a .log.gz
// 260-310 ms instead of 80-95; a million rows' summary 35-50 ms instead of 12-17). In pieces: the first,
// small, also pays the functions' first compilation; a request arriving meanwhile is
// answered between pieces, and a decode that has begun makes the rest unneeded.
const WARM_PIECES = [100, 500, 500, 1000, 1000, 1000];
// Begun a moment after the page is ready, not at once: a file dropped the instant the
// page is up (as the benchmark does) then decodes without meeting the first piece, which
// holds most of the module's first compilation and made such a drop's first rows ~0.1 s
// later; a person's drop comes after the warm-up.
const WARM_DELAY_MS = 400;
const WARM_PASSES = 2;
let warmed = 0;
function warmStep() {
  if (decodes.size || warmed >= WARM_PIECES.length || trapped) return;
  try {
    warmUp(WARM_PIECES[warmed++], WARM_PASSES);
  } catch {
    return; // only a warm-up: a broken module is reported by the first real call
  }
  setTimeout(warmStep, 0);
}

/** @param {number} id @param {any} e a caught value: anything */
function fail(id, e) {
  const trap = !!trapped || isTrap(e);
  const message = trap && e instanceof WebAssembly.RuntimeError ? `RuntimeError: ${e.message}` : (e && e.message ? e.message : String(e));
  if (trap && !trapped) trapped = message;
  postMessage({ id, ok: false, error: { message: trapped && trap ? trapped : message, trap } });
}

/** @param {number} id @param {unknown} value */
function answer(id, value) {
  const v = outward(value);
  postMessage({ id, ok: true, value: v }, { transfer: transferables(v) });
}

/** @param {any} m the request */
async function decode(m) {
  const abort = new AbortController();
  decodes.set(m.id, abort);
  let decoderHandle = 0;
  try {
    const result = await decodeSources(m.sources.map(readSource), {
      format: m.format,
      budget: m.budget,
      signal: abort.signal,
      onProgress: (p) => postMessage({ op: 'progress', decode: m.id, p }),
      onPreview: (dec) => {
        if (!decoderHandle) decoderHandle = register(dec);
        postMessage({ op: 'preview', decode: m.id, decoder: decoderHandle, rowCount: dec.rowCount() });
      },
    });
    const t = result.table;
    answer(m.id, { ...result, rowCount: t ? t.rowCount() : 0, errorCount: t ? t.errorCount() : 0 });
  } finally {
    decodes.delete(m.id);
    // The decoder is spent once finished: the page's preview handle goes away with it.
    if (decoderHandle) objects.delete(decoderHandle);
  }
}

/** One file of a parallel decode, in a pool worker: its table goes out as bytes. */
/** @param {any} m the request */
async function decodeFile(m) {
  const src = readSource(m.source);
  // a context file is read by the merging worker, beside the tables
  if (await isContextSource(src)) { answer(m.id, { context: true, read: 0, total: src.size }); return; }
  await decodeToBytes(m, src, {});
}

/**
 * Decodes `src` in a pool worker (labelled where it is merged) and answers with its
 * table as bytes (Table.toBytes, transferred) and the decode's result; `extra` adds
 * decodeSources options.
 * @param {any} m the request @param {import('./ingest.js').Source} src
 * @param {import('./decode.js').DecodeOptions} extra
 */
async function decodeToBytes(m, src, extra) {
  const abort = new AbortController();
  decodes.set(m.id, abort);
  try {
    const result = await decodeSources([src], {
      format: m.format,
      budget: m.budget,
      annotate: false,
      signal: abort.signal,
      onProgress: (p) => postMessage({ op: 'progress', decode: m.id, p }),
      ...extra,
    });
    const t = result.table;
    const records = t ? t.rowCount() : 0;
    const errors = t ? t.errorCount() : 0;
    if (t && m.keepFor) { // decoded for this worker's own merge: kept here, not sent as bytes
      kept.set(m.id, { merge: m.keepFor, table: t });
      answer(m.id, { ...result, table: null, kept: m.id, records, errors });
      return;
    }
    const bytes = t ? t.toBytes() : null;
    try { t?.free(); } catch { /* */ }
    answer(m.id, { ...result, table: null, bytes, records, errors });
  } finally {
    decodes.delete(m.id);
  }
}

/**
 * One part of a large plain-text file, in a pool worker (see split-decode.js): its table
 * goes out as bytes with its PartEnd. The file's first part first checks that the file
 * is one to split (not a context file, Parquet or gzip).
 * @param {any} m the request
 */
async function decodePart(m) {
  const whole = readSource(m.source);
  if (!m.from) {
    const head = await headOf(whole);
    if ((head[0] === 0x1f && head[1] === 0x8b) || isParquetHead(head) || await isContextSource(whole)) {
      answer(m.id, { unsplittable: true });
      return;
    }
  }
  await decodeToBytes(m, sliceSource(whole, m.start, m.end), { part: { start: m.from || null } });
}

self.onmessage = async (ev) => {
  /** @type {any} */
  const m = ev.data; // a request (see the protocol above)
  try {
    if (m.op === 'cancel') { decodes.get(m.decode)?.abort(); return; }
    if (trapped) throw new Error(trapped);
    if (m.op === 'init') {
      wasm = await init();
      answer(m.id, { version: version(), reportLimits: reportLimits(), catalogue: catalogue() });
      setTimeout(warmStep, WARM_DELAY_MS);
    } else if (m.op === 'memory') {
      answer(m.id, wasm ? wasm.memory.buffer.byteLength : 0);
    } else if (m.op === 'call') {
      const obj = objects.get(m.handle);
      if (!obj) throw new Error('this data was replaced or freed');
      if (REPORT_METHODS.has(m.method) && typeof obj.reportRows === 'function') {
        // a Table's report: written by the report module (report-writer.js)
        answer(m.id, callReport(await loadModule('report'), obj, m.method, m.args));
        return;
      }
      if (typeof obj[m.method] !== 'function') throw new Error(`no method ${m.method}`);
      answer(m.id, await callLabelled(obj, m.method, m.args, labelsAside.get(m.handle)?.coming));
    } else if (m.op === 'free') {
      const obj = objects.get(m.handle);
      objects.delete(m.handle);
      labelsEnded(m.handle);
      obj?.free();
      answer(m.id, null);
    } else if (m.op === 'label-begin') {
      const table = objects.get(m.handle);
      if (!table) throw new Error('this data was replaced or freed');
      if (labelsAside.has(m.handle) || labelled(table)) { answer(m.id, null); return; }
      /** @type {() => void} */
      let arrived = () => {};
      const coming = new Promise((/** @type {(v: void) => void} */ resolve) => { arrived = resolve; });
      labelsAside.set(m.handle, { coming, arrived });
      answer(m.id, table.annotationInput());
    } else if (m.op === 'label-end') {
      try {
        const table = objects.get(m.handle);
        // a table labelled meanwhile keeps its labels (the calls that need them wait instead)
        if (table && m.bytes && !labelled(table)) table.setAnnotations(m.bytes);
      } finally {
        labelsEnded(m.handle);
      }
      answer(m.id, null);
    } else if (m.op === 'label') {
      answer(m.id, await labelColumns(m.input));
    } else if (m.op === 'translate') {
      const table = objects.get(m.handle);
      if (!table) throw new Error('this data was replaced or freed');
      answer(m.id, await translateView(table, m.kind));
    } else if (m.op === 'decode') {
      await decode(m);
    } else if (m.op === 'decode-file') {
      await decodeFile(m);
    } else if (m.op === 'decode-part') {
      await decodePart(m);
    } else if (m.op === 'check-format') {
      new Decoder({ format: m.format }).free(); // throws on a bad format string
      answer(m.id, null);
    } else if (m.op === 'merge-begin') {
      const merger = new Merger();
      mergeContext.set(merger, new ContextFiles());
      answer(m.id, merger);
    } else if (m.op === 'merge-context') {
      const merger = objects.get(m.handle);
      if (!merger) throw new Error('this merge was replaced');
      answer(m.id, await takeContext(/** @type {ContextFiles} */ (mergeContext.get(merger)), readSource(m.source))); // set at merge-begin
    } else if (m.op === 'merge-kept') {
      const merger = objects.get(m.handle);
      const k = kept.get(m.kept);
      kept.delete(m.kept);
      if (!merger || !k) throw new Error('this merge was replaced');
      merger.appendTable(k.table); // spends the table
      answer(m.id, null);
    } else if (m.op === 'merge-finish') {
      for (const [id, k] of kept) { // tables of this merge left out by a stop
        if (k.merge === m.handle) { k.table.free(); kept.delete(id); }
      }
      const merger = objects.get(m.handle);
      if (!merger) throw new Error('this merge was replaced');
      const table = merger.finish();
      const context = /** @type {ContextFiles} */ (mergeContext.get(merger)); // set at merge-begin
      if (context.count) await context.annotate(table); // else when first needed
      answer(m.id, table);
    } else {
      throw new Error(`unknown request ${m.op}`);
    }
  } catch (e) {
    fail(m.id, e);
  }
};
