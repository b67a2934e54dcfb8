// The test runner of the JS suites (run-tests.mjs) on its fixtures: a file whose process
// outlives its last test is reported and stopped; tidy files pass; failures fail.
// (Run by ctest as `js_test_runner`, label quick.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./run-tests.mjs', import.meta.url));
const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(...args) {
  const r = spawnSync(process.execPath, [RUNNER, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a file that leaves an interval running is reported and its process stopped', () => {
  const r = run('--grace', '2', fixture('lingering-timer.mjs'));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAILED .*lingering-timer\.mjs: its process was still running 2 s after its last test ended/);
  assert.match(r.out, /a timer, worker, server or open handle keeps it alive; it was stopped/);
  assert.match(r.out, /1 of 1 file\(s\) failed/);
});

test('files that leave nothing behind pass, subtests included', () => {
  const r = run('--grace', '2', fixture('tidy.mjs'));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /ok {3}\S*tidy\.mjs/);
  assert.doesNotMatch(r.out, /FAIL/);
});

test('a failing test fails its file, and the other files still run', () => {
  const r = run('--grace', '2', '--jobs', '2', fixture('failing.mjs'), fixture('tidy.mjs'), fixture('lingering-timer.mjs'));
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAILED .*failing\.mjs: exit status 1/);
  assert.match(r.out, /ok {3}\S*tidy\.mjs/);
  assert.match(r.out, /FAILED .*lingering-timer\.mjs: its process was still running/);
  assert.match(r.out, /2 of 3 file\(s\) failed/);
});

test('a folder stands for its *.test.mjs files only: the fixtures are not test files', () => {
  const r = run(fileURLToPath(new URL('./fixtures/', import.meta.url)));
  assert.equal(r.status, 2, r.out);
  assert.match(r.out, /holds no \*\.test\.mjs file/);
});
