// rnnlab/worker: models that train off the main thread, for UIs.
//
//   import { createWorkerModel } from 'rnnlab/worker';
//   const model = await createWorkerModel({ cell: 'lstm', inputSize: 1, hiddenSize: 32 });
//   const history = await model.fit({ x, y }, { epochs: 20, onEpochEnd: (info) => draw(info) });
//   await model.dispose();
//
// createWorkerSeq2Seq() / loadWorkerSeq2Seq() do the same for an encoder-decoder, and
// createWorkerForecaster() / loadWorkerForecaster() for a forecaster. Each proxy (WorkerModel,
// WorkerSeq2Seq, WorkerForecaster) owns one worker (a module Web Worker in browsers, a
// worker_threads worker in Node) running worker_entry.js, which loads rnnlab and holds the
// model. Every method posts a message and returns a promise. Arguments are copied (the
// caller's arrays stay usable); results are handed over without a copy. fit's onBatchEnd/onEpochEnd run here, on the calling
// thread, and training waits for each to return, as on the main thread; its AbortSignal is
// relayed as a message.
import { bool, describe, options } from './check.js';
import { RnnlabError, fail } from './errors.js';
import { CALLS_OF, compactArgument, errorFromData } from './worker_protocol.js';

const isNode = typeof process === 'object' && !!process.versions?.node;
// Node resolves the entry from this variable; browsers and bundlers see the literal below
// (`new Worker(new URL('./worker_entry.js', import.meta.url), {type: 'module'})`).
const NODE_ENTRY = './worker_entry.js';

const WORKER_KEYS = ['simd', 'threads', 'wasmUrl', 'wasmBinary', 'workerUrl'];

/** Guards the constructors: proxies come from the create/load functions below. */
const TOKEN = Symbol('rnnlab.worker');

/**
 * One worker and the requests waiting for its answers. It holds no reference to the proxy, so
 * a forgotten proxy can be collected (and its worker terminated by the registry below).
 */
class Channel {
  /**
   * @param {any} worker
   * @param {boolean} node
   */
  constructor(worker, node) {
    this.worker = worker;
    this.node = node;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: any) => void, hooks?: Record<string, Function>, callbackError?: unknown}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {RnnlabError | null} set once the worker is gone: every later request rejects with it */
    this.dead = null;
    /** Whether the model was made (a failure before that is LOAD_FAILED, after it INTERNAL). */
    this.opened = false;
    const onMessage = (/** @type {any} */ msg) => this.#receive(msg);
    const onError = (/** @type {string} */ what) => this.close(new RnnlabError(this.opened ? 'INTERNAL' : 'LOAD_FAILED', '',
      `the rnnlab worker ${this.opened ? 'stopped' : 'could not start'}: ${what}`));
    if (node) {
      worker.on('message', onMessage);
      worker.on('error', (/** @type {Error} */ e) => onError(e?.message ?? String(e)));
      worker.on('messageerror', (/** @type {Error} */ e) => onError(`a message could not be read (${e?.message ?? e})`));
      worker.on('exit', (/** @type {number} */ code) => onError(`it exited with code ${code}`));
      worker.unref();
    } else {
      worker.addEventListener('message', (/** @type {MessageEvent} */ e) => onMessage(e.data));
      worker.addEventListener('error', (/** @type {ErrorEvent} */ e) => {
        e.preventDefault?.();
        onError(e.message || 'the worker script failed to load or threw (see the browser console)');
      });
      worker.addEventListener('messageerror', () => onError('a message could not be read'));
    }
  }

  /**
   * Posts a request; resolves with the worker's answer.
   * @param {Record<string, any>} msg
   * @param {Record<string, Function>} [hooks] fit callbacks by event kind
   * @returns {{id: number, done: Promise<any>}}
   */
  request(msg, hooks) {
    const id = this.nextId++;
    const done = new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      try {
        this.worker.postMessage({ ...msg, id });
      } catch (e) {
        return reject(new RnnlabError('INVALID_ARGUMENT', '',
          `the arguments of ${msg.method ?? msg.type}() cannot be sent to the worker (only data: numbers, strings, arrays, typed arrays, plain objects): ${e instanceof Error ? e.message : e}`));
      }
      this.pending.set(id, { resolve, reject, hooks });
      if (this.node && this.pending.size === 1) this.worker.ref();
    });
    return { id, done };
  }

  /** Posts a message that has no answer (acks, aborts). */
  send(msg) {
    if (!this.dead) this.worker.postMessage(msg);
  }

  #settle(id) {
    const p = this.pending.get(id);
    this.pending.delete(id);
    // An idle worker does not keep Node running; a pending request does.
    if (this.node && this.pending.size === 0 && !this.dead) this.worker.unref();
    return p;
  }

  #receive(msg) {
    if (msg?.type === 'event') {
      const p = this.pending.get(msg.id);
      const hook = p?.hooks?.[msg.kind];
      if (!p || !hook) return this.send({ type: 'ack', id: msg.id, ok: true });
      Promise.resolve()
        .then(() => hook(msg.info))
        .then(() => this.send({ type: 'ack', id: msg.id, ok: true }), (e) => {
          p.callbackError = e;
          this.send({ type: 'ack', id: msg.id, ok: false });
        });
      return;
    }
    if (msg?.type !== 'reply') return;
    const p = this.#settle(msg.id);
    if (!p) return;
    if (msg.ok) p.resolve(msg.value);
    else if (msg.error?.callback) p.reject(p.callbackError);
    else p.reject(errorFromData(msg.error));
  }

  /**
   * Ends the worker; pending requests reject with `error`.
   * @param {RnnlabError} error
   */
  close(error) {
    if (this.dead) return;
    this.dead = error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    try {
      this.worker.terminate();
    } catch {
      // Already gone.
    }
    for (const p of pending) p.reject(error);
  }
}

