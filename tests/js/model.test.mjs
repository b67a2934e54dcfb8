// Model: creation options, every method, and every argument error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batch, ids, load, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();

test('createModel: defaults and the config it reports', () => {
  const m = rnn.createModel();
  assert.deepEqual({ ...m.config, hiddenSize: [...m.config.hiddenSize] }, {
    cell: 'lstm', inputEncoding: 'features', inputSize: 1, hiddenSize: [32], outputSize: 1,
    output: 'last', head: 'linear', dropout: 0, seed: 42,
  });
  // 4H(I + H + 2) + O(H + 1) for one LSTM layer.
  assert.equal(m.parameterCount, 4 * 32 * (1 + 32 + 2) + 33);
  assert.equal(m.metadata, '');
  assert.equal(m.disposed, false);
  assert.ok(Object.isFrozen(m.config));
  m.dispose();
});

test('createModel: every option reaches the core', () => {
  const m = rnn.createModel({
    cell: 'gru', gruVariant: 'classic', inputSize: 3, hiddenSize: [8, 4], outputSize: 2,
    output: 'sequence', head: 'linear', dropout: 0.25, seed: 7,
  });
  const c = m.config;
  assert.equal(c.cell, 'gru');
  assert.equal(c.gruVariant, 'classic');
  assert.equal(c.inputSize, 3);
  assert.deepEqual([...c.hiddenSize], [8, 4]);
  assert.equal(c.output, 'sequence');
  assert.equal(c.dropout, 0.25);
  assert.equal(c.seed, 7);
  const again = rnn.createModel(c);
  assert.deepEqual(again.config, c, 'the reported config recreates the model');
  assert.deepEqual(again.getWeights(), m.getWeights(), 'same seed, same weights');
  m.dispose();
  again.dispose();

  const tok = rnn.createModel({ vocabSize: 10, embeddingSize: 5, hiddenSize: 6, head: 'softmax', output: 'sequence' });
  assert.equal(tok.config.inputEncoding, 'embedding');
  assert.equal(tok.config.outputSize, 10, 'softmax over the vocabulary by default');
  assert.equal(tok.config.embeddingSize, 5);
  assert.equal(tok.config.inputSize, undefined);
  assert.ok('embedding.weight' in tok.getWeights());
  tok.dispose();
  const oh = rnn.createModel({ vocabSize: 10, inputEncoding: 'onehot', hiddenSize: 6, cell: 'rnn' });
  assert.equal(oh.config.inputEncoding, 'onehot');
  assert.deepEqual(oh.getWeights().weight_ih_l0.shape, [6, 10]);
  oh.dispose();
  const auto = rnn.createModel({ vocabSize: 100, hiddenSize: 4 });
  assert.equal(auto.config.embeddingSize, 64, 'min(vocabSize, 64)');
  auto.dispose();
});

test('createModel: every bad option is named', () => {
  const cases = [
    [{ cell: 'LSTM' }, 'INVALID_CONFIG', 'cell'],
    [{ cell: 3 }, 'INVALID_CONFIG', 'cell'],
    [{ cell: 'lstm', gruVariant: 'classic' }, 'INVALID_CONFIG', 'gruVariant'],
    [{ cell: 'gru', gruVariant: 'keras' }, 'INVALID_CONFIG', 'gruVariant'],
    [{ inputSize: 0 }, 'INVALID_CONFIG', 'inputSize'],
    [{ inputSize: 1.5 }, 'INVALID_CONFIG', 'inputSize'],
    [{ inputSize: '4' }, 'INVALID_CONFIG', 'inputSize'],
    [{ inputSize: 70000 }, 'INVALID_CONFIG', 'inputSize'],
    [{ hiddenSize: 0 }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ hiddenSize: NaN }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ hiddenSize: [] }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ hiddenSize: [4, -1] }, 'INVALID_CONFIG', 'hiddenSize[1]'],
    [{ hiddenSize: new Array(17).fill(2) }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ hiddenSize: 9000 }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ hiddenSize: '32' }, 'INVALID_CONFIG', 'hiddenSize'],
    [{ outputSize: 0 }, 'INVALID_CONFIG', 'outputSize'],
    [{ head: 'softmax', outputSize: 1 }, 'INVALID_CONFIG', 'outputSize'],
    [{ head: 'sigmoid' }, 'INVALID_CONFIG', 'head'],
    [{ output: 'all' }, 'INVALID_CONFIG', 'output'],
    [{ vocabSize: 0 }, 'INVALID_CONFIG', 'vocabSize'],
    [{ vocabSize: 10, inputSize: 2 }, 'INVALID_CONFIG', 'inputSize'],
    [{ inputEncoding: 'embedding' }, 'INVALID_CONFIG', 'inputEncoding'],
    [{ inputEncoding: 'bytes' }, 'INVALID_CONFIG', 'inputEncoding'],
    [{ vocabSize: 10, inputEncoding: 'features' }, 'INVALID_CONFIG', 'inputEncoding'],
    [{ vocabSize: 10, inputEncoding: 'onehot', embeddingSize: 4 }, 'INVALID_CONFIG', 'embeddingSize'],
    [{ embeddingSize: 4 }, 'INVALID_CONFIG', 'embeddingSize'],
    [{ dropout: 1 }, 'INVALID_CONFIG', 'dropout'],
    [{ dropout: -0.1 }, 'INVALID_CONFIG', 'dropout'],
    [{ dropout: Infinity }, 'INVALID_CONFIG', 'dropout'],
    [{ seed: -1 }, 'INVALID_CONFIG', 'seed'],
    [{ seed: 2 ** 60 }, 'INVALID_CONFIG', 'seed'],
    [{ hidenSize: 4 }, 'INVALID_CONFIG', 'hidenSize'],
    [{ learningRate: 4 }, 'INVALID_CONFIG', 'learningRate'],
  ];
  for (const [opts, code, field] of cases) throwsRnnlab(() => rnn.createModel(opts), code, field);
  const e = throwsRnnlab(() => rnn.createModel({ hidenSize: 4 }), 'INVALID_CONFIG');
  assert.match(e.message, /did you mean 'hiddenSize'/);
  throwsRnnlab(() => rnn.createModel(null), 'INVALID_CONFIG', 'options');
  throwsRnnlab(() => rnn.createModel([1]), 'INVALID_CONFIG', 'options');
  // Undefined values count as absent (the example passes vocabSize: undefined).
  rnn.createModel({ vocabSize: undefined, hiddenSize: 2 }).dispose();
});

