// Model.fit: history, validation split, shuffling, callbacks, abort, yielding, errors, and a
// TS-S-style forecasting smoke test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batch, ids, load, rejectsRnnlab, sineWindows } from './_helpers.mjs';

const rnn = await load();

test('fit: TS-S sine forecasting reaches a low MSE within seconds', async () => {
  const { x, y, n } = sineWindows({ points: 1200, steps: 32 });
  const m = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 32, outputSize: 1, seed: 42 });
  const t0 = performance.now();
  const h = await m.fit({ x, y }, {
    epochs: 8, batchSize: 32, validationSplit: 0.1, optimizer: { name: 'adam', lr: 1e-2 }, clipNorm: 1,
  });
  const ms = performance.now() - t0;
  assert.equal(h.epochs, 8);
  assert.equal(h.loss.length, 8);
  assert.equal(h.valLoss.length, 8);
  assert.equal(h.aborted, false);
  // The series has variance ~0.6 and noise variance 0.0025: a working model gets close to the noise.
  assert.ok(h.valLoss.at(-1) < 0.02, `validation MSE ${h.valLoss.at(-1)}`);
  assert.ok(h.loss.at(-1) < h.loss[0], 'training loss decreased');
  assert.ok(ms < 20000, `${ms} ms for ${8 * Math.ceil(0.9 * n / 32)} steps`);
  const f = m.forecast(x.data.subarray(0, 32), 20);
  assert.ok(f.every((v) => Math.abs(v) < 2), 'forecasts stay in range');
  m.dispose();
});

test('fit: validation is the chronological tail and never trains', async () => {
  // Samples are distinguishable by value: record which ones each batch saw via a mask trick:
  // give the validation tail targets of NaN-free but huge values and check training loss.
  const B = 40;
  const { x } = batch(B, 3);
  const y = new Float32Array(B).fill(0);
  for (let i = 36; i < B; i++) y[i] = 1000; // the last 10% (4 samples)
  const m = rnn.createModel({ hiddenSize: 3, seed: 1 });
  const h = await m.fit({ x, y }, { epochs: 2, batchSize: 8, validationSplit: 0.1, optimizer: { lr: 1e-3 } });
  assert.ok(h.loss.every((l) => l < 10), `training never sees the tail: ${h.loss}`);
  assert.ok(h.valLoss.every((l) => l > 1e5), `validation is the tail: ${h.valLoss}`);
  m.dispose();
});

test('fit: seeded shuffling is repeatable; shuffle false and stateful follow the order', async () => {
  const { x, y } = batch(30, 4);
  const run = async (opts) => {
    const m = rnn.createModel({ hiddenSize: 4, seed: 3 });
    const h = await m.fit({ x, y }, { epochs: 3, batchSize: 7, ...opts });
    const w = m.getWeights();
    m.dispose();
    return { h, w };
  };
  const a = await run({ seed: 5 });
  const b = await run({ seed: 5 });
  const c = await run({ seed: 6 });
  const d = await run({ shuffle: false });
  assert.deepEqual(a.h, b.h);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.h.loss, c.h.loss);
  assert.notDeepEqual(a.h.loss, d.h.loss);
  const s = await run({ stateful: true });
  assert.equal(s.h.epochs, 3);
  const t = await run({ tbptt: 2, shuffle: false });
  assert.equal(t.h.loss.length, 3);
});

