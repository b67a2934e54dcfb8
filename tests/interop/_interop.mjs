// Shared by the interop tests: the other side's runtimes (installed in tests/interop by
// scripts/setup.sh), the model matrix, and the comparison.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = new URL('.', import.meta.url);
const require = createRequire(new URL('package.json', here));

/** A package of tests/interop/package.json, or a failure that says how to install it. */
export function runtime(name) {
  try {
    return require(name);
  } catch (e) {
    throw new Error(`${name} is not installed in tests/interop: run scripts/setup.sh (it runs npm ci --ignore-scripts there). ${e.message}`);
  }
}

/** Debian's Python, which scripts/setup.sh gives python3-torch and python3-onnx. */
export const PYTHON = '/usr/bin/python3';

/** Runs Python code (a failure names the missing Debian package, never skips). */
export function python(args, input) {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/setup.sh (installs python3-torch and python3-onnx)`);
  try {
    return execFileSync(PYTHON, args, { input, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = /** @type {any} */ (e);
    const text = `${err.stderr ?? ''}`;
    if (/No module named '(torch|onnx)'/.test(text)) throw new Error(`Python lacks ${RegExp.$1}: run scripts/setup.sh (installs python3-torch and python3-onnx)\n${text}`);
    throw new Error(`python3 ${args.join(' ')} failed:\n${text}`);
  }
}

/** The exported variants: each cell (both GRU variants), input kind and output mode; stacked layers in half. */
export function matrix() {
  const cells = [{ cell: 'rnn' }, { cell: 'lstm' }, { cell: 'gru', gruVariant: 'pytorch' }, { cell: 'gru', gruVariant: 'classic' }];
  const inputs = [{ inputSize: 3 }, { vocabSize: 7, inputEncoding: 'onehot' }, { vocabSize: 9, embeddingSize: 4 }];
  const out = [];
  let i = 0;
  for (const c of cells) {
    for (const inp of inputs) {
      for (const output of ['last', 'sequence']) {
        const stacked = i % 2 === 1;
        const softmax = i % 3 === 0;
        out.push({ ...c, ...inp, output, hiddenSize: stacked ? [5, 6] : [6], head: softmax ? 'softmax' : 'linear', outputSize: softmax ? 4 : 2, seed: 100 + i });
        i++;
      }
    }
  }
  return out;
}

/** Deterministic inputs for a model of config c: [B, T] ids or [B, T, F] floats. */
export function inputFor(c, B, T, seed = 1) {
  let s = seed * 7919 + B * 31 + T;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  if (c.vocabSize !== undefined) return { data: Int32Array.from({ length: B * T }, () => Math.floor(next() * c.vocabSize)), shape: [B, T] };
  return { data: Float32Array.from({ length: B * T * c.inputSize }, () => next() * 4 - 2), shape: [B, T, c.inputSize] };
}

/**
 * Largest element-wise difference relative to the size of the reference (a norm-wise relative
 * error: max |a - b| / max |b|; outputs near zero are not divided by themselves).
 * @param {ArrayLike<number>} a @param {ArrayLike<number>} b
 */
export function relativeError(a, b) {
  assert.equal(a.length, b.length, 'lengths differ');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  assert.ok(Number.isFinite(diff), 'non-finite values');
  return diff / Math.max(scale, 1e-6);
}

/** Asserts two weight sets hold the same names, shapes and bits. */
export function assertSameWeights(a, b, what) {
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort(), `${what}: tensor names`);
  for (const k of Object.keys(a)) {
    assert.deepEqual(b[k].shape, a[k].shape, `${what}: shape of ${k}`);
    assert.ok(Buffer.from(a[k].data.buffer, a[k].data.byteOffset, a[k].data.byteLength)
      .equals(Buffer.from(b[k].data.buffer, b[k].data.byteOffset, b[k].data.byteLength)), `${what}: bits of ${k}`);
  }
}

/** The config without what only training uses (for comparing configurations). */
export function shapeOf(config) {
  const { seed, dropout, ...rest } = config;
  return rest;
}
