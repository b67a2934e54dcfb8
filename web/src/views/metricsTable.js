// The forecast's errors on the validation part, in the series' own units, beside the naive
// and seasonal-naive baselines, with a one-line verdict a newcomer can act on.
import { fmt, h, replace } from '../lib/dom.js';

/**
 * @typedef {{mae: number, rmse: number, mape: number, mapeSkipped: number, rows: number}} Errors
 * @typedef {{label: string, kind: 'model' | 'baseline', e: Errors | null, note?: string}} Row
 */

/**
 * @param {HTMLElement} host
 * @param {object} m
 * @param {string} m.units
 * @param {string} m.modelName e.g. "LSTM"
 * @param {Row[]} m.oneStep
 * @param {Row[]} m.free
 * @param {string} m.span e.g. "48 months, 1936-01 to 1939-12"
 */
export function renderMetrics(host, m) {
  const rows = (title, list) => [
    h('tr', { class: 'group' }, h('th', { colspan: 4, scope: 'colgroup' }, title)),
    ...list.map((r) => {
      const cell = (v, key) => h('td', { dataset: { metric: key, value: r.e ? String(v) : '' } }, r.e ? fmt(v) : '–');
      return h('tr', { class: r.kind },
        h('th', { scope: 'row' }, r.label, r.note ? h('span', { class: 'note' }, ` ${r.note}`) : null),
        cell(r.e?.mae, 'mae'), cell(r.e?.rmse, 'rmse'),
        h('td', { dataset: { metric: 'mape', value: r.e ? String(r.e.mape) : '' } }, r.e && Number.isFinite(r.e.mape) ? `${fmt(r.e.mape, 3)}%` : '–'));
    }),
  ];
  const skipped = m.oneStep.find((r) => r.e && r.e.mapeSkipped > 0)?.e?.mapeSkipped ?? 0;
  replace(host,
    h('table', { class: 'metrics', 'aria-label': 'Errors on the validation part' },
      h('caption', null, `Errors on the validation part (${m.span}), in ${m.units}`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'method'), h('th', { scope: 'col', title: 'mean absolute error' }, 'MAE'),
        h('th', { scope: 'col', title: 'root mean squared error' }, 'RMSE'), h('th', { scope: 'col', title: 'mean absolute percentage error' }, 'MAPE'))),
      h('tbody', null,
        rows('One step ahead (every prediction starts from real data)', m.oneStep),
        rows('Free-running from the split (predictions fed back)', m.free))),
    skipped ? h('p', { class: 'note' }, `MAPE leaves out ${skipped} row${skipped > 1 ? 's' : ''} whose true value is 0.`) : null,
    h('p', { class: 'verdict', role: 'status' }, verdict(m)));
}

/** One sentence on whether the model beats the best baseline, one step ahead. */
export function verdict(m) {
  const model = m.oneStep.find((r) => r.kind === 'model')?.e;
  const base = m.oneStep.filter((r) => r.kind === 'baseline' && r.e);
  if (!model || base.length === 0) return '';
  const best = base.reduce((a, b) => (b.e.mae < a.e.mae ? b : a));
  const naive = base[0];
  const pct = (a, b) => Math.round((100 * (b - a)) / b);
  if (model.mae < best.e.mae) {
    return `The ${m.modelName} beats both baselines one step ahead: its MAE is ${pct(model.mae, best.e.mae)}% below the better one (${best.label}).`;
  }
  if (model.mae < naive.e.mae) {
    return `The ${m.modelName} beats the naive forecast (MAE ${pct(model.mae, naive.e.mae)}% lower) but not ${best.label}: not yet worth more than repeating last season.`;
  }
  return `The ${m.modelName} does not beat the naive forecast yet: until it does, it is worth less than "tomorrow = today".`;
}
