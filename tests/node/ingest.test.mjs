// The page's file reading (www/ingest.js) in Node: a large Blob is read by a reader
// worker that transfers its slices (workerChunks); a small one, or a browser that cannot
// start the worker, reads on the calling thread (sliceChunks). Node has no web Worker,
// so these tests install one that runs the reader's real source (the Blob URL ingest.js
// makes) in this process with the same messages; Chromium runs it for real in the e2e
// suite (tests/e2e/worker-cases.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveObjectURL } from 'node:buffer';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { fileSource } = await import(pathToFileURL(path.join(root, 'www', 'ingest.js')).href);

const MiB = 1024 * 1024;
/** A Blob of `n` bytes of a pattern that shows any slice out of place. */
function patterned(n) {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = (i * 2654435761) >>> 24;
  return { bytes: a, blob: new Blob([a]) };
}
/** Reads every chunk of a source; returns the chunks' lengths and their bytes joined. */
async function readAll(src, { stopAfter = Infinity } = {}) {
  const lens = [];
  const parts = [];
  for await (const c of src.chunks()) {
    lens.push(c.length);
    parts.push(c.slice());
    if (lens.length >= stopAfter) break;
  }
  return { lens, joined: Buffer.concat(parts) };
}

/**
 * A stand-in for the browser's Worker: runs the script behind a Blob URL in this
 * process with its own `self`, delivering messages asynchronously both ways.
 * `breakAfter` makes it die (an `error` event) after posting that many slices.
 */
class FakeWorker {
  static started = 0;
  static live = 0;
  static breakAfter = Infinity;
  static maxUntaken = 0;
  constructor(url) {
    FakeWorker.started++;
    FakeWorker.live++;
    this.onmessage = null;
    this.onerror = null;
    this.dead = false;
    this.posted = 0;
    this.taken = 0;
    const blob = resolveObjectURL(String(url));
    assert.ok(blob, `the worker's URL is a Blob URL of this process: ${url}`);
    const scope = {
      onmessage: null,
      postMessage: (m) => {
        if (this.dead) return;
        if (m.buf) {
          this.posted++;
          FakeWorker.maxUntaken = Math.max(FakeWorker.maxUntaken, this.posted - this.taken);
          if (this.posted > FakeWorker.breakAfter) {
            this.dead = true;
            setTimeout(() => this.onerror?.({ preventDefault() {} }));
            return;
          }
        }
        setTimeout(() => { if (!this.terminated) this.onmessage?.({ data: m }); });
      },
    };
    this.scope = scope;
    this.ready = blob.text().then((src) => { new Function('self', src)(scope); });
  }
  postMessage(m) {
    if (m.take) this.taken += m.take;
    this.ready.then(() => setTimeout(() => { if (!this.dead && !this.terminated) this.scope.onmessage?.({ data: m }); }));
  }
  terminate() {
    if (!this.terminated) FakeWorker.live--;
    this.terminated = true;
    this.dead = true;
  }
}

function withWorker(Impl, fn) {
  return async () => {
    const before = globalThis.Worker;
    globalThis.Worker = Impl;
    Object.assign(FakeWorker, { started: 0, live: 0, breakAfter: Infinity, maxUntaken: 0 });
    try { await fn(); } finally { globalThis.Worker = before; }
  };
}

const big = patterned(41 * MiB + 12345); // over the 32 MiB at which the reader worker is used

test('ingest: a large file is read by one reader worker, in order, 256 KiB first and then 4 MiB slices', withWorker(FakeWorker, async () => {
  const { lens, joined } = await readAll(fileSource(big.blob, 'big.log'));
  assert.equal(FakeWorker.started, 1);
  assert.equal(FakeWorker.live, 0, 'the reader is ended with the read');
  assert.ok(Buffer.from(big.bytes).equals(joined), 'the bytes read are the file');
  assert.equal(lens[0], 256 * 1024);
  assert.ok(lens.slice(1, -1).every((n) => n === 4 * MiB), `slices: ${lens}`);
  assert.ok(FakeWorker.maxUntaken <= 4, `at most 4 slices read ahead of the decoder: ${FakeWorker.maxUntaken}`);
}));

test('ingest: a read stopped early (Cancel, the memory budget) ends the reader worker', withWorker(FakeWorker, async () => {
  const { lens, joined } = await readAll(fileSource(big.blob, 'big.log'), { stopAfter: 3 });
  assert.equal(lens.length, 3);
  assert.ok(Buffer.from(big.bytes.subarray(0, joined.length)).equals(joined));
  assert.equal(FakeWorker.live, 0, 'terminated');
}));

test('ingest: a reader worker that dies mid-file: the rest is read here, nothing lost or repeated', withWorker(FakeWorker, async () => {
  FakeWorker.breakAfter = 3;
  const { joined } = await readAll(fileSource(big.blob, 'big.log'));
  assert.equal(FakeWorker.started, 1);
  assert.ok(Buffer.from(big.bytes).equals(joined), 'the bytes read are the file');
}));

test('ingest: no worker can start (no nested workers, a CSP without blob:): read on this thread', withWorker(class { constructor() { throw new Error('SecurityError'); } }, async () => {
  const { lens, joined } = await readAll(fileSource(big.blob, 'big.log'));
  assert.ok(Buffer.from(big.bytes).equals(joined));
  assert.equal(lens[0], 256 * 1024);
}));

test('ingest: a small file never starts a reader worker', withWorker(FakeWorker, async () => {
  const small = patterned(5 * MiB + 7);
  const { lens, joined } = await readAll(fileSource(small.blob, 'small.log'));
  assert.equal(FakeWorker.started, 0);
  assert.ok(Buffer.from(small.bytes).equals(joined));
  assert.deepEqual(lens, [256 * 1024, 4 * MiB, 5 * MiB + 7 - 256 * 1024 - 4 * MiB]);
}));

test('ingest: a slice the reader cannot read is an error of the read, not a silent end', withWorker(FakeWorker, async () => {
  const broken = { size: 40 * MiB, slice: () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError: the file changed')) }) };
  await assert.rejects(readAll(fileSource(/** @type {any} */ (broken), 'gone.log')), /the file changed/);
  assert.equal(FakeWorker.live, 0);
}));
