// The text task: a character model trained many-to-many (a prediction at every step, the
// target the next character) and sampled one-to-many (from a priming text, each sampled
// character fed back). Shows samples that improve while it trains and the next-character
// distribution after any prefix.
import { TEXTS } from '../data/catalog.js';
import { loadTextFile } from '../data/files.js';
import { compatible, modelShape, plan, prepare, primeIds } from './task.js';
import { MAX_TEXT } from './prepare.js';
import { fmt, h, replace } from '../lib/dom.js';
import { probabilityOptions, sampleOptions } from '../train/options.js';

/** Bars in the next-character chart. */
const TOP_BARS = 12;

/**
 * The text a state names.
 * @param {Record<string, any>} state
 * @param {{text: string, title: string} | null} custom
 */
export async function loadText(state, custom) {
  if (state.data === 'custom') {
    if (!custom) throw new RangeError('no text of your own yet: paste some text, or drop a .txt file on the page');
    return custom;
  }
  const info = TEXTS.find((t) => t.id === state.data);
  if (!info?.file) throw new RangeError(`unknown text ${state.data}`);
  return { text: await loadTextFile(info.file), title: info.title };
}

/** A character as it reads in a chart label. */
export function showChar(ch) {
  if (ch === ' ') return '␣ (space)';
  if (ch === '\n') return '↵ (new line)';
  if (ch === '\t') return '⇥ (tab)';
  return ch;
}

export class TextViews {
  /** @param {{main: HTMLElement, side: HTMLElement}} slots */
  constructor(slots) {
    this.samplesHost = h('div', { class: 'samples', 'aria-live': 'polite', 'aria-label': 'Samples' });
    this.probsHost = h('div', { class: 'probs', role: 'list', 'aria-label': 'Next-character probabilities' });
    this.probsTitle = h('h3', { id: 'probs-title' }, 'Next character');
    this.primeNote = h('p', { class: 'notice', role: 'status' });
    this.baselineHost = h('p', { class: 'baselines' });
    /** @type {{step: number, prime: string, text: string}[]} */
    this.samples = [];
    replace(slots.main,
      h('h2', null, 'Samples'),
      h('p', { class: 'explain' },
        'The model predicts the next character from the characters before it, carrying what it has read in its hidden state. ',
        'To write, it samples a character, feeds it back in, and repeats (one-to-many). ',
        'The newest sample is on top; they start from the same random seed, so the differences come from training alone.'),
      this.samplesHost,
      this.baselineHost);
    replace(slots.side,
      this.probsTitle,
      this.primeNote,
      this.probsHost,
      h('p', { class: 'explain' },
        'What the model expects right after the priming text (edit it under Sampling). A long prefix only helps if the network remembers its start.'));
  }

  /** What a model that knows nothing, or only letter frequencies, would score. */
  showBaselines(prep, lastLoss, valLoss) {
    const b = prep.t.baselines;
    const bits = (n) => fmt(n / Math.LN2, 3);
    replace(this.baselineHost,
      h('span', null, `Loss in nats per character (bits = nats / ln 2). Guessing uniformly among ${prep.t.vocab.size} characters: ${fmt(b.uniform, 3)} nats = ${bits(b.uniform)} bits; `
        + `knowing only letter frequencies: ${fmt(b.unigram, 3)} nats = ${bits(b.unigram)} bits.`),
      Number.isFinite(lastLoss) ? h('span', null, ` The model now: ${fmt(lastLoss, 3)} nats = ${bits(lastLoss)} bits (training)`
        + (Number.isFinite(valLoss) ? `, ${fmt(valLoss, 3)} nats = ${bits(valLoss)} bits (validation).` : '.')) : null);
  }

  /** Adds a sample (newest first, the last five kept). */
  addSample(step, prime, text) {
    this.samples.unshift({ step, prime, text });
    this.samples.length = Math.min(this.samples.length, 5);
    replace(this.samplesHost, ...this.samples.map((s, i) =>
      h('figure', { class: i === 0 ? 'sample newest' : 'sample' },
        h('figcaption', null, `after ${s.step.toLocaleString('en-US')} steps`),
        h('pre', { class: 'sample-text', tabindex: '0', dataset: i === 0 ? { testid: 'sample' } : {} }, h('mark', null, s.prime), s.text))));
  }

  clearSamples(message) {
    this.samples = [];
    replace(this.samplesHost, h('p', { class: 'placeholder' }, message));
  }

