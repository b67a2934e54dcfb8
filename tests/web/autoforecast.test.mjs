// The forecast task's Automatic mode without a browser, through the page's own modules: the
// split, the free-running verdict rows (errors, the best marked, ETS that could not fit), the
// choice in words, augurs' ETS as the page picks it, and the first screen's promise with the
// page's fitting code (AutoFit around rnnlab/worker's createWorkerForecaster): on the default
// series, with the default settings, the free-running forecast of the validation part beats
// naive and seasonal naive (tests/web/forecaster.browser.test.mjs runs the same in Chromium,
// timed from the press of play).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { SERIES } from '../../web/src/data/catalog.js';
import { extractSeries, guessColumns, readTable } from '../../web/src/data/csv.js';
import { AutoFit } from '../../web/src/forecast/autoFit.js';
import { autoVerdict, choiceInWords, freeRunningRows, prepareAuto } from '../../web/src/forecast/autoTask.js';
import { fitEts } from '../../web/src/forecast/etsModel.js';
import { prepare as prepareManual } from '../../web/src/forecast/task.js';
import { defaults, fromHash, toHash } from '../../web/src/state/schema.js';
import { init } from 'rnnlab';

const require = createRequire(import.meta.url);
const augursDir = path.dirname(require.resolve('@bsull/augurs/ets'));

/** augurs in Node, as the page's worker has it (the wasm read from node_modules). */
async function augurs() {
  const ets = await import('@bsull/augurs/ets');
  ets.initSync({ module: readFileSync(path.join(augursDir, 'ets_bg.wasm')) });
  const mstl = await import('@bsull/augurs/mstl');
  mstl.initSync({ module: readFileSync(path.join(augursDir, 'mstl_bg.wasm')) });
  return { AutoETS: ets.AutoETS, MSTL: mstl.MSTL };
}

function seriesOf(id) {
  const info = /** @type {any} */ (SERIES.find((s) => s.id === id));
  const t = readTable(readFileSync(new URL(`../../data/timeseries/${info.file}`, import.meta.url), 'utf8'));
  return { ...extractSeries(t, guessColumns(t)), title: info.title, units: info.units, info };
}

test('Automatic is the default; the mode and time budget travel in the link; Manual keeps its settings', () => {
  const d = defaults();
  assert.equal(d.mode, 'auto');
  assert.equal(d.time, 6);
  const manual = { ...defaults('forecast', 'air'), mode: 'manual', lr: 0.01, window: 30 };
  assert.deepEqual(fromHash(toHash(manual)).state, manual);
  assert.match(toHash(d), /mode=auto/);
  assert.deepEqual(fromHash('#task=forecast&mode=sideways').notices, ['Forecaster "sideways" ignored: must be one of auto, manual']);
});

test('prepareAuto splits where Manual does, and refuses a training part too short to fit on', async () => {
  const rnn = await init();
  const state = defaults();
  const series = seriesOf('nottingham');
  const auto = prepareAuto(state, series);
  const manual = prepareManual(rnn, { ...state, mode: 'manual' }, series);
  assert.equal(auto.p.splitRaw, manual.p.splitRaw);
  assert.equal(auto.p.n, series.values.length);
  assert.equal(auto.season.period, 12);
  const short = { values: Float64Array.from({ length: 9 }, (_, i) => i), dates: null, title: 'short', units: '' };
  assert.throws(() => prepareAuto({ ...state, val: 0.2 }, short), /training part has 7 rows.*at least 8: lower the validation part/);
  assert.throws(() => prepareAuto(state, { ...short, values: short.values.subarray(0, 7) }), /at least 8/);
  // Manual's window limit does not apply: 12 values forecast in Automatic.
  assert.doesNotThrow(() => prepareAuto({ ...state, val: 0.25 }, { ...short, values: Float64Array.from({ length: 12 }, (_, i) => i) }));
});

