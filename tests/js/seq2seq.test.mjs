// Seq2Seq: creation, training (trainBatch, fit), evaluate, translate, weights, dispose, inspect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init } from '../../bindings/js/index.js';
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

// ---- inspect ----

const GATES = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] };

/** Asserts a LayerInspection[] of B rows over T steps; returns nothing. */
function checkLayers(layers, cell, hidden, B, T, where) {
  assert.equal(layers.length, hidden.length, where);
  const names = GATES[cell];
  layers.forEach((l, i) => {
    const H = hidden[i];
    const at = `${where} layer ${i}`;
    assert.equal(l.hidden, H, at);
    assert.ok(l.h.data instanceof Float32Array, at);
    assert.deepEqual(l.h.shape, [B, T, H], at);
    assert.equal(l.h.data.length, B * T * H, at);
    if (cell === 'lstm') {
      assert.deepEqual(l.c.shape, [B, T, H], at);
      assert.equal(l.c.data.length, B * T * H, at);
    } else {
      assert.equal(l.c, null, at);
    }
    assert.deepEqual(l.gates.names, names, at);
    assert.deepEqual(l.gates.shape, [B, T, names.length * H], at);
    assert.equal(l.gates.data.length, B * T * names.length * H, at);
    // Sigmoid gates (LSTM i f o, GRU r z) in [0, 1]; tanh ones (LSTM g, GRU n, RNN h) in [-1, 1].
    const G = names.length;
    for (let k = 0; k < l.gates.data.length; k++) {
      const gate = names[Math.floor((k % (G * H)) / H)];
      const v = l.gates.data[k];
      const tanh = gate === 'g' || gate === 'n' || gate === 'h';
      assert.ok(tanh ? v >= -1 && v <= 1 : v >= 0 && v <= 1, `${at}: gate ${gate} = ${v}`);
    }
    assert.ok(l.gradNorm instanceof Float32Array, at);
    assert.equal(l.gradNorm.length, T, at);
    for (const n of l.gradNorm) assert.ok(Number.isFinite(n) && n >= 0, `${at}: ||dL/dh|| = ${n}`);
  });
}

const builds = [['simd', await init({ simd: true })], ['baseline', await init({ simd: false })]];

test('inspect on both wasm builds: loss = evaluate, documented shapes, gates in range, the bridge', () => {
  const seen = {};
  for (const [build, api] of builds) {
    for (const cell of ['lstm', 'gru', 'rnn']) {
      const hidden = [5, 3];
      const m = api.createSeq2Seq({ cell, inputVocab: 10, outputVocab: 11, hiddenSize: hidden, embeddingSize: 4, dropout: 0.2, seed: 3 });
      const { x, y } = reverseTask(4);
      m.trainBatch(x, y, { optimizer: { lr: 0.05 } });
      const where = `${build} ${cell}`;
      const r = m.inspect(x, y);
      assert.deepEqual(Object.keys(r).sort(), ['decoder', 'encoder', 'loss', 'output', 'target'], where);
      assert.equal(r.loss, m.evaluate(x, y), `${where}: the loss is evaluate()'s (no dropout)`);
      assert.deepEqual(r.output.shape, [4, 5, 11], where);
      assert.ok(r.output.data instanceof Float32Array && r.output.data.length === 4 * 5 * 11, where);
      for (let row = 0; row < 4 * 5; row++) {
        const p = r.output.data.subarray(row * 11, row * 11 + 11);
        assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, `${where}: probabilities of row ${row}`);
      }
      assert.deepEqual(r.target.shape, [4, 5], where);
      assert.deepEqual(r.target.data, y.data, where);
      checkLayers(r.encoder, cell, hidden, 4, 4, `${where} encoder`);
      checkLayers(r.decoder, cell, hidden, 4, 5, `${where} decoder`);
      // The loss reaches the encoder only through the final state handed to the decoder.
      for (const l of r.encoder) assert.ok(l.gradNorm[3] > 0, `${where}: encoder's last step gets a gradient`);
      assert.ok(r.encoder[0].gradNorm[0] > 0, `${where}: and its first`);
      // A mask as in evaluate().
      const mask = new Float32Array(20).fill(1);
      mask[4] = 0;
      const yPad = { data: y.data.slice(), shape: [4, 5] };
      yPad.data[4] = 99;
      const masked = m.inspect(x, yPad, { mask });
      assert.equal(masked.loss, m.evaluate(x, yPad, { mask }), where);
      assert.notEqual(masked.loss, r.loss, where);
      seen[`${cell}`] ??= [];
      seen[`${cell}`].push(r);
      m.dispose();
    }
  }
  // The two builds compute the same numbers (to float rounding: their kernels differ).
  for (const [cell, [a, b]] of Object.entries(seen)) {
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-5 * a.loss, `${cell}: ${a.loss} vs ${b.loss}`);
    for (const side of ['encoder', 'decoder']) {
      a[side].forEach((l, i) => l.gradNorm.forEach((n, t) => {
        const other = b[side][i].gradNorm[t];
        assert.ok(Math.abs(n - other) <= 1e-4 * Math.max(n, 1e-3), `${cell} ${side} ${i} step ${t}: ${n} vs ${other}`);
      }));
    }
  }
});

