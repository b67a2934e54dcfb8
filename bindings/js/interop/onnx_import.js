// ONNX -> rnnlab: reads a graph of standard RNN / LSTM / GRU nodes (one per layer, forward,
// default activations) fed by features, a Gather embedding or a OneHot, with a MatMul + Add
// or Gemm head (+ Softmax), as rnnlab and torch.onnx.export write them. The shape plumbing
// exporters add around them (Transpose, Squeeze, Slice, Shape, ...) is accepted without being
// interpreted; every other operator, and every attribute outside what rnnlab's cells compute,
// is refused naming the node and the attribute.
import { describe } from '../check.js';
import { fail } from '../errors.js';
import { decodeModel, DT } from './onnx_proto.js';
import { TO_TORCH, gatesOf, reorderRows, transpose } from './layout.js';

const CELLS = { RNN: 'rnn', LSTM: 'lstm', GRU: 'gru' };
const DEFAULT_ACTIVATIONS = { RNN: ['tanh'], LSTM: ['sigmoid', 'tanh', 'tanh'], GRU: ['sigmoid', 'tanh'] };
/** Shape and copy operators that move the data without computing on it. */
const PLUMBING = new Set(['Transpose', 'Squeeze', 'Unsqueeze', 'Identity', 'Reshape', 'Flatten', 'Slice', 'Gather',
  'Concat', 'Shape', 'Cast', 'ConstantOfShape', 'Expand', 'Constant', 'Dropout', 'Range', 'Size']);
const HEAD = new Set(['MatMul', 'Gemm', 'Add', 'Softmax']);

/**
 * @typedef {import('./onnx_proto.js').OnnxNode} OnnxNode
 * @typedef {import('./onnx_proto.js').OnnxTensor} OnnxTensor
 * @typedef {{config: Record<string, any>, weights: Record<string, {shape: number[], data: Float32Array}>}} Imported
 */

/** @param {unknown} bytes */
export function bytesOf(bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return fail('INVALID_ARGUMENT', 'bytes', `must be the bytes of an .onnx file (Uint8Array or ArrayBuffer), got ${describe(bytes)}`);
}

/** @param {OnnxNode} n */
const label = (n) => `node '${n.name || n.outputs[0] || n.opType}' (${n.opType})`;

/** @param {OnnxNode} n @param {string} name */
const attr = (n, name) => n.attributes.find((a) => a.name === name);

/**
 * Reads ONNX bytes into a Model's configuration and PyTorch-named weights.
 * @param {unknown} input
 * @returns {Imported}
 */
