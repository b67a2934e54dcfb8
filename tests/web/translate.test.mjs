// The date task's logic (web/src/translate/task.js) on the model the page trains, a
// WorkerSeq2Seq from rnnlab/worker, against the same model on the main thread: batches and
// held-out set fixed by the seed, scoring, the typed date rewritten, and what the inside views
// get of one date (a typed date's greedy answer decoded at most TARGET_LENGTH steps and reused).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { createWorkerSeq2Seq } from 'rnnlab/worker';
import { defaults } from '../../web/src/state/schema.js';
import { SOURCE_SYMBOLS, TARGET_LENGTH, TARGET_SYMBOLS } from '../../web/src/translate/dates.js';
import { HELD_OUT, inspectDate, modelShape, plan, prepare, scoreHeldOut, translateText } from '../../web/src/translate/task.js';
import { modelOptions, trainOptions } from '../../web/src/train/options.js';

const rnn = await init();

test('translate task: batches, held-out set, scoring, typed dates and inspections agree between the worker and the main thread', async () => {
  const state = { ...defaults('translate'), hidden: 24 };
  const prep = prepare(state);
  assert.equal(prep.heldOut.length, HELD_OUT);
  assert.deepEqual(prepare(state).test, prep.test, 'the held-out set is fixed by the seed');
  const p = plan(state, prep);
  assert.equal(p.seq2seq, true);
  assert.deepEqual(p.validation.x.shape[0], HELD_OUT / 4, 'the validation loss on every 4th held-out date');
  assert.deepEqual(p.source.batch(3), plan(state, prep).source.batch(3), 'batch k is a pure function of (seed, k)');
  assert.notDeepEqual(p.source.batch(3).x, p.source.batch(4).x);
  assert.deepEqual(p.source.batch(0).y.shape, [state.batch, TARGET_LENGTH]);
  const opts = modelOptions(state, modelShape());
  assert.equal(opts.inputVocab, SOURCE_SYMBOLS.length);
  assert.equal(opts.outputVocab, TARGET_SYMBOLS.length);
  const local = rnn.createSeq2Seq(opts);
  const remote = await createWorkerSeq2Seq(opts);
  try {
    for (let k = 0; k < 20; k++) {
      const b = p.source.batch(k);
      assert.equal(await remote.trainBatch(b.x, b.y, trainOptions(state)), local.trainBatch(b.x, b.y, trainOptions(state)));
    }
    assert.deepEqual(await scoreHeldOut(remote, prep), await scoreHeldOut(local, prep));
    const typed = await translateText(remote, '25 December 1999 ☃');
    assert.deepEqual(typed, await translateText(local, '25 December 1999 ☃'));
    assert.deepEqual(typed.dropped, ['D', '☃'].filter((c) => !SOURCE_SYMBOLS.includes(c)));
    assert.ok(typed.output.length <= TARGET_LENGTH);
    assert.deepEqual(await translateText(remote, '☃☃'), { output: '', dropped: ['☃'], read: 0, empty: true });
    // A typed date (no true answer): the greedy answer, at most TARGET_LENGTH steps, is both the
    // decoder's target and the answer shown.
    const own = await inspectDate(remote, 'the fourth of July, nineteen seventy-six');
    assert.equal(own.answer, own.target);
    assert.equal(own.answer, (await translateText(remote, 'the fourth of July, nineteen seventy-six')).output);
    assert.ok(own.decoder[0].h.shape[1] <= TARGET_LENGTH, `decoded ${own.decoder[0].h.shape[1]} steps`);
    assert.equal(own.decoder[0].h.shape[1], own.target.length);
    assert.equal(own.encoder[0].h.shape[1], own.source.length);
    assert.deepEqual(own, await inspectDate(local, 'the fourth of July, nineteen seventy-six'));
    // A held-out date: scored against the truth, the model's answer alongside.
    const e = prep.heldOut[2];
    const held = await inspectDate(remote, e.text, e.iso);
    assert.equal(held.target, e.iso);
    assert.equal(held.decoder[0].h.shape[1], TARGET_LENGTH);
    assert.equal(held.answer, (await translateText(remote, e.text)).output);
    assert.deepEqual(held, await inspectDate(local, e.text, e.iso));
    await assert.rejects(inspectDate(remote, '☃'), /no characters the model knows/);
  } finally {
    local.dispose();
    await remote.dispose();
  }
});
