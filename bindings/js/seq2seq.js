// Seq2Seq: the public wrapper over the bound rnnlab::Seq2Seq (bindings/embind_seq2seq.cpp).
import { int, num, oneOf, options, seed } from './check.js';
import { fail } from './errors.js';
import { runFit } from './fit.js';
import { INTERNAL, hiddenSizes } from './model.js';
import { requireFinite, requireIds, requireShape, tensor } from './tensors.js';
import { TRAIN_KEYS, packTrainOptions } from './train_options.js';
import { disposeWithUsing, saveBytes } from './handle.js';
import { readWeights, writeWeights } from './weights.js';

const SEQ2SEQ_KEYS = ['cell', 'gruVariant', 'inputVocab', 'outputVocab', 'hiddenSize', 'embeddingSize', 'dropout', 'seed'];

/**
 * Checks createSeq2Seq's options; returns the arguments of the bound Seq2Seq._create.
 * @param {unknown} opts
 */
export function seq2seqArgs(opts) {
  if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'createSeq2Seq() needs {inputVocab, outputVocab, ...}');
  const o = options(opts, SEQ2SEQ_KEYS, 'createSeq2Seq');
  const cell = oneOf(o.cell, 'cell', ['rnn', 'lstm', 'gru'], 'gru');
  if (o.gruVariant !== undefined && cell !== 'gru') fail('INVALID_CONFIG', 'gruVariant', "applies to cell: 'gru' only");
  const gruVariant = oneOf(o.gruVariant, 'gruVariant', ['pytorch', 'classic'], 'pytorch');
  const inputVocab = int(o.inputVocab, 'inputVocab', { min: 1, max: 1 << 20 });
  const outputVocab = int(o.outputVocab, 'outputVocab', { min: 2, max: 1 << 20 });
  const embeddingSize = int(o.embeddingSize, 'embeddingSize', { min: 1, max: 65536, def: 0 });
  const hidden = hiddenSizes(o.hiddenSize, [64]);
  const dropout = num(o.dropout, 'dropout', { min: 0, max: 1, maxOpen: true, def: 0 });
  const s = seed(o.seed, 'seed', 42);
  return [cell, gruVariant, inputVocab, outputVocab, embeddingSize, hidden, dropout, s];
}

/**
 * An encoder-decoder model in the WebAssembly heap. Create it with `rnn.createSeq2Seq()`;
 * free it with `dispose()`.
 */
