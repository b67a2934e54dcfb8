// Model: the public wrapper over the bound rnnlab::Model (`_`-prefixed members, see
// bindings/embind_model.cpp). It checks every argument, stages bulk data in the scratch
// buffer, makes one wasm call and copies results out.
import { describe, int, num, oneOf, options, seed } from './check.js';
import { fail } from './errors.js';
import { runFit } from './fit.js';
import { requireFinite, requireIds, requireShape, tensor } from './tensors.js';
import { TRAIN_KEYS, lossSlot, packTrainOptions } from './train_options.js';
import { disposeWithUsing, saveBytes } from './handle.js';
import { readWeights, writeWeights } from './weights.js';

/** Guards the constructors: models come from rnn.createModel() / rnn.loadModel(). */
export const INTERNAL = Symbol('rnnlab.internal');

const MODEL_KEYS = ['cell', 'gruVariant', 'inputSize', 'hiddenSize', 'outputSize', 'output', 'head',
  'vocabSize', 'inputEncoding', 'embeddingSize', 'dropout', 'seed'];
const CELLS = /** @type {const} */ (['rnn', 'lstm', 'gru']);
const GATE_NAMES = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] };

/**
 * Hidden sizes: a number or a non-empty array of at most 16 numbers, each in [1, 8192].
 * @param {unknown} v
 * @param {number[]} def
 */
export function hiddenSizes(v, def) {
  if (v === undefined) return def;
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length < 1 || list.length > 16) {
    fail('INVALID_CONFIG', 'hiddenSize', `must be a number or an array of 1 to 16 layer sizes, got ${describe(v)}`);
  }
  return list.map((h, i) => int(h, list.length > 1 || Array.isArray(v) ? `hiddenSize[${i}]` : 'hiddenSize', { min: 1, max: 8192 }));
}

/**
 * Checks createModel's options and renders them as the core's `key=value` config text
 * (config_from_pairs in model_file.h reads it).
 * @param {unknown} opts
 * @returns {string}
 */
export function modelConfigText(opts) {
  const o = options(opts, MODEL_KEYS, 'createModel');
  const cell = oneOf(o.cell, 'cell', CELLS, 'lstm');
  if (o.gruVariant !== undefined && cell !== 'gru') fail('INVALID_CONFIG', 'gruVariant', "applies to cell: 'gru' only");
  const gruVariant = oneOf(o.gruVariant, 'gruVariant', ['pytorch', 'classic'], 'pytorch');
  const tokens = o.vocabSize !== undefined;
  let inputEncoding;
  let inputSize = 1;
  let vocabSize = 0;
  if (tokens) {
    vocabSize = int(o.vocabSize, 'vocabSize', { min: 1, max: 1 << 20 });
    inputEncoding = oneOf(o.inputEncoding, 'inputEncoding', ['embedding', 'onehot'], 'embedding');
    if (o.inputSize !== undefined) {
      fail('INVALID_CONFIG', 'inputSize', 'does not apply to token input (vocabSize is set): omit it');
    }
  } else {
    if (o.inputEncoding !== undefined && o.inputEncoding !== 'features') {
      oneOf(o.inputEncoding, 'inputEncoding', ['features', 'embedding', 'onehot']);
      fail('INVALID_CONFIG', 'inputEncoding', `'${o.inputEncoding}' needs vocabSize (the number of token ids)`);
    }
    inputEncoding = 'features';
    inputSize = int(o.inputSize, 'inputSize', { min: 1, max: 65536, def: 1 });
  }
  if (o.embeddingSize !== undefined && inputEncoding !== 'embedding') {
    fail('INVALID_CONFIG', 'embeddingSize', "applies to inputEncoding: 'embedding' only");
  }
  const embeddingSize = int(o.embeddingSize, 'embeddingSize', { min: 1, max: 65536, def: 0 });
  const hidden = hiddenSizes(o.hiddenSize, [32]);
  const head = oneOf(o.head, 'head', ['linear', 'softmax'], 'linear');
  const outputSize = int(o.outputSize, 'outputSize', { min: 1, max: 1 << 20, def: head === 'softmax' && tokens ? vocabSize : 1 });
  if (head === 'softmax' && outputSize < 2) {
    fail('INVALID_CONFIG', 'outputSize', `a softmax head needs at least 2 classes, got ${outputSize}`);
  }
  const output = oneOf(o.output, 'output', ['last', 'sequence'], 'last');
  const dropout = num(o.dropout, 'dropout', { min: 0, max: 1, maxOpen: true, def: 0 });
  const s = seed(o.seed, 'seed', 42);
  return [
    `cell=${cell}`, `gru_variant=${gruVariant}`, `input_encoding=${inputEncoding}`, `input_size=${inputSize}`,
    `vocab_size=${vocabSize}`, `embedding_size=${embeddingSize}`, `hidden_sizes=${hidden.join(',')}`,
    `output_size=${outputSize}`, `output=${output}`, `head=${head}`, `dropout=${dropout}`, `seed=${s}`, '',
  ].join('\n');
}

