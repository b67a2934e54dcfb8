// The scaling sweep's plan (no I/O here, so tests/tools/sweep.test.mjs can check it): the
// implementations and how each one's runner is called, the axes around the base shape, the
// command line, and which points a cap skips.

/** The base shape: one LSTM layer over 8 features, a dense-1 regression head, Adam. */
export const BASE = { hidden: 128, seq: 64, batch: 32 };

/** Each axis varies one field of BASE; every axis holds BASE's value, so BASE runs once. */
export const AXES = {
  hidden: [32, 64, 128, 256, 512, 1024],
  seq: [16, 32, 64, 128, 256, 512],
  batch: [1, 4, 16, 32, 64, 256],
};
export const QUICK_AXES = { hidden: [32, 128, 512], seq: [16, 64, 256], batch: [1, 32, 256] };

/**
 * The implementations, in the order of the chart's legend: the runner script (relative to the
 * repository's root) and its extra arguments. kind 'node' runs under this Node, 'python' under
 * TORCH_PYTHON.
 */
export const IMPLS = {
  'rnnlab-1t': { label: 'rnnlab wasm SIMD, 1 thread', kind: 'node', script: 'bench/js/wasm_bench.mjs', args: ['--variant', 'simd'] },
  'rnnlab-2t': { label: 'rnnlab wasm SIMD, 2 threads', kind: 'node', script: 'bench/js/wasm_bench.mjs', args: ['--variant', 'simd-threads'] },
  'tfjs-wasm': { label: 'TF.js 4.22 wasm, 1 thread', kind: 'node', script: 'bench/js/tfjs_bench.mjs', args: [] },
  'pytorch-1t': { label: 'PyTorch native, 1 thread', kind: 'python', script: 'bench/pytorch_bench.py', args: ['--threads', '1'] },
  'pytorch-2t': { label: 'PyTorch native, 2 BLAS threads', kind: 'python', script: 'bench/pytorch_bench.py', args: ['--threads', '2'] },
};

/** Timing of one run (the runners' flags): full sweep and --quick. */
export const TIMING = {
  full: { warmup: 3, warmupMs: 1000, steps: 30, budgetMs: 5000, capMs: 15000 },
  quick: { warmup: 2, warmupMs: 300, steps: 10, budgetMs: 1500, capMs: 15000 },
};

export const USAGE = `usage: node bench/sweep/run.mjs [options]
  --quick          3 values per axis and shorter runs (a few minutes)
  --out DIR        where sweep.json, sweep.md and sweep.svg go (default bench/sweep)
  --impl LIST      of ${Object.keys(IMPLS).join(', ')} (default all)
  --axes LIST      of ${Object.keys(AXES).join(', ')} (default all)
  --cap-ms T       a run whose first step takes longer is stopped and recorded as '> cap'; the
                   axis's larger values are then skipped for that implementation (default 15000)
  --budget-ms T    per run: warm up for at most T/2 ms, time for at most T ms (>= 3 steps)
  --steps N        at most N timed steps per run
  --repeat N       run every point N times (fresh processes, the order rotating) and keep each
                   implementation's median run (default 1; a run's speed on a shared machine
                   varies up to 1.7x from process to process)
  --torch-blas M   auto (default: an OpenBLAS for PyTorch when the system BLAS is the reference
                   one, as bench/compare.sh), system, or a directory holding libblas.so.3
  --from FILE      no runs: redraw the table and chart from a sweep.json`;

