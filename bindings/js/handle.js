// ModelHandle: what Model and Seq2Seq do alike with their C++ handle (bindings/handle.h):
// configuration, parameter count, metadata, weights, model files, disposal, the guard against
// calls during fit(), fit()'s batches in scratch, and reading inspect()'s layer traces.
import { options, text } from './check.js';
import { fail } from './errors.js';
import { runFit } from './fit.js';
import { configView } from './schema.js';
import { readWeights, writeWeights } from './weights.js';

/** Guards the constructors: models come from rnn.createModel() / loadModel() / createSeq2Seq(). */
export const INTERNAL = Symbol('rnnlab.internal');
// What the subclasses reach of the base (module-private symbols, not part of the API).
export const LIVE = Symbol('live');
export const RT = Symbol('runtime');
export const CFG = Symbol('config');
export const NOT_FITTING = Symbol('notFitting');
export const FIT = Symbol('fit');
export const TRACES = Symbol('traces');

/** Gate names per cell, in the order of the gate activations inspect() returns. */
const GATE_NAMES = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'], rnn: ['h'] };

/**
 * @typedef {object} FitArray one per-sample array of a dataset, copied into scratch per batch
 * @property {Float32Array | Int32Array} data [count, per]
 * @property {number} per values per sample
 */

export class ModelHandle {
  #rt;
  #h;
  #id;
  /** @type {Readonly<Record<string, any>>} */
  #cfg;
  #metadata;
  #disposed = false;
  #fitting = false;
  #again;

  /**
   * @param {import('./runtime.js').Runtime} rt
   * @param {any} handle the embind object
   * @param {readonly import('./schema.js').Field[]} table the schema table of its configuration
   * @param {string} again what to do after dispose() (for the DISPOSED message)
   */
  constructor(rt, handle, table, again) {
    const configText = handle._config();
    rt.check();
    this.#cfg = configView(table, configText);
    this.#metadata = handle._metadata();
    this.#rt = rt;
    this.#h = handle;
    this.#again = again;
    this.#id = rt.track(this, handle);
  }

