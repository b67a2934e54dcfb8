// Several models trained side by side on the same batches, each in its own worker, each
// scored on the same held-out set as it goes: the "race" behind the memory experiments. Every
// racer gets the same data, initialisation seed, optimizer and budget; only what the
// experiment varies (the cell, clipping, the sequence length) differs.
//
// Racers train in parallel, one worker (one thread: they are small models) each, as many at
// once as the browser reports cores (at most 4), in turns of a few steps, the one with the
// least training time first. Each racer's clock counts only its own turns and its points are
// at its own step counts, so "error against training time" and "against steps" compare like
// with like whether racers ran together or one after another; what a racer learns depends only
// on its batches (batch k is a function of the seed and k), so a race gives the same results
// with one lane or four. Once every racer is done, scored and looked at, their workers end.
import { Session } from '../train/session.js';
import { Emitter } from '../lib/emitter.js';

/** Steps a racer trains per turn (short turns: little page work per turn, quick pauses). */
const TURN = 8;

/** The most racers training at once. */
export const MAX_LANES = 4;

/** Racers training at once: one per reported core, at most MAX_LANES. */
export function defaultLanes() {
  const cores = typeof navigator === 'object' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(MAX_LANES, cores));
}

/**
 * @typedef {object} Entry
 * @property {string} id
 * @property {string} label
 * @property {Record<string, any>} model createModel options
 * @property {() => Record<string, any>} train training options
 * @property {import('../train/session.js').BatchSource} source
 * @property {{x: any, y: any}} test held-out set
 * @property {(pred: Float32Array, test: {x: any, y: any}) => {mse?: number, loss?: number, accuracy?: number}} score
 * @property {{x: any, y: any, labels?: string[]}} [probe] one example for inspect() (gradient flow); labels: its characters, for the inside views
 */

export class Race extends Emitter {
  /**
   * @param {Entry[]} entries
   * @param {{budget: number, detail?: boolean, evalEveryMs?: number, inspectEveryMs?: number, lanes?: number}} o
   */
  constructor(entries, o) {
    super();
    this.entries = entries;
    this.budget = o.budget;
    this.detail = !!o.detail;
    this.evalEveryMs = o.evalEveryMs ?? 1000;
    this.inspectEveryMs = o.inspectEveryMs ?? 2000;
    /** @type {{entry: Entry, session: Session, points: {ms: number, steps: number, mse?: number, loss?: number, accuracy?: number}[], lastEval: number, evaluating: Promise<void> | null, inspection: any, lastInspect: number, inspecting: Promise<void> | null, error: Error | null, ms: number, busy: boolean, turnStart: number, ended: import('../train/session.js').SessionState | null}[]} */
    this.racers = [];
    this.racing = false;
    this.lanes = o.lanes ?? defaultLanes();
    /** Set once every racer is done and its worker has ended (workers end as the race does). */
    this.released = false;
    this.ending = false;
    this.timer = 0;
    this.disposed = false;
  }

