// The memory experiments as races (see race.js): which models run, on what data, scored how.
// No DOM: the page (page.js) and the Node tests (tests/web/presets.test.mjs) build the
// same races from the same settings.
import { addingBatches, addingTest, score as addingScore, GUESS_MSE } from './adding.js';
import { sequenceBatches, sequenceSet } from '../train/batches.js';
import { prepareText } from '../text/prepare.js';
import { Race } from './race.js';
import { modelOptions, trainOptions } from '../train/options.js';

export const CELLS = /** @type {const} */ (['rnn', 'lstm', 'gru']);
export const CELL_NAMES = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/** Training options of a racer, from its settings (the unclipped racer's say clip 0). */
const train = (state) => () => trainOptions(state);

/** One probe sequence for the gradient and inside views: the first test sequence. */
function firstOf(set) {
  const [n, ...rest] = set.x.shape;
  const per = set.x.data.length / n;
  const yPer = set.y.data.length / n;
  return { x: { data: set.x.data.slice(0, per), shape: [1, ...rest] }, y: { data: set.y.data.slice(0, yPer), shape: [1, ...set.y.shape.slice(1)] } };
}

/**
 * The racers of an experiment.
 * @param {Record<string, any>} state
 * @param {{rnn?: import('rnnlab').Rnnlab, text?: string}} [ctx] the text race needs rnnlab and Genesis
 */
export function entriesOf(state, ctx = {}) {
  if (state.data === 'gap' || state.data === 'clip') {
    const source = addingBatches(state.gap, state.batch, state.seed);
    const test = addingTest(state.gap, state.seed);
    const score = (pred, t) => addingScore(pred, t.y.data);
    const probe = firstOf(test);
    // Each racer's settings but its cell are the race's: (number, marker) in, the sum out.
    const model = (cell) => modelOptions({ ...state, cell }, { inputSize: 2, outputSize: 1 });
    if (state.data === 'gap') {
      return CELLS.map((cell) => ({ id: cell, label: CELL_NAMES[cell], model: model(cell), train: train(state), source, test, score, probe }));
    }
    return [
      { id: 'clipped', label: `${CELL_NAMES[state.cell]}, clipped at ${state.clip}`, model: model(state.cell), train: train(state), source, test, score, probe },
      { id: 'unclipped', label: `${CELL_NAMES[state.cell]}, not clipped`, model: model(state.cell), train: train({ ...state, clip: 0 }), source, test, score, probe },
    ];
  }
  if (state.data === 'nomemory') {
    if (!ctx.rnn || !ctx.text) throw new Error('the text race needs rnnlab and the text');
    const T = state.gap;
    const prep = prepareText(ctx.rnn, ctx.text, { valFraction: 0.1, seqLen: T });
    const V = prep.vocab.size;
    const model = modelOptions(state, { vocabSize: V, inputEncoding: 'onehot', outputSize: V, head: 'softmax', output: 'sequence' });
    const long = /** @type {{x: any, y: any}} */ (sequenceSet(prep.val, T, 16));
    // The same characters, cut into sequences of one: each predicted from a blank state.
    const short = { x: { data: long.x.data, shape: [long.x.data.length, 1] }, y: { data: long.y.data, shape: [long.y.data.length, 1] } };
    const score = (pred, t) => {
      let nll = 0;
      const ys = t.y.data;
      for (let i = 0; i < ys.length; i++) nll -= Math.log(Math.max(pred[i * V + ys[i]], 1e-12));
      return { loss: nll / ys.length };
    };
    // The inside views show the probe's characters above the heatmaps.
    const first = firstOf(long);
    const probe = { ...first, labels: [...prep.vocab.decode(first.x.data)] };
    // Both see the same number of characters per step: B·T for the long one, B·T sequences of one.
    return [
      { id: 'memory', label: `${CELL_NAMES[state.cell]}, sequences of ${T}`, model, train: train(state), source: sequenceBatches(prep.train, T, state.batch, state.seed), test: long, score, probe },
      { id: 'nomemory', label: `${CELL_NAMES[state.cell]}, sequences of 1`, model, train: train(state), source: sequenceBatches(prep.train, 1, state.batch * T, state.seed), test: short, score },
    ];
  }
  throw new RangeError(`unknown experiment ${state.data}`);
}

/** A race for the state's experiment (not started). */
export function raceOf(state, ctx) {
  return new Race(entriesOf(state, ctx), { budget: state.budget, detail: state.data === 'clip' });
}

/** The number the race is judged by, per experiment: lower is better. */
export function headline(state, point) {
  if (!point) return NaN;
  return state.data === 'nomemory' ? point.loss : point.mse;
}

export { GUESS_MSE };
