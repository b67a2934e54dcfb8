// The forecaster's inner workings that its API does not show one by one: the hybrid network's
// smoothing base (base.js) forecasts as the classical members do, a network that outputs zero
// forecasts exactly its base (chained past its horizon too), the choice ranks classical members
// on older origins as well, and a step budget is spent exactly however it falls on the chunks.
import assert from 'node:assert/strict';
import test from 'node:test';
import { advance, baseForecast, startState, statesAlong } from '../../bindings/js/forecaster/base.js';
import { fitClassical } from '../../bindings/js/forecaster/classical.js';
import { forecastInSpace } from '../../bindings/js/forecaster/members.js';
import { fitBase } from '../../bindings/js/forecaster/network.js';
import { load, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();

/** A trending, wiggling series (deterministic). */
function series(n) {
  return Float64Array.from({ length: n }, (_, t) => 10 + 0.3 * t + 3 * Math.sin(t / 3) + Math.sin(t * 12.9898));
}

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('the base run along a series forecasts as the classical member fitted on it', () => {
  const z = series(80);
  for (const kind of /** @type {const} */ (['ses', 'holt', 'theta'])) {
    const base = fitBase(kind, z);
    const member = { kind, space: { scale: 1, log: false, seasons: [] }, n: z.length, state: fitClassical(kind, z) };
    const expected = forecastInSpace(member, 12, []);
    const st = statesAlong(base, z).at(z.length);
    for (let k = 0; k < 12; k++) close(baseForecast(base, st, k), expected[k], `${kind} step ${k + 1}`);
    // The state at an earlier origin is the state of a run over the values before it.
    const run = startState(base, z[0]);
    for (let t = 1; t < 50; t++) advance(base, run, z[t]);
    assert.deepEqual(statesAlong(base, z).at(50), run);
  }
});

test('a hybrid network that outputs zero forecasts its base exactly, chained past its horizon too', () => {
  const z = series(60);
  const base = fitBase('holt', z);
  const H = 5;
  const model = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 4, outputSize: H, seed: 3 });
  const zeros = Object.fromEntries(Object.entries(model.getWeights()).map(([name, t]) => [name, { data: new Float32Array(t.data.length), shape: t.shape }]));
  model.setWeights(zeros);
  const member = {
    kind: 'network',
    space: { scale: 1, log: false, seasons: [] },
    n: z.length,
    state: { unit: 0.7, window: Array.from(z.subarray(z.length - 8)), nets: [{ model: 0, window: 8, horizon: H }], base: { params: base, state: statesAlong(base, z).at(z.length) } },
  };
  const got = forecastInSpace(/** @type {any} */ (member), 3 * H + 2, [model]);
  const holt = forecastInSpace({ kind: 'holt', space: member.space, n: z.length, state: fitClassical('holt', z) }, 3 * H + 2, []);
  for (let k = 0; k < got.length; k++) close(got[k], holt[k], `step ${k + 1}`);
  model.dispose();
});

test('the choice ranks the classical members on older origins too; a step budget is spent exactly', async () => {
  const y = Array.from(series(160));
  const f = rnn.createForecaster({ seed: 2, maxSteps: 37 });
  const d = await f.fit(y, { timeBudgetMs: 600_000 });
  assert.equal(d.validation.origins, 4);
  assert.ok(d.validation.choiceOrigins > d.validation.origins, `choice origins ${d.validation.choiceOrigins}`);
  // 37 steps over three networks in chunks of 25: none lost or added at the chunk boundaries.
  assert.equal(d.network.steps, 37);
  assert.equal(d.network.networks.reduce((s, n) => s + n.steps, 0), 37);
  assert.ok(['SES', 'damped Holt', 'Theta'].includes(d.network.base), d.network.base);
  f.dispose();
  // Too short for older origins: the choice is made on the near ones alone.
  const g = rnn.createForecaster({ seed: 2, maxSteps: 10 });
  const e = await g.fit(y.slice(0, 12), { timeBudgetMs: 600_000 });
  assert.equal(e.validation.choiceOrigins, e.validation.origins);
  g.dispose();
});

test('forecaster files: version 2 written, version 1 read, newer versions refused', async () => {
  const f = rnn.createForecaster({ seed: 4, maxSteps: 30 });
  await f.fit(Array.from(series(90)), { timeBudgetMs: 600_000 });
  const bytes = f.save();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getUint32(4, true), 2);
  const expected = f.forecast(10);
  view.setUint32(4, 1, true);
  const g = rnn.loadForecaster(bytes);
  assert.deepEqual(g.forecast(10), expected);
  view.setUint32(4, 3, true);
  throwsRnnlab(() => rnn.loadForecaster(bytes), 'UNSUPPORTED_VERSION', 'bytes');
  f.dispose();
  g.dispose();
});
