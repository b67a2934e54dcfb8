// Shared by every JS benchmark (Node and browser): the CONFIGS.md configurations
// (bench/CONFIGS.md, mirrored from ../rnnlab_bench.cpp), the data recipes,
// timing statistics and the result layout of `rnnlab_bench --json`. No Node or DOM APIs here.

/** Training configurations (CONFIGS.md's table; the same as rnnlab_bench.cpp's). */
export const TRAIN_CONFIGS = [
  { id: 'TS-S', cell: 'lstm', hidden: [32], T: 32, B: 32, lr: 1e-2, chars: false, flops: 26.0e6 },
  { id: 'TS-M', cell: 'lstm', hidden: [128, 128], T: 64, B: 64, lr: 1e-3, chars: false, flops: 4845e6 },
  { id: 'CHAR', cell: 'lstm', hidden: [256], T: 64, B: 32, lr: 2e-3, chars: true, flops: 4244e6 },
  { id: 'GRU-S', cell: 'gru', hidden: [32], T: 32, B: 32, lr: 1e-2, chars: false, flops: 19.5e6 },
  { id: 'RNN-S', cell: 'rnn', hidden: [32], T: 32, B: 32, lr: 1e-2, chars: false, flops: 6.5e6 },
];

export const ALL_IDS = ['TS-S', 'TS-M', 'CHAR', 'GRU-S', 'RNN-S', 'FORECAST', 'GEN'];
export const VOCAB = 65;
export const SERIES_POINTS = 4000;
export const BATCHES = 16; // distinct minibatches cycled through
export const FORECAST_STEPS = 200;
export const GEN_CHARS = 500;
export const PRIME = 'In the beginning';

export function trainConfig(id) {
  return TRAIN_CONFIGS.find((c) => c.id === id);
}

/**
 * A configuration outside CONFIGS.md's table (the scaling sweep, bench/sweep/): one recurrent
 * layer of `hidden` units over `features` inputs, a dense-1 regression head on the last step, MSE,
 * Adam. flops counts the matrix products as CONFIGS.md does: forward (input projection and
 * recurrent product of every step, the head) and twice that for the backward pass.
 */
