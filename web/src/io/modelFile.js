// What a playground model file carries besides the weights: the settings that made it, the
// data set, the vocabulary or normaliser that turn its inputs and outputs into text or units,
// and the step count. Stored as JSON in the model file's metadata (rnnlab's save()).

export const APP = 'rnnlab-playground';
export const FORMAT = 1;

/**
 * @param {Record<string, any>} state
 * @param {{steps: number, dataTitle: string, vocab?: any, normalizer?: any}} extra
 */
export function encodeMetadata(state, extra) {
  return JSON.stringify({ app: APP, format: FORMAT, savedAt: new Date().toISOString(), state, ...extra });
}

/**
 * The metadata of a loaded model: the playground's JSON, or null for a model saved elsewhere.
 * Throws for metadata that claims to be ours but cannot be read.
 * @param {string} text
 */
export function decodeMetadata(text) {
  if (!text) return null;
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object' || m.app !== APP) return null;
  if (m.format !== FORMAT) throw new RangeError(`the file was saved by a newer playground (format ${m.format}); this page reads format ${FORMAT}`);
  if (!m.state || typeof m.state !== 'object') throw new RangeError('the file’s settings are missing');
  return m;
}

/**
 * The model's weights as JSON under PyTorch's names and layouts, with the configuration.
 * @param {Record<string, {data: Float32Array, shape: number[]}>} weights
 * @param {Record<string, any>} config
 */
export function weightsJson(weights, config) {
  const out = {};
  for (const [name, t] of Object.entries(weights)) out[name] = { shape: t.shape, data: Array.from(t.data) };
  return JSON.stringify({ format: 'rnnlab-weights', config, names: 'pytorch', weights: out });
}
