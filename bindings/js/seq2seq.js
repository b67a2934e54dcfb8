// Seq2Seq: the public wrapper over the bound rnnlab::Seq2Seq (bindings/embind_seq2seq.cpp);
// what it shares with Model lives in ModelHandle (handle.js), its options come from the
// schema (schema.js).
import { int, options } from './check.js';
import { fail } from './errors.js';
import { CFG, FIT, INTERNAL, LIVE, ModelHandle, NOT_FITTING, RT, TRACES } from './handle.js';
import { configText, packTrainOptions, readConfig } from './schema.js';
import { requireFinite, requireIds, requireShape, tensor } from './tensors.js';

/**
 * Checks createSeq2Seq's options against the schema's seq2seq table and renders them as the
 * core's config text (the protocol Model uses too).
 * @param {import('./schema.js').Schema} schema
 * @param {unknown} opts
 * @returns {string}
 */
export function seq2seqConfigText(schema, opts) {
  if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'createSeq2Seq() needs {inputVocab, outputVocab, ...}');
  const table = schema.seq2seqConfig;
  const o = options(opts, table.map((f) => f.api), 'createSeq2Seq');
  return configText(table, readConfig(table, o));
}

/**
 * An encoder-decoder model in the WebAssembly heap. Create it with `rnn.createSeq2Seq()`;
 * free it with `dispose()`.
 */
export class Seq2Seq extends ModelHandle {
  /**
   * @param {symbol} token
   * @param {import('./runtime.js').Runtime} rt
   * @param {any} handle
   */
  constructor(token, rt, handle) {
    if (token !== INTERNAL) fail('INVALID_STATE', 'Seq2Seq', 'use rnn.createSeq2Seq() to make an encoder-decoder model');
    super(rt, handle, rt.schema.seq2seqConfig, 'create a new model');
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
    const c = this[CFG];
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
    const h = this[LIVE]();
    this[NOT_FITTING]('trainBatch');
    const o = options(opts, [...this[RT].schema.trainKeys, 'mask'], 'trainBatch');
    const packed = packTrainOptions(this[RT].schema, o, { seq2seq: true }).slots;
    const { src, tgt, mask } = this.#pair(x, y, o.mask);
    const [ps, pt, pm, po] = this[RT].stage([src.data, tgt.data, mask, packed]);
    const loss = h._trainBatch(ps, src.B, src.T, pt, tgt.T, pm, po);
    this[RT].check();
    return loss;
  }

  /**
   * Mean cross-entropy over a batch without training.
   * @param {unknown} x
   * @param {unknown} y
   * @param {{mask?: unknown}} [opts]
   */
  evaluate(x, y, opts) {
    const h = this[LIVE]();
    const o = options(opts, ['mask'], 'evaluate');
    const { src, tgt, mask } = this.#pair(x, y, o.mask);
    const [ps, pt, pm] = this[RT].stage([src.data, tgt.data, mask]);
    const loss = h._evaluate(ps, src.B, src.T, pt, tgt.T, pm);
    this[RT].check();
    return loss;
  }

  /**
   * Trains over a dataset of (source, target) pairs; resolves with the loss history.
   * @param {{x: unknown, y: unknown, mask?: unknown}} data
   * @param {Record<string, any>} [opts]
   */
  async fit(data, opts) {
    const h = this[LIVE]();
    this[NOT_FITTING]('fit');
    const d = options(data, ['x', 'y', 'mask'], 'fit (data)', 'data');
    if (d.x === undefined || d.y === undefined) fail('INVALID_ARGUMENT', 'data', 'fit() needs {x, y}');
    const { src, tgt, mask } = this.#pair(d.x, d.y, d.mask);
    const arrays = [{ data: src.data, per: src.T }, { data: tgt.data, per: tgt.T }, mask && { data: mask, per: tgt.T }];
    return this[FIT](src.B, arrays, opts, { seq2seq: true },
      ([ps, pt, pm], k, po) => h._trainBatch(ps, k, src.T, pt, tgt.T, pm, po),
      ([ps, pt, pm], k) => h._evaluate(ps, k, src.T, pt, tgt.T, pm));
  }