export function shapeConfig({ cell = 'lstm', hidden, seq, batch, features = 8, lr = 1e-3 }) {
  const gates = { lstm: 4, gru: 3, rnn: 1 }[cell];
  if (!gates) throw new Error(`unknown cell '${cell}'`);
  for (const [k, v] of Object.entries({ hidden, seq, batch, features })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} needs a positive integer, got ${v}`);
  }
  const forward = 2 * batch * seq * gates * hidden * (features + hidden) + 2 * batch * hidden;
  return { id: 'SHAPE', cell, hidden: [hidden], T: seq, B: batch, features, lr, chars: false, flops: 3 * forward };
}

/** The shape of opt (--hidden/--seq/--batch/--features/--cell) as a config, or null without --hidden. */
export function shapeFromOptions(o) {
  if (o.hidden === undefined && o.seq === undefined && o.batch === undefined) return null;
  if (o.hidden === undefined || o.seq === undefined || o.batch === undefined) {
    throw new Error('--hidden, --seq and --batch go together');
  }
  return shapeConfig({ cell: o.cell ?? 'lstm', hidden: o.hidden, seq: o.seq, batch: o.batch, features: o.features ?? 8 });
}

/** "LSTM 32 T32 B32 1->1 MSE Adam 0.01", as rnnlab_bench prints it. */
export function describeConfig(c) {
  const head = c.chars ? 'onehot65->softmax65 CE' : `${c.features ?? 1}->1 MSE`;
  return `${c.cell.toUpperCase()} ${c.hidden.join('x')} T${c.T} B${c.B} ${head} Adam ${c.lr}`;
}

// ---- random numbers (the data only: both peers of one run see the same values) ----

/** A small seeded generator (splitmix32-style mixing of a Weyl sequence). */
export class Rng {
  constructor(seed, stream = 0) {
    this.s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    this.spare = null;
  }
  /** uniform 32-bit integer */
  u32() {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }
  /** uniform in [0, 1) */
  uniform() {
    return this.u32() / 4294967296;
  }
  /** uniform integer in [0, n) */
  below(n) {
    return Math.floor(this.uniform() * n);
  }
  /** standard normal (Box-Muller) */
  normal() {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

// ---- data (CONFIGS.md) ----

/** y(t) = sin(0.1 t) + 0.5 sin(0.031 t) + N(0, 0.05), t = 0 .. n-1. */
export function sineSeries(n = SERIES_POINTS, seed = 2026) {
  const rng = new Rng(seed);
  const y = new Float32Array(n);
  for (let t = 0; t < n; ++t) y[t] = Math.sin(0.1 * t) + 0.5 * Math.sin(0.031 * t) + 0.05 * rng.normal();
  return y;
}

/** count minibatches of many-to-one windows: x [B, T] (one feature), y [B]. */
export function seriesBatches(series, count, B, T, seed = 7) {
  const rng = new Rng(seed, 3);
  const starts = series.length - T;
  const out = [];
  for (let k = 0; k < count; ++k) {
    const x = new Float32Array(B * T);
    const y = new Float32Array(B);
    for (let i = 0; i < B; ++i) {
      const s0 = rng.below(starts);
      x.set(series.subarray(s0, s0 + T), i * T);
      y[i] = series[s0 + T];
    }
    out.push({ x, y });
  }
  return out;
}

/**
 * count minibatches of F-feature windows for shape configurations: x [B, T, F] standard normal,
 * y [B] the mean of the last step's features (a learnable target; the work is what matters).
 */
export function featureBatches(count, B, T, F, seed = 7) {
  const rng = new Rng(seed, 4);
  const out = [];
  for (let k = 0; k < count; ++k) {
    const x = new Float32Array(B * T * F);
    for (let i = 0; i < x.length; ++i) x[i] = rng.normal();
    const y = new Float32Array(B);
    for (let i = 0; i < B; ++i) {
      let sum = 0;
      for (let f = 0; f < F; ++f) sum += x[(i * T + T - 1) * F + f];
      y[i] = sum / F;
    }
    out.push({ x, y });
  }
  return out;
}

/**
 * Text bytes mapped onto at most vocab - 1 symbols (the most frequent bytes, in byte order)
 * plus one fallback id: CONFIGS.md's 65-symbol vocabulary (bench_util.h's load_corpus).
 * @param {Uint8Array} bytes
 */
export function loadCorpus(bytes, vocab = VOCAB, path = '') {
  const freq = new Float64Array(256);
  for (const b of bytes) freq[b]++;
  let used = [];
  for (let b = 0; b < 256; ++b) if (freq[b]) used.push(b);
  const distinct = used.length;
  if (used.length > vocab - 1) {
    used = used.map((b, i) => [b, i]).sort((a, c) => freq[c[0]] - freq[a[0]] || a[1] - c[1]).map((p) => p[0]);
    used = used.slice(0, vocab - 1).sort((a, c) => a - c);
  }
  const idOfByte = new Int32Array(256).fill(-1);
  used.forEach((b, i) => (idOfByte[b] = i));
  const fallback = used.length;
  const ids = new Int32Array(bytes.length);
  for (let i = 0; i < bytes.length; ++i) ids[i] = idOfByte[bytes[i]] >= 0 ? idOfByte[bytes[i]] : fallback;
  return { path, ids, distinct, symbols: fallback + (distinct > fallback ? 1 : 0), idOfByte };
}

/** count minibatches of next-character windows: x [B, T] ids, y [B, T] = x shifted by one. */
export function tokenBatches(ids, count, B, T, seed = 7) {
  const rng = new Rng(seed, 5);
  const starts = ids.length - T;
  const out = [];
  for (let k = 0; k < count; ++k) {
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    for (let i = 0; i < B; ++i) {
      const s0 = rng.below(starts);
      x.set(ids.subarray(s0, s0 + T), i * T);
      y.set(ids.subarray(s0 + 1, s0 + 1 + T), i * T);
    }
    out.push({ x, y });
  }
  return out;
}

/** The prime "In the beginning" as ids of corpus. */
export function primeIds(corpus) {
  const out = [];
  for (const ch of PRIME) {
    const id = corpus.idOfByte[ch.charCodeAt(0)];
    out.push(id >= 0 ? id : corpus.symbols - 1);
  }
  return Int32Array.from(out);
}

/** Lazily built data shared by the configurations of one run. */
export class Data {
  /** @param {() => Uint8Array | Promise<Uint8Array>} readText returns the corpus bytes */
  constructor(readText, textPath = '') {
    this.readText = readText;
    this.textPath = textPath;
    this._series = null;
    this._corpus = null;
  }
  sine() {
    return (this._series ??= sineSeries());
  }
  async text() {
    if (!this._corpus) this._corpus = loadCorpus(await this.readText(), VOCAB, this.textPath);
    return this._corpus;
  }
}

// ---- timing ----

export const now = () => performance.now();

/** numpy's default percentile (linear interpolation), as bench_util.h. */
export function percentile(sorted, q) {
  if (!sorted.length) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

export function summarize(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const n = s.length;
  return {
    n,
    median: percentile(s, 0.5),
    mean: n ? s.reduce((a, b) => a + b, 0) / n : 0,
    min: n ? s[0] : 0,
    max: n ? s[n - 1] : 0,
    p10: percentile(s, 0.1),
    p90: percentile(s, 0.9),
  };
}

/**
 * Runs fn(index, timed) untimed at least `warmup` times and for at least `warmupMs`
 * milliseconds, then `steps` times timed (awaiting each). Returns the timed ms, with
 * .warmup = the number of untimed calls and .firstMs = the first call's time.
 * budgetMs > 0 (the sweep's big points): warm-up ends once it has run budgetMs / 2 (after at
 * least one call), timing once it has run budgetMs after at least minSteps calls.
 * capMs > 0: if the first call takes longer, nothing more runs and the result has .capped.
 * onStart() is called before the first call and onFirst(ms) after it (the sweep's driver
 * watches for both to stop a run whose first step outlasts the cap). cpuNow() (ms of CPU time
 * the process has used, where the runtime has such a clock): each timed call's CPU time is
 * returned in .cpu as well, which a shared machine's load inflates far less than wall time;
 * threadCpuNow() (the calling thread's CPU ms) likewise in .threadCpu: with a thread pool that
 * sleeps while it waits, the main thread's CPU time per step (its serial part and its share of
 * the parallel work) is about the step's wall time on idle cores.
 * The time floor matters for WebAssembly: V8 starts every function in its baseline compiler
 * (Liftoff) and swaps in optimised code (TurboFan) only after it has run hot for a while, so
 * five 1 ms steps would time unoptimised code. The same rule applies to every implementation.
 */
export async function timeRuns({ warmup, steps, warmupMs = 0, budgetMs = 0, capMs = 0, minSteps = 3, onStart, onFirst, cpuNow, threadCpuNow }, fn) {
  let i = 0;
  const t0 = now();
  let firstMs = null;
  const ms = [];
  const cpu = [];
  const threadCpu = [];
  let c0 = 0;
  let tc0 = 0;
  const cpuStart = () => {
    if (cpuNow) c0 = cpuNow();
    if (threadCpuNow) tc0 = threadCpuNow();
  };
  const cpuEnd = () => {
    if (cpuNow) cpu.push(cpuNow() - c0);
    if (threadCpuNow) threadCpu.push(threadCpuNow() - tc0);
  };
  const first = async (timed) => {
    onStart?.();
    cpuStart();
    const t = now();
    await fn(i++, timed);
    firstMs = now() - t;
    if (timed) cpuEnd();
    onFirst?.(firstMs);
    return capMs > 0 && firstMs > capMs;
  };
  const warmEnough = () => budgetMs > 0 && i >= 1 && now() - t0 >= budgetMs / 2;
  if (warmup > 0 || warmupMs > 0) {
    if (await first(false)) return Object.assign(ms, { warmup: i, firstMs, capped: true });
    while ((i < warmup || (warmupMs > 0 && now() - t0 < warmupMs)) && !warmEnough()) await fn(i++, false);
  }
  const t1 = now();
  for (let k = 0; k < steps; ++k) {
    if (budgetMs > 0 && k >= minSteps && now() - t1 >= budgetMs) break;
    if (firstMs === null) {
      if (await first(true)) return Object.assign(ms, { warmup: 0, firstMs, capped: true });
      ms.push(firstMs);
      continue;
    }
    cpuStart();
    const t = now();
    await fn(i++, true);
    ms.push(now() - t);
    cpuEnd();
  }
  ms.warmup = i - ms.length;
  ms.firstMs = firstMs;
  if (cpuNow) ms.cpu = cpu;
  if (threadCpuNow) ms.threadCpu = threadCpu;
  return ms;
}

/** One result row in rnnlab_bench's --json layout. */
export function makeResult({ id, kind, desc, ms, unit, perStep, flops = 0, losses = [], params = 0, note = '', extra = {} }) {
  const st = summarize(ms);
  const r = {
    id,
    kind,
    desc,
    warmup_n: ms.warmup ?? null,
    median_ms: st.median,
    mean_ms: st.mean,
    min_ms: st.min,
    max_ms: st.max,
    p10_ms: st.p10,
    p90_ms: st.p90,
    n: st.n,
    unit,
    throughput: st.median > 0 ? (perStep * 1000) / st.median : 0,
    flops: flops > 0 ? flops : null,
    gflops: flops > 0 && st.median > 0 ? flops / (st.median * 1e6) : null,
    params,
    note,
  };
  if (ms.firstMs !== undefined) r.first_ms = ms.firstMs;
  if (ms.cpu?.length) r.cpu_median_ms = summarize(ms.cpu).median;
  if (ms.threadCpu?.length) r.thread_cpu_median_ms = summarize(ms.threadCpu).median;
  if (ms.capped) r.capped = true;
  Object.assign(r, extra);
  if (kind === 'train') {
    r.loss_first = losses.length ? losses[0] : null;
    r.loss_last = losses.length ? losses[losses.length - 1] : null;
  }
  return r;
}

// ---- options and printing ----

/** Parses the flags every JS bench takes; unknown flags throw. extra: {name: 'bool'|'string'|'int'}. */
export function parseArgs(argv, extra = {}) {
  const o = { steps: 30, warmup: 5, warmupMs: 500, only: [], json: false, list: false, text: '', budgetMs: 0, capMs: 0 };
  const kinds = {
    steps: 'int', warmup: 'int', warmupMs: 'int', only: 'list', json: 'bool', list: 'bool', text: 'string',
    hidden: 'int', seq: 'int', batch: 'int', features: 'int', cell: 'string', budgetMs: 'int', capMs: 'int', ...extra,
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      o.help = true;
      continue;
    }
    if (!a.startsWith('--')) throw new Error(`unknown argument '${a}'`);
    let name = a.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) [name, value] = [name.slice(0, eq), name.slice(eq + 1)];
    const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const kind = kinds[key];
    if (!kind) throw new Error(`unknown argument '${a}'`);
    if (kind === 'bool') {
      o[key] = value === undefined ? true : value !== 'false' && value !== '0';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`--${name} needs a value`);
      value = argv[++i];
    }
    if (kind === 'int') {
      const n = Number.parseInt(value, 10);
      if (!Number.isFinite(n)) throw new Error(`--${name} needs an integer, got '${value}'`);
      o[key] = n;
    } else if (kind === 'list') {
      o[key] = [...(o[key] ?? []), ...value.split(',').filter(Boolean)];
    } else o[key] = value;
  }
  o.steps = Math.max(1, o.steps);
  o.warmup = Math.max(0, o.warmup);
  o.warmupMs = Math.max(0, o.warmupMs);
  o.only = o.only.map((s) => {
    const id = ALL_IDS.find((x) => x.toLowerCase() === s.toLowerCase());
    if (!id) throw new Error(`unknown configuration '${s}' (have ${ALL_IDS.join(' ')})`);
    return id;
  });
  return o;
}

export function selectedIds(only) {
  return only && only.length ? ALL_IDS.filter((id) => only.includes(id)) : [...ALL_IDS];
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function headerLine() {
  return `${pad('id', 9)} ${pad('configuration', 50)} ${lpad('median ms', 10)} ${lpad('mean ms', 10)} ${lpad('min ms', 10)} ${lpad('p90 ms', 10)} ${lpad('throughput', 18)} ${lpad('GFLOP/s', 8)}`;
}

export function rowLines(r) {
  const f = (x) => (x >= 100 ? x.toFixed(1) : x.toFixed(3));
  const tp = `${Math.round(r.throughput)} ${r.unit}`;
  const gf = r.gflops ? r.gflops.toFixed(2) : '-';
  const lines = [
    `${pad(r.id, 9)} ${pad(r.desc, 50)} ${lpad(f(r.median_ms), 10)} ${lpad(f(r.mean_ms), 10)} ${lpad(f(r.min_ms), 10)} ${lpad(f(r.p90_ms), 10)} ${lpad(tp, 18)} ${lpad(gf, 8)}`,
  ];
  if (r.kind === 'train') {
    const lf = (x) => (x === null || x === undefined ? 'n/a' : Number(x).toPrecision(4));
    lines.push(`${pad('', 9)}   loss ${lf(r.loss_first)} -> ${lf(r.loss_last)} over ${r.n} steps after ${r.warmup_n} warm-up; ${r.params} parameters${r.note ? '; ' + r.note : ''}`);
  } else {
    lines.push(`${pad('', 9)}   ${r.note ? r.note + '; ' : ''}${r.n} timed after ${r.warmup_n} warm-up`);
  }
  return lines;
}

export const USAGE_COMMON = `  --steps N      timed repetitions per configuration (default 30; CONFIGS.md asks >= 30)
  --warmup N     untimed repetitions first (default 5)
  --warmup-ms T  ... and keep warming up for at least T ms (default 500; V8 tiers wasm up to
                 optimised code only after it has run a while)
  --only IDS     comma-separated subset of ${ALL_IDS.join(' ')}
  --json         print rnnlab_bench's --json layout instead of the table
  --text PATH    corpus for CHAR/GEN (default data/text/kjv-genesis.txt)
  --list         print the configuration ids
  --hidden H --seq T --batch B [--features F] [--cell lstm|gru|rnn]
                 instead of the ids: one shape (id SHAPE; F inputs, default 8, dense-1 head, MSE,
                 Adam 1e-3), as the scaling sweep (bench/sweep/) runs it
  --budget-ms T  stop warming up after T/2 ms and timing after T ms (at least 3 timed steps)
  --cap-ms T     stop after the first step if it took longer than T ms (result: capped)`;
