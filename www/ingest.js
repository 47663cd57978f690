// Getting data in: files, folders (drag and drop of directory trees), paste, and the
// streaming decode loop that feeds Blob slices to the wasm Decoder, yielding to the
// event loop between chunks so the page stays responsive.
import { Decoder } from './pkg/flowlens.js';
import { yieldToEventLoop } from './util.js';

const FIRST_CHUNK = 256 * 1024;       // small first slice: first rows show quickly
const CHUNK = 4 * 1024 * 1024;
export const DEFAULT_MEMORY_BUDGET = 1.5e9;

/** A source is {name, size, chunks(): AsyncIterable<Uint8Array>}. */
export function fileSource(file, name) {
  return {
    name: name || file.webkitRelativePath || file.name,
    size: file.size,
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
    async *chunks() {
      for (let off = 0; off < bytes.length; off += CHUNK) yield bytes.subarray(off, off + CHUNK);
    },
  };
}

export function textSource(name, text) {
  return bytesSource(name, new TextEncoder().encode(text));
}

const skipName = (n) => /(^|\/)\.[^/]*$/.test(n) || /(^|\/)(Thumbs\.db|desktop\.ini)$/i.test(n);
const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Files from a drop. Must be called synchronously inside the drop handler (the
 * DataTransferItems are only valid there); the directory walk itself is async.
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
    for (const e of entries) await walk(e, out);
    return out.filter((s) => !skipName(s.name)).sort(byName);
  })();
}

async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push(fileSource(file, entry.fullPath.replace(/^\//, '')));
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries returns batches (100 in Chrome) until an empty one.
    for (;;) {
      const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      if (!batch.length) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

export function pickedSources(fileList) {
  return [...fileList].map((f) => fileSource(f)).filter((s) => !skipName(s.name)).sort(byName);
}

/**
 * Decodes sources in chunks. Callbacks: onProgress(p) ~10×/s, onPreview(decoder) when
 * the first rows exist and then every ~400 ms. Returns {table, stopped, message, ms}:
 * stopped is null (complete), 'cancel', 'memory' or 'error'; the table holds
 * whatever was decoded before a stop (null only when the decoder itself broke).
 */
export async function decodeSources(sources, { format = '', signal, onProgress, onPreview, budget = DEFAULT_MEMORY_BUDGET } = {}) {
  const dec = new Decoder({ format }); // throws on a bad format string
  const total = sources.reduce((a, s) => a + s.size, 0);
  const t0 = performance.now();
  let read = 0;
  let lastUi = 0;
  let lastPreview = -1;
  let stopped = null;
  let message = '';
  const progress = () => ({ ...(dec.progress() || {}), read, total, ms: performance.now() - t0 });

  outer: for (const src of sources) {
    dec.beginFile(src.name);
    for await (const chunk of src.chunks()) {
      if (signal?.aborted) { stopped = 'cancel'; break outer; }
      try {
        dec.push(chunk);
      } catch (e) {
        stopped = 'error';
        message = `Decoding stopped in ${src.name}: ${e && e.message ? e.message : e}. ` +
          'This usually means the browser ran out of memory; the records decoded before it are kept.';
        break outer;
      }
      read += chunk.length;
      if (dec.heapBytes() > budget) {
        stopped = 'memory';
        message = `Stopped after ${(read / 1e6).toFixed(0)} MB of ${(total / 1e6).toFixed(0)} MB: the decoded table reached ` +
          `the memory budget of ${(budget / 1e9).toFixed(1)} GB, about as much as a browser tab can hold. ` +
          'Showing the records decoded so far; filter the input files to see the rest.';
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
    try { dec.endFile(); } catch { /* reported as an error row by finish() if any */ }
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
