// Model: the public wrapper over the bound rnnlab::Model (`_`-prefixed members, see
// bindings/embind_model.cpp). It checks every argument, stages bulk data in the scratch
// buffer, makes one wasm call and copies results out; what it shares with Seq2Seq lives in
// ModelHandle (handle.js), its options come from the schema (schema.js).
import { bool, int, options } from './check.js';
import { fail } from './errors.js';
import { CFG, FIT, INTERNAL, LIVE, ModelHandle, NOT_FITTING, RT, TRACES } from './handle.js';
import { configText, lossSlots, packTrainOptions, readConfig, readValue } from './schema.js';
import { requireFinite, requireIds, requireShape, tensor } from './tensors.js';

export { INTERNAL };

/**
 * Checks createModel's options against the schema's model table and renders them as the
 * core's config text (key=value lines in core names, as in a model file).
 * @param {import('./schema.js').Schema} schema
 * @param {unknown} opts
 * @returns {string}
 */
export function modelConfigText(schema, opts) {
  const table = schema.modelConfig;
  const o = options(opts, table.map((f) => f.api), 'createModel');
  // The API's rules beyond the table: vocabSize is what makes a model take tokens, and a
  // softmax head over tokens predicts the next token by default.
  const tokens = o.vocabSize !== undefined;
  const values = readConfig(table, o, (f, v) => {
    if (f.name === 'input_encoding') {
      if (tokens) return readValue({ ...f, choices: f.choices?.filter((c) => c !== 'features'), default: 'embedding' }, o[f.api]);
      if (o[f.api] !== undefined && o[f.api] !== 'features') {
        readValue(f, o[f.api]);
        fail('INVALID_CONFIG', f.api, `'${o[f.api]}' needs vocabSize (the number of token ids)`);
      }
      return 'features';
    }
    if (f.name === 'output_size' && o[f.api] === undefined && tokens) {
      const head = /** @type {import('./schema.js').Field} */ (table.find((g) => g.name === 'head'));
      if (readValue(head, o[head.api]) === 'softmax') return v.vocab_size;
    }
    return undefined;
  });
  if (values.head === 'softmax' && values.output_size < 2) {
    fail('INVALID_CONFIG', 'outputSize', `a softmax head needs at least 2 classes, got ${values.output_size}`);
  }
  return configText(table, values);
}

/**
 * A recurrent model living in the WebAssembly heap. Create it with `rnn.createModel()` or
 * `rnn.loadModel()`; free it with `dispose()`.
 */
export class Model extends ModelHandle {
  /**
   * @param {symbol} token
   * @param {import('./runtime.js').Runtime} rt
   * @param {any} handle
   */
  constructor(token, rt, handle) {
    if (token !== INTERNAL) fail('INVALID_STATE', 'Model', 'use rnn.createModel() or rnn.loadModel() to make a model');
    super(rt, handle, rt.schema.modelConfig, 'create or load a new model');
  }

