// The encoder-decoder's page (many-to-many, different lengths): dates as people write them in
// five formats, rewritten as ISO dates. Exact-match accuracy on held-out dates (all ten
// characters right) per format, examples, and a box that rewrites whatever date is typed.
import { FORMATS } from './dates.js';
import { LossLog } from '../train/losslog.js';
import { Emitter } from '../lib/emitter.js';
import { Chart, COLORS, axis } from '../views/chart.js';
import { fmt, h, replace } from '../lib/dom.js';

/** The Seq2Seq in its worker, behind the same interface as a training session. */
class TranslateTrainer extends Emitter {
  constructor(worker) {
    super();
    this.worker = worker;
    this.pending = new Map();
    this.nextId = 1;
    this.state = 'paused';
    this.steps = 0;
    this.log = new LossLog();
    this.recent = /** @type {number[]} */ ([]);
    this.source = { tokensPerStep: 0, stepsPerEpoch: Infinity };
    this.snapshot = null;
    this.lastError = /** @type {Error | null} */ (null);
    this.inFlight = 0;
    worker.addEventListener('message', (e) => this.#receive(e.data));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.#crash(new Error(`the translation worker stopped: ${e.message || 'it failed to load or threw'}`));
    });
  }

  static async create(options, plan) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const t = new TranslateTrainer(worker);
    t.batch = plan.batch;
    try {
      const info = await t.request({ type: 'create', options, seed: plan.seed, batch: plan.batch, train: plan.train });
      t.parameterCount = info.parameterCount;
      t.source = { tokensPerStep: plan.batch, stepsPerEpoch: Infinity };
    } catch (e) {
      worker.terminate();
      throw e;
    }
    return t;
  }

  get playing() {
    return this.state === 'playing';
  }

  get issued() {
    return this.steps;
  }

  get stepsPerSecond() {
    const now = performance.now();
    while (this.recent.length && now - this.recent[0].t > 2000) this.recent.shift();
    const n = this.recent.reduce((a, r) => a + r.n, 0);
    return this.recent.length > 1 ? n / ((now - this.recent[0].t) / 1000 || 1) : 0;
  }

  request(msg) {
    if (this.state === 'crashed' || this.state === 'disposed') return Promise.reject(this.lastError ?? new Error('the translation worker is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  #receive(msg) {
    if (msg.type === 'progress') {
      for (const l of msg.losses) this.log.push(l);
      this.steps = msg.step;
      this.recent.push({ t: performance.now(), n: msg.losses.length });
      if (msg.error) {
        this.lastError = Object.assign(new Error(msg.error.message), msg.error);
        this.state = msg.error.code === 'NON_FINITE_LOSS' ? 'diverged' : 'paused';
        this.emit('state');
        this.emit('error');
      } else if (!msg.running && this.state === 'playing') {
        this.state = 'paused';
        this.emit('state');
      }
      this.emit('step');
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(Object.assign(new Error(msg.error.message), msg.error));
  }

  #crash(err) {
    this.lastError = err;
    this.state = 'crashed';
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.worker.terminate();
    this.emit('state');
    this.emit('error');
  }

  play() {
    if (this.state !== 'paused') return;
    this.state = 'playing';
    this.request({ type: 'play' }).catch(() => {});
    this.emit('state');
  }

  pause() {
    if (this.state !== 'playing') return;
    this.state = 'paused';
    this.request({ type: 'pause' }).catch(() => {});
    this.emit('state');
  }

  step(n = 1) {
    if (this.state === 'paused') this.request({ type: 'step', n }).catch(() => {});
  }

  acknowledge() {
    if (this.state === 'diverged') this.state = 'paused';
  }

  setTrainOptions(train) {
    this.request({ type: 'options', train }).catch(() => {});
  }

  async dispose() {
    this.state = 'disposed';
    this.listeners.clear();
    this.worker.terminate();
  }
}

export class TranslateController {
  /** @param {{main: HTMLElement, side: HTMLElement, data: HTMLElement}} slots */
  constructor(slots) {
    this.task = 'translate';
    this.noSaving = true;
    this.lossLabel = 'cross-entropy (nats/char)';
    this.probeEveryMs = 1500;
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

  prepare() {
    return { formats: FORMATS };
  }

  async build(rnn, state) {
    const options = { cell: state.cell, ...(state.cell === 'gru' ? { gruVariant: state.gru } : {}), hiddenSize: state.hidden, embeddingSize: 32, seed: state.seed };
    this.trainer = await TranslateTrainer.create(options, { seed: state.seed, batch: state.batch, train: this.trainOptions(state) });
    return this.trainer;
  }

  trainOptions(state) {
    return { optimizer: { name: state.opt, lr: state.lr }, clipNorm: state.clip };
  }

  /** Live settings (learning rate, clipping, optimizer) reach the worker. */
  applyLive(state) {
    this.trainer?.setTrainOptions(this.trainOptions(state));
  }

  counters(t) {
    const sps = t.playing ? t.stepsPerSecond : 0;
    const val = t.log.val.at(-1)?.loss;
    return [
      ['step', t.steps.toLocaleString('en-US'), 'steps', String(t.steps)],
      ['steps/s', sps ? fmt(sps, 3) : '–', 'steps-per-second', ''],
      ['dates/s', sps ? fmt(sps * t.batch, 3) : '–', 'tokens-per-second', ''],
      ['loss', fmt(t.log.last), 'loss', String(t.log.last)],
      ['val. loss', val === undefined ? '–' : fmt(val), 'val-loss', String(val ?? '')],
    ];
  }

  showPrepared(prep, state) {
    this.history = [];
    replace(this.about,
      h('p', null, 'Dates between 1900 and 2099, each written in one of five ways, to be rewritten as ISO 8601 (YYYY-MM-DD):'),
      h('ul', { class: 'formats' }, FORMATS.map((f) => h('li', null, f.name))),
      h('p', { class: 'facts' }, `Training makes a fresh batch of ${state.batch} dates every step; 400 other dates are held out.`));
    replace(this.resultHost, h('p', { class: 'placeholder' }, 'Press play: the encoder-decoder needs a minute or so before whole dates come out right.'));
    this.accChart.set([[], [], []]);
  }

  async probe(trainer) {
    const r = await trainer.request({ type: 'evaluate' });
    trainer.log.pushVal(r.step, r.loss);
    if (this.history.at(-1)?.step !== r.step) this.history.push({ step: r.step, exact: r.exact, chars: r.chars });
    const x = this.history.map((p) => p.step);
    this.accChart.set([x, this.history.map((p) => 100 * p.exact), this.history.map((p) => 100 * p.chars)]);
    replace(this.resultHost,
      h('p', { class: 'verdict', role: 'status', dataset: { exact: String(r.exact), step: String(r.step) } },
        `After ${r.step.toLocaleString('en-US')} steps: ${fmt(100 * r.exact, 3)}% of 400 held-out dates rewritten exactly (${fmt(100 * r.chars, 3)}% of characters right).`),
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

  /** An inspection of the chosen date by the worker's model, shaped for the inside views. */
  async inspectNow(trainer, state) {
    if (!this.examples) this.examples = await trainer.request({ type: 'examples', count: 8 });
    const ex = this.insideExample < 0 ? { text: this.tryBox.value, iso: undefined } : this.examples[this.insideExample];
    const r = await trainer.request({ type: 'inspect', text: ex.text, iso: ex.iso });
    const encoder = this.insideStack === 'encoder';
    const labels = encoder ? r.source : ['▸', ...r.target.slice(0, -1)];
    const title = encoder
      ? `the encoder reading “${ex.text}”`
      : `the decoder writing ${r.target}${ex.iso ? ` (fed the true previous characters; it answers ${r.answer})` : ' (its own answer)'}`;
    return { inspection: { layers: encoder ? r.encoder : r.decoder }, example: { labels, title }, cell: state.cell, step: r.step };
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
    const t = this.trainer;
    if (!t || t.state === 'crashed' || t.state === 'disposed') return;
    try {
      const r = await t.request({ type: 'translate', text: this.tryBox.value });
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
    this.accChart.destroy();
  }
}
