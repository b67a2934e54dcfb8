// The encoder-decoder's worker. rnnlab/worker runs single models; a Seq2Seq lives here, in a
// module worker of the page's own that uses the public `rnnlab` API. It makes its own batches
// (batch k is a pure function of the seed and k), trains in slices of ~100 ms between which it
// reads messages (pause, new learning rate, evaluate, translate), and reports each slice.
import { init } from 'rnnlab';
import { FORMATS, SOURCE_SYMBOLS, TARGET_LENGTH, TARGET_SYMBOLS, batchOf, encode, example } from './dates.js';

/** Held-out examples (their own stream, never trained on). */
const TEST = 400;
const SLICE_MS = 100;

/** @type {import('rnnlab').Rnnlab | null} */
let rnn = null;
/** @type {import('rnnlab').Seq2Seq | null} */
let model = null;
let seed = 1;
let batch = 32;
let step = 0;
let budget = 0;
let running = false;
/** @type {Record<string, any>} */
let trainOptions = {};
/** @type {ReturnType<typeof batchOf> | null} */
let test = null;
let testExamples = /** @type {ReturnType<typeof example>[]} */ ([]);

/** Posts a message, handing over the buffers of the typed arrays in it. */
const post = (msg) => self.postMessage(msg, buffers(msg));
function buffers(v, out = new Set(), depth = 0) {
  if (v && typeof v === 'object' && depth < 8) {
    if (ArrayBuffer.isView(v)) {
      if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
    } else for (const k of Object.keys(v)) buffers(v[k], out, depth + 1);
  }
  return depth === 0 ? [...out] : out;
}
/** Target ids as text (a stop marker of -1 or an unknown id reads as '?'). */
const decodeTarget = (ids) => Array.from(ids, (id) => TARGET_SYMBOLS[id] ?? '?').join('');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function errorData(e) {
  return { code: e?.code ?? 'INTERNAL', field: e?.field ?? '', message: e instanceof Error ? e.message : String(e) };
}

async function train() {
  while ((running || budget > 0) && model) {
    const t0 = performance.now();
    const losses = [];
    try {
      while ((running || budget > 0) && performance.now() - t0 < SLICE_MS) {
        const b = batchOf(Array.from({ length: batch }, (_, i) => example(seed, 0, step * batch + i)));
        losses.push(model.trainBatch(b.x, b.y, trainOptions));
        step++;
        if (budget > 0) budget--;
      }
    } catch (e) {
      running = false;
      budget = 0;
      post({ type: 'progress', step, losses, ms: performance.now() - t0, error: errorData(e) });
      return;
    }
    post({ type: 'progress', step, losses, ms: performance.now() - t0, running: running || budget > 0 });
    await tick();
  }
}

/** Exact-match accuracy (whole date right), per format, the loss, and a few translations. */
function evaluate() {
  const m = /** @type {import('rnnlab').Seq2Seq} */ (model);
  const t = /** @type {ReturnType<typeof batchOf>} */ (test);
  const out = m.translate(t.x, { maxLength: TARGET_LENGTH });
  const per = FORMATS.map(() => ({ right: 0, n: 0 }));
  let right = 0;
  let chars = 0;
  const shown = [];
  testExamples.forEach((e, i) => {
    const got = decodeTarget(out.data.subarray(i * TARGET_LENGTH, (i + 1) * TARGET_LENGTH));
    const ok = got === e.iso;
    right += ok ? 1 : 0;
    for (let c = 0; c < TARGET_LENGTH; c++) chars += got[c] === e.iso[c] ? 1 : 0;
    per[e.format].n++;
    if (ok) per[e.format].right++;
    if (i < 10) shown.push({ text: e.text, iso: e.iso, got });
  });
  return { step, exact: right / testExamples.length, chars: chars / (TARGET_LENGTH * testExamples.length), perFormat: per, shown, loss: m.evaluate(t.x, t.y) };
}

/**
 * What the encoder and the decoder do on one date: every layer's gates, states and
 * ‖∂L/∂hₜ‖ (Seq2Seq.inspect), scored against `iso` when given, else against its own answer.
 */
function inspect(text, iso) {
  const m = /** @type {import('rnnlab').Seq2Seq} */ (model);
  const { ids } = encode(text, SOURCE_SYMBOLS);
  if (ids.length === 0) throw new Error('the date has no characters the model knows');
  const src = { data: Int32Array.from(ids), shape: [1, ids.length] };
  const tgt = iso ? { data: Int32Array.from(encode(iso, TARGET_SYMBOLS).ids), shape: [1, TARGET_LENGTH] } : undefined;
  // Without a true date the greedy answer is scored, decoded as translate() decodes it.
  const r = tgt ? m.inspect(src, tgt) : m.inspect(src, undefined, { maxLength: TARGET_LENGTH });
  const answer = iso ? translate(text).output : decodeTarget(r.target.data);
  return { step, loss: r.loss, encoder: r.encoder, decoder: r.decoder, source: [...text].filter((c) => SOURCE_SYMBOLS.includes(c)), target: iso ?? answer, answer };
}

function translate(text) {
  const m = /** @type {import('rnnlab').Seq2Seq} */ (model);
  const { ids, dropped } = encode(text, SOURCE_SYMBOLS);
  if (ids.length === 0) return { output: '', dropped, empty: true };
  const out = m.translate(Int32Array.from(ids), { maxLength: TARGET_LENGTH });
  return { output: decodeTarget(out), dropped, read: ids.length };
}

self.addEventListener('message', async (e) => {
  const msg = e.data;
  const reply = (value) => post({ type: 'reply', id: msg.id, ok: true, value });
  try {
    switch (msg.type) {
      case 'examples':
        return reply(testExamples.slice(0, msg.count));
      case 'create': {
        rnn ??= await init({ threads: 1 }); // (as the page: see app/app.js)
        model?.dispose();
        model = rnn.createSeq2Seq({ ...msg.options, inputVocab: SOURCE_SYMBOLS.length, outputVocab: TARGET_SYMBOLS.length });
        ({ seed, batch } = msg);
        trainOptions = msg.train;
        step = 0;
        testExamples = Array.from({ length: TEST }, (_, i) => example(seed, 1, i));
        test = batchOf(testExamples);
        return reply({ parameterCount: model.parameterCount });
      }
      case 'options':
        trainOptions = msg.train;
        return reply(null);
      case 'play':
        if (!running) {
          running = true;
          train();
        }
        return reply(null);
      case 'pause':
        running = false;
        return reply(null);
      case 'step':
        budget += msg.n;
        if (!running && budget === msg.n) train();
        return reply(null);
      case 'evaluate':
        return reply(evaluate());
      case 'translate':
        return reply(translate(msg.text));
      case 'inspect':
        return reply(inspect(msg.text, msg.iso));
      default:
        throw new Error(`unknown message ${msg.type}`);
    }
  } catch (err) {
    post({ type: 'reply', id: msg.id, ok: false, error: errorData(err) });
  }
});
