// The encoder-decoder's page (many-to-many, different lengths): dates as people write them in
// five formats, rewritten as ISO dates. Exact-match accuracy on held-out dates (all ten
// characters right) per format, examples, and a box that rewrites whatever date is typed. The
// model trains in a session (train/session.js) around a WorkerSeq2Seq, like every task's.
import { FORMATS } from './dates.js';
import { HELD_OUT, inspectDate, modelShape, plan, prepare, scoreHeldOut, translateText } from './task.js';
import { Chart, COLORS, axis } from '../views/chart.js';
import { fmt, h, replace } from '../lib/dom.js';

export class TranslateController {
  /** @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots */
  constructor(slots) {
    this.task = 'translate';
    this.noSaving = true;
    this.lossLabel = 'cross-entropy (nats/char)';
    this.probeEveryMs = 1500;
    /** @type {import('../train/session.js').Session | null} the session of the last probe */
    this.session = null;
    this.about = h('div', { class: 'about' });
    replace(slots.data, this.about);
    this.accHost = h('div', { class: 'chart', role: 'img', 'aria-label': 'Exact-match accuracy by training step' });
    this.resultHost = h('div', { 'aria-live': 'polite' });
    replace(slots.main,
      h('h2', null, 'Held-out dates rewritten exactly'),
      this.accHost,
      this.resultHost);
    this.tryBox = /** @type {HTMLInputElement} */ (h('input', { id: 'translate-input', type: 'text', maxLength: 80, value: 'the fourth of July, nineteen seventy-six', spellcheck: false, oninput: () => this.#typed() }));
    this.tryOut = h('p', { class: 'iso', id: 'translate-output', role: 'status' });
    this.tryNote = h('p', { class: 'note', id: 'translate-note' });
    replace(slots.side,
      h('h2', null, 'Try a date'),
      h('label', { for: 'translate-input' }, 'Write a date (1900–2099) as in the formats on the left'),
      this.tryBox,
      this.tryOut,
      this.tryNote,
      h('p', { class: 'explain' },
        'The encoder reads the whole text, one character per step, into its final hidden state; the decoder starts from that state and writes ten characters, each fed back in as its next input. ',
        'Nothing else passes between them, so everything about the date must fit in that one vector (a fixed-size bottleneck; attention, which this model does not have, was invented to widen it).'));
    this.accChart = new Chart(this.accHost, (w, hh) => this.#options(w, hh), 220);
    /** @type {{step: number, exact: number, chars: number}[]} */
    this.history = [];
  }

  async load() {
    return {};
  }

  prepare(_rnn, state) {
    return prepare(state);
  }

  modelShape = modelShape;
  plan = plan;

  counters(s) {
    const sps = s.playing ? s.stepsPerSecond : 0;
    const val = s.log.val.at(-1)?.loss;
    return [
      ['step', s.steps.toLocaleString('en-US'), 'steps', String(s.steps)],
      ['steps/s', sps ? fmt(sps, 3) : '–', 'steps-per-second', ''],
      ['dates/s', sps ? fmt(sps * s.source.tokensPerStep, 3) : '–', 'tokens-per-second', ''],
      ['loss', fmt(s.log.last), 'loss', String(s.log.last)],
      ['val. loss', val === undefined ? '–' : fmt(val), 'val-loss', String(val ?? '')],
    ];
  }

  showPrepared(prep, state) {
    this.prep = prep;
    this.history = [];
    this.session = null;
    replace(this.about,
      h('p', null, 'Dates between 1900 and 2099, each written in one of five ways, to be rewritten as ISO 8601 (YYYY-MM-DD):'),
      h('ul', { class: 'formats' }, FORMATS.map((f) => h('li', null, f.name))),
      this.facts = h('p', { class: 'facts' }));
    this.applyLive(state);
    replace(this.resultHost, h('p', { class: 'placeholder' }, 'Press play: the encoder-decoder needs a minute or so before whole dates come out right.'));
    this.accChart.set([[], [], []]);
  }

  /** A new batch size applies from the next step on (the session's source); the facts say so. */
  applyLive(state) {
    replace(this.facts, `Training makes a fresh batch of ${state.batch} dates every step; ${HELD_OUT} other dates are held out.`);
  }

  /** Scores the held-out dates after the steps sent so far, then rewrites the typed date. */
  async probe(session, state, prep) {
    this.session = session;
    const step = session.issued;
    const r = await session.call((m) => scoreHeldOut(m, prep));
    if (this.history.at(-1)?.step !== step) this.history.push({ step, exact: r.exact, chars: r.chars });
    const x = this.history.map((p) => p.step);
    this.accChart.set([x, this.history.map((p) => 100 * p.exact), this.history.map((p) => 100 * p.chars)]);
    replace(this.resultHost,
      h('p', { class: 'verdict', role: 'status', dataset: { exact: String(r.exact), step: String(step) } },
        `After ${step.toLocaleString('en-US')} steps: ${fmt(100 * r.exact, 3)}% of ${HELD_OUT} held-out dates rewritten exactly (${fmt(100 * r.chars, 3)}% of characters right).`),
      h('table', { class: 'metrics', id: 'per-format' },
        h('caption', null, 'Exact matches by format'),
        h('tbody', null, FORMATS.map((f, i) => h('tr', null, h('th', { scope: 'row' }, f.name), h('td', null, `${fmt(100 * r.perFormat[i].right / Math.max(1, r.perFormat[i].n), 3)}%`))))),
      h('table', { class: 'metrics examples', id: 'translations' },
        h('caption', null, 'Held-out examples'),
        h('tbody', null, r.shown.map((s) => h('tr', { class: s.got === s.iso ? 'right' : 'wrong' },
          h('td', { class: 'src' }, s.text), h('td', { class: 'iso' }, s.got), h('td', null, s.got === s.iso ? '✓' : `✗ ${s.iso}`))))));
    await this.#translateTyped();
  }

  // ---- inside the network: the encoder or the decoder on one date ----

  exampleControl(onChange) {
    this.insideStack = 'encoder';
    this.insideExample = 0;
    const pick = h('select', { id: 'inside-example', onchange: () => { this.insideExample = Number(pick.value); onChange(); } },
      Array.from({ length: 8 }, (_, i) => h('option', { value: String(i) }, `held-out date ${i + 1}`)),
      h('option', { value: '-1' }, 'the date typed on the right'));
    const stack = h('select', { id: 'inside-stack', onchange: () => { this.insideStack = stack.value; onChange(); } },
      h('option', { value: 'encoder' }, 'the encoder (reading)'), h('option', { value: 'decoder' }, 'the decoder (writing)'));
    this.tryBox.addEventListener('input', () => {
      if (this.insideExample < 0) onChange();
    });
    return h('div', { class: 'inline example-pick' }, h('label', { for: 'inside-example' }, 'Example'), pick,
      h('label', { for: 'inside-stack' }, 'look at'), stack);
  }

  /** An inspection of the chosen date by the session's model, shaped for the inside views. */
  async inspectNow(session, state) {
    const ex = this.insideExample < 0 ? { text: this.tryBox.value, iso: undefined } : this.prep.heldOut[this.insideExample];
    const step = session.issued;
    const r = await session.call((m) => inspectDate(m, ex.text, ex.iso));
    const encoder = this.insideStack === 'encoder';
    const labels = encoder ? r.source : ['▸', ...r.target.slice(0, -1)];
    const title = encoder
      ? `the encoder reading “${ex.text}”`
      : `the decoder writing ${r.target}${ex.iso ? ` (fed the true previous characters; it answers ${r.answer})` : ' (its own answer)'}`;
    return { inspection: { layers: encoder ? r.encoder : r.decoder }, example: { labels, title }, cell: state.cell, step };
  }

  unrolled(state) {
    return {
      shape: /** @type {const} */ ('encoder-decoder'), cell: state.cell, layers: 1,
      inputs: [...'3 March 1987'], outputs: ['▸', ...'1987-03-0'],
      caption: 'Many-to-many with different lengths: the encoder (blue) reads 12 characters, the decoder (orange) writes 10, starting from a start symbol (▸). Only the decoder’s outputs feed the loss; in training each decoder step is fed the true previous character (teacher forcing), when rewriting it is fed its own.',
    };
  }

  #typed() {
    clearTimeout(this.typeTimer);
    this.typeTimer = setTimeout(() => this.#translateTyped(), 80);
  }

  async #translateTyped() {
    const s = this.session;
    if (!s || s.state === 'crashed' || s.state === 'disposed') return;
    try {
      const r = await s.call((m) => translateText(m, this.tryBox.value));
      replace(this.tryOut, r.empty ? '' : r.output);
      replace(this.tryNote, r.empty ? 'Type a date.' : `${r.read} characters read${r.dropped.length ? `; left out (not in the training alphabet): ${r.dropped.map((c) => JSON.stringify(c)).join(' ')}` : ''}.`);
    } catch (e) {
      replace(this.tryNote, `Could not rewrite: ${e instanceof Error ? e.message : e}`);
    }
  }

  #options(width, height) {
    return {
      width, height,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: [axis('training step'), axis('held-out (%)', { size: 50 })],
      series: [{ label: 'step' },
        { label: 'whole date right', stroke: COLORS.model, width: 2, points: { show: true, size: 4 }, value: (_u, v) => (v == null ? '–' : `${fmt(v, 3)}%`) },
        { label: 'characters right', stroke: COLORS.val, width: 1.5, points: { show: false }, value: (_u, v) => (v == null ? '–' : `${fmt(v, 3)}%`) }],
    };
  }

  destroy() {
    clearTimeout(this.typeTimer);
    this.accChart.destroy();
  }
}
