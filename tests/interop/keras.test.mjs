// rnnlab <-> Keras / TensorFlow.js: exports load in @tensorflow/tfjs (tf.loadLayersModel) and
// predict what rnnlab predicts; the PyTorch-variant GRU is written as Keras's reset_after=True
// GRU, which the export flags and TF.js refuses; models built in TF.js, and a Keras-2 style
// reset_after=True GRU (checked against Keras's equations), load into rnnlab; rnnlab -> Keras
// -> rnnlab gives bit-identical weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init, RnnlabError } from '../../bindings/js/index.js';
import { assertSameWeights, inputFor, matrix, relativeError, runtime, shapeOf } from './_interop.mjs';

const tf = runtime('@tensorflow/tfjs');
const rnn = await init({ simd: 'auto' });
const TOLERANCE = 1e-5;

/** tf.loadLayersModel on an export, from memory. */
function loadInTf(k) {
  const weightData = k.weights.buffer.slice(k.weights.byteOffset, k.weights.byteOffset + k.weights.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: k.modelJson.modelTopology, weightSpecs: k.modelJson.weightsManifest[0].weights, weightData }));
}

function tfPredict(model, x) {
  return tf.tidy(() => model.predict(tf.tensor(x.data, x.shape, x.data instanceof Int32Array ? 'int32' : 'float32')).dataSync());
}

const name = (c) => `${c.cell}${c.gruVariant ? `/${c.gruVariant}` : ''} ${c.inputEncoding ?? (c.vocabSize ? 'embedding' : 'features')} ${c.output} ${c.head} [${c.hiddenSize}]`;

test('TF.js loads every export it can run and predicts what rnnlab predicts (batch 1 and 7, sequence 1 and 50)', async () => {
  let worst = 0;
  let ran = 0;
  for (const c of matrix()) {
    const m = rnn.createModel(c);
    const k = await m.exportKeras();
    assert.equal(k.modelJson.weightsManifest[0].paths[0], 'weights.bin');
    const layers = k.modelJson.modelTopology.config.layers;
    for (const l of layers.filter((l) => l.class_name === 'LSTM' || l.class_name === 'GRU')) assert.equal(l.config.recurrent_activation, 'sigmoid');
    if (c.cell === 'gru' && c.gruVariant === 'pytorch') {
      // Said in the export, and TF.js indeed refuses it.
      assert.equal(k.warnings.length, 1);
      assert.match(k.warnings[0], /reset_after=True.*gruVariant: 'classic'/);
      assert.ok(layers.some((l) => l.class_name === 'GRU' && l.config.reset_after === true));
      await assert.rejects(loadInTf(k), /reset_after/);
      m.dispose();
      continue;
    }
    assert.deepEqual(k.warnings, []);
    const tm = await loadInTf(k);
    for (const [B, T] of [[1, 1], [1, 50], [7, 1], [7, 50]]) {
      const x = inputFor(c, B, T);
      const e = relativeError(tfPredict(tm, x), m.predict(x).data);
      assert.ok(e <= TOLERANCE, `${name(c)} B=${B} T=${T}: relative error ${e}`);
      worst = Math.max(worst, e);
    }
    tm.dispose();
    m.dispose();
    ran++;
  }
  assert.equal(ran, 18);
  console.log(`worst relative error TF.js vs predict over ${ran} variants x 4 shapes: ${worst.toExponential(2)}`);
});

test('rnnlab -> Keras -> rnnlab gives the same configuration and bit-identical weights', async () => {
  for (const c of matrix()) {
    const m = rnn.createModel(c);
    const k = await m.exportKeras();
    // As files: the JSON text and the weight bytes, in one buffer or split in two.
    const text = JSON.stringify(k.modelJson);
    const half = Math.floor(k.weights.length / 8) * 4;
    for (const weights of [k.weights, [k.weights.slice(0, half).buffer, k.weights.slice(half)]]) {
      const back = await rnn.loadKeras(text, weights);
      assert.deepEqual(shapeOf(back.config), shapeOf(m.config), name(c));
      assertSameWeights(m.getWeights(), back.getWeights(), name(c));
      back.dispose();
    }
    m.dispose();
  }
});

