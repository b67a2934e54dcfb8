// TensorFlow.js side of the JS benchmarks (Node and browser): the CONFIGS.md configurations as
// tf.layers models (LSTM / GRU / SimpleRNN + Dense, Adam), trained with model.trainOnBatch on
// the wasm backend. `tf` is the tfjs namespace with the wasm backend already selected.
//
// Equal-work choices (see ../README.md):
// - recurrentActivation 'sigmoid' (TF.js defaults to hardSigmoid; rnnlab and CONFIGS.md use
//   the logistic sigmoid);
// - glorotUniform recurrent initializer: TF.js's default 'orthogonal' runs a QR decomposition
//   in JS that takes tens of seconds at hidden 128-256 (model construction only; it does not
//   change the cost of a training step);
// - CHAR: the one-hot input is built from int32 ids inside the timed step (rnnlab's trainBatch
//   takes ids too); sparse categorical cross-entropy on the softmax output at every step;
// - TF.js's GRU is the "classic" variant (reset gate before the recurrent product); rnnlab
//   runs its default (PyTorch) variant, as the native benchmark does.
import {
  BATCHES, FORECAST_STEPS, featureBatches, GEN_CHARS, TRAIN_CONFIGS, VOCAB, describeConfig, makeResult, primeIds, Rng,
  seriesBatches, timeRuns, tokenBatches, trainConfig,
} from './common.mjs';

