// Seq2Seq: creation, training (trainBatch, fit), evaluate, translate, weights, dispose.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load, rejectsRnnlab, throwsRnnlab } from './_helpers.mjs';

const rnn = await load();

// Reverse a sequence of 4 digits (ids 1..9; 0 = pad, 10 = stop in the output vocabulary).
function reverseTask(n, seed = 1) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) % 9;
  const x = new Int32Array(n * 4);
  const y = new Int32Array(n * 5);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < 4; t++) x[i * 4 + t] = next() + 1;
    for (let t = 0; t < 4; t++) y[i * 5 + t] = x[i * 4 + 3 - t];
    y[i * 5 + 4] = 10;
  }
  return { x: { data: x, shape: [n, 4] }, y: { data: y, shape: [n, 5] } };
}

test('createSeq2Seq: defaults, options and config', () => {
  const m = rnn.createSeq2Seq({ inputVocab: 12, outputVocab: 11 });
  const c = m.config;
  assert.equal(c.cell, 'gru');
  assert.equal(c.gruVariant, 'pytorch');
  assert.deepEqual([...c.hiddenSize], [64]);
  assert.equal(c.inputVocab, 12);
  assert.equal(c.outputVocab, 11);
  assert.equal(c.seed, 42);
  assert.ok(m.parameterCount > 0);
  m.dispose();
  const l = rnn.createSeq2Seq({ cell: 'lstm', inputVocab: 5, outputVocab: 4, hiddenSize: [6, 5], embeddingSize: 3, dropout: 0.1, seed: 9 });
  assert.equal(l.config.cell, 'lstm');
  assert.equal(l.config.gruVariant, undefined);
  assert.deepEqual([...l.config.hiddenSize], [6, 5]);
  assert.equal(l.config.embeddingSize, 3);
  const names = Object.keys(l.getWeights());
  assert.ok(names.includes('encoder.embedding.weight') && names.includes('decoder.weight_hh_l1') && names.includes('head.bias'));
  assert.deepEqual(l.getWeights()['decoder.embedding.weight'].shape, [5, 3], 'the start token is an extra row');
  l.dispose();
});

test('createSeq2Seq: every bad option is named', () => {
  const ok = { inputVocab: 5, outputVocab: 4 };
  const cases = [
    [{ ...ok, cell: 'transformer' }, 'cell'],
    [{ ...ok, cell: 'rnn', gruVariant: 'classic' }, 'gruVariant'],
    [{ ...ok, inputVocab: 0 }, 'inputVocab'],
    [{ outputVocab: 4 }, 'inputVocab'],
    [{ ...ok, outputVocab: 1 }, 'outputVocab'],
    [{ ...ok, hiddenSize: 0 }, 'hiddenSize'],
    [{ ...ok, hiddenSize: [2, 'a'] }, 'hiddenSize[1]'],
    [{ ...ok, embeddingSize: -1 }, 'embeddingSize'],
    [{ ...ok, dropout: 2 }, 'dropout'],
    [{ ...ok, seed: 0.5 }, 'seed'],
    [{ ...ok, vocabSize: 3 }, 'vocabSize'],
  ];
  for (const [opts, field] of cases) throwsRnnlab(() => rnn.createSeq2Seq(opts), 'INVALID_CONFIG', field);
  throwsRnnlab(() => rnn.createSeq2Seq(), 'INVALID_ARGUMENT', 'options');
  throwsRnnlab(() => rnn.createSeq2Seq({ inputVocab: 2 ** 20, outputVocab: 2 ** 20, hiddenSize: 64 }), 'TOO_LARGE', 'hiddenSize');
});

