// The memory experiments' presets, measured in Node through the code the page runs (the same
// races, batches and scoring): what the page says about them must be what they do.
//   - gap: at the preset (adding problem, gap 100, 3,000 steps, hidden 32, Adam 3e-3, clip 1),
//     for three seeds, both gated cells end far ahead of the plain RNN, which stays at the
//     error of guessing the mean; the RNN's gradient shrinks geometrically back in time, the
//     gated cells' does not; at a short gap the RNN learns too (the crossover).
//   - clip: without clipping, plain SGD at lr 0.5 explodes (gradient norm and loss spike, then
//     a non-finite loss); with clipping the same run stays bounded.
//   - nomemory: sequences of 64 beat sequences of 1 on Genesis (memory helps).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { defaults } from '../../web/src/state/schema.js';
import { GUESS_MSE, headline, raceOf } from '../../web/src/memory/experiments.js';
import { modelOptions, trainOptions } from '../../web/src/train/options.js';

const rnn = await init();

/** Runs a race to its end: every racer trained, scored and looked at, its workers ended. */
async function run(state, ctx) {
  const race = await raceOf(state, ctx).start();
  await new Promise((resolve) => {
    race.on(() => race.released && resolve(undefined));
    race.play();
  });
  assert.ok(race.racers.every((r) => r.session.state === 'disposed'), 'a race that ended holds no worker');
  assert.ok(race.racers.every((r) => r.points.at(-1)?.steps === r.session.steps), 'every racer scored at its last step');
  return race;
}

/** ‖∂L/∂h‖ at the first step over that at the last, from the race's last look at the probe. */
function gradientRatio(r) {
  assert.equal(r.inspection.step, r.session.steps, 'looked at after the last step');
  const g = r.inspection.layers[0].gradNorm;
  return g[0] / g[g.length - 1];
}

test('gap preset: for three seeds the gated cells end far ahead of the plain RNN, whose gradient vanishes', async () => {
  for (const seed of [1, 2, 3]) {
    const state = { ...defaults('memory', 'gap'), seed };
    assert.equal(state.gap, 100);
    assert.equal(state.budget, 3000);
    const race = await run(state);
    try {
      const final = Object.fromEntries(race.racers.map((r) => [r.entry.id, r.points.at(-1)]));
      const ratios = Object.fromEntries(race.racers.map((r) => [r.entry.id, gradientRatio(r)]));
      console.log(`seed ${seed}: ${race.racers.map((r) => `${r.entry.label} MSE ${final[r.entry.id].mse.toFixed(4)} (${(100 * final[r.entry.id].accuracy).toFixed(0)}% within ±0.1), ‖∂L/∂h₁‖/‖∂L/∂h₁₀₀‖ ${ratios[r.entry.id].toExponential(1)}`).join('; ')}`);
      assert.ok(final.rnn.mse > 0.8 * GUESS_MSE, `seed ${seed}: the RNN stays near guessing the mean (${final.rnn.mse})`);
      for (const cell of ['lstm', 'gru']) {
        assert.ok(final[cell].mse < 0.1 * final.rnn.mse, `seed ${seed}: ${cell} far ahead (${final[cell].mse} vs RNN ${final.rnn.mse})`);
        assert.ok(final[cell].accuracy > 0.5, `seed ${seed}: ${cell} answers most sums within ±0.1`);
      }
      assert.ok(ratios.rnn < 1e-6, `seed ${seed}: the RNN's gradient falls by more than a million over 100 steps (${ratios.rnn})`);
      for (const cell of ['lstm', 'gru']) assert.ok(ratios[cell] > 1e-2, `seed ${seed}: ${cell}'s gradient reaches the first step (${ratios[cell]})`);
    } finally {
      await race.dispose();
    }
  }
});