test('createModel: the core refuses models above the parameter cap (TOO_LARGE)', () => {
  const e = throwsRnnlab(() => rnn.createModel({ inputSize: 8192, hiddenSize: [8192, 8192] }), 'TOO_LARGE', 'hiddenSize');
  assert.match(e.message, /parameters/);
});

test('trainBatch: loss goes down, optimizer state persists, one call per batch', () => {
  const m = rnn.createModel({ hiddenSize: 8, seed: 1 });
  const { x, y } = batch(16, 10);
  const opts = { optimizer: { name: 'adam', lr: 1e-2 }, clipNorm: 1 };
  const first = m.trainBatch(x, y, opts);
  let last = first;
  for (let i = 0; i < 60; i++) last = m.trainBatch(x, y, opts);
  assert.ok(Number.isFinite(first) && last < first * 0.5, `${first} -> ${last}`);
  // Same inputs in every accepted form give the same loss (evaluate does not train).
  const flatY = m.evaluate(x, y);
  assert.equal(m.evaluate(x, { data: y, shape: [16, 1] }), flatY);
  assert.equal(m.evaluate(x, { data: y, shape: [16] }), flatY);
  assert.equal(m.evaluate({ data: Array.from(x.data), shape: x.shape }, Array.from(y)), flatY);
  const nested = [];
  for (let b = 0; b < 16; b++) nested.push(Array.from({ length: 10 }, (_, t) => [x.data[b * 10 + t]]));
  assert.equal(m.evaluate(nested, y), flatY);
  assert.equal(m.evaluate({ data: new Float64Array(x.data), shape: x.shape }, y), flatY);
  m.dispose();
});

test('trainBatch: every optimizer, schedule, loss, tbptt, stateful and mask', () => {
  const m = rnn.createModel({ hiddenSize: 6, output: 'sequence', seed: 2 });
  const B = 4, T = 12;
  const x = batch(B, T).x;
  const y = new Float32Array(B * T).map((_, i) => Math.sin(i));
  const mask = new Float32Array(B * T).fill(1);
  mask[5] = 0;
  const variants = [
    { optimizer: 'sgd' },
    { optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 } },
    { optimizer: { name: 'rmsprop', lr: 1e-3, alpha: 0.9, momentum: 0.5, eps: 1e-6 } },
    { optimizer: { name: 'adam', beta1: 0.8, beta2: 0.99, eps: 1e-7, schedule: { name: 'step', stepSize: 2, gamma: 0.5 } } },
    { optimizer: { name: 'adamw', weightDecay: 0.1, schedule: { name: 'cosine', tMax: 10, etaMin: 1e-5 } } },
    { loss: 'huber', huberDelta: 0.5 },
    { loss: 'mse', tbptt: 4 },
    { stateful: true },
    { mask },
    { mask: { data: mask, shape: [B, T] } },
  ];
  for (const opts of variants) {
    const loss = m.trainBatch(x, y, opts);
    assert.ok(Number.isFinite(loss) && loss >= 0, JSON.stringify(opts));
  }
  m.dispose();
});

test('trainBatch: softmax heads take class ids, token models take ids', () => {
  const cls = rnn.createModel({ inputSize: 2, hiddenSize: 5, head: 'softmax', outputSize: 3 });
  const { x } = batch(6, 4, 2);
  const y = new Int32Array([0, 1, 2, 0, 1, 2]);
  const l0 = cls.trainBatch(x, y, { optimizer: { lr: 0.05 } });
  assert.ok(l0 > 0.5 && l0 < 2, `cross-entropy near ln 3: ${l0}`);
  assert.equal(typeof cls.trainBatch(x, [0, 1, 2, 0, 1, 2]), 'number');
  assert.equal(typeof cls.trainBatch(x, new Uint8Array([0, 1, 2, 0, 1, 2]), { loss: 'crossentropy' }), 'number');
  cls.dispose();
  const lm = rnn.createModel({ vocabSize: 7, hiddenSize: 5, head: 'softmax', output: 'sequence' });
  const xi = ids(3, 5, 7);
  const yi = ids(3, 5, 7, 2);
  assert.ok(lm.trainBatch({ data: xi, shape: [3, 5] }, { data: yi, shape: [3, 5] }) > 0);
  // A padded step may hold any id when its mask weight is 0.
  const yPad = yi.slice();
  yPad[0] = 99;
  const mask = new Float32Array(15).fill(1);
  mask[0] = 0;
  assert.ok(lm.trainBatch({ data: xi, shape: [3, 5] }, yPad, { mask }) > 0);
  lm.dispose();
});

