// The threads build in Chromium: on a cross-origin isolated page (COOP/COEP) init() loads
// rnnlab-simd-threads with navigator.hardwareConcurrency threads (at most 4) and trains bit for
// bit as one thread does; without isolation it loads the single-thread SIMD build, silently.
// The package's own files are served from the repository (no bundler: the worker script sits
// beside its glue, as in the published package).
import assert from 'node:assert/strict';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch } from './_browser.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Serves bindings/ and dist/ of the repository, with or without the isolation headers. */
async function serve(isolated) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html', ...(isolated ? ISOLATION : {}) }).end('<!doctype html><title>threads</title>');
      return;
    }
    const file = path.join(ROOT, path.normalize(decodeURIComponent(url.pathname)));
    const allowed = ['bindings', 'dist'].some((d) => file.startsWith(path.join(ROOT, d) + path.sep));
    if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...(isolated ? ISOLATION : {}) });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { server, origin: `http://127.0.0.1:${port}/` };
}

// In the page: load with `opts`, train a char model 3 steps, report the build and the losses.
const TRAIN = async (opts) => {
  const { init } = await import('/bindings/js/index.js');
  const rnn = await init(opts);
  const m = rnn.createModel({ cell: 'lstm', hiddenSize: 96, vocabSize: 40, outputSize: 40, head: 'softmax', output: 'sequence' });
  const B = 32, T = 24;
  const x = Int32Array.from({ length: B * T }, (_, i) => (i * 7) % 40);
  const y = Int32Array.from({ length: B * T }, (_, i) => (i * 11 + 5) % 40);
  const losses = [];
  for (let i = 0; i < 3; ++i) losses.push(m.trainBatch({ data: x, shape: [B, T] }, { data: y, shape: [B, T] }));
  m.dispose();
  return { variant: rnn.build.variant, threads: rnn.threads, cores: navigator.hardwareConcurrency, isolated: globalThis.crossOriginIsolated, losses };
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function inPage(isolated, fn, arg) {
  const { server, origin } = await serve(isolated);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  try {
    await page.goto(origin);
    const out = await page.evaluate(fn, arg);
    return { out, errors };
  } finally {
    await page.close();
    server.close();
  }
}

test('isolated page: init() picks the threads build; its losses are bit for bit one thread\'s', async () => {
  const auto = await inPage(true, TRAIN, undefined);
  assert.deepEqual(auto.errors, []);
  assert.equal(auto.out.isolated, true);
  const want = Math.min(4, auto.out.cores);
  assert.equal(auto.out.threads, want);
  assert.equal(auto.out.variant, want > 1 ? 'simd-threads' : 'simd');
  const two = await inPage(true, TRAIN, { threads: 2 });
  const one = await inPage(true, TRAIN, { threads: 1 });
  assert.equal(two.out.variant, 'simd-threads');
  assert.equal(two.out.threads, 2);
  assert.equal(one.out.variant, 'simd');
  assert.ok(one.out.losses.every(Number.isFinite));
  assert.deepEqual(two.out.losses, one.out.losses);
  assert.deepEqual(auto.out.losses, one.out.losses);
});

test('page without isolation: one thread, silently; asking for two is a LOAD_FAILED', async () => {
  const plain = await inPage(false, TRAIN, undefined);
  assert.deepEqual(plain.errors, []);
  assert.equal(plain.out.isolated, false);
  assert.equal(plain.out.variant, 'simd');
  assert.equal(plain.out.threads, 1);
  const refused = await inPage(false, async () => {
    const { init } = await import('/bindings/js/index.js');
    try {
      await init({ threads: 2 });
      return 'loaded';
    } catch (e) {
      return `${e.code} ${e.field}`;
    }
  }, undefined);
  assert.equal(refused.out, 'LOAD_FAILED threads');
});