// Terminates the worker of a proxy that was garbage-collected without dispose().
const registry = new FinalizationRegistry((/** @type {Channel} */ ch) =>
  ch.close(new RnnlabError('DISPOSED', 'model', 'was garbage-collected without dispose()')));

/**
 * Checks the worker options; returns the init() options for the worker and the script URL.
 * @param {unknown} opts
 * @param {string} where
 */
function workerPlan(opts, where) {
  if (opts !== null && typeof opts === 'object' && 'locateFile' in opts) {
    fail('INVALID_CONFIG', 'locateFile', 'is a function and cannot reach the worker; give wasmUrl (or wasmBinary) instead');
  }
  const o = options(opts, WORKER_KEYS, where, 'workerOptions');
  const { workerUrl, ...initOptions } = o;
  if (workerUrl !== undefined && typeof workerUrl !== 'string' && !(workerUrl instanceof URL)) {
    fail('INVALID_CONFIG', 'workerUrl', `must be a string or a URL, got ${describe(workerUrl)}`);
  }
  // URL objects do not cross postMessage; their text does.
  if (initOptions.wasmUrl instanceof URL) initOptions.wasmUrl = initOptions.wasmUrl.href;
  return { initOptions, workerUrl };
}

/**
 * Starts a worker running worker_entry.js.
 * @param {string | URL | undefined} workerUrl
 * @returns {Channel}
 */
function spawn(workerUrl) {
  if (isNode) {
    const { Worker: NodeWorker } = /** @type {any} */ (process).getBuiltinModule('node:worker_threads');
    let entry = workerUrl === undefined ? new URL(NODE_ENTRY, import.meta.url) : workerUrl;
    // Node reads a string as a path: a file: or data: URL must reach it as a URL object.
    if (typeof entry === 'string' && /^(file|data):/i.test(entry)) entry = new URL(entry);
    // Workers inherit the process's flags; --input-type (for `node -e`) makes a worker fail.
    const execArgv = process.execArgv.filter((f) => !f.startsWith('--input-type'));
    return new Channel(construct(() => new NodeWorker(entry, { execArgv })), true);
  }
  if (typeof Worker !== 'function') fail('LOAD_FAILED', '', 'this environment has no Web Workers; use init() from rnnlab instead');
  const worker = workerUrl === undefined
    ? construct(() => new Worker(new URL('./worker_entry.js', import.meta.url), { type: 'module' }))
    : construct(() => new Worker(workerUrl, { type: 'module' }));
  return new Channel(worker, false);
}