test('trainBatch: every argument error is caught before the core', () => {
  const m = rnn.createModel({ inputSize: 2, hiddenSize: 4, outputSize: 3 });
  const { x, y } = batch(5, 4, 2, 3);
  const bad = [
    [() => m.trainBatch('x', y), 'INVALID_ARGUMENT', 'x'],
    [() => m.trainBatch(null, y), 'INVALID_ARGUMENT', 'x'],
    [() => m.trainBatch({ data: x.data }, y), 'SHAPE_MISMATCH', 'y'], // no shape: one sequence [1, 20, 2]
    [() => m.trainBatch({ data: x.data, shape: [5, 4, 3] }, y), 'SHAPE_MISMATCH', 'x'],
    [() => m.trainBatch({ data: x.data, shape: [5, 8] }, y), 'SHAPE_MISMATCH', 'x'],
    [() => m.trainBatch({ data: x.data, shape: [5, 4, 2.5] }, y), 'SHAPE_MISMATCH', 'x.shape'],
    [() => m.trainBatch({ data: x.data, shape: [10, 2, 2] }, y), 'SHAPE_MISMATCH', 'y'],
    [() => m.trainBatch({ data: x.data, shape: 'abc' }, y), 'INVALID_ARGUMENT', 'x.shape'],
    [() => m.trainBatch({ data: new Float32Array(3), shape: [1, 1, 2] }, y), 'SHAPE_MISMATCH', 'x'],
    [() => m.trainBatch({ data: ['a', 'b'], shape: [1, 1, 2] }, y), 'INVALID_ARGUMENT', 'x.data'],
    [() => m.trainBatch({ data: new Int32Array(40), shape: [5, 4, 2] }, y), 'INVALID_ARGUMENT', 'x'],
    [() => m.trainBatch([[[1, 2]], [[1]]], y), 'SHAPE_MISMATCH', 'x'],
    [() => m.trainBatch({ data: new BigInt64Array(2), shape: [1, 1, 2] }, y), 'INVALID_ARGUMENT', 'x.data'],
    [() => m.trainBatch(x, new Float32Array(14)), 'SHAPE_MISMATCH', 'y'],
    [() => m.trainBatch(x, { data: y, shape: [3, 5] }), 'SHAPE_MISMATCH', 'y'],
    [() => m.trainBatch(x, new Int32Array(15)), 'INVALID_ARGUMENT', 'y'],
    [() => m.trainBatch(x, 'y'), 'INVALID_ARGUMENT', 'y'],
    [() => m.trainBatch(x, y, { optimizer: 'adagrad' }), 'INVALID_CONFIG', 'optimizer.name'],
    [() => m.trainBatch(x, y, { optimizer: { lr: -1 } }), 'INVALID_CONFIG', 'optimizer.lr'],
    [() => m.trainBatch(x, y, { optimizer: { lr: NaN } }), 'INVALID_CONFIG', 'optimizer.lr'],
    [() => m.trainBatch(x, y, { optimizer: { lr: 1e300 } }), 'INVALID_CONFIG', 'optimizer.lr'],
    [() => m.trainBatch(x, y, { optimizer: { lr: '0.1' } }), 'INVALID_CONFIG', 'optimizer.lr'],
    [() => m.trainBatch(x, y, { optimizer: { learningRate: 0.1 } }), 'INVALID_CONFIG', 'optimizer.learningRate'],
    [() => m.trainBatch(x, y, { optimizer: { name: 'adam', momentum: 0.9 } }), 'INVALID_CONFIG', 'optimizer.momentum'],
    [() => m.trainBatch(x, y, { optimizer: { name: 'sgd', nesterov: true } }), 'INVALID_CONFIG', 'optimizer.nesterov'],
    [() => m.trainBatch(x, y, { optimizer: { name: 'sgd', momentum: 1 } }), 'INVALID_CONFIG', 'optimizer.momentum'],
    [() => m.trainBatch(x, y, { optimizer: { name: 'sgd', beta1: 0.9 } }), 'INVALID_CONFIG', 'optimizer.beta1'],
    [() => m.trainBatch(x, y, { optimizer: { beta1: 1 } }), 'INVALID_CONFIG', 'optimizer.beta1'],
    [() => m.trainBatch(x, y, { optimizer: { beta2: -0.1 } }), 'INVALID_CONFIG', 'optimizer.beta2'],
    [() => m.trainBatch(x, y, { optimizer: { eps: 0 } }), 'INVALID_CONFIG', 'optimizer.eps'],
    [() => m.trainBatch(x, y, { optimizer: { name: 'rmsprop', alpha: 1 } }), 'INVALID_CONFIG', 'optimizer.alpha'],
    [() => m.trainBatch(x, y, { optimizer: { weightDecay: -1 } }), 'INVALID_CONFIG', 'optimizer.weightDecay'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'linear' } } }), 'INVALID_CONFIG', 'optimizer.schedule.name'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'step', stepSize: 0 } } }), 'INVALID_CONFIG', 'optimizer.schedule.stepSize'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'step', gamma: 0 } } }), 'INVALID_CONFIG', 'optimizer.schedule.gamma'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'cosine', tMax: 1.5 } } }), 'INVALID_CONFIG', 'optimizer.schedule.tMax'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'cosine', etaMin: -1 } } }), 'INVALID_CONFIG', 'optimizer.schedule.etaMin'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'cosine', stepSize: 3 } } }), 'INVALID_CONFIG', 'optimizer.schedule.stepSize'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { tMax: 3 } } }), 'INVALID_CONFIG', 'optimizer.schedule.tMax'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { name: 'step', etaMin: 3 } } }), 'INVALID_CONFIG', 'optimizer.schedule.etaMin'],
    [() => m.trainBatch(x, y, { optimizer: { schedule: { nam: 'step' } } }), 'INVALID_CONFIG', 'optimizer.schedule.nam'],
    [() => m.trainBatch(x, y, { optimizer: 5 }), 'INVALID_CONFIG', 'optimizer'],
    [() => m.trainBatch(x, y, { loss: 'crossentropy' }), 'INVALID_CONFIG', 'loss'],
    [() => m.trainBatch(x, y, { loss: 'l1' }), 'INVALID_CONFIG', 'loss'],
    [() => m.trainBatch(x, y, { huberDelta: 2 }), 'INVALID_CONFIG', 'huberDelta'],
    [() => m.trainBatch(x, y, { loss: 'huber', huberDelta: 0 }), 'INVALID_CONFIG', 'huberDelta'],
    [() => m.trainBatch(x, y, { clipNorm: -1 }), 'INVALID_CONFIG', 'clipNorm'],
    [() => m.trainBatch(x, y, { tbptt: -1 }), 'INVALID_CONFIG', 'tbptt'],
    [() => m.trainBatch(x, y, { tbptt: 2.5 }), 'INVALID_CONFIG', 'tbptt'],
    [() => m.trainBatch(x, y, { stateful: 1 }), 'INVALID_CONFIG', 'stateful'],
    [() => m.trainBatch(x, y, { epochs: 3 }), 'INVALID_CONFIG', 'epochs'],
    [() => m.trainBatch(x, y, { mask: new Float32Array(4) }), 'SHAPE_MISMATCH', 'mask'],
    [() => m.trainBatch(x, y, { mask: new Float32Array(5).fill(-1) }), 'INVALID_CONFIG', 'mask'],
    [() => m.trainBatch(x, y, { mask: { data: new Float32Array(5), shape: [5, 1] } }), 'SHAPE_MISMATCH', 'mask'],
    [() => m.trainBatch(x, y, 'adam'), 'INVALID_CONFIG', 'options'],
  ];
  for (const [fn, code, field] of bad) throwsRnnlab(fn, code, field);

  const nanX = x.data.slice();
  nanX[9] = NaN;
  const e = throwsRnnlab(() => m.trainBatch({ data: nanX, shape: x.shape }, y), 'NON_FINITE_DATA', 'x');
  assert.match(e.message, /NaN at \[1, 0, 1\]/);
  const infY = y.slice();
  infY[2] = -Infinity;
  throwsRnnlab(() => m.trainBatch(x, infY), 'NON_FINITE_DATA', 'y', /-Infinity/);
  const nanMask = new Float32Array(5).fill(1);
  nanMask[1] = NaN;
  throwsRnnlab(() => m.trainBatch(x, y, { mask: nanMask }), 'NON_FINITE_DATA', 'mask');
  // The model still trains after all that.
  assert.ok(Number.isFinite(m.trainBatch(x, y)));
  m.dispose();

  const cls = rnn.createModel({ hiddenSize: 3, head: 'softmax', outputSize: 3 });
  const b = batch(4, 3);
  throwsRnnlab(() => cls.trainBatch(b.x, new Int32Array([0, 1, 3, 0])), 'INVALID_CONFIG', 'y', /id 3 at index 2 is outside \[0, 3\)/);
  throwsRnnlab(() => cls.trainBatch(b.x, new Float32Array([0, 1, 2, 0])), 'INVALID_ARGUMENT', 'y');
  throwsRnnlab(() => cls.trainBatch(b.x, [0, 1, 1.5, 0]), 'INVALID_ARGUMENT', 'y');
  throwsRnnlab(() => cls.trainBatch(b.x, new Int32Array(3)), 'SHAPE_MISMATCH', 'y');
  throwsRnnlab(() => cls.trainBatch(b.x, new Uint32Array([0, 1, 2 ** 31, 0])), 'INVALID_CONFIG', 'y');
  throwsRnnlab(() => cls.trainBatch(b.x, new Int32Array(4), { loss: 'mse' }), 'INVALID_CONFIG', 'loss');
  cls.dispose();

  const lm = rnn.createModel({ vocabSize: 5, hiddenSize: 3 });
  throwsRnnlab(() => lm.trainBatch(new Float32Array(4), new Float32Array(1)), 'INVALID_ARGUMENT', 'x');
  throwsRnnlab(() => lm.trainBatch({ data: ids(2, 3, 9), shape: [2, 3] }, new Float32Array(2)), 'INVALID_CONFIG', 'x', /vocabSize = 5/);
  throwsRnnlab(() => lm.trainBatch({ data: ids(2, 3, 5), shape: [2, 3, 1] }, new Float32Array(2)), 'SHAPE_MISMATCH', 'x');
  lm.dispose();
});

