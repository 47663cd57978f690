// @ts-check
// Getting data in: files, folders (drag and drop of directory trees), paste, and the
// streaming decode loop that feeds Blob slices to the wasm Decoder, yielding to the
// event loop between chunks so the page stays responsive.
import { Decoder } from './pkg/flowlens.js';
import { yieldToEventLoop, fmtMiB } from './util.js';
import { decodeParquet, isParquetHead } from './parquet.js';
import { takeContext } from './context.js';

const FIRST_CHUNK = 256 * 1024;       // small first slice: first rows show quickly
const CHUNK = 4 * 1024 * 1024;
export const DEFAULT_MEMORY_BUDGET = 1.5e9;

/** A source is {name, size, chunks(): AsyncIterable<Uint8Array>}. */
export function fileSource(file, name) {
  return {
    name: name || file.webkitRelativePath || file.name,
    size: file.size,
    // random access, for Parquet (footer first, then row groups)
    async slice(start, end) { return new Uint8Array(await file.slice(start, end).arrayBuffer()); },
    async *chunks() {
      let off = 0;
      let size = FIRST_CHUNK;
      // Read ahead: the next slice is being read while the current one is decoded.
      let next = file.size > 0 ? file.slice(0, size).arrayBuffer() : null;
      while (next) {
        const buf = await next;
        off += buf.byteLength;
        size = CHUNK;
        next = off < file.size ? file.slice(off, off + size).arrayBuffer() : null;
        yield new Uint8Array(buf);
      }
    },
  };
}

export function bytesSource(name, bytes) {
  return {
    name,
    size: bytes.length,
    async slice(start, end) { return bytes.subarray(start, end); },
    async *chunks() {
      for (let off = 0; off < bytes.length; off += CHUNK) yield bytes.subarray(off, off + CHUNK);
    },
  };
}

export function textSource(name, text) {
  return bytesSource(name, new TextEncoder().encode(text));
}

// Hidden and system files are left out silently.
const skipName = (n) => /(^|\/)\.[^/]*$/.test(n) || /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(n);
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Why a file found inside a folder is not decoded, or null to decode it. Files chosen
 * one by one are always decoded (the user picked them); in a folder (an AWSLogs/… tree,
 * a CloudWatch export) only names that can hold flow log text are read, so a README or
 * a screenshot next to the logs does not turn into thousands of "bad lines".
 */
export function folderSkipReason(path) {
  const base = path.split('/').pop();
  if (/^aws-logs-write-test$/i.test(base)) return 'the permission-check file of a CloudWatch Logs export';
  if (/^(readme|license|licence|changelog|changes|notice|copying|authors|manifest)([._-].*)?$/i.test(base)) return 'a document, not a flow log';
  if (!base.includes('.')) return null; // e.g. CloudWatch export parts without an extension
  if (/\.(log|txt|json|jsonl|ndjson|csv|tsv|gz|gzip|parquet)$/i.test(base)) return null;
  return 'not a flow log, by its file name';
}

/** Sorted sources plus what was left out: {sources, skipped: [{name, reason}]}. */
function collect(found, skipped) {
  const sources = found.filter((s) => !skipName(s.name)).sort(byName);
  return { sources, skipped: skipped.filter((s) => !skipName(s.name)).sort(byName) };
}

/**
 * Files from a drop. Must be called synchronously inside the drop handler (the
 * DataTransferItems are only valid there); the directory walk itself is async.
 * Resolves to {sources, skipped} (see folderSkipReason).
 */
export function droppedSources(dt) {
  const entries = [];
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
    const skipped = [];
    for (const e of entries) await walk(e, out, skipped, false);
    return collect(out, skipped);
  })();
}

