// rnnlab -> Keras / TensorFlow.js: a Sequential LayersModel (model.json with modelTopology and
// weightsManifest, plus the weights file) in Keras's layout: kernel [inputs, units x gates],
// recurrent_kernel [units, units x gates], one bias (LSTM gates i, f, c, o; GRU z, r, h).
import { VERSION } from '../index.js';
import { TO_TORCH, gatesOf, inverse, reorderRows, transpose } from './layout.js';

const CLASS = { rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };
/** The weights file the manifest names. */
export const WEIGHTS_FILE = 'weights.bin';

const glorot = { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } };

/**
 * A Model's configuration and weights as a TF.js LayersModel.
 * @param {Readonly<Record<string, any>>} c model.config
 * @param {Record<string, {shape: number[], data: Float32Array}>} w model.getWeights()
 * @returns {{modelJson: Record<string, any>, weights: Uint8Array, warnings: string[]}}
 */
export function modelToKeras(c, w) {
  /** @type {string[]} */
  const warnings = [];
  const layers = [];
  /** @type {{name: string, shape: number[], data: Float32Array}[]} */
  const tensors = [];
  // Keras has one bias per recurrent layer where PyTorch has two; the pair is kept in the
  // metadata so that reading the file back gives the same bits (used only while their
  // float32 sum is still the file's bias, i.e. until the model is trained elsewhere).
  /** @type {Record<string, number[]>} */
  const biasPairs = {};
  let batchInput;
  if (c.inputEncoding === 'features') batchInput = [null, null, c.inputSize];
  else {
    const onehot = c.inputEncoding === 'onehot';
    const V = c.vocabSize;
    const E = onehot ? V : c.embeddingSize;
    layers.push({
      class_name: 'Embedding',
      config: {
        name: 'embedding', trainable: !onehot, input_dim: V, output_dim: E,
        embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
        embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null,
        mask_zero: false, input_length: null, batch_input_shape: [null, null], dtype: 'float32',
      },
    });
    // One-hot input is a fixed identity table (Keras has no one-hot layer that takes sequences).
    let table;
    if (onehot) {
      table = new Float32Array(V * V);
      for (let i = 0; i < V; i++) table[i * V + i] = 1;
    } else table = w['embedding.weight'].data;
    tensors.push({ name: 'embedding/embeddings', shape: [V, E], data: table });
  }
  const G = gatesOf(c.cell);
  const order = inverse(TO_TORCH.keras[c.cell]);
  const resetAfter = c.cell === 'gru' && c.gruVariant === 'pytorch';
  if (resetAfter) {
    warnings.push("TensorFlow.js cannot run this GRU: it is PyTorch's variant, written as Keras's reset_after=True GRU, which Keras (Python) runs and tf.loadLayersModel refuses. For TF.js, train a model with gruVariant: 'classic' (Keras reset_after=False).");
  }
  const L = c.hiddenSize.length;
  let inW = c.inputEncoding === 'features' ? c.inputSize : c.inputEncoding === 'onehot' ? c.vocabSize : c.embeddingSize;
  c.hiddenSize.forEach((H, k) => {
    const name = `${c.cell}_l${k}`;
    /** @type {Record<string, any>} */
    const config = {
      name, trainable: true, units: H, activation: 'tanh', use_bias: true,
      kernel_initializer: glorot, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1, seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
      kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
      dropout: 0, recurrent_dropout: 0,
      return_sequences: k < L - 1 || c.output === 'sequence', return_state: false, go_backwards: false, stateful: false, unroll: false,
    };
    // TF.js's default recurrent activation is hard_sigmoid: say sigmoid.
    if (c.cell !== 'rnn') config.recurrent_activation = 'sigmoid';
    if (c.cell === 'gru') config.reset_after = resetAfter;
    if (c.cell === 'lstm') config.unit_forget_bias = true;
    if (k === 0 && batchInput) config.batch_input_shape = batchInput;
    layers.push({ class_name: CLASS[c.cell], config });
    const bih = reorderRows(w[`bias_ih_l${k}`].data, order, H, 1);
    const bhh = reorderRows(w[`bias_hh_l${k}`].data, order, H, 1);
    tensors.push({ name: `${name}/kernel`, shape: [inW, G * H], data: transpose(reorderRows(w[`weight_ih_l${k}`].data, order, H, inW), G * H, inW) });
    tensors.push({ name: `${name}/recurrent_kernel`, shape: [H, G * H], data: transpose(reorderRows(w[`weight_hh_l${k}`].data, order, H, H), G * H, H) });
    if (resetAfter) {
      const both = new Float32Array(2 * G * H);
      both.set(bih);
      both.set(bhh, G * H);
      tensors.push({ name: `${name}/bias`, shape: [2, G * H], data: both });
    } else {
      const sum = new Float32Array(G * H);
      for (let i = 0; i < sum.length; i++) sum[i] = bih[i] + bhh[i];
      tensors.push({ name: `${name}/bias`, shape: [G * H], data: sum });
      biasPairs[`bias_ih_l${k}`] = Array.from(w[`bias_ih_l${k}`].data);
      biasPairs[`bias_hh_l${k}`] = Array.from(w[`bias_hh_l${k}`].data);
    }
    inW = H;
  });
  const O = c.outputSize;
  layers.push({
    class_name: 'Dense',
    config: {
      name: 'head', trainable: true, units: O, activation: c.head === 'softmax' ? 'softmax' : 'linear', use_bias: true,
      kernel_initializer: glorot, bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    },
  });
  tensors.push({ name: 'head/kernel', shape: [inW, O], data: transpose(w['head.weight'].data, O, inW) });
  tensors.push({ name: 'head/bias', shape: [O], data: w['head.bias'].data });

  const bytes = new Uint8Array(tensors.reduce((n, t) => n + t.data.length * 4, 0));
  let at = 0;
  for (const t of tensors) {
    bytes.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * 4), at);
    at += t.data.length * 4;
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `rnnlab ${VERSION}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'rnnlab_model', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: 'float32' })) }],
    userDefinedMetadata: { rnnlab: { config: { ...c }, biases: biasPairs } },
  };
  return { modelJson, weights: bytes, warnings };
}
