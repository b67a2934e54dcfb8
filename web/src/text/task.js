// The text task without the page: the prepared text, the model and batches it gets, and the
// priming text as ids. The page (page.js) and the Node tests both use it.
import { prepareText } from './prepare.js';
import { sequenceBatches, sequenceSet } from '../train/batches.js';

/** Validation sequences evaluated for the validation loss. */
const VAL_SEQUENCES = 32;

/** @param {import('rnnlab').Rnnlab} rnn */
export function prepare(rnn, state, source) {
  const t = prepareText(rnn, source.text, { valFraction: state.val, seqLen: state.bptt });
  return { source, t };
}

/** What the data fixes of the model (the settings' options come from train/options.js): a character in, the next one's probabilities out, at every step. */
export function modelShape(prep) {
  const V = prep.t.vocab.size;
  return { vocabSize: V, outputSize: V, head: 'softmax', output: 'sequence' };
}

export function plan(state, prep) {
  const bptt = Math.max(2, state.bptt);
  return {
    source: sequenceBatches(prep.t.train, bptt, state.batch, state.seed),
    validation: sequenceSet(prep.t.val, bptt, VAL_SEQUENCES),
  };
}

/**
 * The priming text as ids; characters the vocabulary lacks are left out (and listed).
 * @param {import('rnnlab').CharVocab} vocab
 * @param {string} prime
 */
export function primeIds(vocab, prime) {
  const known = new Set(vocab.symbols);
  const missing = new Set();
  let kept = '';
  for (const ch of prime) {
    if (known.has(ch)) kept += ch;
    else missing.add(ch);
  }
  // A sample needs at least one character to start from: a newline starts a verse.
  if (kept === '') kept = known.has('\n') ? '\n' : vocab.symbols[0];
  return { ids: vocab.encode(kept), kept, missing: [...missing] };
}

/** Whether a loaded model's configuration fits the prepared text ('' if so, else why not). */
export function compatible(config, prep) {
  if (config.inputEncoding === 'features') return 'it reads numbers, not characters';
  if (config.vocabSize !== prep.t.vocab.size) return `its vocabulary has ${config.vocabSize} characters, this text ${prep.t.vocab.size}`;
  if (config.head !== 'softmax' || config.output !== 'sequence') return 'it does not predict a character at every step';
  return '';
}