test('models built and saved by TF.js load into rnnlab and predict what TF.js predicts', async () => {
  const cases = [
    () => [tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', inputShape: [null, 3], returnSequences: true }), tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 2 })],
    () => [tf.layers.embedding({ inputDim: 8, outputDim: 3, inputShape: [null] }), tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }) })],
    () => [tf.layers.simpleRNN({ units: 6, inputShape: [null, 2] }), tf.layers.dense({ units: 3 }), tf.layers.activation({ activation: 'softmax' })],
  ];
  for (const [i, make] of cases.entries()) {
    const tm = tf.sequential({ layers: make() });
    // Non-zero biases, so that the bias layout is checked too.
    tm.setWeights(tm.getWeights().map((w, j) => tf.tidy(() => tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 10 * i + j))));
    let artifacts;
    await tm.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const m = await rnn.loadKeras({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: artifacts.weightSpecs }] }, artifacts.weightData);
    const c = m.config;
    const x = inputFor(c.inputEncoding === 'features' ? c : { vocabSize: c.vocabSize }, 5, 12);
    const e = relativeError(m.predict(x).data, tfPredict(tm, x));
    assert.ok(e <= TOLERANCE, `case ${i}: relative error ${e}`);
    tm.dispose();
    m.dispose();
  }
});

/** Keras's GRU with reset_after=True, straight from its equations, in Keras's layout (z, r, h). */
function kerasGru(x, B, T, F, H, kernel, rec, bias) {
  const sig = (v) => 1 / (1 + Math.exp(-v));
  const out = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(H);
    for (let t = 0; t < T; t++) {
      const xi = new Float64Array(3 * H);
      const hr = new Float64Array(3 * H);
      for (let j = 0; j < 3 * H; j++) {
        xi[j] = bias[j];
        for (let f = 0; f < F; f++) xi[j] += x[(b * T + t) * F + f] * kernel[f * 3 * H + j];
        hr[j] = bias[3 * H + j];
        for (let q = 0; q < H; q++) hr[j] += h[q] * rec[q * 3 * H + j];
      }
      const next = new Float64Array(H);
      for (let u = 0; u < H; u++) {
        const z = sig(xi[u] + hr[u]);
        const r = sig(xi[H + u] + hr[H + u]);
        const hh = Math.tanh(xi[2 * H + u] + r * hr[2 * H + u]);
        next[u] = z * h[u] + (1 - z) * hh;
      }
      h = next;
    }
    out.set(h, b * H);
  }
  return out;
}

test("Keras's default reset_after=True GRU (Keras 2 names and layout) runs in rnnlab as Keras computes it", async () => {
  const F = 3, H = 4, O = 2, B = 3, T = 6;
  let s = 7;
  const rand = (n) => Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296) - 0.5);
  const kernel = rand(F * 3 * H), rec = rand(H * 3 * H), bias = rand(2 * 3 * H), dense = rand(H * O), dbias = rand(O);
  const modelJson = {
    format: 'layers-model',
    modelTopology: {
      keras_version: '2.15.0', backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, null, F], dtype: 'float32', name: 'input_1' } },
        { class_name: 'GRU', config: { name: 'gru', units: H, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false, reset_after: true } },
        { class_name: 'Dense', config: { name: 'dense', units: O, activation: 'linear', use_bias: true } },
      ] } },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [
      { name: 'gru/gru_cell/kernel', shape: [F, 3 * H], dtype: 'float32' },
      { name: 'gru/gru_cell/recurrent_kernel', shape: [H, 3 * H], dtype: 'float32' },
      { name: 'gru/gru_cell/bias', shape: [2, 3 * H], dtype: 'float32' },
      { name: 'dense/kernel', shape: [H, O], dtype: 'float32' },
      { name: 'dense/bias', shape: [O], dtype: 'float32' },
    ] }],
  };
  const bytes = new Uint8Array([kernel, rec, bias, dense, dbias].flatMap((a) => [...new Uint8Array(a.buffer)]));
  const m = await rnn.loadKeras(modelJson, bytes);
  assert.equal(m.config.gruVariant, 'pytorch');
  const x = rand(B * T * F);
  const h = kerasGru(x, B, T, F, H, kernel, rec, bias);
  const want = Float64Array.from({ length: B * O }, (_, i) => {
    const b = Math.floor(i / O), o = i % O;
    let v = dbias[o];
    for (let u = 0; u < H; u++) v += h[b * H + u] * dense[u * O + o];
    return v;
  });
  const e = relativeError(m.predict({ data: x, shape: [B, T, F] }).data, want);
  assert.ok(e <= TOLERANCE, `relative error ${e} against Keras's equations`);
  // And it keeps training in rnnlab.
  const y = { data: Float32Array.from({ length: B * O }, (_, i) => Math.cos(i)), shape: [B, O] };
  const l0 = m.evaluate({ data: x, shape: [B, T, F] }, y);
  await m.fit({ x: { data: x, shape: [B, T, F] }, y }, { epochs: 20, batchSize: B, optimizer: { name: 'adam', lr: 0.05 } });
  assert.ok(m.evaluate({ data: x, shape: [B, T, F] }, y) < l0);
  m.dispose();
});