export function readOnnx(input) {
  const model = decodeModel(bytesOf(input));
  const g = model.graph;
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!opset || opset.version < 7) fail('BAD_MODEL_FILE', 'model.opset_import', `needs the default ONNX domain at opset 7 or later, got ${opset ? opset.version : 'none'}`);

  /** @type {Map<string, OnnxTensor>} */
  const constants = new Map();
  for (const t of g.initializers) constants.set(t.name, t);
  /** @type {Map<string, {node: OnnxNode, index: number}>} */
  const producer = new Map();
  for (const n of g.nodes) {
    if (n.domain !== '' && n.domain !== 'ai.onnx') fail('BAD_MODEL_FILE', label(n), `belongs to operator domain '${n.domain}', which rnnlab does not read`);
    if (!Object.hasOwn(CELLS, n.opType) && !PLUMBING.has(n.opType) && !HEAD.has(n.opType) && n.opType !== 'OneHot') {
      fail('BAD_MODEL_FILE', label(n), `operator '${n.opType}' is not one rnnlab reads (RNN, LSTM, GRU, Gather, OneHot, MatMul, Gemm, Add, Softmax and shape operators)`);
    }
    n.outputs.forEach((o, index) => producer.set(o, { node: n, index }));
    if (n.opType === 'Constant') {
      const v = attr(n, 'value');
      if (v?.type === 'tensor') constants.set(n.outputs[0], { ...v.value, name: n.outputs[0] });
    }
  }
  const graphInputs = new Set(g.inputs.map((v) => v.name).filter((nm) => !constants.has(nm)));

  /**
   * Follows a value back through plumbing to what computes it.
   * @param {string} name
   * @returns {{kind: 'input', name: string} | {kind: 'node', node: OnnxNode, index: number} | {kind: 'constant'}}
   */
  const trace = (name) => {
    for (let hops = 0; hops <= g.nodes.length; hops++) {
      if (constants.has(name)) return { kind: 'constant' };
      if (graphInputs.has(name)) return { kind: 'input', name };
      const p = producer.get(name);
      if (!p) fail('BAD_MODEL_FILE', 'graph', `value '${name}' is used but neither an input, an initializer nor a node's output`);
      const n = p.node;
      const embedding = n.opType === 'Gather' && isTable(n.inputs[0]) && !constants.has(n.inputs[1]);
      if (!PLUMBING.has(n.opType) || embedding) return { kind: 'node', node: n, index: p.index };
      const next = n.inputs.find((i) => i !== '' && !constants.has(i));
      if (next === undefined) return { kind: 'constant' };
      name = next;
    }
    return fail('BAD_MODEL_FILE', 'graph', 'has a cycle');
  };
  /** @param {string} name */
  function isTable(name) {
    const t = constants.get(name);
    return t !== undefined && t.dataType === DT.FLOAT && t.dims.length === 2;
  }
  /** @param {OnnxNode} n @param {number} i @param {string} what */
  const constInput = (n, i, what) => {
    const name = n.inputs[i];
    const t = name ? constants.get(name) : undefined;
    if (!t) fail('BAD_MODEL_FILE', `${label(n)} input ${what}`, `must be a constant (an initializer) for rnnlab to read it as weights${name ? `; '${name}' is computed` : ''}`);
    if (t.dataType !== DT.FLOAT) fail('BAD_MODEL_FILE', `${label(n)} input ${what}`, `must be float32, got data type ${t.dataType}`);
    return /** @type {OnnxTensor & {data: Float32Array}} */ (t);
  };

  // ---- the recurrent layers ----
  const cellNodes = g.nodes.filter((n) => Object.hasOwn(CELLS, n.opType));
  if (cellNodes.length === 0) fail('BAD_MODEL_FILE', 'graph', 'has no RNN, LSTM or GRU node: it is not a recurrent model rnnlab can read');
  const op = cellNodes[0].opType;
  const cell = /** @type {'rnn' | 'lstm' | 'gru'} */ (CELLS[op]);
  const G = gatesOf(cell);
  /** @type {Record<string, {shape: number[], data: Float32Array}>} */
  const weights = {};
  const hidden = [];
  let gruVariant = 'pytorch';
  let in0 = 0;
  cellNodes.forEach((n, k) => {
    if (n.opType !== op) fail('BAD_MODEL_FILE', label(n), `mixes ${n.opType} with ${op}: rnnlab's layers are all one cell type`);
    checkCellAttributes(n, op);
    const H = attr(n, 'hidden_size')?.value;
    const W = constInput(n, 1, 'W');
    const R = constInput(n, 2, 'R');
    const inW = W.dims[2];
    if (W.dims.length !== 3 || W.dims[0] !== 1 || !(H >= 1) || W.dims[1] !== G * H) {
      fail('BAD_MODEL_FILE', `${label(n)} input W`, `has shape [${W.dims.join(', ')}], expected [1, ${G} x hidden_size ${H}, inputs]`);
    }
    if (R.dims.join() !== [1, G * H, H].join()) fail('BAD_MODEL_FILE', `${label(n)} input R`, `has shape [${R.dims.join(', ')}], expected [1, ${G * H}, ${H}]`);
    let Bd = new Float32Array(2 * G * H);
    if (n.inputs[3]) {
      const B = constInput(n, 3, 'B');
      if (B.dims.join() !== [1, 2 * G * H].join()) fail('BAD_MODEL_FILE', `${label(n)} input B`, `has shape [${B.dims.join(', ')}], expected [1, ${2 * G * H}]`);
      Bd = B.data;
    }
    if (n.inputs[4]) fail('BAD_MODEL_FILE', `${label(n)} input sequence_lens`, 'is given; rnnlab runs every sequence of a batch to its full length (pad and mask instead)');
    if (cell === 'lstm' && n.inputs[7]) fail('BAD_MODEL_FILE', `${label(n)} input P`, 'holds peephole weights, which rnnlab\'s LSTM does not have');
    if (cell === 'gru') {
      const lbr = attr(n, 'linear_before_reset')?.value ?? 0;
      const variant = lbr ? 'pytorch' : 'classic';
      if (k > 0 && variant !== gruVariant) fail('BAD_MODEL_FILE', `${label(n)} attribute linear_before_reset`, 'differs between layers; rnnlab\'s layers share one GRU variant');
      gruVariant = variant;
    }
    // Layer k reads layer k-1's sequence output.
    const src = trace(n.inputs[0]);
    if (k === 0) in0 = inW;
    else {
      if (src.kind !== 'node' || src.node !== cellNodes[k - 1] || src.index !== 0) fail('BAD_MODEL_FILE', `${label(n)} input X`, `is not the output sequence of the layer before (${label(cellNodes[k - 1])})`);
      if (inW !== hidden[k - 1]) fail('BAD_MODEL_FILE', `${label(n)} input W`, `takes ${inW} inputs but the layer before has ${hidden[k - 1]} units`);
    }
    const order = TO_TORCH.onnx[cell];
    weights[`weight_ih_l${k}`] = { shape: [G * H, inW], data: reorderRows(W.data, order, H, inW) };
    weights[`weight_hh_l${k}`] = { shape: [G * H, H], data: reorderRows(R.data, order, H, H) };
    weights[`bias_ih_l${k}`] = { shape: [G * H], data: reorderRows(Bd.subarray(0, G * H), order, H, 1) };
    weights[`bias_hh_l${k}`] = { shape: [G * H], data: reorderRows(Bd.subarray(G * H), order, H, 1) };
    hidden.push(H);
  });

  // ---- what feeds the first layer ----
  /** @type {Record<string, any>} */
  const config = { cell };
  if (cell === 'gru') config.gruVariant = gruVariant;
  const first = trace(cellNodes[0].inputs[0]);
  if (first.kind === 'input') {
    const info = g.inputs.find((v) => v.name === first.name);
    if (info && info.elemType !== DT.FLOAT) fail('BAD_MODEL_FILE', `graph input '${first.name}'`, `feeds ${label(cellNodes[0])} directly but is not float32 (data type ${info.elemType})`);
    Object.assign(config, { inputEncoding: 'features', inputSize: in0 });
  } else if (first.kind === 'node' && first.node.opType === 'Gather') {
    const n = first.node;
    const table = constInput(n, 0, 'data');
    const [V, E] = table.dims;
    if ((attr(n, 'axis')?.value ?? 0) !== 0) fail('BAD_MODEL_FILE', `${label(n)} attribute axis`, 'must be 0 for an embedding lookup');
    if (E !== in0) fail('BAD_MODEL_FILE', `${label(n)} input data`, `has rows of ${E} values but ${label(cellNodes[0])} takes ${in0}`);
    requireIdsFromInput(n.inputs[1], n);
    if (isIdentity(table.data, V, E)) Object.assign(config, { inputEncoding: 'onehot', vocabSize: V });
    else {
      Object.assign(config, { inputEncoding: 'embedding', vocabSize: V, embeddingSize: E });
      weights['embedding.weight'] = { shape: [V, E], data: table.data };
    }
  } else if (first.kind === 'node' && first.node.opType === 'OneHot') {
    const n = first.node;
    const depth = constants.get(n.inputs[1]);
    const values = constants.get(n.inputs[2]);
    const axis = attr(n, 'axis')?.value ?? -1;
    if (!depth || depth.data.length !== 1) fail('BAD_MODEL_FILE', `${label(n)} input depth`, 'must be a constant scalar');
    if (!values || values.dataType !== DT.FLOAT || values.data[0] !== 0 || values.data[1] !== 1) fail('BAD_MODEL_FILE', `${label(n)} input values`, 'must be the float constants [0, 1]');
    if (axis !== -1 && axis !== 2) fail('BAD_MODEL_FILE', `${label(n)} attribute axis`, `is ${axis}; rnnlab's one-hot vectors are the last axis`);
    if (depth.data[0] !== in0) fail('BAD_MODEL_FILE', `${label(n)} input depth`, `is ${depth.data[0]} but ${label(cellNodes[0])} takes ${in0} inputs`);
    requireIdsFromInput(n.inputs[0], n);
    Object.assign(config, { inputEncoding: 'onehot', vocabSize: in0 });
  } else {
    fail('BAD_MODEL_FILE', `${label(cellNodes[0])} input X`, 'comes from neither a graph input, a Gather embedding nor a OneHot');
  }
  /** @param {string} name @param {OnnxNode} n */
  function requireIdsFromInput(name, n) {
    const src = trace(name);
    if (src.kind !== 'input') fail('BAD_MODEL_FILE', `${label(n)} indices`, 'must come from a graph input (the token ids)');
  }
  config.hiddenSize = hidden;

  // ---- the head ----
  const last = cellNodes[cellNodes.length - 1];
  const Hl = hidden[hidden.length - 1];
  const products = g.nodes.filter((n) => n.opType === 'MatMul' || n.opType === 'Gemm');
  if (products.length !== 1) fail('BAD_MODEL_FILE', 'graph', `has ${products.length} MatMul/Gemm nodes; rnnlab reads one dense head after the recurrent layers`);
  const head = products[0];
  const from = trace(head.inputs[0]);
  if (from.kind !== 'node' || from.node !== last) fail('BAD_MODEL_FILE', `${label(head)} input A`, `is not the output of the last recurrent layer (${label(last)})`);
  let headW;
  let headB;
  let O;
  if (head.opType === 'Gemm') {
    for (const [name, want] of [['alpha', 1], ['beta', 1], ['transA', 0]]) {
      const a = attr(head, name);
      if (a && a.value !== want) fail('BAD_MODEL_FILE', `${label(head)} attribute ${name}`, `is ${a.value}; rnnlab reads ${name} = ${want}`);
    }
    const B = constInput(head, 1, 'B');
    const transB = attr(head, 'transB')?.value ?? 0;
    if (B.dims.length !== 2) fail('BAD_MODEL_FILE', `${label(head)} input B`, `has shape [${B.dims.join(', ')}], expected a matrix`);
    O = transB ? B.dims[0] : B.dims[1];
    const H = transB ? B.dims[1] : B.dims[0];
    if (H !== Hl) fail('BAD_MODEL_FILE', `${label(head)} input B`, `takes ${H} inputs but the last layer has ${Hl} units`);
    headW = transB ? B.data : transpose(B.data, Hl, O);
    headB = head.inputs[2] ? constInput(head, 2, 'C').data : new Float32Array(O);
    if (headB.length !== O) fail('BAD_MODEL_FILE', `${label(head)} input C`, `holds ${headB.length} values, expected ${O} (one per output)`);
  } else {
    const B = constInput(head, 1, 'B');
    if (B.dims.length !== 2 || B.dims[0] !== Hl) fail('BAD_MODEL_FILE', `${label(head)} input B`, `has shape [${B.dims.join(', ')}], expected [${Hl}, outputs]`);
    O = B.dims[1];
    headW = transpose(B.data, Hl, O);
    const adds = g.nodes.filter((n) => n.opType === 'Add');
    if (adds.length > 1) fail('BAD_MODEL_FILE', 'graph', `has ${adds.length} Add nodes; rnnlab reads one (the head's bias)`);
    if (adds.length === 1) {
      const add = adds[0];
      const other = add.inputs.find((i) => constants.has(i));
      const data = add.inputs.find((i) => !constants.has(i));
      const src = data === undefined ? null : trace(data);
      if (!other || !src || src.kind !== 'node' || src.node !== head) fail('BAD_MODEL_FILE', label(add), 'must add a constant bias to the head\'s product');
      headB = constInput(add, add.inputs.indexOf(other), 'bias').data;
      if (headB.length !== O) fail('BAD_MODEL_FILE', `${label(add)} bias`, `holds ${headB.length} values, expected ${O} (one per output)`);
    } else headB = new Float32Array(O);
  }
  weights['head.weight'] = { shape: [O, Hl], data: headW };
  weights['head.bias'] = { shape: [O], data: headB };
  const softmaxes = g.nodes.filter((n) => n.opType === 'Softmax');
  if (softmaxes.length > 1) fail('BAD_MODEL_FILE', 'graph', `has ${softmaxes.length} Softmax nodes; rnnlab reads one (the head's)`);
  if (softmaxes.length === 1) {
    const sm = softmaxes[0];
    const a = attr(sm, 'axis')?.value ?? (opset.version >= 13 ? -1 : 1);
    if (a !== -1 && !(a === 1 && from.index === 1) && a !== 2) fail('BAD_MODEL_FILE', `${label(sm)} attribute axis`, `is ${a}; rnnlab's softmax runs over the outputs (the last axis)`);
  }
  config.head = softmaxes.length === 1 ? 'softmax' : 'linear';
  config.outputSize = O;
  config.output = outputMode(g, head, from, producer, constants);
  return { config, weights };
}

