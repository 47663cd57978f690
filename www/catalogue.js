// @ts-check
// The field catalogue, read once from the wasm module (src/catalogue.rs) by the table
// worker and sent with its `init` answer (worker.js): the page keeps no list of fields,
// kinds, facets or vocabularies of its own, and reads this one synchronously.

/** @typedef {import('./pkg/flowlens.js').Catalogue} Catalogue */
/** @typedef {import('./pkg/flowlens.js').FieldInfo} FieldInfo */

/** @type {Catalogue | null} */
let current = null;
/** @type {Map<string, FieldInfo>} */
let byName = new Map();

/** Takes the catalogue (from the worker's `init` answer, or the module in Node tests). */
export function setCatalogue(/** @type {Catalogue} */ c) {
  current = c;
  byName = new Map(c.fields.map((f) => [f.name, f]));
}

/** @returns {Catalogue} */
export function catalogue() {
  if (!current) throw new Error('the catalogue is read after the module starts');
  return current;
}

/** Whether a column is left out until the user shows it. */
export function hiddenByDefault(/** @type {string} */ name) {
  return !!byName.get(name)?.hidden;
}

/** Whether a field's hint is shown beside its value (port names, path labels). */
export function hintBeside(/** @type {string} */ name) {
  return !!byName.get(name)?.hint_beside;
}

/**
 * The page's columns for a table's fields (`[{name, kind, about}]`, in order): each
 * field, and after it any derived column it starts (`duration` after `end` when the
 * data has `start` and `end`).
 * @param {{name: string, kind: string, about: string}[]} fields
 */
export function viewColumns(fields) {
  const present = new Set(fields.map((f) => f.name));
  /** @type {{name: string, kind: string, about: string, derived: boolean}[]} */
  const out = [];
  for (const f of fields) {
    out.push({ name: f.name, kind: f.kind, about: f.about, derived: false });
    for (const d of catalogue().derived) {
      if (d.after === f.name && d.needs.every((n) => present.has(n))) out.push({ name: d.name, kind: d.kind, about: d.about, derived: true });
    }
  }
  return out;
}
