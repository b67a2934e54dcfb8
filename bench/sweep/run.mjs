#!/usr/bin/env node
// The scaling sweep (issue 17): ms per training step and peak memory against hidden size,
// sequence length and batch, one axis at a time around plan.mjs's BASE, for rnnlab wasm (SIMD,
// 1 and 2 threads), TF.js 4.22 wasm and PyTorch natively (1 and 2 BLAS threads). Every point
// runs each implementation back to back in a fresh process (the order rotating per point),
// through the existing runners (bench/js/wasm_bench.mjs, tfjs_bench.mjs, bench/pytorch_bench.py
// with --hidden/--seq/--batch). Writes sweep.json (every run), sweep.md (tables) and sweep.svg
// (the chart). Figures only: nothing is asserted.
//
//   node bench/sweep/run.mjs [--quick] [--out DIR] [--impl LIST] [--axes LIST] [--repeat N] [--from FILE]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepMarkdown, sweepSvg } from './chart.mjs';
import { BASE, IMPLS, USAGE, medianRun, parseSweepArgs, planPoints, pointKey, rotation, runnerArgs, skippedBy } from './plan.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TORCH_PYTHON = process.env.TORCH_PYTHON || '/usr/bin/python3';

let o;
try {
  o = parseSweepArgs(process.argv.slice(2));
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
if (o.help) {
  console.log(USAGE);
  process.exit(0);
}
const outDir = path.resolve(o.out);
mkdirSync(outDir, { recursive: true });

function render(sweep) {
  writeFileSync(path.join(outDir, 'sweep.svg'), sweepSvg(sweep));
  writeFileSync(path.join(outDir, 'sweep.md'), sweepMarkdown(sweep));
  console.log(`wrote ${['sweep.json', 'sweep.md', 'sweep.svg'].map((f) => path.relative(process.cwd(), path.join(outDir, f))).join(', ')}`);
}

if (o.from) {
  render(JSON.parse(readFileSync(o.from, 'utf8')));
  process.exit(0);
}

const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** lscpu's model name, as the bench READMEs quote it. */
function machine() {
  const cpus = os.cpus();
  return { cpu_model: cpus[0]?.model ?? 'unknown', cores: cpus.length };
}

/** The environment of the PyTorch runs: an OpenBLAS when the system BLAS is netlib's (compare.sh's rule). */
function torchEnv() {
  const env = { ...process.env };
  let dir = null;
  if (o.torchBlas === 'system') return { env, note: 'system libblas.so.3' };
  if (o.torchBlas !== 'auto') dir = o.torchBlas;
  else {
    let system = '';
    try {
      system = realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
    } catch {}
    if (system.includes('openblas')) return { env, note: `system ${system}` };
    const candidates = [process.env.OPENBLAS_DIR, '/usr/lib/x86_64-linux-gnu/openblas-pthread',
      path.join(ROOT, 'build/bench/openblas/extracted/usr/lib/x86_64-linux-gnu/openblas-pthread')];
    dir = candidates.find((d) => d && existsSync(path.join(d, 'libblas.so.3'))) ?? null;
    if (!dir) {
      console.error('warning: PyTorch will run on the reference BLAS (slow); see bench/compare.sh for an OpenBLAS');
      return { env, note: `system ${system} (reference BLAS)` };
    }
  }
  env.LD_LIBRARY_PATH = [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { env, note: `OpenBLAS from LD_LIBRARY_PATH (${path.relative(ROOT, dir).startsWith('..') ? dir : path.relative(ROOT, dir)})` };
}

const torch = torchEnv();

/**
 * One run in a fresh process. Its stderr carries 'sweep:start' before the first step and
 * 'sweep:first <ms>' after it: a first step still running capMs after the start is killed and
 * recorded as capped (a runner also stops by itself after a first step over the cap).
 */
function runOne(impl, point) {
  const d = IMPLS[impl];
  const args = runnerArgs(impl, point, o.timing);
  const cmd = d.kind === 'node' ? process.execPath : TORCH_PYTHON;
  const env = d.kind === 'node' ? process.env : torch.env;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer = null;
    let killedAtCap = false;
    const safety = setTimeout(() => child.kill('SIGKILL'), 4 * o.timing.capMs + 120000);
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => {
      stderr += b;
      if (!timer && stderr.includes('sweep:start\n')) {
        timer = setTimeout(() => {
          killedAtCap = true;
          child.kill('SIGKILL');
        }, o.timing.capMs);
      }
      if (timer && stderr.includes('sweep:first ')) clearTimeout(timer);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(safety);
      if (killedAtCap) return resolve({ status: 'capped', first_ms: null, note: `first step still running after ${o.timing.capMs} ms: stopped` });
      if (code !== 0) return resolve({ status: 'failed', note: `exit ${code}: ${stderr.split('\n').filter((l) => l && !l.startsWith('sweep:')).slice(-3).join(' / ')}` });
      try {
        const res = JSON.parse(stdout);
        const r = res.results[0];
        const header = { ...res, results: undefined };
        if (r.capped) return resolve({ status: 'capped', first_ms: r.first_ms, header, note: `first step ${Math.round(r.first_ms)} ms` });
        resolve({
          status: 'ok', median_ms: r.median_ms, p10_ms: r.p10_ms, p90_ms: r.p90_ms, n: r.n, warmup_n: r.warmup_n, cpu_median_ms: r.cpu_median_ms ?? null, thread_cpu_median_ms: r.thread_cpu_median_ms ?? null,
          first_ms: r.first_ms, gflops: r.gflops, params: r.params, loss_first: r.loss_first, loss_last: r.loss_last,
          memory: r.memory ?? {}, header,
        });
      } catch (e) {
        resolve({ status: 'failed', note: `unreadable output: ${e.message}` });
      }
    });
  });
}