/**
 * Many-to-one or many-to-many: the rank of the graph output the head feeds, else whether the
 * head reads the final state (Y_h) or the whole sequence (Y).
 */
function outputMode(g, head, from, producer, constants) {
  // Graph outputs downstream of the head: walk forward from it.
  const reach = new Set([head.outputs[0]]);
  for (const n of g.nodes) if (n.inputs.some((i) => reach.has(i))) n.outputs.forEach((o) => reach.add(o));
  const out = g.outputs.find((v) => reach.has(v.name));
  if (!out) fail('BAD_MODEL_FILE', 'graph.output', 'none of the outputs comes from the head');
  if (out.shape && (out.shape.length === 2 || out.shape.length === 3)) return out.shape.length === 3 ? 'sequence' : 'last';
  if (from.index === 1) return 'last';
  // Y: a Gather/Slice on the way picks the last step.
  let name = head.inputs[0];
  for (let hops = 0; hops <= g.nodes.length; hops++) {
    const p = producer.get(name);
    if (!p || p.node === from.node) return 'sequence';
    if (p.node.opType === 'Gather' || p.node.opType === 'Slice') return 'last';
    name = p.node.inputs.find((i) => i !== '' && !constants.has(i));
  }
  return 'sequence';
}

/** @param {OnnxNode} n @param {string} op */
function checkCellAttributes(n, op) {
  for (const a of n.attributes) {
    const where = `${label(n)} attribute ${a.name}`;
    switch (a.name) {
      case 'hidden_size':
        if (a.type !== 'int') fail('BAD_MODEL_FILE', where, 'must be an integer');
        break;
      case 'direction':
        if (a.value !== 'forward') fail('BAD_MODEL_FILE', where, `is '${a.value}'; rnnlab's layers run forward only (no bidirectional or reverse layers)`);
        break;
      case 'layout':
        if (a.value !== 0) fail('BAD_MODEL_FILE', where, `is ${a.value}; rnnlab reads layout 0 (time-major)`);
        break;
      case 'activations': {
        const want = DEFAULT_ACTIVATIONS[op];
        const got = (a.value ?? []).map((s) => String(s).toLowerCase());
        if (got.length !== want.length || got.some((s, i) => s !== want[i])) fail('BAD_MODEL_FILE', where, `is [${(a.value ?? []).join(', ')}]; rnnlab's ${op} uses the defaults [${want.join(', ')}]`);
        break;
      }
      case 'activation_alpha':
      case 'activation_beta':
        fail('BAD_MODEL_FILE', where, 'is set; rnnlab\'s activations take no parameters');
        break;
      case 'clip':
        fail('BAD_MODEL_FILE', where, `is ${a.value}; rnnlab does not clip cell inputs`);
        break;
      case 'input_forget':
        if (op !== 'LSTM' || a.value !== 0) fail('BAD_MODEL_FILE', where, 'is set; rnnlab\'s LSTM has separate input and forget gates');
        break;
      case 'linear_before_reset':
        if (op !== 'GRU' || (a.value !== 0 && a.value !== 1)) fail('BAD_MODEL_FILE', where, `is ${a.value}; it applies to GRU only, as 0 or 1`);
        break;
      default:
        fail('BAD_MODEL_FILE', where, `is not an attribute rnnlab reads for ${op}`);
    }
  }
}

/** Whether a [V, E] table is the identity (a one-hot lookup written as Gather). */
function isIdentity(data, V, E) {
  if (V !== E) return false;
  for (let i = 0; i < V; i++) for (let j = 0; j < E; j++) if (data[i * E + j] !== (i === j ? 1 : 0)) return false;
  return true;
}
