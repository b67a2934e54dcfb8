// Soak: create / train / predict / save / load / dispose cycles through the JS API, mixing every
// cell (RNN, LSTM, GRU in both variants), every input encoding, both heads and both model kinds
// (Model and Seq2Seq), reporting the wasm heap (bytes malloc has handed out, memory size) and
// the JS heap (after a full GC) as it goes.
//
//   node tests/tools/soak.mjs [cycles=10000] [--simd=false]
//
// Exits 1 if the wasm heap grew or JS objects accumulated (the tolerances below, which
// tests/js/memory.test.mjs asserts on a bounded run). tests/js/memory.test.mjs imports runSoak from here.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Each cycle uses the next spec: Models of every cell and encoding, and Seq2Seqs. */
export const SPECS = [
  { kind: 'model', cell: 'lstm', inputSize: 2, hiddenSize: [6, 4], outputSize: 2 },
  { kind: 'model', cell: 'gru', vocabSize: 12, hiddenSize: 8, outputSize: 12, head: 'softmax', output: 'sequence' },
  { kind: 'model', cell: 'gru', gruVariant: 'classic', inputEncoding: 'onehot', vocabSize: 7, hiddenSize: 5, outputSize: 3, head: 'softmax' },
  { kind: 'model', cell: 'rnn', inputSize: 1, hiddenSize: 7, outputSize: 1, dropout: 0 },
  { kind: 'seq2seq', cell: 'gru', inputVocab: 9, outputVocab: 8, hiddenSize: 6 },
  { kind: 'seq2seq', cell: 'lstm', inputVocab: 6, outputVocab: 5, hiddenSize: [4, 4] },
  { kind: 'model', cell: 'lstm', inputEncoding: 'embedding', vocabSize: 20, embeddingSize: 4, hiddenSize: 6, outputSize: 1 },
];

/**
 * Tolerances (justified in tests/js/memory.test.mjs): malloc's count of bytes in use may move
 * by allocator bookkeeping only; no kind of JS object may grow in number with the cycles. The
 * JS heap's size after GC is reported, not judged: over short runs it drifts up by the code
 * V8's JIT compiles and optimises (heap snapshots show that growth is all code objects).
 */
export const WASM_TOLERANCE_BYTES = 4096;

const B = 6, T = 5;

function features(n, seed) {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + seed));
}
function ids(n, vocab, seed) {
  return Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % vocab);
}

/**
 * One cycle of spec `i % SPECS.length`; returns a number derived from the outputs (so nothing
 * is optimised away) and throws if the loaded model does not predict as the saved one.
 * @param {any} rnn
 * @param {number} i
 */
export async function cycle(rnn, i) {
  const { kind, ...opts } = SPECS[i % SPECS.length];
  if (kind === 'seq2seq') {
    const s = rnn.createSeq2Seq({ ...opts, seed: i });
    const src = { data: ids(B * T, opts.inputVocab, i), shape: [B, T] };
    const tgt = { data: ids(B * 3, opts.outputVocab, i + 1), shape: [B, 3] };
    s.trainBatch(src, tgt, { optimizer: { name: 'adam', lr: 1e-2 } });
    const a = s.translate(src, { maxLength: 4 });
    const loaded = rnn.loadSeq2Seq(s.save({ metadata: `cycle ${i}` }));
    const b = loaded.translate(src, { maxLength: 4 });
    if (a.data.join() !== b.data.join()) throw new Error(`cycle ${i}: the loaded Seq2Seq translates differently`);
    loaded.dispose();
    s.dispose();
    return a.data[0];
  }
  const m = rnn.createModel({ ...opts, seed: i });
  const tokens = opts.vocabSize !== undefined;
  const x = tokens ? { data: ids(B * T, opts.vocabSize, i), shape: [B, T] } : { data: features(B * T * opts.inputSize, i), shape: [B, T, opts.inputSize] };
  const rows = opts.output === 'sequence' ? B * T : B;
  const y = opts.head === 'softmax'
    ? { data: ids(rows, opts.outputSize, i + 2), shape: opts.output === 'sequence' ? [B, T] : [B] }
    : { data: features(rows * opts.outputSize, i + 3), shape: [B, opts.outputSize] };
  await m.fit({ x, y }, { epochs: 2, batchSize: 3, optimizer: { name: 'adam', lr: 1e-2 } });
  const p = m.predict(x);
  const loaded = rnn.loadModel(m.save({ metadata: `cycle ${i}` }));
  const q = loaded.predict(x);
  for (let k = 0; k < p.data.length; k++) {
    if (!Object.is(p.data[k], q.data[k])) throw new Error(`cycle ${i}: the loaded model predicts differently`);
  }
  loaded.dispose();
  m.dispose();
  return p.data[0];
}

/** A full GC (without --expose-gc on the command line). */
export const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

/** JS heap bytes in use after a full collection (twice: finalizers may free more). */
export function jsHeapUsed() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * JS objects on the heap (after a full GC) counted by kind: "type:constructor or name" ->
 * count. V8's own code objects (compiled and optimised functions, whose number drifts as the
 * JIT works) are left out: they are not the program's objects. Returned as one JSON string,
 * so that holding the counts between two snapshots adds a single object to the second.
 * @returns {string}
 */
