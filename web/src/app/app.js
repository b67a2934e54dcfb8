// The playground: one state (the settings, mirrored in the URL), one task controller (what
// is learned and shown), one training session (the model in its worker). Everything the page
// does goes through `change()`, which knows from the schema whether a setting needs new data,
// a new model, or only a redraw. The parts, one job each: link.js (the address), lifecycle.js
// (task, data and session replaced together), transport.js (play, step, reset), liveViews.js
// (outputs and inside views asked of the model), progress.js (counters, loss chart), files.js
// (save, load, dropped files), notices.js (messages).
import { init } from 'rnnlab';
import { BY_KEY, defaults, effectOf, textFor } from '../state/schema.js';
import { SERIES } from '../data/catalog.js';
import { SettingsForm } from '../views/settingsForm.js';
import { renderShapes } from '../views/shapes.js';
import { stateFromLink, watchLink, writeLink } from './link.js';
import { Notices, message } from './notices.js';
import { TaskLifecycle } from './lifecycle.js';
import { Transport } from './transport.js';
import { LiveViews } from './liveViews.js';
import { Progress } from './progress.js';
import { ModelFiles } from './files.js';

/** How often counters, the loss chart and the live views may redraw (never per step). */
const REDRAW_MS = 250;

export class App {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    const $ = (id) => /** @type {HTMLElement} */ (doc.getElementById(id));
    this.el = {
      taskMain: $('task-main'), taskSide: $('task-side'), dataExtra: $('data-extra'), samplingPanel: $('sampling-panel'),
      tabs: [...doc.querySelectorAll('[role="tab"]')],
    };
    this.messages = new Notices($('notices'), $('status'));
    this.form = new SettingsForm({ data: $('group-data'), model: $('group-model'), training: $('group-training'), sampling: $('group-sampling') },
      (key, value) => this.change(key, value));
    this.lifecycle = new TaskLifecycle(this);
    this.transport = new Transport(this, { play: $('play'), step: $('step'), reset: $('reset') });
    this.views = new LiveViews(this, $('inside-panel'));
    this.progress = new Progress(this, {
      counters: $('counters'), lossChart: $('loss-chart'), lossPanel: $('loss-panel'), lossExplain: $('loss-explain'),
      logScale: /** @type {HTMLInputElement} */ ($('log-scale')), lossCsv: $('loss-csv'),
    });
    this.files = new ModelFiles(this, $('io-panel'));
    /** @type {Record<string, any>} */
    this.state = defaults();
    /** The task's controller (its page). @type {any} */
    this.controller = null;
    /** Its prepared data. @type {any} */
    this.prep = null;
    /** The model in training. @type {import('../train/session.js').Session | null} */
    this.session = null;
    /** @type {import('rnnlab').Rnnlab | undefined} */
    this.rnn = undefined;
    /** Users' own data, kept for the page's lifetime. */
    this.custom = { forecast: null, text: null };
    /** Changes run one after another. */
    this.queue = Promise.resolve();
    /** True while data, model and views may belong to different settings: nothing redraws. */
    this.settingUp = false;
    this.ready = false;
  }

  async start() {
    this.#wire();
    watchLink(() => this.state, () => {
      if (!this.rnn) return;
      const state = stateFromLink((t, k) => this.notice(t, k), { first: false });
      this.enqueue(() => this.lifecycle.setup(state, { reason: '' })).then(() => scrollTo({ top: 0, behavior: 'smooth' }));
    });
    const state = stateFromLink((t, k) => this.notice(t, k), { first: true });
    this.status('loading rnnlab…');
    try {
      // One thread: the page's own rnnlab trains nothing (models train in workers, with the
      // threads train/threads.js gives them), so a pool would only hold idle workers. The
      // forecaster's workers (forecast/autoFit.js) keep one too: its networks are small.
      this.rnn = await init({ threads: 1 });
    } catch (e) {
      this.status('');
      this.notice(`rnnlab could not load in this browser: ${message(e)}`, 'error');
      return;
    }
    this.state = state;
    await this.enqueue(() => this.lifecycle.setup(state, { reason: '' }));
    setInterval(() => this.#tick(), REDRAW_MS);
    // Below the fold: drawn once the first model is up.
    setTimeout(() => renderShapes(/** @type {HTMLElement} */ (this.doc.getElementById('shapes-panel'))), 0);
    this.ready = true;
    this.doc.documentElement.dataset.ready = 'true';
  }

  #wire() {
    this.transport.wire();
    for (const t of this.el.tabs) {
      t.addEventListener('click', () => this.change('task', t.id.replace('tab-', '')));
    }
    this.progress.wire();
    this.files.wire();
  }

  #tick() {
    this.progress.draw(false);
    this.views.tick();
  }

  /** A session's event, to the parts that follow it. */
  onSession(what) {
    this.transport.onSession(what);
    this.views.onSession(what);
  }

  // ---- settings ----

  /**
   * Applies one setting. Returns when the page has caught up (new data, model, or redraw).
   * @param {string} key
   * @param {any} value
   */
  change(key, value) {
    return this.enqueue(() => this.#change(key, value));
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
    const effect = effectOf(s, next);
    if (effect === 'view') {
      this.commitState(next);
      this.views.requestProbe({ sample: true });
      return;
    }
    if (effect === 'live') {
      this.commitState(next);
      this.controller.applyLive?.(next);
      if (this.session && (key === 'batch' || key === 'bptt') && this.prep && !this.prep.auto) {
        // A new batch shape applies from the next step on; the step count goes on.
        const p = this.controller.plan(next, this.prep);
        this.session.source = p.source;
        this.session.validation = p.validation;
        this.notice(`${textFor(s.label, next.task)} is now ${value}: it applies from step ${this.session.issued} on.`, 'info');
      }
      if (key === 'opt' && this.session) this.notice(`Optimizer is now ${s.names?.[value] ?? value}; its running averages start afresh.`, 'info');
      return;
    }
    await this.lifecycle.setup(next, { reason: `${textFor(s.label, next.task)} changed`, key, prev });
  }

  /** The state in force: the form, the address, the tabs and the task's panels follow it. */
  commitState(next) {
    this.state = next;
    this.form.sync(next);
    writeLink(next);
    for (const t of this.el.tabs) t.setAttribute('aria-selected', String(t.id === `tab-${next.task}`));
    this.el.samplingPanel.hidden = next.task !== 'text';
  }

  /** Runs `fn` after every change before it (whether they succeeded or not). */
  enqueue(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  // ---- for the buttons, files and the console ----

  togglePlay() {
    this.transport.togglePlay();
  }

  reset() {
    return this.lifecycle.reset();
  }

  restart() {
    return this.lifecycle.restart();
  }

  openFile(file) {
    return this.files.openFile(file);
  }

  loadBytes(bytes, from) {
    return this.files.loadBytes(bytes, from);
  }

  /** A message at the top of the page (info, warn or error), dismissable. */
  notice(text, kind = 'info') {
    this.messages.notice(text, kind);
  }

  status(text) {
    this.messages.status(text);
  }
}
