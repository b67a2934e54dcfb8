#!/usr/bin/env node
// compare: rnnlab (wasm SIMD and baseline builds) against TF.js 4.22 (wasm backend, one thread)
// on the CONFIGS.md configurations, interleaved per configuration: for each configuration and
// round, every implementation runs back to back (the order rotates each round), in Node (a
// fresh process per run: wasm_bench.mjs / tfjs_bench.mjs --json) and/or headless Chromium (a
// fresh page per run, browser_bench.mjs). Prints each median and the ratios TF.js ms / rnnlab
// ms, with the load average of every run. Figures only: nothing is asserted.
//
//   node bench/js/compare.mjs [--env node,chromium] [--rounds N] [--impl ...] [--steps N]
//        [--warmup N] [--only ID[,ID...]] [--save FILE] [--wasm-dir DIR] [--tfjs-infer ops|predict]
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { USAGE_COMMON, selectedIds } from './common.mjs';
import { DEFAULT_IMPLS, IMPLS, checkWasmDir, printRatios, withBrowser } from './browser_bench.mjs';
import { HERE, cpuModel, loadavg, parseCli } from './node_env.mjs';

const run = promisify(execFile);

const USAGE = `usage: node bench/js/compare.mjs [options]
  --env LIST     node and/or chromium (default node,chromium)
  --rounds N     runs of each implementation per configuration, order rotating (default 1)
  --impl LIST    of ${IMPLS.join(', ')} (default all)
  --save FILE    also write every run as JSON to FILE
  --wasm-dir DIR rnnlab-<variant>.wasm from DIR (experimental build with the shipped glue)
  --tfjs-infer M FORECAST/GEN in TF.js: ops (default) or predict (see tfjs_bench.mjs)
${USAGE_COMMON}`;

const o = parseCli(USAGE, { env: 'list', rounds: 'int', impl: 'list', save: 'string', wasmDir: 'string', tfjsInfer: 'string' }, (o) => {
  o.env = o.env?.length ? o.env : ['node', 'chromium'];
  for (const e of o.env) if (e !== 'node' && e !== 'chromium') throw new Error(`unknown env '${e}'`);
  o.impl = o.impl?.length ? o.impl : DEFAULT_IMPLS;
  for (const i of o.impl) if (!IMPLS.includes(i)) throw new Error(`unknown implementation '${i}'`);
  o.rounds = Math.max(1, o.rounds ?? 1);
  o.tfjsInfer ??= 'ops';
  if (o.wasmDir) {
    o.wasmDir = path.resolve(o.wasmDir);
    checkWasmDir(o.wasmDir);
  }
});

const ids = selectedIds(o.only);
const common = ['--steps', String(o.steps), '--warmup', String(o.warmup), '--warmup-ms', String(o.warmupMs)];
if (o.text) common.push('--text', o.text);

/** One Node run of impl on id in a fresh process; resolves with its JSON. */
async function nodeRun(impl, id) {
  let args;
  if (impl === 'tfjs-wasm') args = [path.join(HERE, 'tfjs_bench.mjs'), '--tfjs-infer', o.tfjsInfer];
  else {
    args = [path.join(HERE, 'wasm_bench.mjs'), '--variant', impl === 'rnnlab-baseline' ? 'baseline' : impl === 'rnnlab-threads' ? 'simd-threads' : 'simd'];
    if (o.wasmDir) args.push('--wasm-dir', o.wasmDir);
  }
  const { stdout } = await run(process.execPath, [...args, ...common, '--only', id, '--json'], { maxBuffer: 1 << 26 });
  return JSON.parse(stdout);
}

const all = [];
const l0 = loadavg();
console.log(`compare: ${o.env.join(' + ')}, ${cpuModel()}, ${o.warmup} warm-up (>= ${o.warmupMs} ms) + ${o.steps} timed per run, ${o.rounds} round(s), configurations ${ids.join(' ')}`);
console.log(`load average at start: ${l0.join(' ')}`);

function report(env, impl, id, round, res, la) {
  const r = res.results[0];
  all.push({ env, impl, id, round, loadavg: la, header: { ...res, results: undefined }, result: r });
  const tp = `${Math.round(r.throughput)} ${r.unit}`;
  console.log(`  ${env.padEnd(8)} ${id.padEnd(9)} ${impl.padEnd(16)} round ${round + 1}: median ${r.median_ms.toFixed(3).padStart(10)} ms  (p10 ${r.p10_ms.toFixed(3)}, p90 ${r.p90_ms.toFixed(3)})  ${tp}  load ${la.join(' ')}`);
  return r;
}

async function interleave(env, runOne) {
  const rows = new Map(ids.map((id) => [id, {}]));
  let turn = 0;
  for (const id of ids) {
    for (let round = 0; round < o.rounds; ++round) {
      const order = o.impl.map((_, k) => o.impl[(k + turn) % o.impl.length]);
      turn++;
      for (const impl of order) {
        const la = loadavg();
        const res = await runOne(impl, id);
        (rows.get(id)[impl] ??= []).push(report(env, impl, id, round, res, la));
      }
    }
  }
  return rows;
}

const tables = [];
for (const env of o.env) {
  console.log(`\n== ${env}`);
  if (env === 'node') {
    tables.push([await interleave('node', nodeRun), `Node ${process.versions.node}`]);
  } else {
    await withBrowser(async ({ runPage, version }) => {
      console.log(`   headless ${version}`);
      const opt = { steps: o.steps, warmup: o.warmup, warmupMs: o.warmupMs, tfjsInfer: o.tfjsInfer };
      tables.push([await interleave('chromium', (impl, id) => runPage(impl, [id], opt)), `headless ${version}`]);
    }, { wasmDir: o.wasmDir, isolated: o.impl.includes('rnnlab-threads'), log: () => {} });
  }
}
for (const [rows, title] of tables) printRatios(rows, o.impl, `${title}, median over ${o.rounds} round(s) of each run's median ms:`);
const l1 = loadavg();
console.log(`load average at end: ${l1.join(' ')}`);
if (o.save) {
  writeFileSync(o.save, JSON.stringify({ cpu: cpuModel(), options: { ...o, help: undefined, list: undefined }, loadavg_start: l0, loadavg_end: l1, runs: all }, null, 2));
  console.log(`runs written to ${o.save}`);
}
