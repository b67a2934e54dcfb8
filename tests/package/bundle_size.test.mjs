// The download budget (issue 17): what a browser fetches for a page that imports rnnlab, creates
// a model and trains it, bundled and minified by Vite in production mode, gzipped (zlib level 9),
// on the SIMD path: the wasm, the Emscripten glue and the JS layer. A size is a fact, not a
// timing, so the test asserts it: under CEILING_BYTES, today's size with a little room, so any
// growth is a decision someone takes (and lowers the ceiling after a cut). The issue's target
// is TARGET_BYTES (100 KB); the test prints how far away that is. README.md, "Where the bytes go".
//
// The page is built from the repository (the package as a dependency of a fresh project),
// served, and run in headless Chromium; every response it receives is counted, so the figure
// is what a user downloads, not what a bundler happens to emit: the baseline build (and any
// chunk the page never asks for) is in the bundle but not fetched, and must stay that way.
//
// Needs: the built dist/wasm modules (npm run build:wasm), vite and playwright-core (devDependencies)
// and Chromium (/usr/bin/chromium, or $CHROMIUM). RNNLAB_KEEP_TMP=1 keeps the project.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/**
 * What the SIMD path may fetch, gzipped, today (KiB = 1024 bytes): 151.4 KiB on 2026-12-07, of
 * which 3.5 KiB is the forecaster's JS (statically imported by index.js for the synchronous
 * createForecaster); 153.9 KiB with issue 17's sampling kernel and core thread pool stub (wasm
 * +1.7 KiB) and init()'s choice of the threads build (JS +0.8 KiB); then 139.4 KiB without the
 * scalar reference kernels, libc's strtod / printf and part of the glue (README.md, "Where the
 * bytes go", second pass); 140.3 KiB with the batch-1 LSTM step split over the thread pool
 * (wasm +0.9 KiB: GEN's two-core sampling, worth more than its bytes).
 */
const CEILING_BYTES = 141 * 1024;
/** The issue's target, "under 100 KB", read as 100,000 bytes (not reached yet: printed). */
const TARGET_BYTES = 100_000;

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>rnnlab size</title><link rel="icon" href="data:," /></head>
  <body><p id="status">loading</p><script type="module" src="./main.js"></script></body>
</html>
`;

// The smallest real use: import, init, create, train, predict.
const MAIN = `import { init } from 'rnnlab';

const steps = 16;
const n = 64;
const x = new Float32Array(n * steps);
const y = new Float32Array(n);
for (let i = 0; i < n; i++) {
  for (let t = 0; t < steps; t++) x[i * steps + t] = Math.sin(0.3 * (i + t));
  y[i] = Math.sin(0.3 * (i + steps));
}
const status = document.getElementById('status');
init().then(async (rnn) => {
  const model = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 1 });
  const history = await model.fit({ x: { data: x, shape: [n, steps, 1] }, y }, { epochs: 2, batchSize: 16 });
  const p = model.predict({ data: x.subarray(0, steps), shape: [1, steps, 1] });
  model.dispose();
  status.textContent = JSON.stringify({ simd: rnn.simd, kernel: rnn.kernel, loss: history.loss, predicted: p.data.length });
}, (e) => { status.textContent = 'failed: ' + e.message; });
`;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

async function serve(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.join(dir, path.normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** What a file is, for the breakdown. */
function kind(file) {
  if (file.endsWith('.wasm')) return 'wasm';
  if (/^rnnlab-(simd|baseline)-/.test(path.basename(file))) return 'Emscripten glue';
  if (file.endsWith('.html')) return 'page';
  return 'JS (rnnlab layer + page)';
}

test('the SIMD path of a page that creates and trains a model stays under its gzipped ceiling, the baseline build unfetched', async () => {
  for (const v of ['simd', 'baseline']) {
    for (const ext of ['mjs', 'wasm']) {
      assert.ok(existsSync(path.join(ROOT, 'dist/wasm', `rnnlab-${v}.${ext}`)), `dist/wasm/rnnlab-${v}.${ext} is missing: run npm run build:wasm first`);
    }
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does), or set CHROMIUM`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'rnnlab-size-'));
  const { chromium } = await import('playwright-core');
  let server;
  let context;
  try {
    // A fresh project with rnnlab as its dependency (a link to this repository).
    const project = path.join(tmp, 'project');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, path.join(project, 'node_modules/rnnlab'), 'dir');
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'rnnlab-size', private: true, type: 'module' }));
    writeFileSync(path.join(project, 'index.html'), PAGE);
    writeFileSync(path.join(project, 'main.js'), MAIN);
    const { build } = await import('vite');
    const outDir = path.join(project, 'dist');
    await build({ root: project, configFile: false, logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true } });
    const assets = readdirSync(path.join(outDir, 'assets'));
    assert.ok(assets.some((f) => /^rnnlab-baseline-.*\.wasm$/.test(f)), `the baseline wasm is a separate asset: ${assets}`);

    const served = await serve(outDir);
    server = served.server;
    const origin = served.origin;
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await context.newPage();
    const fetched = new Set();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin === origin) fetched.add(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'loading', null, { timeout: 60000 });
    const result = await page.evaluate(() => document.getElementById('status')?.textContent ?? '');
    assert.doesNotMatch(result, /^failed/, result);
    const r = JSON.parse(result);
    assert.equal(r.simd, true, 'Chromium runs the SIMD build');
    assert.equal(r.kernel, 'wasmsimd');
    assert.equal(r.loss.length, 2);
    assert.equal(r.predicted, 1);

    const files = [...fetched].filter((f) => !f.endsWith('.html')).sort();
    assert.ok(files.some((f) => /rnnlab-simd-.*\.wasm$/.test(f)), `the SIMD wasm was fetched: ${files}`);
    for (const f of files) assert.doesNotMatch(f, /rnnlab-baseline/, `the SIMD path must not fetch the baseline build (${f})`);
    const rows = files.map((f) => {
      const bytes = readFileSync(path.join(outDir, f));
      return { file: f.replace(/^\//, ''), kind: kind(f), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const total = rows.reduce((s, x) => s + x.gzip, 0);
    const kib = (b) => (b / 1024).toFixed(1).padStart(6);
    console.log('SIMD path of a page that creates and trains a model (Vite production build, gzip -9):');
    for (const x of rows) console.log(`  ${kib(x.gzip)} KiB gz  ${kib(x.raw)} KiB raw  ${x.kind.padEnd(26)} ${x.file}`);
    console.log(`  ${kib(total)} KiB gz  total, ${total} bytes (ceiling ${CEILING_BYTES / 1024} KiB; target ${TARGET_BYTES} bytes: ` +
      `${total < TARGET_BYTES ? 'reached' : `${total - TARGET_BYTES} bytes (${kib(total - TARGET_BYTES).trim()} KiB) to go`})`);
    assert.ok(total < CEILING_BYTES, `the SIMD path fetches ${total} bytes gzipped, over the ceiling of ${CEILING_BYTES}`);
  } finally {
    await context?.close();
    server?.close();
    if (process.env.RNNLAB_KEEP_TMP) console.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
});
