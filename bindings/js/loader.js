// Finds and instantiates the right WebAssembly build: SIMD where the runtime validates v128
// (and wasm exception handling, which the SIMD build uses), the baseline build otherwise.
import { describe, options } from './check.js';
import { RnnlabError, fail } from './errors.js';

// (func (result v128) v128.const 0): valid only where fixed-width SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code: v128.const
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, // 16 zero bytes, end
]);

// A tag and (func try throw 0 catch 0 end): valid where wasm exception handling is supported.
const EH_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
  0x03, 0x02, 0x01, 0x00,
  0x0d, 0x03, 0x01, 0x00, 0x00, // tag section: one tag of type 0
  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x06, 0x40, 0x08, 0x00, 0x07, 0x00, 0x0b, 0x0b,
]);

function validates(bytes) {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Whether this runtime can run the SIMD build. */
export function simdSupported() {
  return validates(SIMD_PROBE) && validates(EH_PROBE);
}

const isNode = typeof process === 'object' && !!process.versions?.node;

// Static import() calls (one per build) so bundlers can see and split the glue files.
const GLUE = {
  simd: () => import('../../dist/wasm/rnnlab-simd.mjs'),
  baseline: () => import('../../dist/wasm/rnnlab-baseline.mjs'),
  'simd-threads': () => import('../../dist/wasm/rnnlab-simd-threads.mjs'),
};

/** Keys init() accepts. */
export const INIT_KEYS = ['simd', 'threads', 'locateFile', 'wasmUrl', 'wasmBinary'];

/** The most threads the core's pool uses. */
export const MAX_THREADS = 4;

/**
 * Whether this realm can run the threads build: shared memory, and (in browsers and their
 * workers) a cross-origin isolated page. Node has no such policy.
 */
export function threadsSupported() {
  return typeof SharedArrayBuffer === 'function' && (isNode || globalThis.crossOriginIsolated === true);
}

/** Threads 'auto' picks: the cores the runtime reports, at most MAX_THREADS; 1 without support. */
export function autoThreads() {
  if (!threadsSupported()) return 1;
  const cores = isNode
    ? process.getBuiltinModule?.('os')?.availableParallelism?.() ?? 1
    : globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/**
 * Checks init()'s options and picks the build.
 * @param {unknown} opts
 */
export function initPlan(opts) {
  const o = options(opts, INIT_KEYS, 'init');
  if (o.simd !== undefined && o.simd !== 'auto' && typeof o.simd !== 'boolean') {
    fail('INVALID_CONFIG', 'simd', `must be true, false or 'auto', got ${describe(o.simd)}`);
  }
  if (o.locateFile !== undefined && typeof o.locateFile !== 'function') {
    fail('INVALID_CONFIG', 'locateFile', `must be a function (path, prefix) => url, got ${describe(o.locateFile)}`);
  }
  if (o.wasmUrl !== undefined && typeof o.wasmUrl !== 'string' && !(o.wasmUrl instanceof URL)) {
    fail('INVALID_CONFIG', 'wasmUrl', `must be a string or a URL, got ${describe(o.wasmUrl)}`);
  }
  if (o.wasmBinary !== undefined && !(o.wasmBinary instanceof ArrayBuffer) && !(o.wasmBinary instanceof Uint8Array)) {
    fail('INVALID_CONFIG', 'wasmBinary', `must be an ArrayBuffer or a Uint8Array, got ${describe(o.wasmBinary)}`);
  }
  if (o.threads !== undefined && o.threads !== 'auto' &&
      !(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= MAX_THREADS)) {
    fail('INVALID_CONFIG', 'threads', `must be an integer in [1, ${MAX_THREADS}] or 'auto', got ${describe(o.threads)}`);
  }
  if (typeof o.threads === 'number' && o.threads > 1 && !threadsSupported()) {
    fail('LOAD_FAILED', 'threads', 'needs SharedArrayBuffer and, in a browser, a cross-origin isolated page (COOP/COEP headers)');
  }
  const exclusive = ['locateFile', 'wasmUrl', 'wasmBinary'].filter((k) => o[k] !== undefined);
  if (exclusive.length > 1) fail('INVALID_CONFIG', exclusive[1], `cannot be combined with ${exclusive[0]}`);
  const supported = simdSupported();
  if (o.simd === true && !supported) {
    fail('LOAD_FAILED', 'simd', 'this runtime lacks WebAssembly SIMD (or exception handling), which the SIMD build needs');
  }
  let variant = o.simd === false || !supported ? 'baseline' : 'simd';
  // Threads: the SIMD build with -pthread where the realm allows it (no baseline variant).
  // (A wasm URL or binary names one build: 'auto' then keeps to it.)
  const named = o.wasmUrl !== undefined || o.wasmBinary !== undefined;
  const threads = o.threads === undefined || o.threads === 'auto' ? (named ? 1 : autoThreads()) : o.threads;
  if (threads > 1 && variant === 'baseline' && typeof o.threads === 'number') {
    fail('INVALID_CONFIG', 'threads', 'needs the SIMD build (the baseline build has one thread)');
  }
  if (threads > 1 && variant === 'simd') variant = 'simd-threads';
  // A wasm URL or binary names one build, so the caller has to say which.
  if ((o.wasmUrl !== undefined || o.wasmBinary !== undefined) && (o.simd === undefined || o.simd === 'auto')) {
    fail('INVALID_CONFIG', 'simd', 'must be true or false when wasmUrl or wasmBinary names a specific build');
  }
  return {
    variant: /** @type {'simd' | 'baseline' | 'simd-threads'} */ (variant),
    threads: variant === 'simd-threads' ? threads : 1,
    o,
    auto: o.simd === undefined || o.simd === 'auto',
    autoThreads: o.threads === undefined || o.threads === 'auto',
  };
}

/**
 * Imports the glue of `variant` and instantiates it.
 * @param {'simd' | 'baseline' | 'simd-threads'} variant
 * @param {Record<string, any>} o init's options
 * @param {number} [threads] the pool's size (the threads build preloads threads - 1 workers)
 */
export async function instantiate(variant, o, threads = 1) {
  let factory;
  try {
    factory = (await GLUE[variant]()).default;
  } catch (e) {
    throw loadError(`could not import dist/wasm/rnnlab-${variant}.mjs (was the package built? npm run build:wasm)`, e);
  }
  /** @type {Record<string, any>} */
  const moduleArgs = {};
  let locate = o.locateFile;
  if (o.wasmUrl !== undefined) {
    let url = String(o.wasmUrl);
    // Under Node the glue reads the file from disk: give it a path.
    if (isNode && url.startsWith('file:')) url = process.getBuiltinModule('url').fileURLToPath(url);
    locate = (/** @type {string} */ path, /** @type {string} */ prefix) => (path.endsWith('.wasm') ? url : prefix + path);
  }
  // Browsers: the threads build's files by URLs a bundler can see and rewrite (the glue's own
  // `new Worker(new URL(...))` makes bundlers such as Vite bundle the CommonJS worker script as
  // an ES module, which cannot start as the classic worker the glue asks for).
  if (!locate && !isNode && variant === 'simd-threads') locate = threadsFiles;
  if (locate) moduleArgs['locateFile'] = locate;
  if (variant === 'simd-threads') {
    moduleArgs.rnnlabWorkers = threads - 1;
    if (!isNode) {
      try {
        await requireWorkerScript(locate);
      } catch (e) {
        throw loadError('the threads build cannot start its workers', e);
      }
    }
  }
  if (o.wasmBinary !== undefined) moduleArgs.wasmBinary = o.wasmBinary instanceof Uint8Array ? o.wasmBinary : new Uint8Array(o.wasmBinary);
  // Emscripten logs instantiation failures itself; while loading, keep them for the error.
  const printed = [];
  let loading = true;
  let workerFailed = (/** @type {string} */ _line) => {};
  moduleArgs.printErr = (line) => {
    if (!loading) return console.warn(`rnnlab: ${line}`);
    printed.push(line);
    if (/pthread sent an error|worker sent an error/.test(line)) workerFailed(line);
  };
  // Under Node the pthread glue sets globalThis.Worker (worker_threads) to start its workers;
  // a guest changes no global, so the name is put back once they have started.
  const hadWorker = Object.hasOwn(globalThis, 'Worker');
  const priorWorker = globalThis.Worker;
  const restoreWorker = () => {
    if (!isNode || variant !== 'simd-threads') return;
    if (hadWorker) globalThis.Worker = priorWorker;
    else delete globalThis.Worker;
  };
  try {
    const started = factory(moduleArgs);
    // A pthread worker that cannot start never settles the factory's promise: give up on the
    // first error it reports, or after THREADS_DEADLINE_MS (the caller then falls back).
    const M = variant !== 'simd-threads' ? await started : await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`its workers did not start within ${THREADS_DEADLINE_MS} ms`)), THREADS_DEADLINE_MS);
      const settle = (/** @type {Function} */ f) => (/** @type {any} */ v) => (clearTimeout(timer), f(v));
      workerFailed = (line) => settle(reject)(new Error(line));
      started.then(settle(resolve), settle(reject));
    });
    loading = false;
    if (variant === 'simd-threads') {
      M.rnnlabUnrefWorkers(); // idle workers must not keep Node running
      M._setThreads(threads); // takes the preloaded workers: no new Worker after this
    }
    restoreWorker();
    return M;
  } catch (e) {
    restoreWorker();
    throw loadError(`could not instantiate rnnlab-${variant}.wasm${printed.length ? ` (${printed.join('; ')})` : ''}`, e);
  }
}