  /**
   * @param {Float32Array} probs
   * @param {readonly string[]} symbols
   * @param {string} prefix
   * @param {number} temperature
   * @param {string[]} missing characters of the prime left out
   */
  showProbabilities(probs, symbols, prefix, temperature, missing) {
    const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, TOP_BARS);
    const top = probs[order[0]] || 1;
    const tail = prefix.length > 24 ? `…${prefix.slice(-24)}` : prefix;
    replace(this.probsTitle, `Next character after “${tail.replace(/\n/g, '↵')}”`, h('span', { class: 'note' }, ` (temperature ${temperature})`));
    replace(this.primeNote, missing.length ? `Left out of the prefix (not in this text’s characters): ${missing.map((c) => JSON.stringify(c)).join(' ')}` : '',
      prefix === '\n' ? 'No priming text: the samples start from a line break, the start of a verse (one-to-many generation from a single start).' : '');
    replace(this.probsHost, ...order.map((i) => h('div', { class: 'bar-row', role: 'listitem' },
      h('span', { class: 'bar-label' }, showChar(symbols[i])),
      h('span', { class: 'bar-track' }, h('span', { class: 'bar', style: { width: `${(100 * probs[i]) / top}%` } })),
      h('span', { class: 'bar-value', dataset: { p: String(probs[i]) } }, `${(100 * probs[i]).toFixed(1)}%`))));
  }

  destroy() {}
}

/** The text task as the app drives it. */
export class TextController {
  /**
   * @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots
   * @param {(text: {text: string, title: string}) => void} onCustomText
   */
  constructor(slots, onCustomText) {
    this.views = new TextViews(slots);
    this.about = h('div', { class: 'about' });
    const area = h('textarea', { id: 'text-paste', rows: 5, spellcheck: false, placeholder: 'Paste a few pages of any text…' });
    const file = h('input', { type: 'file', id: 'text-file', accept: '.txt,text/plain', onchange: async () => {
      const f = file.files?.[0];
      file.value = '';
      if (!f) return;
      // Never read a file too large to train on (a 50 MB file would only freeze the tab).
      if (f.size > MAX_TEXT) {
        replace(this.message, `${f.name} has ${(f.size / 1e6).toFixed(0)} MB; the playground trains on texts up to ${MAX_TEXT / 1e6} MB.`);
        return;
      }
      replace(this.message);
      onCustomText({ text: await f.text(), title: f.name });
    } });
    this.message = h('div', { class: 'field-message', role: 'alert', id: 'text-message' });
    replace(slots.data, this.about, h('details', { class: 'own-data', id: 'own-text' },
      h('summary', null, 'Your own text'),
      h('label', { for: 'text-paste' }, 'Paste text'), area,
      h('button', { type: 'button', onclick: () => onCustomText({ text: /** @type {HTMLTextAreaElement} */ (area).value, title: 'pasted text' }) }, 'Train on this text'),
      h('label', { for: 'text-file', class: 'file-button' }, 'Or choose a .txt file…'), file,
      this.message));
    this.lossLabel = 'cross-entropy (nats/char)';
    this.probeEveryMs = 1000;
    this.sampleEveryMs = 3000;
    this.lastSampleAt = -Infinity;
    this.sampleSeed = 1;
  }

  load = loadText;

  /** Opens the "your own text" box and puts the cursor in it. */
  openOwnData() {
    const d = /** @type {HTMLDetailsElement | null} */ (document.getElementById('own-text'));
    if (!d) return;
    d.open = true;
    /** @type {HTMLElement | null} */ (d.querySelector('#text-paste'))?.focus();
  }
  prepare = prepare;
  modelShape = modelShape;
  plan = plan;

  lossRefs(prep) {
    return [{ label: 'letter frequencies only', value: prep.t.baselines.unigram }];
  }

  showPrepared(prep, state) {
    const info = TEXTS.find((t) => t.id === state.data);
    const t = prep.t;
    replace(this.about,
      h('p', null, info ? info.about : `${prep.source.title}: ${t.ids.length.toLocaleString('en-US')} characters.`),
      h('p', { class: 'facts' }, `${t.vocab.size} distinct characters; ${t.train.length.toLocaleString('en-US')} for training, the last ${t.val.length.toLocaleString('en-US')} held out for validation.`),
      t.dropped.length ? h('p', { class: 'notice' }, `${t.distinct} distinct characters is more than ${t.vocab.size}: the ${t.dropped.length} rarest (${t.dropped.slice(0, 10).map(([c]) => JSON.stringify(c)).join(' ')}${t.dropped.length > 10 ? ' …' : ''}) all read as “${t.vocab.symbols[t.vocab.fallbackId]}”.`) : null);
    this.views.clearSamples('Press play: samples appear every few seconds while the model trains.');
    this.views.showBaselines(prep, NaN, NaN);
  }

