// The playground's source layout: small files with one job each, and each task's page beside
// its logic (web/src/<task>/page.js and task.js), so changing a task touches one folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));
/** Lines a file of web/src may have ("about 350"). */
const MAX_LINES = 360;
const TASKS = ['forecast', 'text', 'classify', 'translate', 'memory'];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.js')) yield p;
  }
}

test(`no file of web/src is longer than ${MAX_LINES} lines`, () => {
  const long = [...files(SRC)]
    .map((p) => ({ p: path.relative(SRC, p), n: readFileSync(p, 'utf8').split('\n').length }))
    .filter((f) => f.n > MAX_LINES);
  assert.deepEqual(long, [], long.map((f) => `${f.p}: ${f.n} lines`).join('; '));
});

test('each task keeps its page and its logic in one folder', () => {
  for (const task of TASKS) {
    assert.ok(existsSync(path.join(SRC, task, 'page.js')), `web/src/${task}/page.js`);
  }
  assert.ok(!existsSync(path.join(SRC, 'tasks')), 'no separate web/src/tasks folder');
  // The app finds every task's page through one registry.
  const registry = readFileSync(path.join(SRC, 'app/tasks.js'), 'utf8');
  for (const task of TASKS) assert.match(registry, new RegExp(`from '../${task}/page.js'`), `app/tasks.js imports ${task}/page.js`);
});
