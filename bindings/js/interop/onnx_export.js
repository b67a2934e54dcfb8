// rnnlab -> ONNX: builds the graph of a Model (or of a Seq2Seq's encoder and decoder) from its
// configuration and PyTorch-layout weights, with ONNX's standard RNN / LSTM / GRU operators
// (layout 0: time-major inside the graph, batch-major at its edges, as predict() takes data).
import { VERSION } from '../index.js';
import { DT, encodeModel } from './onnx_proto.js';
import { TO_TORCH, concat, gatesOf, inverse, reorderRows, transpose } from './layout.js';

/** Opset 14: Softmax over one axis (13), Squeeze/Unsqueeze axes as inputs (13), RNN layout (14). */
export const OPSET = 14;
/** IR version 8 (ONNX 1.10+): onnxruntime 1.10 and later load it. */
export const IR_VERSION = 8;

const OP = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/**
 * @typedef {object} StackSpec one recurrent stack and what feeds it
 * @property {'rnn' | 'lstm' | 'gru'} cell
 * @property {'pytorch' | 'classic'} gruVariant
 * @property {{kind: 'features', size: number} | {kind: 'embedding', table: Float32Array, vocab: number, dim: number} | {kind: 'onehot', vocab: number}} input
 * @property {{ih: Float32Array, hh: Float32Array, bih: Float32Array, bhh: Float32Array, hidden: number, in: number}[]} layers
 * @property {{weight: Float32Array, bias: Float32Array, out: number, softmax: boolean} | null} head
 * @property {'last' | 'sequence'} output
 * @property {boolean} stateIn inputs h0_l<k> (and c0_l<k>): the state before the first step
 * @property {boolean} stateOut outputs hn_l<k> (and cn_l<k>): the state after the last step
 */

/** Builds the graph of one stack (nodes, initializers, inputs, outputs). */
class GraphBuilder {
  nodes = [];
  initializers = [];
  inputs = [];
  outputs = [];
  #names = new Set();

