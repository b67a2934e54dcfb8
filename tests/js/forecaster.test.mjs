// The forecaster's API contract: shapes, levels, errors naming their field, awkward series,
// determinism for a seed under a step budget, save/load, abort, progress and the worker proxy.
// Step budgets (maxSteps) keep it fast and deterministic; no assertion is about time.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import test from 'node:test';
import { Forecaster, RnnlabError } from '../../bindings/js/index.js';
import { createWorkerForecaster, loadWorkerForecaster } from '../../bindings/js/worker.js';
import { load, rejectsRnnlab, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();
const wopts = { simd: process.env.RNNLAB_TEST_SIMD === '0' ? false : 'auto' };

/** A monthly-like series: trend, season of 12, deterministic noise. */
function seasonal(n, { level = 100, slope = 0.5, amp = 10 } = {}) {
  return Array.from({ length: n }, (_, t) => level + slope * t + amp * Math.sin((2 * Math.PI * t) / 12) + 2 * Math.sin(t * 12.9898));
}
const quick = { maxSteps: 60, seed: 7, timeBudgetMs: 600_000 };

test('forecast returns mean and intervals of the asked length and levels', async () => {
  const f = rnn.createForecaster(quick);
  assert.ok(f instanceof Forecaster);
  const report = await f.fit(seasonal(96));
  assert.equal(report.fitted, true);
  assert.equal(typeof report.summary, 'string');
  const { mean, intervals } = f.forecast(24, { levels: [0.8, 0.95, 0.5] });
  assert.ok(mean instanceof Float64Array && mean.length === 24);
  assert.deepEqual(intervals.map((i) => i.level), [0.8, 0.95, 0.5]);
  for (const { lower, upper } of intervals) {
    assert.ok(lower instanceof Float64Array && upper instanceof Float64Array);
    assert.equal(lower.length, 24);
    for (let i = 0; i < 24; i++) assert.ok(lower[i] <= mean[i] && mean[i] <= upper[i]);
  }
  // Nested levels: the 95% interval contains the 80% one, which contains the 50% one.
  for (let i = 0; i < 24; i++) {
    assert.ok(intervals[1].lower[i] <= intervals[0].lower[i] && intervals[0].upper[i] <= intervals[1].upper[i]);
    assert.ok(intervals[0].lower[i] <= intervals[2].lower[i] && intervals[2].upper[i] <= intervals[0].upper[i]);
  }
  // Default levels, and any horizon (far past the validation horizon).
  const long = f.forecast(500);
  assert.deepEqual(long.intervals.map((i) => i.level), [0.8, 0.95]);
  assert.ok(long.mean.every(Number.isFinite));
  f.dispose();
});

test('intervals widen with the horizon, past the calibrated steps too', async () => {
  const f = rnn.createForecaster(quick);
  await f.fit(seasonal(120));
  const H = f.describe().validation.horizon;
  const { intervals } = f.forecast(4 * H, { levels: [0.8] });
  const width = (i) => intervals[0].upper[i] - intervals[0].lower[i];
  for (let i = 1; i < 4 * H; i++) assert.ok(width(i) >= width(i - 1) - 1e-9 * Math.abs(width(i - 1)), `step ${i}`);
  assert.ok(width(4 * H - 1) > width(0));
  assert.ok(width(4 * H - 1) > width(H - 1), 'keeps widening past the calibrated horizon');
  f.dispose();
});

test('errors name their field', async () => {
  const f = rnn.createForecaster(quick);
  await rejectsRnnlab(f.fit([1, 2, 3, NaN, 5, 6, 7, null]), 'INVALID_CONFIG', 'values');
  await rejectsRnnlab(f.fit('1,2,3'), 'INVALID_ARGUMENT', 'values');
  await rejectsRnnlab(f.fit(seasonal(40), { timeBudgetMs: -1 }), 'INVALID_CONFIG', 'timeBudgetMs');
  await rejectsRnnlab(f.fit(seasonal(40), { epochs: 3 }), 'INVALID_CONFIG', 'epochs');
  throwsRnnlab(() => f.forecast(3), 'INVALID_STATE', 'forecaster');
  throwsRnnlab(() => rnn.createForecaster({ seasons: 12 }), 'INVALID_CONFIG', 'seasons');
  throwsRnnlab(() => rnn.createForecaster({ transform: 'sqrt' }), 'INVALID_CONFIG', 'transform');
  await f.fit(seasonal(40));
  throwsRnnlab(() => f.forecast(0), 'INVALID_CONFIG', 'horizon');
  throwsRnnlab(() => f.forecast(2.5), 'INVALID_CONFIG', 'horizon');
  throwsRnnlab(() => f.forecast(3, { levels: [0.8, 1] }), 'INVALID_CONFIG', 'levels[1]');
  throwsRnnlab(() => f.forecast(3, { levels: 0.8 }), 'INVALID_CONFIG', 'levels');
  throwsRnnlab(() => rnn.loadForecaster(new Uint8Array([1, 2, 3])), 'BAD_MODEL_FILE', 'bytes');
  throwsRnnlab(() => rnn.loadForecaster('bytes'), 'INVALID_ARGUMENT', 'bytes');
  f.dispose();
  throwsRnnlab(() => f.forecast(3), 'DISPOSED', 'forecaster');
});

test('awkward series get a forecast: short, constant, missing, negative, huge and tiny values', async () => {
  const cases = {
    eight: [3, 5, 4, 6, 5, 7, 6, 8],
    constant: new Array(40).fill(42),
    missing: seasonal(60).map((v, i) => (i % 7 === 3 ? null : i === 20 ? NaN : v)),
    negative: seasonal(60, { level: -50, slope: -0.3 }),
    huge: seasonal(60).map((v) => v * 1e9),
    tiny: seasonal(60).map((v) => v * 1e-9),
    float32: Float32Array.from(seasonal(50)),
  };
  for (const [name, values] of Object.entries(cases)) {
    const f = rnn.createForecaster(quick);
    const report = await f.fit(values);
    const { mean, intervals } = f.forecast(12);
    assert.ok(mean.every(Number.isFinite) && intervals.every((i) => i.lower.every(Number.isFinite) && i.upper.every(Number.isFinite)), name);
    const finite = Array.from(values).filter((v) => Number.isFinite(v));
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const span = Math.max(hi - lo, Math.abs(hi) * 1e-6);
    for (const v of mean) assert.ok(v > lo - 3 * span && v < hi + 3 * span, `${name}: ${v} within reach of [${lo}, ${hi}]`);
    if (name === 'constant') assert.ok(mean.every((v) => Math.abs(v - 42) < 1e-9), 'a constant series forecasts its value');
    if (name === 'missing') assert.equal(report.missing, 9 + 1);
    f.dispose();
  }
});

test('a seed and a step budget give identical forecasts; save/load gives identical forecasts', async () => {
  const y = seasonal(100);
  const a = rnn.createForecaster({ seed: 11, maxSteps: 100 });
  const b = rnn.createForecaster({ seed: 11, maxSteps: 100 });
  await a.fit(y, { timeBudgetMs: 600_000 });
  await b.fit(y, { timeBudgetMs: 600_000 });
  const fa = a.forecast(30, { levels: [0.9] });
  const fb = b.forecast(30, { levels: [0.9] });
  assert.deepEqual(fa, fb);
  assert.equal(a.describe().network.steps, 100);
  const bytes = a.save();
  assert.ok(bytes instanceof Uint8Array);
  const c = rnn.loadForecaster(bytes);
  assert.deepEqual(c.forecast(30, { levels: [0.9] }), fa);
  assert.deepEqual(c.describe(), a.describe());
  a.dispose();
  b.dispose();
  c.dispose();
});

test('fit stops on its AbortSignal, keeps the previous fit, and reports progress', async () => {
  const y = seasonal(200);
  const f = rnn.createForecaster({ seed: 1 });
  const stages = [];
  await f.fit(y, { maxSteps: 50, timeBudgetMs: 600_000, onProgress: (p) => stages.push(p) });
  assert.ok(stages.length >= 3);
  assert.equal(stages.at(-1).stage, 'done');
  assert.equal(stages.at(-1).fraction, 1);
  for (let i = 1; i < stages.length; i++) assert.ok(stages[i].fraction >= stages[i - 1].fraction);
  const before = f.forecast(10).mean;

  const controller = new AbortController();
  let rounds = 0;
  const running = f.fit(y.map((v) => v * 2), {
    timeBudgetMs: 600_000,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.stage === 'network' && ++rounds === 2) controller.abort();
    },
  });
  const e = await rejectsRnnlab(running, 'ABORTED', 'signal');
  assert.ok(e instanceof RnnlabError);
  assert.deepEqual(f.forecast(10).mean, before, 'the previous fit stays');
  await rejectsRnnlab(f.fit(y, { signal: AbortSignal.abort() }), 'ABORTED', 'signal');
  f.dispose();
});

