// Parquet files in the page. The reader is a second wasm module (pkg/flowlens_parquet),
// instantiated only when a Parquet file appears, so the main module stays small. A
// Parquet file is read the way its layout asks: its footer first (Blob.slice from the
// end), then one row group at a time, so memory holds the table plus one row group.
// Each row group comes back from the Parquet module as row batches — plain bytes, as
// the two modules share no memory — that the main Decoder decodes with its ordinary
// line decoder (Decoder.pushRows).
import initParquet, { ParquetReader, footerLength, fileError, tailGuess } from './pkg/flowlens_parquet.js';

const BATCH_ROWS = 8192;
let ready = null;

/** Instantiates the Parquet module once, on first use. */
export function loadParquet() {
  if (!ready) ready = initParquet().then(() => true, (e) => { ready = null; throw e; });
  return ready;
}

/** Whether the first bytes are Parquet's magic (detection never looks at the name). */
export function isParquetHead(head) {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

const why = (e) => (e && e.message ? e.message : String(e));

/**
 * Decodes the Parquet source `src` (which has `slice(start, end)` → Uint8Array) into the
 * main module's decoder `dec`, as one file. `step(bytes)` is called after each batch with
 * the source bytes just consumed; it updates progress, yields to the event loop and
 * returns a stop reason ('cancel', 'memory') or null. Returns the stop reason or null.
 */
export async function decodeParquet(src, dec, step) {
  dec.beginFile(src.name);
  const size = src.size;
  let reader;
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
  try {
    dec.pushRows(reader.binding());
    const groups = reader.rowGroups();
    let inGroups = 0;
    for (let i = 0; i < groups; i++) { const [s, e] = reader.rowGroupRange(i); inGroups += e - s; }
    let stop = await step(size - inGroups);
    for (let i = 0; i < groups && !stop; i++) {
      const [s, e] = reader.rowGroupRange(i);
      let bytes;
      try {
        bytes = await src.slice(s, e);
      } catch (err) {
        dec.pushRows(fileError(`row group ${i + 1} could not be read: ${why(err)}`, 0));
        stop = await step(e - s);
        continue;
      }
      dec.pushRows(reader.beginRowGroup(i, bytes));
      bytes = null;
      let first = true;
      for (;;) {
        const batch = reader.next(BATCH_ROWS);
        if (!batch.length) break;
        dec.pushRows(batch);
        stop = await step(first ? e - s : 0);
        first = false;
        if (stop) break;
      }
      if (first && !stop) stop = await step(e - s);
    }
    return stop;
  } finally {
    reader.free();
  }
}