test('what rnnlab does not compute is refused, naming the layer and the setting', async () => {
  const base = rnn.createModel({ cell: 'lstm', inputSize: 2, hiddenSize: 3 });
  const k = await base.exportKeras();
  base.dispose();
  const edit = (f) => {
    const j = structuredClone(k.modelJson);
    f(j.modelTopology.config.layers, j);
    return j;
  };
  const refused = async (json, weights, code, field, message) => {
    let error;
    try {
      await rnn.loadKeras(json, weights);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof RnnlabError, `expected an RnnlabError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.field, field, error.message);
    if (message) assert.match(error.message, message);
  };
  await refused(edit((l) => { l[0].config.recurrent_activation = 'hard_sigmoid'; }), k.weights, 'BAD_MODEL_FILE', /^layer 'lstm_l0' \(LSTM\) recurrent_activation$/, /hard_sigmoid/);
  await refused(edit((l) => { l[0].config.activation = 'relu'; }), k.weights, 'BAD_MODEL_FILE', /\(LSTM\) activation$/);
  await refused(edit((l) => { l[0].config.go_backwards = true; }), k.weights, 'BAD_MODEL_FILE', /go_backwards$/);
  await refused(edit((l) => { l[0] = { class_name: 'Bidirectional', config: { name: 'bi', layer: l[0] } }; }), k.weights, 'BAD_MODEL_FILE', /^layer 'bi' \(Bidirectional\)$/);
  await refused(edit((l) => { l.splice(1, 0, { class_name: 'Conv1D', config: { name: 'conv' } }); }), k.weights, 'BAD_MODEL_FILE', /\(Conv1D\)$/);
  await refused(edit((l) => { l[1].config.activation = 'relu'; }), k.weights, 'BAD_MODEL_FILE', /\(Dense\) activation$/);
  await refused(edit((_, j) => { j.weightsManifest[0].weights[0].dtype = 'float16'; }), k.weights, 'BAD_MODEL_FILE', /dtype$/);
  await refused(k.modelJson, k.weights.subarray(0, 20), 'BAD_MODEL_FILE', /^weights$/);
  await refused(k.modelJson, new Uint8Array(k.weights.length + 4), 'BAD_MODEL_FILE', /^weights$/);
  await refused('{"modelTopology":', k.weights, 'BAD_MODEL_FILE', /^modelJson$/);
  await refused(42, k.weights, 'INVALID_ARGUMENT', /^modelJson$/);
  await refused(k.modelJson, 'bytes', 'INVALID_ARGUMENT', /^weights$/);
});

test('a model imported from TF.js trains in rnnlab, saves, and goes back to TF.js with its new weights', async () => {
  const tm = tf.sequential({ layers: [tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', inputShape: [null, 2] }), tf.layers.dense({ units: 1 })] });
  let artifacts;
  await tm.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  tm.dispose();
  const m = await rnn.loadKeras({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: artifacts.weightSpecs }] }, artifacts.weightData);
  assert.equal(m.config.gruVariant, 'classic');
  const x = inputFor(m.config, 12, 10, 4);
  const y = { data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), shape: [12, 1] };
  const before = m.evaluate(x, y);
  await m.fit({ x, y }, { epochs: 25, batchSize: 12, optimizer: { name: 'adam', lr: 0.03 } });
  assert.ok(m.evaluate(x, y) < before * 0.8, 'trained');
  const saved = rnn.loadModel(m.save());
  const k = await saved.exportKeras();
  const back = await loadInTf(k);
  assert.ok(relativeError(tfPredict(back, x), m.predict(x).data) <= TOLERANCE);
  back.dispose();
  saved.dispose();
  m.dispose();
});
