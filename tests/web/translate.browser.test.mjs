// Translate in the page trains a WorkerSeq2Seq in a training session like every other task:
// so a crashed worker is reported like theirs and training restarts from the session's last
// snapshot (a WorkerSeq2Seq loaded from its saved bytes), with the typed date still rewritten.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, openPage, stepsShown, waitReady } from './_browser.mjs';

const suite = browserSuite();

test('translate: a crashed worker is reported and training restarts from the last snapshot', async () => {
  const { page, problems, context } = await openPage(suite.browser, suite.site.origin);
  await page.addInitScript(() => {
    const Real = window.Worker;
    /** @type {any} */ (window).__workers = [];
    window.Worker = class extends Real {
      constructor(/** @type {any} */ url, /** @type {any} */ opts) {
        super(url, opts);
        /** @type {any} */ (window).__workers.push(this);
      }
    };
  });
  await page.goto(`${suite.site.url}#task=translate`);
  await waitReady(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // The session copies a playing model every 5 s.
  await page.waitForTimeout(6500);
  await page.waitForFunction(() => Number(document.getElementById('counter-steps')?.dataset.value) >= 5, null, { timeout: 60000 });
  const before = await stepsShown(page);
  await page.evaluate(() => /** @type {any} */ (window).__workers.at(-1).dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' })));
  await page.waitForFunction(() => /training worker stopped \(the rnnlab worker stopped: simulated crash\)\. Press play to restart it from step \d+/.test(document.getElementById('notices')?.textContent ?? ''), null, { timeout: 15000 });
  const from = Number(/from step (\d+)/.exec(await page.locator('#notices').textContent() ?? '')?.[1]);
  assert.ok(from > 0 && from <= before, `a snapshot was taken while playing (step ${from} of ${before})`);
  await page.getByRole('button', { name: 'Restart training' }).click();
  await page.waitForFunction((k) => /Training restarted from the copy made at step/.test(document.getElementById('notices')?.textContent ?? '')
    && Number(document.getElementById('counter-steps')?.dataset.value) === k, from, { timeout: 30000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction((k) => Number(document.getElementById('counter-steps')?.dataset.value) >= k + 3, from, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause training' }).click();
  // The restarted model answers the typed date.
  await page.getByLabel(/Write a date/).fill('25 December 1999');
  await page.waitForFunction(() => /16 characters read/.test(document.getElementById('translate-note')?.textContent ?? ''), null, { timeout: 15000 });
  assert.deepEqual(problems.filter((p) => !/simulated crash/.test(p)), []);
  await context.close();
});
