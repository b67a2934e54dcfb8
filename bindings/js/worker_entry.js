// The worker side of 'rnnlab/worker': a module worker (browsers) or a worker_threads worker
// (Node) that loads rnnlab with init() and owns one Model, one Seq2Seq or one Forecaster (open
// with `forecaster: {create | load}`; its calls and fit carry `forecaster: true`). worker.js
// starts it and talks to it with the messages below; users never import this file.
//
//   main -> worker                                 worker -> main
//   {type:'open', id, init, kind, create|load}      {type:'reply', id, ok, value|error}
//   {type:'call', id, method, args}                 {type:'event', id, kind:'batch'|'epoch', info}
//   {type:'fit', id, data, options, hooks}
//   {type:'ack', id, ok}      a relayed callback has returned (ok false: it threw)
//   {type:'abort', id}        the fit's AbortSignal fired
//   {type:'heap', id}         the module's heapStats()
//   {type:'dispose', id}
import { fail } from './errors.js';
import { NETWORK_WORKERS } from './forecaster/forecaster.js';
import { init } from './index.js';
import { CALLS_OF, FORECASTER_CALLS, errorToData, transferables } from './worker_protocol.js';

const isNode = typeof process === 'object' && !!process.versions?.node && typeof WorkerGlobalScope === 'undefined';

/** Posts to the main thread, handing over the given buffers. */
let post;
/** Registers the handler of messages from the main thread. */
let listen;
if (isNode) {
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  if (!parentPort) throw new Error('rnnlab/worker_entry.js runs inside a worker; import "rnnlab/worker" instead');
  post = (msg, transfer) => parentPort.postMessage(msg, transfer);
  listen = (fn) => parentPort.on('message', fn);
} else {
  post = (msg, transfer) => self.postMessage(msg, transfer);
  listen = (fn) => self.addEventListener('message', (e) => fn(/** @type {MessageEvent} */ (e).data));
}

/** @type {import('./index.js').Rnnlab | null} */
let rnn = null;
/** @type {import('./model.js').Model | import('./seq2seq.js').Seq2Seq | null} */
let model = null;
/** What `model` is: 'model' or 'seq2seq' (which methods the proxy may call). */
let kind = 'model';
/** @type {import('./forecaster/forecaster.js').Forecaster | null} */
let forecaster = null;
/** A callback's failure: fit stops, and the main thread rethrows the callback's own error. */
class CallbackFailed extends Error {}
/** Per running fit: its AbortController and the resolver of the callback in flight. */
const fits = new Map();

function reply(id, value) {
  post({ type: 'reply', id, ok: true, value }, transferables(value));
}

function replyError(id, e) {
  post({ type: 'reply', id, ok: false, error: e instanceof CallbackFailed ? { callback: true } : errorToData(e) });
}

function live() {
  if (!model) fail('DISPOSED', 'model', 'was disposed; create or load a new model');
  return model;
}

/** The proxy's description of the model (fixed for its lifetime). */
function describeModel(rnn) {
  const m = live();
  return { config: m.config, parameterCount: m.parameterCount, metadata: m.metadata, simd: rnn.simd, threads: rnn.threads, kernel: rnn.kernel, version: rnn.version };
}

async function open(msg) {
  rnn = await init(msg.init);
  if (msg.forecaster) {
    const f = msg.forecaster;
    forecaster = f.load ? rnn.loadForecaster(f.load) : rnn.createForecaster(f.create);
    // Its networks train side by side in workers of their own where cores allow, each on one
    // thread: their parallelism is across the networks (a pool of threads in each, on as many
    // cores as there are workers, made 2-core runs 0.75-0.86x the main thread's speed; results
    // are identical for any thread count).
    const cores = isNode ? /** @type {any} */ (process).getBuiltinModule('node:os').availableParallelism() : (typeof navigator === 'object' && navigator.hardwareConcurrency) || 1;
    const count = Math.min(4, cores);
    const initOptions = { ...(msg.init ?? {}), simd: rnn.simd };
    /** @type {any} */ (forecaster)[NETWORK_WORKERS] = {
      count,
      spawnModel: async (options) => (await import('./worker.js')).createWorkerModel(options, { ...initOptions, threads: 1 }),
    };
    return { simd: rnn.simd, threads: rnn.threads, kernel: rnn.kernel, version: rnn.version };
  }
  if (!Object.hasOwn(CALLS_OF, msg.kind)) fail('INTERNAL', '', `unknown model kind '${msg.kind}'`);
  kind = msg.kind;
  if (kind === 'seq2seq') model = msg.load ? rnn.loadSeq2Seq(msg.load) : rnn.createSeq2Seq(msg.create);
  else model = msg.load ? rnn.loadModel(msg.load) : rnn.createModel(msg.create);
  return describeModel(rnn);
}

function liveForecaster() {
  if (!forecaster) fail('DISPOSED', 'forecaster', 'was disposed; create or load a new forecaster');
  return forecaster;
}

async function fit(msg) {
  const m = msg.forecaster ? liveForecaster() : live();
  const { hooks } = msg;
  const controller = new AbortController();
  if (hooks.aborted) controller.abort();
  const state = { controller, ack: /** @type {null | ((ok: boolean) => void)} */ (null) };
  fits.set(msg.id, state);
  // A relayed callback: the event goes to the main thread, which runs the user's function and
  // acknowledges; training waits for that, as it awaits a callback on the main thread.
  const relay = (kind) => (info) => new Promise((resolve, reject) => {
    state.ack = (ok) => (ok ? resolve(undefined) : reject(new CallbackFailed()));
    post({ type: 'event', id: msg.id, kind, info });
  });
  /** @type {Record<string, unknown>} */
  let options = msg.options;
  if (options !== null && typeof options === 'object' && !Array.isArray(options)) {
    options = { ...options };
    if (hooks.batch) options.onBatchEnd = relay('batch');
    if (hooks.epoch) options.onEpochEnd = relay('epoch');
    if (hooks.progress) options.onProgress = relay('progress');
    if (hooks.signal) options.signal = controller.signal;
  }
  try {
    return await m.fit(msg.data, /** @type {any} */ (options));
  } finally {
    fits.delete(msg.id);
  }
}

async function handle(msg) {
  switch (msg.type) {
    case 'open':
      return open(msg);
    case 'call': {
      if (msg.forecaster) {
        if (!FORECASTER_CALLS.includes(msg.method)) fail('INVALID_ARGUMENT', 'method', `unknown forecaster method '${msg.method}'`);
        const f = /** @type {any} */ (liveForecaster());
        return f[msg.method](...msg.args);
      }
      if (!CALLS_OF[kind].includes(msg.method)) fail('INVALID_ARGUMENT', 'method', `unknown ${kind} method '${msg.method}'`);
      const m = /** @type {any} */ (live());
      return m[msg.method](...msg.args);
    }
    case 'fit':
      return fit(msg);
    case 'heap':
      return rnn?.heapStats();
    case 'dispose':
      model?.dispose();
      model = null;
      forecaster?.dispose();
      forecaster = null;
      return undefined;
    default:
      return fail('INTERNAL', '', `unknown message type '${msg.type}'`);
  }
}

listen((msg) => {
  if (msg.type === 'ack') {
    const state = fits.get(msg.id);
    const ack = state?.ack;
    if (state) state.ack = null;
    ack?.(msg.ok);
    return;
  }
  if (msg.type === 'abort') {
    fits.get(msg.id)?.controller.abort();
    return;
  }
  // Every request is answered, synchronous failures included.
  Promise.resolve()
    .then(() => handle(msg))
    .then((value) => reply(msg.id, value), (e) => replyError(msg.id, e));
});