test('fit + translate: learns to reverse sequences', async () => {
  const m = rnn.createSeq2Seq({ cell: 'gru', inputVocab: 10, outputVocab: 11, hiddenSize: 48, seed: 1 });
  const train = reverseTask(512);
  const h = await m.fit(train, { epochs: 25, batchSize: 32, optimizer: { name: 'adam', lr: 1e-2 }, clipNorm: 1, validationSplit: 0.1 });
  assert.equal(h.epochs, 25);
  assert.ok(h.loss.at(-1) < 0.3 * h.loss[0], `${h.loss[0]} -> ${h.loss.at(-1)}`);
  const test = reverseTask(40, 777);
  const out = m.translate(test.x, { maxLength: 6, stopToken: 10 });
  assert.deepEqual(out.shape, [40, 6]);
  let right = 0;
  for (let i = 0; i < 40; i++) {
    const want = test.y.data.subarray(i * 5, i * 5 + 5);
    if (want.every((v, t) => out.data[i * 6 + t] === v)) right++;
  }
  assert.ok(right >= 20, `${right}/40 reversed exactly`);
  // A single sequence gives the emitted ids, ending with the stop token.
  const one = m.translate(Array.from(test.x.data.subarray(0, 4)), { maxLength: 6, stopToken: 10 });
  assert.ok(one instanceof Int32Array);
  assert.deepEqual(one, out.data.subarray(0, 6).filter((v, i, a) => !a.subarray(0, i + 1).includes(-1)));
  assert.equal(m.translate([1, 2], { maxLength: 3 }).length, 3, 'no stop token: maxLength ids');
  m.dispose();
});

test('trainBatch / evaluate: masks and every error', () => {
  const m = rnn.createSeq2Seq({ inputVocab: 10, outputVocab: 11, hiddenSize: 8 });
  const { x, y } = reverseTask(6);
  const l0 = m.evaluate(x, y);
  const l1 = m.trainBatch(x, y, { optimizer: { lr: 0.01 } });
  assert.equal(l0, l1, 'the loss before the step');
  assert.ok(m.evaluate(x, y) < l1);
  const mask = new Float32Array(30).fill(1);
  mask[4] = 0;
  const yPad = y.data.slice();
  yPad[4] = 99; // masked: any id
  assert.ok(Number.isFinite(m.trainBatch(x, { data: yPad, shape: [6, 5] }, { mask })));
  assert.ok(Number.isFinite(m.evaluate(x, { data: yPad, shape: [6, 5] }, { mask: { data: mask, shape: [6, 5] } })));
  const bad = [
    [() => m.trainBatch({ data: new Float32Array(24), shape: [6, 4] }, y), 'INVALID_ARGUMENT', 'x.data'],
    [() => m.trainBatch({ data: x.data, shape: [6, 4, 1] }, y), 'SHAPE_MISMATCH', 'x'],
    [() => m.trainBatch({ data: x.data.map(() => 10), shape: [6, 4] }, y), 'INVALID_CONFIG', 'x'],
    [() => m.trainBatch(x, { data: y.data.subarray(0, 25), shape: [5, 5] }), 'SHAPE_MISMATCH', 'y'],
    [() => m.trainBatch(x, { data: y.data.map(() => 11), shape: [6, 5] }), 'INVALID_CONFIG', 'y'],
    [() => m.trainBatch(x, y, { mask: new Float32Array(29) }), 'SHAPE_MISMATCH', 'mask'],
    [() => m.trainBatch(x, y, { mask: new Float32Array(30).fill(NaN) }), 'NON_FINITE_DATA', 'mask'],
    [() => m.trainBatch(x, y, { mask: new Float32Array(30).fill(-1) }), 'INVALID_CONFIG', 'mask'],
    [() => m.trainBatch(x, y, { tbptt: 2 }), 'INVALID_CONFIG', 'tbptt'],
    [() => m.trainBatch(x, y, { stateful: true }), 'INVALID_CONFIG', 'stateful'],
    [() => m.trainBatch(x, y, { loss: 'mse' }), 'INVALID_CONFIG', 'loss'],
    [() => m.trainBatch(x, y, { optimizer: { lr: Infinity } }), 'INVALID_CONFIG', 'optimizer.lr'],
    [() => m.trainBatch(x, y, { maxLength: 3 }), 'INVALID_CONFIG', 'maxLength'],
    [() => m.evaluate(x, y, { loss: 'crossentropy' }), 'INVALID_CONFIG', 'loss'],
    [() => m.translate(x, { maxLength: 0 }), 'INVALID_CONFIG', 'maxLength'],
    [() => m.translate(x, { stopToken: 11 }), 'INVALID_CONFIG', 'stopToken'],
    [() => m.translate(x, { stopToken: -2 }), 'INVALID_CONFIG', 'stopToken'],
    [() => m.translate([10]), 'INVALID_CONFIG', 'ids'],
    [() => m.translate([]), 'SHAPE_MISMATCH', 'ids'],
    [() => m.translate('abc'), 'INVALID_ARGUMENT', 'ids'],
    [() => m.translate(x, { max: 3 }), 'INVALID_CONFIG', 'max'],
  ];
  for (const [fn, code, field] of bad) throwsRnnlab(fn, code, field);
  m.dispose();
});

