// The view as Athena SQL or a CloudWatch Logs Insights query, in the table worker
// (worker.js; the page asks through TableClient.translate). The translation runs in the
// query-translation module (crates/flowlens-translate), loaded on first use; the table
// (main module) gives it the filter, the sort and the field names as text.
import { loadModule } from './modules.js';
import { errorText } from './util.js';

/**
 * `{ok, text}` for `kind` ('athena' or 'insights'): the query, or what cannot be
 * translated. `table.translateInput()` may return a promise (a table in a Worker).
 * @param {{translateInput(): any}} table a Table (its translateInput is untyped JSON: {filter, sort, fields, window, extras})
 * @param {string} kind
 * @returns {Promise<{ok: boolean, text: string}>}
 */
export async function translateView(table, kind) {
  const input = await table.translateInput();
  let m;
  try {
    m = await loadModule('translate');
  } catch (e) {
    return { ok: false, text: `the translation module could not be loaded (${errorText(e)})` };
  }
  const [from, to] = input.window || [undefined, undefined];
  return m.translate(kind, input.filter, input.sort, input.fields, from, to, input.extras);
}