const points = planPoints(o.axisValues);
const sweep = {
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  node: process.versions.node,
  torch_blas: torch.note,
  quick: o.quick,
  timing: o.timing,
  repeat: o.repeat,
  base: { ...BASE, features: 8, cell: 'lstm', head: 'dense 1, MSE', optimizer: 'Adam 1e-3' },
  axes: o.axisValues,
  impls: Object.fromEntries(o.impl.map((k) => [k, IMPLS[k].label])),
  loadavg_start: loadavg(),
  runs: [],
};
const t0 = Date.now();
console.log(`sweep: ${points.length} shapes x ${o.impl.length} implementations, ${sweep.machine.cores} x ${sweep.machine.cpu_model}, load ${sweep.loadavg_start.join(' ')}`);
console.log(`PyTorch BLAS: ${torch.note}`);
const cappedAt = new Map();
for (const [k, point] of points.entries()) {
  // Each implementation's runs at this point (--repeat: one per round, the order rotating).
  const runs = new Map(o.impl.map((impl) => [impl, []]));
  for (let round = 0; round < o.repeat; ++round) {
    for (const impl of rotation(o.impl, k + round)) {
      const done = runs.get(impl);
      if (round > 0 && done[0].status !== 'ok') continue; // skipped, capped or failed: once
      const la = loadavg();
      const base = { key: pointKey(point), hidden: point.hidden, seq: point.seq, batch: point.batch, axes: point.axes, impl, loadavg: la };
      if (skippedBy(cappedAt, impl, point)) {
        done.push({ ...base, status: 'skipped', note: 'a smaller value of the axis exceeded the cap' });
        console.log(`  ${base.key.padEnd(16)} ${impl.padEnd(11)} skipped (capped at a smaller value)`);
        continue;
      }
      const r = await runOne(impl, point);
      done.push({ ...base, ...r });
      if (r.status === 'capped') {
        for (const [axis, v] of point.axes) {
          const prev = cappedAt.get(`${impl}|${axis}`);
          if (prev === undefined || v < prev) cappedAt.set(`${impl}|${axis}`, v);
        }
      }
      const fig = r.status === 'ok' ? `${r.median_ms.toFixed(2).padStart(10)} ms (n ${r.n})` : `${r.status}: ${r.note}`;
      console.log(`  ${base.key.padEnd(16)} ${impl.padEnd(11)} ${fig}  load ${la.join(' ')}${o.repeat > 1 ? `  (round ${round + 1})` : ''}`);
    }
  }
  for (const impl of o.impl) sweep.runs.push(medianRun(runs.get(impl)));
  writeFileSync(path.join(outDir, 'sweep.json'), JSON.stringify(sweep, null, 1));
}
sweep.loadavg_end = loadavg();
sweep.minutes = Math.round((Date.now() - t0) / 600) / 100;
writeFileSync(path.join(outDir, 'sweep.json'), JSON.stringify(sweep, null, 1));
console.log(`done in ${sweep.minutes} min, load ${sweep.loadavg_end.join(' ')}`);
render(sweep);