  /** Starts every racer's worker and model (rejects if one cannot be built). */
  async start() {
    const sessions = await Promise.all(this.entries.map((e) => Session.create(e.model, { source: e.source, validation: null, trainOptions: e.train, detail: this.detail, chunked: true })));
    this.racers = sessions.map((session, i) => ({ entry: this.entries[i], session, points: [], lastEval: -Infinity, evaluating: null, inspection: null, lastInspect: -Infinity, inspecting: null, error: null, ms: 0, busy: false, turnStart: 0, ended: null }));
    for (const r of this.racers) {
      r.session.stopAt = this.budget;
      r.session.on((what) => {
        if (what === 'error') {
          r.error = r.session.lastError;
          this.#endTurn(r);
          this.emit('error');
        }
        if (what === 'idle') this.#endTurn(r);
      });
    }
    // A first look at every model before training (step 0).
    await Promise.all(this.racers.map((r) => this.#evaluate(r, true)));
    this.timer = /** @type {any} */ (setInterval(() => this.#tick(false), 100));
    return this;
  }

  get playing() {
    return this.racing;
  }

  /** Whether a racer has more to train (not finished, not diverged, not crashed). */
  #open(r) {
    return r.session.steps < this.budget && this.stateOf(r) === 'paused';
  }

  /** A racer's session state; once the race has ended, the one it ended in. */
  stateOf(r) {
    return r.ended ?? r.session.state;
  }

  get finished() {
    return this.racers.every((r) => !this.#open(r) && !r.busy);
  }

  play() {
    if (this.finished) return;
    this.racing = true;
    this.#schedule();
    this.emit('state');
  }

  /** Stops giving turns; the turns running finish (a few steps). */
  pause() {
    this.racing = false;
    this.emit('state');
  }

  /** One turn of `n` steps for every racer (while paused). */
  step(n = 1) {
    for (const r of this.racers) if (!r.busy && this.#open(r)) this.#turn(r, Math.min(n, this.budget - r.session.steps));
  }

  /** Gives turns to the racers with the least training time, one per free lane. */
  #schedule() {
    if (!this.racing || this.disposed) return;
    let free = this.lanes - this.racers.filter((r) => r.busy).length;
    const waiting = this.racers.filter((r) => !r.busy && this.#open(r)).sort((a, b) => a.ms - b.ms || a.session.steps - b.session.steps);
    for (const r of waiting) {
      if (free-- <= 0) break;
      this.#turn(r, Math.min(TURN, this.budget - r.session.steps));
    }
    this.#endIfDone();
  }

  /** A finished race: a last score and look of every racer, then its workers end. */
  #endIfDone() {
    if (this.ending || this.disposed || this.racers.some((r) => r.busy) || !this.finished) return;
    this.ending = true;
    this.racing = false;
    this.emit('state');
    this.#end();
  }

  async #end() {
    clearInterval(this.timer);
    const settled = (r) => Promise.all([r.evaluating, r.inspecting]);
    await Promise.all(this.racers.map(settled));
    await Promise.all(this.racers.map(async (r) => {
      if (this.disposed) return;
      if (r.points.at(-1)?.steps !== r.session.steps) await this.#evaluate(r, false);
      if (r.entry.probe && r.inspection?.step !== r.session.steps && this.stateOf(r) === 'paused') await this.#inspect(r);
    }));
    if (this.disposed) return;
    for (const r of this.racers) r.ended = r.session.state;
    await Promise.all(this.racers.map((r) => r.session.dispose()));
    this.released = true;
    this.emit('state');
  }

  #turn(r, n) {
    r.busy = true;
    r.turnStart = performance.now();
    r.session.step(n);
  }

  #endTurn(r) {
    if (!r.busy) return;
    r.busy = false;
    r.ms += performance.now() - r.turnStart;
    this.#tick(false);
    this.#schedule();
    this.#endIfDone();
  }

  /** Scores racers that are due (or all that changed, when `force`). */
  #tick(force) {
    if (this.disposed || this.ending) return;
    const now = performance.now();
    for (const r of this.racers) {
      const s = r.session;
      // Scored and inspected between turns, so each belongs to one step count.
      if (r.busy) continue;
      const last = r.points.at(-1);
      const scoreDue = now - r.lastEval >= this.evalEveryMs || !this.racing || !this.#open(r) || force;
      if (!r.evaluating && (!last || last.steps !== s.steps) && scoreDue) this.#evaluate(r, false);
      const lookDue = now - r.lastInspect >= this.inspectEveryMs || !this.racing || !this.#open(r);
      if (r.entry.probe && !r.inspecting && r.inspection?.step !== s.steps && lookDue) this.#inspect(r);
    }
  }

  #evaluate(r, initial) {
    r.evaluating = this.#score(r, initial).finally(() => { r.evaluating = null; });
    return r.evaluating;
  }

  async #score(r, initial) {
    const s = r.session;
    r.lastEval = performance.now();
    const steps = s.steps;
    const ms = r.ms;
    try {
      const out = await s.call((m) => m.predict(r.entry.test.x));
      r.points.push({ ms, steps, ...r.entry.score(out.data, r.entry.test) });
      this.emit(initial ? 'start' : 'progress');
    } catch (e) {
      r.error = /** @type {Error} */ (e);
    }
  }

  #inspect(r) {
    r.inspecting = this.#look(r).finally(() => { r.inspecting = null; });
    return r.inspecting;
  }

  async #look(r) {
    const s = r.session;
    const p = /** @type {{x: any, y: any}} */ (r.entry.probe);
    r.lastInspect = performance.now();
    const steps = s.issued;
    try {
      const ins = await s.call((m) => m.inspect(p.x, p.y));
      r.inspection = { step: steps, ...ins };
      this.emit('inspect');
    } catch {
      // Reported through the session's error event.
    }
  }

  async dispose() {
    this.disposed = true;
    this.racing = false;
    clearInterval(this.timer);
    this.listeners.clear();
    await Promise.all(this.racers.map((r) => r.session.dispose()));
  }
}