export function jsObjectCounts() {
  gc();
  const file = v8.writeHeapSnapshot(path.join(tmpdir(), `rnnlab-soak-${process.pid}-${Date.now()}.heapsnapshot`));
  try {
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    const meta = snap.snapshot.meta;
    const width = meta.node_fields.length;
    const typeAt = meta.node_fields.indexOf('type'), nameAt = meta.node_fields.indexOf('name');
    const types = meta.node_types[typeAt];
    const counts = new Map();
    for (let i = 0; i < snap.nodes.length; i += width) {
      const type = types[snap.nodes[i + typeAt]];
      if (type === 'code' || type === 'hidden' || type === 'synthetic') continue;
      const key = `${type}:${type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[snap.nodes[i + nameAt]]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return JSON.stringify([...counts]);
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Kinds of JS object whose count grew by at least `threshold` from `before` to `after`
 * (two jsObjectCounts() results).
 * @param {string} before
 * @param {string} after
 * @param {number} threshold
 */
export function grownKinds(before, after, threshold) {
  const out = [];
  const old = new Map(JSON.parse(before));
  for (const [k, n] of JSON.parse(after)) {
    const grew = n - (old.get(k) ?? 0);
    if (grew >= threshold) out.push(`${k} +${grew}`);
  }
  return out;
}

/**
 * Runs `cycles` cycles after `warmup` more; reports every `every` cycles. Returns the samples
 * ({cycle, inUseBytes, memoryBytes, liveHandles, jsHeapBytes}) and the JS heap's growth per
 * cycle as the least-squares slope over them, and the kinds of JS object that grew in number.
 * @param {any} rnn
 * @param {{cycles: number, warmup?: number, every?: number, onSample?: (s: any) => void, countObjects?: boolean}} o
 */
export async function runSoak(rnn, { cycles, warmup = 70, every = Math.max(1, Math.floor(cycles / 10)), onSample, countObjects = true }) {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += await cycle(rnn, i);
  const samples = [];
  const sample = (n) => {
    const h = rnn.heapStats();
    const s = { cycle: n, inUseBytes: h.inUseBytes, memoryBytes: h.memoryBytes, liveHandles: h.liveHandles, jsHeapBytes: jsHeapUsed() };
    samples.push(s);
    onSample?.(s);
  };
  sample(0);
  const objectsBefore = countObjects ? jsObjectCounts() : null;
  const started = Date.now();
  for (let n = 1; n <= cycles; n++) {
    sink += await cycle(rnn, warmup + n);
    if (n % every === 0 || n === cycles) sample(n);
  }
  const seconds = (Date.now() - started) / 1000;
  const objectsAfter = countObjects ? jsObjectCounts() : null;
  const xs = samples.map((s) => s.cycle), ys = samples.map((s) => s.jsHeapBytes);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length, my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0, den = 0;
  for (let k = 0; k < xs.length; k++) num += (xs[k] - mx) * (ys[k] - my), den += (xs[k] - mx) ** 2;
  // Kinds of object that grew by a quarter of the cycle count or more: a leak of one object
  // every few cycles (none is expected: every cycle frees all it made).
  const grown = countObjects ? grownKinds(objectsBefore, objectsAfter, Math.max(8, cycles / 4)) : [];
  return { samples, jsBytesPerCycle: den ? num / den : 0, grown, seconds, sink };
}

async function main() {
  const args = process.argv.slice(2);
  const cycles = Number(args.find((a) => /^\d+$/.test(a)) ?? 10000);
  const simd = args.includes('--simd=false') ? false : 'auto';
  const { init } = await import('../../bindings/js/index.js');
  const rnn = await init({ simd });
  console.log(`rnnlab soak: ${cycles} create/train/predict/save/load/dispose cycles, ${SPECS.length} specs (${rnn.simd ? 'SIMD' : 'baseline'} build)`);
  console.log('cycle      wasm in use     wasm memory   live   JS heap (after GC)');
  const fmt = (n) => n.toLocaleString('en-US').padStart(14);
  const r = await runSoak(rnn, {
    cycles,
    every: Math.max(1, Math.floor(cycles / 20)),
    onSample: (s) => console.log(`${String(s.cycle).padStart(6)} ${fmt(s.inUseBytes)} ${fmt(s.memoryBytes)} ${String(s.liveHandles).padStart(6)} ${fmt(s.jsHeapBytes)}`),
  });
  const first = r.samples[0], last = r.samples.at(-1);
  const wasmGrowth = last.inUseBytes - first.inUseBytes;
  console.log(`\n${cycles} cycles in ${r.seconds.toFixed(1)} s (${(1000 * r.seconds / cycles).toFixed(2)} ms a cycle)`);
  console.log(`wasm heap in use: ${first.inUseBytes} -> ${last.inUseBytes} bytes (${wasmGrowth >= 0 ? '+' : ''}${wasmGrowth}); memory ${first.memoryBytes} -> ${last.memoryBytes}; live handles ${first.liveHandles} -> ${last.liveHandles}`);
  console.log(`JS heap after GC: ${first.jsHeapBytes} -> ${last.jsHeapBytes} bytes; trend ${r.jsBytesPerCycle.toFixed(1)} bytes a cycle`);
  console.log(`JS objects that grew in number by ${Math.max(8, cycles / 4)} or more: ${r.grown.length ? r.grown.join(', ') : 'none'}`);
  const ok = wasmGrowth <= WASM_TOLERANCE_BYTES && last.memoryBytes === first.memoryBytes &&
    last.liveHandles === first.liveHandles && r.grown.length === 0;
  console.log(ok ? 'flat: no leak' : 'LEAK: a heap grew beyond its tolerance');
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
