// Weight layouts across formats: rnnlab keeps PyTorch's (weight_ih [gates*H, in] with LSTM
// gates i, f, g, o and GRU r, z, n); ONNX and Keras order the gate blocks differently and
// Keras transposes. These helpers only move floats: a conversion and its inverse give back
// the same bits.

/**
 * For each block of the target, the source block it comes from (ONNX/Keras -> PyTorch).
 * LSTM: ONNX i, o, f, c; Keras i, f, c, o. GRU: ONNX and Keras z, r, h.
 */
export const TO_TORCH = Object.freeze({
  onnx: { lstm: [0, 2, 3, 1], gru: [1, 0, 2], rnn: [0] },
  keras: { lstm: [0, 1, 2, 3], gru: [1, 0, 2], rnn: [0] },
});

/** The inverse permutation (PyTorch -> ONNX/Keras). @param {number[]} p */
export function inverse(p) {
  const q = new Array(p.length);
  p.forEach((src, dst) => { q[src] = dst; });
  return q;
}

/**
 * Reorders the gate blocks along the first axis of a row-major [gates*H, cols] matrix (or a
 * [gates*H] vector with cols = 1): block k of the result is block order[k] of `src`.
 * @param {Float32Array} src @param {number[]} order @param {number} H @param {number} cols
 */
export function reorderRows(src, order, H, cols) {
  const out = new Float32Array(src.length);
  const block = H * cols;
  order.forEach((from, to) => out.set(src.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

/**
 * Transposes a row-major [rows, cols] matrix.
 * @param {Float32Array} src @param {number} rows @param {number} cols
 */
export function transpose(src, rows, cols) {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/**
 * Concatenates float arrays.
 * @param {Float32Array[]} parts
 */
export function concat(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Gate blocks per cell. @param {string} cell */
export function gatesOf(cell) {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}
