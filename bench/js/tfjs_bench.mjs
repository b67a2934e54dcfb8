#!/usr/bin/env node
// tfjs_bench: the CONFIGS.md configurations in TensorFlow.js 4.22 on its wasm backend
// (XNNPACK; single-threaded: tfjs-backend-wasm never uses threads under Node), with the same
// flags, data and output layout as wasm_bench.mjs. Figures only. Model choices: see
// tfjs_runner.mjs and ../README.md.
//
//   node bench/js/tfjs_bench.mjs [--steps N] [--warmup N] [--only ID[,ID...]] [--json] [--text PATH]
import { USAGE_COMMON, headerLine, rowLines, selectedIds, shapeFromOptions } from './common.mjs';
import { cpuModel, loadavg, nodeData, nodeHooks, parseCli } from './node_env.mjs';
import { runTfjsConfig, setupTfjs } from './tfjs_runner.mjs';

const USAGE = `usage: node bench/js/tfjs_bench.mjs [options]
  --tfjs-infer M FORECAST/GEN: 'ops' (default; a hand-written LSTM step on tf ops, the faster)
                 or 'predict' (a stateful tf.layers model, model.predict per step)
${USAGE_COMMON}`;

const o = parseCli(USAGE, { tfjsInfer: 'string' }, (o) => {
  o.tfjsInfer ??= 'ops';
  if (!['ops', 'predict'].includes(o.tfjsInfer)) throw new Error(`--tfjs-infer must be ops or predict, got '${o.tfjsInfer}'`);
  o.shape = shapeFromOptions(o);
});
const runOpt = { ...o, ...nodeHooks(o) };

// tfjs prints an advertisement for tfjs-node when it starts under Node: keep stdout clean.
const log = console.log;
console.log = (...a) => (String(a[0]).includes('tfjs-node') ? undefined : log(...a));
const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
console.log = log;

const info = { ...(await setupTfjs(tf)), runtime: `node ${process.versions.node}`, cpu: cpuModel(), warmup: o.warmup, warmup_ms: o.warmupMs, steps: o.steps };
info.loadavg_start = loadavg();
if (!o.json) {
  console.log(`tfjs_bench: TensorFlow.js ${info.impl_version} ${info.backend} backend (${info.kernels}, ${info.threads} thread), ${info.runtime}, ${o.warmup} warm-up (>= ${o.warmupMs} ms) + ${o.steps} timed per config`);
  console.log(`load average at start: ${info.loadavg_start.join(' ')}`);
  if (o.warmup < 5 || o.steps < 30) console.log('note: fewer repetitions than CONFIGS.md asks (>= 5 warm-up, >= 30 timed)');
  console.log(headerLine());
}
const data = nodeData(o.text);
const results = [];
for (const id of o.shape ? [o.shape] : selectedIds(o.only)) {
  const r = await runTfjsConfig(tf, id, runOpt, data);
  results.push(r);
  if (!o.json) console.log(rowLines(r).join('\n'));
}
info.loadavg_end = loadavg();
if (o.json) console.log(JSON.stringify({ ...info, results }, null, 2));
else console.log(`load average at end: ${info.loadavg_end.join(' ')}`);