test('the worker forecaster mirrors the forecaster', async () => {
  const y = seasonal(80);
  const local = rnn.createForecaster({ seed: 5, maxSteps: 40 });
  await local.fit(y, { timeBudgetMs: 600_000 });
  const remote = await createWorkerForecaster({ seed: 5, maxSteps: 40 }, wopts);
  let progress = 0;
  const report = await remote.fit(y, { timeBudgetMs: 600_000, onProgress: () => progress++ });
  assert.ok(progress >= 2);
  // Its networks train side by side in workers of their own where cores allow (up to 4), and
  // learn exactly what they learn here.
  const cores = Math.min(4, availableParallelism(), report.network.networks.length);
  assert.equal(report.network.workers, cores >= 2 ? cores : 0);
  assert.equal(local.describe().network.workers, 0);
  assert.deepEqual(report, { ...local.describe(), elapsedMs: report.elapsedMs, summary: report.summary, network: { ...local.describe().network, workers: report.network.workers } });
  const fr = await remote.forecast(16, { levels: [0.8] });
  assert.deepEqual(fr, local.forecast(16, { levels: [0.8] }));
  const bytes = await remote.save();
  const again = await loadWorkerForecaster(bytes, wopts);
  assert.deepEqual(await again.forecast(16, { levels: [0.8] }), fr);
  await rejectsRnnlab(remote.forecast(0), 'INVALID_CONFIG', 'horizon');
  await rejectsRnnlab(remote.fit([1, 2, 3]), 'INVALID_CONFIG', 'values');
  const controller = new AbortController();
  const running = remote.fit(y, { timeBudgetMs: 600_000, signal: controller.signal });
  controller.abort();
  await rejectsRnnlab(running, 'ABORTED', 'signal');
  await remote.dispose();
  await again.dispose();
  await rejectsRnnlab(remote.forecast(3), 'DISPOSED', 'forecaster');
  local.dispose();
});
