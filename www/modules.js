// The wasm modules loaded on first use, beside the main one (pkg/flowlens.js): the
// Parquet reader, the query translator, the context module (labels, health checks) and
// the report module (writing a report file). Each is a crate of its own
// (crates/flowlens-<name>), built by scripts/build.sh and embedded in the single file by
// scripts/inline.mjs, and compiled only when a feature first needs it, so that opening
// the page pays for the main module alone. Only the table worker loads them (worker.js):
// the page itself never imports this file, so the single file embeds each module once.
//
// loadModule(name) is the one way to get one: it instantiates the module once and
// resolves to its exports (the wasm-bindgen glue's). It works the same in a Worker.
import initParquet, * as parquet from './pkg/flowlens_parquet.js';
import initTranslate, * as translate from './pkg/flowlens_translate.js';
import initContext, * as context from './pkg/flowlens_context.js';
import initReport, * as report from './pkg/flowlens_report.js';

const MODULES = {
  parquet: { init: initParquet, exports: parquet },
  translate: { init: initTranslate, exports: translate },
  context: { init: initContext, exports: context },
  report: { init: initReport, exports: report },
};
/** @typedef {typeof MODULES} Modules */
/** @type {Map<string, Promise<Modules[keyof Modules]['exports']>>} */
const ready = new Map();

/**
 * Resolves to the exports of module `name` ('parquet', 'translate', 'context', 'report'), instantiated once.
 * @template {keyof Modules} K
 * @param {K} name
 * @returns {Promise<Modules[K]['exports']>}
 */
export function loadModule(name) {
  /** @type {Modules[keyof Modules] | undefined} */
  const m = MODULES[name];
  if (!m) return Promise.reject(new Error(`no wasm module '${name}'`));
  if (!ready.has(name)) {
    // a failed load is not cached: the next call tries again
    ready.set(name, m.init().then(() => m.exports, (/** @type {unknown} */ e) => { ready.delete(name); throw e; }));
  }
  return /** @type {Promise<Modules[K]['exports']>} */ (ready.get(name)); // set above, under this name
}
