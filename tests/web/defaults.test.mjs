// The playground's defaults, checked through the same code the page runs (its task modules and
// its training Session around rnnlab/worker), in Node: the first screen's run beats the naive
// forecast well within the steps a browser trains in 10 seconds, and every bundled data set
// learns with its own defaults. Step counts, not seconds: the page trains 500-1,000 steps a
// second on this project's CI machine (see tests/web/playground.test.mjs for the timed run).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { SERIES, TEXTS } from '../../web/src/data/catalog.js';
import { extractSeries, guessColumns, readTable } from '../../web/src/data/csv.js';
import { syntheticSeries } from '../../web/src/data/synthetic.js';
import * as forecast from '../../web/src/forecast/task.js';
import * as text from '../../web/src/text/task.js';
import { defaults } from '../../web/src/state/schema.js';
import { Session } from '../../web/src/train/session.js';
import { modelOptions, trainOptions } from '../../web/src/train/options.js';

const rnn = await init();

function seriesOf(state) {
  const info = SERIES.find((s) => s.id === state.data);
  if (!info?.file) return { ...syntheticSeries(/** @type {any} */ (state.data), state.seed), title: info?.title, units: '' };
  const t = readTable(readFileSync(new URL(`../../data/timeseries/${info.file}`, import.meta.url), 'utf8'));
  return { ...extractSeries(t, guessColumns(t)), title: info.title, units: info.units };
}

/** Trains a session until it has completed `n` steps in all. */
function trainTo(session, n) {
  return new Promise((resolve, reject) => {
    if (session.steps >= n) return resolve(undefined);
    const off = session.on((what) => {
      if (what === 'error') {
        off();
        reject(session.lastError);
      } else if (session.steps >= n && session.inFlight === 0) {
        off();
        resolve(undefined);
      }
    });
    session.step(n - session.issued);
  });
}

async function forecastSession(state) {
  const prep = forecast.prepare(rnn, state, seriesOf(state));
  const session = await Session.create(modelOptions(state, forecast.modelShape()), { ...forecast.plan(state, prep), trainOptions: () => trainOptions(state) });
  return { prep, session };
}

test('Manual mode (the first screen before the forecaster): the default run beats the naive forecast at every checkpoint up to what 10 s of training reach', async () => {
  const state = defaults();
  assert.equal(state.task, 'forecast');
  assert.equal(state.data, 'nottingham');
  const { prep, session } = await forecastSession(state);
  const rows = [];
  try {
    for (const k of [150, 300, 600, 1000, 2000, 3000, 4000]) {
      await trainTo(session, k);
      const out = await forecast.evaluateForecast(session, state, prep);
      const [model, naive, seasonal] = out.metrics.oneStep.map((r) => r.e?.mae ?? NaN);
      rows.push(`${k}: ${model.toFixed(3)} (naive ${naive.toFixed(3)}, seasonal naive ${seasonal.toFixed(3)})`);
      assert.ok(model < naive, `after ${k} steps the model's one-step MAE ${model} beats naive ${naive}`);
      assert.ok(model < naive * 0.75, `...by a clear margin (${model} vs ${naive})`);
    }
  } finally {
    console.log(`nottingham, defaults, one-step MAE in °F after\n  ${rows.join('\n  ')}`);
    await session.dispose();
  }
});

test('first screen, other seeds: the defaults do not depend on a lucky seed', async () => {
  for (const seed of [2, 3, 4]) {
    const state = { ...defaults(), seed };
    const { prep, session } = await forecastSession(state);
    try {
      await trainTo(session, 1000);
      const [model, naive] = (await forecast.evaluateForecast(session, state, prep)).metrics.oneStep.map((r) => r.e?.mae ?? NaN);
      console.log(`seed ${seed}: one-step MAE ${model.toFixed(3)} vs naive ${naive.toFixed(3)}`);
      assert.ok(model < naive * 0.75, `seed ${seed}: ${model} vs naive ${naive}`);
    } finally {
      await session.dispose();
    }
  }
});

test('every series learns with its own defaults: training loss falls, outputs are finite', async () => {
  for (const info of SERIES) {
    const state = defaults('forecast', info.id);
    const { prep, session } = await forecastSession(state);
    try {
      await trainTo(session, 400);
      const { mean } = session.log.series();
      const early = mean.slice(0, 20).reduce((a, b) => a + b) / 20;
      const late = mean.slice(-20).reduce((a, b) => a + b) / 20;
      const val = await session.model.evaluate(prep.p.split.validation.x, prep.p.split.validation.y);
      const out = await forecast.evaluateForecast(session, state, prep);
      const m = out.metrics.oneStep.map((r) => (r.e ? r.e.mae.toFixed(2) : '-'));
      console.log(`${info.id.padEnd(10)} training MSE ${early.toFixed(4)} -> ${late.toFixed(4)}, validation ${val.toFixed(4)}; one-step MAE ${m[0]} (naive ${m[1]}, seasonal ${m[2]}) ${info.units}`);
      assert.ok(late < 0.7 * early, `${info.id}: training loss falls (${early} -> ${late})`);
      assert.ok(Number.isFinite(val), `${info.id}: validation loss ${val}`);
      assert.ok(out.futureLevels.every(Number.isFinite) && out.freeLevels.every(Number.isFinite), `${info.id}: forecasts are finite`);
      assert.equal(out.futureLevels.length, state.horizon);
    } finally {
      await session.dispose();
    }
  }
});

test('text defaults: a character model on each book gets below the letter-frequency baseline', async () => {
  for (const info of TEXTS) {
    const state = defaults('text', info.id);
    const source = { text: readFileSync(new URL(`../../data/text/${info.file}`, import.meta.url), 'utf8'), title: info.title };
    const prep = text.prepare(rnn, state, source);
    const plan = text.plan(state, prep);
    const session = await Session.create(modelOptions(state, text.modelShape(prep)), { ...plan, trainOptions: () => trainOptions(state) });
    try {
      await trainTo(session, 150);
      const val = await session.model.evaluate(plan.validation.x, plan.validation.y);
      console.log(`${info.id}: validation ${val.toFixed(3)} nats/char after 150 steps; letter frequencies ${prep.t.baselines.unigram.toFixed(3)}, uniform ${prep.t.baselines.uniform.toFixed(3)}`);
      assert.ok(val < prep.t.baselines.unigram, `${info.id}: ${val} below the unigram baseline ${prep.t.baselines.unigram}`);
      const { ids } = text.primeIds(prep.t.vocab, state.prime);
      const sample = prep.t.vocab.decode(await session.model.generate({ prime: ids, length: 50, temperature: state.temp, seed: 1 }));
      assert.equal([...sample].length, 50);
    } finally {
      await session.dispose();
    }
  }
});