test('evaluate: options and errors', () => {
  const m = rnn.createModel({ hiddenSize: 4 });
  const { x, y } = batch(3, 5);
  const mse = m.evaluate(x, y);
  assert.equal(m.evaluate(x, y, { loss: 'mse' }), mse);
  assert.ok(m.evaluate(x, y, { loss: 'huber', huberDelta: 0.1 }) <= mse);
  assert.equal(m.evaluate(x, y, { mask: new Float32Array([1, 1, 1]) }), mse);
  throwsRnnlab(() => m.evaluate(x, y, { loss: 'crossentropy' }), 'INVALID_CONFIG', 'loss');
  throwsRnnlab(() => m.evaluate(x, y, { huberDelta: 1 }), 'INVALID_CONFIG', 'huberDelta');
  throwsRnnlab(() => m.evaluate(x, y, { optimizer: 'adam' }), 'INVALID_CONFIG', 'optimizer');
  throwsRnnlab(() => m.evaluate(x, new Float32Array(2)), 'SHAPE_MISMATCH', 'y');
  m.dispose();
});

test('predict: shapes of last and sequence outputs, softmax probabilities', () => {
  const m = rnn.createModel({ inputSize: 2, hiddenSize: 4, outputSize: 3 });
  const { x } = batch(5, 6, 2, 3);
  const p = m.predict(x);
  assert.deepEqual(p.shape, [5, 3]);
  assert.ok(p.data instanceof Float32Array && p.data.length === 15);
  assert.deepEqual(m.predict(x).data, p.data, 'deterministic');
  const one = m.predict(x.data.subarray(0, 12)); // a flat array is one sequence
  assert.deepEqual(one.shape, [1, 3]);
  assert.deepEqual(one.data, p.data.subarray(0, 3));
  throwsRnnlab(() => m.predict(new Float32Array(5)), 'SHAPE_MISMATCH', 'x');
  throwsRnnlab(() => m.predict(new Float32Array(0)), 'SHAPE_MISMATCH', 'x');
  throwsRnnlab(() => m.predict(undefined), 'INVALID_ARGUMENT', 'x');
  throwsRnnlab(() => m.predict({ data: [1, NaN], shape: [1, 1, 2] }), 'NON_FINITE_DATA', 'x');
  m.dispose();
  const s = rnn.createModel({ vocabSize: 6, hiddenSize: 4, head: 'softmax', output: 'sequence' });
  const q = s.predict({ data: ids(2, 3, 6), shape: [2, 3] });
  assert.deepEqual(q.shape, [2, 3, 6]);
  for (let r = 0; r < 6; r++) {
    const sum = q.data.subarray(r * 6, r * 6 + 6).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5);
  }
  assert.deepEqual(s.predict([0, 1, 2]).shape, [1, 3, 6]);
  s.dispose();
});