  get #tokens() {
    return this[CFG].inputEncoding !== 'features';
  }

  // ---- argument normalisation ----

  /** x -> {data, tokens, B, T} checked against the model's input. */
  #input(x, field = 'x') {
    const c = this[CFG];
    if (this.#tokens) {
      const t = tensor(x, field, 'int');
      let shape = t.shape ?? [1, t.data.length];
      if (shape.length === 1) shape = [1, shape[0]];
      requireShape(shape, [null, null], field, '[batch, steps] token ids');
    if (t.data.length === 0) fail('SHAPE_MISMATCH', field, 'is empty; it needs at least one token id');
      requireIds(/** @type {Int32Array} */ (t.data), c.vocabSize, field, shape, 'vocabSize');
      return { data: t.data, tokens: true, B: shape[0], T: shape[1] };
    }
    const raw = x !== null && typeof x === 'object' && 'data' in x ? /** @type {any} */ (x).data : x;
    if (raw instanceof Int32Array) {
      fail('INVALID_ARGUMENT', field, 'this model takes real-valued features (a Float32Array); integer token ids need a model created with vocabSize');
    }
    const t = tensor(x, field, 'float');
    const I = c.inputSize;
    let shape = t.shape;
    if (!shape) {
      if (t.data.length === 0 || t.data.length % I !== 0) {
        fail('SHAPE_MISMATCH', field, `has ${t.data.length} values, not a positive multiple of inputSize ${I} (a flat array is one sequence [1, steps, inputSize])`);
      }
      shape = [1, t.data.length / I, I];
    }
    requireShape(shape, [null, null, I], field, '[batch, steps, inputSize]');
    requireFinite(/** @type {Float32Array} */ (t.data), field, shape);
    return { data: t.data, tokens: false, B: shape[0], T: shape[1] };
  }

  /** y -> {data, classes} for a batch of B sequences of T steps. */
  #target(y, B, T, mask, field = 'y') {
    const c = this[CFG];
    const last = c.output === 'last';
    const O = c.outputSize;
    if (c.head === 'softmax') {
      const t = tensor(y, field, 'int');
      const expected = last ? [B] : [B, T];
      if (t.shape) requireShape(t.shape, expected, field, last ? '[batch] class ids' : '[batch, steps] class ids');
      else if (t.data.length !== B * (last ? 1 : T)) {
        fail('SHAPE_MISMATCH', field, `has ${t.data.length} class ids, expected ${B * (last ? 1 : T)} = ${last ? '[batch]' : '[batch, steps]'}`);
      }
      requireIds(/** @type {Int32Array} */ (t.data), O, field, expected, 'outputSize', mask);
      return { data: t.data, classes: true };
    }
    const raw = y !== null && typeof y === 'object' && 'data' in y ? /** @type {any} */ (y).data : y;
    if (raw instanceof Int32Array) {
      fail('INVALID_ARGUMENT', field, "a linear head needs real-valued targets (a Float32Array); class ids need head: 'softmax'");
    }
    const t = tensor(y, field, 'float');
    const full = last ? [B, O] : [B, T, O];
    const n = full.reduce((a, b) => a * b, 1);
    if (t.shape) {
      const short = O === 1 && t.shape.length === full.length - 1 ? full.slice(0, -1) : full;
      requireShape(t.shape, short, field, last ? '[batch, outputSize]' : '[batch, steps, outputSize]');
    } else if (t.data.length !== n) {
      fail('SHAPE_MISMATCH', field, `has ${t.data.length} values, expected ${n} = ${last ? '[batch, outputSize]' : '[batch, steps, outputSize]'} = [${full.join(', ')}]`);
    }
    requireFinite(/** @type {Float32Array} */ (t.data), field, full);
    return { data: t.data, classes: false };
  }

  /** mask -> Float32Array of [batch] or [batch, steps] weights >= 0, or null. */
  #mask(mask, B, T, field = 'mask') {
    if (mask === undefined) return null;
    const last = this[CFG].output === 'last';
    const t = tensor(mask, field, 'float');
    const expected = last ? [B] : [B, T];
    if (t.shape) requireShape(t.shape, expected, field, last ? '[batch]' : '[batch, steps]');
    else if (t.data.length !== B * (last ? 1 : T)) {
      fail('SHAPE_MISMATCH', field, `has ${t.data.length} weights, expected ${B * (last ? 1 : T)} = ${last ? '[batch]' : '[batch, steps]'}`);
    }
    const data = /** @type {Float32Array} */ (t.data);
    requireFinite(data, field, expected);
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 0) fail('INVALID_CONFIG', field, `weights must be >= 0 (0 for padded steps), got ${data[i]} at index ${i}`);
    }
    return data;
  }

  // ---- training ----

  /**
   * One optimizer step on one batch (one wasm call). Returns the batch's mean loss.
   * @param {unknown} x
   * @param {unknown} y
   * @param {Record<string, any>} [opts]
   */
  trainBatch(x, y, opts) {
    const h = this[LIVE]();
    this[NOT_FITTING]('trainBatch');
    const rt = this[RT];
    const o = options(opts, [...rt.schema.trainKeys, 'mask'], 'trainBatch');
    const packed = packTrainOptions(rt.schema, o, this[CFG]).slots;
    const xin = this.#input(x);
    const mask = this.#mask(o.mask, xin.B, xin.T);
    const yt = this.#target(y, xin.B, xin.T, mask);
    const [px, py, pm, po] = rt.stage([xin.data, yt.data, mask, packed]);
    const loss = h._trainBatch(px, xin.tokens, xin.B, xin.T, py, yt.classes, pm, po);
    rt.check();
    return loss;
  }

  /**
   * Trains over a dataset for some epochs; resolves with the loss history.
   * @param {{x: unknown, y: unknown, mask?: unknown}} data
   * @param {Record<string, any>} [opts]
   */
  async fit(data, opts) {
    const h = this[LIVE]();
    this[NOT_FITTING]('fit');
    const d = options(data, ['x', 'y', 'mask'], 'fit (data)', 'data');
    if (d.x === undefined || d.y === undefined) fail('INVALID_ARGUMENT', 'data', 'fit() needs {x, y}');
    const xin = this.#input(d.x, 'x');
    const mask = this.#mask(d.mask, xin.B, xin.T);
    const yt = this.#target(d.y, xin.B, xin.T, mask);
    const B = xin.B, T = xin.T;
    const schema = this[RT].schema;
    const [lossSlot, deltaSlot] = [schema.slot('loss'), schema.slot('huber_delta')];
    const arrays = [
      { data: xin.data, per: xin.data.length / B },
      { data: yt.data, per: yt.data.length / B },
      mask && { data: mask, per: mask.length / B },
    ];
    return this[FIT](B, arrays, opts, this[CFG],
      ([px, py, pm], k, po) => h._trainBatch(px, xin.tokens, k, T, py, yt.classes, pm, po),
      // With the fit's own loss and Huber delta.
      ([px, py, pm], k, slots) => h._evaluate(px, xin.tokens, k, T, py, yt.classes, pm, slots[lossSlot], slots[deltaSlot]));
  }

  /**
   * Mean loss over a batch without training.
   * @param {unknown} x
   * @param {unknown} y
   * @param {{mask?: unknown, loss?: string, huberDelta?: number}} [opts]
   */
  evaluate(x, y, opts) {
    const h = this[LIVE]();
    const o = options(opts, ['mask', 'loss', 'huberDelta'], 'evaluate');
    const { loss, huberDelta: delta } = lossSlots(this[RT].schema, o, this[CFG]);
    const xin = this.#input(x);
    const mask = this.#mask(o.mask, xin.B, xin.T);
    const yt = this.#target(y, xin.B, xin.T, mask);
    const [px, py, pm] = this[RT].stage([xin.data, yt.data, mask]);
    const value = h._evaluate(px, xin.tokens, xin.B, xin.T, py, yt.classes, pm, loss, delta);
    this[RT].check();
    return value;
  }

  // ---- other formats (loaded on first use: not part of the download of a page that only trains) ----

  /**
   * The model as ONNX bytes (opset 14, standard RNN/LSTM/GRU operators). Input `x` is
   * [batch, sequence, features] floats or [batch, sequence] int32 token ids, as predict() takes
   * it; output `y` is what predict() returns. With `state: true` the graph also takes the state
   * before the first step (`h0_l<k>`, `c0_l<k>`: [batch, hidden] per layer) and returns it after
   * the last (`hn_l<k>`, `cn_l<k>`), so a caller can carry it from one chunk to the next.
   * The weights are copied when called; the converter loads on first use (hence a Promise).
   * @param {{state?: boolean}} [opts]
   * @returns {Promise<Uint8Array>}
   */
  exportOnnx(opts) {
    try {
      const o = options(opts, ['state'], 'exportOnnx');
      const state = bool(o.state, 'state', false);
      const c = this.config;
      const w = this.getWeights();
      return import('./interop/onnx_export.js').then((m) => m.modelToOnnx(c, w, { state }));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * The model as a TensorFlow.js LayersModel (Keras layers and layout): `modelJson` is the
   * model.json object (modelTopology + weightsManifest naming the file `weights.bin`), `weights`
   * the bytes of that file. `warnings` lists what TF.js cannot run (a GRU in the PyTorch variant
   * is written as Keras's reset_after=True GRU, which Keras runs but TF.js refuses). Resolves
   * once the converter has loaded.
   * @returns {Promise<{modelJson: Record<string, any>, weights: Uint8Array, warnings: string[]}>}
   */
  exportKeras() {
    try {
      const c = this.config;
      const w = this.getWeights();
      return import('./interop/keras_export.js').then((m) => m.modelToKeras(c, w));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ---- inference ----

  /**
   * Batched inference from zero state: values (linear head) or probabilities (softmax).
   * @param {unknown} x
   * @returns {{data: Float32Array, shape: number[]}}
   */
  predict(x) {
    const h = this[LIVE]();
    const xin = this.#input(x);
    const [px] = this[RT].stage([xin.data]);
    const c = this[CFG];
    const shape = c.output === 'last' ? [xin.B, c.outputSize] : [xin.B, xin.T, c.outputSize];
    const view = h._predict(px, xin.tokens, xin.B, xin.T);
    this[RT].check();
    return { data: this[RT].copy(view, shape.reduce((a, b) => a * b, 1)), shape };
  }

  /**
   * Zeroes the carried state for `batch` rows; step() then advances it one time step at a time.
   * @param {number} [batch]
   */
  resetState(batch = 1) {
    const h = this[LIVE]();
    const b = int(batch, 'batch', { min: 1, max: 1 << 20 });
    h._resetState(b);
    this[RT].check();
  }

  /**
   * Rows of the carried state that step() continues from; 0 when there is none (a new or
   * loaded model, or after training without `stateful: true`). resetState(b) makes it b,
   * stateful training the batch size, forecast() and generate() 1.
   */
  get stateBatch() {
    return this[LIVE]()._stateBatch();
  }

  /**
   * One time step from the carried state: x is [batch, inputSize] floats or [batch] ids.
   * Returns the outputs [batch, outputSize] (probabilities for a softmax head).
   * @param {unknown} x
   * @returns {Float32Array}
   */
  step(x) {
    const h = this[LIVE]();
    const B = h._stateBatch();
    if (B === 0) {
      fail('INVALID_STATE', 'state', 'there is no carried state: call resetState(batch) before step() (training without stateful: true ends the state)');
    }
    const c = this[CFG];
    let data;
    if (this.#tokens) {
      const t = tensor(x, 'x', 'int');
      if (t.data.length !== B) fail('SHAPE_MISMATCH', 'x', `has ${t.data.length} ids, expected ${B} (one per row of the state)`);
      requireIds(/** @type {Int32Array} */ (t.data), c.vocabSize, 'x', null, 'vocabSize');
      data = t.data;
    } else {
      const t = tensor(x, 'x', 'float');
      if (t.data.length !== B * c.inputSize) {
        fail('SHAPE_MISMATCH', 'x', `has ${t.data.length} values, expected ${B * c.inputSize} = [batch ${B}, inputSize ${c.inputSize}]`);
      }
      requireFinite(/** @type {Float32Array} */ (t.data), 'x', [B, c.inputSize]);
      data = t.data;
    }
    const [px] = this[RT].stage([data]);
    const view = h._step(px, this.#tokens);
    this[RT].check();
    return this[RT].copy(view, B * c.outputSize);
  }

  /**
   * Autoregressive forecast: primes with `window` ([steps, inputSize], oldest first) and feeds
   * each prediction back as the next input. Returns `steps` predictions, [steps, outputSize].
   * @param {unknown} window
   * @param {number} steps
   * @returns {Float32Array}
   */
  forecast(window, steps) {
    const h = this[LIVE]();
    const n = int(steps, 'steps', { min: 0, max: 1 << 24 });
    const c = this[CFG];
    const I = this.#tokens ? 1 : c.inputSize;
    const t = tensor(window, 'window', 'float');
    const data = /** @type {Float32Array} */ (t.data);
    if (t.shape && !(t.shape.length === 2 && t.shape[1] === I) && !(I === 1 && t.shape.length === 1)) {
      fail('SHAPE_MISMATCH', 'window', `has shape [${t.shape.join(', ')}], expected [steps, ${I}] = [steps, inputSize]`);
    }
    if (data.length === 0 || data.length % I !== 0) {
      fail('SHAPE_MISMATCH', 'window', `has ${data.length} values, not a positive multiple of inputSize ${I}`);
    }
    requireFinite(data, 'window', t.shape);
    const [pw] = this[RT].stage([data]);
    const view = h._forecast(pw, data.length / I, n);
    this[RT].check();
    return this[RT].copy(view, n * c.outputSize);
  }

  /**
   * Samples `length` token ids after priming with `prime` (token models with a softmax head).
   * @param {{prime: unknown, length: number, temperature?: number, topK?: number, topP?: number, seed?: number}} opts
   * @returns {Int32Array}
   */
  generate(opts) {
    const h = this[LIVE]();
    const table = this[RT].schema.sampleOptions;
    const o = options(opts, ['prime', 'length', ...table.map((f) => f.api)], 'generate');
    if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'generate() needs {prime, length}');
    const prime = this.#prime(o.prime);
    const length = int(o.length, 'length', { min: 0, max: 1 << 24 });
    const s = readConfig(table, o);
    const [pp] = this[RT].stage([prime]);
    const view = h._generate(pp, prime.length, length, s.temperature, s.top_k, s.top_p, s.seed);
    this[RT].check();
    return this[RT].copy(view, length);
  }

  /**
   * The next-token distribution after `prime` (token models with a softmax head).
   * @param {unknown} prime
   * @param {{temperature?: number}} [opts]
   * @returns {Float32Array}
   */
  nextTokenProbabilities(prime, opts) {
    const h = this[LIVE]();
    const o = options(opts, ['temperature'], 'nextTokenProbabilities');
    const ids = this.#prime(prime);
    const field = /** @type {import('./schema.js').Field} */ (this[RT].schema.sampleOptions.find((f) => f.name === 'temperature'));
    const temperature = readValue(field, o.temperature);
    const [pp] = this[RT].stage([ids]);
    const view = h._nextTokenProbabilities(pp, ids.length, temperature);
    this[RT].check();
    return this[RT].copy(view, this[CFG].outputSize);
  }

  #prime(v) {
    if (v === undefined) fail('INVALID_ARGUMENT', 'prime', 'is required: the token ids to start from');
    const t = tensor(v, 'prime', 'int');
    const ids = /** @type {Int32Array} */ (t.data);
    if (ids.length === 0) fail('INVALID_CONFIG', 'prime', 'needs at least one token to start from');
    // Token models check ids here; other models get the core's INVALID_STATE.
    if (this.#tokens) requireIds(ids, this[CFG].vocabSize, 'prime', null, 'vocabSize');
    return ids;
  }

  /**
   * Forward and backward over one batch, returning what the network did (all batch-major).
   * Without y, the gradient is that of the sum of the last step's outputs (linear head) or
   * of the most likely class's log-probability (softmax).
   * @param {unknown} x
   * @param {unknown} [y]
   * @param {{mask?: unknown}} [opts]
   */
  inspect(x, y, opts) {
    const h = this[LIVE]();
    const o = options(opts, ['mask'], 'inspect');
    const xin = this.#input(x);
    const mask = y === undefined ? null : this.#mask(o.mask, xin.B, xin.T);
    if (y === undefined && o.mask !== undefined) fail('INVALID_CONFIG', 'mask', 'needs targets y');
    const yt = y === undefined ? null : this.#target(y, xin.B, xin.T, mask);
    const rt = this[RT];
    const [px, py, pm] = rt.stage([xin.data, yt?.data ?? null, mask]);
    const r = h._inspect(px, xin.tokens, xin.B, xin.T, yt !== null, py, yt?.classes ?? false, pm);
    rt.check();
    const c = this[CFG];
    const { B, T } = xin;
    const outShape = c.output === 'last' ? [B, c.outputSize] : [B, T, c.outputSize];
    const result = {
      loss: r.loss,
      output: { data: rt.copy(r.output, outShape.reduce((a, b) => a * b, 1)), shape: outShape },
      layers: this[TRACES](r.layers, B, T),
    };
    h._releaseResults();
    return result;
  }
}
