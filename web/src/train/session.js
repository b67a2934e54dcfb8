// One model being trained in its worker (rnnlab/worker; a Model, or a Seq2Seq when the plan
// says `seq2seq`): play, pause, one step, validation, snapshots, and what went wrong. Training steps are sent ahead (a few in flight) so the worker
// never waits for the page; the worker answers in order, so step k always trains on batch k
// and any other call (a forecast, a sample) sees the weights after exactly the steps sent
// before it.
import { createWorkerModel, createWorkerSeq2Seq, loadWorkerModel, loadWorkerSeq2Seq } from 'rnnlab/worker';
import { LossLog } from './losslog.js';
import { workerOptions } from './threads.js';
import { Emitter } from '../lib/emitter.js';


/** Training steps in flight at once: enough to hide the message round trip. */
const DEPTH = 3;
/** In detail mode, steps per fit() call (each reports its loss and gradient norm). */
const CHUNK = 16;
/** How often a running model is copied for recovery after a worker crash. */
const SNAPSHOT_MS = 5000;

// Events: 'step', 'state', 'val', 'idle' (a chunk finished), 'done' (stopAt reached), 'error'.

/**
 * @typedef {{batch: (k: number) => {x: any, y: any}, stepsPerEpoch: number, tokensPerStep: number,
 *   chunk?: (first: number, n: number) => {x: any, y: any, batchSize: number}}} BatchSource
 * @typedef {{x: any, y: any} | null} ValidationSet
 * @typedef {'paused' | 'playing' | 'diverged' | 'crashed' | 'disposed'} SessionState
 */

export class Session extends Emitter {
  /**
   * Starts a worker with a new model (rejects with the RnnlabError of a bad or too large config).
   * @param {Record<string, any>} modelOptions createModel's options (createSeq2Seq's with `plan.seq2seq`)
   * @param {object} plan
   * @param {boolean} [plan.seq2seq] the model is an encoder-decoder (batches of source and target ids)
   * @param {BatchSource} plan.source
   * @param {ValidationSet} plan.validation
   * @param {() => Record<string, any>} plan.trainOptions read at every step (live settings)
   * @param {boolean} [plan.detail] also log each step's gradient norm (before clipping): steps
   *   then run through fit() in chunks, whose per-batch reports carry it
   * @param {boolean} [plan.chunked] send steps in chunks, one fit() of several batches per
   *   message (less work for the page when steps are short; the loss is logged per chunk)
   * @param {number | 'auto'} [plan.threads] threads of the worker's rnnlab (default 1; threads.js)
   */
  static async create(modelOptions, plan) {
    const model = await (plan.seq2seq ? createWorkerSeq2Seq(modelOptions, workerOptions(plan)) : createWorkerModel(modelOptions, workerOptions(plan)));
    return new Session(model, plan, modelOptions);
  }

  /**
   * Starts a worker with a saved model that had trained `steps` steps; training goes on from
   * there (batch `steps` next).
   * @param {Uint8Array} bytes
   * @param {Parameters<typeof Session.create>[1]} plan
   * @param {number} steps
   */
  static async load(bytes, plan, steps) {
    return Session.adopt(await (plan.seq2seq ? loadWorkerSeq2Seq(bytes, workerOptions(plan)) : loadWorkerModel(bytes, workerOptions(plan))), plan, steps);
  }

  /**
   * A session around a worker model already loaded (e.g. one checked before use).
   * @param {import('rnnlab/worker').WorkerModel | import('rnnlab/worker').WorkerSeq2Seq} model
   * @param {Parameters<typeof Session.create>[1]} plan
   * @param {number} steps
   */
  static adopt(model, plan, steps) {
    const s = new Session(model, plan, null);
    s.steps = s.issued = steps;
    s.log = new LossLog(1024, steps);
    return s;
  }

