// Which book is a verse from? A many-to-one classifier: characters in, one prediction (Genesis
// or Psalms) after the last one. Every 7th verse of each book is held out. Training reads a
// window of at most `window` characters of a verse (a random one for long verses, so every
// part gets seen), left-padded with line breaks, the character that separates verses anyway;
// evaluation and the "try a sentence" box read whole texts of any length.
import { rng } from '../lib/rng.js';

export const BOOKS = ['Genesis', 'Psalms'];
/** Every HOLD-th verse is held out. */
const HOLD = 7;

/**
 * @param {import('rnnlab').Rnnlab} rnn
 * @param {{genesis: string, psalms: string}} texts
 */
export function prepareBooks(rnn, texts) {
  const split = (t) => t.split('\n').map((v) => v.trim()).filter(Boolean);
  const verses = [split(texts.genesis), split(texts.psalms)];
  const vocab = rnn.data.charVocab(`\n${texts.genesis}\n${texts.psalms}`);
  const pad = vocab.encode('\n')[0];
  /** @type {{ids: Int32Array, label: number, text: string}[]} */
  const train = [];
  /** @type {{ids: Int32Array, label: number, text: string}[]} */
  const heldOut = [];
  verses.forEach((list, label) => list.forEach((text, i) => (i % HOLD === HOLD - 1 ? heldOut : train).push({ ids: vocab.encode(text), label, text })));
  const counts = [0, 1].map((l) => heldOut.filter((v) => v.label === l).length);
  return {
    vocab, pad, train, heldOut,
    /** Always answering the larger book. */
    majority: { label: counts[1] >= counts[0] ? 1 : 0, accuracy: Math.max(...counts) / heldOut.length },
    counts: [0, 1].map((l) => verses[l].length),
  };
}

/** Verses as one padded batch [n, T] (left-padded, so every verse ends at the last step). */
export function padBatch(items, pad, maxLen = Infinity) {
  const T = Math.max(1, Math.min(maxLen, Math.max(...items.map((v) => v.ids.length))));
  const x = new Int32Array(items.length * T).fill(pad);
  items.forEach((v, i) => {
    const ids = v.ids.length > T ? v.ids.subarray(0, T) : v.ids;
    x.set(ids, i * T + T - ids.length);
  });
  return { data: x, shape: [items.length, T] };
}

/** Training batches: step k is a pure function of (seed, k). */
export function verseBatches(prep, B, window, seed) {
  const n = prep.train.length;
  return {
    stepsPerEpoch: Math.ceil(n / B),
    tokensPerStep: B * window,
    batch(k) {
      const next = rng(seed, 0x200000 + k);
      const items = [];
      const y = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const v = prep.train[Math.floor(next() * n)];
        // A long verse contributes a random window of it.
        const start = v.ids.length > window ? Math.floor(next() * (v.ids.length - window + 1)) : 0;
        items.push({ ids: v.ids.subarray(start, start + window) });
        y[b] = v.label;
      }
      return { x: padBatch(items, prep.pad, window), y: { data: y, shape: [B] } };
    },
  };
}

/** What the data fixes of the model (the settings' options come from train/options.js): characters in, one of two books out after the last. */
export function modelShape(prep) {
  return { vocabSize: prep.vocab.size, outputSize: 2, head: 'softmax', output: 'last' };
}

/** The validation loss uses a fixed sample of held-out verses (every 4th), read whole. */
export function plan(state, prep) {
  const sample = prep.heldOut.filter((_, i) => i % 4 === 0);
  return {
    source: verseBatches(prep, state.batch, state.window, state.seed),
    validation: { x: padBatch(sample, prep.pad), y: { data: Int32Array.from(sample, (v) => v.label), shape: [sample.length] } },
  };
}

/**
 * Scores every held-out verse (read whole, in batches of similar length): accuracy, the
 * confusion matrix, accuracy by length, and the probabilities of each verse.
 * @param {(x: any) => Promise<{data: Float32Array}>} predict
 */
export async function scoreHeldOut(predict, prep) {
  const order = prep.heldOut.map((_, i) => i).sort((a, b) => prep.heldOut[a].ids.length - prep.heldOut[b].ids.length);
  const probs = new Float32Array(prep.heldOut.length);
  const calls = [];
  for (let i = 0; i < order.length; i += 64) {
    const idx = order.slice(i, i + 64);
    calls.push(predict(padBatch(idx.map((j) => prep.heldOut[j]), prep.pad)).then((out) => idx.forEach((j, r) => { probs[j] = out.data[2 * r + 1]; })));
  }
  await Promise.all(calls);
  const confusion = [[0, 0], [0, 0]];
  const buckets = [{ label: 'under 60 characters', max: 60 }, { label: '60–120', max: 120 }, { label: 'over 120', max: Infinity }].map((b) => ({ ...b, right: 0, n: 0 }));
  prep.heldOut.forEach((v, i) => {
    const guess = probs[i] > 0.5 ? 1 : 0;
    confusion[v.label][guess]++;
    const b = /** @type {any} */ (buckets.find((x) => v.ids.length < x.max));
    b.n++;
    if (guess === v.label) b.right++;
  });
  const right = confusion[0][0] + confusion[1][1];
  return { accuracy: right / prep.heldOut.length, confusion, buckets, probs };
}

/** Whether a loaded model fits ('' if so). */
export function compatible(config, prep) {
  if (config.inputEncoding === 'features') return 'it reads numbers, not characters';
  if (config.vocabSize !== prep.vocab.size) return `its vocabulary has ${config.vocabSize} characters, the books ${prep.vocab.size}`;
  if (config.head !== 'softmax' || config.outputSize !== 2 || config.output !== 'last') return 'it does not predict one of two classes per text';
  return '';
}
