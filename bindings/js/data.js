// rnn.data: windows, normalisers, the chronological split, the character vocabulary and the
// date,value CSV reader, over the core's rnnlab::data (bindings/embind_data.cpp).
import { bool, describe, int, num, oneOf, options, text } from './check.js';
import { fail } from './errors.js';
import { requireFinite, tensor } from './tensors.js';

const NORM_KINDS = /** @type {const} */ (['zscore', 'minmax', 'none']);

/**
 * A series argument -> {data: Float32Array, rows, features}. Accepts {data, shape: [T, F]},
 * nested rows [[...F], ...], or a flat array with `features` columns (default 1).
 * @param {unknown} series
 * @param {unknown} features the `features` option (undefined: from the shape, else 1)
 * @param {string} [field]
 */
function readSeries(series, features, field = 'series') {
  const t = tensor(series, field, 'float');
  const data = /** @type {Float32Array} */ (t.data);
  let F;
  if (t.shape && t.shape.length === 2) {
    F = t.shape[1];
    if (features !== undefined && features !== F) {
      fail('SHAPE_MISMATCH', 'features', `is ${describe(features)} but ${field} has shape [${t.shape.join(', ')}] = [rows, features]`);
    }
  } else if (t.shape && t.shape.length !== 1) {
    fail('SHAPE_MISMATCH', field, `has shape [${t.shape.join(', ')}], expected [rows] or [rows, features]`);
  } else {
    F = int(features, 'features', { min: 1, max: 1 << 20, def: 1 });
  }
  if (data.length === 0) fail('SHAPE_MISMATCH', field, 'is empty');
  if (data.length % F !== 0) {
    fail('SHAPE_MISMATCH', field, `has ${data.length} values, not a multiple of ${F} features`);
  }
  requireFinite(data, field, [data.length / F, F]);
  return { data, rows: data.length / F, features: F };
}

/** Feature indices, distinct and in [0, features). */
function readTargets(v, features, field = 'targets') {
  if (v === undefined) return new Int32Array(0);
  if (!Array.isArray(v) && !(v instanceof Int32Array)) {
    fail('INVALID_CONFIG', field, `must be an array of feature indices, got ${describe(v)}`);
  }
  const out = new Int32Array(v.length);
  const seen = new Set();
  for (let i = 0; i < v.length; i++) {
    out[i] = int(v[i], `${field}[${i}]`, { min: 0, max: features - 1 });
    if (seen.has(out[i])) fail('INVALID_CONFIG', field, `lists feature ${out[i]} twice`);
    seen.add(out[i]);
  }
  if (out.length === 0) fail('INVALID_CONFIG', field, 'is empty; omit it to predict every feature');
  return out;
}

/** The core's windows view -> a JS result (copied out). */
function windowsResult(rt, w) {
  const TF = w.targets.length;
  return {
    x: { data: rt.copy(w.x, w.count * w.window * w.features), shape: [w.count, w.window, w.features] },
    y: { data: rt.copy(w.y, w.count * w.horizon * TF), shape: [w.count, w.horizon * TF] },
    starts: rt.copy(w.starts, w.count),
    count: w.count,
    window: w.window,
    horizon: w.horizon,
    features: w.features,
    targets: w.targets,
  };
}

/**
 * A per-feature affine normaliser (z = (x - offset) / scale), computed by the core in double
 * precision. Made by `rnn.data.normalizer(kind)`; `fit()` it before use, or restore a fitted
 * one with `rnn.data.normalizer(json)`.
 */
export class Normalizer {
  #rt;
  /** @type {'zscore' | 'minmax' | 'none'} */
  #kind;
  /** @type {Float64Array | null} */
  #offset = null;
  /** @type {Float64Array | null} */
  #scale = null;

  /**
   * @param {import('./runtime.js').Runtime} rt
   * @param {'zscore' | 'minmax' | 'none'} kind
   */
  constructor(rt, kind) {
    this.#rt = rt;
    this.#kind = kind;
  }

  /** 'zscore' | 'minmax' | 'none' */
  get kind() {
    return this.#kind;
  }

  /** Whether fit() (or a JSON restore) has set the statistics. */
  get fitted() {
    return this.#offset !== null;
  }

  /** Number of features the statistics cover (0 before fit()). */
  get features() {
    return this.#offset ? this.#offset.length : 0;
  }

