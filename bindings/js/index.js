// rnnlab: recurrent networks (RNN, LSTM, GRU, encoder-decoder) in WebAssembly.
//
//   import { init } from 'rnnlab';
//   const rnn = await init();
//   const model = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 32 });
//
// init() loads one WebAssembly module per realm (page, worker, Node process); everything
// else hangs off the object it resolves with.
import { describe, options } from './check.js';
import { ERROR_CODES, RnnlabError, fail } from './errors.js';
import { initPlan, instantiate, simdSupported } from './loader.js';
import { makeData } from './data.js';
import { Forecaster, loadForecaster } from './forecaster/forecaster.js';
import { INTERNAL, Model, modelConfigText } from './model.js';
import { Runtime } from './runtime.js';
import { Seq2Seq, seq2seqConfigText } from './seq2seq.js';

/** The package version (also the version of the core the wasm was built from). */
export const VERSION = '0.1.0';

/** @type {Map<string, Promise<Rnnlab>>} one load per build and realm */
const loads = new Map();

/**
 * Loads the WebAssembly module (once per realm and build) and resolves with the API.
 * Threads: where SharedArrayBuffer exists and the page is cross-origin isolated (always in
 * Node), the SIMD build with a pool of `threads` (default 'auto': the reported cores, at
 * most 4) splits the large products; results are identical to one thread.
 * @param {{simd?: boolean | 'auto', threads?: number | 'auto',
 *   locateFile?: (path: string, prefix: string) => string,
 *   wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array}} [opts]
 * @returns {Promise<Rnnlab>}
 */
export function init(opts) {
  let plan;
  try {
    plan = initPlan(opts);
  } catch (e) {
    return Promise.reject(e);
  }
  const key = `${plan.variant}:${plan.threads}`;
  let loading = loads.get(key);
  if (!loading) {
    loading = load(plan);
    loads.set(key, loading);
    // A failed load may be retried (e.g. after building the wasm).
    loading.catch(() => loads.delete(key));
  }
  return loading;
}

async function load(plan) {
  // Fallbacks, silently: the threads build (with threads 'auto') by the single-thread SIMD
  // build, which (with simd 'auto') by the baseline build.
  const order = [plan.variant];
  if (plan.variant === 'simd-threads' && plan.autoThreads) order.push('simd');
  if (plan.auto && order.at(-1) === 'simd') order.push('baseline');
  let M, variant, firstError;
  for (const v of order) {
    try {
      M = await instantiate(v, plan.o, v === 'simd-threads' ? plan.threads : 1);
      variant = v;
      break;
    } catch (e) {
      firstError ??= e;
    }
  }
  if (!M) throw firstError;
  const core = M._version();
  if (core !== VERSION) {
    fail('LOAD_FAILED', '', `the WebAssembly module is rnnlab ${core} but the JS layer is ${VERSION}; rebuild with npm run build:wasm`);
  }
  return new Rnnlab(INTERNAL, M, variant);
}

/**
 * The API of one loaded module (what init() resolves with).
 */
export class Rnnlab {
  #rt;
  #data;

  /**
   * @param {symbol} token
   * @param {any} M
   * @param {'simd' | 'baseline' | 'simd-threads'} variant
   */
  constructor(token, M, variant) {
    if (token !== INTERNAL) fail('INVALID_STATE', 'Rnnlab', 'use init() to load rnnlab');
    this.#rt = new Runtime(M, variant);
    this.#data = makeData(this.#rt);
  }

  /** The package version, e.g. '0.1.0'. */
  get version() {
    return VERSION;
  }

  /** Whether the SIMD build (with or without threads) is loaded. */
  get simd() {
    return this.#rt.variant === 'simd' || this.#rt.variant === 'simd-threads';
  }

  /** Threads of the core's pool (1 unless the threads build is loaded). */
  get threads() {
    return this.#rt.M._threads();
  }

  /** Name of the kernel set the core runs ('wasmsimd' in the SIMD build, 'portable' otherwise). */
  get kernel() {
    return this.#rt.M._kernelName();
  }

  /** Details of the loaded build: {variant, kernel, gemm, simdKernels, simdSupported}. */
  get build() {
    const M = this.#rt.M;
    return {
      variant: this.#rt.variant,
      kernel: M._kernelName(),
      gemm: M._gemmName(),
      simdKernels: M._kernelIsSimd(),
      simdSupported: simdSupported(),
    };
  }

  /** Current size of the WebAssembly memory in bytes (it grows, never shrinks). */
  memoryBytes() {
    return this.#rt.memoryBytes();
  }

  /**
   * Heap statistics: memory size, bytes malloc has handed out and holds, the scratch
   * buffer's size and the number of live (not disposed, not collected) models.
   */
  heapStats() {
    const s = this.#rt.M._heapStats();
    return {
      memoryBytes: this.#rt.memoryBytes(),
      inUseBytes: s.inUseBytes,
      heapBytes: s.heapBytes,
      scratchBytes: s.scratchBytes,
      liveHandles: this.#rt.live.size,
    };
  }

  /**
   * The core's size caps: `maxParameters` (a model or Seq2Seq with more parameters is refused
   * with TOO_LARGE) and `maxActivations` (values one batch may cache for backpropagation).
   * @returns {Readonly<{maxParameters: number, maxActivations: number}>}
   */
  get limits() {
    return this.#rt.schema.limits;
  }

