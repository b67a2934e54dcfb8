// Performance rules: one JS -> wasm call per training batch (trainBatch and fit), one per
// predict, and no scratch reallocation in the steady state. Counted by wrapping every bound
// function of a module that the API then runs on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rnnlab } from '../../bindings/js/index.js';
import { INTERNAL } from '../../bindings/js/model.js';
import { loadModule } from './_raw.mjs';
import { batch, ids } from './_helpers.mjs';

async function countingApi() {
  const M = await loadModule('simd');
  const calls = new Map();
  const wrap = (obj, key, label) => {
    const f = obj[key];
    obj[key] = function (...args) {
      calls.set(label, (calls.get(label) ?? 0) + 1);
      return f.apply(this, args);
    };
  };
  for (const key of Object.keys(M)) if (key.startsWith('_') && typeof M[key] === 'function' && !key.startsWith('__')) wrap(M, key, key);
  for (const cls of ['Model', 'Seq2Seq']) {
    for (const key of Object.getOwnPropertyNames(M[cls].prototype)) {
      if (key.startsWith('_') && typeof M[cls].prototype[key] === 'function') wrap(M[cls].prototype, key, `${cls}.${key}`);
    }
    for (const key of ['_create', '_load']) if (M[cls][key]) wrap(M[cls], key, `${cls}.${key}`);
  }
  const rnn = new Rnnlab(INTERNAL, M, 'simd');
  const total = () => [...calls.values()].reduce((a, b) => a + b, 0);
  return { rnn, calls, total, reset: () => calls.clear() };
}

test('trainBatch and predict make exactly one wasm call each in the steady state', async () => {
  const { rnn, calls, total, reset } = await countingApi();
  const m = rnn.createModel({ hiddenSize: 8 });
  const { x, y } = batch(16, 10);
  m.trainBatch(x, y); // first call may size the scratch buffer
  reset();
  for (let i = 0; i < 25; i++) m.trainBatch(x, y, { optimizer: { name: 'adam', lr: 1e-3 }, clipNorm: 1, mask: new Float32Array(16).fill(1) });
  assert.equal(calls.get('Model._trainBatch'), 25);
  assert.equal(total(), 25, JSON.stringify([...calls]));
  reset();
  for (let i = 0; i < 10; i++) m.predict(x);
  assert.equal(total(), 10);
  m.dispose();
});

test('fit makes one wasm call per training batch and one per validation batch', async () => {
  const { rnn, calls, total, reset } = await countingApi();
  const m = rnn.createModel({ hiddenSize: 8 });
  const { x, y } = batch(100, 6);
  await m.fit({ x, y }, { epochs: 1, batchSize: 10 }); // sizes the scratch buffer
  reset();
  await m.fit({ x, y }, { epochs: 3, batchSize: 10, validationSplit: 0.2, shuffle: true });
  // 80 training samples = 8 batches, 20 validation samples = 2 batches, per epoch.
  assert.equal(calls.get('Model._trainBatch'), 24);
  assert.equal(calls.get('Model._evaluate'), 6);
  assert.equal(total(), 30, JSON.stringify([...calls]));
  m.dispose();
  const s = rnn.createSeq2Seq({ inputVocab: 6, outputVocab: 6, hiddenSize: 4 });
  const data = { x: { data: ids(40, 3, 6), shape: [40, 3] }, y: { data: ids(40, 4, 6, 2), shape: [40, 4] } };
  await s.fit(data, { epochs: 1, batchSize: 8 });
  reset();
  await s.fit(data, { epochs: 2, batchSize: 8 });
  assert.equal(calls.get('Seq2Seq._trainBatch'), 10);
  assert.equal(total(), 10);
  s.dispose();
});
