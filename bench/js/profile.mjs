#!/usr/bin/env node
// profile: one configuration of one implementation under V8's sampling profiler, in Node (the
// inspector, in this process) or headless Chromium (the DevTools protocol), printed as self
// time per function. The shipped modules carry no function names (download size); for names
// (e.g. PackedGemm<VecWasm, 4>::gemm_packed) build the profiling variant first:
//   scripts/build-wasm.sh --profiling   (links --profiling-funcs)
// and rebuild without it before publishing. The profile covers the warm-up
// and model set-up too: read the kernels' shares, not the absolute total.
//
//   node bench/js/profile.mjs --only CHAR [--impl rnnlab-simd|rnnlab-baseline|tfjs-wasm]
//        [--env node|chromium] [--steps N] [--top N] [--interval US] [--save FILE.cpuprofile]
//        [--wasm-dir DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { USAGE_COMMON } from './common.mjs';
import { CHROMIUM, CHROMIUM_ARGS, IMPLS, checkWasmDir, serve } from './browser_bench.mjs';
import { ROOT, nodeData, parseCli } from './node_env.mjs';

const USAGE = `usage: node bench/js/profile.mjs --only ID [options]
  --impl I       ${IMPLS.join(', ')} (default rnnlab-simd)
  --env E        node (default) or chromium
  --top N        functions to print (default 25)
  --interval US  sampling interval in microseconds (default 100)
  --save FILE    also write the .cpuprofile (Chrome DevTools can open it)
  --wasm-dir DIR rnnlab-<variant>.wasm from DIR (experimental build, shipped glue)
${USAGE_COMMON}`;

const o = parseCli(USAGE, { impl: 'string', env: 'string', top: 'int', interval: 'int', save: 'string', wasmDir: 'string', tfjsInfer: 'string' }, (o) => {
  o.impl ??= 'rnnlab-simd';
  o.env ??= 'node';
  o.top ??= 25;
  o.interval ??= 100;
  o.tfjsInfer ??= 'ops';
  if (!IMPLS.includes(o.impl)) throw new Error(`unknown implementation '${o.impl}'`);
  if (o.env !== 'node' && o.env !== 'chromium') throw new Error(`unknown env '${o.env}'`);
  if (o.only.length !== 1) throw new Error('--only takes exactly one configuration');
  if (o.wasmDir) {
    o.wasmDir = path.resolve(o.wasmDir);
    checkWasmDir(o.wasmDir);
  }
});
const id = o.only[0];
const opt = { steps: o.steps, warmup: o.warmup, warmupMs: o.warmupMs, tfjsInfer: o.tfjsInfer };

/** Self time per function name, descending. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((s, i) => {
    const f = byId.get(s).callFrame;
    const file = f.url && !f.url.includes('.wasm') && !f.url.startsWith('wasm') ? ` (${f.url.split('/').pop()})` : '';
    const key = (f.functionName || '(anonymous)') + file;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return { rows: [...self].sort((a, b) => b[1] - a[1]), total };
}

let profile;
let result;
if (o.env === 'node') {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: o.interval });
  const data = nodeData(o.text);
  let run;
  if (o.impl === 'tfjs-wasm') {
    const log = console.log;
    console.log = (...a) => (String(a[0]).includes('tfjs-node') ? undefined : log(...a));
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    console.log = log;
    const { runTfjsConfig, setupTfjs } = await import('./tfjs_runner.mjs');
    await setupTfjs(tf);
    run = () => runTfjsConfig(tf, id, opt, data);
  } else {
    const { init } = await import(path.join(ROOT, 'bindings/js/index.js'));
    const { runRnnlabConfig } = await import('./rnnlab_runner.mjs');
    const simd = o.impl === 'rnnlab-simd';
    const initOpts = { simd };
    if (o.wasmDir) initOpts.wasmBinary = new Uint8Array(readFileSync(path.join(o.wasmDir, `rnnlab-${simd ? 'simd' : 'baseline'}.wasm`)));
    const rnn = await init(initOpts);
    run = () => runRnnlabConfig(rnn, id, opt, data);
  }
  await session.post('Profiler.start');
  result = await run();
  ({ profile } = await session.post('Profiler.stop'));
  session.disconnect();
} else {
  const { chromium } = await import('playwright-core');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const { server, origin } = await serve({ wasmDir: o.wasmDir, isolated: o.impl === 'rnnlab-threads' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rnnlab-profile-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/bench.html`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: o.interval });
    await cdp.send('Profiler.start');
    const res = await page.evaluate(async (args) => (await import('/bench/js/browser_page.mjs')).run(args), { impl: o.impl, ids: [id], opt });
    ({ profile } = await cdp.send('Profiler.stop'));
    result = res.results[0];
  } finally {
    await context.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (o.save) writeFileSync(o.save, JSON.stringify(profile));
const { rows, total } = selfTimes(profile);
console.log(`profile: ${o.impl} ${id} in ${o.env}: median ${result.median_ms.toFixed(3)} ms over ${result.n} timed runs (${result.warmup_n} warm-up); ${(total / 1000).toFixed(0)} ms sampled`);
for (const [name, us] of rows.slice(0, o.top)) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name.length > 140 ? name.slice(0, 137) + '...' : name}`);
}