  /** @param {any} model a WorkerModel or WorkerSeq2Seq */
  constructor(model, plan, modelOptions) {
    super();
    this.model = model;
    this.modelOptions = modelOptions;
    this.source = plan.source;
    this.validation = plan.validation;
    this.trainOptions = plan.trainOptions;
    this.detail = !!plan.detail;
    this.chunked = this.detail || !!plan.chunked;
    /** Global gradient norm per step, before clipping (detail mode only). */
    this.gradLog = new LossLog();
    /** Training pauses by itself once this many steps are done. */
    this.stopAt = Infinity;
    this.fitting = false;
    /** @type {AbortController | null} */
    this.fitAbort = null;
    /** @type {SessionState} */
    this.state = 'paused';
    /** Steps completed, and steps sent. */
    this.steps = 0;
    this.issued = 0;
    this.inFlight = 0;
    /** Steps still to send for step(n) while paused. */
    this.budget = 0;
    this.log = new LossLog();
    /** @type {{step: number, bytes: Uint8Array} | null} */
    this.snapshot = null;
    this.lastSnapshotAt = 0;
    this.lastError = /** @type {Error | null} */ (null);
    /** Completion times of recent steps, for steps/s. */
    this.recent = /** @type {number[]} */ ([]);
    this.trainMs = 0;
    this.playingSince = 0;
    this.valPending = false;
    this.lastValAt = 0;
    this.valEveryMs = 1000;
    this.closing = false;
  }

  get playing() {
    return this.state === 'playing';
  }

  get epoch() {
    return this.steps / this.source.stepsPerEpoch;
  }

  /** Steps per second over the last two seconds of training (0 when idle). */
  get stepsPerSecond() {
    const now = performance.now();
    const r = this.recent;
    while (r.length && now - r[0] > 2000) r.shift();
    if (r.length < 2) return 0;
    return (r.length - 1) / Math.max(1e-3, (r[r.length - 1] - r[0]) / 1000);
  }

