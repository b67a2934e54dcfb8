#!/usr/bin/env node
// wasm_bench: rnnlab's WebAssembly builds in Node through the public API, on the CONFIGS.md
// configurations (TS-S TS-M CHAR GRU-S RNN-S training, FORECAST, GEN), reported like
// bench/rnnlab_bench: median ms per step after warm-up, throughput, GFLOP/s. Figures only.
//
//   node bench/js/wasm_bench.mjs [--variant simd,baseline] [--steps N] [--warmup N]
//                                [--only ID[,ID...]] [--json] [--text PATH] [--wasm-dir DIR]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { USAGE_COMMON, headerLine, rowLines, selectedIds, shapeFromOptions } from './common.mjs';
import { ROOT, cpuModel, loadavg, nodeData, nodeHooks, parseCli } from './node_env.mjs';
import { rnnlabInfo, runRnnlabConfig } from './rnnlab_runner.mjs';

const USAGE = `usage: node bench/js/wasm_bench.mjs [options]
  --variant V    simd, baseline, simd-threads (2 threads), comma-separated (default simd,baseline)
  --wasm-dir DIR load rnnlab-<variant>.wasm from DIR (an experimental build; its glue .mjs
                 must be identical to dist/wasm's, which is checked)
${USAGE_COMMON}`;

const o = parseCli(USAGE, { variant: 'list', wasmDir: 'string' }, (o) => {
  o.variant = o.variant?.length ? o.variant : ['simd', 'baseline'];
  for (const v of o.variant) if (!['simd', 'baseline', 'simd-threads'].includes(v)) throw new Error(`unknown variant '${v}'`);
  o.shape = shapeFromOptions(o);
});
const runOpt = { ...o, ...nodeHooks(o) };
const variants = o.variant;

const { init } = await import(path.join(ROOT, 'bindings/js/index.js'));

async function load(variant) {
  // simd-threads: the SIMD build on 2 threads; the others on one.
  const opts = { simd: variant !== 'baseline', threads: variant === 'simd-threads' ? 2 : 1 };
  if (o.wasmDir) {
    const dir = path.resolve(o.wasmDir);
    const glue = path.join(dir, `rnnlab-${variant}.mjs`);
    const ship = path.join(ROOT, `dist/wasm/rnnlab-${variant}.mjs`);
    if (existsSync(glue) && !readFileSync(glue).equals(readFileSync(ship))) {
      throw new Error(`${glue} differs from ${ship}: the experimental build needs the shipped glue (rebuild dist/wasm)`);
    }
    opts.wasmBinary = new Uint8Array(readFileSync(path.join(dir, `rnnlab-${variant}.wasm`)));
  }
  return init(opts);
}

const data = nodeData(o.text);
const ids = o.shape ? [o.shape] : selectedIds(o.only);
const out = [];
for (const variant of variants) {
  const rnn = await load(variant);
  const info = { ...rnnlabInfo(rnn, variant), runtime: `node ${process.versions.node}`, cpu: cpuModel(), warmup: o.warmup, warmup_ms: o.warmupMs, steps: o.steps };
  if (o.wasmDir) info.wasm_dir = path.resolve(o.wasmDir);
  info.loadavg_start = loadavg();
  if (!o.json) {
    console.log(`wasm_bench: rnnlab ${rnn.version} ${variant} build (kernels ${info.kernels}, gemm ${info.gemm}), ${info.runtime}, ${info.threads} thread(s), ${o.warmup} warm-up (>= ${o.warmupMs} ms) + ${o.steps} timed per config`);
    console.log(`load average at start: ${info.loadavg_start.join(' ')}`);
    if (o.warmup < 5 || o.steps < 30) console.log('note: fewer repetitions than CONFIGS.md asks (>= 5 warm-up, >= 30 timed)');
    console.log(headerLine());
  }
  const results = [];
  for (const id of ids) {
    const r = await runRnnlabConfig(rnn, id, runOpt, data);
    results.push(r);
    if (!o.json) console.log(rowLines(r).join('\n'));
  }
  info.loadavg_end = loadavg();
  if (!o.json) console.log(`load average at end: ${info.loadavg_end.join(' ')}\n`);
  out.push({ ...info, results });
}
if (o.json) console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
