// Refuses a model too large for a browser tab before a worker tries to build it.
// (One place, so the page can ask the library instead when it can answer.)

/** Largest model the page will try to build: parameters (each costs ~16 bytes with Adam). */
export const MAX_PARAMETERS = 40_000_000;

/** Parameters of a model config, counted before building it (to refuse absurd sizes early). */
export function estimateParameters(o) {
  const gates = { rnn: 1, lstm: 4, gru: 3 }[o.cell] ?? 4;
  let input = o.vocabSize ? (o.inputEncoding === 'embedding' ? 64 : o.vocabSize) : o.inputSize;
  let n = o.vocabSize && o.inputEncoding === 'embedding' ? o.vocabSize * 64 : 0;
  for (const H of o.hiddenSize) {
    n += gates * H * (input + H + 2);
    input = H;
  }
  return n + input * o.outputSize + o.outputSize;
}

/**
 * Throws (code TOO_LARGE, words for people) when createModel options describe a model the
 * page should not try to build.
 * @param {Record<string, any>} options createModel's options
 */
export function checkModelSize(options) {
  const count = estimateParameters(options);
  if (count > MAX_PARAMETERS) {
    throw Object.assign(new RangeError(`this model would have ${count.toLocaleString('en-US')} parameters, more than the ${MAX_PARAMETERS.toLocaleString('en-US')} a browser tab can train (about ${Math.round((count * 16) / 1e9)} GB with Adam): use fewer hidden units or layers`), { code: 'TOO_LARGE' });
  }
}
