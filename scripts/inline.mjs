#!/usr/bin/env node
// scripts/inline.mjs — turn dist/index.html into ONE self-contained HTML file that
// works from file:// with no network (module imports and fetch() don't work there).
//
//   node scripts/inline.mjs dist/index.html dist/flowlens.html
//
// ─── Conventions the page (www/) must follow ──────────────────────────────────────
// The inliner is a small regex-based bundler, not a JS parser. It supports:
//
//  HTML
//   • <link rel="stylesheet" href="x.css">     → <style>…</style> (relative hrefs only)
//   • <link rel="icon" href="x.svg|png|ico">   → data: URI (img-src gets `data:`)
//   • <script type="module" src="./app.js">    → bundled; ALL module scripts of the page
//     and inline <script type="module">…</script> (in document order) become ONE inline
//     <script type="module"> at the place of the first one.
//   • <link rel="modulepreload|preload" …>     → dropped.
//   • Classic <script src="x.js"> (non-module) → inlined as-is (no import rewriting).
//   • <meta http-equiv="Content-Security-Policy"> → rewritten: script-src gets the
//     sha256 hash of the inline bundle + 'wasm-unsafe-eval'; style-src gets the hashes
//     of the inlined <style> blocks (unless it already allows 'unsafe-inline'). Other
//     directives are kept, except connect-src, which is forced to 'none' (the served
//     multi-file page needs connect-src 'self' so that init() can fetch the .wasm —
//     fetch() is governed by connect-src; the single file fetches nothing). Inline style="" attributes in the
//     HTML need style-src 'unsafe-inline' in the page's own CSP (setting el.style.x
//     from JS is fine).
//
//  JS modules (each must be a relative path ending in .js: './x.js', '../y.js')
//   • import { a, b as c } from './x.js';       (may span lines)
//   • import X from './x.js';   import X, { a } from './x.js';   import * as ns from './x.js';
//   • import './x.js';                           (side effects only)
//   • export function f / export async function f / export class C
//   • export const|let|var x = …                (ONE declarator per statement)
//   • export default function f / class C / <expression>;
//   • export { a, b as c };   export { a } from './x.js';   export * from './x.js';
//   • `import` / `export` must start at column 0 (top level). Top-level await is fine.
//   • new URL('./w.js', import.meta.url) /* worker */   (a module worker's script URL,
//     marked so): w.js and its imports are bundled separately (wasm-bindgen glue
//     included, see below) into a string in the page, and the expression becomes the
//     Blob URL of that bundle (a string); the CSP gets worker-src blob: (a worker from a
//     Blob URL keeps the page's CSP). The bundle is a CLASSIC script (Chromium refuses
//     module workers from Blob URLs of a file:// page): start it with { type: 'classic' }
//     when its URL is a blob: URL. import.meta.url in it reads self.location.href.
//   NOT supported: bare specifiers ('lodash'), dynamic import(), import cycles,
//   live bindings (an importer sees an exported `let` as it was when the exporting
//   module finished evaluating), destructuring exports, unmarked worker URLs.
//
//  wasm-bindgen glue
//   • A module `X.js` with a sibling `X_bg.wasm` (e.g. ./pkg/flowlens.js next to
//     ./pkg/flowlens_bg.wasm) is treated as wasm-bindgen `--target web` output: the
//     wasm is embedded as base64 and the default export (`init`) is replaced by a
//     function that compiles the embedded bytes and calls initSync({ module }).
//     So `import init, { initSync, Decoder } from './pkg/flowlens.js'; await init();`
//     works unchanged (init's arguments are ignored). Use `await init()` in the page,
//     not initSync(...) with fetched bytes: the single file has nothing to fetch.
//
//  Other files the page references at run time (sample logs, images by URL) are NOT
//  embedded; the single file can't fetch them (connect-src 'none' anyway).
// ──────────────────────────────────────────────────────────────────────────────────
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/inline.mjs <dist/index.html> <out.html>');
  process.exit(2);
}
const htmlPath = path.resolve(input);
const baseDir = path.dirname(htmlPath);
let html = fs.readFileSync(htmlPath, 'utf8');
const warnings = [];
const warn = (m) => warnings.push(m);

