// rnnlab is a guest in the programs that import it: importing and initialising it (both builds,
// the main entry and rnnlab/worker) installs no process-wide handler, changes no global and
// prints nothing; the user's own uncaught errors and unhandled rejections get Node's usual
// treatment under the user's flags. Each case runs in a fresh Node process. (The browser side,
// window.onerror and console noise, is checked in tests/package/ with a Vite bundle in Chromium.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const INDEX = new URL('../../bindings/js/index.js', import.meta.url).href;
const WORKER = new URL('../../bindings/js/worker.js', import.meta.url).href;
const tmp = mkdtempSync(path.join(tmpdir(), 'rnnlab-guest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Loads and uses rnnlab the way an application would: both builds, a model trained, saved and
// loaded, a Seq2Seq, the data helpers, and a model in a worker.
const USE_RNNLAB = `
const { init } = await import(${JSON.stringify(INDEX)});
const { createWorkerModel } = await import(${JSON.stringify(WORKER)});
const rnn = await init();
const baseline = await init({ simd: false });
const x = { data: Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), shape: [4, 8, 1] };
const y = new Float32Array([0.1, 0.2, 0.3, 0.4]);
for (const r of [rnn, baseline]) {
  const m = r.createModel({ cell: 'gru', hiddenSize: 4 });
  await m.fit({ x, y }, { epochs: 2 });
  r.loadModel(m.save()).dispose();
  m.dispose();
  const s = r.createSeq2Seq({ inputVocab: 5, outputVocab: 4, hiddenSize: 3 });
  s.translate([1, 2, 3], { maxLength: 2 });
  s.dispose();
  r.data.charVocab('hello').encode('hell');
  try { r.loadModel(new Uint8Array(10)); } catch {}
}
const wm = await createWorkerModel({ hiddenSize: 3 });
await wm.fit({ x, y }, { epochs: 1 });
await wm.dispose();
`;

/** Runs `source` as an ES module file with `flags`; returns {status, stdout, stderr, file}. */
function run(name, source, flags = []) {
  const file = path.join(tmp, `${name}.mjs`);
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [...flags, file], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.error, undefined, `${name} did not finish: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, file };
}

/** Asserts that stderr is Node's own short report of the user's error, not Emscripten's glue. */
function assertNodeReport(stderr, file, message) {
  assert.match(stderr, new RegExp(`^Error: ${message}$`, 'm'), stderr);
  assert.ok(stderr.includes(file), `the report names the user's file:\n${stderr}`);
  assert.doesNotMatch(stderr, /rnnlab-(simd|baseline)\.mjs|createRnnlabModule|ExitStatus/, 'no Emscripten glue in the report');
  assert.ok(stderr.length < 2000, `a short report (${stderr.length} characters)`);
}

test('import + init adds no global, no process listener, changes no process state and prints nothing', () => {
  const r = run('globals', `
const snapshot = () => ({
  globals: Reflect.ownKeys(globalThis).map(String).sort(),
  listeners: Object.fromEntries(process.eventNames().map((e) => [String(e), process.listenerCount(e)])),
  exitCode: process.exitCode,
  stackTraceLimit: Error.stackTraceLimit,
  prepareStackTrace: typeof Error.prepareStackTrace,
  argv: process.argv.join(' '),
});
const before = snapshot();
${USE_RNNLAB}
const after = snapshot();
process.stdout.write(JSON.stringify({ before, after }));
`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing on stderr');
  const { before, after } = JSON.parse(r.stdout);  // stdout holds this line and nothing else
  assert.deepEqual(after.globals, before.globals, 'the same global names');
  assert.deepEqual(after.listeners, before.listeners, 'no process listener added (uncaughtException, unhandledRejection, exit, ...)');
  assert.deepEqual(after, before);
  assert.equal(before.listeners.uncaughtException ?? 0, 0);
  assert.equal(before.listeners.unhandledRejection ?? 0, 0);
});

test("the user's uncaught error after init gets Node's own report and exit code 1", () => {
  const r = run('uncaught', `${USE_RNNLAB}
throw new Error('the user broke something');
`);
  assert.equal(r.status, 1);
  assertNodeReport(r.stderr, r.file, 'the user broke something');
  // Node prints the throwing line of the user's file above the error.
  assert.match(r.stderr, /throw new Error\('the user broke something'\);/);
  assert.equal(r.stdout, '');
});

test("the user's uncaught error thrown from a timer after init: the same report", () => {
  const r = run('uncaught-timer', `${USE_RNNLAB}
setTimeout(() => { throw new Error('later, from a timer'); }, 10);
`);
  assert.equal(r.status, 1);
  assertNodeReport(r.stderr, r.file, 'later, from a timer');
});

test('an unhandled rejection follows Node\'s default: the process fails with the user\'s error', () => {
  const r = run('rejection-default', `${USE_RNNLAB}
Promise.reject(new Error('nobody handles this'));
`);
  assert.equal(r.status, 1);
  assertNodeReport(r.stderr, r.file, 'nobody handles this');
});

test('an unhandled rejection follows the user\'s --unhandled-rejections=warn: a warning, and the program goes on', () => {
  const r = run('rejection-warn', `${USE_RNNLAB}
Promise.reject(new Error('only worth a warning'));
setTimeout(() => console.log('still running'), 50);
`, ['--unhandled-rejections=warn']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'still running');
  assert.match(r.stderr, /UnhandledPromiseRejectionWarning: Error: only worth a warning/);
  assert.doesNotMatch(r.stderr, /rnnlab-(simd|baseline)\.mjs|createRnnlabModule/);
});

test("the user's own unhandledRejection / uncaughtException handlers are the only ones called", () => {
  const r = run('own-handlers', `
const seen = [];
process.on('unhandledRejection', (reason) => seen.push('rejection: ' + reason.message));
process.on('uncaughtException', (error) => seen.push('exception: ' + error.message));
${USE_RNNLAB}
Promise.reject(new Error('handled by the user'));
setTimeout(() => { throw new Error('caught by the user'); }, 10);
setTimeout(() => { console.log(JSON.stringify({ seen, listeners: [process.listenerCount('unhandledRejection'), process.listenerCount('uncaughtException')] })); }, 60);
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { seen: ['rejection: handled by the user', 'exception: caught by the user'], listeners: [1, 1] });
  assert.equal(r.stderr, '');
});