test('inspect without targets scores the greedy translation', () => {
  for (const [build, api] of builds) {
    const m = api.createSeq2Seq({ cell: 'gru', inputVocab: 10, outputVocab: 11, hiddenSize: 8, seed: 5 });
    const { x } = reverseTask(6, 3);
    // The stop token: what row 0 emits first, so that row stops at once.
    const stop = m.translate(x, { maxLength: 1 }).data[0];
    const translated = m.translate(x, { maxLength: 6, stopToken: stop });
    const r = m.inspect(x, undefined, { maxLength: 6, stopToken: stop });
    const Tt = r.target.shape[1];
    assert.ok(Tt >= 1 && Tt <= 6, `${build}: ${Tt} steps`);
    assert.deepEqual(r.target.shape, [6, Tt]);
    assert.deepEqual(r.output.shape, [6, Tt, 11]);
    const mask = new Float32Array(6 * Tt);
    for (let b = 0; b < 6; b++) {
      for (let t = 0; t < 6; t++) {
        const want = translated.data[b * 6 + t];
        if (t < Tt) assert.equal(r.target.data[b * Tt + t], want, `${build}: [${b}, ${t}]`);
        else assert.equal(want, -1, `${build}: Tt is the number of steps decoded`);
      }
      for (let t = 0; t < Tt; t++) mask[b * Tt + t] = r.target.data[b * Tt + t] < 0 ? 0 : 1;
    }
    if (Tt > 1) assert.equal(r.target.data[1], -1, `${build}: row 0 stopped after its first token`);
    assert.equal(r.loss, m.evaluate(x, r.target, { mask }), build);
    checkLayers(r.encoder, 'gru', [8], 6, 4, `${build} encoder`);
    checkLayers(r.decoder, 'gru', [8], 6, Tt, `${build} decoder`);
    // One sequence as a flat array; no stop token: maxLength (default 32) steps.
    const one = m.inspect([1, 2, 3]);
    assert.deepEqual(one.output.shape, [1, 32, 11]);
    assert.deepEqual(one.encoder[0].h.shape, [1, 3, 8]);
    assert.deepEqual(one.decoder[0].gradNorm.length, 32);
    assert.deepEqual(one.target.data, m.translate([1, 2, 3]));
    m.dispose();
  }
});

// A model this wide, and one source sequence too long for it (the core's cap on activation
// memory): an error the core finds, not the JS layer.
const wideModel = () => rnn.createSeq2Seq({ inputVocab: 10, outputVocab: 11, hiddenSize: 256 });
const TOO_LONG = new Int32Array(40000);