function fail(msg) {
  console.error(`inline.mjs: ERROR: ${msg}`);
  process.exit(1);
}

function attrs(tagText) {
  const out = {};
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  const inner = tagText.replace(/^<\w+/, '').replace(/\/?>$/, '');
  let m;
  while ((m = re.exec(inner))) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

function isRemote(href) {
  return /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(href);
}

function localFile(fromDir, href) {
  const clean = href.split(/[?#]/)[0];
  const p = path.resolve(fromDir, decodeURI(clean));
  if (!fs.existsSync(p)) fail(`${href} (from ${path.relative(baseDir, fromDir) || '.'}) not found: ${p}`);
  return p;
}

const sha256 = (s) => `'sha256-${crypto.createHash('sha256').update(s, 'utf8').digest('base64')}'`;
// Text inside <script>/<style> must not close the element early.
const escScript = (s) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const escStyle = (s) => s.replace(/<\/(style)/gi, '<\\/$1');

// ─── the module bundler ──────────────────────────────────────────────────────────
// One bundle's registry; a worker bundle gets its own (see bundleWorker).
let modules = new Map(); // abs path -> { id, code }
let order = []; // evaluation order (post-order DFS)
let visiting = new Set();
let wasmBytes = 0;
const embedded = new Set(); // wasm files embedded so far, in any bundle
let workers = 0; // worker bundles made (the CSP then allows blob: workers)

/** The worker script `file` and its imports as one module script (text). */
function bundleWorker(file) {
  const saved = [modules, order, visiting];
  [modules, order, visiting] = [new Map(), [], new Set()];
  load(file);
  const parts = [];
  for (const f of order) parts.push(modules.get(f).code);
  [modules, order, visiting] = saved;
  workers++;
  // A classic script: the modules' top-level awaits run inside one async function (all
  // of them settle in microtasks, before the first message is delivered).
  const body = parts.join('\n').replace(/\bimport\.meta\.url\b/g, 'self.location.href');
  if (/\bimport\.meta\b/.test(body)) fail(`${path.relative(baseDir, file)}: import.meta other than import.meta.url in a worker`);
  return `// flowlens worker bundle (${path.relative(baseDir, file)}), generated by scripts/inline.mjs\n` +
    `(async () => {\n${body}\n})().catch((e) => { setTimeout(() => { throw e; }); });\n`;
}

const WORKER_RE = /new URL\((['"])(\.{1,2}\/[^'"]+\.js)\1,\s*import\.meta\.url\)\s*\/\*\s*worker\s*\*\//g;

/** Worker script URLs of `code` (from `file`) become Blob URLs of their bundles. */
function rewriteWorkers(code, file) {
  const defs = [];
  code = code.replace(WORKER_RE, (_, _q, spec) => {
    const n = workers;
    const src = bundleWorker(resolveSpec(spec, file));
    defs.push(`const __worker_src_${n} = ${JSON.stringify(src)};\n` +
      `let __worker_url_${n} = null;\n` +
      `const __worker_${n} = () => __worker_url_${n} || (__worker_url_${n} = URL.createObjectURL(new Blob([__worker_src_${n}], { type: 'text/javascript' })));\n`);
    return `__worker_${n}()`;
  });
  return defs.join('') + code;
}

function modId(file) {
  const rel = path.relative(baseDir, file).replace(/[^A-Za-z0-9_$]/g, '_');
  return `__m_${rel}`;
}

function importBinding(clause, id) {
  // clause: "X" | "{ a, b as c }" | "X, { a }" | "* as ns" | "X, * as ns"
  const out = [];
  let rest = clause.trim();
  const def = rest.match(/^([A-Za-z_$][\w$]*)\s*(?:,\s*|$)/);
  if (def) {
    out.push(`const ${def[1]} = ${id}.default;`);
    rest = rest.slice(def[0].length).trim();
  }
  if (rest.startsWith('*')) {
    const ns = rest.match(/^\*\s*as\s+([A-Za-z_$][\w$]*)$/);
    if (!ns) fail(`unsupported import clause: ${clause}`);
    out.push(`const ${ns[1]} = ${id};`);
  } else if (rest.startsWith('{')) {
    const names = rest.replace(/^\{|\}$/g, '').split(',').map((s) => s.trim()).filter(Boolean);
    const parts = names.map((n) => {
      const m = n.match(/^([A-Za-z_$][\w$]*|default)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/);
      if (!m) fail(`unsupported import specifier: ${n}`);
      return m[2] ? `${m[1]}: ${m[2]}` : m[1];
    });
    if (parts.length) out.push(`const { ${parts.join(', ')} } = ${id};`);
  } else if (rest) {
    fail(`unsupported import clause: ${clause}`);
  }
  return out.join(' ');
}

function resolveSpec(spec, fromFile) {
  if (!/^\.{1,2}\//.test(spec)) fail(`${path.relative(baseDir, fromFile)}: only relative imports are supported, got '${spec}'`);
  return localFile(path.dirname(fromFile), spec);
}

// Rewrites imports of `code` (belonging to `file`, or inline when file is the HTML) to
// references of already-evaluated module objects. Returns the rewritten code.
function rewriteImports(code, file) {
  code = code.replace(/^import\s+(['"])([^'"]+)\1\s*;?/gm, (_, _q, spec) => {
    load(resolveSpec(spec, file));
    return '';
  });
  code = code.replace(/^import\s+([\w$*{][^;'"]*?)\s+from\s+(['"])([^'"]+)\2\s*;?/gm, (_, clause, _q, spec) => {
    const id = load(resolveSpec(spec, file));
    return importBinding(clause.replace(/\s+/g, ' '), id);
  });
  if (/^\s*import\s/m.test(code)) {
    const line = code.split('\n').find((l) => /^\s*import\s/.test(l));
    fail(`${path.relative(baseDir, file)}: import not understood (must start at column 0): ${line.trim()}`);
  }
  // (JSDoc types, `{import('./x.js').T}`, are not imports: comments are left out)
  if (/\bimport\s*\(/.test(code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''))) warn(`${path.relative(baseDir, file)}: dynamic import() is not bundled`);
  return code;
}

function rewriteExports(code, file) {
  const exp = []; // "name" or "exported: local"
  const spreads = [];
  code = code.replace(/^export\s+\*\s+from\s+(['"])([^'"]+)\1\s*;?/gm, (_, _q, spec) => {
    spreads.push(load(resolveSpec(spec, file)));
    return '';
  });
  code = code.replace(/^export\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2\s*;?/gm, (_, list, _q, spec) => {
    const id = load(resolveSpec(spec, file));
    for (const n of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = n.match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (!m) fail(`unsupported re-export: ${n}`);
      exp.push(`${m[2] ?? m[1]}: ${id}.${m[1]}`);
    }
    return '';
  });
  code = code.replace(/^export\s*\{([^}]*)\}\s*;?/gm, (_, list) => {
    for (const n of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = n.match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (!m) fail(`unsupported export specifier: ${n}`);
      exp.push(m[2] ? `${m[2]}: ${m[1]}` : m[1]);
    }
    return '';
  });
  code = code.replace(/^export\s+default\s+((?:async\s+)?function\s*\*?\s*|class\s+)([A-Za-z_$][\w$]*)/gm, (_, kw, name) => {
    exp.push(`default: ${name}`);
    return `${kw}${name}`;
  });
  code = code.replace(/^export\s+default\s+/gm, () => {
    exp.push('default: __default');
    return 'const __default = ';
  });
  code = code.replace(/^export\s+((?:async\s+)?function\s*\*?\s*|class\s+|const\s+|let\s+|var\s+)([A-Za-z_$][\w$]*)/gm, (_, kw, name) => {
    exp.push(name);
    return `${kw}${name}`;
  });
  if (/^export\s/m.test(code)) {
    const line = code.split('\n').find((l) => /^export\s/.test(l));
    fail(`${path.relative(baseDir, file)}: export not understood: ${line.trim()}`);
  }
  const obj = [...spreads.map((s) => `...${s}`), ...exp].join(', ');
  return { code, ret: `return Object.freeze({ ${obj} });` };
}

function load(file) {
  if (modules.has(file)) return modules.get(file).id;
  if (visiting.has(file)) fail(`import cycle through ${path.relative(baseDir, file)}`);
  visiting.add(file);
  const id = modId(file);
  let code = fs.readFileSync(file, 'utf8');
  code = rewriteImports(code, file);
  code = rewriteWorkers(code, file);
  const { code: body, ret } = rewriteExports(code, file);
  let text = `// ── ${path.relative(baseDir, file)}\nconst ${id} = await (async () => {\n${body}\n${ret}\n})();\n`;

  const wasmFile = file.replace(/\.js$/, '_bg.wasm');
  if (fs.existsSync(wasmFile)) {
    // wasm-bindgen glue: embed the module and make `init()` synchronous-from-bytes.
    // Each module is embedded once in the whole file: a second bundle importing the same
    // glue (the page and a worker) would carry its wasm twice. Load it in one of them.
    if (embedded.has(wasmFile)) fail(`${path.relative(baseDir, wasmFile)} is imported by two bundles (the page and a worker, or two workers): it would be embedded twice`);
    embedded.add(wasmFile);
    const bytes = fs.readFileSync(wasmFile);
    wasmBytes += bytes.length;
    const b64Id = `${id}_wasm_b64`;
    text =
      `const ${b64Id} = "${bytes.toString('base64')}";\n` +
      text.replace(/const (\S+) = await \(async/, 'const $1_raw = await (async') +
      `const ${id} = Object.freeze({ ...${id}_raw, default: async () => {\n` +
      `  const bin = Uint8Array.from(atob(${b64Id}), (c) => c.charCodeAt(0));\n` +
      `  // compile off the main thread's sync-compile size limit, then instantiate synchronously\n` +
      `  return ${id}_raw.initSync({ module: await WebAssembly.compile(bin) });\n` +
      `} });\n`;
    if (!/initSync/.test(body)) fail(`${path.relative(baseDir, file)} looks like wasm-bindgen glue but has no initSync`);
  }
  visiting.delete(file);
  modules.set(file, { id, code: text });
  order.push(file);
  return id;
}

// ─── HTML rewriting ──────────────────────────────────────────────────────────────
const styleHashes = [];
let hasIcon = false;

html = html.replace(/<link\b[^>]*>/gi, (tag) => {
  const a = attrs(tag);
  const rel = (a.rel || '').toLowerCase().split(/\s+/);
  if (rel.includes('stylesheet')) {
    if (isRemote(a.href)) fail(`remote stylesheet ${a.href}`);
    const file = localFile(baseDir, a.href);
    let css = fs.readFileSync(file, 'utf8');
    if (/@import\s/.test(css)) warn(`${a.href}: @import is not inlined`);
    for (const m of css.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)) {
      if (!isRemote(m[1]) && !m[1].startsWith('#')) warn(`${a.href}: url(${m[1]}) is not inlined`);
    }
    css = escStyle(css);
    styleHashes.push(sha256(css));
    const media = a.media ? ` media="${a.media}"` : '';
    return `<style${media}>${css}</style>`;
  }
  if (rel.includes('icon') && a.href && !isRemote(a.href)) {
    const file = localFile(baseDir, a.href);
    const ext = path.extname(file).toLowerCase();
    const mime = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' }[ext] || 'application/octet-stream';
    hasIcon = true;
    return `<link rel="${a.rel}" href="data:${mime};base64,${fs.readFileSync(file).toString('base64')}">`;
  }
  if (rel.includes('modulepreload') || rel.includes('preload') || rel.includes('prefetch')) return '';
  return tag;
});

// Existing inline <style> blocks need hashes too.
for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
  const h = sha256(m[1]);
  if (!styleHashes.includes(h)) styleHashes.push(h);
}

const entries = []; // module code pieces in document order
const classicHashes = [];
let firstModuleMarker = null;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrText, body) => {
  const a = attrs(`<script ${attrText}>`);
  const type = (a.type || '').toLowerCase();
  if (type === 'module') {
    if (a.src) {
      if (isRemote(a.src)) fail(`remote module script ${a.src}`);
      entries.push(load(localFile(baseDir, a.src)));
    } else {
      const code = rewriteImports(body, htmlPath);
      entries.push({ inline: code });
    }
    if (firstModuleMarker) return '';
    firstModuleMarker = '<!--FLOWLENS_BUNDLE-->';
    return firstModuleMarker;
  }
  if (!type || type === 'text/javascript' || type === 'application/javascript') {
    let code = body;
    if (a.src) {
      if (isRemote(a.src)) fail(`remote script ${a.src}`);
      code = fs.readFileSync(localFile(baseDir, a.src), 'utf8');
    }
    code = escScript(code);
    classicHashes.push(sha256(code));
    return `<script>${code}</script>`;
  }
  return whole; // data blocks (application/json, …) stay
});

let bundleHash = null;
if (firstModuleMarker) {
  const parts = ['// flowlens single-file bundle, generated by scripts/inline.mjs — do not edit'];
  for (const file of order) parts.push(modules.get(file).code);
  for (const e of entries) if (typeof e === 'object') parts.push(`// ── inline module\n{\n${e.inline}\n}`);
  const bundle = escScript(parts.join('\n'));
  bundleHash = sha256(bundle);
  html = html.replace(firstModuleMarker, () => `<script type="module">${bundle}</script>`);
} else {
  warn('no <script type="module"> found');
}

// ─── CSP ─────────────────────────────────────────────────────────────────────────
let cspFound = false;
html = html.replace(/<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi, (tag) => {
  cspFound = true;
  const a = attrs(tag);
  const dirs = new Map();
  for (const d of (a.content || '').split(';').map((s) => s.trim()).filter(Boolean)) {
    const [name, ...vals] = d.split(/\s+/);
    dirs.set(name.toLowerCase(), vals);
  }
  const base = dirs.get('default-src') || [];
  const withHashes = (name, hashes, extra = []) => {
    let vals = [...(dirs.get(name) || base)].filter((v) => v !== "'none'");
    if (vals.includes("'unsafe-inline'") && hashes.length === 0) return;
    if (vals.includes("'unsafe-inline'")) vals = vals.filter((v) => v !== "'unsafe-inline'");
    for (const v of [...hashes, ...extra]) if (!vals.includes(v)) vals.push(v);
    dirs.set(name, vals.length ? vals : ["'none'"]);
  };
  withHashes('script-src', [bundleHash, ...classicHashes].filter(Boolean), ["'wasm-unsafe-eval'"]);
  if (!(dirs.get('style-src') || base).includes("'unsafe-inline'")) withHashes('style-src', styleHashes);
  // From file://, 'self' matches every local file: the single file allows only what it
  // carries (its hashes, data: images), never 'self'.
  for (const [k, v] of dirs) {
    const kept = v.filter((x) => x !== "'self'");
    dirs.set(k, kept.length ? kept : ["'none'"]);
  }
  // The single file never needs the network: whatever the served page allows for
  // fetching its .wasm (connect-src 'self'), the single file gets connect-src 'none'.
  dirs.set('connect-src', ["'none'"]);
  // Its workers start from Blob URLs of their bundles (rewriteWorkers), nothing else.
  if (workers) dirs.set('worker-src', ['blob:']);
  if (hasIcon) {
    const img = [...(dirs.get('img-src') || base)].filter((v) => v !== "'none'");
    if (!img.includes('data:')) dirs.set('img-src', [...img, 'data:']);
  }
  const content = [...dirs].map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
  return `<meta http-equiv="Content-Security-Policy" content="${content}">`;
});
if (!cspFound) warn('no Content-Security-Policy <meta> in the page; none added');

html = html.replace(/<html\b[^>]*>/i, (t) => `${t}\n<!-- single-file build of flowlens: works from file:// with no network. Generated by scripts/inline.mjs -->`);
fs.writeFileSync(output, html);

for (const w of warnings) console.warn(`inline.mjs: warning: ${w}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`inline.mjs: ${path.relative(process.cwd(), output)}: ${kb(Buffer.byteLength(html))} ` +
  `(${order.length} module(s), ${workers} worker bundle(s), wasm ${kb(wasmBytes)} embedded as base64)`);
