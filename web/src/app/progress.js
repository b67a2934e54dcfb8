// How training is going: the counters in the top bar (steps, speed, loss) and the loss chart
// with its CSV download. Redrawn on the app's clock, never per step.
import { LossChart } from '../views/lossChart.js';
import { download, fmt, fmtDuration, h, replace } from '../lib/dom.js';
import { lossExplanation } from './tasks.js';

export class Progress {
  /**
   * @param {import('./app.js').App} app
   * @param {{counters: HTMLElement, lossChart: HTMLElement, lossPanel: HTMLElement, lossExplain: HTMLElement,
   *   logScale: HTMLInputElement, lossCsv: HTMLElement}} el
   */
  constructor(app, el) {
    this.app = app;
    this.el = el;
    this.lossChart = new LossChart(el.lossChart, { yLabel: 'loss' });
    this.lastDrawnSteps = -1;
    this.lastDrawnVal = -1;
    this.counterIds = '';
  }

  wire() {
    this.el.logScale.addEventListener('change', () => {
      this.lossChart.setLogScale(this.el.logScale.checked);
      if (this.app.session?.log) this.lossChart.update(this.app.session.log);
    });
    this.el.lossCsv.addEventListener('click', () => this.#downloadLoss());
  }

  /** A new model: the loss chart's reference lines and the words for its task. */
  showTask(controller, prep, task) {
    // Threads of the model's worker (rnnlab's threads build runs 2-4; a race's racers run one
    // each), for whoever inspects the page.
    this.el.counters.dataset.threads = String(this.app.session?.model?.threads ?? 1);
    this.lossChart.setReferences(controller.lossRefs?.(prep) ?? []);
    this.el.lossPanel.hidden = !!controller.hideLoss;
    replace(this.el.lossExplain, lossExplanation(task));
  }

  /** Draws now, and again at the next tick (the new model's first numbers). */
  redraw() {
    this.draw(true);
    this.lastDrawnSteps = -1;
  }

  /** Redraws the counters and loss chart if anything changed (or `force`). */
  draw(force) {
    const { session: s, controller } = this.app;
    if (!s || this.app.settingUp) return;
    const valCount = s.log?.val.length ?? 0;
    // A trainer of a controller's own may say when it changed (its revision) rather than its steps.
    const mark = s.revision ?? s.steps;
    if (!force && mark === this.lastDrawnSteps && valCount === this.lastDrawnVal && !s.playing) return;
    this.lastDrawnSteps = mark;
    this.lastDrawnVal = valCount;
    if (s.log && !controller.hideLoss) this.lossChart.update(s.log);
    const items = controller.counters?.(s) ?? this.#counters(/** @type {import('../train/session.js').Session} */ (s));
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

  /** The counters of one model's training: [label, value, id, data-value]. */
  #counters(s) {
    const sps = s.playing ? s.stepsPerSecond : 0;
    const src = s.source;
    const val = s.log.val.at(-1)?.loss;
    return [
      ['epoch', fmt(Math.floor(s.epoch)), 'epoch', ''],
      ['step', s.steps.toLocaleString('en-US'), 'steps', String(s.steps)],
      ['steps/s', sps ? fmt(sps, 3) : '–', 'steps-per-second', ''],
      [this.app.state.task === 'forecast' ? 'values/s' : 'chars/s', sps ? fmt(sps * src.tokensPerStep, 3) : '–', 'tokens-per-second', ''],
      ['time/epoch', sps ? fmtDuration((1000 * src.stepsPerEpoch) / sps) : '–', 'epoch-time', ''],
      ['loss', fmt(s.log.last), 'loss', String(s.log.last)],
      ['val. loss', val === undefined ? '–' : fmt(val), 'val-loss', String(val ?? '')],
    ];
  }

  #downloadLoss() {
    const { session: s, state } = this.app;
    if (!s) return;
    const { x, mean, lo, hi } = s.log.series();
    const rows = ['step_end,mean_loss,min_loss,max_loss'];
    for (let i = 0; i < x.length; i++) rows.push(`${x[i]},${mean[i]},${lo[i]},${hi[i]}`);
    rows.push('', 'step,validation_loss', ...s.log.val.map((p) => `${p.step},${p.loss}`));
    download(`loss-${state.task}-${state.data}.csv`, rows.join('\n'), 'text/csv');
  }
}