test('the verdict rows: errors in the series’ units, the lowest MAE marked best, ETS’s failure said', () => {
  const values = Float64Array.from({ length: 48 }, (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / 12) + i * 0.1);
  const prep = prepareAuto({ ...defaults(), val: 0.25 }, { values, dates: null, title: 't', units: 'u' });
  const truth = values.subarray(36);
  const perfect = { mean: Float64Array.from(truth) };
  const rows = freeRunningRows(prep, perfect, { method: 'AutoETS', point: new Float64Array(12).fill(values[35]) });
  assert.deepEqual(rows.map((r) => r.label), ['rnnlab forecaster', 'naive', 'seasonal naive', 'ETS']);
  assert.equal(rows[0].e?.mae, 0);
  assert.deepEqual(rows.map((r) => !!r.best), [true, false, false, false]);
  assert.equal(rows[3].e?.mae, rows[1].e?.mae, 'an ETS that holds the last value scores as naive');
  assert.match(autoVerdict(rows), /beats both simple rules.*also beats ETS/);
  // Before the fits: no forecaster row numbers, the rules are already there; ETS that failed says why.
  const pending = freeRunningRows(prep, null, { error: 'MSTL: too short' });
  assert.equal(pending[0].e, null);
  assert.match(pending[3].note ?? '', /could not fit it: MSTL: too short/);
  assert.equal(pending.filter((r) => r.best).length, 1);
  assert.equal(autoVerdict(pending), '');
  // A forecaster worse than seasonal naive is told so.
  const bad = freeRunningRows(prep, { mean: new Float64Array(12).fill(0) }, null);
  assert.match(autoVerdict(bad), /does not beat seasonal naive/);
});

test('augurs’ ETS as the page runs it: MSTL + AutoETS for a seasonal series, AutoETS otherwise, a reason when neither fits', async () => {
  const a = await augurs();
  const series = seriesOf('nottingham').values;
  const train = series.subarray(0, 192);
  const seasonal = fitEts(a, train, { period: 12, horizon: 48, level: 0.8 });
  assert.ok('point' in seasonal && seasonal.method.startsWith('MSTL'), JSON.stringify(seasonal).slice(0, 200));
  assert.equal(seasonal.point.length, 48);
  const plain = fitEts(a, train, { period: 0, horizon: 5, level: 0.8 });
  assert.ok('point' in plain && plain.method === 'AutoETS');
  assert.deepEqual(fitEts(a, new Float64Array([1, 2]), { period: 0, horizon: 3, level: 0.8 }), { error: 'AutoETS: not enough data' });
  // A season too long for the series: straight to AutoETS.
  const long = fitEts(a, train.subarray(0, 20), { period: 12, horizon: 3, level: 0.8 });
  assert.ok('point' in long && long.method === 'AutoETS');
});

test('first screen: with the defaults, the page’s fit of the training part forecasts the validation part better than both simple rules', async () => {
  const a = await augurs();
  const state = defaults();
  const series = seriesOf(state.data);
  const prep = prepareAuto(state, series);
  const fit = new AutoFit({
    values: prep.p.raw, split: prep.p.splitRaw, horizon: state.horizon, period: prep.season.period, seed: state.seed,
    timeMs: state.time * 1000, seasonGiven: false,
    classical: async (values, o) => fitEts(a, Float64Array.from(values), { ...o, level: o.level ?? 0.8 }),
  });
  try {
    await new Promise((resolve, reject) => {
      fit.on((what) => {
        if (what === 'done') resolve(undefined);
        if (what === 'error') reject(fit.lastError);
      });
      fit.play();
    });
    const rows = freeRunningRows(prep, fit.fits.validation.forecast, fit.ets);
    const [forecaster, naive, seasonal, ets] = rows.map((r) => r.e?.mae ?? NaN);
    console.log(`nottingham, defaults: forecaster ${forecaster.toFixed(3)}, naive ${naive.toFixed(3)}, seasonal naive ${seasonal.toFixed(3)}, ETS ${ets.toFixed(3)} (MAE, °F)`);
    console.log(choiceInWords(fit.fits.validation.report).join(' '));
    assert.ok(forecaster < naive && forecaster < seasonal, 'the forecaster beats both simple rules');
    // Both forecasts carry their 80% and 95% intervals, the 95% one the wider.
    for (const f of [fit.fits.validation.forecast, fit.fits.future.forecast]) {
      const [i80, i95] = /** @type {any} */ (f).intervals;
      assert.deepEqual([i80.level, i95.level], [0.8, 0.95]);
      assert.ok(i95.upper.every((v, i) => v >= i80.upper[i] && i95.lower[i] <= i80.lower[i]));
    }
    assert.equal(fit.fits.future.forecast?.mean.length, state.horizon);
    assert.equal((await fit.forecastFuture(12))?.mean.length, 12, 'another horizon from the fitted forecaster');
  } finally {
    await fit.dispose();
  }
});