  /** The embind handle; throws DISPOSED after dispose(). */
  [LIVE]() {
    if (this.#disposed) fail('DISPOSED', 'model', `was disposed; ${this.#again}`);
    return this.#h;
  }

  get [RT]() {
    return this.#rt;
  }

  get [CFG]() {
    return this.#cfg;
  }

  /** @param {string} what */
  [NOT_FITTING](what) {
    if (this.#fitting) fail('INVALID_STATE', what, 'cannot run while fit() is training this model');
  }

  /** The model's configuration (the creating function's option names). */
  get config() {
    this[LIVE]();
    return this.#cfg;
  }

  /** Number of trainable parameters. */
  get parameterCount() {
    return this[LIVE]()._parameterCount();
  }

  /** The metadata string stored by save() ('' for a new model). */
  get metadata() {
    this[LIVE]();
    return this.#metadata;
  }

  /** Whether dispose() was called. */
  get disposed() {
    return this.#disposed;
  }

  /** Copies of every weight tensor (PyTorch's names and layouts). */
  getWeights() {
    return readWeights(this.#rt, this[LIVE]());
  }

  /**
   * Sets every weight (bit-exact copies); names and shapes must match getWeights().
   * @param {unknown} weights
   */
  setWeights(weights) {
    const h = this[LIVE]();
    this[NOT_FITTING]('setWeights');
    writeWeights(this.#rt, h, weights);
  }

  /**
   * The model as a versioned binary file (rnn.loadModel() / loadSeq2Seq() reads it).
   * @param {{metadata?: string}} [opts] metadata: free text stored with the model (e.g. JSON)
   * @returns {Uint8Array}
   */
  save(opts) {
    const h = this[LIVE]();
    const o = options(opts, ['metadata'], 'save');
    const metadata = o.metadata === undefined ? '' : text(o.metadata, 'metadata');
    const view = h._save(metadata);
    this.#rt.check();
    const bytes = this.#rt.copy(view);
    h._releaseResults();
    return bytes;
  }

  /** Frees the model's WebAssembly memory. Later use throws RnnlabError 'DISPOSED'. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#rt.release(this, this.#h, this.#id);
    this.#h = null;
  }

  /**
   * Copies the layer traces of an inspect() call out of the wasm heap (before the handle's
   * next call; the caller then releases the results).
   * @param {{hidden: number, h: Float32Array, c: Float32Array | null, gates: Float32Array, gradNorm: Float32Array}[]} layers
   *   the views `layer_trace_views` made (bindings/boundary.h)
   * @param {number} B batch
   * @param {number} T steps of these layers
   * @returns {import('../types/index.js').LayerInspection[]}
   */
  [TRACES](layers, B, T) {
    const rt = this.#rt;
    const names = GATE_NAMES[/** @type {'lstm' | 'gru' | 'rnn'} */ (this.#cfg.cell)];
    return layers.map((l) => ({
      hidden: l.hidden,
      h: { data: rt.copy(l.h, B * T * l.hidden), shape: [B, T, l.hidden] },
      c: l.c === null ? null : { data: rt.copy(l.c, B * T * l.hidden), shape: [B, T, l.hidden] },
      gates: { data: rt.copy(l.gates, B * T * names.length * l.hidden), shape: [B, T, names.length * l.hidden], names: names.slice() },
      gradNorm: rt.copy(l.gradNorm, T),
    }));
  }

  /**
   * fit() over a checked dataset: each batch's rows of every array are copied into scratch
   * after the packed training options, then one wasm call trains on them.
   * @param {number} count samples
   * @param {(FitArray | null)[]} arrays per-sample arrays (null: absent, address 0)
   * @param {Record<string, any> | undefined} opts fit's options
   * @param {{head?: 'linear' | 'softmax', seq2seq?: boolean}} model what the options apply to
   * @param {(addresses: number[], k: number, options: number) => void} train one step on k samples
   * @param {(addresses: number[], k: number, slots: Float64Array) => number} evaluate their loss
   */
  async [FIT](count, arrays, opts, model, train, evaluate) {
    const rt = this.#rt;
    const M = rt.M;
    const optionBytes = rt.schema.trainOptions.length * 8;
    const align = (/** @type {number} */ n) => Math.ceil(n / 16) * 16;
    // [options | array 0 | array 1 | ...] for the listed samples.
    const gather = (/** @type {Int32Array} */ indices) => {
      const k = indices.length;
      const offsets = [];
      let bytes = optionBytes;
      for (const a of arrays) {
        offsets.push(bytes);
        if (a) bytes += align(k * a.per * 4);
      }
      const base = rt.reserve(bytes);
      let contiguous = true;
      for (let j = 1; j < k && contiguous; j++) contiguous = indices[j] === indices[0] + j;
      const addresses = arrays.map((a, n) => {
        if (!a) return 0;
        const at = base + offsets[n];
        const heap = a.data instanceof Int32Array ? M.HEAP32 : M.HEAPF32;
        const per = a.per;
        if (contiguous) heap.set(a.data.subarray(indices[0] * per, (indices[0] + k) * per), at >> 2);
        else for (let j = 0; j < k; j++) heap.set(a.data.subarray(indices[j] * per, (indices[j] + 1) * per), (at >> 2) + j * per);
        return at;
      });
      return { base, addresses, k };
    };
    let range = new Int32Array(0);
    this.#fitting = true;
    try {
      return await runFit({
        count,
        disposed: () => this.#disposed,
        train: (indices, slots) => {
          const g = gather(indices);
          M.HEAPF64.set(slots, g.base >> 3);
          train(g.addresses, g.k, g.base);
          rt.check();
          return rt.trainResult();
        },
        evaluate: (start, end, slots) => {
          if (range.length !== end - start) range = new Int32Array(end - start);
          for (let i = 0; i < range.length; i++) range[i] = start + i;
          const g = gather(range);
          const loss = evaluate(g.addresses, g.k, slots);
          rt.check();
          return loss;
        },
      }, opts, model, rt.schema);
    } finally {
      this.#fitting = false;
    }
  }
}

// `using model = ...` calls model.dispose() at the end of the block, where the runtime has
// Symbol.dispose (explicit resource management).
if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(ModelHandle.prototype, Symbol.dispose, {
    value: function dispose() {
      this.dispose();
    },
  });
}
