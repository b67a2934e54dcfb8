// Models from other frameworks, in and out: an ONNX file, a TF.js / Keras LayersModel
// (model.json and its weight files), PyTorch weights JSON (what "Export weights" writes and
// interop/pytorch/rnnlab_torch.py reads and writes). Reading goes through rnnlab's own
// readers (rnn.loadOnnx / loadKeras, which name what they refuse); the page then builds the
// model in its training worker from the configuration and weights.

/** Largest JSON file read as a model (a weights JSON of a 40 M-parameter model is ~800 MB; the page trains far smaller). */
const MAX_JSON = 200e6;

/**
 * What kind of model file this is, from its name and first bytes; null for anything else
 * (a CSV, a text, an rnnlab model file).
 * @param {File} file
 * @returns {Promise<'onnx' | 'keras' | 'torch' | 'keras-weights' | null>}
 */
export async function foreignKind(file) {
  if (/\.onnx$/i.test(file.name)) return 'onnx';
  if (/\.bin$/i.test(file.name)) return 'keras-weights';
  if (!/\.json$/i.test(file.name) || file.size > MAX_JSON) return null;
  const doc = await readJson(file);
  if (doc && typeof doc === 'object' && doc.modelTopology !== undefined) return 'keras';
  if (doc && typeof doc === 'object' && doc.format === 'rnnlab-weights') return 'torch';
  return null;
}

/** @param {File} file */
async function readJson(file) {
  try {
    return JSON.parse(await file.text());
  } catch {
    return null;
  }
}

/**
 * Reads foreign model files into a configuration and weights (checked by rnnlab's readers).
 * Throws an Error saying what is missing or unsupported.
 * @param {import('rnnlab').Rnnlab} rnn the page's main-thread module
 * @param {File[]} files the dropped or chosen files
 * @returns {Promise<{config: Record<string, any>, weights: Record<string, {shape: number[], data: Float32Array}>, from: string}>}
 */
export async function readForeign(rnn, files) {
  const kinds = await Promise.all(files.map(foreignKind));
  const at = (k) => files.filter((_, i) => kinds[i] === k);
  const onnx = at('onnx')[0];
  if (onnx) return viaModel(await rnn.loadOnnx(new Uint8Array(await onnx.arrayBuffer())), onnx.name);
  const keras = at('keras')[0];
  if (keras) {
    const json = await readJson(keras);
    const bins = at('keras-weights');
    // The weight files in the order the manifest lists them.
    const paths = (Array.isArray(json.weightsManifest) ? json.weightsManifest : []).flatMap((g) => (Array.isArray(g?.paths) ? g.paths : []));
    const byName = new Map(bins.map((f) => [f.name, f]));
    const ordered = paths.length > 0 && paths.every((p) => byName.has(baseName(p))) ? paths.map((p) => byName.get(baseName(p))) : (paths.length === bins.length && bins.length === 1 ? bins : null);
    if (!ordered) {
      throw new Error(`${keras.name} needs its weight file${paths.length === 1 ? '' : 's'} ${paths.map(baseName).join(', ') || '(none listed)'}: drop or pick ${paths.length === 1 ? 'it' : 'them'} together with ${keras.name}`);
    }
    const parts = await Promise.all(ordered.map(async (f) => new Uint8Array(await f.arrayBuffer())));
    return viaModel(await rnn.loadKeras(json, parts), keras.name);
  }
  const torch = at('torch')[0];
  if (torch) {
    const doc = await readJson(torch);
    if (!doc.config || typeof doc.config !== 'object' || !doc.weights || typeof doc.weights !== 'object') throw new Error('it lacks its config or weights');
    const weights = {};
    for (const [name, t] of Object.entries(doc.weights)) {
      if (!t || !Array.isArray(t.shape) || !Array.isArray(t.data)) throw new Error(`tensor ${name} is not {shape, data}`);
      weights[name] = { shape: t.shape, data: Float32Array.from(t.data) };
    }
    const { seed, ...config } = doc.config;
    return { config: { ...config, ...(Number.isInteger(seed) ? { seed } : {}) }, weights, from: torch.name };
  }
  if (at('keras-weights').length > 0) throw new Error('a weights file needs the model.json it belongs to: drop or pick both together');
  throw new Error('it is not an rnnlab, ONNX, TF.js/Keras or PyTorch-weights model file');
}

/** @param {string} p */
const baseName = (p) => String(p).split('/').pop() ?? '';

/** The configuration and weights of a main-thread model read by rnnlab, which is then freed. */
function viaModel(model, from) {
  try {
    const { seed, ...config } = model.config;
    return { config, weights: model.getWeights(), from };
  } finally {
    model.dispose();
  }
}

/**
 * Which task a model's shape fits, for a message when it does not fit this one.
 * @param {Record<string, any>} config
 */
export function fittingTask(config) {
  const tokens = config.inputEncoding !== 'features';
  if (!tokens && config.inputSize === 1 && config.head === 'linear' && config.outputSize === 1 && config.output === 'last') return 'Forecast (one value per step in, the next value out)';
  if (tokens && config.head === 'softmax' && config.output === 'sequence') return `Text (a next character at every step, ${config.vocabSize} characters)`;
  if (tokens && config.head === 'softmax' && config.output === 'last' && config.outputSize === 2) return 'Classify (characters in, one of two books out)';
  return '';
}

/**
 * The files of a TF.js LayersModel export: model.json with the manifest pointing at the
 * weights file's name, and that file.
 * @param {{modelJson: Record<string, any>, weights: Uint8Array}} k what exportKeras() returns
 * @param {string} base file names' stem
 */
export function kerasFiles(k, base) {
  const bin = `${base}.weights.bin`;
  const modelJson = { ...k.modelJson, weightsManifest: k.modelJson.weightsManifest.map((g) => ({ ...g, paths: [bin] })) };
  return { json: { name: `${base}.model.json`, text: JSON.stringify(modelJson) }, bin: { name: bin, bytes: k.weights } };
}