test('fit: callbacks get batch and epoch info; async callbacks are awaited', async () => {
  const { x, y } = batch(20, 3);
  const m = rnn.createModel({ hiddenSize: 3 });
  const batches = [];
  const epochs = [];
  const h = await m.fit({ x, y }, {
    epochs: 2, batchSize: 8, validationSplit: 0.2,
    optimizer: { name: 'sgd', lr: 0.1, schedule: { name: 'step', stepSize: 1, gamma: 0.5 } },
    onBatchEnd: (info) => batches.push(info),
    onEpochEnd: async (info) => {
      await new Promise((r) => setTimeout(r, 5));
      epochs.push(info);
    },
  });
  assert.equal(batches.length, 4, '16 training samples in batches of 8, twice');
  assert.deepEqual(Object.keys(batches[0]).sort(), ['batch', 'batches', 'epoch', 'gradNorm', 'loss', 'lr', 'size']);
  assert.equal(batches[0].batches, 2);
  assert.equal(batches[0].size, 8);
  assert.ok(Math.abs(batches[0].lr - 0.1) < 1e-7 && Math.abs(batches[1].lr - 0.05) < 1e-7, 'schedule per optimizer step');
  assert.ok(batches.every((b) => b.gradNorm > 0));
  assert.equal(epochs.length, 2);
  assert.deepEqual(epochs.map((e) => e.epoch), [0, 1]);
  assert.equal(epochs[1].loss, h.loss[1]);
  assert.equal(epochs[1].valLoss, h.valLoss[1]);
  assert.ok(epochs[1].elapsedMs >= 0);
  // A throwing callback ends fit with that error.
  await assert.rejects(m.fit({ x, y }, { onBatchEnd: () => { throw new Error('stop here'); } }), /stop here/);
  m.dispose();
});

test('fit: yields to the event loop between batches', async () => {
  const { x, y } = batch(64, 4);
  const m = rnn.createModel({ hiddenSize: 3 });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  let immediates = 0;
  const spin = () => {
    immediates++;
    if (immediates < 1e6) setImmediate(spin);
  };
  setImmediate(spin);
  const before = immediates;
  await m.fit({ x, y }, { epochs: 4, batchSize: 4 });
  const ran = immediates - before;
  clearInterval(timer);
  immediates = 1e6;
  assert.ok(ran >= 32, `other tasks ran between batches (${ran} immediates during 64 batches)`);
  m.dispose();
});

test('fit: an AbortSignal stops between batches and resolves with the history so far', async () => {
  const { x, y } = batch(64, 4);
  const m = rnn.createModel({ hiddenSize: 3 });
  const ac = new AbortController();
  let seen = 0;
  const h = await m.fit({ x, y }, {
    epochs: 50, batchSize: 8,
    signal: ac.signal,
    onBatchEnd: ({ epoch, batch: b }) => {
      seen++;
      if (epoch === 2 && b === 3) ac.abort();
    },
  });
  assert.equal(h.aborted, true);
  assert.equal(h.epochs, 2);
  assert.equal(h.loss.length, 2);
  assert.equal(seen, 2 * 8 + 4);
  const pre = new AbortController();
  pre.abort();
  const h2 = await m.fit({ x, y }, { epochs: 3, signal: pre.signal });
  assert.deepEqual(h2, { loss: [], valLoss: [], epochs: 0, aborted: true });
  m.dispose();
});

test('fit: softmax and token models, masks', async () => {
  const lm = rnn.createModel({ vocabSize: 6, hiddenSize: 8, head: 'softmax', output: 'sequence', seed: 2 });
  const N = 24, T = 5;
  const xs = ids(N, T, 6);
  const ys = new Int32Array(N * T).map((_, i) => (xs[i] + 1) % 6); // next id = id + 1
  const mask = new Float32Array(N * T).fill(1);
  const h = await lm.fit({ x: { data: xs, shape: [N, T] }, y: { data: ys, shape: [N, T] }, mask }, {
    epochs: 30, batchSize: 8, optimizer: { lr: 0.05 },
  });
  assert.ok(h.loss.at(-1) < 0.3 * h.loss[0], `${h.loss[0]} -> ${h.loss.at(-1)}`);
  const p = lm.nextTokenProbabilities([2]);
  assert.equal(p.indexOf(Math.max(...p)), 3, 'learned id -> id + 1');
  lm.dispose();
});