test('inspect rejects bad arguments with RnnlabErrors', () => {
  const m = rnn.createSeq2Seq({ inputVocab: 10, outputVocab: 11, hiddenSize: 8 });
  const wide = wideModel();
  const { x, y } = reverseTask(4);
  const bad = [
    [() => m.inspect(x, undefined, { mask: new Float32Array(20).fill(1) }), 'INVALID_CONFIG', 'mask'],
    [() => m.inspect(x, y, { maxLength: 3 }), 'INVALID_CONFIG', 'maxLength'],
    [() => m.inspect(x, y, { stopToken: 10 }), 'INVALID_CONFIG', 'stopToken'],
    [() => m.inspect(x, undefined, { stopToken: 11 }), 'INVALID_CONFIG', 'stopToken'],
    [() => m.inspect(x, undefined, { maxLength: 0 }), 'INVALID_CONFIG', 'maxLength'],
    [() => m.inspect(x, undefined, { maxLength: 2.5 }), 'INVALID_CONFIG', 'maxLength'],
    [() => m.inspect(x, y, { masks: [1] }), 'INVALID_CONFIG', 'masks'],
    [() => m.inspect(x, y, 5), 'INVALID_CONFIG', 'options'],
    [() => m.inspect({ data: new Float32Array(16), shape: [4, 4] }, y), 'INVALID_ARGUMENT', 'x.data'],
    [() => m.inspect({ data: x.data, shape: [4, 4, 1] }, y), 'SHAPE_MISMATCH', 'x'],
    [() => m.inspect({ data: x.data.map(() => 10), shape: [4, 4] }), 'INVALID_CONFIG', 'x'],
    [() => m.inspect([]), 'SHAPE_MISMATCH', 'x'],
    [() => m.inspect('abc'), 'INVALID_ARGUMENT', 'x'],
    [() => m.inspect(x, { data: y.data.subarray(0, 15), shape: [3, 5] }), 'SHAPE_MISMATCH', 'y'],
    [() => m.inspect(x, { data: y.data.map(() => 11), shape: [4, 5] }), 'INVALID_CONFIG', 'y'],
    [() => m.inspect(x, null), 'INVALID_ARGUMENT', 'y'],
    [() => m.inspect(x, y, { mask: new Float32Array(19) }), 'SHAPE_MISMATCH', 'mask'],
    [() => m.inspect(x, y, { mask: new Float32Array(20).fill(NaN) }), 'NON_FINITE_DATA', 'mask'],
    [() => m.inspect(x, y, { mask: new Float32Array(20).fill(-1) }), 'INVALID_CONFIG', 'mask'],
    // Found by the core (the activation-memory cap), thrown the same way.
    [() => wide.inspect(TOO_LONG), 'TOO_LARGE', 'x'],
    [() => wide.inspect(TOO_LONG, [1]), 'TOO_LARGE', 'x'],
  ];
  for (const [fn, code, field] of bad) throwsRnnlab(fn, code, field);
  assert.equal(m.inspect(x, y).loss, m.evaluate(x, y), 'still usable after the errors');
  assert.ok(Number.isFinite(wide.inspect([1, 2], [3]).loss));
  wide.dispose();
  m.dispose();
  throwsRnnlab(() => m.inspect(x, y), 'DISPOSED', 'model');
  throwsRnnlab(() => m.inspect(x), 'DISPOSED', 'model');
});

test('inspect: 200 calls leave the heap where it was, and free nothing they should not', () => {
  const m = rnn.createSeq2Seq({ cell: 'lstm', inputVocab: 10, outputVocab: 11, hiddenSize: [16, 8], seed: 2 });
  const wide = wideModel();
  const { x, y } = reverseTask(8);
  const first = m.inspect(x, y);
  const keep = first.decoder[1].h.data.slice();
  const round = (i) => {
    m.inspect(x, y);
    m.inspect(x, undefined, { maxLength: 3 + (i % 5) });
    try {
      m.inspect(x, { data: y.data.map(() => 11), shape: [8, 5] });
    } catch (e) {
      assert.equal(e.code, 'INVALID_CONFIG');
    }
    try {
      wide.inspect(TOO_LONG);
    } catch (e) {
      assert.equal(e.code, 'TOO_LARGE');
    }
  };
  for (let i = 0; i < 20; i++) round(i); // warm up: the core's buffers reach their sizes
  const before = rnn.heapStats();
  for (let i = 0; i < 200; i++) round(i);
  const after = rnn.heapStats();
  assert.equal(after.memoryBytes, before.memoryBytes, `memory grew ${before.memoryBytes} -> ${after.memoryBytes}`);
  assert.ok(after.inUseBytes <= before.inUseBytes + 4096, `in-use bytes grew ${before.inUseBytes} -> ${after.inUseBytes}`);
  assert.equal(after.liveHandles, before.liveHandles);
  // Results are copies: later calls neither change nor detach them.
  assert.equal(first.output.data.buffer.byteLength, first.output.data.byteLength, 'not a view of the wasm memory');
  assert.deepEqual(first.decoder[1].h.data, keep);
  assert.equal(first.encoder[0].gradNorm.length, 4);
  // The model is intact: same loss and translation as before the 200 calls.
  const again = m.inspect(x, y);
  assert.equal(again.loss, first.loss);
  assert.deepEqual(again.decoder[1].h.data, keep);
  assert.ok(Number.isFinite(m.trainBatch(x, y)));
  wide.dispose();
  m.dispose();
});
