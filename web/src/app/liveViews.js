// The views that ask the model something while it trains, without ever holding it up: the
// task's outputs (a forecast, samples, accuracy: the controller's `probe`) and the inside
// views (gates, states, gradients through time: `inspect`). Each asks at most once at a time,
// at its own pace while playing, and once more when asked (a setting, an example chosen, the
// training paused).
import { InsidePanel } from '../views/insidePanel.js';
import { isWorkerDeath } from '../train/session.js';
import { message } from './notices.js';

/** How often the inside views ask the model for a new inspection while it trains. */
const INSPECT_MS = 1500;

export class LiveViews {
  /**
   * @param {import('./app.js').App} app
   * @param {HTMLElement} insideHost the inside panel
   */
  constructor(app, insideHost) {
    this.app = app;
    this.insideHost = insideHost;
    this.inside = new InsidePanel(insideHost, { onChange: () => this.requestInspect() });
    this.probing = false;
    this.probeWanted = false;
    /** @type {Record<string, any>} */
    this.probeOpts = {};
    this.lastProbeAt = -Infinity;
    this.inspecting = false;
    this.inspectWanted = false;
    this.lastInspectAt = -Infinity;
  }

  /** On the redraw clock. */
  tick() {
    this.#maybeProbe();
    this.#maybeInspect();
  }

  /** A session's event: paused with nothing in flight, the views catch up with the last step. */
  onSession(what) {
    const s = this.app.session;
    if (s && (what === 'state' || what === 'step') && s.state === 'paused' && s.inFlight === 0) {
      this.requestProbe({});
      this.inspectWanted = true;
    }
  }

  // ---- the task's outputs ----

  /** @param {Record<string, any>} opts the controller's probe options (e.g. {sample: true}) */
  requestProbe(opts) {
    this.probeWanted = true;
    this.probeOpts = { ...this.probeOpts, ...opts };
    this.#maybeProbe();
  }

  #maybeProbe() {
    const app = this.app;
    const s = app.session;
    if (!s || app.settingUp || this.probing || !app.prep || s.state === 'crashed' || s.state === 'disposed') return;
    const now = performance.now();
    const due = s.playing && now - this.lastProbeAt >= app.controller.probeEveryMs;
    if (!due && !this.probeWanted) return;
    if (s.steps === 0 && s.issued === 0 && !this.probeWanted) return;
    this.probing = true;
    this.probeWanted = false;
    const opts = this.probeOpts;
    this.probeOpts = {};
    this.lastProbeAt = now;
    app.controller.probe(s, app.state, app.prep, opts).catch((e) => {
      if (s === app.session && !isWorkerDeath(e)) app.notice(`Could not draw the model's output: ${message(e)}`, 'error');
    }).finally(() => {
      this.probing = false;
    });
  }

  // ---- inside the network ----

  /** Shows the inside views for tasks that have them, with the task's example picker. */
  setupInside(controller, prep, state) {
    const has = (!!controller.inspectExample || !!controller.insideView || !!controller.inspectNow) && !controller.insideHidden?.(state);
    this.insideHost.hidden = !has;
    // Hidden or not, the panel keeps nothing of the task before: its views, example picker, diagram.
    this.inside.clear('Press play (or one step): the network’s gates and states for the example appear here.');
    if (!has) {
      this.inside.setExampleControl(null);
      this.inside.unrolledHost.replaceChildren();
      return;
    }
    this.inside.setExampleControl(controller.exampleControl(() => this.requestInspect()));
    this.inside.setUnrolled(controller.unrolled(state, prep));
    // Offscreen, the views wait until scrolled to (the panel's observer asks then).
    this.inspectWanted = this.inside.visible;
  }

  requestInspect() {
    this.inspectWanted = true;
    this.#maybeInspect();
  }

  #maybeInspect() {
    const app = this.app;
    const s = app.session;
    const c = app.controller;
    if (!s || app.settingUp || this.inspecting || !app.prep || this.insideHost.hidden || s.state === 'crashed' || s.state === 'disposed') return;
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
      // A controller that inspects its own way (the encoder-decoder: a date, and its answer).
      this.inspecting = true;
      c.inspectNow(s, app.state).then((v) => {
        if (s === app.session) this.inside.show(v.inspection, v.example, v.cell, v.step);
      }, (e) => {
        if (s === app.session && s.state !== 'crashed') app.notice(`Could not look inside the model: ${message(e)}`, 'error');
      }).finally(() => {
        this.inspecting = false;
      });
      return;
    }
    const state = app.state;
    const prep = app.prep;
    const ex = c.inspectExample(state, prep);
    this.inspecting = true;
    const step = s.issued;
    s.call((m) => m.inspect(ex.x, ex.y)).then((ins) => {
      if (s === app.session && prep === app.prep) {
        this.inside.show(ins, ex, state.cell, step);
        this.inside.setUnrolled(c.unrolled(state, prep));
      }
    }, (e) => {
      if (s === app.session && !isWorkerDeath(e)) app.notice(`Could not look inside the model: ${message(e)}`, 'error');
    }).finally(() => {
      this.inspecting = false;
    });
  }
}
