// What crosses between the main thread (worker.js) and the worker (worker_entry.js): errors as
// plain data and the list of buffers a result may hand over instead of copying.
import { RnnlabError } from './errors.js';

/**
 * Model methods the worker runs for the proxy (fit has its own message: it relays callbacks).
 * @type {readonly string[]}
 */
export const CALLS = Object.freeze(['trainBatch', 'evaluate', 'predict', 'resetState', 'step', 'forecast',
  'generate', 'nextTokenProbabilities', 'inspect', 'getWeights', 'setWeights', 'save']);

/** Forecaster methods the worker runs by name (fit has its own message). */
export const FORECASTER_CALLS = Object.freeze(['forecast', 'describe', 'save']);

/**
 * Seq2Seq methods the worker runs for its proxy (fit, again, has its own message).
 * @type {readonly string[]}
 */
export const SEQ2SEQ_CALLS = Object.freeze(['trainBatch', 'evaluate', 'translate', 'inspect', 'getWeights',
  'setWeights', 'save']);

/** The methods a worker holding this kind of model runs ('model' or 'seq2seq'). */
export const CALLS_OF = Object.freeze({ model: CALLS, seq2seq: SEQ2SEQ_CALLS });

/**
 * An error as structured-cloneable data. RnnlabErrors keep code, field, the message without
 * the field prefix and a fit's partial history; anything else becomes INTERNAL.
 * @param {unknown} e
 */
export function errorToData(e) {
  if (e instanceof RnnlabError) {
    const prefix = e.field ? `${e.field}: ` : '';
    const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    /** @type {Record<string, unknown>} */
    const d = { code: e.code, field: e.field, message };
    if (/** @type {any} */ (e).history) d.history = /** @type {any} */ (e).history;
    return d;
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 'INTERNAL', field: '', message: `unexpected error in the rnnlab worker: ${text}` };
}

/**
 * The inverse of errorToData: a real RnnlabError (with `history` when the worker sent one).
 * @param {any} d
 */
export function errorFromData(d) {
  const e = new RnnlabError(d.code, d.field, d.message);
  if (d.history) /** @type {any} */ (e).history = d.history;
  return e;
}

/**
 * The ArrayBuffers behind every typed array in `value` that owns its whole buffer (results are
 * fresh copies, so handing the buffer over costs nothing and frees the sender's copy).
 * @param {unknown} value
 * @returns {ArrayBuffer[]}
 */
export function transferables(value) {
  const out = new Set();
  const walk = (v, depth) => {
    if (v === null || typeof v !== 'object' || depth > 8) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
      return;
    }
    for (const k of Object.keys(v)) walk(/** @type {any} */ (v)[k], depth + 1);
  };
  walk(value, 0);
  return [...out];
}

/**
 * A copy of an argument fit for postMessage: typed arrays that view a part of a larger buffer
 * are cut out (structured cloning would copy the whole buffer). The caller's arrays are never
 * transferred, so they stay usable.
 * @param {unknown} v
 * @returns {unknown}
 */
export function compactArgument(v, depth = 0) {
  if (v === null || typeof v !== 'object' || depth > 8) return v;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof DataView || v.byteLength === v.buffer.byteLength) return v;
    return /** @type {any} */ (v).slice();
  }
  if (Array.isArray(v)) {
    // Long flat arrays of numbers clone as they are; only nested structure is walked.
    return v.length > 0 && typeof v[0] === 'object' ? v.map((e) => compactArgument(e, depth + 1)) : v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of Object.keys(v)) out[k] = compactArgument(/** @type {any} */ (v)[k], depth + 1);
  return out;
}
