// The C++/JS boundary: C++ exceptions become stored errors (never bare numbers), the raw
// bound functions return neutral values, and random garbage through the public API only
// ever produces RnnlabErrors and leaves the module working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init } from '../../bindings/js/index.js';
import { loadModule } from './_raw.mjs';
import { batch, load, RnnlabError } from './_helpers.mjs';

for (const variant of ['simd', 'baseline']) {
  test(`${variant}: raw bound functions catch C++ errors and return neutral values`, async () => {
    const M = await loadModule(variant);
    const status = M._statusAddress() >> 2;
    const take = () => {
      assert.equal(M.HEAP32[status], 1, 'the status word is set');
      const e = M._takeError();
      assert.equal(M.HEAP32[status], 0, 'taking the error clears it');
      return e;
    };
    // A config the core refuses: null handle, INVALID_CONFIG under the core's field name (the
    // JS layer maps it to the API's, hiddenSize).
    assert.equal(M.Model._create('cell=lstm\nhidden_sizes=0\n'), null);
    assert.deepEqual(take(), { code: 'INVALID_CONFIG', field: 'hidden_sizes', message: 'must be a positive integer, got 0' });
    assert.equal(M.Model._create('cell=cnn\n'), null);
    assert.equal(take().field, 'cell');
    assert.equal(M.Model._create('garbage'), null);
    assert.equal(take().field, 'config');
    // Bad bytes: BAD_MODEL_FILE.
    const p = M._scratchReserve(64);
    assert.equal(M.Model._load(p, 16), null);
    assert.equal(take().code, 'BAD_MODEL_FILE');
    // Packed training options out of range (a JS-layer bug) are caught in C++ too.
    const h = M.Model._create('hidden_sizes=3\n');
    assert.ok(h);
    const opts = new Float64Array(19);
    opts[0] = 9;
    M.HEAPF64.set(opts, p >> 3);
    const xp = M._scratchReserve(4096) + 256;
    assert.equal(h._trainBatch(xp, false, 1, 1, xp + 64, false, 0, M._scratchReserve(4096)), 0);
    assert.equal(take().field, 'optimizer.type');
    // A state error from the core.
    assert.equal(h._step(xp, false), null);
    assert.deepEqual(take().code, 'INVALID_STATE');
    // Running out of heap is OUT_OF_MEMORY, not an abort.
    assert.equal(M._scratchReserve(2147483648), 0);
    assert.equal(take().code, 'OUT_OF_MEMORY');
    assert.ok(M._scratchReserve(64) > 0, 'the module still works');
    h.delete();
  });
}

test('random garbage through the public API only yields RnnlabErrors', async () => {
  const rnn = await load();
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const values = [undefined, null, 0, -1, 1.5, NaN, Infinity, 2 ** 40, '', 'lstm', 'x', true, {}, [], [1, 2], [[1], [2, 3]],
    new Float32Array(3), new Float32Array([NaN]), new Int32Array([1, 99]), new Uint8Array(7), { data: [1], shape: [2] },
    { data: new Float32Array(6), shape: [1, 2, 3] }, { data: 'x', shape: [1] }, () => 1, Symbol('s'), 10n, new Map()];
  const randomOpts = () => {
    const o = {};
    const keys = ['cell', 'hiddenSize', 'inputSize', 'outputSize', 'vocabSize', 'head', 'output', 'optimizer', 'lr', 'mask',
      'epochs', 'batchSize', 'prime', 'length', 'seed', 'dropout', 'window', 'maxLength', 'loss', 'tbptt', 'bogus'];
    for (let i = 0; i < 1 + rand() * 3; i++) o[pick(keys)] = pick(values);
    return o;
  };
  const model = rnn.createModel({ hiddenSize: 4 });
  const tok = rnn.createModel({ vocabSize: 5, hiddenSize: 4, head: 'softmax', output: 'sequence' });
  const s2s = rnn.createSeq2Seq({ inputVocab: 5, outputVocab: 5, hiddenSize: 4 });
  const calls = [
    () => rnn.createModel(pick([randomOpts(), pick(values)])).dispose(),
    () => rnn.createSeq2Seq(randomOpts()).dispose(),
    () => rnn.loadModel(pick(values)).dispose(),
    () => rnn.loadSeq2Seq(pick(values)).dispose(),
    () => s2s.save(pick([undefined, randomOpts()])),
    (m) => m.trainBatch(pick(values), pick(values), pick([randomOpts(), pick(values)])),
    (m) => m.evaluate(pick(values), pick(values), pick([undefined, randomOpts()])),
    (m) => m.predict(pick(values)),
    (m) => m.resetState(pick(values)),
    (m) => m.step(pick(values)),
    (m) => m.forecast(pick(values), pick(values)),
    (m) => m.generate(pick([randomOpts(), pick(values)])),
    (m) => m.nextTokenProbabilities(pick(values), pick([undefined, randomOpts()])),
    (m) => m.inspect(pick(values), pick(values)),
    (m) => m.setWeights(pick(values)),
    (m) => m.save(pick([undefined, randomOpts()])),
    (m) => s2s.translate(pick(values), pick([undefined, randomOpts()])),
    (m) => s2s.trainBatch(pick(values), pick(values), pick([undefined, randomOpts()])),
    (m) => s2s.inspect(pick(values), pick(values), pick([undefined, randomOpts()])),
    () => rnn.data.windows(pick(values), pick([randomOpts(), pick(values)])),
    () => rnn.data.split(pick(values), pick([randomOpts(), pick(values)])),
    () => rnn.data.normalizer(pick(values)).fit(pick(values)),
    () => rnn.data.charVocab(pick(values), pick([undefined, randomOpts()])),
    () => rnn.data.parseCsv(pick(values)),
  ];
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    const m = pick([model, tok]);
    try {
      calls[Math.floor(rand() * calls.length)](m);
    } catch (e) {
      assert.ok(e instanceof RnnlabError, `not an RnnlabError: ${e && e.stack}`);
      assert.ok(e.code !== 'INTERNAL', e.message);
      errors++;
    }
  }
  assert.ok(errors > 2000);
  // Everything still works.
  const { x, y } = batch(4, 3);
  assert.ok(Number.isFinite(model.trainBatch(x, y)));
  assert.equal(tok.generate({ prime: [1], length: 3 }).length, 3);
  for (const m of [model, tok, s2s]) m.dispose();
  const fits = [];
  for (let i = 0; i < 50; i++) {
    const m = rnn.createModel({ hiddenSize: 2 });
    fits.push(m.fit(pick([{ x: pick(values), y: pick(values) }, pick(values)]), pick([randomOpts(), undefined]))
      .then(() => m.dispose(), (e) => {
        assert.ok(e instanceof RnnlabError, String(e));
        m.dispose();
      }));
  }
  await Promise.all(fits);
  assert.equal((await init()).heapStats().liveHandles >= 0, true);
});