/** Parses the sweep's command line; throws an Error with a clear message on a bad argument. */
export function parseSweepArgs(argv) {
  const o = { quick: false, out: 'bench/sweep', impl: Object.keys(IMPLS), axes: Object.keys(AXES), torchBlas: 'auto', from: null, help: false, repeat: 1 };
  const timing = {};
  const value = (i, name) => {
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`${name} needs a value`);
    return argv[i + 1];
  };
  const positive = (s, name) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got '${s}'`);
    return n;
  };
  const list = (s, known, name) => {
    const items = s.split(',').filter(Boolean);
    for (const x of items) if (!known.includes(x)) throw new Error(`${name}: unknown '${x}' (have ${known.join(', ')})`);
    if (!items.length) throw new Error(`${name} needs at least one of ${known.join(', ')}`);
    return items;
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    switch (a) {
      case '-h': case '--help': o.help = true; break;
      case '--quick': o.quick = true; break;
      case '--out': o.out = value(i++, a); break;
      case '--from': o.from = value(i++, a); break;
      case '--torch-blas': o.torchBlas = value(i++, a); break;
      case '--impl': o.impl = list(value(i++, a), Object.keys(IMPLS), a); break;
      case '--axes': o.axes = list(value(i++, a), Object.keys(AXES), a); break;
      case '--cap-ms': timing.capMs = positive(value(i++, a), a); break;
      case '--budget-ms': timing.budgetMs = positive(value(i++, a), a); break;
      case '--steps': timing.steps = positive(value(i++, a), a); break;
      case '--repeat': o.repeat = positive(value(i++, a), a); break;
      default: throw new Error(`unknown argument '${a}'`);
    }
  }
  o.timing = { ...(o.quick ? TIMING.quick : TIMING.full), ...timing };
  o.axisValues = Object.fromEntries(o.axes.map((k) => [k, (o.quick ? QUICK_AXES : AXES)[k]]));
  return o;
}

export const pointKey = (p) => `H${p.hidden}-T${p.seq}-B${p.batch}`;

/**
 * The distinct shapes of the axes, in run order (each axis ascending, BASE once):
 * [{hidden, seq, batch, axes: [[axis, value], ...]}].
 */
export function planPoints(axisValues) {
  const byKey = new Map();
  for (const [axis, values] of Object.entries(axisValues)) {
    for (const v of [...values].sort((a, b) => a - b)) {
      const p = { ...BASE, [axis]: v };
      const key = pointKey(p);
      if (!byKey.has(key)) byKey.set(key, { ...p, axes: [] });
      byKey.get(key).axes.push([axis, v]);
    }
  }
  return [...byKey.values()];
}

/**
 * Whether impl skips point: some axis through the point has a smaller value at which impl was
 * capped (and the point lies on no axis where impl still runs). capped: Set of
 * `${impl}|${axis}` -> the capped value, as a Map.
 */
export function skippedBy(cappedAt, impl, point) {
  return point.axes.every(([axis, v]) => {
    const c = cappedAt.get(`${impl}|${axis}`);
    return c !== undefined && v > c;
  });
}

/** The runner's arguments for impl at point (after the interpreter). */
export function runnerArgs(impl, point, timing) {
  const d = IMPLS[impl];
  if (!d) throw new Error(`unknown implementation '${impl}'`);
  const t = [
    '--steps', timing.steps, '--warmup', timing.warmup, '--budget-ms', timing.budgetMs, '--cap-ms', timing.capMs,
    ...(d.kind === 'node' ? ['--warmup-ms', timing.warmupMs] : []),
  ];
  return [d.script, ...d.args, '--hidden', point.hidden, '--seq', point.seq, '--batch', point.batch, '--features', 8, ...t, '--json'].map(String);
}

/**
 * The run kept of one implementation's repeats at a point: the one with the median wall time
 * (the lower of the middle two for an even count) among the completed ones, with every
 * repeat's figures under `repeats`; the first run when none completed or there is one.
 */
export function medianRun(runs) {
  const ok = runs.filter((r) => r.status === 'ok');
  if (runs.length <= 1 || !ok.length) return runs[0];
  const sorted = [...ok].sort((a, b) => a.median_ms - b.median_ms);
  const kept = sorted[Math.floor((sorted.length - 1) / 2)];
  const repeats = runs.map((r) => ({ status: r.status, median_ms: r.median_ms ?? null, thread_cpu_median_ms: r.thread_cpu_median_ms ?? null, loadavg: r.loadavg }));
  return { ...kept, repeats };
}

/** The order of the implementations at the k-th point: rotated by one each point. */
export function rotation(impls, k) {
  return impls.map((_, i) => impls[(i + k) % impls.length]);
}
