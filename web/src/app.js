// The playground: one state (the settings, mirrored in the URL), one task controller (what
// is learned and shown), one training session (the model in its worker). Everything the page
// does goes through `change()`, which knows from the schema whether a setting needs new data,
// a new model, or only a redraw, and puts the old settings back if the new ones fail.
import { init } from 'rnnlab';
import { createWorkerModel, loadWorkerModel } from 'rnnlab/worker';
import { BY_KEY, defaults, fromHash, textFor, toHash } from './state/schema.js';
import { SERIES } from './data/catalog.js';
import { SettingsForm } from './views/settingsForm.js';
import { LossChart } from './views/lossChart.js';
import * as forecast from './tasks/forecast.js';
import * as text from './tasks/text.js';
import { MemoryController } from './tasks/memory.js';
import * as classify from './tasks/classify.js';
import { TranslateController } from './tasks/translate.js';
import { Session, isWorkerDeath } from './train/session.js';
import { decodeMetadata, encodeMetadata, weightsJson } from './io/modelFile.js';
import { fittingTask, foreignKind, kerasFiles, readForeign } from './io/foreign.js';
import { download, fmt, fmtDuration, h, replace } from './lib/dom.js';
import { icon } from './lib/icons.js';
import { InsidePanel } from './views/insidePanel.js';
import { ModelPanel } from './views/modelPanel.js';
import { MAX_TEXT } from './text/prepare.js';
import { renderShapes } from './views/shapes.js';

/** How often the inside views ask the model for a new inspection while it trains. */
const INSPECT_MS = 1500;

/**
 * Per task: its controller, and for tasks whose model can be saved, how their data loads and
 * prepares and which model files fit.
 * @type {Record<string, {Controller: any, load?: Function, prepare?: Function, compatible?: Function}>}
 */
const TASKS = {
  forecast: { Controller: forecast.ForecastController, load: forecast.loadSeries, prepare: forecast.prepare, compatible: forecast.compatible },
  text: { Controller: text.TextController, load: text.loadText, prepare: text.prepare, compatible: text.compatible },
  classify: { Controller: classify.ClassifyController, load: classify.loadBooks, prepare: classify.prepare, compatible: classify.compatible },
  // These build their own trainers (a worker of the page's, a race) and save no model files.
  translate: { Controller: TranslateController },
  memory: { Controller: MemoryController },
};
/** How often counters and the loss chart redraw (they never redraw per step). */
const REDRAW_MS = 250;
/** Largest model the page will try to build: parameters (each costs ~16 bytes with Adam). */
const MAX_PARAMETERS = 40_000_000;

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