test('resetState / step: stepping equals predict over the whole sequence', () => {
  const m = rnn.createModel({ inputSize: 2, hiddenSize: 5, output: 'sequence', outputSize: 2, seed: 4 });
  const { x } = batch(3, 4, 2, 2);
  const full = m.predict(x).data; // [3, 4, 2]
  throwsRnnlab(() => m.step(new Float32Array(6)), 'INVALID_STATE', 'state');
  m.resetState(3);
  for (let t = 0; t < 4; t++) {
    const xt = new Float32Array(6);
    for (let b = 0; b < 3; b++) xt.set(x.data.subarray((b * 4 + t) * 2, (b * 4 + t) * 2 + 2), b * 2);
    const out = m.step(xt);
    assert.equal(out.length, 6);
    for (let b = 0; b < 3; b++) {
      for (let o = 0; o < 2; o++) assert.ok(Math.abs(out[b * 2 + o] - full[(b * 4 + t) * 2 + o]) < 1e-5);
    }
  }
  throwsRnnlab(() => m.step(new Float32Array(4)), 'SHAPE_MISMATCH', 'x');
  throwsRnnlab(() => m.step([1, 2, 3, 4, 5, Infinity]), 'NON_FINITE_DATA', 'x');
  throwsRnnlab(() => m.resetState(0), 'INVALID_CONFIG', 'batch');
  throwsRnnlab(() => m.resetState(1.5), 'INVALID_CONFIG', 'batch');
  m.trainBatch(x, new Float32Array(24));
  throwsRnnlab(() => m.step(new Float32Array(6)), 'INVALID_STATE', 'state'); // training replaced the state
  m.resetState();
  assert.equal(m.step([0.5, 0.5]).length, 2);
  m.dispose();
  const tok = rnn.createModel({ vocabSize: 4, hiddenSize: 3, head: 'softmax' });
  tok.resetState(2);
  const p = tok.step(new Int32Array([1, 3]));
  assert.equal(p.length, 8);
  throwsRnnlab(() => tok.step([1, 4]), 'INVALID_CONFIG', 'x');
  throwsRnnlab(() => tok.step([1]), 'SHAPE_MISMATCH', 'x');
  tok.dispose();
});

