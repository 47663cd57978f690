// @ts-check
// The streaming decode loop (runs in the table worker, worker.js): feeds Blob slices to
// the wasm Decoder, yielding to the worker's event loop between chunks so that Cancel
// and the grid's window requests are answered while a decode runs.
import { Decoder, contextKind } from './pkg/flowlens.js';
import { yieldToEventLoop, errorText } from './util.js';
import { decodeParquet, isParquetHead } from './parquet.js';
import { DEFAULT_MEMORY_BUDGET, RESERVE_SHARE, memoryStopMessage } from './ingest.js';
import { ContextFiles } from './annotate.js';

const MAX_CONTEXT_BYTES = 256 * 1024 * 1024;

/**
 * Whole-file check before the flow-log decoder: when the source's first bytes start a
 * context file, reads it whole and adds it to the decode's context files. Returns the
 * context file's info, or null to decode the source as flow logs.
 * @param {ContextFiles} context the context files of a decode or a merge
 * @param {Source} src
 */
export async function takeContext(context, src) {
  // the first bytes alone first: most sources are flow logs, and a large file's chunks()
  // starts a reader worker (ingest.js)
  if (!await isContextSource(src)) return null;
  const it = src.chunks()[Symbol.asyncIterator]();
  const r = await it.next();
  if (r.done) return null;
  const first = r.value;
  if (!contextKind(first.subarray(0, 4096))) { await it.return?.(); return null; }
  const parts = [first];
  let size = first.length;
  for (;;) {
    const n = await it.next();
    if (n.done) break;
    parts.push(n.value);
    size += n.value.length;
    if (size > MAX_CONTEXT_BYTES) return { name: src.name, error: { line: 0, reason: 'context file larger than 256 MB: not read' } };
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) { all.set(p, off); off += p.length; }
  return context.add(src.name, all);
}

/** @type {WeakMap<Source, Promise<Uint8Array>>} */
const heads = new WeakMap();

/**
 * The first 4 KB of a source, read once however many tests look at it (the Parquet
 * magic, the context-file test, a pool worker's and then its decode's), so a folder of
 * thousands of small files costs one head read per file.
 * @param {Source} src
 */
export function headOf(src) {
  let head = heads.get(src);
  if (!head) {
    head = src.slice(0, Math.min(src.size, 4096));
    heads.set(src, head);
  }
  return head;
}

/** Whether the source starts a context file (read by the merging worker in a parallel decode). */
/** @param {Source} src */
export async function isContextSource(src) {
  return src.size > 0 && !!contextKind(await headOf(src));
}

/** Compressed bytes pushed at once (see decodeSources). */
export const GZIP_PIECE = 64 * 1024;

/**
 * @typedef {{name: string, size: number, chunks(): AsyncIterable<Uint8Array>, slice(a: number, b: number): Promise<Uint8Array>}} Source
 * @typedef {{format?: string, budget?: number, signal?: AbortSignal, onProgress?(p: any): void, onPreview?(dec: Decoder): void, annotate?: boolean, part?: {start: Uint8Array | null}}} DecodeOptions
 */

/**
 * Decodes sources in chunks. Callbacks: onProgress(p) ~10×/s, onPreview(decoder) when
 * the first rows exist and then every ~400 ms. Returns {table, stopped, message, ms}:
 * stopped is null (complete), 'cancel', 'memory' or 'error'; the table holds
 * whatever was decoded before a stop (null only when the decoder itself broke).
 * `annotate` (default true): with context files among the sources, the table is
 * labelled with them by the context module (annotate.js) before it is returned; without,
 * it is labelled when first needed. A pool worker's table is labelled where it is
 * merged instead.
 * `part`: the one source is a part of a large plain-text file (split-decode.js): the
 * file's first part (`start` null) or a later one, begun from `start` (a PartStart's
 * bytes); it is ended with `endPart` and the result has `partEnd` (its bytes).
 * @param {Source[]} sources
 * @param {DecodeOptions} [opts]
 */