/**
 * Starts a worker; a synchronous refusal (a bad path or URL, a security error) is LOAD_FAILED.
 * @param {() => any} make
 */
function construct(make) {
  try {
    return make();
  } catch (e) {
    const err = new RnnlabError('LOAD_FAILED', 'workerUrl', `the rnnlab worker could not start: ${e instanceof Error ? e.message : String(e)}`);
    /** @type {any} */ (err).cause = e;
    throw err;
  }
}

async function open(Cls, openMsg, workerOptions, where) {
  const { initOptions, workerUrl } = workerPlan(workerOptions, where);
  const ch = spawn(workerUrl);
  let info;
  try {
    info = await ch.request({ type: 'open', init: initOptions, kind: Cls === WorkerSeq2Seq ? 'seq2seq' : Cls === WorkerForecaster ? 'forecaster' : 'model', ...openMsg }).done;
  } catch (e) {
    ch.close(e instanceof RnnlabError ? e : new RnnlabError('LOAD_FAILED', '', String(e)));
    throw e;
  }
  ch.opened = true;
  return new Cls(TOKEN, ch, info);
}

/**
 * A copy of saved model bytes that can be sent to a worker.
 * @param {unknown} bytes
 */
function fileBytes(bytes) {
  if (!(bytes instanceof ArrayBuffer) && !ArrayBuffer.isView(bytes)) {
    fail('INVALID_ARGUMENT', 'bytes', `must be a Uint8Array or an ArrayBuffer (what save() returns), got ${describe(bytes)}`);
  }
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return u8.slice();
}

/**
 * Starts a worker, loads rnnlab in it and creates a model there.
 * @param {Record<string, any>} [modelOptions] as rnn.createModel()
 * @param {{simd?: boolean | 'auto', wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array, workerUrl?: string | URL}} [workerOptions]
 * @returns {Promise<WorkerModel>}
 */
export async function createWorkerModel(modelOptions, workerOptions) {
  return open(WorkerModel, { create: compactArgument(modelOptions) }, workerOptions, 'createWorkerModel');
}

/**
 * Starts a worker, loads rnnlab in it and loads a model saved by save() there.
 * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
 * @param {{simd?: boolean | 'auto', wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array, workerUrl?: string | URL}} [workerOptions]
 * @returns {Promise<WorkerModel>}
 */
export async function loadWorkerModel(bytes, workerOptions) {
  return open(WorkerModel, { load: fileBytes(bytes) }, workerOptions, 'loadWorkerModel');
}

/**
 * Starts a worker, loads rnnlab in it and creates an encoder-decoder there.
 * @param {Record<string, any>} seq2seqOptions as rnn.createSeq2Seq()
 * @param {{simd?: boolean | 'auto', wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array, workerUrl?: string | URL}} [workerOptions]
 * @returns {Promise<WorkerSeq2Seq>}
 */
export async function createWorkerSeq2Seq(seq2seqOptions, workerOptions) {
  return open(WorkerSeq2Seq, { create: compactArgument(seq2seqOptions) }, workerOptions, 'createWorkerSeq2Seq');
}

/**
 * Starts a worker, loads rnnlab in it and loads an encoder-decoder saved by save() there.
 * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
 * @param {{simd?: boolean | 'auto', wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array, workerUrl?: string | URL}} [workerOptions]
 * @returns {Promise<WorkerSeq2Seq>}
 */
export async function loadWorkerSeq2Seq(bytes, workerOptions) {
  return open(WorkerSeq2Seq, { load: fileBytes(bytes) }, workerOptions, 'loadWorkerSeq2Seq');
}

/** A duck-typed AbortSignal that can tell the worker when it fires. */
function isAbortSignal(v) {
  return v !== null && typeof v === 'object' && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function';
}

// What the subclasses reach of the base (a module-private symbol, not part of the API).
const CALL = Symbol('call');
const RELAY_FIT = Symbol('relayFit');
const INFO = Symbol('info');

/**
 * What every worker proxy shares: the channel to its worker, what the worker reported when it
 * opened, calls with copied arguments, fit with its callbacks kept on this thread, disposal.
 */
class WorkerProxy {
  #ch;
  #info;
  #what;
  #disposed = false;
  /** @type {Promise<void> | null} */
  #disposing = null;