function rnnLayer(tf, cell, args) {
  const common = { kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform', ...args };
  if (cell === 'lstm') return tf.layers.lstm({ recurrentActivation: 'sigmoid', unitForgetBias: true, ...common });
  if (cell === 'gru') return tf.layers.gru({ recurrentActivation: 'sigmoid', ...common });
  return tf.layers.simpleRNN({ activation: 'tanh', ...common });
}

/**
 * The model of config c. stateful: batch 1, stateful layers and a softmax / linear head on the
 * last step only (for FORECAST and GEN, with weights copied from the trained model).
 */
function buildModel(tf, c, { stateful = false } = {}) {
  const model = tf.sequential();
  const I = c.chars ? VOCAB : c.features ?? 1;
  c.hidden.forEach((H, l) => {
    const last = l === c.hidden.length - 1;
    const args = { units: H, returnSequences: c.chars && !stateful ? true : !last };
    if (l === 0) {
      if (stateful) args.batchInputShape = [1, null, I];
      else args.inputShape = [c.T, I];
    }
    if (stateful) args.stateful = true;
    model.add(rnnLayer(tf, c.cell, args));
  });
  model.add(tf.layers.dense({ units: c.chars ? VOCAB : 1, activation: c.chars ? 'softmax' : 'linear', kernelInitializer: 'glorotUniform' }));
  return model;
}

function compile(tf, model, c) {
  model.compile({ optimizer: tf.train.adam(c.lr), loss: c.chars ? 'sparseCategoricalCrossentropy' : 'meanSquaredError' });
}

/** Tensors of the minibatches (made once, outside the timed steps). */
async function batchesOf(tf, c, data) {
  if (c.chars) {
    const text = await data.text();
    return tokenBatches(text.ids, BATCHES, c.B, c.T).map((b) => ({
      ids: tf.tensor2d(b.x, [c.B, c.T], 'int32'),
      y: tf.tensor3d(Float32Array.from(b.y), [c.B, c.T, 1]),
    }));
  }
  if (c.features) {
    return featureBatches(BATCHES, c.B, c.T, c.features).map((b) => ({
      x: tf.tensor3d(b.x, [c.B, c.T, c.features]),
      y: tf.tensor2d(b.y, [c.B, 1]),
    }));
  }
  return seriesBatches(data.sine(), BATCHES, c.B, c.T).map((b) => ({
    x: tf.tensor3d(b.x, [c.B, c.T, 1]),
    y: tf.tensor2d(b.y, [c.B, 1]),
  }));
}

function disposeBatches(batches) {
  for (const b of batches) for (const t of Object.values(b)) t.dispose();
}

/** One training step: trainOnBatch (forward, backward, Adam) and the loss read back. */
async function trainStep(tf, model, c, b) {
  if (c.chars) {
    const x = tf.oneHot(b.ids, VOCAB, 1, 0, 'float32');
    try {
      return await model.trainOnBatch(x, b.y);
    } finally {
      x.dispose();
    }
  }
  return model.trainOnBatch(b.x, b.y);
}

async function trainedModel(tf, c, data, steps) {
  const model = buildModel(tf, c);
  compile(tf, model, c);
  const batches = await batchesOf(tf, c, data);
  for (let i = 0; i < steps; ++i) await trainStep(tf, model, c, batches[i % BATCHES]);
  disposeBatches(batches);
  return model;
}

/** Bytes of the wasm backend's WebAssembly memory (it only grows: after the steps, the peak). */
function wasmMemoryBytes(tf) {
  return tf.backend().wasm?.HEAPU8?.buffer.byteLength ?? null;
}

async function runTrain(tf, c, opt, data) {
  const batches = await batchesOf(tf, c, data);
  const wasm0 = wasmMemoryBytes(tf);
  const bytes0 = tf.memory().numBytes;
  const rss0 = opt.peakRssBytes?.();
  const model = buildModel(tf, c);
  compile(tf, model, c);
  let tensors0 = null;
  let heldTensorBytes = 0;
  const losses = [];
  const ms = await timeRuns(opt, async (i, timed) => {
    if (timed && tensors0 === null) tensors0 = tf.memory().numTensors; // after Adam made its state
    losses.push(Number(await trainStep(tf, model, c, batches[i % BATCHES])));
    // live tensors after a step: weights, Adam's moments, anything trainOnBatch keeps
    heldTensorBytes = Math.max(heldTensorBytes, tf.memory().numBytes - bytes0);
  });
  const memory = {
    wasm_memory_bytes: wasmMemoryBytes(tf), wasm_memory_growth_bytes: wasmMemoryBytes(tf) - wasm0,
    tensor_bytes_held: heldTensorBytes,
  };
  if (rss0 !== undefined) memory.peak_rss_growth_bytes = opt.peakRssBytes() - rss0;
  const leaked = tensors0 === null ? 0 : tf.memory().numTensors - tensors0;
  let note = `trainOnBatch${leaked ? `; ${leaked} tensors leaked over the timed steps` : ''}`;
  if (c.chars) {
    const t = await data.text();
    note = `${note}; text ${t.path}`;
  }
  const params = model.countParams();
  disposeBatches(batches);
  model.dispose();
  return makeResult({
    id: c.id, kind: 'train', desc: describeConfig(c), ms, unit: c.chars ? 'tokens/s' : 'samples/s',
    perStep: c.chars ? c.B * c.T : c.B, flops: c.flops, losses: losses.slice(ms.warmup), params, note,
    extra: { memory },
  });
}

let sink = 0;

/** A stateful batch-1 copy of a trained model (same weights) for FORECAST / GEN. */
function statefulCopy(tf, c, trained) {
  const m = buildModel(tf, c, { stateful: true });
  m.setWeights(trained.getWeights());
  return m;
}

/**
 * A hand-written batch-1 LSTM step on tf ops over a trained tf.layers LSTM + Dense model
 * (Keras layouts: kernel [I, 4H], recurrent kernel [H, 4H], gates i, f, c, o). Much faster than
 * model.predict per step, whose per-call overhead dominates at batch 1.
 */
class LstmStepper {
  constructor(tf, model) {
    this.tf = tf;
    const [rnn, dense] = model.layers;
    [this.K, this.R, this.b] = rnn.getWeights();
    [this.W, this.bo] = dense.getWeights();
    this.H = this.R.shape[0];
    this.softmax = dense.getConfig().activation === 'softmax';
    this.h = null;
    this.c = null;
  }
  reset() {
    this.h?.dispose();
    this.c?.dispose();
    this.h = this.tf.zeros([1, this.H]);
    this.c = this.tf.zeros([1, this.H]);
  }
  /** One step from one input feature value (I = 1), or from the one-hot row id; returns the output. */
  step(value, id = -1) {
    const tf = this.tf;
    const [h, c, y] = tf.tidy(() => {
      const xk = id >= 0 ? tf.gather(this.K, [id]) : tf.mul(this.K, value);
      const z = tf.add(tf.add(xk, tf.matMul(this.h, this.R)), this.b);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      const c2 = tf.add(tf.mul(tf.sigmoid(zf), this.c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
      const h2 = tf.mul(tf.sigmoid(zo), tf.tanh(c2));
      const lin = tf.add(tf.matMul(h2, this.W), this.bo);
      return [h2, c2, this.softmax ? tf.softmax(lin) : lin];
    });
    this.h.dispose();
    this.c.dispose();
    this.h = h;
    this.c = c;
    const out = y.dataSync();
    y.dispose();
    return out;
  }
  dispose() {
    this.h?.dispose();
    this.c?.dispose();
  }
}

async function runForecast(tf, opt, data) {
  const c = trainConfig('TS-S');
  const trained = await trainedModel(tf, c, data, Math.max(opt.warmup, 5));
  const win = data.sine().subarray(1000, 1000 + c.T);
  const out = new Float32Array(FORECAST_STEPS);
  const params = trained.countParams();
  let ms;
  let note;
  if (opt.tfjsInfer === 'predict') {
    const model = statefulCopy(tf, c, trained);
    const window = tf.tensor3d(win, [1, c.T, 1]);
    ms = await timeRuns(opt, async () => {
      model.resetStates();
      // Prime over the window, then feed each prediction back (batch 1, one step per call).
      let y = model.predict(window);
      out[0] = y.dataSync()[0];
      y.dispose();
      for (let s = 1; s < FORECAST_STEPS; ++s) {
        const x = tf.tensor3d([out[s - 1]], [1, 1, 1]);
        y = model.predict(x);
        out[s] = y.dataSync()[0];
        x.dispose();
        y.dispose();
      }
      sink += out[FORECAST_STEPS - 1];
    });
    window.dispose();
    model.dispose();
    note = 'stateful model, predict per step';
  } else {
    const st = new LstmStepper(tf, trained);
    ms = await timeRuns(opt, async () => {
      st.reset();
      let y;
      for (let t = 0; t < c.T; ++t) y = st.step(win[t]);
      out[0] = y[0];
      for (let s = 1; s < FORECAST_STEPS; ++s) out[s] = st.step(out[s - 1])[0];
      sink += out[FORECAST_STEPS - 1];
    });
    st.dispose();
    note = 'LSTM step on tf ops per step';
  }
  trained.dispose();
  return makeResult({
    id: 'FORECAST', kind: 'forecast', desc: 'TS-S model: window 32 + 200-step forecast, B1', ms, unit: 'steps/s',
    perStep: FORECAST_STEPS, params, note: `ms = one whole 200-step forecast (${note})`,
  });
}

/** Draws an id from probabilities p (temperature 1). */
function sample(p, rng) {
  let total = 0;
  for (let i = 0; i < p.length; ++i) total += p[i];
  const u = rng.uniform() * total;
  let cum = 0;
  for (let i = 0; i < p.length; ++i) {
    cum += p[i];
    if (u < cum) return i;
  }
  return p.length - 1;
}

async function runGenerate(tf, opt, data) {
  const c = trainConfig('CHAR');
  const trained = await trainedModel(tf, c, data, Math.max(opt.warmup, 5));
  const params = trained.countParams();
  const prime = primeIds(await data.text());
  let ms;
  let note;
  if (opt.tfjsInfer === 'predict') {
    const model = statefulCopy(tf, c, trained);
    const primeX = tf.oneHot(tf.tensor2d(prime, [1, prime.length], 'int32'), VOCAB, 1, 0, 'float32');
    ms = await timeRuns(opt, async (i) => {
      const rng = new Rng(1 + i, 9);
      model.resetStates();
      let y = model.predict(primeX);
      let id = sample(y.dataSync(), rng);
      y.dispose();
      for (let s = 1; s < GEN_CHARS; ++s) {
        const x = tf.oneHot(tf.tensor2d([id], [1, 1], 'int32'), VOCAB, 1, 0, 'float32');
        y = model.predict(x);
        id = sample(y.dataSync(), rng);
        x.dispose();
        y.dispose();
      }
      sink += id;
    });
    primeX.dispose();
    model.dispose();
    note = 'stateful model, predict per char';
  } else {
    const st = new LstmStepper(tf, trained);
    ms = await timeRuns(opt, async (i) => {
      const rng = new Rng(1 + i, 9);
      st.reset();
      let p;
      for (const t of prime) p = st.step(null, t);
      let id = sample(p, rng);
      for (let s = 1; s < GEN_CHARS; ++s) id = sample(st.step(null, id), rng);
      sink += id;
    });
    st.dispose();
    note = 'LSTM step on tf ops per char: gather + matMul';
  }
  trained.dispose();
  return makeResult({
    id: 'GEN', kind: 'generate', desc: 'CHAR model: prime 16 + 500 sampled chars, B1 t=1', ms, unit: 'chars/s',
    perStep: GEN_CHARS, params, note: `ms = prime + 500 sampled chars (${note}, sampling in JS)`,
  });
}

/** Runs one configuration (an id, or a config object such as shapeConfig's); resolves with its result row. */
export async function runTfjsConfig(tf, id, opt, data) {
  const c = typeof id === 'object' ? id : TRAIN_CONFIGS.find((x) => x.id === id);
  if (c) return runTrain(tf, c, opt, data);
  if (id === 'FORECAST') return runForecast(tf, opt, data);
  if (id === 'GEN') return runGenerate(tf, opt, data);
  throw new Error(`unknown configuration ${id}`);
}

/** Selects the wasm backend with one thread; resolves with the header fields. */
export async function setupTfjs(tf) {
  if (tf.wasm?.setThreadsCount) tf.wasm.setThreadsCount(1);
  const ok = await tf.setBackend('wasm');
  if (!ok || tf.getBackend() !== 'wasm') throw new Error('the TF.js wasm backend did not initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const threads = tf.backend().getThreadsCount?.() ?? 1;
  return {
    impl: 'tfjs-wasm', impl_version: tf.version.tfjs ?? tf.version_core, backend: 'wasm',
    kernels: `xnnpack${simd ? ' simd' : ''}${mt ? ' threaded' : ''}`, threads, gemm: 'tfjs-backend-wasm (XNNPACK)',
  };
}

export function sinkValue() {
  return sink;
}