export class App {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    const $ = (id) => /** @type {HTMLElement} */ (doc.getElementById(id));
    this.el = {
      play: $('play'), step: $('step'), reset: $('reset'), status: $('status'), notices: $('notices'),
      taskMain: $('task-main'), taskSide: $('task-side'), dataExtra: $('data-extra'), samplingPanel: $('sampling-panel'),
      lossChart: $('loss-chart'), lossPanel: $('loss-panel'), logScale: /** @type {HTMLInputElement} */ ($('log-scale')), lossCsv: $('loss-csv'),
      counters: $('counters'), inside: $('inside-panel'), tabs: [...doc.querySelectorAll('[role="tab"]')], io: $('io-panel'), lossExplain: $('loss-explain'),
    };
    this.form = new SettingsForm({ data: $('group-data'), model: $('group-model'), training: $('group-training'), sampling: $('group-sampling') },
      (key, value) => this.change(key, value));
    this.lossChart = new LossChart(this.el.lossChart, { yLabel: 'loss' });
    this.inside = new InsidePanel(this.el.inside, { onChange: () => this.#requestInspect() });
    this.inspecting = false;
    this.inspectWanted = false;
    this.lastInspectAt = -Infinity;
    /** @type {Record<string, any>} */
    this.state = defaults();
    /** @type {any} */
    this.controller = null;
    /** @type {any} */
    this.prep = null;
    /** @type {Session | null} */
    this.session = null;
    /** Users' own data, kept for the page's lifetime. */
    this.custom = { forecast: null, text: null };
    /** Changes run one after another. */
    this.queue = Promise.resolve();
    this.probing = false;
    this.probeWanted = false;
    this.lastProbeAt = -Infinity;
    this.lastDrawnSteps = -1;
    this.ready = false;
  }

  async start() {
    this.#wireControls();
    // A link followed inside the page (or the address edited) is a new experiment.
    addEventListener('hashchange', () => {
      if (!this.rnn || location.hash === toHash(this.state)) return;
      const { state, notices } = fromHash(location.hash);
      for (const n of notices) this.notice(`Link: ${n}.`, 'warn');
      if (state.data === 'custom') state.data = defaults(state.task).data;
      this.#enqueue(() => this.#setup(state, { reason: '' })).then(() => scrollTo({ top: 0, behavior: 'smooth' }));
    });
    const { state, notices } = fromHash(location.hash);
    for (const n of notices) this.notice(`Link: ${n}.`, 'warn');
    if (state.data === 'custom') {
      this.notice('This link used data of its own, which links cannot carry: the default data set is shown instead. Load your file again to continue.', 'warn');
      Object.assign(state, defaults(state.task), { ...state, data: defaults(state.task).data });
    }
    this.status('loading rnnlab…');
    try {
      this.rnn = await init();
    } catch (e) {
      this.status('');
      this.notice(`rnnlab could not load in this browser: ${message(e)}`, 'error');
      return;
    }
    this.state = state;
    await this.#enqueue(() => this.#setup(state, { reason: '' }));
    setInterval(() => this.#tick(), REDRAW_MS);
    // Below the fold: drawn once the first model is up.
    setTimeout(() => renderShapes(/** @type {HTMLElement} */ (this.doc.getElementById('shapes-panel'))), 0);
    this.ready = true;
    this.doc.documentElement.dataset.ready = 'true';
  }

  // ---- settings ----

  /**
   * Applies one setting. Returns when the page has caught up (new data, model, or redraw).
   * @param {string} key
   * @param {any} value
   */
  change(key, value) {
    return this.#enqueue(() => this.#change(key, value));
  }

  async #change(key, value) {
    const s = BY_KEY.get(key);
    if (!s || this.state[key] === value) return;
    if (key === 'data' && value === 'custom' && !this.custom[this.state.task]) {
      // Nothing of the user's yet: show where to give it, keep the current data meanwhile.
      this.form.sync(this.state);
      this.controller?.openOwnData();
      return;
    }
    const prev = this.state;
    let next = { ...prev, [key]: value };
    if (key === 'task') next = { ...defaults(value), seed: prev.seed };
    if (key === 'data') {
      // A new data set brings its own data settings (and any other it is known to need);
      // the other model and training settings stay.
      const d = defaults(next.task, value);
      const own = SERIES.find((x) => x.id === value)?.defaults ?? {};
      for (const k of Object.keys(d)) if (BY_KEY.get(k)?.group === 'data' || k in own) next[k] = d[k];
    }
    let effect = s.effect;
    if (key === 'period' && next.diff === 'season') effect = 'data';
    // A race is built from all its settings at once; the translation worker makes its own batches.
    if (next.task === 'memory' && effect !== 'view') effect = 'data';
    if (next.task === 'translate' && key === 'batch') effect = 'data';
    if (key === 'seed' && next.task === 'forecast' && ['sine', 'trend'].includes(next.data)) effect = 'data';
    if (effect === 'view') {
      this.#commitState(next);
      this.#requestProbe({ sample: true });
      return;
    }
    if (effect === 'live') {
      this.#commitState(next);
      this.controller.applyLive?.(next);
      if (this.session && (key === 'batch' || key === 'bptt') && this.prep) {
        // A new batch shape applies from the next step on; the step count goes on.
        const p = this.controller.plan(next, this.prep);
        this.session.source = p.source;
        this.session.validation = p.validation;
        this.notice(`${textFor(s.label, next.task)} is now ${value}: it applies from step ${this.session.issued} on.`, 'info');
      }
      if (key === 'opt' && this.session) this.notice(`Optimizer is now ${s.names?.[value] ?? value}; its running averages start afresh.`, 'info');
      return;
    }
    await this.#setup(next, { reason: `${textFor(s.label, next.task)} changed`, key, prev });
  }

  #commitState(next) {
    this.state = next;
    this.form.sync(next);
    history.replaceState(null, '', toHash(next));
    for (const t of this.el.tabs) t.setAttribute('aria-selected', String(t.id === `tab-${next.task}`));
    this.el.samplingPanel.hidden = next.task !== 'text';
  }