/**
 * The core's config text -> the JS config (the options createModel would take to build the
 * same architecture; embeddingSize resolved).
 * @param {string} configText
 */
function configFromText(configText) {
  /** @type {Record<string, string>} */
  const kv = {};
  for (const line of configText.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const c = /** @type {Record<string, any>} */ ({ cell: kv.cell });
  if (kv.cell === 'gru') c.gruVariant = kv.gru_variant;
  c.inputEncoding = kv.input_encoding;
  if (kv.input_encoding === 'features') c.inputSize = Number(kv.input_size);
  else c.vocabSize = Number(kv.vocab_size);
  if (kv.input_encoding === 'embedding') c.embeddingSize = Number(kv.embedding_size);
  c.hiddenSize = kv.hidden_sizes.split(',').map(Number);
  c.outputSize = Number(kv.output_size);
  c.output = kv.output;
  c.head = kv.head;
  c.dropout = Number(kv.dropout);
  c.seed = Number(kv.seed);
  Object.freeze(c.hiddenSize);
  return Object.freeze(c);
}

/**
 * A recurrent model living in the WebAssembly heap. Create it with `rnn.createModel()` or
 * `rnn.loadModel()`; free it with `dispose()`.
 */
export class Model {
  #rt;
  #h;
  #id;
  /** @type {Readonly<Record<string, any>>} */
  #cfg;
  #metadata;
  #disposed = false;
  #fitting = false;

  /**
   * @param {symbol} token
   * @param {import('./runtime.js').Runtime} rt
   * @param {any} handle
   */
  constructor(token, rt, handle) {
    if (token !== INTERNAL) fail('INVALID_STATE', 'Model', 'use rnn.createModel() or rnn.loadModel() to make a model');
    const configText = handle._config();
    rt.check();
    this.#cfg = configFromText(configText);
    this.#metadata = handle._metadata();
    this.#rt = rt;
    this.#h = handle;
    this.#id = rt.track(this, handle);
  }

  #live() {
    if (this.#disposed) fail('DISPOSED', 'model', 'was disposed; create or load a new model');
    return this.#h;
  }

  #notFitting(what) {
    if (this.#fitting) fail('INVALID_STATE', what, 'cannot run while fit() is training this model');
  }

  get #tokens() {
    return this.#cfg.inputEncoding !== 'features';
  }

  /** The model's configuration (createModel's option names). */
  get config() {
    this.#live();
    return this.#cfg;
  }

  /** Number of trainable parameters. */
  get parameterCount() {
    return this.#live()._parameterCount();
  }

  /** The metadata string stored by save() ('' for a new model). */
  get metadata() {
    this.#live();
    return this.#metadata;
  }

  /** Whether dispose() was called. */
  get disposed() {
    return this.#disposed;
  }

  // ---- argument normalisation ----

  /** x -> {data, tokens, B, T} checked against the model's input. */
  #input(x, field = 'x') {
    const c = this.#cfg;
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
    const c = this.#cfg;
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
    const last = this.#cfg.output === 'last';
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
    const h = this.#live();
    this.#notFitting('trainBatch');
    const o = options(opts, [...TRAIN_KEYS, 'mask'], 'trainBatch');
    const packed = packTrainOptions(o, this.#cfg);
    const xin = this.#input(x);
    const mask = this.#mask(o.mask, xin.B, xin.T);
    const yt = this.#target(y, xin.B, xin.T, mask);
    const rt = this.#rt;
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
    const h = this.#live();
    this.#notFitting('fit');
    const d = options(data, ['x', 'y', 'mask'], 'fit (data)', 'data');
    if (d.x === undefined || d.y === undefined) fail('INVALID_ARGUMENT', 'data', 'fit() needs {x, y}');
    const xin = this.#input(d.x, 'x');
    const mask = this.#mask(d.mask, xin.B, xin.T);
    const yt = this.#target(d.y, xin.B, xin.T, mask);
    const rt = this.#rt;
    const M = rt.M;
    const T = xin.T;
    const xs = xin.data.length / xin.B; // values per sample
    const ys = yt.data.length / xin.B;
    const ms = mask ? mask.length / xin.B : 0;
    const packedBytes = 19 * 8;
    const align = (n) => Math.ceil(n / 16) * 16;
    // Copies the listed samples into scratch after the packed options: [opts | x | y | mask].
    const gather = (indices) => {
      const k = indices.length;
      const xb = align(k * xs * 4), yb = align(k * ys * 4);
      const base = rt.reserve(packedBytes + xb + yb + k * ms * 4);
      const px = base + packedBytes, py = px + xb, pm = mask ? py + yb : 0;
      let contiguous = true;
      for (let j = 1; j < k && contiguous; j++) contiguous = indices[j] === indices[0] + j;
      const copy = (src, per, at, heap) => {
        if (contiguous) {
          heap.set(src.subarray(indices[0] * per, (indices[0] + k) * per), at >> 2);
        } else {
          for (let j = 0; j < k; j++) heap.set(src.subarray(indices[j] * per, (indices[j] + 1) * per), (at >> 2) + j * per);
        }
      };
      copy(xin.data, xs, px, xin.tokens ? M.HEAP32 : M.HEAPF32);
      copy(yt.data, ys, py, yt.classes ? M.HEAP32 : M.HEAPF32);
      if (mask) copy(mask, ms, pm, M.HEAPF32);
      return { base, px, py, pm, k };
    };
    let range = new Int32Array(0);
    this.#fitting = true;
    try {
      return await runFit({
        count: xin.B,
        disposed: () => this.#disposed,
        train: (indices, packed) => {
          const g = gather(indices);
          M.HEAPF64.set(packed, g.base >> 3);
          h._trainBatch(g.px, xin.tokens, g.k, T, g.py, yt.classes, g.pm, g.base);
          rt.check();
          return rt.trainResult();
        },
        evaluate: (start, end, packed) => {
          if (range.length !== end - start) range = new Int32Array(end - start);
          for (let i = 0; i < range.length; i++) range[i] = start + i;
          const g = gather(range);
          // The fit's own loss (slot 14) and Huber delta (slot 15), see train_options.js.
          const loss = h._evaluate(g.px, xin.tokens, g.k, T, g.py, yt.classes, g.pm, packed[14], packed[15]);
          rt.check();
          return loss;
        },
      }, opts, this.#cfg);
    } finally {
      this.#fitting = false;
    }
  }

  /**
   * Mean loss over a batch without training.
   * @param {unknown} x
   * @param {unknown} y
   * @param {{mask?: unknown, loss?: string, huberDelta?: number}} [opts]
   */
  evaluate(x, y, opts) {
    const h = this.#live();
    const o = options(opts, ['mask', 'loss', 'huberDelta'], 'evaluate');
    const loss = lossSlot(o.loss, this.#cfg);
    if (o.huberDelta !== undefined && o.loss !== 'huber') fail('INVALID_CONFIG', 'huberDelta', "applies to loss: 'huber' only");
    const delta = num(o.huberDelta, 'huberDelta', { min: 0, minOpen: true, def: 1 });
    const xin = this.#input(x);
    const mask = this.#mask(o.mask, xin.B, xin.T);
    const yt = this.#target(y, xin.B, xin.T, mask);
    const [px, py, pm] = this.#rt.stage([xin.data, yt.data, mask]);
    const value = h._evaluate(px, xin.tokens, xin.B, xin.T, py, yt.classes, pm, loss, delta);
    this.#rt.check();
    return value;
  }

  // ---- inference ----

  /**
   * Batched inference from zero state: values (linear head) or probabilities (softmax).
   * @param {unknown} x
   * @returns {{data: Float32Array, shape: number[]}}
   */
  predict(x) {
    const h = this.#live();
    const xin = this.#input(x);
    const [px] = this.#rt.stage([xin.data]);
    const c = this.#cfg;
    const shape = c.output === 'last' ? [xin.B, c.outputSize] : [xin.B, xin.T, c.outputSize];
    const view = h._predict(px, xin.tokens, xin.B, xin.T);
    this.#rt.check();
    return { data: this.#rt.copy(view, shape.reduce((a, b) => a * b, 1)), shape };
  }

  /**
   * Zeroes the carried state for `batch` rows; step() then advances it one time step at a time.
   * @param {number} [batch]
   */
  resetState(batch = 1) {
    const h = this.#live();
    const b = int(batch, 'batch', { min: 1, max: 1 << 20 });
    h._resetState(b);
    this.#rt.check();
  }

  /**
   * Rows of the carried state that step() continues from; 0 when there is none (a new or
   * loaded model, or after training without `stateful: true`). resetState(b) makes it b,
   * stateful training the batch size, forecast() and generate() 1.
   */
  get stateBatch() {
    return this.#live()._stateBatch();
  }

  /**
   * One time step from the carried state: x is [batch, inputSize] floats or [batch] ids.
   * Returns the outputs [batch, outputSize] (probabilities for a softmax head).
   * @param {unknown} x
   * @returns {Float32Array}
   */
  step(x) {
    const h = this.#live();
    const B = h._stateBatch();
    if (B === 0) {
      fail('INVALID_STATE', 'state', 'there is no carried state: call resetState(batch) before step() (training without stateful: true ends the state)');
    }
    const c = this.#cfg;
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
    const [px] = this.#rt.stage([data]);
    const view = h._step(px, this.#tokens);
    this.#rt.check();
    return this.#rt.copy(view, B * c.outputSize);
  }

  /**
   * Autoregressive forecast: primes with `window` ([steps, inputSize], oldest first) and feeds
   * each prediction back as the next input. Returns `steps` predictions, [steps, outputSize].
   * @param {unknown} window
   * @param {number} steps
   * @returns {Float32Array}
   */
  forecast(window, steps) {
    const h = this.#live();
    const n = int(steps, 'steps', { min: 0, max: 1 << 24 });
    const c = this.#cfg;
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
    const [pw] = this.#rt.stage([data]);
    const view = h._forecast(pw, data.length / I, n);
    this.#rt.check();
    return this.#rt.copy(view, n * c.outputSize);
  }

  /**
   * Samples `length` token ids after priming with `prime` (token models with a softmax head).
   * @param {{prime: unknown, length: number, temperature?: number, topK?: number, topP?: number, seed?: number}} opts
   * @returns {Int32Array}
   */
  generate(opts) {
    const h = this.#live();
    const o = options(opts, ['prime', 'length', 'temperature', 'topK', 'topP', 'seed'], 'generate');
    if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'generate() needs {prime, length}');
    const prime = this.#prime(o.prime);
    const length = int(o.length, 'length', { min: 0, max: 1 << 24 });
    const temperature = num(o.temperature, 'temperature', { min: 0, minOpen: true, def: 1 });
    const topK = int(o.topK, 'topK', { min: 0, max: 0x7fffffff, def: 0 });
    const topP = num(o.topP, 'topP', { min: 0, max: 1, minOpen: true, def: 1 });
    const s = seed(o.seed, 'seed', 1);
    const [pp] = this.#rt.stage([prime]);
    const view = h._generate(pp, prime.length, length, temperature, topK, topP, s);
    this.#rt.check();
    return this.#rt.copy(view, length);
  }

  /**
   * The next-token distribution after `prime` (token models with a softmax head).
   * @param {unknown} prime
   * @param {{temperature?: number}} [opts]
   * @returns {Float32Array}
   */
  nextTokenProbabilities(prime, opts) {
    const h = this.#live();
    const o = options(opts, ['temperature'], 'nextTokenProbabilities');
    const ids = this.#prime(prime);
    const temperature = num(o.temperature, 'temperature', { min: 0, minOpen: true, def: 1 });
    const [pp] = this.#rt.stage([ids]);
    const view = h._nextTokenProbabilities(pp, ids.length, temperature);
    this.#rt.check();
    return this.#rt.copy(view, this.#cfg.outputSize);
  }

  #prime(v) {
    if (v === undefined) fail('INVALID_ARGUMENT', 'prime', 'is required: the token ids to start from');
    const t = tensor(v, 'prime', 'int');
    const ids = /** @type {Int32Array} */ (t.data);
    if (ids.length === 0) fail('INVALID_CONFIG', 'prime', 'needs at least one token to start from');
    // Token models check ids here; other models get the core's INVALID_STATE.
    if (this.#tokens) requireIds(ids, this.#cfg.vocabSize, 'prime', null, 'vocabSize');
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
    const h = this.#live();
    const o = options(opts, ['mask'], 'inspect');
    const xin = this.#input(x);
    const mask = y === undefined ? null : this.#mask(o.mask, xin.B, xin.T);
    if (y === undefined && o.mask !== undefined) fail('INVALID_CONFIG', 'mask', 'needs targets y');
    const yt = y === undefined ? null : this.#target(y, xin.B, xin.T, mask);
    const rt = this.#rt;
    const [px, py, pm] = rt.stage([xin.data, yt?.data ?? null, mask]);
    const r = h._inspect(px, xin.tokens, xin.B, xin.T, yt !== null, py, yt?.classes ?? false, pm);
    rt.check();
    const c = this.#cfg;
    const { B, T } = xin;
    const outShape = c.output === 'last' ? [B, c.outputSize] : [B, T, c.outputSize];
    const gates = GATE_NAMES[/** @type {'lstm' | 'gru' | 'rnn'} */ (c.cell)];
    const result = {
      loss: r.loss,
      output: { data: rt.copy(r.output, outShape.reduce((a, b) => a * b, 1)), shape: outShape },
      layers: r.layers.map((l) => ({
        hidden: l.hidden,
        h: { data: rt.copy(l.h, B * T * l.hidden), shape: [B, T, l.hidden] },
        c: l.c === null ? null : { data: rt.copy(l.c, B * T * l.hidden), shape: [B, T, l.hidden] },
        gates: { data: rt.copy(l.gates, B * T * gates.length * l.hidden), shape: [B, T, gates.length * l.hidden], names: gates.slice() },
        gradNorm: rt.copy(l.gradNorm, T),
      })),
    };
    h._releaseResults();
    return result;
  }

  // ---- weights and files ----

  /** Copies of every weight tensor in PyTorch's names and layouts. */
  getWeights() {
    return readWeights(this.#rt, this.#live());
  }

  /**
   * Sets every weight (bit-exact copies); names and shapes must match getWeights().
   * @param {unknown} weights
   */
  setWeights(weights) {
    const h = this.#live();
    this.#notFitting('setWeights');
    writeWeights(this.#rt, h, weights);
  }

  /**
   * The model as a versioned binary file (rnn.loadModel() reads it).
   * @param {{metadata?: string}} [opts] metadata: free text stored with the model (e.g. JSON)
   * @returns {Uint8Array}
   */
  save(opts) {
    return saveBytes(this.#rt, this.#live(), opts);
  }

  /** Frees the model's WebAssembly memory. Later use throws RnnlabError 'DISPOSED'. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#rt.release(this, this.#h, this.#id);
    this.#h = null;
  }
}

/** `using model = ...` disposes it at the end of the block. */
disposeWithUsing(Model);
