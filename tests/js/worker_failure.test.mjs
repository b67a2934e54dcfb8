// rnnlab/worker when its worker goes away mid-fit: the thread exits, throws an uncaught error,
// or is terminated. Pending calls (fit included) and later calls reject with an RnnlabError of
// code INTERNAL ("the rnnlab worker stopped: ..."), dispose() still resolves, a new worker
// model works right after, and nothing is left that keeps Node running: each scenario runs in
// a child process that must end by itself, with exit code 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const WORKER = new URL('../../bindings/js/worker.js', import.meta.url).href;
const DYING = new URL('./fixtures/worker_that_dies.mjs', import.meta.url).href;
const simd = process.env.RNNLAB_TEST_SIMD === '0' ? 'false' : "'auto'";

// What every scenario does once its model's worker is gone: the pending fit's error, a later
// call's, dispose(), then a fresh worker model that trains. Prints one JSON line.
const AFTER = `
  const describe = (e) => ({ name: e?.name, code: e?.code, field: e?.field, message: e?.message, rnnlab: e instanceof RnnlabError });
  let fitError = null, fitResult = null;
  try { fitResult = await fit; } catch (e) { fitError = describe(e); }
  const pending = [];
  for (const p of pendingCalls) { try { await p; pending.push('resolved'); } catch (e) { pending.push(describe(e)); } }
  let later = null;
  try { await m.predict(x); } catch (e) { later = describe(e); }
  let heap = null;
  try { await m.heapStats(); } catch (e) { heap = describe(e); }
  await m.dispose();
  const fresh = await createWorkerModel({ hiddenSize: 3 }, { simd: ${simd} });
  const history = await fresh.fit({ x, y }, { epochs: 2, batchSize: 16 });
  await fresh.dispose();
  console.log(JSON.stringify({ fitError, fitResult, pending, later, heap, freshLoss: history.loss }));
`;

const SETUP = `
  const { createWorkerModel, RnnlabError } = await import(${JSON.stringify(WORKER)});
  const x = { data: Float32Array.from({ length: 64 * 8 }, (_, i) => Math.sin(i / 3)), shape: [64, 8, 1] };
  const y = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i / 5));
  let pendingCalls = [];
`;

/** Runs a scenario in a child Node process; returns its JSON line (asserting a clean exit). */
function scenario(body, env = {}) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SETUP + body + AFTER], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, ...env },
  });
  assert.equal(r.error, undefined, `the child process did not end by itself: ${r.error}`);
  assert.equal(r.status, 0, `exit code ${r.status}\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines.at(-1));
}

function assertStopped(out, pattern) {
  assert.equal(out.fitResult, null, 'fit did not resolve');
  assert.equal(out.fitError?.rnnlab, true, `fit rejects with an RnnlabError: ${JSON.stringify(out.fitError)}`);
  assert.equal(out.fitError.code, 'INTERNAL');
  assert.match(out.fitError.message, /^the rnnlab worker stopped: /);
  assert.match(out.fitError.message, pattern);
  for (const e of [out.later, out.heap, ...out.pending]) {
    assert.equal(e?.rnnlab, true, `later and pending calls reject with an RnnlabError: ${JSON.stringify(e)}`);
    assert.equal(e.code, 'INTERNAL');
    assert.equal(e.message, out.fitError.message, 'every call names the same cause');
  }
  assert.equal(out.freshLoss.length, 2, 'a new worker model trains right after');
  assert.ok(out.freshLoss.every(Number.isFinite));
}

test('worker failure: the worker thread exits mid-fit (process.exit in the worker)', () => {
  const out = scenario(`
    const m = await createWorkerModel({ hiddenSize: 16 }, { simd: ${simd}, workerUrl: ${JSON.stringify(DYING)} });
    const fit = m.fit({ x, y }, { epochs: 1e6, batchSize: 4 });
  `, { RNNLAB_TEST_WORKER_DEATH: 'exit' });
  assertStopped(out, /it exited with code 3/);
});

test('worker failure: an uncaught error in the worker thread mid-fit', () => {
  const out = scenario(`
    const m = await createWorkerModel({ hiddenSize: 16 }, { simd: ${simd}, workerUrl: ${JSON.stringify(DYING)} });
    const fit = m.fit({ x, y }, { epochs: 1e6, batchSize: 4 });
  `, { RNNLAB_TEST_WORKER_DEATH: 'throw' });
  assertStopped(out, /boom inside the worker/);
});

test('worker failure: the worker is terminated mid-fit, with calls pending', () => {
  // Keeps a reference to each worker_threads Worker rnnlab/worker starts (it exposes none), to
  // terminate it from outside while fit waits for its onEpochEnd callback.
  const out = scenario(`
    const threads = process.getBuiltinModule('node:worker_threads');
    const started = [];
    class Tracked extends threads.Worker {
      constructor(...args) { super(...args); started.push(this); }
    }
    const builtin = process.getBuiltinModule.bind(process);
    process.getBuiltinModule = (id) => (id === 'node:worker_threads' ? { ...threads, Worker: Tracked } : builtin(id));
    const m = await createWorkerModel({ hiddenSize: 16 }, { simd: ${simd} });
    process.getBuiltinModule = builtin;
    const fit = m.fit({ x, y }, {
      epochs: 1e6, batchSize: 4,
      onEpochEnd: async ({ epoch }) => {
        if (epoch !== 1) return;
        started[0].terminate();
        // Sent after the terminate() call, before the thread is gone: they are pending when it goes.
        pendingCalls = [m.predict(x), m.getWeights(), m.evaluate(x, y)];
        await new Promise((r) => setTimeout(r, 50));
      },
    });
  `);
  assertStopped(out, /it exited with code 1/);
  assert.equal(out.pending.length, 3);
});

test('worker failure: a worker that dies while loading rejects with LOAD_FAILED', () => {
  // The thread exits before the model exists (its open request is pending).
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { createWorkerModel } = await import(${JSON.stringify(WORKER)});
    try {
      await createWorkerModel({ hiddenSize: 2 }, { workerUrl: new URL('data:text/javascript,process.exit(7)') });
      console.log('resolved');
    } catch (e) {
      console.log(JSON.stringify({ code: e.code, message: e.message }));
    }
  `], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  const e = JSON.parse(r.stdout.trim());
  assert.equal(e.code, 'LOAD_FAILED');
  assert.match(e.message, /could not start: it exited with code 7/);
});

test('worker failure: a worker that cannot even be constructed rejects with LOAD_FAILED', async () => {
  const { createWorkerModel, RnnlabError } = await import(WORKER);
  // Node refuses this path synchronously (ERR_WORKER_PATH), which used to escape as a plain TypeError.
  let error;
  try {
    await createWorkerModel({ hiddenSize: 2 }, { workerUrl: 'no/such/worker_entry.js' });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof RnnlabError, String(error));
  assert.equal(error.code, 'LOAD_FAILED');
  assert.equal(error.field, 'workerUrl');
  assert.equal(error.cause?.code, 'ERR_WORKER_PATH');
});
