// Which samples go into training step k. Each source is a pure function of (seed, k), so a
// run is reproduced bit for bit by its settings and step count alone: pausing, the machine's
// speed or the number of requests in flight change nothing.
import { permutation, rng } from '../lib/rng.js';

/**
 * Minibatches of fixed windows (a forecaster's training windows): every epoch visits each
 * window once, in an order shuffled per epoch.
 * @param {{data: Float32Array, shape: number[]}} x windows [N, W, F]
 * @param {{data: Float32Array, shape: number[]}} y targets [N, O]
 * @param {number} batchSize
 * @param {number} seed
 */
export function windowBatches(x, y, batchSize, seed) {
  const [N, W, F] = x.shape;
  const O = y.shape[1];
  const B = Math.min(batchSize, N);
  const perEpoch = Math.ceil(N / B);
  let orderEpoch = -1;
  let order = new Int32Array(0);
  return {
    stepsPerEpoch: perEpoch,
    /** Time steps one training step reads (for tokens/s). */
    tokensPerStep: B * W,
    batch(k) {
      const epoch = Math.floor(k / perEpoch);
      if (epoch !== orderEpoch) {
        order = permutation(N, rng(seed, 0x10000 + epoch));
        orderEpoch = epoch;
      }
      const first = (k % perEpoch) * B;
      const rows = order.subarray(first, Math.min(N, first + B));
      const xb = new Float32Array(rows.length * W * F);
      const yb = new Float32Array(rows.length * O);
      rows.forEach((r, i) => {
        xb.set(x.data.subarray(r * W * F, (r + 1) * W * F), i * W * F);
        yb.set(y.data.subarray(r * O, (r + 1) * O), i * O);
      });
      return { x: { data: xb, shape: [rows.length, W, F] }, y: { data: yb, shape: [rows.length, O] } };
    },
  };
}

/**
 * Minibatches of character sequences (next-character prediction at every step): B sequences
 * of T ids from random offsets of the training text, the targets shifted by one.
 * @param {Int32Array} ids the training text as ids
 * @param {number} T sequence length (the BPTT length)
 * @param {number} B batch size
 * @param {number} seed
 */
export function sequenceBatches(ids, T, B, seed) {
  const span = ids.length - T - 1;
  if (span < 1) throw new RangeError(`the training text has ${ids.length} characters; sequences of ${T} need at least ${T + 2}`);
  return {
    stepsPerEpoch: Math.max(1, Math.round(ids.length / (B * T))),
    tokensPerStep: B * T,
    batch(k) {
      const next = rng(seed, k);
      const xb = new Int32Array(B * T);
      const yb = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        const start = Math.floor(next() * (span + 1));
        xb.set(ids.subarray(start, start + T), b * T);
        yb.set(ids.subarray(start + 1, start + T + 1), b * T);
      }
      return { x: { data: xb, shape: [B, T] }, y: { data: yb, shape: [B, T] } };
    },
  };
}

/**
 * A fixed validation set of character sequences: `count` sequences of T ids spread evenly over
 * the validation text (the same ones at every evaluation, so the curve is comparable).
 */
export function sequenceSet(ids, T, count) {
  const span = ids.length - T - 1;
  if (span < 0) return null;
  const n = Math.max(1, Math.min(count, span + 1));
  const xb = new Int32Array(n * T);
  const yb = new Int32Array(n * T);
  for (let b = 0; b < n; b++) {
    const start = n === 1 ? 0 : Math.round((b * span) / (n - 1));
    xb.set(ids.subarray(start, start + T), b * T);
    yb.set(ids.subarray(start + 1, start + T + 1), b * T);
  }
  return { x: { data: xb, shape: [n, T] }, y: { data: yb, shape: [n, T] } };
}