/** Walks a FileSystemEntry tree; `inFolder` is false only for an entry dropped by itself. */
export async function walk(entry, out, skipped, inFolder) {
  const name = (entry.fullPath || entry.name || '').replace(/^\//, '');
  if (entry.isFile) {
    const reason = inFolder && !skipName(name) ? folderSkipReason(name) : null;
    if (reason) { skipped.push({ name, reason }); return; }
    try {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push(fileSource(file, name));
    } catch (e) {
      skipped.push({ name, reason: `could not be read: ${e && (e.message || e.name) ? e.message || e.name : e}` });
    }
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries returns batches (100 in Chrome) until an empty one.
    for (;;) {
      let batch;
      try {
        batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      } catch (e) {
        skipped.push({ name: `${name}/`, reason: `folder could not be read: ${e && (e.message || e.name) ? e.message || e.name : e}` });
        break;
      }
      if (!batch.length) break;
      for (const e of batch) await walk(e, out, skipped, true);
    }
  }
}

/** Files from a file input (or pasted files): {sources, skipped}. */
export function pickedSources(fileList) {
  const out = [];
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
 * Decodes sources in chunks. Callbacks: onProgress(p) ~10×/s, onPreview(decoder) when
 * the first rows exist and then every ~400 ms. Returns {table, stopped, message, ms}:
 * stopped is null (complete), 'cancel', 'memory' or 'error'; the table holds
 * whatever was decoded before a stop (null only when the decoder itself broke).
 */
/** Compressed bytes pushed at once (see decodeSources). */
export const GZIP_PIECE = 64 * 1024;

function budgetText(b) {
  if (b >= 1e9) return `${(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB`;
  return `${Math.max(1, Math.round(b / 1e3))} KB`;
}

/**
 * @param {any[]} sources
 * @param {{format?: string, signal?: AbortSignal, onProgress?(p: any): void, onPreview?(dec: any): void, budget?: number, engine?: any}} [opts]
 */
export async function decodeSources(sources, { format = '', signal, onProgress, onPreview, budget = DEFAULT_MEMORY_BUDGET, engine = null } = {}) {
  // `engine`: a fresh instance of the wasm module after a trap (see app.js).
  const dec = new (engine ? engine.Decoder : Decoder)({ format }); // throws on a bad format string
  const total = sources.reduce((a, s) => a + s.size, 0);
  const t0 = performance.now();
  let read = 0;
  let lastUi = 0;
  let lastPreview = -1;
  let stopped = null;
  let message = '';
  let lastYield = performance.now();
  const progress = () => ({ ...(dec.progress() || {}), read, total, ms: performance.now() - t0 });
  const memoryMessage = () => `Stopped after ${fmtMiB(read)} of ${fmtMiB(total)}: the decoded table reached ` +
    `the memory budget of ${budgetText(budget)}${budget >= DEFAULT_MEMORY_BUDGET ? ', about as much as a browser tab can hold' : ''}. ` +
    'Showing the records decoded so far; filter the input files to see the rest.';
  // After each piece of a Parquet file (a batch of rows): progress, preview, the memory
  // budget and Cancel, as between the chunks of a text file. Returns a stop reason.
  const step = async (n) => {
    read += n;
    if (signal?.aborted) return 'cancel';
    if (dec.heapBytes() > budget) return 'memory';
    const now = performance.now();
    if (now - lastUi > 100) { lastUi = now; onProgress?.(progress()); }
    if (onPreview && dec.rowCount() > 0 && (lastPreview < 0 || now - lastPreview > 400)) {
      lastPreview = now;
      onPreview(dec);
    }
    await yieldToEventLoop();
    return signal?.aborted ? 'cancel' : null;
  };

  outer: for (const src of sources) {
    // Parquet is detected by its magic and read whole-file style, never streamed.
    if (src.slice && src.size >= 4 && isParquetHead(await src.slice(0, 4))) {
      let stop;
      try {
        stop = await decodeParquet(src, dec, step);
      } catch (e) {
        stopped = 'error';
        message = `Decoding stopped in ${src.name}: ${e && e.message ? e.message : e}. ` +
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
    if (await takeContext(dec, src, engine)) { read += src.size; continue; }
    dec.beginFile(src.name);
    // Plain text is pushed line-aligned: the bytes after a chunk's last newline are held
    // back and pushed with the next chunk, so a stop between chunks (cancel, memory
    // budget) leaves no cut-off last line to be reported as a bad line. (A gzip stream
    // cannot be cut at a line from here; it is pushed as it comes.)
    let gzip = null;
    let tail = null;
    for await (const chunk of src.chunks()) {
      if (signal?.aborted) { stopped = 'cancel'; break outer; }
      if (gzip === null) gzip = chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
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
        message = `Decoding stopped in ${src.name}: ${e && e.message ? e.message : e}. ` +
          'This usually means the browser ran out of memory; the records decoded before it are kept.';
        break outer;
      }
      read += chunk.length;
      if (dec.heapBytes() > budget) {
        stopped = 'memory';
        message = memoryMessage();
        break outer;
      }
      const now = performance.now();
      if (now - lastUi > 100) { lastUi = now; onProgress?.(progress()); }
      if (onPreview && dec.rowCount() > 0 && (lastPreview < 0 || now - lastPreview > 400)) {
        lastPreview = now;
        onPreview(dec);
      }
      await yieldToEventLoop();
    }
    try {
      if (tail) dec.push(tail);
    } catch (e) {
      stopped = 'error';
      message = `Decoding stopped in ${src.name}: ${e && e.message ? e.message : e}.`;
      break;
    }
    try { dec.endFile(); } catch { /* reported as an error row by finish() if any */ }
  }
  // A stop leaves the current file cut somewhere: end it there, so that a cut-off line,
  // JSON document or gzip member is dropped rather than reported as a bad line.
  if (stopped) {
    try { dec.abandonFile(); } catch { /* the decoder broke: finish() says so */ }
  }
  onProgress?.(progress());
  let table = null;
  try {
    table = dec.finish();
  } catch (e) {
    stopped = stopped || 'error';
    message = message || `Could not finish decoding: ${e && e.message ? e.message : e}`;
  }
  return { table, stopped, message, ms: performance.now() - t0, read, total };
}