  #setState(s) {
    if (this.state === s) return;
    if (this.state === 'playing') this.trainMs += performance.now() - this.playingSince;
    if (s === 'playing') this.playingSince = performance.now();
    this.state = s;
    this.emit('state');
  }

  /** Training time so far (ms), counting only while playing. */
  get trainingMs() {
    return this.trainMs + (this.state === 'playing' ? performance.now() - this.playingSince : 0);
  }

  play() {
    if (this.state !== 'paused') return;
    this.#setState('playing');
    this.#pump();
  }

  pause() {
    if (this.state === 'playing') this.#setState('paused');
    this.budget = 0;
    this.fitAbort?.abort();
  }

  /** Trains `n` more steps, then stays paused. */
  step(n = 1) {
    if (this.state !== 'paused') return;
    this.budget += n;
    this.#pump();
  }

  #wants() {
    return this.issued < this.stopAt && (this.state === 'playing' || (this.state === 'paused' && this.budget > 0));
  }

  #pump() {
    if (this.chunked) return this.#pumpChunk();
    while (this.inFlight < DEPTH && this.#wants()) {
      if (this.state === 'paused') this.budget--;
      this.#send();
    }
  }

  #send() {
    const k = this.issued++;
    const { x, y } = this.source.batch(k);
    this.inFlight++;
    this.model.trainBatch(x, y, this.trainOptions()).then(
      (loss) => {
        this.inFlight--;
        this.#completed(loss, undefined);
        this.#pump();
      },
      (e) => {
        this.inFlight--;
        this.#fail(e);
      },
    );
  }

  /**
   * Chunked and detail modes: the next steps as one fit() over their batches, in order. In
   * detail mode each batch reports back (loss, gradient norm) and a pause stops the chunk at the
   * next batch; otherwise the chunk runs whole and reports its mean loss.
   */
  #pumpChunk() {
    if (this.fitting || !this.#wants()) return;
    let n = Math.min(CHUNK, this.stopAt - this.issued);
    if (this.state === 'paused') n = Math.min(n, this.budget);
    const first = this.issued;
    let data;
    let batchSize;
    if (this.source.chunk) {
      // Sources that can write a chunk in one piece skip the join.
      const c = this.source.chunk(first, n);
      data = { x: c.x, y: c.y };
      batchSize = c.batchSize;
    } else {
      const batches = [];
      for (let i = 0; i < n; i++) {
        const b = this.source.batch(first + i);
        // fit() cuts one batch size: a differently sized batch starts the next chunk.
        if (i > 0 && b.x.shape[0] !== batches[0].x.shape[0]) break;
        batches.push(b);
      }
      n = batches.length;
      data = { x: concat(batches.map((b) => b.x)), y: concat(batches.map((b) => b.y)) };
      batchSize = batches[0].x.shape[0];
    }
    if (this.state === 'paused') this.budget -= n;
    this.issued += n;
    this.fitting = true;
    this.inFlight = 1;
    const abort = new AbortController();
    if (this.detail) this.fitAbort = abort;
    const done = () => {
      this.fitting = false;
      this.inFlight = 0;
      this.fitAbort = null;
      // Steps a pause cut off are sent again next time, so step k is always batch k.
      this.issued = this.steps;
    };
    const detail = this.detail;
    this.model.fit(data, {
      ...this.trainOptions(), epochs: 1, batchSize, shuffle: false,
      ...(detail ? { signal: abort.signal, onBatchEnd: (/** @type {any} */ info) => this.#completed(info.loss, info.gradNorm) } : {}),
    }).then((history) => {
      if (!detail) for (let i = 0; i < n; i++) this.#completed(history.loss[0], undefined);
      done();
      this.emit('idle');
      this.#pump();
    }, (e) => {
      done();
      this.#fail(e);
    });
  }

  #completed(loss, gradNorm) {
    this.steps++;
    this.log.push(loss);
    if (gradNorm !== undefined) this.gradLog.push(gradNorm);
    const now = performance.now();
    this.recent.push(now);
    if (this.recent.length > 4096) this.recent.splice(0, 2048);
    this.emit('step');
    this.#afterStep(now);
    if (this.steps >= this.stopAt && this.state === 'playing') {
      this.#setState('paused');
      this.emit('done');
    }
  }

  #afterStep(now) {
    if (this.validation && !this.valPending && (now - this.lastValAt >= this.valEveryMs || (this.state === 'paused' && this.inFlight === 0))) {
      this.lastValAt = now;
      this.#validate();
    }
    if (this.state === 'playing' && now - this.lastSnapshotAt >= SNAPSHOT_MS) {
      this.lastSnapshotAt = now;
      const step = this.issued;
      this.model.save().then((bytes) => {
        this.snapshot = { step, bytes };
      }, () => {});
    }
  }

  #validate() {
    const v = /** @type {{x: any, y: any}} */ (this.validation);
    const step = this.issued;
    this.valPending = true;
    this.model.evaluate(v.x, v.y).then((loss) => {
      this.valPending = false;
      this.log.pushVal(step, loss);
      this.emit('val');
    }, (e) => {
      this.valPending = false;
      this.#fail(e);
    });
  }

  /**
   * Runs `fn(model)` after the steps sent so far (its result reflects their weights). Rejects
   * like the model's call; a dead worker is reported through the session too.
   * @template T
   * @param {(m: any) => Promise<T>} fn the session's WorkerModel (WorkerSeq2Seq for a seq2seq plan)
   * @returns {Promise<T>}
   */
  async call(fn) {
    try {
      return await fn(this.model);
    } catch (e) {
      if (isWorkerDeath(e)) this.#fail(e);
      throw e;
    }
  }

  #fail(e) {
    if (this.closing || this.state === 'disposed') return;
    const err = e instanceof Error ? e : new Error(String(e));
    if (this.state === 'crashed') return;
    this.lastError = err;
    const code = /** @type {any} */ (err).code;
    if (isWorkerDeath(err)) this.#setState('crashed');
    else if (code === 'NON_FINITE_LOSS') {
      this.budget = 0;
      this.#setState('diverged');
    } else {
      this.budget = 0;
      this.#setState('paused');
    }
    this.emit('error');
  }

  /** After divergence: training may go on (e.g. with a lower learning rate). */
  acknowledge() {
    if (this.state === 'diverged') this.#setState('paused');
  }

  /** Frees the model and ends its worker. */
  async dispose() {
    if (this.state === 'disposed') return;
    this.closing = true;
    this.#setState('disposed');
    this.listeners.clear();
    try {
      await this.model.dispose();
    } catch {
      // A dead worker has nothing left to free.
    }
  }
}

/** Batches [B, ...] side by side: one tensor [sum of B, ...]. */
function concat(parts) {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((a, p) => a + p.data.length, 0);
  const data = new /** @type {any} */ (parts[0].data.constructor)(total);
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { data, shape: [parts.reduce((a, p) => a + p.shape[0], 0), ...parts[0].shape.slice(1)] };
}

/** Errors that mean the worker is gone (crashed, killed, or failed to start). */
export function isWorkerDeath(e) {
  const code = /** @type {any} */ (e)?.code;
  return code === 'INTERNAL' || code === 'LOAD_FAILED' || (code === 'DISPOSED' && /garbage|stopped|worker/i.test(String(e?.message)));
}
