// The page's size check (web/src/app/modelSize.js) asks the core: its parameter count and its
// cap. Near the cap the page agrees with the core to the parameter (the page used to count
// embeddings 64 wide where the core uses min(vocab, 64), against a cap of 40,000,000).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init, RnnlabError } from 'rnnlab';
import { checkModelSize } from '../../web/src/app/modelSize.js';
import { defaults } from '../../web/src/state/schema.js';
import { modelOptions } from '../../web/src/train/options.js';
import { modelShape } from '../../web/src/translate/task.js';

const translateOptions = (state) => modelOptions(state, modelShape());

const rnn = await init();

/** A character model as the text page builds one (vocabulary of 40: embedding width 40). */
const textModel = (hidden) => ({ cell: 'lstm', vocabSize: 40, inputEncoding: 'embedding', outputSize: 40, head: 'softmax', output: 'sequence', hiddenSize: [hidden] });

test('modelSize: the page refuses exactly what the core refuses, with the core\'s count and cap in its words', () => {
  const cap = rnn.limits.maxParameters;
  const below = textModel(2020);
  const above = textModel(2025);
  assert.ok(rnn.parameterCount(below) <= cap && rnn.parameterCount(above) > cap);
  checkModelSize(rnn, below);
  const m = rnn.createModel(below);
  assert.equal(m.parameterCount, rnn.parameterCount(below), 'and the core builds it');
  m.dispose();
  let error;
  try {
    checkModelSize(rnn, above);
  } catch (e) {
    error = e;
  }
  assert.equal(error?.code, 'TOO_LARGE');
  assert.match(error.message, new RegExp(`would have ${rnn.parameterCount(above).toLocaleString('en-US')} parameters, more than the 16,777,216 rnnlab can train`));
  assert.throws(() => rnn.createModel(above), (e) => e.code === 'TOO_LARGE');
});

test('modelSize: the encoder-decoder is counted as one, and bad options are the core\'s errors', () => {
  const state = defaults('translate');
  checkModelSize(rnn, translateOptions(state), { seq2seq: true });
  assert.throws(() => checkModelSize(rnn, translateOptions({ ...state, hidden: 2048 }), { seq2seq: true }),
    (e) => e.code === 'TOO_LARGE' && /16,777,216/.test(e.message));
  assert.throws(() => checkModelSize(rnn, { hiddenSize: [0] }), (e) => e instanceof RnnlabError && e.code === 'INVALID_CONFIG' && e.field === 'hiddenSize[0]');
  assert.throws(() => checkModelSize(rnn, translateOptions(state)), (e) => e instanceof RnnlabError && e.code === 'INVALID_CONFIG', 'Seq2Seq options are not a Model\'s');
});
