// Keras / TensorFlow.js -> rnnlab: reads a LayersModel's model.json (Sequential, or a
// functional model whose layers form one chain) of [Embedding] -> SimpleRNN/LSTM/GRU layers ->
// Dense [-> Activation('softmax')], with its weight bytes. Keras's default reset_after=True GRU
// is read as rnnlab's PyTorch variant (the same equations). Anything else is refused naming
// the layer and the setting.
import { describe } from '../check.js';
import { fail } from '../errors.js';
import { TO_TORCH, gatesOf, reorderRows, transpose } from './layout.js';

const CELLS = { SimpleRNN: 'rnn', LSTM: 'lstm', GRU: 'gru' };
const IGNORED = new Set(['InputLayer', 'Dropout', 'SpatialDropout1D', 'GaussianDropout', 'AlphaDropout']);
/** Largest model.json accepted as text (a topology is a few kB; weights are separate). */
const MAX_JSON = 16 << 20;

/**
 * @typedef {{shape: number[], data: Float32Array}} Tensor
 */

/** @param {unknown} v */
function parseJson(v) {
  if (typeof v === 'string') {
    if (v.length > MAX_JSON) fail('TOO_LARGE', 'modelJson', `is ${v.length} characters; a model.json of more than ${MAX_JSON} is not a layers model`);
    try {
      return JSON.parse(v);
    } catch (e) {
      return fail('BAD_MODEL_FILE', 'modelJson', `is not valid JSON (${e instanceof Error ? e.message : e})`);
    }
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('INVALID_ARGUMENT', 'modelJson', `must be the model.json object (or its text), got ${describe(v)}`);
  return v;
}

/** @param {unknown} v @param {string} field */
function bytesOf(v, field) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return fail('INVALID_ARGUMENT', field, `must be the weight bytes (Uint8Array or ArrayBuffer), got ${describe(v)}`);
}

/** @param {unknown} v @param {string} field */
const obj = (v, field) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('BAD_MODEL_FILE', field, `must be an object, got ${describe(v)}`);
  return /** @type {Record<string, any>} */ (v);
};

/** @param {unknown} v @param {string} field */
const posInt = (v, field) => {
  if (!Number.isInteger(v) || /** @type {number} */ (v) < 1) fail('BAD_MODEL_FILE', field, `must be a positive integer, got ${describe(v)}`);
  return /** @type {number} */ (v);
};

/**
 * The named tensors of the weights manifest.
 * @param {Record<string, any>} json
 * @param {unknown} weights
 * @returns {Map<string, Tensor>}
 */
function readWeights(json, weights) {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) fail('BAD_MODEL_FILE', 'modelJson.weightsManifest', `must be an array of weight groups, got ${describe(manifest)}`);
  const parts = Array.isArray(weights) ? weights.map((w, i) => bytesOf(w, `weights[${i}]`)) : [bytesOf(weights, 'weights')];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = parts.length === 1 ? parts[0] : new Uint8Array(total);
  if (parts.length > 1) {
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
  }
  /** @type {Map<string, Tensor>} */
  const out = new Map();
  let at = 0;
  manifest.forEach((group, g) => {
    const specs = obj(group, `weightsManifest[${g}]`).weights;
    if (!Array.isArray(specs)) fail('BAD_MODEL_FILE', `weightsManifest[${g}].weights`, `must be an array, got ${describe(specs)}`);
    specs.forEach((spec, i) => {
      const field = `weightsManifest[${g}].weights[${i}]`;
      const s = obj(spec, field);
      if (typeof s.name !== 'string') fail('BAD_MODEL_FILE', `${field}.name`, `must be a string, got ${describe(s.name)}`);
      if (s.dtype !== undefined && s.dtype !== 'float32') fail('BAD_MODEL_FILE', `${field}.dtype`, `is ${describe(s.dtype)}; rnnlab reads float32 weights`);
      if (s.quantization !== undefined) fail('BAD_MODEL_FILE', `${field}.quantization`, 'is set; rnnlab reads unquantized float32 weights');
      if (!Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0)) fail('BAD_MODEL_FILE', `${field}.shape`, `must be an array of dimensions, got ${describe(s.shape)}`);
      const count = s.shape.reduce((a, b) => a * b, 1);
      if (!(count * 4 <= total - at)) fail('BAD_MODEL_FILE', 'weights', `end after ${total} bytes, before '${s.name}' ([${s.shape.join(', ')}] floats from byte ${at})`);
      const data = new Float32Array(count);
      new Uint8Array(data.buffer).set(all.subarray(at, at + count * 4));
      at += count * 4;
      out.set(s.name.replace(/:0$/, ''), { shape: s.shape, data });
    });
  });
  if (at !== total) fail('BAD_MODEL_FILE', 'weights', `hold ${total} bytes but the manifest describes ${at}`);
  return out;
}

