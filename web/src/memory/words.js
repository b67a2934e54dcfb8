// The memory page's sentences: what each race sets up, and the outcome, written from the
// numbers measured (so the page never claims what it did not just show).
import { GUESS_MSE } from './experiments.js';
import { fmt } from '../lib/dom.js';

/** One or two sentences on the outcome, from the numbers measured. */
export function verdict(race, state) {
  const done = race.racers.map((r) => ({ r, p: r.points.at(-1) })).filter((x) => x.p);
  if (!done.length || done.every((x) => x.p.steps === 0)) return 'Press play to start the race.';
  const steps = Math.min(...done.map((x) => x.p.steps));
  // Over once every racer is scored at its last step (not merely done training).
  const finished = race.released;
  const at = finished ? `After ${race.budget.toLocaleString('en-US')} steps each` : `So far (${steps.toLocaleString('en-US')}+ steps each)`;
  if (state.data === 'gap') {
    const mse = Object.fromEntries(done.map((x) => [x.r.entry.id, x.p.mse]));
    const ahead = ['lstm', 'gru'].filter((c) => mse[c] < 0.1 * mse.rnn);
    const rnnStuck = mse.rnn > 0.8 * GUESS_MSE;
    let s = `${at}: test MSE RNN ${fmt(mse.rnn, 2)}, LSTM ${fmt(mse.lstm, 2)}, GRU ${fmt(mse.gru, 2)} (guessing the mean scores ${fmt(GUESS_MSE, 2)}). `;
    if (rnnStuck && ahead.length === 2) s += `Both gated cells learned to carry the first number across ${state.gap} steps; the plain RNN did not get past guessing.`;
    else if (rnnStuck && ahead.length === 1) s += `The ${ahead[0].toUpperCase()} learned it; the plain RNN did not get past guessing${finished ? ` and the ${ahead[0] === 'gru' ? 'LSTM' : 'GRU'} has not yet (more steps may change that)` : ''}.`;
    else if (!rnnStuck) s += `At this gap the plain RNN learns too: the gap is short enough for its gradient to reach the first marker.`;
    else s += finished ? 'No cell got clearly past guessing with this budget.' : '';
    return s;
  }
  if (state.data === 'clip') {
    const [c, u] = done;
    const gmax = (r) => Math.max(...r.session.gradLog.series().hi, 0);
    const lmax = (r) => Math.max(...r.session.log.series().hi, 0);
    const diverged = race.stateOf(u.r) === 'diverged';
    return `${at}: largest gradient norm ${fmt(gmax(c.r), 2)} with clipping, ${fmt(gmax(u.r), 2)} without; largest training loss ${fmt(lmax(c.r), 2)} with, ${fmt(lmax(u.r), 2)} without.`
      + (diverged ? ` Without clipping the loss stopped being a finite number at step ${u.r.session.steps + 1}: the run blew up.` : '')
      + ` Neither solves the task: clipping stops the explosion, not the vanishing.`;
  }
  const [m, n] = done;
  return `${at}: validation loss ${fmt(m.p.loss, 3)} nats/char with sequences of ${state.gap}, ${fmt(n.p.loss, 3)} with sequences of 1`
    + (m.p.loss < n.p.loss ? ` — memory of the earlier characters is worth ${fmt((n.p.loss - m.p.loss) / Math.LN2, 2)} bits per character.` : '.');
}

export function explainConditions(state) {
  if (state.data === 'gap') return `Gap ${state.gap}: the first number is at least ${Math.ceil(0.9 * state.gap)} steps before the answer. ${state.budget.toLocaleString('en-US')} steps each, hidden ${state.hidden}, ${state.opt} at ${state.lr}, clip ${state.clip || 'off'}, seed ${state.seed}.`;
  if (state.data === 'clip') return `${state.budget} steps of plain SGD at learning rate ${state.lr}, gap ${state.gap}, hidden ${state.hidden}, seed ${state.seed}.`;
  return `${state.budget} steps each, ${state.batch}×${state.gap} characters per step for both, hidden ${state.hidden}, seed ${state.seed}.`;
}

export function raceExplanation(state) {
  if (state.data === 'gap') {
    return 'All three cells start from the same initialisation scheme (Glorot input weights, orthogonal recurrent weights; the LSTM’s forget gate starts at bias 1) and train with the same optimizer, learning rate, clipping, hidden size and batches. '
      + 'The plain RNN can only carry the first number through its recurrent weights and a tanh at every step. The LSTM’s cell state and the GRU’s update gate give it a path the gates can hold open. '
      + 'Whether the gated cells win depends on the gap and the budget: at short gaps the plain RNN learns too, and the LSTM usually needs more steps than the GRU to find the path (use “Race at every gap” below to see where the plain RNN stops coping). '
      + 'The racers train side by side, one per processor core: each one’s clock counts only its own turns, though racers sharing busy cores slow each other a little; against training steps the comparison is exact.';
  }
  if (state.data === 'clip') {
    return 'Each step back in time multiplies the gradient by the recurrent Jacobian. Where that grows it, the gradient can explode: one huge update throws the weights far away and the loss jumps. '
      + 'Clipping rescales any gradient whose norm exceeds the limit (here ' + state.clip + '), so a single step can only move the weights so far. It tames the explosion; it does nothing for gradients that vanish.';
  }
  return 'Both models see the same characters per step. The one with sequences of 64 can use everything it has read so far in a verse; the one with sequences of 1 starts from a blank state at every character, like a one-to-one model: it can learn only which letter tends to follow which.';
}

export function gradExplanation(state) {
  if (state.data === 'nomemory') return 'For the model with memory: how much the loss depends on its hidden state at each step of one validation sequence.';
  return 'For one held-out sequence: how much the final answer’s error depends on the hidden state at each step (log scale). At the start all three lose the gradient going back (the GRU even faster: its update gate starts half open). '
    + 'Training teaches the gates to hold on, and then the gradient reaches the first marker; the plain RNN has no gate to learn, so its gradient keeps shrinking by a roughly constant factor per step, a straight falling line here.';
}

export function gapExplanation() {
  return 'Each point is the test error at the end of a race at that gap (same budget and settings). The plain RNN copes with short gaps and fails as the gap grows; where it crosses the guessing line is where its gradient no longer reaches the first number.';
}