export class Seq2Seq {
  #rt;
  #h;
  #id;
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
    if (token !== INTERNAL) fail('INVALID_STATE', 'Seq2Seq', 'use rnn.createSeq2Seq() to make an encoder-decoder model');
    const c = handle._config();
    Object.freeze(c.hiddenSize);
    if (c.cell !== 'gru') delete c.gruVariant;
    this.#cfg = Object.freeze(c);
    this.#metadata = handle._metadata();
    this.#rt = rt;
    this.#h = handle;
    this.#id = rt.track(this, handle);
  }

  #live() {
    if (this.#disposed) fail('DISPOSED', 'model', 'was disposed; create a new model');
    return this.#h;
  }

  /** The model's configuration (createSeq2Seq's option names; embeddingSize 0 = automatic). */
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

  /** ids -> {data, B, T}; a flat array is one sequence. */
  #ids(v, field, vocab, what, mask = null) {
    const t = tensor(v, field, 'int');
    let shape = t.shape ?? [1, t.data.length];
    if (shape.length === 1) shape = [1, shape[0]];
    requireShape(shape, [null, null], field, '[batch, steps] token ids');
    if (t.data.length === 0) fail('SHAPE_MISMATCH', field, 'is empty; it needs at least one token id');
    requireIds(/** @type {Int32Array} */ (t.data), vocab, field, shape, what, mask);
    return { data: /** @type {Int32Array} */ (t.data), B: shape[0], T: shape[1] };
  }

  #mask(v, B, T) {
    if (v === undefined) return null;
    const t = tensor(v, 'mask', 'float');
    if (t.shape) requireShape(t.shape, [B, T], 'mask', '[batch, targetSteps]');
    else if (t.data.length !== B * T) fail('SHAPE_MISMATCH', 'mask', `has ${t.data.length} weights, expected ${B * T} = [batch, targetSteps]`);
    const data = /** @type {Float32Array} */ (t.data);
    requireFinite(data, 'mask', [B, T]);
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 0) fail('INVALID_CONFIG', 'mask', `weights must be >= 0 (0 for padded steps), got ${data[i]} at index ${i}`);
    }
    return data;
  }

  /** x, y, mask of one batch or dataset, checked against each other. */
  #pair(x, y, maskArg) {
    const c = this.#cfg;
    const src = this.#ids(x, 'x', c.inputVocab, 'inputVocab');
    // The mask needs y's shape first; ids under mask 0 (padding) may be anything.
    const yt = tensor(y, 'y', 'int');
    let yShape = yt.shape ?? [1, yt.data.length];
    if (yShape.length === 1) yShape = [1, yShape[0]];
    requireShape(yShape, [src.B, null], 'y', `[batch ${src.B}, targetSteps] token ids (one row per source row)`);
    const mask = this.#mask(maskArg, yShape[0], yShape[1]);
    requireIds(/** @type {Int32Array} */ (yt.data), c.outputVocab, 'y', yShape, 'outputVocab', mask);
    return { src, tgt: { data: /** @type {Int32Array} */ (yt.data), B: yShape[0], T: yShape[1] }, mask };
  }

  /**
   * One optimizer step with teacher forcing (one wasm call); returns the batch's mean loss.
   * @param {unknown} x source ids [batch, sourceSteps] (left-pad shorter sources)
   * @param {unknown} y target ids [batch, targetSteps]
   * @param {Record<string, any>} [opts]
   */
  trainBatch(x, y, opts) {
    const h = this.#live();
    if (this.#fitting) fail('INVALID_STATE', 'trainBatch', 'cannot run while fit() is training this model');
    const o = options(opts, [...TRAIN_KEYS, 'mask'], 'trainBatch');
    const packed = packTrainOptions(o, { seq2seq: true });
    const { src, tgt, mask } = this.#pair(x, y, o.mask);
    const [ps, pt, pm, po] = this.#rt.stage([src.data, tgt.data, mask, packed]);
    const loss = h._trainBatch(ps, src.B, src.T, pt, tgt.T, pm, po);
    this.#rt.check();
    return loss;
  }

  /**
   * Mean cross-entropy over a batch without training.
   * @param {unknown} x
   * @param {unknown} y
   * @param {{mask?: unknown}} [opts]
   */
  evaluate(x, y, opts) {
    const h = this.#live();
    const o = options(opts, ['mask'], 'evaluate');
    const { src, tgt, mask } = this.#pair(x, y, o.mask);
    const [ps, pt, pm] = this.#rt.stage([src.data, tgt.data, mask]);
    const loss = h._evaluate(ps, src.B, src.T, pt, tgt.T, pm);
    this.#rt.check();
    return loss;
  }

  /**
   * Trains over a dataset of (source, target) pairs; resolves with the loss history.
   * @param {{x: unknown, y: unknown, mask?: unknown}} data
   * @param {Record<string, any>} [opts]
   */
  async fit(data, opts) {
    const h = this.#live();
    if (this.#fitting) fail('INVALID_STATE', 'fit', 'cannot run while fit() is training this model');
    const d = options(data, ['x', 'y', 'mask'], 'fit (data)', 'data');
    if (d.x === undefined || d.y === undefined) fail('INVALID_ARGUMENT', 'data', 'fit() needs {x, y}');
    const { src, tgt, mask } = this.#pair(d.x, d.y, d.mask);
    const rt = this.#rt;
    const M = rt.M;
    const align = (n) => Math.ceil(n / 16) * 16;
    const packedBytes = 19 * 8;
    // [opts | src | tgt | mask] of the listed samples.
    const gather = (indices) => {
      const k = indices.length;
      const sb = align(k * src.T * 4), tb = align(k * tgt.T * 4);
      const base = rt.reserve(packedBytes + sb + tb + (mask ? k * tgt.T * 4 : 0));
      const ps = base + packedBytes, pt = ps + sb, pm = mask ? pt + tb : 0;
      for (let j = 0; j < k; j++) {
        const i = indices[j];
        M.HEAP32.set(src.data.subarray(i * src.T, (i + 1) * src.T), (ps >> 2) + j * src.T);
        M.HEAP32.set(tgt.data.subarray(i * tgt.T, (i + 1) * tgt.T), (pt >> 2) + j * tgt.T);
        if (mask) M.HEAPF32.set(mask.subarray(i * tgt.T, (i + 1) * tgt.T), (pm >> 2) + j * tgt.T);
      }
      return { base, ps, pt, pm, k };
    };
    let range = new Int32Array(0);
    this.#fitting = true;
    try {
      return await runFit({
        count: src.B,
        disposed: () => this.#disposed,
        train: (indices, packed) => {
          const g = gather(indices);
          M.HEAPF64.set(packed, g.base >> 3);
          h._trainBatch(g.ps, g.k, src.T, g.pt, tgt.T, g.pm, g.base);
          rt.check();
          return rt.trainResult();
        },
        evaluate: (start, end) => {
          if (range.length !== end - start) range = new Int32Array(end - start);
          for (let i = 0; i < range.length; i++) range[i] = start + i;
          const g = gather(range);
          const loss = h._evaluate(g.ps, g.k, src.T, g.pt, tgt.T, g.pm);
          rt.check();
          return loss;
        },
      }, opts, { seq2seq: true });
    } finally {
      this.#fitting = false;
    }
  }

  /**
   * Greedy decoding. One sequence (a flat array) -> an Int32Array of the emitted ids (ending
   * with stopToken if it was emitted); a batch ({data, shape: [batch, steps]} or nested
   * arrays) -> {data, shape: [batch, maxLength]} with -1 after each row's stop token.
   * @param {unknown} ids source ids (left-padded like the training sources)
   * @param {{maxLength?: number, stopToken?: number}} [opts]
   */
  translate(ids, opts) {
    const h = this.#live();
    const o = options(opts, ['maxLength', 'stopToken'], 'translate');
    const c = this.#cfg;
    const maxLength = int(o.maxLength, 'maxLength', { min: 1, max: 65536, def: 32 });
    const stopToken = int(o.stopToken, 'stopToken', { min: -1, max: c.outputVocab - 1, def: -1 });
    const single = !(ids !== null && typeof ids === 'object' && 'data' in ids) &&
      !(Array.isArray(ids) && ids.length > 0 && Array.isArray(ids[0]));
    const src = this.#ids(ids, 'ids', c.inputVocab, 'inputVocab');
    const [ps] = this.#rt.stage([src.data]);
    const view = h._translate(ps, src.B, src.T, maxLength, stopToken);
    this.#rt.check();
    const out = this.#rt.copy(view, src.B * maxLength);
    if (!single) return { data: out, shape: [src.B, maxLength] };
    let n = out.indexOf(-1);
    if (n < 0) n = out.length;
    return out.slice(0, n);
  }

  /** Copies of every weight tensor (encoder.*, decoder.*, head.*). */
  getWeights() {
    return readWeights(this.#rt, this.#live());
  }

  /**
   * Sets every weight (bit-exact copies); names and shapes must match getWeights().
   * @param {unknown} weights
   */
  setWeights(weights) {
    const h = this.#live();
    if (this.#fitting) fail('INVALID_STATE', 'setWeights', 'cannot run while fit() is training this model');
    writeWeights(this.#rt, h, weights);
  }

  /**
   * The model as a versioned binary file (kind 1; rnn.loadSeq2Seq() reads it).
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
disposeWithUsing(Seq2Seq);
