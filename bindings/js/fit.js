// The training loop behind Model.fit and Seq2Seq.fit: epochs of (optionally shuffled)
// minibatches with one wasm call each, a chronological validation tail, callbacks,
// AbortSignal and a yield to the event loop between batches.
import { bool, callback, describe, int, num, options, seed } from './check.js';
import { RnnlabError, fail } from './errors.js';
import { packTrainOptions } from './schema.js';

/** Keys fit() accepts besides the training options. */
export const FIT_KEYS = ['epochs', 'batchSize', 'validationSplit', 'shuffle', 'seed', 'onEpochEnd', 'onBatchEnd', 'signal'];

/**
 * Yields to the event loop without timer clamping: setImmediate in Node, a MessageChannel
 * round trip in browsers and workers, setTimeout(0) elsewhere.
 * @returns {Promise<void>}
 */
export const yieldToEventLoop = (() => {
  if (typeof globalThis.setImmediate === 'function') {
    return () => new Promise((resolve) => globalThis.setImmediate(resolve));
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    /** @type {(() => void)[]} */
    const waiting = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise((resolve) => {
      waiting.push(() => resolve());
      channel.port2.postMessage(0);
    });
  }
  return () => new Promise((resolve) => setTimeout(resolve, 0));
})();

// A small seeded generator (xorshift32 over a splitmix-style scrambled seed) for shuffling.
function shuffler(seedValue) {
  let s = (Math.imul(seedValue ^ (seedValue / 0x100000000), 0x9e3779b1) ^ 0x6d2b79f5) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  /** Fisher-Yates over `order` in place. */
  return (order) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor((next() / 0x100000000) * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  };
}

/**
 * What a model hands to the loop: the dataset (already validated) behind two calls.
 * @typedef {object} FitAdapter
 * @property {number} count samples in the dataset
 * @property {(indices: Int32Array, slots: Float64Array) => {loss: number, gradNorm: number, lr: number}} train
 *   one optimizer step on the listed samples (one wasm call) with the packed training options
 * @property {(start: number, end: number, slots: Float64Array) => number} evaluate mean loss over
 *   samples [start, end) with the fit's loss
 * @property {() => boolean} disposed whether the model was disposed meanwhile
 */

/**
 * @param {FitAdapter} adapter
 * @param {Record<string, any> | undefined} opts
 * @param {{head?: 'linear' | 'softmax', seq2seq?: boolean}} model
 * @param {import('./schema.js').Schema} schema
 */
export async function runFit(adapter, opts, model, schema) {
  const o = options(opts, [...FIT_KEYS, ...schema.trainKeys], 'fit');
  const { slots: packed, values } = packTrainOptions(schema, o, model);
  const epochs = int(o.epochs, 'epochs', { min: 1, max: 1e9, def: 1 });
  const batchSize = int(o.batchSize, 'batchSize', { min: 1, max: 0x7fffffff, def: 32 });
  const validationSplit = num(o.validationSplit, 'validationSplit', { min: 0, max: 1, maxOpen: true, def: 0 });
  const stateful = values.stateful;
  const shuffle = bool(o.shuffle, 'shuffle', !stateful);
  if (stateful && shuffle) {
    fail('INVALID_CONFIG', 'shuffle', 'must be false with stateful: true (the carried state links consecutive batches)');
  }
  const shuffleSeed = seed(o.seed, 'seed', 1);
  const onEpochEnd = callback(o.onEpochEnd, 'onEpochEnd');
  const onBatchEnd = callback(o.onBatchEnd, 'onBatchEnd');
  const signal = o.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    fail('INVALID_CONFIG', 'signal', `must be an AbortSignal, got ${describe(signal)}`);
  }

  // The validation set is the chronological tail: no shuffling ever crosses the split.
  const n = adapter.count;
  let nVal = validationSplit > 0 ? Math.max(1, Math.round(validationSplit * n)) : 0;
  const nTrain = n - nVal;
  if (nTrain < 1) {
    fail('INVALID_CONFIG', 'validationSplit', `${validationSplit} of ${n} samples leaves none for training`);
  }

  const history = { loss: /** @type {number[]} */ ([]), valLoss: /** @type {number[]} */ ([]), epochs: 0, aborted: false };
  const order = new Int32Array(nTrain);
  for (let i = 0; i < nTrain; i++) order[i] = i;
  const mix = shuffler(shuffleSeed);
  const batches = Math.ceil(nTrain / batchSize);
  const started = Date.now();
  const stop = () => {
    history.aborted = true;
    return history;
  };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (shuffle) mix(order);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) return stop();
        if (adapter.disposed()) fail('DISPOSED', 'model', 'was disposed during fit()');
        const start = b * batchSize;
        const end = Math.min(nTrain, start + batchSize);
        const r = adapter.train(order.subarray(start, end), packed);
        sum += r.loss * (end - start);
        if (onBatchEnd) {
          await onBatchEnd({ epoch, batch: b, batches, size: end - start, loss: r.loss, gradNorm: r.gradNorm, lr: r.lr });
        }
        await yieldToEventLoop();
      }
      const loss = sum / nTrain;
      history.loss.push(loss);
      let valLoss;
      if (nVal > 0) {
        if (signal?.aborted) return stop();
        if (adapter.disposed()) fail('DISPOSED', 'model', 'was disposed during fit()');
        valLoss = 0;
        for (let s = nTrain; s < n; s += batchSize) {
          const e = Math.min(n, s + batchSize);
          valLoss += adapter.evaluate(s, e, packed) * (e - s);
        }
        valLoss /= nVal;
        history.valLoss.push(valLoss);
      }
      history.epochs = epoch + 1;
      if (onEpochEnd) await onEpochEnd({ epoch, epochs, loss, valLoss, elapsedMs: Date.now() - started });
    }
  } catch (e) {
    // The partial history travels with the error (e.g. NON_FINITE_LOSS after some epochs).
    if (e instanceof RnnlabError) /** @type {any} */ (e).history = history;
    throw e;
  }
  return history;
}