  /** A fresh value name. @param {string} base */
  name(base) {
    let n = base;
    for (let k = 1; this.#names.has(n); k++) n = `${base}_${k}`;
    this.#names.add(n);
    return n;
  }

  /** @param {string} name @param {number[]} dims @param {Float32Array | number[]} data @param {number} [type] */
  constant(name, dims, data, type = DT.FLOAT) {
    const n = this.name(name);
    this.initializers.push({ name: n, dataType: type, dims, data });
    return n;
  }

  /**
   * @param {string} op @param {string[]} inputs @param {number} outputs how many
   * @param {Record<string, number | number[] | string>} [attrs] @param {string} [label]
   * @returns {string[]} the output names
   */
  node(op, inputs, outputs, attrs = {}, label = op.toLowerCase()) {
    const outs = Array.from({ length: outputs }, (_, i) => this.name(outputs === 1 ? label : `${label}_${i}`));
    const attributes = Object.entries(attrs).map(([name, value]) => ({
      name,
      type: Array.isArray(value) ? 'ints' : typeof value === 'string' ? 'string' : 'int',
      value,
    }));
    this.nodes.push({ name: this.name(`${label}_node`), opType: op, domain: '', inputs, outputs: outs, attributes });
    return outs;
  }

  /** A graph input. @param {string} name @param {number} elemType @param {(number | string)[]} shape */
  input(name, elemType, shape) {
    this.#names.add(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  /** Renames value `from` to graph output `name` (an Identity node). */
  output(from, name, shape) {
    this.#names.add(name);
    this.nodes.push({ name: this.name(`${name}_node`), opType: 'Identity', domain: '', inputs: [from], outputs: [name], attributes: [] });
    this.outputs.push({ name, elemType: DT.FLOAT, shape });
  }
}

/**
 * The ONNX model of one stack.
 * @param {StackSpec} s
 * @param {{graphName: string, doc: string, metadata: {key: string, value: string}[], inputName?: string}} about
 * @returns {Uint8Array}
 */
export function stackToOnnx(s, about) {
  const g = new GraphBuilder();
  const axis0 = g.constant('axis_0', [1], [0], DT.INT64);
  const axis1 = g.constant('axis_1', [1], [1], DT.INT64);
  const xName = about.inputName ?? 'x';
  // x -> time-major [sequence, batch, features]
  let seq;
  if (s.input.kind === 'features') {
    const x = g.input(xName, DT.FLOAT, ['batch', 'sequence', s.input.size]);
    [seq] = g.node('Transpose', [x], 1, { perm: [1, 0, 2] }, 'x_time_major');
  } else {
    const x = g.input(xName, DT.INT32, ['batch', 'sequence']);
    let vectors;
    if (s.input.kind === 'embedding') {
      const table = g.constant('embedding.weight', [s.input.vocab, s.input.dim], s.input.table);
      [vectors] = g.node('Gather', [table, x], 1, { axis: 0 }, 'embedded');
    } else {
      const [ids] = g.node('Cast', [x], 1, { to: DT.INT64 }, 'ids_int64');
      const depth = g.constant('onehot_depth', [], [s.input.vocab], DT.INT64);
      const values = g.constant('onehot_values', [2], new Float32Array([0, 1]));
      [vectors] = g.node('OneHot', [ids, depth, values], 1, { axis: -1 }, 'onehot');
    }
    [seq] = g.node('Transpose', [vectors], 1, { perm: [1, 0, 2] }, 'x_time_major');
  }
  const G = gatesOf(s.cell);
  const order = inverse(TO_TORCH.onnx[s.cell]);
  let finalH = '';
  s.layers.forEach((l, k) => {
    const H = l.hidden;
    const W = g.constant(`W_l${k}`, [1, G * H, l.in], reorderRows(l.ih, order, H, l.in));
    const R = g.constant(`R_l${k}`, [1, G * H, H], reorderRows(l.hh, order, H, H));
    const B = g.constant(`B_l${k}`, [1, 2 * G * H], concat([reorderRows(l.bih, order, H, 1), reorderRows(l.bhh, order, H, 1)]));
    const ins = [seq, W, R, B, ''];
    if (s.stateIn) {
      const h0 = g.input(`h0_l${k}`, DT.FLOAT, ['batch', H]);
      ins.push(g.node('Unsqueeze', [h0, axis0], 1, {}, `initial_h_l${k}`)[0]);
      if (s.cell === 'lstm') {
        const c0 = g.input(`c0_l${k}`, DT.FLOAT, ['batch', H]);
        ins.push(g.node('Unsqueeze', [c0, axis0], 1, {}, `initial_c_l${k}`)[0]);
      }
    }
    /** @type {Record<string, number | number[] | string>} */
    const attrs = { hidden_size: H, layout: 0 };
    if (s.cell === 'gru') attrs.linear_before_reset = s.gruVariant === 'pytorch' ? 1 : 0;
    const outs = g.node(OP[s.cell], ins, s.cell === 'lstm' ? 3 : 2, attrs, `${s.cell}_l${k}`);
    [seq] = g.node('Squeeze', [outs[0], axis1], 1, {}, `y_l${k}`);
    [finalH] = g.node('Squeeze', [outs[1], axis0], 1, {}, `h_l${k}`);
    if (s.stateOut) {
      g.output(finalH, `hn_l${k}`, ['batch', H]);
      if (s.cell === 'lstm') g.output(g.node('Squeeze', [outs[2], axis0], 1, {}, `c_l${k}`)[0], `cn_l${k}`, ['batch', H]);
    }
  });
  if (s.head) {
    const Hl = s.layers[s.layers.length - 1].hidden;
    const O = s.head.out;
    let features;
    if (s.output === 'sequence') [features] = g.node('Transpose', [seq], 1, { perm: [1, 0, 2] }, 'y_batch_major');
    else features = finalH;
    const W = g.constant('head_weight_t', [Hl, O], transpose(s.head.weight, O, Hl));
    const b = g.constant('head.bias', [O], s.head.bias);
    const [mm] = g.node('MatMul', [features, W], 1, {}, 'head_matmul');
    let [y] = g.node('Add', [mm, b], 1, {}, 'head_add');
    if (s.head.softmax) [y] = g.node('Softmax', [y], 1, { axis: -1 }, 'head_softmax');
    // The first output, ahead of the states.
    const before = g.outputs.length;
    g.output(y, 'y', s.output === 'sequence' ? ['batch', 'sequence', O] : ['batch', O]);
    g.outputs.unshift(...g.outputs.splice(before, 1));
  }
  return encodeModel({
    irVersion: IR_VERSION,
    opsets: [{ domain: '', version: OPSET }],
    producerName: 'rnnlab',
    producerVersion: VERSION,
    docString: about.doc,
    graph: { name: about.graphName, nodes: g.nodes, initializers: g.initializers, inputs: g.inputs, outputs: g.outputs },
    metadata: about.metadata,
  });
}

/**
 * The recurrent layers of a stack from PyTorch-named weights.
 * @param {Record<string, {shape: number[], data: Float32Array}>} w
 * @param {string} prefix e.g. '' or 'encoder.'
 * @param {readonly number[]} hidden
 * @param {number} in0 width of the first layer's input
 */
export function layersOf(w, prefix, hidden, in0) {
  let inW = in0;
  return hidden.map((H, k) => {
    const l = {
      ih: w[`${prefix}weight_ih_l${k}`].data,
      hh: w[`${prefix}weight_hh_l${k}`].data,
      bih: w[`${prefix}bias_ih_l${k}`].data,
      bhh: w[`${prefix}bias_hh_l${k}`].data,
      hidden: H,
      in: inW,
    };
    inW = H;
    return l;
  });
}

/**
 * A Model's configuration and weights as ONNX bytes.
 * @param {Readonly<Record<string, any>>} c model.config
 * @param {Record<string, {shape: number[], data: Float32Array}>} w model.getWeights()
 * @param {{state: boolean}} o
 */
export function modelToOnnx(c, w, o) {
  /** @type {StackSpec['input']} */
  let input;
  let in0;
  if (c.inputEncoding === 'embedding') {
    const [vocab, dim] = w['embedding.weight'].shape;
    input = { kind: 'embedding', table: w['embedding.weight'].data, vocab, dim };
    in0 = dim;
  } else if (c.inputEncoding === 'onehot') {
    input = { kind: 'onehot', vocab: c.vocabSize };
    in0 = c.vocabSize;
  } else {
    input = { kind: 'features', size: c.inputSize };
    in0 = c.inputSize;
  }
  const tokens = input.kind === 'features' ? '[batch, sequence, features] float32' : '[batch, sequence] int32 token ids';
  const states = o.state ? `; inputs h0_l<k>${c.cell === 'lstm' ? ' and c0_l<k>' : ''} ([batch, hidden], the state before the first step) and outputs hn_l<k>${c.cell === 'lstm' ? ' and cn_l<k>' : ''} (after the last) carry the state of layer k` : '';
  return stackToOnnx({
    cell: c.cell,
    gruVariant: c.gruVariant ?? 'pytorch',
    input,
    layers: layersOf(w, '', c.hiddenSize, in0),
    head: { weight: w['head.weight'].data, bias: w['head.bias'].data, out: c.outputSize, softmax: c.head === 'softmax' },
    output: c.output,
    stateIn: o.state,
    stateOut: o.state,
  }, {
    graphName: 'rnnlab_model',
    doc: `rnnlab ${c.cell} model: input x ${tokens}; output y ${c.output === 'sequence' ? '[batch, sequence, outputs]' : '[batch, outputs] after the last step'}${c.head === 'softmax' ? ' (probabilities)' : ''}${states}.`,
    metadata: [{ key: 'rnnlab.config', value: JSON.stringify(c) }],
  });
}

/**
 * A Seq2Seq's encoder and decoder as two ONNX models.
 * @param {Readonly<Record<string, any>>} c seq2seq.config
 * @param {Record<string, {shape: number[], data: Float32Array}>} w seq2seq.getWeights()
 * @returns {{encoder: Uint8Array, decoder: Uint8Array, startToken: number, chaining: string}}
 */
export function seq2seqToOnnx(c, w) {
  const lstm = c.cell === 'lstm';
  const embedded = (/** @type {string} */ side) => {
    const [vocab, dim] = w[`${side}.embedding.weight`].shape;
    return { kind: /** @type {'embedding'} */ ('embedding'), table: w[`${side}.embedding.weight`].data, vocab, dim };
  };
  const enc = embedded('encoder');
  const dec = embedded('decoder');
  const states = `hn_l<k>${lstm ? ' and cn_l<k>' : ''}`;
  const startToken = c.outputVocab;
  const chaining = `Run the encoder on the source ids (input 'source', [batch, sourceSteps] int32); feed its outputs ${states} ` +
    `to the decoder's inputs h0_l<k>${lstm ? ' and c0_l<k>' : ''}. The decoder reads 'x' ([batch, steps] int32): the start token ${startToken} ` +
    `first, then each chosen token; 'y' holds the next-token probabilities [batch, steps, ${c.outputVocab}]. Greedy decoding (as translate()): ` +
    `feed one step at a time, carrying the decoder's ${states} to its h0/c0 inputs, and pick the most likely token each step.`;
  const common = { cell: c.cell, gruVariant: c.gruVariant ?? 'pytorch', output: /** @type {'sequence'} */ ('sequence') };
  const encoder = stackToOnnx({ ...common, input: enc, layers: layersOf(w, 'encoder.', c.hiddenSize, enc.dim), head: null, stateIn: false, stateOut: true }, {
    graphName: 'rnnlab_seq2seq_encoder', inputName: 'source',
    doc: `rnnlab encoder-decoder, the encoder. ${chaining}`,
    metadata: [{ key: 'rnnlab.config', value: JSON.stringify(c) }, { key: 'rnnlab.part', value: 'encoder' }],
  });
  const Hl = c.hiddenSize[c.hiddenSize.length - 1];
  const decoder = stackToOnnx({
    ...common, input: dec, layers: layersOf(w, 'decoder.', c.hiddenSize, dec.dim),
    head: { weight: w['head.weight'].data, bias: w['head.bias'].data, out: c.outputVocab, softmax: true }, stateIn: true, stateOut: true,
  }, {
    graphName: 'rnnlab_seq2seq_decoder',
    doc: `rnnlab encoder-decoder, the decoder (last layer ${Hl} units). ${chaining}`,
    metadata: [{ key: 'rnnlab.config', value: JSON.stringify(c) }, { key: 'rnnlab.part', value: 'decoder' }, { key: 'rnnlab.start_token', value: String(startToken) }],
  });
  return { encoder, decoder, startToken, chaining };
}
