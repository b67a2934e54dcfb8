#!/usr/bin/env node
// browser_bench: rnnlab (SIMD and baseline builds, through the public API) and TF.js 4.22 (wasm
// backend, one thread) on the CONFIGS.md configurations in headless Debian Chromium
// (/usr/bin/chromium via playwright-core; no browser is ever downloaded). Serves the repository
// on 127.0.0.1 (cross-origin isolated only when rnnlab-threads runs: its SharedArrayBuffer;
// TF.js is set to one thread either way), runs every
// implementation in a fresh page per configuration, interleaved per configuration (the order
// rotates each round), and prints the figures and the ratios TF.js ms / rnnlab ms. Figures only.
//
//   node bench/js/browser_bench.mjs [--impl rnnlab-simd,rnnlab-baseline,tfjs-wasm,rnnlab-threads] [--rounds N]
//        [--steps N] [--warmup N] [--only ID[,ID...]] [--json] [--wasm-dir DIR] [--tfjs-infer ops|predict]
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_IDS, USAGE_COMMON, headerLine, parseArgs, rowLines, selectedIds } from './common.mjs';
import { ROOT, cpuModel, fail, loadavg } from './node_env.mjs';

export const IMPLS = ['rnnlab-simd', 'rnnlab-baseline', 'tfjs-wasm', 'rnnlab-threads'];
/** Implementations run unless --impl names them (rnnlab-threads: the SIMD build on 2 threads). */
export const DEFAULT_IMPLS = ['rnnlab-simd', 'rnnlab-baseline', 'tfjs-wasm'];
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json' };
// Cross-origin isolation (as the playground's server sends): SharedArrayBuffer, so the threads
// build can run (serve({ isolated })). Every implementation is told its thread count.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
const PAGE = '<!doctype html><meta charset="utf-8"><title>rnnlab browser bench</title><body>rnnlab browser bench</body>';

/**
 * Serves the repository read-only on 127.0.0.1 (a free port). wasmDir: serve
 * /dist/wasm/rnnlab-*.wasm from there (an experimental build with the shipped glue).
 */
export function serve({ wasmDir, isolated = false } = {}) {
  const headers = isolated ? ISOLATION : {};
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '/bench.html') {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', ...headers });
      res.end(PAGE);
      return;
    }
    let file = path.join(ROOT, path.normalize(rel));
    if (wasmDir && /^\/dist\/wasm\/rnnlab-[a-z]+\.wasm$/.test(rel)) file = path.join(wasmDir, path.basename(rel));
    if (!file.startsWith(ROOT + path.sep) && !(wasmDir && file.startsWith(wasmDir))) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...headers });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

/** Launches Debian's Chromium headless with a fresh profile; fn(session) runs with it. */
export async function withBrowser(fn, { wasmDir, isolated = false, log = (m) => process.stderr.write(m + '\n') } = {}) {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium); no browser is downloaded`);
  const { server, origin } = await serve({ wasmDir, isolated });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'rnnlab-bench-chromium-'));
  let context;
  try {
    // A persistent context on a fresh, empty profile: playwright passes it as --user-data-dir.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const probe = await context.newPage();
    const version = (await probe.evaluate(() => navigator.userAgent)).match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? 'Chromium';
    await probe.close();
    /** Runs impl on ids in a fresh page; resolves with the JSON of browser_page.mjs. */
    const runPage = async (impl, ids, opt) => {
      const page = await context.newPage();
      page.on('console', (m) => log(`  chromium: ${m.text()}`));
      page.on('pageerror', (e) => log(`  chromium page error: ${e.message}`));
      try {
        await page.goto(`${origin}/bench.html`);
        return await page.evaluate(async (args) => (await import('/bench/js/browser_page.mjs')).run(args), { impl, ids, opt });
      } finally {
        await page.close();
      }
    };
    return await fn({ runPage, version, origin });
  } finally {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The rnnlab glue of the page must match an experimental --wasm-dir build. */
export function checkWasmDir(dir) {
  for (const v of ['simd', 'baseline']) {
    const glue = path.join(dir, `rnnlab-${v}.mjs`);
    if (existsSync(glue) && !readFileSync(glue).equals(readFileSync(path.join(ROOT, `dist/wasm/rnnlab-${v}.mjs`)))) {
      throw new Error(`${glue} differs from dist/wasm's glue: rebuild dist/wasm`);
    }
  }
}

