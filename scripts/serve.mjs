#!/usr/bin/env node
// Tiny zero-dependency static server for dist/: `npm start` and the browser tests
// (tests/e2e/harness.mjs imports startServer) use this one server.
//   node scripts/serve.mjs [dir=dist] [--port 8080] [--host 127.0.0.1]
// Env: PORT, HOST. Serves only files under `dir`; `/` -> index.html.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The server for the files under `root` (not listening yet), with the page's CSP sent
 * as a header too.
 * @param {string} root
 * @param {{log?: boolean}} [opts] log 404s to the console
 */
export function createServer(root, { log = false } = {}) {
  // The page's own CSP (its <meta>), sent as a header too, with what only a header can
  // say (frame-ancestors); COOP cuts the link to a window that opened this one, so a page
  // on another origin cannot rewrite our URL fragment from outside.
  const metaCsp = (fs.readFileSync(path.join(root, 'index.html'), 'utf8')
    .match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i) || [])[1];
  const SECURITY_HEADERS = {
    ...(metaCsp ? { 'Content-Security-Policy': `${metaCsp}; frame-ancestors 'none'` } : {}),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };

  const MIME = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.wasm': 'application/wasm',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.ico': 'image/x-icon',
    '.woff2': 'font/woff2',
    '.txt': 'text/plain; charset=utf-8',
    '.log': 'text/plain; charset=utf-8',
    '.csv': 'text/csv; charset=utf-8',
    '.ts': 'text/plain; charset=utf-8',
    '.gz': 'application/gzip',
  };

  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = fs.existsSync(file) ? fs.statSync(file) : null;
      }
      if (err || !st || !st.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        if (log) console.log(`404 ${req.url}`);
        return;
      }
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        ...SECURITY_HEADERS,
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
}

/**
 * Serves `dir` on `host:port` (port 0: any free port); resolves once listening.
 * @param {string} dir
 * @param {{port?: number, host?: string, log?: boolean}} [opts]
 * @returns {Promise<http.Server>}
 */
export function startServer(dir, { port = 0, host = '127.0.0.1', log = false } = {}) {
  const server = createServer(path.resolve(dir), { log });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function main() {
  const args = process.argv.slice(2);
  let dir = 'dist';
  let port = Number(process.env.PORT || 8080);
  let host = process.env.HOST || '127.0.0.1';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') port = Number(args[++i]);
    else if (args[i] === '--host') host = args[++i];
    else dir = args[i];
  }
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${root}/index.html not found (run npm run build first)`);
    process.exit(1);
  }
  let server;
  try {
    server = await startServer(root, { port, host, log: true });
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(1);
  }
  const shown = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
  console.log(`flowlens: serving ${path.relative(process.cwd(), root) || '.'} at http://${shown}:${port}/`);
  console.log(`          single file (works offline from disk): ${path.join(root, 'flowlens.html')}`);
  console.log('          Ctrl-C to stop');
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