  /**
   * Greedy decoding. One sequence (a flat array) -> an Int32Array of the emitted ids (ending
   * with stopToken if it was emitted); a batch ({data, shape: [batch, steps]} or nested
   * arrays) -> {data, shape: [batch, maxLength]} with -1 after each row's stop token.
   * @param {unknown} ids source ids (left-padded like the training sources)
   * @param {{maxLength?: number, stopToken?: number}} [opts]
   */
  translate(ids, opts) {
    const h = this[LIVE]();
    const table = this[RT].schema.translateOptions;
    const o = options(opts, table.map((f) => f.api), 'translate');
    const c = this[CFG];
    const { maxLength, stopToken } = this.#greedyOptions(o);
    const single = !(ids !== null && typeof ids === 'object' && 'data' in ids) &&
      !(Array.isArray(ids) && ids.length > 0 && Array.isArray(ids[0]));
    const src = this.#ids(ids, 'ids', c.inputVocab, 'inputVocab');
    const [ps] = this[RT].stage([src.data]);
    const view = h._translate(ps, src.B, src.T, maxLength, stopToken);
    this[RT].check();
    const out = this[RT].copy(view, src.B * maxLength);
    if (!single) return { data: out, shape: [src.B, maxLength] };
    let n = out.indexOf(-1);
    if (n < 0) n = out.length;
    return out.slice(0, n);
  }

  /**
   * The encoder and the decoder as two ONNX models (opset 14). The encoder takes 'source'
   * ([batch, sourceSteps] int32) and returns its final state per layer (hn_l<k>, cn_l<k> for an
   * LSTM); the decoder takes 'x' ([batch, steps] int32: the start token `startToken`, then the
   * tokens chosen so far) and h0_l<k>/c0_l<k> (the encoder's final state to begin with) and
   * returns 'y' (next-token probabilities) and its own final state. `chaining` says how to run
   * them as translate() does. The converter loads on first use (hence a Promise).
   * @returns {Promise<{encoder: Uint8Array, decoder: Uint8Array, startToken: number, chaining: string}>}
   */
  exportOnnx() {
    try {
      const c = this.config;
      const w = this.getWeights();
      return import('./interop/onnx_export.js').then((m) => m.seq2seqToOnnx(c, w));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** translate()'s maxLength and stopToken from checked options, defaults filled in. */
  #greedyOptions(o) {
    const { max_length: maxLength, stop_token: stopToken } = readConfig(this[RT].schema.translateOptions, o);
    // The table bounds the stop token by int32; the model by its vocabulary.
    int(stopToken, 'stopToken', { max: this[CFG].outputVocab - 1 });
    return { maxLength, stopToken };
  }

  /**
   * Forward and backward over one batch, returning what both networks did (all batch-major):
   * the loss, the decoder's probabilities and, per layer of the encoder (over the source
   * steps) and of the decoder (over the target steps), the states, gates and per-step
   * ||dL/dh_t||. With y the loss is evaluate()'s and the gradient training's (teacher
   * forcing); without y the target is the greedy translation (maxLength, stopToken as in
   * translate()), so the gradient is that of its negative log-likelihood.
   * @param {unknown} x source ids [batch, sourceSteps] (a flat array is one sequence)
   * @param {unknown} [y] target ids [batch, targetSteps]
   * @param {{mask?: unknown, maxLength?: number, stopToken?: number}} [opts]
   */
  inspect(x, y, opts) {
    const h = this[LIVE]();
    const table = this[RT].schema.translateOptions;
    const o = options(opts, ['mask', ...table.map((f) => f.api)], 'inspect');
    let src;
    let tgt = null;
    let mask = null;
    let greedy = { maxLength: 0, stopToken: -1 };
    if (y === undefined) {
      src = this.#ids(x, 'x', this[CFG].inputVocab, 'inputVocab');
      if (o.mask !== undefined) fail('INVALID_CONFIG', 'mask', 'needs targets y (without them, inspect() scores the greedy translation)');
      greedy = this.#greedyOptions(o);
    } else {
      for (const f of table) {
        if (o[f.api] !== undefined) fail('INVALID_CONFIG', f.api, 'applies only without targets y (to the greedy translation inspect() then scores)');
      }
      ({ src, tgt, mask } = this.#pair(x, y, o.mask));
    }
    const rt = this[RT];
    const [ps, pt, pm] = rt.stage([src.data, tgt?.data ?? null, mask]);
    const r = h._inspect(ps, src.B, src.T, tgt !== null, pt, tgt?.T ?? 0, pm, greedy.maxLength, greedy.stopToken);
    rt.check();
    const { B, T: Ts } = src;
    const Tt = r.targetSteps;
    const V = this[CFG].outputVocab;
    const result = {
      loss: r.loss,
      output: { data: rt.copy(r.output, B * Tt * V), shape: [B, Tt, V] },
      target: { data: rt.copy(r.target, B * Tt), shape: [B, Tt] },
      encoder: this[TRACES](r.encoder, B, Ts),
      decoder: this[TRACES](r.decoder, B, Tt),
    };
    h._releaseResults();
    return result;
  }
}