const fmt = (x) => (x === undefined || x === null ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Prints the per-configuration comparison: each impl's median (over rounds) and the ratios. */
export function printRatios(rows, impls, title) {
  const base = impls.filter((i) => i !== 'tfjs-wasm');
  const head = [`${'id'.padEnd(9)}`, ...impls.map((i) => `${i} ms`.padStart(18)), ...base.map((i) => `tfjs/${i.replace('rnnlab-', '')}`.padStart(14))];
  console.log(`\n${title}`);
  console.log(head.join(' '));
  for (const [id, byImpl] of rows) {
    const med = (i) => {
      const v = (byImpl[i] ?? []).map((r) => r.median_ms).sort((a, b) => a - b);
      return v.length ? v[Math.floor((v.length - 1) / 2)] : undefined;
    };
    const tf = med('tfjs-wasm');
    const cells = [id.padEnd(9), ...impls.map((i) => fmt(med(i)).padStart(18)), ...base.map((i) => (tf && med(i) ? `${(tf / med(i)).toFixed(1)}x` : '-').padStart(14))];
    console.log(cells.join(' '));
  }
  console.log('ratios are TF.js ms / rnnlab ms (FORECAST: ms per forecast; GEN: ms per 500 chars), > 1 means rnnlab is faster');
}

async function main() {
  const USAGE = `usage: node bench/js/browser_bench.mjs [options]
  --impl LIST    of ${IMPLS.join(', ')} (default all)
  --rounds N     repeat each configuration N times, rotating the order (default 1)
  --wasm-dir DIR serve rnnlab-<variant>.wasm from DIR (experimental build, shipped glue)
  --tfjs-infer M FORECAST/GEN in TF.js: ops (default) or predict (see tfjs_bench.mjs)
${USAGE_COMMON}`;
  let o;
  try {
    o = parseArgs(process.argv.slice(2), { impl: 'list', rounds: 'int', wasmDir: 'string', tfjsInfer: 'string' });
    o.impl = o.impl?.length ? o.impl : DEFAULT_IMPLS;
    for (const i of o.impl) if (!IMPLS.includes(i)) throw new Error(`unknown implementation '${i}'`);
    o.rounds = Math.max(1, o.rounds ?? 1);
    o.tfjsInfer ??= 'ops';
    if (o.text) throw new Error('--text is not supported in the browser (the page reads data/text/kjv-genesis.txt)');
    if (o.wasmDir) {
      o.wasmDir = path.resolve(o.wasmDir);
      checkWasmDir(o.wasmDir);
    }
  } catch (e) {
    fail(USAGE, e);
  }
  if (o.help) return console.log(USAGE);
  if (o.list) return console.log(ALL_IDS.join('\n'));
  const ids = selectedIds(o.only);
  const opt = { steps: o.steps, warmup: o.warmup, warmupMs: o.warmupMs, tfjsInfer: o.tfjsInfer };
  const all = [];
  const rows = new Map(ids.map((id) => [id, {}]));
  const l0 = loadavg();
  await withBrowser(async ({ runPage, version }) => {
    if (!o.json) {
      console.log(`browser_bench: headless ${version} (${CHROMIUM}), ${cpuModel()}, ${o.warmup} warm-up (>= ${o.warmupMs} ms) + ${o.steps} timed per config, ${o.rounds} round(s)`);
      console.log(`load average at start: ${l0.join(' ')}`);
    }
    let turn = 0;
    for (const id of ids) {
      for (let round = 0; round < o.rounds; ++round) {
        const order = o.impl.map((_, k) => o.impl[(k + turn) % o.impl.length]);
        turn++;
        for (const impl of order) {
          const la = loadavg();
          const res = await runPage(impl, [id], opt);
          const r = { ...res.results[0], impl, round, loadavg: la };
          all.push({ ...res, results: undefined, ...r });
          (rows.get(id)[impl] ??= []).push(r);
          if (!o.json) {
            console.log(`\n[${impl}] ${res.impl_version} ${res.kernels ?? ''} ${res.gemm ?? ''} round ${round + 1}, load ${la.join(' ')}`);
            console.log(headerLine());
            console.log(rowLines(r).join('\n'));
          }
        }
      }
    }
  }, { wasmDir: o.wasmDir, isolated: o.impl.includes('rnnlab-threads') });
  const l1 = loadavg();
  if (o.json) {
    console.log(JSON.stringify({ env: 'chromium', cpu: cpuModel(), loadavg_start: l0, loadavg_end: l1, runs: all }, null, 2));
    return;
  }
  printRatios(rows, o.impl, `Chromium, median over ${o.rounds} round(s) of each implementation's median ms:`);
  console.log(`load average at end: ${l1.join(' ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
