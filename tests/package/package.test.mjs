// The npm package as users get it: `npm pack`, the tarball's contents, an install into a fresh
// project outside the repository, a Node script there, the .d.ts files under tsc --strict, and
// a page bundled with Vite and run in headless Chromium (main thread and rnnlab/worker).
//
// Needs: the built dist/wasm modules, the devDependencies (vite, playwright-core, typescript)
// and Chromium (/usr/bin/chromium, or $CHROMIUM). Set RNNLAB_KEEP_TMP=1 to keep the temporary
// project for inspection.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./project/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let tmp = '';
let tarball = '';
let files = /** @type {string[]} */ ([]);
let project = '';

function run(cmd, args, cwd, extra = {}) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...extra });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

before(() => {
  for (const v of ['simd', 'baseline']) {
    for (const ext of ['mjs', 'wasm']) {
      assert.ok(existsSync(path.join(ROOT, 'dist/wasm', `rnnlab-${v}.${ext}`)),
        `dist/wasm/rnnlab-${v}.${ext} is missing: run npm run build:wasm first`);
    }
  }
  tmp = mkdtempSync(path.join(tmpdir(), 'rnnlab-package-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp], ROOT));
  tarball = path.join(tmp, packed[0].filename);
  files = run('tar', ['-tzf', tarball], tmp).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
  // A fresh project outside the repository, with the tarball as its only dependency.
  project = path.join(tmp, 'project');
  cpSync(FIXTURE, project, { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'rnnlab-consumer', private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
});

after(() => {
  if (!tmp) return;
  if (process.env.RNNLAB_KEEP_TMP) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
});

test('npm pack: the tarball holds the builds, the JS, the types, README, LICENSE and package.json, nothing else', () => {
  console.log(`${path.basename(tarball)}: ${files.length} files, ${(statSync(tarball).size / 1024).toFixed(0)} KiB\n${files.join('\n')}`);
  const required = ['package.json', 'README.md', 'LICENSE', 'bindings/types/index.d.ts', 'bindings/types/worker.d.ts',
    'bindings/js/index.js', 'bindings/js/worker.js', 'bindings/js/worker_entry.js', 'bindings/js/worker_protocol.js'];
  for (const v of ['simd', 'baseline', 'simd-threads']) required.push(`dist/wasm/rnnlab-${v}.mjs`, `dist/wasm/rnnlab-${v}.wasm`);
  // The threads build's worker script, and the marker that makes Node read it as CommonJS.
  required.push('dist/wasm/rnnlab-simd-threads.worker.js', 'dist/wasm/package.json');
  for (const f of required) assert.ok(files.includes(f), `${f} is in the tarball`);
  // Every JS file of the package's JS layer ships, the converters loaded on demand included.
  for (const f of readdirSync(path.join(ROOT, 'bindings/js'), { recursive: true })) {
    if (f.endsWith('.js')) assert.ok(files.includes(`bindings/js/${f}`), f);
  }
  assert.ok(files.includes('bindings/js/interop/onnx_export.js'));
  assert.ok(files.includes('bindings/js/forecaster/fit.js'));
  for (const f of files) {
    assert.doesNotMatch(f, /^(tests|src|bench|web|scripts|examples|data|build|node_modules)\//, `${f} must not ship`);
    assert.match(f, /^(package\.json|README\.md|LICENSE|bindings\/js\/((interop|forecaster)\/)?[\w.]+\.js|bindings\/types\/[\w.]+\.d\.ts|dist\/wasm\/(rnnlab-(simd|baseline|simd-threads)\.(mjs|wasm)|rnnlab-simd-threads\.worker\.js|package\.json))$/,
      `${f}: only the package's own files ship`);
  }
});

test('installed tarball: a Node script trains through rnnlab and rnnlab/worker', () => {
  const out = run(process.execPath, ['train.mjs'], project, { timeout: 120000 });
  const r = JSON.parse(out.trim().split('\n').at(-1));
  assert.equal(r.version, '0.1.0');
  assert.equal(r.simd, true);
  assert.equal(r.workerSimd, true);
  assert.equal(r.main.length, 5);
  assert.ok(r.main.at(-1) < r.main[0] * 0.5, `main-thread loss fell: ${r.main}`);
  assert.ok(r.worker.at(-1) < r.worker[0] * 0.5, `worker loss fell: ${r.worker}`);
  assert.deepEqual(r.worker, r.main, 'same seed and data: the same run in the worker');
  assert.equal(r.batches, 5 * 8);
  assert.deepEqual(r.error, { rnnlabError: true, code: 'SHAPE_MISMATCH', field: 'y' });
  assert.equal(r.predicted.length, 1);
  assert.equal(r.deepImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  assert.equal(r.onnxSameWeights, true, 'exportOnnx/loadOnnx work from the installed package');
  assert.equal(r.forecast.length, 6);
  assert.ok(r.forecast.every(Number.isFinite));
  assert.deepEqual(r.workerForecast, r.forecast, 'the forecaster fits from the installed package, in a worker too');
});

test('installed tarball: the .d.ts files type-check a consumer under tsc --strict', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  assert.ok(existsSync(tsc), 'typescript (a devDependency) is installed: npm ci');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
});

/** Serves `dir` on 127.0.0.1 (a free port) with the MIME types a page with wasm needs. */
async function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.join(dir, path.normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { server, origin: `http://127.0.0.1:${port}` };
}

test('Vite bundle in headless Chromium: trains on the main thread and in the worker, SIMD, no errors, a good guest', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does), or set CHROMIUM`);
  const { build } = await import('vite');
  const outDir = path.join(project, 'web-dist');
  await build({
    root: path.join(project, 'web'),
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const built = readdirSync(path.join(outDir, 'assets'));
  console.log(`vite build: ${built.join(', ')}`);
  assert.ok(built.some((f) => /^rnnlab-simd-.*\.wasm$/.test(f)), 'the SIMD wasm is an asset');
  assert.ok(built.some((f) => /^rnnlab-baseline-.*\.wasm$/.test(f)), 'the baseline wasm is an asset');
  assert.ok(built.some((f) => /^worker_entry-.*\.js$/.test(f)), 'the worker is bundled');

  const { server, origin } = await serve(outDir);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmp, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const problems = [];
  const consoleMessages = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => {
      consoleMessages.push(`${m.type()}: ${m.text()}`);
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 30000 });

    const main = await page.evaluate(() => /** @type {any} */ (window).rnnlabTest.mainThread());
    console.log(`chromium main thread: simd ${main.simd}, kernel ${main.kernel}, loss ${main.loss.map((l) => l.toFixed(4)).join(' ')}`);
    assert.equal(main.simd, true, 'Chromium runs the SIMD build');
    assert.equal(main.kernel, 'wasmsimd');
    assert.ok(main.loss.at(-1) < main.loss[0] * 0.5, `main-thread loss fell: ${main.loss}`);

    const w = await page.evaluate(() => /** @type {any} */ (window).rnnlabTest.worker());
    console.log(`chromium worker: simd ${w.simd}, loss ${w.loss.map((l) => l.toFixed(4)).join(' ')}, abort after ${w.abortedBatches} batches`);
    assert.equal(w.simd, true, 'the worker runs the SIMD build');
    assert.deepEqual(w.loss, main.loss, 'same seed and data: the same run in the worker');
    assert.deepEqual(w.epochs, [0, 1, 2, 3, 4], 'onEpochEnd relayed');
    assert.equal(w.aborted, true);
    assert.equal(w.abortedBatches, 4);
    assert.deepEqual({ ...w.error, message: undefined }, { rnnlabError: true, isError: true, code: 'INVALID_CONFIG', field: 'epochs', message: undefined });
    assert.match(w.error.message, /^epochs: /);
    assert.equal(w.predicted, 1);
    assert.equal(w.liveHandles, 1);

    // A good guest: loading and using rnnlab (both builds, a worker) set no window.onerror or
    // onunhandledrejection, added no such listener nor any global, and printed nothing.
    const guest = await page.evaluate(() => /** @type {any} */ (window).rnnlabTest.guest());
    assert.equal(guest.baselineSimd, false);
    assert.deepEqual(guest.added, [], 'no new globals on window');
    assert.deepEqual(guest.listeners, [], 'no window error / unhandledrejection listener');
    assert.equal(guest.onerror, true, 'window.onerror untouched');
    assert.equal(guest.onunhandledrejection, true, 'window.onunhandledrejection untouched');
    assert.deepEqual(consoleMessages, [], 'nothing printed to the console');
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
  } finally {
    await context.close();
    server.close();
  }
});