  /**
   * The number of parameters a configuration describes, counted by the core without building
   * it (what `parameterCount` of the model would report). Options are checked as by
   * createModel() (createSeq2Seq() with `{seq2seq: true}`), except the cap: a count above
   * `limits.maxParameters` is returned, so a caller can refuse it before creating anything.
   * @param {Record<string, any>} opts
   * @param {{seq2seq?: boolean}} [kind]
   * @returns {number}
   */
  parameterCount(opts, kind) {
    const k = options(kind, ['seq2seq'], 'parameterCount', 'kind');
    if (k.seq2seq !== undefined && typeof k.seq2seq !== 'boolean') {
      fail('INVALID_CONFIG', 'seq2seq', `must be true or false, got ${describe(k.seq2seq)}`);
    }
    const rt = this.#rt;
    const text = k.seq2seq ? seq2seqConfigText(rt.schema, opts) : modelConfigText(rt.schema, opts);
    const n = (k.seq2seq ? rt.M.Seq2Seq : rt.M.Model)._countParameters(text);
    rt.check();
    return n;
  }

  /** The data helpers: windows, normalizer, split, charVocab, parseCsv. */
  get data() {
    return this.#data;
  }

  /**
   * Creates a model; see the README for the options.
   * @param {Record<string, any>} [opts]
   * @returns {Model}
   */
  createModel(opts) {
    const text = modelConfigText(this.#rt.schema, opts);
    const h = this.#rt.M.Model._create(text);
    this.#rt.check();
    return this.#wrap(Model, h);
  }

  /**
   * Loads a model saved by model.save().
   * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
   * @returns {Model}
   */
  loadModel(bytes) {
    const h = this.#load(this.#rt.M.Model, bytes);
    return this.#wrap(Model, h);
  }

  /**
   * Loads an encoder-decoder model saved by seq2seq.save().
   * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
   * @returns {Seq2Seq}
   */
  loadSeq2Seq(bytes) {
    const h = this.#load(this.#rt.M.Seq2Seq, bytes);
    return this.#wrap(Seq2Seq, h);
  }

  #load(cls, bytes) {
    let u8;
    if (bytes instanceof Uint8Array) u8 = bytes;
    else if (bytes instanceof ArrayBuffer) u8 = new Uint8Array(bytes);
    else if (ArrayBuffer.isView(bytes)) u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else fail('INVALID_ARGUMENT', 'bytes', `must be a Uint8Array or an ArrayBuffer (what save() returns), got ${describe(bytes)}`);
    const rt = this.#rt;
    const [p] = rt.stage([u8]);
    const h = cls._load(p, u8.length);
    rt.check();
    return h;
  }

  /**
   * Loads an ONNX model (rnnlab's own exports, torch.onnx.export of nn.RNN/LSTM/GRU with an
   * optional nn.Embedding and an nn.Linear head, ...) as a new Model that predicts and trains
   * like any other (its optimizer state starts fresh). Anything outside what rnnlab computes
   * (bidirectional layers, peepholes, other activations, clip, other operators) is refused
   * with an RnnlabError naming the node and attribute. The reader loads on first use (hence a
   * Promise).
   * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes the .onnx file
   * @returns {Promise<Model>}
   */
  loadOnnx(bytes) {
    return import('./interop/onnx_import.js').then((m) => this.#adopt(m.readOnnx(bytes)));
  }

  /**
   * Loads a Keras / TensorFlow.js LayersModel (model.json and its weight bytes) as a new Model,
   * Keras's default reset_after=True GRU included. The optimizer state starts fresh.
   * @param {Record<string, any> | string} modelJson the parsed model.json (or its text)
   * @param {Uint8Array | ArrayBuffer | (Uint8Array | ArrayBuffer)[]} weights the weight files
   *   of its weightsManifest, in manifest order (one buffer, or one per file)
   * @returns {Promise<Model>}
   */
  loadKeras(modelJson, weights) {
    return import('./interop/keras_import.js').then((m) => this.#adopt(m.readKeras(modelJson, weights)));
  }

  /** A new Model from an imported configuration and weights. */
  #adopt({ config, weights }) {
    const model = this.createModel(config);
    try {
      model.setWeights(weights);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  }

  /**
   * Creates an encoder-decoder model.
   * @param {Record<string, any>} opts
   * @returns {Seq2Seq}
   */
  createSeq2Seq(opts) {
    const text = seq2seqConfigText(this.#rt.schema, opts);
    const h = this.#rt.M.Seq2Seq._create(text);
    this.#rt.check();
    return this.#wrap(Seq2Seq, h);
  }

  /**
   * Creates an automatic forecaster (season, transform, members and intervals chosen on an
   * inner validation when fit() runs; options override the choices).
   * @param {Record<string, any>} [opts]
   * @returns {Forecaster}
   */
  createForecaster(opts) {
    return new Forecaster(this, opts);
  }

  /**
   * Loads a forecaster saved by forecaster.save().
   * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
   * @returns {Forecaster}
   */
  loadForecaster(bytes) {
    return loadForecaster(this, bytes);
  }

  /** Disposes every live model of this module; returns how many there were. */
  disposeAll() {
    return this.#rt.disposeAll();
  }

  #wrap(Cls, h) {
    try {
      return new Cls(INTERNAL, this.#rt, h);
    } catch (e) {
      h.delete();
      throw e;
    }
  }
}

export { ERROR_CODES, Forecaster, Model, RnnlabError, Seq2Seq };
export { CharVocab, Normalizer } from './data.js';
