// The date task's logic without the page: what the data fixes of the encoder-decoder, its
// batches (batch k is a pure function of the seed and k), the held-out set and its scoring, and
// what the inside views show of one date. The model is a WorkerSeq2Seq (rnnlab/worker) in a training session
// like every other task's; these functions also take a main-thread Seq2Seq (tests do).
import { FORMATS, SOURCE_SYMBOLS, TARGET_LENGTH, TARGET_SYMBOLS, batchOf, encode, example } from './dates.js';

/** Held-out dates (their own stream, never trained on). */
export const HELD_OUT = 400;

/**
 * The held-out dates and their batch, for a seed; the validation loss uses a fixed sample of
 * them (every 4th: the session evaluates it every second while training, in the worker).
 */
export function prepare(state) {
  const heldOut = Array.from({ length: HELD_OUT }, (_, i) => example(state.seed, 1, i));
  return { formats: FORMATS, heldOut, test: batchOf(heldOut), validation: batchOf(heldOut.filter((_, i) => i % 4 === 0)) };
}

/**
 * What the data fixes of the encoder-decoder (its settings come from the settings table,
 * train/options.js): the two alphabets and the embedding width.
 */
export function modelShape() {
  return { embeddingSize: 32, inputVocab: SOURCE_SYMBOLS.length, outputVocab: TARGET_SYMBOLS.length };
}

/** A fresh batch of `state.batch` dates every step; the held-out loss on a fixed sample. */
export function plan(state, prep) {
  const n = state.batch;
  return {
    seq2seq: true,
    source: {
      batch: (/** @type {number} */ k) => batchOf(Array.from({ length: n }, (_, i) => example(state.seed, 0, k * n + i))),
      stepsPerEpoch: Infinity,
      tokensPerStep: n,
    },
    validation: prep.validation,
  };
}

/** Target ids as text (a stop marker of -1 or an unknown id reads as '?'). */
export const decodeTarget = (/** @type {ArrayLike<number>} */ ids) => Array.from(ids, (id) => TARGET_SYMBOLS[id] ?? '?').join('');

/**
 * Exact-match accuracy (whole date right), per format, the share of characters right and the
 * first ten translations, from one greedy translation of every held-out date.
 * @param {{translate: (x: any, o: any) => any}} model a (Worker)Seq2Seq
 */
export async function scoreHeldOut(model, prep) {
  const out = await model.translate(prep.test.x, { maxLength: TARGET_LENGTH });
  const perFormat = FORMATS.map(() => ({ right: 0, n: 0 }));
  let right = 0;
  let chars = 0;
  const shown = [];
  prep.heldOut.forEach((e, i) => {
    const got = decodeTarget(out.data.subarray(i * TARGET_LENGTH, (i + 1) * TARGET_LENGTH));
    const ok = got === e.iso;
    right += ok ? 1 : 0;
    for (let c = 0; c < TARGET_LENGTH; c++) chars += got[c] === e.iso[c] ? 1 : 0;
    perFormat[e.format].n++;
    if (ok) perFormat[e.format].right++;
    if (i < 10) shown.push({ text: e.text, iso: e.iso, got });
  });
  const n = prep.heldOut.length;
  return { exact: right / n, chars: chars / (TARGET_LENGTH * n), perFormat, shown };
}

/**
 * A typed date rewritten: the ISO text, the characters left out (not in the training
 * alphabet), and how many were read; `empty` when none was.
 * @param {{translate: (x: any, o: any) => any}} model
 * @param {string} text
 */
export async function translateText(model, text) {
  const { ids, dropped } = encode(text, SOURCE_SYMBOLS);
  if (ids.length === 0) return { output: '', dropped, read: 0, empty: true };
  const out = await model.translate(Int32Array.from(ids), { maxLength: TARGET_LENGTH });
  return { output: decodeTarget(out), dropped, read: ids.length, empty: false };
}

/**
 * What the encoder and the decoder do on one date: every layer's gates, states and ‖∂L/∂hₜ‖
 * (Seq2Seq.inspect), scored against `iso` when given (teacher forcing; the model's own answer
 * then comes from one translation), else against its own greedy answer, decoded as translate()
 * decodes it (at most TARGET_LENGTH steps) and reused as the answer.
 * @param {{inspect: (...a: any[]) => any, translate: (x: any, o: any) => any}} model
 * @param {string} text
 * @param {string} [iso]
 */
export async function inspectDate(model, text, iso) {
  const { ids } = encode(text, SOURCE_SYMBOLS);
  if (ids.length === 0) throw new Error('the date has no characters the model knows');
  const src = { data: Int32Array.from(ids), shape: [1, ids.length] };
  const source = [...text].filter((c) => SOURCE_SYMBOLS.includes(c));
  if (iso) {
    const tgt = { data: Int32Array.from(encode(iso, TARGET_SYMBOLS).ids), shape: [1, TARGET_LENGTH] };
    const [r, answer] = await Promise.all([model.inspect(src, tgt), translateText(model, text)]);
    return { loss: r.loss, encoder: r.encoder, decoder: r.decoder, source, target: iso, answer: answer.output };
  }
  const r = await model.inspect(src, undefined, { maxLength: TARGET_LENGTH });
  const answer = decodeTarget(r.target.data);
  return { loss: r.loss, encoder: r.encoder, decoder: r.decoder, source, target: answer, answer };
}