test('stateBatch: step() continues whatever state is carried, and needs one', () => {
  const m = rnn.createModel({ inputSize: 1, hiddenSize: 5, seed: 8 });
  assert.equal(m.stateBatch, 0, 'a new model carries no state');
  const e = throwsRnnlab(() => m.step([0.1]), 'INVALID_STATE', 'state');
  assert.match(e.message, /resetState\(batch\)/);
  m.resetState(3);
  assert.equal(m.stateBatch, 3);
  m.step(new Float32Array(3));
  assert.equal(m.stateBatch, 3, 'step keeps the batch');
  const { x, y } = batch(4, 6);
  m.predict(x);
  assert.equal(m.stateBatch, 3, 'predict leaves the carried state alone');
  m.trainBatch(x, y);
  assert.equal(m.stateBatch, 0, 'training without stateful ends the state');
  throwsRnnlab(() => m.step(new Float32Array(3)), 'INVALID_STATE', 'state');
  // Stateful training leaves the batch's final state: step() continues it without a reset.
  m.trainBatch(x, y, { stateful: true });
  assert.equal(m.stateBatch, 4);
  assert.equal(m.step(new Float32Array(4)).length, 4);
  // forecast() leaves its own state (batch 1): one more step continues the forecast.
  const w = new Float32Array(8).map((_, i) => Math.sin(i));
  const f4 = m.forecast(w, 4);
  const f3 = m.forecast(w, 3);
  assert.equal(m.stateBatch, 1);
  const next = m.step([f3[2]]);
  assert.ok(Math.abs(next[0] - f4[3]) < 1e-6, `${next[0]} vs ${f4[3]}`);
  const again = rnn.loadModel(m.save());
  assert.equal(again.stateBatch, 0, 'a loaded model carries no state');
  again.dispose();
  m.dispose();
  throwsRnnlab(() => m.stateBatch, 'DISPOSED', 'model');
  const tok = rnn.createModel({ vocabSize: 5, hiddenSize: 4, head: 'softmax', seed: 2 });
  tok.generate({ prime: [1, 2], length: 3 });
  assert.equal(tok.stateBatch, 1, 'generate leaves batch-1 state');
  assert.equal(tok.step([0]).length, 5);
  tok.dispose();
});

test('forecast: autoregressive, shapes and errors (including the core\'s INVALID_STATE)', () => {
  const m = rnn.createModel({ hiddenSize: 6, seed: 3 });
  const w = new Float32Array(10).map((_, i) => Math.sin(i));
  const f = m.forecast(w, 7);
  assert.ok(f instanceof Float32Array && f.length === 7);
  assert.equal(f[0], m.predict(w).data[0], 'the first forecast is the prediction after the window');
  assert.deepEqual(m.forecast(Array.from(w), 7), f);
  assert.deepEqual(m.forecast({ data: w, shape: [10, 1] }, 7), f);
  assert.equal(m.forecast(w, 0).length, 0);
  throwsRnnlab(() => m.forecast(w, -1), 'INVALID_CONFIG', 'steps');
  throwsRnnlab(() => m.forecast(w, 2.5), 'INVALID_CONFIG', 'steps');
  throwsRnnlab(() => m.forecast(w), 'INVALID_CONFIG', 'steps');
  throwsRnnlab(() => m.forecast(new Float32Array(0), 3), 'SHAPE_MISMATCH', 'window');
  throwsRnnlab(() => m.forecast({ data: w, shape: [5, 2] }, 3), 'SHAPE_MISMATCH', 'window');
  throwsRnnlab(() => m.forecast([1, NaN], 3), 'NON_FINITE_DATA', 'window');
  m.dispose();
  const two = rnn.createModel({ inputSize: 2, outputSize: 1, hiddenSize: 3 });
  throwsRnnlab(() => two.forecast(new Float32Array(4), 2), 'INVALID_STATE', 'forecast', /outputSize \(1\) must equal inputSize \(2\)/);
  two.dispose();
  const tok = rnn.createModel({ vocabSize: 4, hiddenSize: 3, head: 'softmax' });
  throwsRnnlab(() => tok.forecast([1, 2], 2), 'INVALID_STATE', 'forecast');
  tok.dispose();
});

test('generate and nextTokenProbabilities', () => {
  const m = rnn.createModel({ vocabSize: 8, hiddenSize: 6, head: 'softmax', output: 'sequence', seed: 5 });
  const a = m.generate({ prime: [1, 2, 3], length: 20, temperature: 0.8, topK: 3, topP: 0.9, seed: 11 });
  assert.ok(a instanceof Int32Array && a.length === 20);
  assert.ok(a.every((id) => id >= 0 && id < 8));
  assert.deepEqual(m.generate({ prime: new Int32Array([1, 2, 3]), length: 20, temperature: 0.8, topK: 3, topP: 0.9, seed: 11 }), a, 'seeded');
  assert.equal(m.generate({ prime: [0], length: 0 }).length, 0);
  const greedy = m.generate({ prime: [1], length: 5, topK: 1 });
  const p = m.nextTokenProbabilities([1]);
  assert.equal(p.length, 8);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-5);
  assert.equal(greedy[0], p.indexOf(Math.max(...p)), 'topK 1 picks the most likely token');
  const cold = m.nextTokenProbabilities([1], { temperature: 0.1 });
  assert.ok(Math.max(...cold) >= Math.max(...p));
  const bad = [
    [{ prime: [], length: 3 }, 'INVALID_CONFIG', 'prime'],
    [{ length: 3 }, 'INVALID_ARGUMENT', 'prime'],
    [{ prime: [8], length: 3 }, 'INVALID_CONFIG', 'prime'],
    [{ prime: [1.5], length: 3 }, 'INVALID_ARGUMENT', 'prime'],
    [{ prime: 'abc', length: 3 }, 'INVALID_ARGUMENT', 'prime'],
    [{ prime: [1] }, 'INVALID_CONFIG', 'length'],
    [{ prime: [1], length: -2 }, 'INVALID_CONFIG', 'length'],
    [{ prime: [1], length: 3, temperature: 0 }, 'INVALID_CONFIG', 'temperature'],
    [{ prime: [1], length: 3, topK: -1 }, 'INVALID_CONFIG', 'topK'],
    [{ prime: [1], length: 3, topP: 0 }, 'INVALID_CONFIG', 'topP'],
    [{ prime: [1], length: 3, topP: 1.5 }, 'INVALID_CONFIG', 'topP'],
    [{ prime: [1], length: 3, seed: -1 }, 'INVALID_CONFIG', 'seed'],
    [{ prime: [1], length: 3, top_k: 2 }, 'INVALID_CONFIG', 'top_k'],
  ];
  for (const [opts, code, field] of bad) throwsRnnlab(() => m.generate(opts), code, field);
  throwsRnnlab(() => m.generate(), 'INVALID_ARGUMENT', 'options');
  throwsRnnlab(() => m.nextTokenProbabilities([1], { temperature: -1 }), 'INVALID_CONFIG', 'temperature');
  throwsRnnlab(() => m.nextTokenProbabilities([9]), 'INVALID_CONFIG', 'prime');
  throwsRnnlab(() => m.nextTokenProbabilities(), 'INVALID_ARGUMENT', 'prime');
  m.dispose();
  const reg = rnn.createModel({ hiddenSize: 3 });
  throwsRnnlab(() => reg.generate({ prime: [1], length: 3 }), 'INVALID_STATE', 'generate');
  throwsRnnlab(() => reg.nextTokenProbabilities([1]), 'INVALID_STATE', 'nextTokenProbabilities');
  reg.dispose();
});