test('fit: argument errors', async () => {
  const { x, y } = batch(10, 3);
  const m = rnn.createModel({ hiddenSize: 3 });
  await rejectsRnnlab(m.fit(), 'INVALID_ARGUMENT', 'data');
  await rejectsRnnlab(m.fit(5), 'INVALID_CONFIG', 'data');
  await rejectsRnnlab(m.fit({ x }), 'INVALID_ARGUMENT', 'data');
  await rejectsRnnlab(m.fit({ x, y, w: 1 }), 'INVALID_CONFIG', 'data.w');
  await rejectsRnnlab(m.fit({ x, y: new Float32Array(3) }), 'SHAPE_MISMATCH', 'y');
  await rejectsRnnlab(m.fit({ x, y }, { epochs: 0 }), 'INVALID_CONFIG', 'epochs');
  await rejectsRnnlab(m.fit({ x, y }, { epochs: 1.5 }), 'INVALID_CONFIG', 'epochs');
  await rejectsRnnlab(m.fit({ x, y }, { batchSize: 0 }), 'INVALID_CONFIG', 'batchSize');
  await rejectsRnnlab(m.fit({ x, y }, { validationSplit: 1 }), 'INVALID_CONFIG', 'validationSplit');
  await rejectsRnnlab(m.fit({ x, y }, { validationSplit: -0.1 }), 'INVALID_CONFIG', 'validationSplit');
  await rejectsRnnlab(m.fit({ x: { data: x.data.subarray(0, 3), shape: [1, 3, 1] }, y: [1] }, { validationSplit: 0.5 }), 'INVALID_CONFIG', 'validationSplit');
  await rejectsRnnlab(m.fit({ x, y }, { shuffle: 'yes' }), 'INVALID_CONFIG', 'shuffle');
  await rejectsRnnlab(m.fit({ x, y }, { stateful: true, shuffle: true }), 'INVALID_CONFIG', 'shuffle');
  await rejectsRnnlab(m.fit({ x, y }, { seed: 1.5 }), 'INVALID_CONFIG', 'seed');
  await rejectsRnnlab(m.fit({ x, y }, { onEpochEnd: 'log' }), 'INVALID_CONFIG', 'onEpochEnd');
  await rejectsRnnlab(m.fit({ x, y }, { onBatchEnd: 1 }), 'INVALID_CONFIG', 'onBatchEnd');
  await rejectsRnnlab(m.fit({ x, y }, { signal: {} }), 'INVALID_CONFIG', 'signal');
  await rejectsRnnlab(m.fit({ x, y }, { optimizer: { lr: -1 } }), 'INVALID_CONFIG', 'optimizer.lr');
  await rejectsRnnlab(m.fit({ x, y }, { epoch: 3 }), 'INVALID_CONFIG', 'epoch');
  await rejectsRnnlab(m.fit({ x, y }, { mask: [1] }), 'INVALID_CONFIG', 'mask');
  // One fit at a time; trainBatch and setWeights wait too; predict may run between batches.
  const running = m.fit({ x, y }, { epochs: 3, batchSize: 2, onBatchEnd: () => { m.predict(x); } });
  await rejectsRnnlab(m.fit({ x, y }), 'INVALID_STATE', 'fit');
  assert.throws(() => m.trainBatch(x, y), (e) => e.code === 'INVALID_STATE');
  assert.throws(() => m.setWeights(m.getWeights()), (e) => e.code === 'INVALID_STATE');
  assert.equal((await running).epochs, 3);
  // Disposing during fit ends it with DISPOSED.
  const doomed = m.fit({ x, y }, { epochs: 5, batchSize: 2 });
  await new Promise((r) => setImmediate(r));
  m.dispose();
  await rejectsRnnlab(doomed, 'DISPOSED', 'model');
});

test('fit: divergence surfaces as NON_FINITE_LOSS with the history so far', async () => {
  const { x } = batch(16, 4);
  const y = new Float32Array(16).fill(3e38);
  const m = rnn.createModel({ hiddenSize: 3 });
  const e = await rejectsRnnlab(m.fit({ x, y }, { epochs: 3, batchSize: 4 }), 'NON_FINITE_LOSS', 'loss');
  assert.ok(e.history && e.history.epochs === 0);
  // The weights stay finite and usable.
  assert.ok(m.predict(x).data.every(Number.isFinite));
  m.dispose();
});
