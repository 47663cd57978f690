// @ts-check
// Saving a report, in the table worker: the report module (crates/flowlens-report,
// loaded the first time a report is prepared) writes the file, so the main module keeps
// no report writer, deflate encoder or JSON options. The page still calls
// table.prepareReport(template, options) / table.buildReport(…) on its Table handle
// (report.js); the worker answers those calls here with the table's bytes
// (Table.toBytes, the wire format the decode pool uses), its labels when built
// (Table.annotationBytes) and the rows to save (Table.reportRows): the module rebuilds
// the same table and runs the same core code as `flowlens report`.

/** The Table methods the report module answers (the main module has none of them). */
export const REPORT_METHODS = new Set(['prepareReport', 'buildReport']);

/**
 * `table[method](template, options)` for a method of REPORT_METHODS, answered by the
 * report module's exports `m`: `{ok, draft}` or `{ok, html, …}` as the page expects.
 * @param {any} m the report module's exports (loadModule('report'))
 * @param {any} table a Table of the main module
 * @param {string} method 'prepareReport' | 'buildReport'
 * @param {[string, string]} args the template's HTML and the options' JSON
 */
export function callReport(m, table, method, [template, options]) {
  let all = false;
  // bad JSON is the report module's error ("report options: …"), as it always was
  try { all = JSON.parse(options)?.data === 'all'; } catch { /* */ }
  const r = m.prepareReport(table.toBytes(), table.annotationBytes(), table.reportRows(all), template, options);
  if (method === 'prepareReport' || !r.ok) return r;
  // buildReport: the draft finished at once (what report::build does)
  try { return r.draft.finish(template, options); } finally { r.draft.free(); }
}