test('inspect: states, gates and gradient norms with documented shapes', () => {
  for (const cell of ['lstm', 'gru', 'rnn']) {
    const m = rnn.createModel({ cell, inputSize: 2, hiddenSize: [5, 3], seed: 1 });
    const { x, y } = batch(4, 6, 2);
    const r = m.inspect(x);
    const G = { lstm: 4, gru: 3, rnn: 1 }[cell];
    assert.equal(r.layers.length, 2);
    assert.deepEqual(r.output.shape, [4, 1]);
    assert.deepEqual(r.output.data, m.predict(x).data);
    r.layers.forEach((l, i) => {
      const H = [5, 3][i];
      assert.equal(l.hidden, H);
      assert.deepEqual(l.h.shape, [4, 6, H]);
      assert.equal(l.h.data.length, 4 * 6 * H);
      assert.deepEqual(l.gates.shape, [4, 6, G * H]);
      assert.deepEqual(l.gates.names, { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] }[cell]);
      if (cell === 'lstm') assert.deepEqual(l.c.shape, [4, 6, H]);
      else assert.equal(l.c, null);
      assert.equal(l.gradNorm.length, 6);
      assert.ok(l.gradNorm.every((g) => Number.isFinite(g) && g >= 0));
    });
    const withY = m.inspect(x, y);
    assert.ok(Math.abs(withY.loss - m.evaluate(x, y)) < 1e-6);
    throwsRnnlab(() => m.inspect(x, undefined, { mask: [1, 1, 1, 1] }), 'INVALID_CONFIG', 'mask');
    throwsRnnlab(() => m.inspect(x, new Float32Array(3)), 'SHAPE_MISMATCH', 'y');
    throwsRnnlab(() => m.inspect(x, y, { mask: [1] }), 'SHAPE_MISMATCH', 'mask');
    throwsRnnlab(() => m.inspect(x, y, { masks: [1] }), 'INVALID_CONFIG', 'masks');
    m.dispose();
  }
});

test('getWeights / setWeights: PyTorch names and a bit-exact round trip', () => {
  const a = rnn.createModel({ cell: 'lstm', inputSize: 3, hiddenSize: [4, 2], outputSize: 2, seed: 1 });
  const b = rnn.createModel({ cell: 'lstm', inputSize: 3, hiddenSize: [4, 2], outputSize: 2, seed: 2 });
  const w = a.getWeights();
  assert.deepEqual(Object.keys(w), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0',
    'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'head.weight', 'head.bias']);
  assert.deepEqual(w.weight_ih_l0.shape, [16, 3]);
  assert.deepEqual(w.weight_hh_l1.shape, [8, 2]);
  assert.deepEqual(w['head.weight'].shape, [2, 2]);
  // Train a a little so the weights are not just the initialisation, then copy a -> b.
  const { x, y } = batch(4, 5, 3, 2);
  for (let i = 0; i < 5; i++) a.trainBatch(x, y, { optimizer: { lr: 0.01 } });
  const trained = a.getWeights();
  b.setWeights(trained);
  const back = b.getWeights();
  for (const name of Object.keys(trained)) {
    const u = new Uint32Array(trained[name].data.buffer);
    const v = new Uint32Array(back[name].data.buffer);
    assert.deepEqual(v, u, `${name} bit-exact`);
  }
  assert.deepEqual(b.predict(x).data, a.predict(x).data);
  // Special values that are finite keep their bits too (-0, subnormals, extremes).
  const special = structuredClone(trained);
  special['head.bias'].data = new Float32Array([-0, 1.4e-45]);
  special['head.weight'].data = new Float32Array([3.4028234663852886e38, -1.1754943508222875e-38, 1e-40, -0]);
  b.setWeights(special);
  const sb = b.getWeights();
  assert.deepEqual(new Uint32Array(sb['head.bias'].data.buffer), new Uint32Array(special['head.bias'].data.buffer));
  assert.deepEqual(new Uint32Array(sb['head.weight'].data.buffer), new Uint32Array(special['head.weight'].data.buffer));
  // Plain arrays are accepted.
  const plain = Object.fromEntries(Object.entries(trained).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]));
  b.setWeights(plain);
  assert.deepEqual(b.getWeights(), trained);

  // Errors: JS-side shape and value checks, core-side name and shape checks.
  throwsRnnlab(() => b.setWeights(null), 'INVALID_ARGUMENT', 'weights');
  throwsRnnlab(() => b.setWeights([]), 'INVALID_ARGUMENT', 'weights');
  throwsRnnlab(() => b.setWeights({}), 'SHAPE_MISMATCH', 'weights');
  throwsRnnlab(() => b.setWeights({ ...trained, 'head.bias': 3 }), 'INVALID_ARGUMENT', 'weights.head.bias');
  throwsRnnlab(() => b.setWeights({ ...trained, 'head.bias': { shape: [3], data: new Float32Array(2) } }), 'SHAPE_MISMATCH', 'weights.head.bias');
  throwsRnnlab(() => b.setWeights({ ...trained, 'head.bias': { shape: [2], data: new Float32Array([1, NaN]) } }), 'NON_FINITE_DATA', 'weights.head.bias');
  throwsRnnlab(() => b.setWeights({ ...trained, 'head.bias': { shape: [1, 2], data: new Float32Array(2) } }), 'SHAPE_MISMATCH', 'weights', /head.bias/);
  throwsRnnlab(() => b.setWeights({ ...trained, extra: { shape: [1], data: [0] } }), 'SHAPE_MISMATCH', 'weights', /unknown tensor 'extra'/);
  const missing = { ...trained };
  delete missing.bias_hh_l1;
  throwsRnnlab(() => b.setWeights(missing), 'SHAPE_MISMATCH', 'weights', /missing tensor 'bias_hh_l1'/);
  throwsRnnlab(() => b.setWeights({ ...trained, 'bad\tname': { shape: [1], data: [0] } }), 'INVALID_CONFIG', 'weights');
  // A rejected set changes nothing.
  assert.deepEqual(b.getWeights(), trained);
  a.dispose();
  b.dispose();
});

