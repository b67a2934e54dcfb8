// How many threads a model's worker runs (rnnlab's threads build, `init({ threads })`). The
// core splits a product over its pool only when it is big enough (ARCHITECTURE.md, "Threads"),
// so a small model gains nothing from a second thread and still pays for it: the threads
// build's shared memory and JS-based exceptions, and its pool's workers (one more Web Worker
// and wasm instance per thread, started with the model). And the page runs several small
// models at once where it can (a race's racers): one thread each lets them use the cores.

/**
 * Training FLOPs per step (about 6 per parameter per time step: forward 2, backward 4) from
 * which a worker gets the reported cores ('auto', at most 4). Two threads made the core's CHAR
 * (4.2 GFLOP a step) 1.9x and TS-M (4.8 GFLOP) 1.8x faster in processor time (bench/README.md);
 * the text task's default (LSTM 128 on 65 characters, 32 x 64: ~1.4 GFLOP) is above, the
 * forecaster's (LSTM 2 x 32, 32 x 24: ~0.06 GFLOP), a race's racers and the classifier's
 * (LSTM 64, 32 verses of 100: ~0.7 GFLOP) below, where per-step products are too small to split
 * much and a second thread measured slower in Chromium (README, "The playground").
 */
export const THREADS_FROM_FLOPS = 1e9;

/**
 * Threads for a worker training a model of `parameters` on batches of `tokensPerStep` time
 * steps: 'auto' (the cores the browser reports, at most 4; one where the page is not
 * cross-origin isolated) for big steps, 1 otherwise.
 * @param {number} parameters
 * @param {number} tokensPerStep batch x sequence length of one training step
 * @returns {1 | 'auto'}
 */
export function threadsFor(parameters, tokensPerStep) {
  const flops = 6 * parameters * Math.max(1, tokensPerStep);
  return flops >= THREADS_FROM_FLOPS ? 'auto' : 1;
}

/**
 * Time steps one training step of a batch source reads: batch x sequence length of its first
 * batch (the encoder's for an encoder-decoder), whatever the task counts per step.
 * @param {{batch: (k: number) => {x: {shape: number[]}}}} source
 */
export function tokensOf(source) {
  const shape = source.batch(0).x.shape;
  return shape[0] * (shape.length > 1 ? shape[1] : 1);
}

/**
 * The worker options of a session's plan: its threads, one unless it says.
 * @param {{threads?: number | 'auto'}} plan
 */
export const workerOptions = (plan) => ({ threads: plan.threads ?? 1 });