export async function decodeSources(sources, { format = '', signal, onProgress, onPreview, budget = DEFAULT_MEMORY_BUDGET, annotate = true, part } = {}) {
  const dec = new Decoder({ format }); // throws on a bad format string
  const context = new ContextFiles();
  const total = sources.reduce((a, s) => a + s.size, 0);
  const t0 = performance.now();
  let read = 0;
  let lastUi = 0;
  let lastPreview = -1;
  let stopped = null;
  let message = '';
  let lastYield = performance.now();
  const progress = () => ({ ...(dec.progress() || {}), read, total, ms: performance.now() - t0 });
  const memoryMessage = () => memoryStopMessage(read, total, budget);
  // Between pieces: progress ~10×/s, the first rows and then a preview every ~400 ms.
  const report = () => {
    const now = performance.now();
    if (now - lastUi > 100) { lastUi = now; onProgress?.(progress()); }
    if (onPreview && dec.rowCount() > 0 && (lastPreview < 0 || now - lastPreview > 400)) {
      lastPreview = now;
      onPreview(dec);
    }
  };
  // After each piece of a Parquet file (a batch of rows): progress, preview, the memory
  // budget and Cancel, as between the chunks of a text file. Returns a stop reason.
  const step = async (/** @type {number} */ n) => {
    read += n;
    if (signal?.aborted) return 'cancel';
    if (dec.heapBytes() > budget) return 'memory';
    report();
    await yieldToEventLoop();
    return signal?.aborted ? 'cancel' : null;
  };

  let partEnd = null;
  // A Cancel posted right behind the request (a click in the same task as the drop) is
  // a message already queued: let it land before any byte is read or pushed.
  await yieldToEventLoop();
  outer: for (const src of sources) {
    // Parquet is detected by its magic and read whole-file style, never streamed.
    if (!part && src.size >= 4 && isParquetHead(await headOf(src))) {
      let stop;
      try {
        stop = await decodeParquet(src, dec, step);
      } catch (e) {
        stopped = 'error';
        message = `Decoding stopped in ${src.name}: ${errorText(e)}. ` +
          'This usually means the browser ran out of memory; the records decoded before it are kept.';
        break;
      }
      if (stop) {
        stopped = stop;
        if (stop === 'memory') message = memoryMessage();
        break;
      }
      try { dec.endFile(); } catch { /* reported by finish() */ }
      continue;
    }
    // a context file (describe-network-interfaces & co.) is read whole, never decoded
    if (!part && await takeContext(context, src)) { read += src.size; continue; }
    if (part?.start) dec.continueFile(src.name, part.start);
    else dec.beginFile(src.name);
    // Plain text is pushed line-aligned: the bytes after a chunk's last newline are held
    // back and pushed with the next chunk, so a stop between chunks (cancel, memory
    // budget) leaves no cut-off last line to be reported as a bad line. (A gzip stream
    // cannot be cut at a line from here; it is pushed as it comes.)
    let gzip = null;
    let tail = null;
    for await (const chunk of src.chunks()) {
      if (signal?.aborted) { stopped = 'cancel'; break outer; }
      if (gzip === null) {
        gzip = !part && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
        // plain text: its columns are reserved for this file and the ones after it once
        // its first lines show their length (a budget's worth at most, less a margin for
        // dictionaries), so a folder's table is not grown by doubling, file by file, to
        // up to twice its rows (which the budget counts). Later gzip, Parquet or context
        // files make the guess too large or too small; finish() gives any rest back.
        if (!gzip) dec.expectFileBytes(total - read, budget * RESERVE_SHARE); // (read: the files before this one)
      }
      try {
        if (gzip) {
          // Deflate inflates at most ~1032:1, so a GZIP_PIECE push makes at most ~66 MB of
          // text: a bomb is read piece by piece, with Cancel and the budget checked between.
          for (let at = 0; at < chunk.length; at += GZIP_PIECE) {
            dec.push(chunk.subarray(at, Math.min(chunk.length, at + GZIP_PIECE)));
            if (at + GZIP_PIECE < chunk.length) {
              if (dec.heapBytes() > budget) break;
              if (performance.now() - lastYield > 50) { await yieldToEventLoop(); lastYield = performance.now(); }
              if (signal?.aborted) { stopped = 'cancel'; break outer; }
            }
          }
        } else {
          if (tail) { dec.push(tail); tail = null; }
          const nl = chunk.lastIndexOf(10);
          if (nl === chunk.length - 1) dec.push(chunk);
          else if (nl < 0) tail = chunk;
          else { dec.push(chunk.subarray(0, nl + 1)); tail = chunk.subarray(nl + 1); }
        }
      } catch (e) {
        stopped = 'error';
        message = `Decoding stopped in ${src.name}: ${errorText(e)}. ` +
          'This usually means the browser ran out of memory; the records decoded before it are kept.';
        break outer;
      }
      read += chunk.length;
      if (dec.heapBytes() > budget) {
        stopped = 'memory';
        message = memoryMessage();
        break outer;
      }
      report();
      await yieldToEventLoop();
    }
    try {
      if (tail) dec.push(tail);
    } catch (e) {
      stopped = 'error';
      message = `Decoding stopped in ${src.name}: ${errorText(e)}.`;
      break;
    }
    try {
      if (part) partEnd = dec.endPart();
      else dec.endFile();
    } catch { /* reported as an error row by finish() if any */ }
  }
  // A stop leaves the current file cut somewhere: end it there, so that a cut-off line,
  // JSON document or gzip member is dropped rather than reported as a bad line.
  if (stopped) {
    try {
      if (part) partEnd = dec.abandonPart();
      else dec.abandonFile();
    } catch { /* the decoder broke: finish() says so */ }
  }
  onProgress?.(progress());
  let table = null;
  try {
    table = dec.finish();
  } catch (e) {
    stopped = stopped || 'error';
    message = message || `Could not finish decoding: ${errorText(e)}`;
  }
  if (table && annotate && context.count) {
    try {
      await context.annotate(table);
    } catch (e) {
      stopped = stopped || 'error';
      message = message || `The records are decoded but could not be labelled: ${errorText(e)}`;
    }
  }
  return { table, stopped, message, ms: performance.now() - t0, read, total, partEnd };
}