test('gap crossover: at a short gap the plain RNN learns the task too', async () => {
  const state = { ...defaults('memory', 'gap'), gap: 10, budget: 1500 };
  const race = await run(state);
  try {
    const final = Object.fromEntries(race.racers.map((r) => [r.entry.id, headline(state, r.points.at(-1))]));
    console.log(`gap 10: ${Object.entries(final).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
    assert.ok(final.rnn < 0.1 * GUESS_MSE, `gap 10: the RNN learns (${final.rnn})`);
  } finally {
    await race.dispose();
  }
});

test('clip preset: unclipped, the gradient explodes and the loss spikes; clipped, the same run stays bounded', async () => {
  const state = defaults('memory', 'clip');
  const race = await run(state);
  try {
    const [clipped, unclipped] = race.racers;
    const maxOf = (log) => Math.max(...log.series().hi);
    const g = { clipped: maxOf(clipped.session.gradLog), unclipped: maxOf(unclipped.session.gradLog) };
    const l = { clipped: maxOf(clipped.session.log), unclipped: maxOf(unclipped.session.log) };
    console.log(`clip: largest gradient norm ${g.clipped.toExponential(1)} clipped vs ${g.unclipped.toExponential(1)} unclipped; largest loss ${l.clipped.toExponential(1)} vs ${l.unclipped.toExponential(1)}; unclipped ended ${race.stateOf(unclipped)} after ${unclipped.session.steps} steps`);
    assert.ok(g.unclipped > 1e6 * g.clipped || race.stateOf(unclipped) === 'diverged', 'the unclipped gradient explodes');
    assert.ok(l.unclipped > 100 * l.clipped || race.stateOf(unclipped) === 'diverged', 'the unclipped loss spikes');
    assert.equal(race.stateOf(clipped), 'paused');
    assert.equal(clipped.session.steps, state.budget, 'the clipped run trains to the end');
    assert.ok(l.clipped < 10, `the clipped loss stays bounded (${l.clipped})`);
  } finally {
    await race.dispose();
  }
});

test('memory preset: sequences of 64 reach a lower loss than sequences of 1 on Genesis', async () => {
  const state = defaults('memory', 'nomemory');
  const text = readFileSync(new URL('../../data/text/kjv-genesis.txt', import.meta.url), 'utf8');
  const race = await run(state, { rnn, text });
  try {
    const [withMemory, without] = race.racers.map((r) => r.points.at(-1).loss);
    console.log(`memory: validation ${withMemory.toFixed(3)} nats/char with sequences of ${state.gap}, ${without.toFixed(3)} with sequences of 1`);
    assert.ok(withMemory < without - 0.2, 'memory lowers the loss by more than 0.2 nats per character');
  } finally {
    await race.dispose();
  }
});

test('classify preset: held-out accuracy well above always answering the larger book', async () => {
  const { prepareBooks, plan, modelShape, scoreHeldOut } = await import('../../web/src/classify/task.js');
  const texts = { genesis: readFileSync(new URL('../../data/text/kjv-genesis.txt', import.meta.url), 'utf8'), psalms: readFileSync(new URL('../../data/text/kjv-psalms.txt', import.meta.url), 'utf8') };
  const state = defaults('classify');
  const prep = prepareBooks(rnn, texts);
  const m = rnn.createModel(modelOptions(state, modelShape(prep)));
  const p = plan(state, prep);
  try {
    for (let k = 0; k < 600; k++) {
      const { x, y } = p.source.batch(k);
      m.trainBatch(x, y, trainOptions(state));
    }
    const s = await scoreHeldOut(async (x) => m.predict(x), prep);
    console.log(`classify: ${(100 * s.accuracy).toFixed(1)}% of ${prep.heldOut.length} held-out verses after 600 steps (always "${prep.majority.label ? 'Psalms' : 'Genesis'}": ${(100 * prep.majority.accuracy).toFixed(1)}%); by length ${s.buckets.map((b) => `${b.label} ${(100 * b.right / b.n).toFixed(0)}%`).join(', ')}`);
    assert.ok(s.accuracy > prep.majority.accuracy + 0.15, `held-out accuracy ${s.accuracy}`);
    // A sentence of any length is read whole.
    const ids = prep.vocab.encode('And Jacob went out from Beersheba, and went toward Haran');
    const out = m.predict({ data: ids, shape: [1, ids.length] });
    assert.ok(out.data[0] > 0.5, `a Genesis sentence is Genesis (${out.data[0]})`);
  } finally {
    m.dispose();
  }
});

test('translate preset: the encoder-decoder rewrites held-out dates exactly', async () => {
  const { FORMATS, SOURCE_SYMBOLS, TARGET_SYMBOLS, TARGET_LENGTH, batchOf, example } = await import('../../web/src/translate/dates.js');
  const state = defaults('translate');
  const m = rnn.createSeq2Seq(modelOptions(state, { embeddingSize: 32, inputVocab: SOURCE_SYMBOLS.length, outputVocab: TARGET_SYMBOLS.length }));
  const held = Array.from({ length: 400 }, (_, i) => example(state.seed, 1, i));
  const test = batchOf(held);
  const exact = () => {
    const out = m.translate(test.x, { maxLength: TARGET_LENGTH });
    return held.filter((e, i) => Array.from(out.data.subarray(i * TARGET_LENGTH, (i + 1) * TARGET_LENGTH), (id) => TARGET_SYMBOLS[id]).join('') === e.iso).length / held.length;
  };
  try {
    const curve = [];
    for (let k = 0; k < 1200; k++) {
      const b = batchOf(Array.from({ length: state.batch }, (_, i) => example(state.seed, 0, k * state.batch + i)));
      m.trainBatch(b.x, b.y, trainOptions(state));
      if ((k + 1) % 400 === 0) curve.push(exact());
    }
    console.log(`translate: exact matches on 400 held-out dates after 400/800/1200 steps: ${curve.map((e) => `${(100 * e).toFixed(1)}%`).join(', ')} (${FORMATS.length} formats)`);
    assert.ok(curve.at(-1) > 0.8, `most held-out dates rewritten exactly (${curve.at(-1)})`);
    assert.ok(curve[2] > curve[0], 'it learns');
  } finally {
    m.dispose();
  }
});
