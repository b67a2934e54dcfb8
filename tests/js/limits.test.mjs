// Size questions answered by the core: rnn.limits (the caps, from the schema) and
// rnn.parameterCount(options) (a configuration's count, without building it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, throwsRnnlab } from './_helpers.mjs';

/** Sum of the sizes of every weight tensor: what a model really holds. */
function weightTotal(model) {
  let n = 0;
  for (const w of Object.values(model.getWeights())) n += w.data.length;
  return n;
}

test('limits: the core\'s caps, frozen', async () => {
  const rnn = await load();
  assert.deepEqual({ ...rnn.limits }, { maxParameters: 16 * 1024 * 1024, maxActivations: 64 * 1024 * 1024 });
  assert.ok(Object.isFrozen(rnn.limits));
  assert.equal(rnn.limits, rnn.limits, 'one object, read from the schema once');
});

test('parameterCount(options) equals the built model\'s count and its weights, for many configurations', async () => {
  const rnn = await load();
  const configs = [
    {},
    { cell: 'rnn', inputSize: 3, hiddenSize: 7, outputSize: 2 },
    { cell: 'gru', inputSize: 5, hiddenSize: [16, 8], output: 'sequence', outputSize: 4 },
    { cell: 'gru', gruVariant: 'classic', inputSize: 2, hiddenSize: [9, 9, 3] },
    // Token inputs: the automatic embedding width is min(vocab, 64), below and above 64.
    { cell: 'lstm', vocabSize: 20, hiddenSize: 12, head: 'softmax' },
    { cell: 'lstm', vocabSize: 100, hiddenSize: [64, 32], head: 'softmax' },
    { cell: 'gru', vocabSize: 100, embeddingSize: 10, hiddenSize: 8, head: 'softmax', output: 'sequence' },
    { cell: 'rnn', vocabSize: 30, inputEncoding: 'onehot', hiddenSize: 6, head: 'softmax', outputSize: 3 },
  ];
  for (const o of configs) {
    const m = rnn.createModel(o);
    try {
      const n = rnn.parameterCount(o);
      assert.equal(n, m.parameterCount, JSON.stringify(o));
      assert.equal(n, weightTotal(m), `${JSON.stringify(o)}: the weights' sizes`);
    } finally {
      m.dispose();
    }
  }
  const seq = [
    { inputVocab: 20, outputVocab: 13 },
    { cell: 'lstm', inputVocab: 80, outputVocab: 90, hiddenSize: [16, 8] },
    { cell: 'rnn', inputVocab: 5, outputVocab: 7, embeddingSize: 3, hiddenSize: 4 },
  ];
  for (const o of seq) {
    const m = rnn.createSeq2Seq(o);
    try {
      const n = rnn.parameterCount(o, { seq2seq: true });
      assert.equal(n, m.parameterCount, JSON.stringify(o));
      assert.equal(n, weightTotal(m), `${JSON.stringify(o)}: the weights' sizes`);
    } finally {
      m.dispose();
    }
  }
});

test('the cap is where the core refuses: one parameter above it is TOO_LARGE, naming limits.maxParameters', async () => {
  const rnn = await load();
  const cap = rnn.limits.maxParameters;
  // 3041 * (2454 + 3041 + 2) + 20 * (3041 + 1) = cap + 1.
  const above = { cell: 'rnn', inputSize: 2454, hiddenSize: 3041, outputSize: 20 };
  assert.equal(rnn.parameterCount(above), cap + 1, 'counted, not refused');
  const e = throwsRnnlab(() => rnn.createModel(above), 'TOO_LARGE', 'hiddenSize');
  assert.match(e.message, new RegExp(`${cap + 1} parameters, above the cap of ${cap}\\b`));
  // A 20-million-parameter request (what the playground must refuse) and a Seq2Seq above it.
  const big = { cell: 'lstm', inputSize: 1, hiddenSize: [1580, 1580] };
  assert.ok(rnn.parameterCount(big) > 20e6);
  throwsRnnlab(() => rnn.createModel(big), 'TOO_LARGE', 'hiddenSize');
  const bigSeq = { inputVocab: 10, outputVocab: 10, hiddenSize: [2048, 2048] };
  assert.ok(rnn.parameterCount(bigSeq, { seq2seq: true }) > cap);
  throwsRnnlab(() => rnn.createSeq2Seq(bigSeq), 'TOO_LARGE', 'hiddenSize');
  // Exactly the cap: 3041 * (2455 + 3041 + 2) + 19 * 3042 (not built here: 128 MB to zero).
  assert.equal(rnn.parameterCount({ cell: 'rnn', inputSize: 2455, hiddenSize: 3041, outputSize: 19 }), cap);
});

test('parameterCount checks options as createModel / createSeq2Seq do', async () => {
  const rnn = await load();
  throwsRnnlab(() => rnn.parameterCount({ hiddenSize: 0 }), 'INVALID_CONFIG', 'hiddenSize');
  throwsRnnlab(() => rnn.parameterCount({ hidenSize: 4 }), 'INVALID_CONFIG', 'hidenSize');
  throwsRnnlab(() => rnn.parameterCount({ inputVocab: 3, outputVocab: 3 }), 'INVALID_CONFIG', 'inputVocab');
  throwsRnnlab(() => rnn.parameterCount({ inputVocab: 3 }, { seq2seq: true }), 'INVALID_CONFIG', 'outputVocab');
  throwsRnnlab(() => rnn.parameterCount({}, { seq2seq: 'yes' }), 'INVALID_CONFIG', 'seq2seq');
  throwsRnnlab(() => rnn.parameterCount({}, { sequence: true }), 'INVALID_CONFIG', 'kind.sequence');
  throwsRnnlab(() => rnn.parameterCount({}, 3), 'INVALID_CONFIG', 'kind');
  // Nothing was built.
  assert.equal(rnn.heapStats().liveHandles, 0);
});
