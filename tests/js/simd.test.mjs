// The SIMD build really holds v128 instructions in the hot kernels (and the baseline none),
// read from the disassembly. The shipped modules carry no function names; the link writes
// them to dist/wasm/rnnlab-<variant>.mjs.symbols (index:mangled name), read here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { init } from '../../bindings/js/index.js';

const objdump = spawnSync('wasm-objdump', ['--version'], { encoding: 'utf8' });
/** These tests read the disassembly: without wabt they fail (npm test installs it), never skip. */
function requireObjdump() {
  assert.equal(objdump.status, 0, 'wasm-objdump is missing: install wabt (scripts/setup.sh does; Debian: apt-get install wabt)');
}

const SIMD_OP = /\b(v128\.|[fi]32x4\.|[fi]64x2\.|i16x8\.|i8x16\.)/;

/** {function index -> mangled name} from the symbol map the link wrote beside `file`. */
function symbolMap(file) {
  const path = fileURLToPath(new URL(`../../dist/wasm/${file.replace(/\.wasm$/, '.mjs.symbols')}`, import.meta.url));
  assert.ok(existsSync(path), `${path} is missing: rebuild with scripts/build-wasm.sh (the link writes it)`);
  const names = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^(\d+):(.+)$/.exec(line);
    if (m) names.set(Number(m[1]), m[2]);
  }
  return names;
}

/** {function name (mangled) -> number of SIMD instructions} for a .wasm file. */
function simdOpsByFunction(file) {
  const path = fileURLToPath(new URL(`../../dist/wasm/${file}`, import.meta.url));
  const names = symbolMap(file);
  const r = spawnSync('wasm-objdump', ['-d', path], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  const counts = new Map();
  let current = '';
  for (const line of r.stdout.split('\n')) {
    const head = /^[0-9a-f]+ func\[(\d+)\](?: <.*>)?:$/.exec(line);
    if (head) {
      current = names.get(Number(head[1])) ?? `func${head[1]}`;
      counts.set(current, 0);
    } else if (current && SIMD_OP.test(line)) {
      counts.set(current, counts.get(current) + 1);
    }
  }
  return counts;
}

// Each compute kernel of the wasmsimd set, by the name its function (or a lambda inlined
// into it) carries. (pack_b only moves data; tanh has the same body as rnn_forward, so the
// linker keeps one function under the name rnn_forward.)
const KERNELS = ['gemm_packed', 'lstm_forward', 'lstm_backward', 'gru_forward', 'gru_backward',
  'gru_classic_rz', 'gru_classic_n', 'gru_classic_r_backward', 'gru_classic_n_backward',
  'rnn_forward', 'rnn_backward', 'sigmoid'];

test('the SIMD build has v128 instructions in every hot kernel', () => {
  requireObjdump();
  const counts = simdOpsByFunction('rnnlab-simd.wasm');
  let total = 0;
  for (const n of counts.values()) total += n;
  assert.ok(total > 1000, `${total} SIMD instructions in the module`);
  const report = [];
  for (const kernel of KERNELS) {
    let ops = 0;
    for (const [name, n] of counts) {
      if (name.includes('VecWasm') && name.includes(kernel)) ops += n;
    }
    report.push(`${kernel}: ${ops}`);
    assert.ok(ops > 0, `no v128 instructions in the wasm kernel ${kernel}`);
  }
  // The gemm micro-kernel is the hottest loop: it should be mostly vector code.
  let gemm = 0;
  for (const [name, n] of counts) if (name.includes('PackedGemm') && name.includes('VecWasm') && name.includes('gemm_packed')) gemm += n;
  assert.ok(gemm >= 50, `gemm_packed has ${gemm} SIMD instructions`);
});

test('the baseline build has no SIMD instructions at all', () => {
  requireObjdump();
  const counts = simdOpsByFunction('rnnlab-baseline.wasm');
  let total = 0;
  for (const n of counts.values()) total += n;
  assert.equal(total, 0);
  assert.ok(![...counts.keys()].some((name) => name.includes('VecWasm')), 'no wasm SIMD kernel set');
});

test('at run time the SIMD build runs the wasmsimd kernels, the baseline the portable ones', async () => {
  const simd = await init({ simd: true });
  assert.equal(simd.kernel, 'wasmsimd');
  assert.equal(simd.build.gemm, 'f32_gemm_4x8__wasmsimd');
  assert.equal(simd.build.simdKernels, true);
  const base = await init({ simd: false });
  assert.equal(base.kernel, 'portable');
  assert.equal(base.build.simdKernels, false);
});

test('SIMD and baseline builds agree: same initial weights, close losses', async () => {
  const simd = await init({ simd: true });
  const base = await init({ simd: false });
  const opts = { cell: 'gru', inputSize: 3, hiddenSize: [16, 8], outputSize: 2, seed: 11 };
  const a = simd.createModel(opts);
  const b = base.createModel(opts);
  assert.deepEqual(a.getWeights(), b.getWeights(), 'seeded initialisation is bit-identical');
  const x = { data: Float32Array.from({ length: 8 * 12 * 3 }, (_, i) => Math.sin(i * 0.3)), shape: [8, 12, 3] };
  const y = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i));
  for (let s = 0; s < 30; s++) {
    const la = a.trainBatch(x, y, { optimizer: { lr: 1e-2 } });
    const lb = b.trainBatch(x, y, { optimizer: { lr: 1e-2 } });
    assert.ok(Math.abs(la - lb) <= 1e-4 * Math.max(1, Math.abs(lb)), `step ${s}: ${la} vs ${lb}`);
  }
  a.dispose();
  b.dispose();
});
