// The adding problem (Hochreiter & Schmidhuber, 1997): a sequence of N random numbers in
// [0, 1), each with a marker that is 1 at exactly two steps; the answer, read at the last step,
// is the sum of the two marked numbers. The first marked number sits in the first tenth of the
// sequence, so the network must carry it across at least 0.9·N steps of distractors; the
// second sits in the second half. Guessing the average answer (1) scores an MSE of 1/6.
import { rng } from '../lib/rng.js';

/** MSE of always answering 1, the mean of the sum of two uniform numbers. */
export const GUESS_MSE = 1 / 6;
/** An answer counts as right within this distance of the true sum. */
export const TOLERANCE = 0.1;

/**
 * `n` sequences of length N: x [n, N, 2] (value, marker), y [n, 1] (the sum), and where the
 * markers are.
 * @param {number} n @param {number} N @param {() => number} next
 */
export function addingSet(n, N, next) {
  const x = new Float32Array(n * N * 2);
  const y = new Float32Array(n);
  const marks = new Int32Array(n * 2);
  fillAdding(x, y, marks, 0, n, N, next);
  return { x: { data: x, shape: [n, N, 2] }, y: { data: y, shape: [n, 1] }, marks };
}

/** Writes sequences [from, from + n) of a set into x, y and marks. */
function fillAdding(x, y, marks, from, n, N, next) {
  const early = Math.max(1, Math.floor(N / 10));
  const half = Math.floor(N / 2);
  for (let i = from; i < from + n; i++) {
    const p1 = Math.floor(next() * early);
    const p2 = half + Math.floor(next() * (N - half));
    let sum = 0;
    for (let t = 0; t < N; t++) {
      const v = next();
      x[(i * N + t) * 2] = v;
      if (t === p1 || t === p2) {
        x[(i * N + t) * 2 + 1] = 1;
        sum += v;
      }
    }
    y[i] = sum;
    if (marks) {
      marks[2 * i] = p1;
      marks[2 * i + 1] = p2;
    }
  }
}

/** Training batches: batch k is a pure function of (seed, k), the same for every racer. */
export function addingBatches(N, B, seed) {
  return {
    stepsPerEpoch: Infinity,
    tokensPerStep: B * N,
    batch: (/** @type {number} */ k) => addingSet(B, N, rng(seed, 0x100000 + k)),
    /** Batches [first, first + n) side by side, written in place (no copy to join them). */
    chunk(/** @type {number} */ first, /** @type {number} */ n) {
      const x = new Float32Array(n * B * N * 2);
      const y = new Float32Array(n * B);
      for (let k = 0; k < n; k++) fillAdding(x, y, null, k * B, B, N, rng(seed, 0x100000 + first + k));
      return { x: { data: x, shape: [n * B, N, 2] }, y: { data: y, shape: [n * B, 1] }, batchSize: B };
    },
  };
}

/** The held-out test set (its own stream, never trained on). */
export function addingTest(N, seed, n = 256) {
  return addingSet(n, N, rng(seed, 0x7e57));
}

/** MSE and the share answered within TOLERANCE, of predictions against the test targets. */
export function score(pred, y) {
  let se = 0;
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    const e = pred[i] - y[i];
    se += e * e;
    if (Math.abs(e) < TOLERANCE) right++;
  }
  return { mse: se / y.length, accuracy: right / y.length };
}