  /** @internal sets the statistics (from the core or from JSON). */
  _set(offset, scale) {
    this.#offset = Float64Array.from(offset);
    this.#scale = Float64Array.from(scale);
    return this;
  }

  /**
   * Computes each feature's statistics from `series` ([rows, features]); returns this.
   * @param {unknown} series
   * @param {{features?: number}} [opts]
   */
  fit(series, opts) {
    const o = options(opts, ['features'], 'normalizer.fit');
    const s = readSeries(series, o.features);
    const rt = this.#rt;
    const [ps] = rt.stage([s.data]);
    const r = rt.M._normalizerFit(this.#kind, ps, s.rows, s.features);
    rt.check();
    this._set(rt.copy(r.offset, s.features), rt.copy(r.scale, s.features));
    return this;
  }

  #apply(values, opts, forward, where) {
    if (!this.#offset || !this.#scale) fail('INVALID_STATE', 'normalizer', `call fit(series) before ${where}()`);
    const o = options(opts, ['columns'], `normalizer.${where}`);
    const F = this.#offset.length;
    const columns = o.columns === undefined ? new Int32Array(0) : readTargets(o.columns, F, 'columns');
    const width = columns.length || F;
    const t = tensor(values, 'values', 'float');
    const data = /** @type {Float32Array} */ (t.data);
    if (t.shape && t.shape[t.shape.length - 1] % width !== 0) {
      fail('SHAPE_MISMATCH', 'values', `has shape [${t.shape.join(', ')}]; its last dimension must hold ${width} feature columns (or a multiple)`);
    }
    if (data.length % width !== 0) {
      fail('SHAPE_MISMATCH', 'values', `has ${data.length} values, not a multiple of ${width} ${columns.length ? 'columns' : 'features'}`);
    }
    requireFinite(data, 'values', t.shape);
    const rt = this.#rt;
    const [po, ps, pv, pc] = rt.stage([this.#offset, this.#scale, data, columns.length ? columns : null]);
    const view = rt.M._normalizerApply(this.#kind, po, ps, F, pv, data.length, pc, columns.length, forward);
    rt.check();
    const out = rt.copy(view, data.length);
    rt.M._dataReleaseResults();
    const asTensor = values !== null && typeof values === 'object' && !Array.isArray(values) && !ArrayBuffer.isView(values) && t.shape;
    return asTensor ? { data: out, shape: /** @type {number[]} */ (t.shape).slice() } : out;
  }

  /**
   * Normalises values laid out as [rows, features] (or, with `columns`, whose columns are the
   * listed features, e.g. windows' y with columns = targets). A {data, shape} argument gives
   * {data, shape} back; anything else a Float32Array.
   * @param {unknown} values
   * @param {{columns?: number[]}} [opts]
   */
  transform(values, opts) {
    return this.#apply(values, opts, true, 'transform');
  }

  /**
   * Maps normalised values back to the original units (the exact inverse of transform()
   * whenever a float allows it).
   * @param {unknown} values
   * @param {{columns?: number[]}} [opts]
   */
  inverse(values, opts) {
    return this.#apply(values, opts, false, 'inverse');
  }

  /** {kind, offset, scale} as plain numbers, for JSON (restore with rnn.data.normalizer(json)). */
  toJSON() {
    return {
      kind: this.#kind,
      offset: this.#offset ? Array.from(this.#offset) : [],
      scale: this.#scale ? Array.from(this.#scale) : [],
    };
  }
}

/**
 * A character vocabulary: Unicode code points sorted ascending, id = position.
 */
export class CharVocab {
  #rt;
  #symbols;
  #fallbackId;
  /** @type {readonly string[]} */
  #list;

  /**
   * @param {import('./runtime.js').Runtime} rt
   * @param {string} symbols every symbol, in id order, as one string
   * @param {number} fallbackId
   */
  constructor(rt, symbols, fallbackId) {
    this.#rt = rt;
    this.#symbols = symbols;
    this.#fallbackId = fallbackId;
    this.#list = Object.freeze(Array.from(symbols));
  }

  /** Number of symbols (ids are 0 .. size - 1). */
  get size() {
    return this.#list.length;
  }

  /** The symbols in id order (one string per code point). */
  get symbols() {
    return this.#list;
  }

  /** Id of the symbol that stands for unknown characters, or -1 (unknown ones are errors). */
  get fallbackId() {
    return this.#fallbackId;
  }

  /**
   * Text -> ids (unknown characters map to the fallback, or throw without one).
   * @param {string} input
   * @returns {Int32Array}
   */
  encode(input) {
    const s = text(input, 'text');
    const rt = this.#rt;
    const view = rt.M._charVocabEncode(this.#symbols, this.#fallbackId, s);
    rt.check();
    const out = rt.copy(view);
    rt.M._dataReleaseResults();
    return out;
  }

  /**
   * Ids -> text.
   * @param {unknown} ids
   * @returns {string}
   */
  decode(ids) {
    const t = tensor(ids, 'ids', 'int');
    const data = /** @type {Int32Array} */ (t.data);
    for (let i = 0; i < data.length; i++) {
      if (data[i] < 0 || data[i] >= this.#list.length) {
        fail('INVALID_CONFIG', 'ids', `entry ${i} is ${data[i]}, outside the vocabulary's [0, ${this.#list.length})`);
      }
    }
    if (data.length === 0) return '';
    const rt = this.#rt;
    const [p] = rt.stage([data]);
    const s = rt.M._charVocabDecode(this.#symbols, this.#fallbackId, p, data.length);
    rt.check();
    return s;
  }

  /** {symbols, fallbackId} for JSON (restore with rnn.data.charVocab(json)). */
  toJSON() {
    return { symbols: this.#symbols, fallbackId: this.#fallbackId };
  }
}

/**
 * The `rnn.data` namespace of one loaded module.
 * @param {import('./runtime.js').Runtime} rt
 */
export function makeData(rt) {
  const M = rt.M;

  /**
   * A normaliser: `normalizer('zscore' | 'minmax' | 'none')` to fit, or `normalizer(json)`
   * to restore one from toJSON()'s output.
   * @param {unknown} kindOrJson
   */
  function normalizer(kindOrJson = 'zscore') {
    if (kindOrJson !== null && typeof kindOrJson === 'object') {
      const j = options(kindOrJson, ['kind', 'offset', 'scale'], 'normalizer (JSON)', 'normalizer');
      const kind = oneOf(j.kind, 'normalizer.kind', NORM_KINDS);
      const offset = tensor(j.offset, 'normalizer.offset', 'float');
      const scale = tensor(j.scale, 'normalizer.scale', 'float');
      const rawOffset = Array.isArray(j.offset) ? j.offset : Array.from(offset.data);
      const rawScale = Array.isArray(j.scale) ? j.scale : Array.from(scale.data);
      if (rawOffset.length === 0 || rawOffset.length !== rawScale.length) {
        fail('SHAPE_MISMATCH', 'normalizer', `offset (${rawOffset.length}) and scale (${rawScale.length}) need the same length >= 1`);
      }
      rawOffset.forEach((v, i) => num(v, `normalizer.offset[${i}]`));
      rawScale.forEach((v, i) => num(v, `normalizer.scale[${i}]`, { min: 0, minOpen: true }));
      return new Normalizer(rt, kind)._set(rawOffset, rawScale);
    }
    return new Normalizer(rt, oneOf(kindOrJson, 'kind', NORM_KINDS));
  }

  return Object.freeze({
    /**
     * Sliding windows over a [rows, features] series.
     * @param {unknown} series
     * @param {Record<string, any>} opts
     */
    windows(series, opts) {
      if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'windows() needs {window, ...}');
      const o = options(opts, ['window', 'horizon', 'stride', 'features', 'targets'], 'windows');
      const window = int(o.window, 'window', { min: 1, max: 0x7fffffff });
      const horizon = int(o.horizon, 'horizon', { min: 1, max: 0x7fffffff, def: 1 });
      const stride = int(o.stride, 'stride', { min: 1, max: 0x7fffffff, def: 1 });
      const s = readSeries(series, o.features);
      const targets = readTargets(o.targets, s.features);
      if (s.rows < window + horizon) {
        fail('SHAPE_MISMATCH', 'series', `has ${s.rows} rows; window ${window} + horizon ${horizon} needs at least ${window + horizon}`);
      }
      const [ps, pt] = rt.stage([s.data, targets.length ? targets : null]);
      const r = M._windows(ps, s.rows, s.features, window, horizon, stride, pt, targets.length);
      rt.check();
      const out = windowsResult(rt, r);
      M._dataReleaseResults();
      return out;
    },

    normalizer,

    /**
     * Chronological train/validation split with the normaliser fitted on the training rows.
     * @param {unknown} series
     * @param {Record<string, any>} opts
     */
    split(series, opts) {
      if (opts === undefined) fail('INVALID_ARGUMENT', 'options', 'split() needs {window, ...}');
      const o = options(opts, ['validationFraction', 'window', 'horizon', 'stride', 'features', 'targets', 'normalization'], 'split');
      const fraction = num(o.validationFraction, 'validationFraction', { min: 0, max: 1, minOpen: true, maxOpen: true, def: 0.2 });
      const window = int(o.window, 'window', { min: 1, max: 0x7fffffff });
      const horizon = int(o.horizon, 'horizon', { min: 1, max: 0x7fffffff, def: 1 });
      const stride = int(o.stride, 'stride', { min: 1, max: 0x7fffffff, def: 1 });
      const normalization = oneOf(o.normalization, 'normalization', NORM_KINDS, 'zscore');
      const s = readSeries(series, o.features);
      const targets = readTargets(o.targets, s.features);
      const [ps, pt] = rt.stage([s.data, targets.length ? targets : null]);
      const r = M._split(ps, s.data.length, s.features, fraction, window, horizon, stride, pt, targets.length, normalization);
      rt.check();
      const norm = new Normalizer(rt, normalization)._set(rt.copy(r.normalizer.offset, s.features), rt.copy(r.normalizer.scale, s.features));
      const out = { train: windowsResult(rt, r.train), validation: windowsResult(rt, r.validation), normalizer: norm, splitRow: r.splitRow };
      M._dataReleaseResults();
      return out;
    },

    /**
     * A character vocabulary built from `text`, or restored from toJSON()'s output.
     * @param {unknown} source
     * @param {{maxSize?: number, fallback?: string, reserveFallback?: boolean}} [opts]
     */
    charVocab(source, opts) {
      if (source !== null && typeof source === 'object') {
        if (opts !== undefined) fail('INVALID_CONFIG', 'options', 'do not apply when restoring a vocabulary from JSON');
        const j = options(source, ['symbols', 'fallbackId'], 'charVocab (JSON)', 'vocab');
        const symbols = text(j.symbols, 'symbols', { nonEmpty: true });
        const n = Array.from(symbols).length;
        const fallbackId = int(j.fallbackId, 'fallbackId', { min: -1, max: n - 1, def: -1 });
        // Let the core check the list (sorted, unique, valid) by encoding it once.
        M._charVocabEncode(symbols, fallbackId, symbols);
        rt.check();
        M._dataReleaseResults();
        return new CharVocab(rt, symbols, fallbackId);
      }
      const s = text(source, 'text', { nonEmpty: true });
      const o = options(opts, ['maxSize', 'fallback', 'reserveFallback'], 'charVocab');
      const maxSize = o.maxSize === undefined || o.maxSize === 0 ? 0 : int(o.maxSize, 'maxSize', { min: 2, max: 1 << 20 });
      let fallback = 0xfffd;
      if (o.fallback !== undefined) {
        const f = text(o.fallback, 'fallback');
        const cps = Array.from(f);
        if (cps.length !== 1) fail('INVALID_CONFIG', 'fallback', `must be exactly one character, got ${describe(o.fallback)}`);
        fallback = /** @type {number} */ (cps[0].codePointAt(0));
      }
      const reserve = bool(o.reserveFallback, 'reserveFallback', false);
      const r = M._charVocabBuild(s, maxSize, fallback, reserve);
      rt.check();
      return new CharVocab(rt, r.symbols, r.fallbackId);
    },

    /**
     * Reads a `date,value` CSV (header line, then one row a line, oldest first).
     * @param {unknown} csv
     * @returns {{dates: string[], values: Float32Array}}
     */
    parseCsv(csv) {
      const s = text(csv, 'csv', { nonEmpty: true });
      const r = M._parseCsv(s);
      rt.check();
      const out = { dates: r.dates, values: rt.copy(r.values, r.dates.length) };
      M._dataReleaseResults();
      return out;
    },
  });
}
