// The classification task's page (many-to-one): held-out accuracy against always answering
// the larger book, the confusion matrix, accuracy by verse length (inputs of any length), a few
// held-out verses with the model's verdict, and a box that classifies whatever is typed in it.
import { loadTextFile } from '../data/files.js';
import { BOOKS, compatible, modelShape, padBatch, plan, prepareBooks, scoreHeldOut } from './task.js';
import { Chart, COLORS, axis } from '../views/chart.js';
import { fmt, h, replace } from '../lib/dom.js';

export async function loadBooks() {
  const [genesis, psalms] = await Promise.all([loadTextFile('kjv-genesis.txt'), loadTextFile('kjv-psalms.txt')]);
  return { genesis, psalms };
}

export function prepare(rnn, state, texts) {
  return prepareBooks(rnn, texts);
}

export class ClassifyController {
  /** @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots */
  constructor(slots) {
    this.task = 'classify';
    this.lossLabel = 'cross-entropy (nats)';
    this.probeEveryMs = 1000;
    this.about = h('div', { class: 'about' });
    replace(slots.data, this.about);
    this.accHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Held-out accuracy by training step' });
    this.resultHost = h('div', { class: 'classify-results', 'aria-live': 'polite' });
    this.examplesHost = h('div', { class: 'verses' });
    replace(slots.main,
      h('h2', null, 'Held-out accuracy'),
      this.accHost,
      h('p', { class: 'explain' },
        'Many-to-one: the network reads a verse character by character and only its state after the last character decides the book. ',
        'Every 7th verse of each book was held out from training; the accuracy is measured on those. Psalms has more verses, so always answering “Psalms” already scores the dashed line: the model is only useful above it.'),
      this.resultHost,
      h('h3', null, 'Held-out verses'),
      this.examplesHost);
    this.tryBox = /** @type {HTMLTextAreaElement} */ (h('textarea', { id: 'classify-input', rows: 3, spellcheck: false, maxLength: 2000,
      oninput: () => this.#typed() }, 'O give thanks unto the LORD; for he is good'));
    this.tryResult = h('div', { class: 'probs', id: 'classify-probs', role: 'list', 'aria-label': 'Probability of each book' });
    this.tryNote = h('p', { class: 'note', id: 'classify-note' });
    replace(slots.side,
      h('h2', null, 'Try a sentence'),
      h('label', { for: 'classify-input' }, 'Type anything; the model reads it as it is, whatever its length'),
      this.tryBox,
      this.tryResult,
      this.tryNote,
      h('p', { class: 'explain' }, 'The model trained on windows of at most a set number of characters, but a recurrent network reads any length: one step per character, then the answer. Accuracy by length (left) shows how well that carries over.'));
    this.accChart = new Chart(this.accHost, (w, hh) => this.#options(w, hh), 220);
    /** @type {{step: number, accuracy: number}[]} */
    this.history = [];
  }

  load = loadBooks;
  prepare = prepare;
  modelShape = modelShape;
  plan = plan;

  showPrepared(prep, state) {
    this.prep = prep;
    this.history = [];
    this.session = null;
    replace(this.about,
      h('p', null, 'Verses of Genesis and of Psalms (King James Version), one verse per example.'),
      h('p', { class: 'facts' }, `${prep.counts[0].toLocaleString('en-US')} verses of Genesis and ${prep.counts[1].toLocaleString('en-US')} of Psalms; ${prep.train.length.toLocaleString('en-US')} for training, ${prep.heldOut.length} held out. ${prep.vocab.size} distinct characters. Training reads windows of at most ${state.window} characters.`));
    replace(this.resultHost, h('p', { class: 'placeholder' }, 'Press play: the held-out accuracy appears after the first steps.'));
    replace(this.examplesHost);
    this.accChart.set([[], [], []]);
  }

  /** Scores the held-out verses and the typed sentence. */
  async probe(session, state, prep) {
    this.session = session;
    const step = session.issued;
    const s = await scoreHeldOut((x) => session.call((m) => m.predict(x)), prep);
    if (this.history.at(-1)?.step !== step) this.history.push({ step, accuracy: s.accuracy });
    const x = this.history.map((p) => p.step);
    this.accChart.set([x, this.history.map((p) => 100 * p.accuracy), x.map(() => 100 * prep.majority.accuracy)]);
    this.#results(s, step);
    await this.#classifyTyped();
  }

  #results(s, step) {
    const prep = this.prep;
    const [[gg, gp], [pg, pp]] = s.confusion;
    const cell = (n, right) => h('td', { class: right ? 'right' : 'wrong' }, String(n));
    replace(this.resultHost,
      h('p', { class: 'verdict', role: 'status', dataset: { accuracy: String(s.accuracy), step: String(step) } },
        `After ${step.toLocaleString('en-US')} steps: ${fmt(100 * s.accuracy, 3)}% of the ${prep.heldOut.length} held-out verses right, against ${fmt(100 * prep.majority.accuracy, 3)}% for always answering “${BOOKS[prep.majority.label]}”.`),
      h('div', { class: 'two-col' },
        h('table', { class: 'metrics confusion', id: 'confusion' },
          h('caption', null, 'Confusion matrix (held-out verses)'),
          h('thead', null, h('tr', null, h('th', null, 'true ↓ / predicted →'), h('th', { scope: 'col' }, 'Genesis'), h('th', { scope: 'col' }, 'Psalms'))),
          h('tbody', null,
            h('tr', null, h('th', { scope: 'row' }, 'Genesis'), cell(gg, true), cell(gp, false)),
            h('tr', null, h('th', { scope: 'row' }, 'Psalms'), cell(pg, false), cell(pp, true)))),
        h('table', { class: 'metrics', id: 'by-length' },
          h('caption', null, 'Accuracy by verse length (read whole)'),
          h('tbody', null, s.buckets.map((b) => h('tr', null, h('th', { scope: 'row' }, b.label), h('td', null, `${fmt(100 * b.right / Math.max(1, b.n), 3)}%`), h('td', { class: 'note' }, `${b.n} verses`)))))));
    // A few held-out verses, the same ones every time, with the model's answer.
    const picks = [0, 3, 17, 42, 77, 120, 260, 400].filter((i) => i < prep.heldOut.length);
    replace(this.examplesHost, ...picks.map((i) => {
      const v = prep.heldOut[i];
      const p = s.probs[i];
      const guess = p > 0.5 ? 1 : 0;
      return h('div', { class: `verse ${guess === v.label ? 'right' : 'wrong'}` },
        h('span', { class: 'verse-text' }, v.text.length > 140 ? `${v.text.slice(0, 140)}…` : v.text),
        h('span', { class: 'verse-guess' }, `${BOOKS[guess]} ${fmt(100 * Math.max(p, 1 - p), 3)}% ${guess === v.label ? '✓' : `✗ (${BOOKS[v.label]})`}`));
    }));
  }

  #typed() {
    clearTimeout(this.typeTimer);
    this.typeTimer = setTimeout(() => this.#classifyTyped(), 80);
  }

  async #classifyTyped() {
    const session = this.session;
    const prep = this.prep;
    if (!session || !prep) return;
    const text = this.tryBox.value;
    const known = new Set(prep.vocab.symbols);
    const kept = [...text].filter((c) => known.has(c)).join('');
    const dropped = [...new Set([...text].filter((c) => !known.has(c)))];
    if (!kept) {
      replace(this.tryResult);
      replace(this.tryNote, 'Type some text to classify.');
      return;
    }
    const ids = prep.vocab.encode(kept);
    try {
      const out = await session.call((m) => m.predict({ data: ids, shape: [1, ids.length] }));
      const p = [out.data[0], out.data[1]];
      replace(this.tryResult, ...BOOKS.map((b, i) => h('div', { class: 'bar-row', role: 'listitem' },
        h('span', { class: 'bar-label' }, b),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar', style: { width: `${100 * p[i]}%` } })),
        h('span', { class: 'bar-value', dataset: { p: String(p[i]) } }, `${(100 * p[i]).toFixed(1)}%`))));
      replace(this.tryNote, `${ids.length} characters read${dropped.length ? `; left out (not in the books): ${dropped.map((c) => JSON.stringify(c)).join(' ')}` : ''}.`);
    } catch (e) {
      replace(this.tryNote, `Could not classify: ${e instanceof Error ? e.message : e}`);
    }
  }

  #options(width, height) {
    return {
      width, height,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: [axis('training step'), axis('held-out accuracy (%)', { size: 50 })],
      series: [{ label: 'step' },
        { label: 'accuracy', stroke: COLORS.model, width: 2, points: { show: true, size: 4 }, value: (_u, v) => (v == null ? '–' : `${fmt(v, 3)}%`) },
        { label: 'always the larger book', stroke: COLORS.baseline, dash: [4, 4], width: 1, points: { show: false }, value: (_u, v) => (v == null ? '–' : `${fmt(v, 3)}%`) }],
    };
  }

  metadataExtra(prep) {
    return { vocab: prep.vocab.toJSON() };
  }

  // ---- inside the network ----

  exampleControl(onChange) {
    this.exampleIndex = 0;
    const slider = h('input', { id: 'inside-example', type: 'range', min: '-1', max: '0', value: '0', oninput: () => {
      this.exampleIndex = Number(slider.value);
      onChange();
    } });
    this.exampleSlider = slider;
    this.exampleLabel = h('span', { class: 'note' });
    this.tryBox.addEventListener('input', () => {
      if (this.exampleIndex < 0) onChange();
    });
    return h('div', { class: 'inline example-pick' }, h('label', { for: 'inside-example' }, 'Example: held-out verse'), slider, this.exampleLabel);
  }

  inspectExample(state, prep) {
    const slider = /** @type {HTMLInputElement} */ (this.exampleSlider);
    slider.max = String(prep.heldOut.length - 1);
    let text;
    let label;
    if (this.exampleIndex < 0) {
      const known = new Set(prep.vocab.symbols);
      text = [...this.tryBox.value].filter((c) => known.has(c)).join('') || 'O LORD';
      label = null;
      replace(/** @type {HTMLElement} */ (this.exampleLabel), 'your sentence (slide to the far left)');
    } else {
      const v = prep.heldOut[this.exampleIndex];
      text = v.text.slice(0, 160);
      label = v.label;
      replace(/** @type {HTMLElement} */ (this.exampleLabel), `${this.exampleIndex + 1} of ${prep.heldOut.length} (${BOOKS[v.label]}${v.text.length > 160 ? ', first 160 characters' : ''}); far left: your sentence`);
    }
    const ids = prep.vocab.encode(text);
    return {
      x: { data: ids, shape: [1, ids.length] },
      y: label === null ? undefined : { data: Int32Array.of(label), shape: [1] },
      labels: [...text],
      title: this.exampleIndex < 0 ? 'your sentence' : `held-out verse ${this.exampleIndex + 1}`,
    };
  }

  unrolled(state) {
    return {
      shape: /** @type {const} */ ('many-to-one'), cell: state.cell, layers: state.layers, inputs: [...'O LORD, how'],
      caption: 'Many-to-one: one character per step, one answer after the last; only that answer feeds the loss, and the error flows back through every character read.',
    };
  }

  destroy() {
    this.accChart.destroy();
  }
}

export { compatible, padBatch };
