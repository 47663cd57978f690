// @ts-check
// Labels and health checks of a finished table, in the table worker. The context module
// (crates/flowlens-context, loaded on first use) parses the context files and labels the
// rows from the table's columns: Table.annotationInput() → Annotator.annotate(…) →
// Table.setAnnotations(…). The main module holds only what looking labels up needs.
import { loadModule } from './modules.js';

/** The context files of one decode, and the labelling of its table with them. */
export class ContextFiles {
  constructor() {
    /** @type {any} the context module's Annotator, once a file or the table came */
    this.annotator = null;
  }

  async get() {
    if (!this.annotator) {
      const m = await loadModule('context');
      this.annotator = new m.Annotator();
    }
    return this.annotator;
  }

  /** A whole context file: its info `{name, kind, source, items, error}`, or null when the bytes are not one. */
  async add(name, bytes) {
    return (await this.get()).addContext(name, bytes);
  }

  /**
   * Labels `table` (a Table of the main module) with the files given, or from the log
   * alone when there were none. Uses the files up.
   */
  async annotate(table) {
    const a = await this.get();
    this.annotator = null;
    try {
      table.setAnnotations(a.annotate(table.annotationInput()));
    } finally {
      a.free();
    }
  }
}

/** Starts compiling the context module ahead of its use (a decode's end). */
export function preloadContextModule() {
  loadModule('context').catch(() => { /* loaded again, and reported, when used */ });
}