test('save / loadModel: round trip with metadata, bad bytes rejected by the core', () => {
  const m = rnn.createModel({ cell: 'gru', vocabSize: 9, hiddenSize: 4, head: 'softmax', output: 'sequence', seed: 8 });
  const bytes = m.save({ metadata: JSON.stringify({ vocab: 'abc', é: '✓' }) });
  assert.ok(bytes instanceof Uint8Array && bytes.length > 100);
  assert.equal(String.fromCharCode(...bytes.subarray(0, 6)), 'RNNLAB');
  const again = rnn.loadModel(bytes);
  assert.deepEqual(again.config, m.config);
  assert.deepEqual(JSON.parse(again.metadata), { vocab: 'abc', é: '✓' });
  assert.deepEqual(again.getWeights(), m.getWeights());
  const xs = { data: ids(2, 4, 9), shape: [2, 4] };
  assert.deepEqual(again.predict(xs), m.predict(xs));
  assert.equal(rnn.loadModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).metadata.length > 0, true);
  assert.equal(rnn.loadModel(new DataView(bytes.buffer, bytes.byteOffset, bytes.length)).parameterCount, m.parameterCount);
  assert.equal(m.save().length < bytes.length, true);

  throwsRnnlab(() => rnn.loadModel('model'), 'INVALID_ARGUMENT', 'bytes');
  throwsRnnlab(() => rnn.loadModel([1, 2, 3]), 'INVALID_ARGUMENT', 'bytes');
  throwsRnnlab(() => rnn.loadModel(new Uint8Array(0)), 'BAD_MODEL_FILE');
  throwsRnnlab(() => rnn.loadModel(bytes.subarray(0, bytes.length - 9)), 'BAD_MODEL_FILE');
  const corrupt = bytes.slice();
  corrupt[60] ^= 0xff;
  throwsRnnlab(() => rnn.loadModel(corrupt), 'BAD_MODEL_FILE');
  const newer = bytes.slice();
  newer[8] = 99;
  throwsRnnlab(() => rnn.loadModel(newer), 'UNSUPPORTED_VERSION');
  throwsRnnlab(() => m.save({ metadata: 5 }), 'INVALID_ARGUMENT', 'metadata');
  throwsRnnlab(() => m.save({ metadata: 'lone \uD800 surrogate' }), 'INVALID_CONFIG', 'metadata');
  throwsRnnlab(() => m.save({ meta: '' }), 'INVALID_CONFIG', 'meta');
  m.dispose();
  again.dispose();
});

test('dispose: idempotent; every later use throws DISPOSED', async () => {
  const m = rnn.createModel({ vocabSize: 4, hiddenSize: 3, head: 'softmax' });
  m.dispose();
  m.dispose();
  assert.equal(m.disposed, true);
  const uses = [
    () => m.config, () => m.parameterCount, () => m.metadata,
    () => m.trainBatch([1], [1]), () => m.evaluate([1], [1]), () => m.predict([1]),
    () => m.resetState(1), () => m.step([1]), () => m.forecast([1], 1),
    () => m.generate({ prime: [1], length: 1 }), () => m.nextTokenProbabilities([1]),
    () => m.inspect([1]), () => m.getWeights(), () => m.setWeights({}), () => m.save(),
  ];
  for (const use of uses) throwsRnnlab(use, 'DISPOSED', 'model');
  await assert.rejects(m.fit({ x: [1], y: [1] }), (e) => e.code === 'DISPOSED');
});

if (typeof Symbol.dispose === 'symbol') {
  test('Symbol.dispose frees the model', () => {
    const m = rnn.createModel({ hiddenSize: 2 });
    m[Symbol.dispose]();
    assert.equal(m.disposed, true);
  });
}