  /**
   * New data and/or a new model for `next`. On failure the previous state, data and model
   * stay, and the error shows beside the setting that caused it.
   * @param {Record<string, any>} next
   * @param {{reason: string, key?: string, prev?: Record<string, any>,
   *   loaded?: {bytes?: Uint8Array, model?: import('rnnlab/worker').WorkerModel, steps: number}}} why
   */
  async #setup(next, why) {
    const wasPlaying = this.session?.playing ?? false;
    const taskChanged = !this.controller || this.controller.task !== next.task;
    // No redraws while the views and the model may belong to different settings.
    this.settingUp = true;
    try {
      return await this.#build(next, why, wasPlaying, taskChanged);
    } finally {
      this.settingUp = false;
    }
  }

  async #build(next, why, wasPlaying, taskChanged) {
    this.status(why.loaded ? 'loading the model…' : 'building the model…');
    let controller = this.controller;
    let prep;
    let session;
    try {
      if (taskChanged) {
        this.controller?.destroy();
        controller = new TASKS[next.task].Controller({ main: this.el.taskMain, side: this.el.taskSide, data: this.el.dataExtra },
          (custom) => this.#useCustom(next.task, custom));
        controller.task = next.task;
        this.controller = controller;
        this.form.render(next);
      }
      const source = await controller.load(next, this.custom[next.task]);
      prep = controller.prepare(this.rnn, next, source);
      const plan = controller.build ? null : { ...controller.plan(next, prep), trainOptions: () => controller.trainOptions(this.state) };
      if (controller.build) {
        session = await controller.build(this.rnn, next, prep);
      } else if (why.loaded) {
        session = why.loaded.model
          ? Session.adopt(why.loaded.model, plan, why.loaded.steps)
          : await Session.load(/** @type {Uint8Array} */ (why.loaded.bytes), plan, why.loaded.steps);
      } else {
        const opts = controller.modelOptions(next, prep);
        const count = estimateParameters(opts);
        if (count > MAX_PARAMETERS) {
          throw Object.assign(new RangeError(`this model would have ${count.toLocaleString('en-US')} parameters, more than the ${MAX_PARAMETERS.toLocaleString('en-US')} a browser tab can train (about ${Math.round((count * 16) / 1e9)} GB with Adam): use fewer hidden units or layers`), { code: 'TOO_LARGE' });
        }
        session = await Session.create(opts, plan);
      }
    } catch (e) {
      this.status('');
      why.loaded?.model?.dispose();
      this.#refuse(why, e, taskChanged);
      return false;
    }
    // The new model is ready: only now does the old one go.
    const old = this.session;
    this.session = session;
    this.prep = prep;
    // Model, data and views agree again: redraws may go on.
    this.settingUp = false;
    this.#commitState(next);
    if (taskChanged) this.form.render(next);
    session.on((what) => this.#onSession(what));
    this.lossChart.setReferences(controller.lossRefs?.(prep) ?? []);
    this.el.lossPanel.hidden = !!controller.hideLoss;
    this.el.io.hidden = !!controller.noSaving;
    replace(this.el.lossExplain, lossExplanation(next.task));
    controller.showPrepared(prep, next);
    this.#setupInside(controller, prep, next);
    this.#drawStats(true);
    this.lastDrawnSteps = -1;
    this.status('');
    if (why.reason && old) this.notice(`${why.reason}: ${why.loaded ? 'model loaded' : 'a new model was built'}; training starts again${why.loaded ? ` from step ${why.loaded.steps}` : ' at step 0'}.`, 'info');
    this.#updateTransport();
    if (why.loaded) this.#requestProbe({ sample: true });
    if (wasPlaying && !why.loaded) session.play();
    // Last, after the views are set up for the new model (nothing may redraw half-way).
    await old?.dispose();
    return true;
  }

  /** A setup failed: report beside the cause, keep what was there. */
  #refuse(why, e, taskChanged) {
    const text = message(e);
    const shown = why.key && this.form.error(why.key, text);
    if (!shown) this.notice(text, 'error');
    if (!this.session) {
      // Nothing to fall back to (first load): show the error, keep the page usable.
      this.notice(text, 'error');
      return;
    }
    if (why.prev) {
      if (taskChanged) {
        // The old task's controller was replaced: rebuild it around the old session.
        this.controller.destroy();
        this.controller = new TASKS[why.prev.task].Controller({ main: this.el.taskMain, side: this.el.taskSide, data: this.el.dataExtra }, (c) => this.#useCustom(why.prev.task, c));
        this.controller.task = why.prev.task;
        this.form.render(why.prev);
        this.controller.showPrepared(this.prep, why.prev);
        this.#setupInside(this.controller, this.prep, why.prev);
        this.#requestProbe({ sample: true });
      }
      this.#commitState(why.prev);
      if (why.key) this.form.error(why.key, `${text} — kept the previous setting.`);
    }
  }

  async #useCustom(task, custom) {
    this.custom[task] = custom;
    await this.#enqueue(async () => {
      const prev = this.state;
      const next = prev.data === 'custom' ? { ...prev } : { ...prev, data: 'custom' };
      const ok = await this.#setup(next, { reason: 'Your own data loaded', key: 'data', prev });
      if (!ok) this.custom[task] = null;
    });
  }

  #enqueue(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  // ---- training ----

  #wireControls() {
    replace(this.el.reset, icon('reset'));
    replace(this.el.step, icon('step'));
    this.#updateTransport();
    this.el.play.addEventListener('click', () => this.togglePlay());
    this.el.step.addEventListener('click', () => this.session?.step(1));
    this.el.reset.addEventListener('click', () => this.reset());
    for (const t of this.el.tabs) {
      t.addEventListener('click', () => this.change('task', t.id.replace('tab-', '')));
    }
    this.el.logScale.addEventListener('change', () => {
      this.lossChart.setLogScale(this.el.logScale.checked);
      if (this.session?.log) this.lossChart.update(this.session.log);
    });
    this.el.lossCsv.addEventListener('click', () => this.#downloadLoss());
    this.#wireIO();
    // Files dropped anywhere: a model file loads, a CSV or text becomes the user's data.
    this.doc.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.doc.body.classList.add('dropping');
    });
    this.doc.addEventListener('dragleave', (e) => {
      if (!e.relatedTarget) this.doc.body.classList.remove('dropping');
    });
    this.doc.addEventListener('drop', (e) => {
      e.preventDefault();
      this.doc.body.classList.remove('dropping');
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) this.openFile(files[0], files);
    });
  }

  togglePlay() {
    const s = this.session;
    if (!s) return;
    if (s.state === 'crashed') return void this.restart();
    if (s.state === 'diverged') s.acknowledge();
    if (s.playing) s.pause();
    else if (s.finished) this.notice('This race is over: reset (↺) to run it again, or change a setting.', 'info');
    else s.play();
    this.#updateTransport();
  }

  /** A new model with the same settings (same seed: the same starting weights). */
  reset() {
    return this.#enqueue(() => this.#setup({ ...this.state }, { reason: '' }));
  }

  /** After a worker crash: a new worker from the last snapshot (or from scratch). */
  restart() {
    const snap = this.session?.snapshot;
    return this.#enqueue(async () => {
      const ok = snap
        ? await this.#setup({ ...this.state }, { reason: 'Restarted after the crash', loaded: { bytes: snap.bytes, steps: snap.step } })
        : await this.#setup({ ...this.state }, { reason: 'Restarted after the crash' });
      if (ok && snap) this.notice(`Training restarted from the copy made at step ${snap.step}; the optimizer's running averages start afresh.`, 'info');
    });
  }

  #onSession(what) {
    const s = this.session;
    if (!s) return;
    if (what === 'state') this.#updateTransport();
    if (what === 'error') {
      const e = s.lastError;
      if (s.state === 'crashed') {
        this.notice(`The training worker stopped (${message(e)}). Press play to restart it${s.snapshot ? ` from step ${s.snapshot.step}` : ''}.`, 'error');
      } else if (s.state === 'diverged') {
        this.notice(`Training diverged at step ${s.steps + 1}: the loss was no longer a finite number, so the weights stay as they were after step ${s.steps}. Lower the learning rate or turn on clipping, then press play.`, 'error');
      } else {
        this.notice(`Training stopped: ${message(e)}`, 'error');
      }
      this.#updateTransport();
    }
    // Paused with nothing in flight: the views catch up with the last step.
    if ((what === 'state' || what === 'step') && s.state === 'paused' && s.inFlight === 0) {
      this.#requestProbe({});
      this.inspectWanted = true;
    }
  }

  #updateTransport() {
    const s = this.session;
    const state = s?.state ?? 'paused';
    const playing = state === 'playing';
    const b = this.el.play;
    b.classList.toggle('playing', playing);
    b.setAttribute('aria-pressed', String(playing));
    const label = state === 'crashed' ? 'Restart training' : playing ? 'Pause training' : 'Train';
    b.setAttribute('aria-label', label);
    b.title = `${label} (training runs until paused)`;
    replace(b, icon(state === 'crashed' ? 'restart' : playing ? 'pause' : 'play'));
    /** @type {HTMLButtonElement} */ (this.el.step).disabled = playing || state === 'crashed';
    this.doc.body.dataset.training = state;
  }

  #requestProbe(opts) {
    this.probeWanted = true;
    this.probeOpts = { ...(this.probeOpts ?? {}), ...opts };
    this.#maybeProbe();
  }

  #maybeProbe() {
    const s = this.session;
    if (!s || this.settingUp || this.probing || !this.prep || s.state === 'crashed' || s.state === 'disposed') return;
    const now = performance.now();
    const due = s.playing && now - this.lastProbeAt >= this.controller.probeEveryMs;
    if (!due && !this.probeWanted) return;
    if (s.steps === 0 && s.issued === 0 && !this.probeWanted) return;
    this.probing = true;
    this.probeWanted = false;
    const opts = this.probeOpts ?? {};
    this.probeOpts = {};
    this.lastProbeAt = now;
    const controller = this.controller;
    const prep = this.prep;
    controller.probe(s, this.state, prep, opts).catch((e) => {
      if (s === this.session && !isWorkerDeath(e)) this.notice(`Could not draw the model's output: ${message(e)}`, 'error');
    }).finally(() => {
      this.probing = false;
    });
  }

  #tick() {
    this.#drawStats(false);
    this.#maybeProbe();
    this.#maybeInspect();
  }

  // ---- inside the network ----

  /** Shows the inside views for tasks that have them, with the task's example picker. */
  #setupInside(controller, prep, state) {
    const has = !!controller.inspectExample || !!controller.insideView || !!controller.inspectNow;
    this.el.inside.hidden = !has;
    if (!has) return;
    this.inside.clear('Press play (or one step): the network’s gates and states for the example appear here.');
    this.inside.setExampleControl(controller.exampleControl(() => this.#requestInspect()));
    this.inside.setUnrolled(controller.unrolled(state, prep));
    // Offscreen, the views wait until scrolled to (the panel's observer asks then).
    this.inspectWanted = this.inside.visible;
  }

  #requestInspect() {
    this.inspectWanted = true;
    this.#maybeInspect();
  }

  #maybeInspect() {
    const s = this.session;
    const c = this.controller;
    if (!s || this.settingUp || this.inspecting || !this.prep || this.el.inside.hidden || s.state === 'crashed' || s.state === 'disposed') return;
    const now = performance.now();
    const due = s.playing && now - this.lastInspectAt >= INSPECT_MS;
    if (!due && !this.inspectWanted) return;
    // Offscreen views are not worth the model's time (they catch up when scrolled into view).
    if (!this.inside.visible && !this.inspectWanted) return;
    this.inspectWanted = false;
    this.lastInspectAt = now;
    if (c.insideView) {
      const v = c.insideView();
      if (v) this.inside.show(v.inspection, v.example, v.cell, v.step);
      return;
    }
    if (c.inspectNow) {
      // A controller with a trainer of its own asks it (the encoder-decoder's worker).
      this.inspecting = true;
      c.inspectNow(s, this.state).then((v) => {
        if (s === this.session) this.inside.show(v.inspection, v.example, v.cell, v.step);
      }, (e) => {
        if (s === this.session && s.state !== 'crashed') this.notice(`Could not look inside the model: ${message(e)}`, 'error');
      }).finally(() => {
        this.inspecting = false;
      });
      return;
    }
    const ex = c.inspectExample(this.state, this.prep);
    const state = this.state;
    const prep = this.prep;
    this.inspecting = true;
    const step = s.issued;
    s.call((m) => m.inspect(ex.x, ex.y)).then((ins) => {
      if (s === this.session && prep === this.prep) {
        this.inside.show(ins, ex, state.cell, step);
        this.inside.setUnrolled(c.unrolled(state, prep));
      }
    }, (e) => {
      if (s === this.session && !isWorkerDeath(e)) this.notice(`Could not look inside the model: ${message(e)}`, 'error');
    }).finally(() => {
      this.inspecting = false;
    });
  }

  #drawStats(force) {
    const s = this.session;
    if (!s || this.settingUp) return;
    const valCount = s.log?.val.length ?? 0;
    if (!force && s.steps === this.lastDrawnSteps && valCount === this.lastDrawnVal && !s.playing) return;
    this.lastDrawnSteps = s.steps;
    this.lastDrawnVal = valCount;
    if (s.log && !this.controller.hideLoss) this.lossChart.update(s.log);
    const items = this.controller.counters ? this.controller.counters(s) : this.#counters(/** @type {Session} */ (s));
    // The same counters as last time are updated in place (no new nodes, no page relayout).
    const ids = items.map((c) => c[2]).join();
    if (ids !== this.counterIds) {
      this.counterIds = ids;
      replace(this.el.counters, ...items.map(([label, , id]) => h('div', { class: 'counter' }, h('dt', null, label), h('dd', { id: `counter-${id}` }))));
    }
    const cells = this.el.counters.querySelectorAll('dd');
    items.forEach(([, value, , data], i) => {
      const dd = /** @type {HTMLElement} */ (cells[i]);
      if (dd.textContent !== value) dd.textContent = value;
      if (dd.dataset.value !== data) dd.dataset.value = data;
    });
  }

  /** The counters of one model's training. */
  #counters(s) {
    const sps = s.playing ? s.stepsPerSecond : 0;
    const src = s.source;
    const val = s.log.val.at(-1)?.loss;
    return [
      ['epoch', fmt(Math.floor(s.epoch)), 'epoch', ''],
      ['step', s.steps.toLocaleString('en-US'), 'steps', String(s.steps)],
      ['steps/s', sps ? fmt(sps, 3) : '–', 'steps-per-second', ''],
      [this.state.task === 'forecast' ? 'values/s' : 'chars/s', sps ? fmt(sps * src.tokensPerStep, 3) : '–', 'tokens-per-second', ''],
      ['time/epoch', sps ? fmtDuration((1000 * src.stepsPerEpoch) / sps) : '–', 'epoch-time', ''],
      ['loss', fmt(s.log.last), 'loss', String(s.log.last)],
      ['val. loss', val === undefined ? '–' : fmt(val), 'val-loss', String(val ?? '')],
    ];
  }

  #downloadLoss() {
    const s = this.session;
    if (!s) return;
    const { x, mean, lo, hi } = s.log.series();
    const rows = ['step_end,mean_loss,min_loss,max_loss'];
    for (let i = 0; i < x.length; i++) rows.push(`${x[i]},${mean[i]},${lo[i]},${hi[i]}`);
    rows.push('', 'step,validation_loss', ...s.log.val.map((p) => `${p.step},${p.loss}`));
    download(`loss-${this.state.task}-${this.state.data}.csv`, rows.join('\n'), 'text/csv');
  }

  // ---- save, load, export ----

  #wireIO() {
    this.io = new ModelPanel(this.el.io, {
      save: async () => {
        const s = /** @type {Session} */ (this.session);
        if (!s) throw new Error('there is no model yet');
        const st = this.state;
        const meta = encodeMetadata(st, { steps: s.issued, dataTitle: this.prep?.series?.title ?? this.prep?.source?.title ?? st.data, ...this.controller.metadataExtra(this.prep) });
        const bytes = await s.call((m) => m.save({ metadata: meta }));
        return { bytes, fileName: `${st.task}-${st.data}-${st.cell}-step${s.issued}.rnnlab`, summary: `${st.task}, ${st.data}, ${st.cell} ${st.layers}×${st.hidden}, step ${s.issued}` };
      },
      exportWeights: async () => {
        const s = /** @type {Session} */ (this.session);
        const w = await s.call((m) => m.getWeights());
        return { json: weightsJson(w, s.model.config), fileName: `${this.state.task}-${this.state.data}-${this.state.cell}.weights.json`, count: Object.keys(w).length };
      },
      exportAs: async (format) => {
        const s = /** @type {Session} */ (this.session);
        if (!s) throw new Error('there is no model yet');
        const base = `${this.state.task}-${this.state.data}-${this.state.cell}`;
        if (format === 'onnx') {
          const bytes = await s.call((m) => m.exportOnnx());
          return { files: [{ name: `${base}.onnx`, data: bytes, type: 'application/octet-stream' }], note: '' };
        }
        const k = await s.call((m) => m.exportKeras());
        const { json, bin } = kerasFiles(k, base);
        return {
          files: [{ name: json.name, data: json.text, type: 'application/json' }, { name: bin.name, data: bin.bytes, type: 'application/octet-stream' }],
          note: k.warnings.join(' '),
        };
      },
      load: (bytes, from) => this.loadBytes(bytes, from),
      open: (files) => this.openFile(files[0], files),
    });
  }

  /**
   * A dropped or chosen file (with the others dropped or chosen with it): a model (rnnlab's,
   * ONNX, TF.js/Keras, PyTorch weights JSON), or data for the current task.
   * @param {File} file
   * @param {File[]} [all]
   */
  async openFile(file, all = [file]) {
    const kinds = await Promise.all(all.map(foreignKind));
    if (kinds.some((k) => k !== null)) return this.loadForeign(all.filter((_, i) => kinds[i] !== null));
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const isModel = /\.rnnlab$/i.test(file.name) || (head.length === 4 && head[0] === 0x52 && head[1] === 0x4e && head[2] === 0x4c);
    if (isModel) return this.loadBytes(new Uint8Array(await file.arrayBuffer()), file.name);
    if (this.state.task === 'forecast') return this.controller.csv.readFile(file);
    if (file.size > MAX_TEXT) return this.notice(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the playground trains on texts up to ${MAX_TEXT / 1e6} MB.`, 'error');
    return this.#useCustom('text', { text: await file.text(), title: file.name });
  }

  /**
   * Loads model bytes: the settings saved with it come back (validated like a link's), its
   * data set is prepared, and training can go on. A file that cannot be read changes nothing.
   * @param {Uint8Array} bytes
   * @param {string} from
   */
  loadBytes(bytes, from) {
    return this.#enqueue(async () => {
      let model;
      let meta = null;
      // The file is read in a worker of its own, so a bad file never touches the current model.
      try {
        model = await loadWorkerModel(bytes);
        meta = decodeMetadata(model.metadata);
      } catch (e) {
        model?.dispose();
        this.io.message(`${from} is not a model this page can load: ${message(e)}. The current model is unchanged.`);
        return;
      }
      await this.#adopt(model, meta, from);
    });
  }

  /**
   * Loads a model from another framework (ONNX, TF.js/Keras, PyTorch weights JSON) into the
   * current task. Files that cannot be read, or a model that does not fit, change nothing.
   * @param {File[]} files
   */
  loadForeign(files) {
    return this.#enqueue(async () => {
      let model;
      let from = files.map((f) => f.name).join(' + ');
      try {
        const read = await readForeign(this.rnn, files);
        from = read.from;
        model = await createWorkerModel(read.config);
        await model.setWeights(read.weights);
      } catch (e) {
        model?.dispose();
        this.io.message(`${from} is not a model this page can load: ${message(e)}. The current model is unchanged.`);
        return;
      }
      await this.#adopt(model, null, from);
    });
  }

  /**
   * Uses a loaded worker model: the settings saved with it come back (none for a model from
   * another framework: the current task's), and it must fit the task's data.
   * @param {any} model
   * @param {any} meta
   * @param {string} from
   */
  async #adopt(model, meta, from) {
    const cfg = model.config;
    let next = { ...this.state };
    if (meta) {
      const { state: fromFile, notices } = fromHash(toHash({ ...defaults(meta.state.task), ...meta.state }));
      for (const n of notices) this.notice(`Model file: ${n}.`, 'warn');
      next = fromFile;
    }
    // The architecture comes from the model itself.
    Object.assign(next, {
      cell: cfg.cell, layers: cfg.hiddenSize.length, hidden: cfg.hiddenSize[0], dropout: cfg.dropout, seed: cfg.seed,
      ...(cfg.gruVariant ? { gru: cfg.gruVariant } : {}), ...(cfg.inputEncoding !== 'features' ? { embed: cfg.inputEncoding } : {}),
    });
    const task = TASKS[next.task];
    // A model from another framework carries no task: say which one its shape fits.
    const fits = meta ? '' : fittingTask(cfg);
    // Check the fit against the data before replacing anything.
    try {
      if (!task.prepare) throw new RangeError(`the Memory and Translate pages train models of their own and load none; open ${fits || 'Forecast, Text or Classify'} to load this model`);
      if (next.data === 'custom' && !this.custom[next.task]) {
        throw new RangeError(`it was trained on data of its own (${meta?.dataTitle ?? 'unknown'}); load that data first, then the model`);
      }
      const prep = task.prepare(this.rnn, next, await task.load(next, this.custom[next.task]));
      const why = task.compatible(cfg, prep);
      if (why) {
        throw new RangeError(`it does not fit the ${next.task === 'text' ? 'text' : next.task === 'classify' ? 'books' : 'series'}: ${why}${fits ? `; it fits ${fits}` : ''}`);
      }
    } catch (e) {
      model.dispose();
      this.io.message(`${from} cannot be used here: ${message(e)}. The current model is unchanged.`);
      return;
    }
    const ok = await this.#setup(next, { reason: `Loaded ${from}`, prev: this.state, loaded: { model, steps: meta?.steps ?? 0 } });
    if (ok) {
      this.io.message(`Loaded ${from}${meta ? ` (saved ${String(meta.savedAt).slice(0, 16).replace('T', ' ')}, step ${meta.steps})` : '; its optimizer starts fresh'}.`, 'ok');
    }
  }

  // ---- messages ----

  /** A message at the top of the page (info, warn or error), dismissable. */
  notice(text, kind = 'info') {
    // The same message twice in a row shows once.
    for (const el of this.el.notices.children) if (el.firstChild?.textContent === text) el.remove();
    const item = h('div', { class: `notice-item ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('span', null, text),
      h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
    this.el.notices.append(item);
    while (this.el.notices.children.length > 4) this.el.notices.firstElementChild?.remove();
    if (kind === 'info') setTimeout(() => item.remove(), 8000);
  }

  status(text) {
    replace(this.el.status, text);
  }
}

/** An error's words for people. */
export function message(e) {
  if (!e) return 'unknown error';
  if (e instanceof Error) return e.message;
  return String(e);
}

function lossExplanation(task) {
  if (task === 'text') return 'Cross-entropy: how surprised the model is by the true next character, in nats (divide by ln 2 for bits), on training batches (blue) and held-out text (orange). The dashed line is a model that knows only how often each letter occurs.';
  if (task === 'translate') return 'Cross-entropy of each character written, in nats, averaged over the ten characters of a date, on training batches (blue) and the held-out dates (orange).';
  if (task === 'classify') return 'Cross-entropy of the book predicted, in nats, on training batches (blue, with the range of each stretch shaded) and on a sample of held-out verses (orange). Guessing 50:50 scores ln 2 ≈ 0.69.';
  return 'Mean squared error of the next value, in normalised units, on training batches (blue, with the range of each stretch shaded) and on the held-out validation part (orange). Validation rising while training falls means overfitting.';
}