  /**
   * Samples (every few seconds, or when asked) and the next-character chart.
   * @param {import('../train/session.js').Session} session
   */
  async probe(session, state, prep, { sample = false } = {}) {
    const t = prep.t;
    const { ids, kept, missing } = primeIds(t.vocab, state.prime);
    const now = performance.now();
    const wantSample = sample || now - this.lastSampleAt >= this.sampleEveryMs;
    const step = session.issued;
    const sampling = sampleOptions(state, { vocabSize: t.vocab.size, encode: (text) => primeIds(t.vocab, text).ids });
    const [probs, out] = await session.call((m) => Promise.all([
      m.nextTokenProbabilities(ids, probabilityOptions(state)),
      wantSample ? m.generate({ ...sampling, seed: this.sampleSeed }) : null,
    ]));
    this.views.showProbabilities(probs, t.vocab.symbols, kept, state.temp, missing);
    if (out) {
      this.lastSampleAt = now;
      this.views.addSample(step, kept, t.vocab.decode(out));
    }
    const last = session.log.series();
    const lastVal = session.log.val.at(-1)?.loss ?? NaN;
    this.views.showBaselines(prep, last.mean.at(-1) ?? NaN, lastVal);
  }

  metadataExtra(prep) {
    return { vocab: prep.t.vocab.toJSON() };
  }

  // ---- inside the network ----

  /** A choice of validation passages, or the priming text. */
  exampleControl(onChange) {
    this.exampleIndex = 0;
    const select = h('select', { id: 'inside-example', onchange: () => {
      this.exampleIndex = Number(select.value);
      onChange();
    } }, h('option', { value: '-1' }, 'the priming text'), Array.from({ length: 8 }, (_, i) => h('option', { value: String(i), selected: i === 0 }, `held-out passage ${i + 1}`)));
    return h('div', { class: 'inline example-pick' }, h('label', { for: 'inside-example' }, 'Example'), select);
  }

  inspectExample(state, prep) {
    const t = prep.t;
    const vocab = t.vocab;
    let ids;
    let title;
    if (this.exampleIndex < 0) {
      ids = primeIds(vocab, `${state.prime}`).ids;
      title = 'the priming text';
    } else {
      const L = Math.min(80, Math.max(8, state.bptt));
      const span = Math.max(1, t.val.length - L - 1);
      // Start at a line break when one is near, so a passage reads from a verse's start.
      let start = Math.floor(((this.exampleIndex + 0.5) * span) / 8);
      const nlId = vocab.symbols.indexOf('\n');
      const nl = nlId < 0 ? -1 : t.val.subarray(start, start + 200).indexOf(nlId);
      if (nl >= 0 && start + nl + 1 + L + 1 <= t.val.length) start += nl + 1;
      ids = t.val.slice(start, start + L + 1);
      title = `held-out passage ${this.exampleIndex + 1}`;
    }
    // With a next character for every step, the gradients are those of the real loss.
    const T = Math.max(1, ids.length - 1);
    const xs = ids.length > 1 ? ids.slice(0, T) : ids;
    const ys = ids.length > 1 ? ids.slice(1, T + 1) : null;
    const labels = [...vocab.decode(xs)];
    return { x: { data: Int32Array.from(xs), shape: [1, xs.length] }, y: ys ? { data: Int32Array.from(ys), shape: [1, ys.length] } : undefined, labels, title };
  }

  unrolled(state, prep) {
    const inputs = [...prep.t.vocab.decode(primeIds(prep.t.vocab, 'And God said unto').ids)];
    return {
      shape: /** @type {const} */ ('many-to-many'), cell: state.cell, layers: state.layers, inputs,
      caption: `Many-to-many: one character in and one prediction out at every step, each prediction scored against the next character; all ${state.bptt} outputs of a training sequence feed the loss. Sampling is one-to-many: each sampled character is fed back in.`,
    };
  }

  destroy() {}
}

export { compatible, prepare };