  /**
   * @param {symbol} token
   * @param {Channel} ch
   * @param {any} info
   * @param {'model' | 'forecaster'} what the noun errors use
   */
  constructor(token, ch, info, what) {
    if (token !== TOKEN) fail('INVALID_STATE', new.target.name, `use the create/load functions of rnnlab/worker to make a worker ${what}`);
    this.#ch = ch;
    this.#info = info;
    this.#what = what;
    registry.register(this, ch, this);
  }

  #gone() {
    return new RnnlabError('DISPOSED', this.#what, `was disposed; create or load a new ${this.#what}`);
  }

  /** What the worker reported when it opened; throws once disposed. */
  get [INFO]() {
    if (this.#disposed) throw this.#gone();
    return this.#info;
  }

  /** Whether the worker loaded the SIMD build. */
  get simd() {
    return this.#info.simd;
  }

  /** Threads of the worker's core pool: more than 1 only where it loaded the threads build. */
  get threads() {
    return this.#info.threads;
  }

  /** Whether dispose() was called. */
  get disposed() {
    return this.#disposed;
  }

  /**
   * Runs a method of the worker's object with these arguments (copied).
   * @param {string} method
   * @param {unknown[]} args
   * @param {Record<string, unknown>} [route] extra message fields saying which object
   */
  async [CALL](method, args, route) {
    if (this.#disposed) throw this.#gone();
    return this.#ch.request({ type: 'call', ...route, method, args: args.map((a) => compactArgument(a)) }).done;
  }

  /**
   * A fit in the worker: callbacks named in `hookKeys` ([option, hook] pairs) stay on this
   * thread and the worker waits for each; an AbortSignal is relayed as an abort message.
   * @param {unknown} data
   * @param {unknown} opts
   * @param {ReadonlyArray<readonly [string, string]>} hookKeys
   * @param {Record<string, unknown>} [route]
   */
  async [RELAY_FIT](data, opts, hookKeys, route) {
    if (this.#disposed) throw this.#gone();
    let sent = opts;
    /** @type {Record<string, Function>} */
    const hooks = {};
    /** @type {Record<string, boolean>} */
    const flags = { signal: false, aborted: false };
    for (const [, kind] of hookKeys) flags[kind] = false;
    /** @type {any} */
    let signal;
    if (opts !== null && typeof opts === 'object' && !Array.isArray(opts) && !ArrayBuffer.isView(opts)) {
      const o = /** @type {Record<string, any>} */ ({ ...opts });
      for (const [key, kind] of hookKeys) {
        // Functions stay here; anything else goes on so the worker names the bad option.
        if (typeof o[key] === 'function') {
          hooks[kind] = o[key];
          flags[kind] = true;
          delete o[key];
        }
      }
      if (o.signal !== undefined && o.signal !== null && typeof o.signal === 'object' && typeof o.signal.aborted === 'boolean') {
        if (!isAbortSignal(o.signal)) {
          fail('INVALID_CONFIG', 'signal', 'must be an AbortSignal (with addEventListener) to reach the worker');
        }
        signal = o.signal;
        flags.signal = true;
        flags.aborted = signal.aborted;
        delete o.signal;
      }
      sent = compactArgument(o);
    }
    const { id, done } = this.#ch.request({ type: 'fit', ...route, data: compactArgument(data), options: sent, hooks: flags }, hooks);
    const onAbort = () => this.#ch.send({ type: 'abort', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Heap statistics of the worker's WebAssembly module (as rnn.heapStats()). */
  async heapStats() {
    if (this.#disposed) throw this.#gone();
    return this.#ch.request({ type: 'heap' }).done;
  }

  /**
   * Frees the object in the worker and terminates the worker; requests still pending reject
   * with DISPOSED. Idempotent: later calls return the same promise.
   * @returns {Promise<void>}
   */
  dispose() {
    if (this.#disposing) return this.#disposing;
    this.#disposed = true;
    registry.unregister(this);
    const ch = this.#ch;
    this.#disposing = ch.request({ type: 'dispose' }).done
      .catch(() => {})
      .then(() => ch.close(this.#gone()));
    return this.#disposing;
  }
}

/**
 * What both model proxies share: the description of the model, and the methods Model and
 * Seq2Seq have alike (training, weights, files).
 */
class WorkerHandle extends WorkerProxy {
  /**
   * @param {symbol} token
   * @param {Channel} ch
   * @param {any} info
   */
  constructor(token, ch, info) {
    super(token, ch, info, 'model');
    Object.freeze(info.config.hiddenSize);
    Object.freeze(info.config);
  }

  /** The model's configuration (the creating function's option names). */
  get config() {
    return this[INFO].config;
  }

  /** Number of trainable parameters. */
  get parameterCount() {
    return this[INFO].parameterCount;
  }

  /** The metadata string stored by save() ('' for a new model). */
  get metadata() {
    return this[INFO].metadata;
  }

  /** One optimizer step on one batch; resolves with the batch's mean loss. */
  trainBatch(x, y, opts) {
    return this[CALL]('trainBatch', [x, y, opts]);
  }

  /**
   * Trains in the worker; resolves with the loss history. onBatchEnd/onEpochEnd run on this
   * thread (training waits for them); the signal stops training between batches.
   * @param {{x: unknown, y: unknown, mask?: unknown}} data
   * @param {Record<string, any>} [opts]
   */
  async fit(data, opts) {
    return this[RELAY_FIT](data, opts, [['onBatchEnd', 'batch'], ['onEpochEnd', 'epoch']]);
  }

  /** Mean loss over a batch without training. */
  evaluate(x, y, opts) {
    return this[CALL]('evaluate', [x, y, opts]);
  }

  /** Forward and backward over one batch; resolves with the states, gates and gradient norms. */
  inspect(x, y, opts) {
    return this[CALL]('inspect', y === undefined && opts === undefined ? [x] : [x, y, opts]);
  }

  /** Resolves with copies of every weight in PyTorch's names and layouts. */
  getWeights() {
    return this[CALL]('getWeights', []);
  }

  /** Sets every weight (bit-exact copies). */
  setWeights(weights) {
    return this[CALL]('setWeights', [weights]);
  }

  /** Resolves with the model as versioned bytes (what the load functions read). */
  save(opts) {
    return this[CALL]('save', [opts]);
  }
}

export async function createWorkerForecaster(forecasterOptions, workerOptions) {
  return open(WorkerForecaster, { forecaster: { create: compactArgument(forecasterOptions) } }, workerOptions, 'createWorkerForecaster');
}

/**
 * Starts a worker and loads a forecaster saved by forecaster.save() there.
 * @param {Uint8Array | ArrayBuffer | ArrayBufferView} bytes
 * @param {{simd?: boolean | 'auto', wasmUrl?: string | URL, wasmBinary?: ArrayBuffer | Uint8Array, workerUrl?: string | URL}} [workerOptions]
 * @returns {Promise<WorkerForecaster>}
 */
export async function loadWorkerForecaster(bytes, workerOptions) {
  if (!(bytes instanceof ArrayBuffer) && !ArrayBuffer.isView(bytes)) {
    fail('INVALID_ARGUMENT', 'bytes', `must be a Uint8Array or an ArrayBuffer (what forecaster.save() returns), got ${describe(bytes)}`);
  }
  const u8 = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return open(WorkerForecaster, { forecaster: { load: u8.slice() } }, workerOptions, 'loadWorkerForecaster');
}

/** Messages to the worker's forecaster carry this field (worker_entry.js routes on it). */
const TO_FORECASTER = Object.freeze({ forecaster: true });

/**
 * A forecaster that lives in its own worker: fitting never blocks the page. Methods mirror
 * Forecaster's and return promises; dispose() frees it and ends the worker.
 */
export class WorkerForecaster extends WorkerProxy {
  /**
   * @param {symbol} token
   * @param {Channel} ch
   * @param {any} info
   */
  constructor(token, ch, info) {
    super(token, ch, info, 'forecaster');
  }

  /**
   * Fits in the worker; resolves with describe()'s report. onProgress runs on this thread
   * (fitting waits for it); the signal stops the fit (it rejects with ABORTED).
   * @param {unknown} values
   * @param {Record<string, any>} [opts]
   */
  async fit(values, opts) {
    return this[RELAY_FIT](values, opts, [['onProgress', 'progress']], TO_FORECASTER);
  }

  /**
   * Resolves with {mean, intervals} for h steps past the end (as Forecaster.forecast()).
   * @param {number} h
   * @param {{levels?: number[]}} [opts]
   */
  forecast(h, opts) {
    return this[CALL]('forecast', [h, opts], TO_FORECASTER);
  }

  /** Resolves with what the forecaster chose and why. */
  describe() {
    return this[CALL]('describe', [], TO_FORECASTER);
  }

  /** Resolves with the fitted forecaster as bytes (rnn.loadForecaster() / loadWorkerForecaster() read them). */
  save() {
    return this[CALL]('save', [], TO_FORECASTER);
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  /** `await using model = await createWorkerModel(...)` disposes it at the end of the block. */
  Object.defineProperty(WorkerProxy.prototype, Symbol.asyncDispose, {
    value: function asyncDispose() {
      return this.dispose();
    },
  });
}

/**
 * A model that lives in its own worker. Methods mirror Model's and return promises; create it
 * with createWorkerModel() or loadWorkerModel(); dispose() frees the model and ends the worker.
 */
export class WorkerModel extends WorkerHandle {
  /** Batched inference from zero state: resolves with {data, shape}. */
  predict(x) {
    return this[CALL]('predict', [x]);
  }

  /** Zeroes the carried state for `batch` rows. */
  resetState(batch) {
    return this[CALL]('resetState', [batch]);
  }

  /** One time step from the carried state; resolves with [batch, outputSize] outputs. */
  step(x) {
    return this[CALL]('step', [x]);
  }

  /** Autoregressive forecast; resolves with `steps` predictions. */
  forecast(window, steps) {
    return this[CALL]('forecast', [window, steps]);
  }

  /** Samples token ids after a prime; resolves with an Int32Array. */
  generate(opts) {
    return this[CALL]('generate', [opts]);
  }

  /** The next-token distribution after `prime`. */
  nextTokenProbabilities(prime, opts) {
    return this[CALL]('nextTokenProbabilities', [prime, opts]);
  }

  /**
   * Resolves with the model as ONNX bytes, as Model.exportOnnx (the weights come from the
   * worker; the conversion runs on this thread).
   * @param {{state?: boolean}} [opts]
   */
  async exportOnnx(opts) {
    const o = options(opts, ['state'], 'exportOnnx');
    const state = bool(o.state, 'state', false);
    const config = this.config;
    const weights = await this.getWeights();
    return (await import('./interop/onnx_export.js')).modelToOnnx(config, weights, { state });
  }

  /** Resolves with the model as a TF.js LayersModel, as Model.exportKeras. */
  async exportKeras() {
    const config = this.config;
    const weights = await this.getWeights();
    return (await import('./interop/keras_export.js')).modelToKeras(config, weights);
  }
}

/**
 * An encoder-decoder that lives in its own worker. Methods mirror Seq2Seq's and return
 * promises; create it with createWorkerSeq2Seq() or loadWorkerSeq2Seq(); dispose() frees it
 * and ends the worker.
 */
export class WorkerSeq2Seq extends WorkerHandle {
  /** Greedy decoding of one source sequence or a batch, as Seq2Seq.translate(). */
  translate(ids, opts) {
    return this[CALL]('translate', opts === undefined ? [ids] : [ids, opts]);
  }

  /**
   * Resolves with the encoder and the decoder as two ONNX models, as Seq2Seq.exportOnnx (the
   * weights come from the worker; the conversion runs on this thread).
   */
  async exportOnnx() {
    const config = this.config;
    const weights = await this.getWeights();
    return (await import('./interop/onnx_export.js')).seq2seqToOnnx(config, weights);
  }
}

// Checked against the worker's lists so the files cannot drift apart.
for (const [Cls, calls] of /** @type {const} */ ([[WorkerModel, CALLS_OF.model], [WorkerSeq2Seq, CALLS_OF.seq2seq]])) {
  for (const m of calls) {
    if (typeof /** @type {any} */ (Cls.prototype)[m] !== 'function') throw new Error(`${Cls.name} lacks ${m}`);
  }
}

export { RnnlabError };
