// @ts-check
// Parquet files in the page. The reader is a second wasm module (pkg/flowlens_parquet),
// instantiated only when a Parquet file appears, so the main module stays small. A
// Parquet file is read the way its layout asks: its footer first (Blob.slice from the
// end), then one row group at a time, so memory holds the table plus one row group.
// Each row group comes back from the Parquet module as row batches — plain bytes, as
// the two modules share no memory — that the main Decoder decodes with its ordinary
// line decoder (Decoder.pushRows).
import { ParquetReader, footerLength, tailGuess } from './pkg/flowlens_parquet.js';
import { loadModule } from './modules.js';

const BATCH_ROWS = 8192;
// Set when the Parquet module trapped (a bug in it): its memory may be inconsistent, so
// later Parquet files are refused with a clear error instead of risking wrong rows.
let broken = '';

/** Instantiates the Parquet module once, on first use. */
export function loadParquet() {
  return loadModule('parquet');
}

/** Whether the first bytes are Parquet's magic (detection never looks at the name). */
/** @param {Uint8Array} head */
export function isParquetHead(head) {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

// `e`: a caught value, anything
const why = (/** @type {any} */ e) => (e && e.message ? e.message : String(e));

/**
 * A row batch (src/rows.rs) with one error about the whole file and the bytes it took:
 * made here rather than by the Parquet module, which may not be loaded or may have failed.
 * Entries: 'E' u64 row (0) u32 len + reason u32 len + raw (empty); 'N' u64 bytes.
 * @param {string} reason @param {number} bytes
 */
function fileError(reason, bytes) {
  const text = new TextEncoder().encode(reason);
  const b = new Uint8Array(1 + 8 + 4 + text.length + 4 + 1 + 8);
  const v = new DataView(b.buffer);
  let o = 0;
  b[o++] = 0x45; // 'E'
  v.setBigUint64(o, 0n, true); o += 8;
  v.setUint32(o, text.length, true); o += 4;
  b.set(text, o); o += text.length;
  v.setUint32(o, 0, true); o += 4;
  b[o++] = 0x4e; // 'N'
  v.setBigUint64(o, BigInt(Math.max(0, Math.round(bytes))), true);
  return b;
}

/**
 * Decodes the Parquet source `src` (which has `slice(start, end)` → Uint8Array) into the
 * main module's decoder `dec`, as one file. `step(bytes)` is called after each batch with
 * the source bytes just consumed; it updates progress, yields to the event loop and
 * returns a stop reason ('cancel', 'memory') or null. Returns the stop reason or null.
 * @param {{name: string, size: number, slice(start: number, end: number): Promise<Uint8Array>}} src
 * @param {import('./pkg/flowlens.js').Decoder} dec
 * @param {(bytes: number) => Promise<string | null>} step
 */
export async function decodeParquet(src, dec, step) {
  dec.beginFile(src.name);
  const size = src.size;
  let reader;
  if (broken) {
    dec.pushRows(fileError(`not read: the Parquet reader failed on an earlier file (${broken}); reload the page to read Parquet again`, size));
    return step(size);
  }
  try {
    await loadParquet();
    let tail = await src.slice(Math.max(0, size - tailGuess()), size);
    const need = footerLength(tail, size);
    if (need > tail.length) tail = await src.slice(size - need, size);
    reader = new ParquetReader(tail, size);
  } catch (e) {
    // one error for the file: cut short, damaged footer, not a flow log, a bad type…
    dec.pushRows(fileError(why(e), size));
    return step(size);
  }
  // A throw from the Parquet module below is a trap (it reports bad data as row
  // batches, never by throwing): this file gets one error, the next files go on.
  /** @template T @param {() => T} f @returns {T} */
  const guard = (f) => {
    try { return f(); } catch (e) { broken = why(e); throw Object.assign(new Error(broken), { parquetModule: true }); }
  };
  try {
    dec.pushRows(guard(() => reader.binding()));
    const groups = guard(() => reader.rowGroups());
    const ranges = guard(() => Array.from({ length: groups }, (_, i) => reader.rowGroupRange(i)));
    const inGroups = ranges.reduce((a, /** @type {Float64Array} */ [s, e]) => a + (e - s), 0);
    let stop = await step(size - inGroups);
    for (let i = 0; i < groups && !stop; i++) {
      const [s, e] = ranges[i];
      let bytes;
      try {
        bytes = await src.slice(s, e);
      } catch (err) {
        dec.pushRows(fileError(`row group ${i + 1} could not be read: ${why(err)}`, 0));
        stop = await step(e - s);
        continue;
      }
      const start = bytes;
      dec.pushRows(guard(() => reader.beginRowGroup(i, start)));
      bytes = null;
      let first = true;
      for (;;) {
        const batch = guard(() => reader.next(BATCH_ROWS));
        if (!batch.length) break;
        dec.pushRows(batch);
        stop = await step(first ? e - s : 0);
        first = false;
        if (stop) break;
      }
      if (first && !stop) stop = await step(e - s);
    }
    return stop;
  } catch (e) {
    const err = /** @type {any} */ (e);
    if (!err?.parquetModule) throw e; // the main module: decodeSources reports it
    dec.pushRows(fileError(`internal error in the Parquet reader, the rest of this file is not read: ${err.message}`, 0));
    return null;
  } finally {
    try { reader.free(); } catch { /* trapped module */ }
  }
}
