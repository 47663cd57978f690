// @ts-check
// Labels and health checks of a finished table, in the table worker. The context module
// (crates/flowlens-context, loaded on first use) parses the context files and labels the
// rows from the table's columns: Table.annotationInput() → Annotator.annotate(…) →
// Table.setAnnotations(…). The main module holds only what looking labels up needs.
//
// When: a table decoded with context files is labelled as it is finished; one without
// is shown first and labelled on its first call that needs labels (the page's
// Table.annotate once the rows are painted, a health-check filter, the row detail…):
// such a call throws LABELS_NEEDED and the worker labels the table and calls again
// (callLabelled).
import { loadModule } from './modules.js';

/** The start of what a Table call that needs labels throws while the table has none (src/wasm.rs). */
const LABELS_NEEDED = "flowlens: this table's labels are not built yet";

/** Whether `e` is a Table call's "labels not built yet". */
// `e`: a caught value, anything
export const needsLabels = (/** @type {any} */ e) => !!e && typeof e.message === 'string' && e.message.startsWith(LABELS_NEEDED);

/**
 * `obj[method](...args)`; when that needs labels the table does not have yet, labels it
 * (from the log alone: a table with context files was labelled when it was finished)
 * and calls again. `coming`: the labels are being built in a worker of their own
 * (TableClient.labelAside): they are waited for first, and built here only if they did
 * not come.
 * @param {any} obj a wasm object of the worker (any class: the method is named by a message)
 * @param {string} method @param {any[]} args structured-clone message arguments
 * @param {Promise<void>} [coming]
 */
export async function callLabelled(obj, method, args, coming) {
  try {
    return await obj[method](...args);
  } catch (e) {
    if (!needsLabels(e)) throw e;
  }
  if (coming) {
    await coming;
    try {
      return await obj[method](...args);
    } catch (e) {
      if (!needsLabels(e)) throw e;
    }
  }
  await new ContextFiles().annotate(obj);
  return obj[method](...args);
}

/**
 * The labels of `input` (a Table's annotationInput, the columns labelling reads), from
 * the log alone, as bytes for its setAnnotations: what a labelling worker does.
 * @param {Uint8Array} input
 */
export function labelColumns(input) {
  return new ContextFiles().labels(input);
}

/** The context files of one decode, and the labelling of its table with them. */
export class ContextFiles {
  constructor() {
    /** @type {any} the context module's Annotator, once a file or the table came */
    this.annotator = null;
    /** context files given */
    this.count = 0;
  }

  async get() {
    if (!this.annotator) {
      const m = await loadModule('context');
      this.annotator = new m.Annotator();
    }
    return this.annotator;
  }

  /** A whole context file: its info `{name, kind, source, items, error}`, or null when the bytes are not one. */
  /** @param {string} name @param {Uint8Array} bytes */
  async add(name, bytes) {
    const info = (await this.get()).addContext(name, bytes);
    if (info) this.count++;
    return info;
  }

  /**
   * Labels `table` (a Table of the main module) with the files given, or from the log
   * alone when there were none. Uses the files up.
   * @param {import('./pkg/flowlens.js').Table} table
   */
  async annotate(table) {
    table.setAnnotations(await this.labels(table.annotationInput()));
  }

  /**
   * The labels of `input` (a Table's annotationInput) with the files given, or from the
   * log alone when there were none, as bytes for the Table's setAnnotations. Uses the
   * files up.
   * @param {Uint8Array} input
   */
  async labels(input) {
    const a = await this.get();
    this.annotator = null;
    try {
      return a.annotate(input);
    } finally {
      a.free();
    }
  }
}