test('getWeights / setWeights round trip bit-exactly; dispose', async () => {
  const a = rnn.createSeq2Seq({ inputVocab: 6, outputVocab: 5, hiddenSize: 4, seed: 1 });
  const b = rnn.createSeq2Seq({ inputVocab: 6, outputVocab: 5, hiddenSize: 4, seed: 2 });
  const w = a.getWeights();
  b.setWeights(w);
  const back = b.getWeights();
  for (const k of Object.keys(w)) assert.deepEqual(new Uint32Array(back[k].data.buffer), new Uint32Array(w[k].data.buffer));
  assert.deepEqual(b.translate([1, 2, 3]), a.translate([1, 2, 3]));
  throwsRnnlab(() => b.setWeights({ nope: { shape: [1], data: [1] } }), 'SHAPE_MISMATCH', 'weights');
  a.dispose();
  b.dispose();
  b.dispose();
  for (const use of [() => b.config, () => b.parameterCount, () => b.metadata, () => b.trainBatch([1], [1]),
    () => b.evaluate([1], [1]), () => b.translate([1]), () => b.getWeights(), () => b.setWeights(w), () => b.save()]) {
    throwsRnnlab(use, 'DISPOSED', 'model');
  }
  await rejectsRnnlab(b.fit({ x: [1], y: [1] }), 'DISPOSED', 'model');
});

test('save / loadSeq2Seq: round trip with metadata; files of the other kind are refused', () => {
  const m = rnn.createSeq2Seq({ cell: 'lstm', inputVocab: 7, outputVocab: 6, hiddenSize: [5, 4], embeddingSize: 3, seed: 4 });
  const { x, y } = reverseTask(4);
  const xs = { data: x.data.map((v) => v % 7), shape: x.shape };
  const ys = { data: y.data.map((v) => v % 6), shape: y.shape };
  m.trainBatch(xs, ys);
  assert.equal(m.metadata, '');
  const bytes = m.save({ metadata: '{"pad":0}' });
  assert.ok(bytes instanceof Uint8Array && bytes.length > 100);
  const again = rnn.loadSeq2Seq(bytes);
  assert.deepEqual(again.config, m.config);
  assert.equal(again.metadata, '{"pad":0}');
  assert.deepEqual(again.getWeights(), m.getWeights());
  assert.deepEqual(again.translate(xs, { maxLength: 5 }), m.translate(xs, { maxLength: 5 }));
  assert.equal(again.evaluate(xs, ys), m.evaluate(xs, ys));
  // A Seq2Seq file is not a Model file and vice versa: BAD_MODEL_FILE naming the kind.
  throwsRnnlab(() => rnn.loadModel(bytes), 'BAD_MODEL_FILE', 'kind');
  const single = rnn.createModel({ hiddenSize: 2 });
  throwsRnnlab(() => rnn.loadSeq2Seq(single.save()), 'BAD_MODEL_FILE', 'kind');
  throwsRnnlab(() => rnn.loadSeq2Seq(bytes.subarray(0, 40)), 'BAD_MODEL_FILE');
  throwsRnnlab(() => rnn.loadSeq2Seq('bytes'), 'INVALID_ARGUMENT', 'bytes');
  throwsRnnlab(() => m.save({ metadata: 1 }), 'INVALID_ARGUMENT', 'metadata');
  throwsRnnlab(() => m.save({ meta: '' }), 'INVALID_CONFIG', 'meta');
  single.dispose();
  m.dispose();
  again.dispose();
});

if (typeof Symbol.dispose === 'symbol') {
  test('Symbol.dispose frees the seq2seq model', () => {
    const m = rnn.createSeq2Seq({ inputVocab: 4, outputVocab: 3, hiddenSize: 2 });
    m[Symbol.dispose]();
    assert.equal(m.disposed, true);
    throwsRnnlab(() => m.translate([[1, 2]]), 'DISPOSED', 'model');
  });
}