/** How long the threads build may take to start its workers before init() gives up on it. */
const THREADS_DEADLINE_MS = 8000;

/**
 * The threads build's worker script and module, as published beside its glue. `?no-inline`
 * keeps Vite from inlining the small script as a data: URL (an opaque origin, outside the
 * page's shared memory); other bundlers and servers ignore the query.
 */
const THREADS_WORKER_URL = new URL('../../dist/wasm/rnnlab-simd-threads.worker.js?no-inline', import.meta.url).href;
const THREADS_WASM_URL = new URL('../../dist/wasm/rnnlab-simd-threads.wasm', import.meta.url).href;

/**
 * locateFile for the threads build in browsers.
 * @param {string} path
 * @param {string} prefix
 */
function threadsFiles(path, prefix) {
  if (path.endsWith('.worker.js')) return THREADS_WORKER_URL;
  if (path.endsWith('.wasm')) return THREADS_WASM_URL;
  return prefix + path;
}

/**
 * Browsers: the threads build's worker script must be fetchable (a bundler that moved the glue
 * may have left it behind); else the single-thread build is used.
 * @param {((path: string, prefix: string) => string) | undefined} locate
 */
async function requireWorkerScript(locate) {
  const name = 'rnnlab-simd-threads.worker.js';
  const url = locate ? locate(name, new URL(/* @vite-ignore */ '../../dist/wasm/', import.meta.url).href) : THREADS_WORKER_URL;
  // A bundler that inlined the script (a data: URL) left it an opaque origin without the
  // page's shared memory.
  if (url.startsWith('data:')) throw new Error(`${name} was inlined as a data: URL (raise the bundler's inline limit for it)`);
  let ok = false;
  try {
    // A GET read whole (3 KB, then in the HTTP cache for the workers): a HEAD's unread
    // response is reported as an aborted request.
    const res = await fetch(url);
    ok = res.ok;
    await res.arrayBuffer();
  } catch {
    ok = false;
  }
  if (!ok) throw new Error(`${url} is not reachable`);
}

function loadError(message, cause) {
  const err = new RnnlabError('LOAD_FAILED', '', `${message}: ${cause instanceof Error ? cause.message : String(cause)}`);
  /** @type {any} */ (err).cause = cause;
  return err;
}