/**
 * Reads a LayersModel into a Model's configuration and PyTorch-named weights.
 * @param {unknown} modelJson
 * @param {unknown} weightBytes
 */
export function readKeras(modelJson, weightBytes) {
  const json = parseJson(modelJson);
  let topology = obj(json.modelTopology ?? json, 'modelJson.modelTopology');
  if (topology.model_config) topology = obj(topology.model_config, 'modelTopology.model_config');
  const kind = topology.class_name;
  if (kind !== 'Sequential' && kind !== 'Model' && kind !== 'Functional') fail('BAD_MODEL_FILE', 'modelTopology.class_name', `is ${describe(kind)}; rnnlab reads Sequential and single-chain functional models`);
  const layerList = obj(topology.config, 'modelTopology.config').layers;
  if (!Array.isArray(layerList)) fail('BAD_MODEL_FILE', 'modelTopology.config.layers', `must be an array, got ${describe(layerList)}`);
  const tensors = readWeights(json, weightBytes);
  const meta = json.userDefinedMetadata?.rnnlab;
  const pairs = meta && typeof meta === 'object' && meta.biases && typeof meta.biases === 'object' ? meta.biases : {};

  /** @type {Record<string, Tensor>} */
  const weights = {};
  /** @type {Record<string, any>} */
  const config = {};
  const hidden = [];
  let cell = '';
  let gruVariant = '';
  let inW = 0;
  let sequences = true;
  let headSeen = false;
  let softmax = false;
  /** @type {number[] | null} */
  let inputShape = null;

  /** The tensor `suffix` of layer `name` ('lstm/kernel' or Keras's 'lstm/lstm_cell/kernel'). */
  const weightOf = (/** @type {string} */ name, /** @type {string} */ suffix, /** @type {string} */ where) => {
    const exact = tensors.get(`${name}/${suffix}`);
    if (exact) return exact;
    for (const [k, t] of tensors) if (k.startsWith(`${name}/`) && k.endsWith(`/${suffix}`)) return t;
    return fail('BAD_MODEL_FILE', where, `has no weight '${name}/${suffix}' in the weights manifest`);
  };
  const shapeIs = (/** @type {Tensor} */ t, /** @type {number[]} */ want, /** @type {string} */ where) => {
    if (t.shape.join() !== want.join()) fail('BAD_MODEL_FILE', where, `has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`);
  };

  layerList.forEach((entry, i) => {
    const layer = obj(entry, `layers[${i}]`);
    let cls = layer.class_name;
    let cfg = obj(layer.config ?? {}, `layers[${i}].config`);
    const name = typeof cfg.name === 'string' ? cfg.name : String(layer.name ?? `layer ${i}`);
    const where = `layer '${name}' (${cls})`;
    if (Array.isArray(cfg.batch_input_shape)) inputShape = cfg.batch_input_shape;
    else if (Array.isArray(cfg.batch_shape)) inputShape = cfg.batch_shape;
    if (IGNORED.has(cls)) return;
    if (headSeen && !(cls === 'Activation' && cfg.activation === 'softmax' && !softmax)) fail('BAD_MODEL_FILE', where, 'follows the Dense head; rnnlab\'s model ends with the head (and an optional softmax)');
    if (cls === 'TimeDistributed') {
      const inner = obj(cfg.layer, `${where}.layer`);
      if (inner.class_name !== 'Dense') fail('BAD_MODEL_FILE', `${where}.layer`, `is ${describe(inner.class_name)}; rnnlab reads TimeDistributed(Dense) only`);
      cls = 'Dense';
      cfg = { ...obj(inner.config ?? {}, `${where}.layer.config`), name };
    }
    if (cls === 'Embedding') {
      if (hidden.length > 0 || config.inputEncoding) fail('BAD_MODEL_FILE', where, 'must come first, before the recurrent layers');
      if (cfg.mask_zero) fail('BAD_MODEL_FILE', `${where} mask_zero`, 'is true; rnnlab runs every step (pad and use a training mask instead)');
      const V = posInt(cfg.input_dim, `${where} input_dim`);
      const E = posInt(cfg.output_dim, `${where} output_dim`);
      const table = weightOf(name, 'embeddings', where);
      shapeIs(table, [V, E], `${where} embeddings`);
      let identity = V === E && cfg.trainable === false;
      for (let r = 0; identity && r < V; r++) for (let c = 0; identity && c < E; c++) identity = table.data[r * E + c] === (r === c ? 1 : 0);
      if (identity) Object.assign(config, { inputEncoding: 'onehot', vocabSize: V });
      else {
        Object.assign(config, { inputEncoding: 'embedding', vocabSize: V, embeddingSize: E });
        weights['embedding.weight'] = { shape: [V, E], data: table.data };
      }
      inW = E;
      return;
    }
    if (typeof cls === 'string' && Object.hasOwn(CELLS, cls)) {
      const c = CELLS[cls];
      if (cell && c !== cell) fail('BAD_MODEL_FILE', where, `mixes ${cls} with the layers before; rnnlab's layers are all one cell type`);
      if (!sequences) fail('BAD_MODEL_FILE', where, 'follows a recurrent layer with return_sequences false; stacked layers need the whole sequence');
      cell = c;
      checkRecurrent(cfg, cls, where);
      const H = posInt(cfg.units, `${where} units`);
      const G = gatesOf(c);
      const kernel = weightOf(name, 'kernel', where);
      const k = hidden.length;
      if (k === 0 && !config.inputEncoding) {
        inW = kernel.shape[0];
        Object.assign(config, { inputEncoding: 'features', inputSize: inW });
      }
      shapeIs(kernel, [inW, G * H], `${where} kernel`);
      const rec = weightOf(name, 'recurrent_kernel', where);
      shapeIs(rec, [H, G * H], `${where} recurrent_kernel`);
      const order = TO_TORCH.keras[c];
      let bih = new Float32Array(G * H);
      let bhh = new Float32Array(G * H);
      const useBias = cfg.use_bias !== false;
      const bias = useBias ? weightOf(name, 'bias', where) : null;
      let resetAfter = false;
      if (c === 'gru') {
        resetAfter = bias ? bias.shape.length === 2 : cfg.reset_after === true;
        if (cfg.reset_after !== undefined && cfg.reset_after !== null && Boolean(cfg.reset_after) !== resetAfter) {
          fail('BAD_MODEL_FILE', `${where} bias`, `has shape [${bias?.shape.join(', ')}], which does not match reset_after=${cfg.reset_after}`);
        }
        const variant = resetAfter ? 'pytorch' : 'classic';
        if (gruVariant && gruVariant !== variant) fail('BAD_MODEL_FILE', `${where} reset_after`, 'differs between layers; rnnlab\'s layers share one GRU variant');
        gruVariant = variant;
      }
      if (bias && resetAfter) {
        shapeIs(bias, [2, G * H], `${where} bias`);
        bih = reorderRows(bias.data.subarray(0, G * H), order, H, 1);
        bhh = reorderRows(bias.data.subarray(G * H), order, H, 1);
      } else if (bias) {
        shapeIs(bias, [G * H], `${where} bias`);
        bih = reorderRows(bias.data, order, H, 1);
        // rnnlab's own export kept PyTorch's two biases: use them while they still add up to this one.
        const a = pairs[`bias_ih_l${k}`];
        const b = pairs[`bias_hh_l${k}`];
        if (Array.isArray(a) && Array.isArray(b) && a.length === G * H && b.length === G * H) {
          const fa = Float32Array.from(a);
          const fb = Float32Array.from(b);
          let same = true;
          for (let j = 0; j < G * H && same; j++) same = Object.is(Math.fround(fa[j] + fb[j]), bih[j]) && Number.isFinite(fa[j]) && Number.isFinite(fb[j]);
          if (same) [bih, bhh] = [fa, fb];
        }
      }
      weights[`weight_ih_l${k}`] = { shape: [G * H, inW], data: reorderRows(transpose(kernel.data, inW, G * H), order, H, inW) };
      weights[`weight_hh_l${k}`] = { shape: [G * H, H], data: reorderRows(transpose(rec.data, H, G * H), order, H, H) };
      weights[`bias_ih_l${k}`] = { shape: [G * H], data: bih };
      weights[`bias_hh_l${k}`] = { shape: [G * H], data: bhh };
      hidden.push(H);
      sequences = cfg.return_sequences === true;
      inW = H;
      return;
    }
    if (cls === 'Dense') {
      if (hidden.length === 0) fail('BAD_MODEL_FILE', where, 'comes before any recurrent layer');
      const O = posInt(cfg.units, `${where} units`);
      const act = cfg.activation ?? 'linear';
      if (act !== 'linear' && act !== 'softmax') fail('BAD_MODEL_FILE', `${where} activation`, `is ${describe(act)}; rnnlab's head is linear or softmax`);
      softmax = act === 'softmax';
      const kernel = weightOf(name, 'kernel', where);
      shapeIs(kernel, [inW, O], `${where} kernel`);
      weights['head.weight'] = { shape: [O, inW], data: transpose(kernel.data, inW, O) };
      if (cfg.use_bias === false) weights['head.bias'] = { shape: [O], data: new Float32Array(O) };
      else {
        const b = weightOf(name, 'bias', where);
        shapeIs(b, [O], `${where} bias`);
        weights['head.bias'] = { shape: [O], data: b.data };
      }
      config.outputSize = O;
      headSeen = true;
      return;
    }
    if (cls === 'Activation') {
      if (cfg.activation === 'linear') return;
      if (cfg.activation === 'softmax' && headSeen && !softmax) {
        softmax = true;
        return;
      }
      fail('BAD_MODEL_FILE', `${where} activation`, `is ${describe(cfg.activation)}; rnnlab reads a softmax right after the Dense head`);
    }
    if (cls === 'Bidirectional') fail('BAD_MODEL_FILE', where, 'is bidirectional; rnnlab\'s layers run forward only');
    fail('BAD_MODEL_FILE', where, `layer type ${describe(cls)} is not one rnnlab reads (Embedding, SimpleRNN, LSTM, GRU, Dense, Activation softmax, Dropout)`);
  });
  if (hidden.length === 0) fail('BAD_MODEL_FILE', 'modelTopology', 'has no SimpleRNN, LSTM or GRU layer');
  if (!headSeen) fail('BAD_MODEL_FILE', 'modelTopology', 'has no Dense layer after the recurrent ones (rnnlab\'s head)');
  if (config.inputEncoding === 'features' && inputShape && inputShape.length === 3 && inputShape[2] !== null && inputShape[2] !== config.inputSize) {
    fail('BAD_MODEL_FILE', 'batch_input_shape', `has ${inputShape[2]} features but the first kernel takes ${config.inputSize}`);
  }
  config.cell = cell;
  if (cell === 'gru') config.gruVariant = gruVariant;
  config.hiddenSize = hidden;
  config.output = sequences ? 'sequence' : 'last';
  config.head = softmax ? 'softmax' : 'linear';
  return { config, weights };
}

/** Refuses recurrent settings rnnlab's cells do not compute. */
function checkRecurrent(cfg, cls, where) {
  if ((cfg.activation ?? 'tanh') !== 'tanh') fail('BAD_MODEL_FILE', `${where} activation`, `is ${describe(cfg.activation)}; rnnlab's cells use tanh`);
  if (cls !== 'SimpleRNN') {
    // Keras's default is sigmoid (TF.js's is hard_sigmoid, and it writes the value out).
    const r = cfg.recurrent_activation ?? 'sigmoid';
    if (r !== 'sigmoid') fail('BAD_MODEL_FILE', `${where} recurrent_activation`, `is ${describe(r)}; rnnlab's gates use sigmoid`);
  }
  if (cfg.go_backwards === true) fail('BAD_MODEL_FILE', `${where} go_backwards`, 'is true; rnnlab\'s layers run forward');
  if (cfg.time_major === true) fail('BAD_MODEL_FILE', `${where} time_major`, 'is true; rnnlab reads batch-major layers');
  if (cfg.return_state === true) fail('BAD_MODEL_FILE', `${where} return_state`, 'is true; rnnlab\'s layers pass on their outputs only');
}
